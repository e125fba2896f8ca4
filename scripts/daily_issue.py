"""The daily check's issue: while `gongkai check` finds an error (an item overdue, a notice too short...), one
open issue asks the office's owners to act; it is updated when the findings change and closed once all is
clear. A failed scheduled run alone tells no one in the office. In a county the findings are listed office by
office, each under its name and its owners, and the 政务公开办 is asked at the top.

`make daily-issue` runs it in the daily workflows of GitHub (.github/workflows/daily.yml) and of Gitea or
Forgejo (.forgejo/workflows/daily.yml): both hosts take the same REST calls for issues, at GITHUB_API_URL
with the job's token (GITHUB_TOKEN) for GITHUB_REPOSITORY, all three set by the runner or the workflow.

usage: python scripts/daily_issue.py CONTENT [--as-of YYYY-MM-DD]
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

COUNTY_FILE = "county.yaml"
TITLE = "每日检查：有逾期或不合规的公开事项"
FOOTER = "本提醒由每日检查自动维护：检查结果变化时更新，全部解决后自动关闭。"
LIMIT = 65_536  # the longest issue body GitHub (and a default Gitea) accepts, in characters
CUT = "……（问题太多，以上只列出一部分。完整列表见本次运行的摘要和日志{where}。）"
MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def as_text(value: str) -> str:
    """A value from content as text in Markdown: no emphasis, heading, link or image, no @mention, no web address
    made a link, on one line."""
    value = MARKDOWN.sub(r"\\\1", " ".join(str(value).split()))
    # A zero-width space after @ and in :// and www. keeps GitHub and Gitea from mentioning and autolinking.
    return value.replace("@", "@\u200b").replace("://", ":\u200b//").replace("www\\.", "www\u200b\\.")


def fenced(lines: str) -> str:
    """The check's lines as a code block that nothing in them can close: no Markdown, no mention, no link."""
    longest = max((len(run) for run in re.findall(r"`+", lines)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{lines.rstrip(chr(10))}\n{fence}"


class Forge:
    """The few issue calls GitHub and Gitea/Forgejo answer alike."""

    def __init__(self, api: str, repository: str, token: str):
        self.base, self.token = f"{api.rstrip('/')}/repos/{repository}", token

    def call(self, method: str, path: str, data: dict | None = None):
        request = urllib.request.Request(self.base + path, method=method,
                                         data=None if data is None else json.dumps(data).encode(),
                                         headers={"Authorization": f"token {self.token}", "Accept": "application/json",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")

    def open_issue(self) -> dict | None:
        for page in range(1, 21):  # GitHub pages by per_page, Gitea by limit; each ignores the other's
            issues = self.call("GET", f"/issues?state=open&type=issues&per_page=50&limit=50&page={page}")
            for issue in issues:
                if issue["title"] == TITLE and not issue.get("pull_request"):
                    return issue
            if not issues:
                return None
        return None


def owners(content_dir: str) -> str:
    """The reviewers of the section that runs the openness work, as @-mentions; they are notified."""
    return office_facts(content_dir)[1]


def office_facts(content_dir: str) -> tuple[str, str]:
    """The office's short name and its owners (the section that runs the openness work) as @-mentions; for an
    office.yaml that does not load (the findings say why), its folder's name and nobody."""
    from generator.checks.validate import load_content

    content, _findings = load_content(content_dir)
    office = content.office
    if office is None:
        return Path(content_dir).name, ""
    section = (office.get("leading_group") or {}).get("office_section")
    return office.get("short_name"), " ".join(next((s.get("reviewers", []) for s in office.sections if s["id"] == section), []))


def county_report(content_dir: str, text: str) -> str:
    """A county's findings office by office, each under the office's name and its owners, those of the county file
    and calendars first; the 政务公开办's reviewers, who supervise every office, are asked at the top."""
    from generator.content.county import OFFICES, load_county

    county, _findings = load_county(Path(content_dir))
    *lines, counts = text.rstrip("\n").split("\n")
    prefix = f"{Path(content_dir).as_posix().rstrip('/')}/{OFFICES}/"
    groups: dict[str, list[str]] = {}
    for line in lines:
        groups.setdefault(line.removeprefix(prefix).split("/")[0] if line.startswith(prefix) else "", []).append(line)
    supervisor = (county.record.get("supervisor") or {}) if county.record else {}
    parts = [f"{' '.join(supervisor.get('reviewers', []))} 每日检查发现以下问题（{counts}），请处理：".lstrip()]
    for office in sorted(groups):
        if office:
            name, mentions = office_facts(str(county.office_dir(office)))
            heading = f"### {as_text(name)}（{as_text(prefix + office)}/） {mentions}".rstrip()
        else:
            heading = f"### 县级门户（{as_text(Path(content_dir).as_posix())}/{COUNTY_FILE}、calendar/）"
        parts.append(f"{heading}\n\n" + fenced("\n".join(groups[office])))
    return "\n\n".join(parts)


def within_limit(body: str, where: str) -> str:
    """The body as it is, or cut at a line to the forge's limit with a pointer to the full list; a cut code block
    is closed again."""
    if len(body) <= LIMIT:
        return body
    tail = "\n\n" + CUT.format(where=where) + "\n\n" + FOOTER
    kept = body[: LIMIT - len(tail) - 20].rsplit("\n", 1)[0]
    fences = re.findall(r"^(`{3,})(?:text)?$", kept, flags=re.MULTILINE)
    if len(fences) % 2:  # cut inside a block: close it with its own fence
        kept += "\n" + fences[-1]
    return kept + tail


def main(argv: list[str]) -> int:
    content_dir, as_of = argv[0], argv[1:]
    check = subprocess.run([sys.executable, "-m", "generator", "check", content_dir, *as_of, "--format", "text"],
                           capture_output=True, text=True)
    if check.returncode not in (0, 1):
        sys.stderr.write(check.stdout + check.stderr)
        return 1
    missing = [name for name in ("GITHUB_API_URL", "GITHUB_REPOSITORY", "GITHUB_TOKEN") if not os.environ.get(name)]
    if missing:
        print(f"daily issue: {', '.join(missing)} not set — run this in the daily workflow, which sets them", file=sys.stderr)
        return 1
    forge = Forge(os.environ["GITHUB_API_URL"], os.environ["GITHUB_REPOSITORY"], os.environ["GITHUB_TOKEN"])
    run = f"\n\n本次运行：{os.environ['RUN_URL']}" if os.environ.get("RUN_URL") else ""
    try:
        issue = forge.open_issue()
        if check.returncode == 0:
            if issue:
                forge.call("POST", f"/issues/{issue['number']}/comments", {"body": "检查已无错误，本提醒自动关闭。" + run})
                forge.call("PATCH", f"/issues/{issue['number']}", {"state": "closed"})
                print(f"daily issue #{issue['number']} closed: all clear")
            return 0
        if (Path(content_dir) / COUNTY_FILE).is_file():
            body = f"{county_report(content_dir, check.stdout)}\n\n{FOOTER}"
        else:
            body = f"{owners(content_dir)} 每日检查发现以下问题，请处理：\n\n{fenced(check.stdout)}\n\n{FOOTER}".lstrip()
        if len(body) > LIMIT:  # the full list where the cut body points: the run's summary (GitHub) and its log
            print(check.stdout, end="")
            if os.environ.get("GITHUB_STEP_SUMMARY"):
                with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
                    summary.write(f"## {TITLE}\n\n{fenced(check.stdout)}\n")
        body = within_limit(body, f"：{os.environ['RUN_URL']}" if os.environ.get("RUN_URL") else "")
        if issue is None:
            created = forge.call("POST", "/issues", {"title": TITLE, "body": body})
            print(f"daily issue #{created['number']} opened")
        elif issue.get("body") != body:
            forge.call("PATCH", f"/issues/{issue['number']}", {"body": body})
            forge.call("POST", f"/issues/{issue['number']}/comments", {"body": "检查结果有变化，已更新上文。" + run})
            print(f"daily issue #{issue['number']} updated")
        else:
            print(f"daily issue #{issue['number']} unchanged")
    except (urllib.error.URLError, OSError) as error:
        detail = error.read().decode(errors="replace")[:300] if isinstance(error, urllib.error.HTTPError) else ""
        message = (f"daily issue: {forge.base} answered {error} {detail} — the owners were not told; check that the job"
                   " may write issues (permissions: issues: write)")
        print(message, file=sys.stderr)
        print(f"::error title=每日检查的提醒未能发出::{' '.join(message.split())}")  # on the run's page, not only in its log
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
