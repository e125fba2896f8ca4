"""`gongkai check`: the same findings as text, JSON and GitHub annotations, with the exit code CI needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import NOTICE, OFFICE, notice_text
from generator.checks.check import files_referring_to
from generator.checks.validate import load_content
from test_rules import MAJOR

ROOT = Path(__file__).resolve().parent.parent


def check(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "check", str(root), *args], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **(env or {})})


def finding_lines(stdout: str) -> list[str]:
    """The findings of a text report: the lines before its counts."""
    lines = stdout.splitlines()
    return lines[:next(i for i, line in enumerate(lines) if line.endswith("warning(s)"))]


def broken(office) -> Path:
    return office({"notices/2025/zhongda-1.md": MAJOR.replace("working_days: 10", "working_days: 9")})


def test_json_has_exactly_the_documented_keys(office):
    result = check(broken(office), "--as-of", "2025-10-20", "--format", "json")
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)
    assert set(finding) == {"rule", "title", "severity", "file", "line", "message"}
    assert finding["rule"] == "notice-period" and finding["title"] == "Notice period"
    assert finding["file"].endswith("content/notices/2025/zhongda-1.md") and finding["line"] == 13


def test_github_format_annotates_files_and_writes_the_job_summary(office, tmp_path):
    summary = tmp_path / "summary.md"
    result = check(broken(office), "--as-of", "2025-10-20", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    first = result.stdout.splitlines()[0]
    assert first.startswith("::error file=") and ",line=13,title=Notice period::a major-decision notice" in first
    table = summary.read_text(encoding="utf-8")
    assert "| Catalog item | Frequency | Last published | Next due | Status |" in table
    assert "| 公示公告 | 随时 | 2025年9月26日 | — | 随时或逐段 |" in table


def test_text_is_grouped_by_file_with_counts_and_warnings_do_not_fail(office):
    root = office({"calendar/2025.yaml": "year: 2025\nsource: 通知\nholidays: []\nworkdays: []\n"})
    result = check(root, "--as-of", "2025-10-20")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"{root}/calendar/2025.yaml:1: 2025 is already known from the official calendar; this file is not used"
        " — delete it, or keep it only for a year the library does not know [warning]",
        "0 error(s), 1 warning(s)"]
    assert check(root, "--as-of", "2025-10-20", "--strict").returncode == 1


def test_as_of_must_be_a_date(office):
    result = check(office(), "--as-of", "2025-13-01")
    assert result.returncode == 2 and "'2025-13-01' is not a date" in result.stderr


def test_example_office_passes_its_checks():
    result = check(ROOT / "content/offices/rfb", "--as-of", "2026-11-25")
    assert result.returncode == 0, result.stdout


def committed(root: Path) -> None:
    """The office as the main branch a pull request's changes are measured from."""
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "main"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True,
                       capture_output=True)


def test_a_pull_request_check_reports_only_the_changed_files(office):
    root = broken(office)  # an old problem in zhongda-1.md, already on the main branch
    committed(root)
    (root / "notices/2025/gonggao-1.md").write_text(NOTICE.replace("公告正文。", "联系人手机13812345678。"), encoding="utf-8")
    result = check(root, "--as-of", "2025-10-20", "--changed-since", "HEAD")
    assert result.returncode == 1
    assert [line.split(": ", 1)[0] for line in finding_lines(result.stdout)] == [f"{root}/notices/2025/gonggao-1.md:20"]
    # then what the change publishes, as a log without a job summary shows it
    assert result.stdout.endswith("What this change publishes:\n  测试公告 (通知公告): period 2025年9月26日—2025年10月15日,"
                                  " taken off the board on 2025年10月16日, sheet —\n")  # ended by 20 October: no sheet
    assert "zhongda-1.md" in check(root, "--as-of", "2025-10-20").stdout  # the whole check still sees it
    (root / "catalog.yaml").write_text((root / "catalog.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    everything = check(root, "--as-of", "2025-10-20", "--changed-since", "HEAD")
    assert "zhongda-1.md" in everything.stdout  # every rule reads the catalog: a change to it checks every file


def test_what_a_change_publishes_names_the_working_day_a_sheet_comes_down_as_the_sheet_does(office):
    root = office()
    committed(root)
    # one day from Friday 17 October 2025: it would come down on Saturday, and nobody is there until Monday
    friday = notice_text(written="2025-10-16", published="2025-10-17", period="days: 1")
    (root / "notices/2025/gonggao-1.md").write_text(friday, encoding="utf-8")
    result = check(root, "--as-of", "2025-10-17", "--changed-since", "HEAD")
    assert result.stdout.endswith("taken off the board on 2025年10月20日 (2025年10月18日 is a rest day), sheet "
                                  "https://test.example.org/posters/notice-gonggao-1.pdf\n"), result.stdout


def test_what_a_change_publishes_says_a_withheld_document_is_not_published_and_why(office):
    """A fresh-eyes reviewer read a notice marked 内部资料 with its sheet's address under what the change publishes,
    while the build withheld it (and the address never existed)."""
    root = office()
    committed(root)
    notice = root / "notices/2025/gonggao-1.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("公告正文。", "公告正文。\n\n内部资料\n"), encoding="utf-8")
    result = check(root, "--as-of", "2025-09-26", "--changed-since", "HEAD")
    assert "posters/notice-gonggao-1.pdf" not in result.stdout
    assert result.stdout.rstrip().endswith("not published: '内部资料' marks the text as not for the public"), result.stdout


def test_a_new_file_not_yet_added_to_git_is_checked_as_changed(office):
    root = broken(office)
    committed(root)
    new = NOTICE.replace("id: gonggao-1", "id: gonggao-2").replace("2025-00002", "2025-00008")
    (root / "notices/2025/gonggao-2.md").write_text(new.replace("公告正文。", "联系人手机13812345678。"), encoding="utf-8")
    result = check(root, "--as-of", "2025-10-20", "--changed-since", "HEAD")
    assert result.returncode == 1
    assert [line.split(": ", 1)[0] for line in finding_lines(result.stdout)] == [f"{root}/notices/2025/gonggao-2.md:20"]


def test_a_pull_request_check_outside_git_checks_every_file(office):
    result = check(broken(office), "--as-of", "2025-10-20", "--changed-since", "HEAD")
    assert "cannot tell what changed since HEAD" in result.stderr and "checking every file" in result.stderr
    assert "zhongda-1.md:13: a major-decision notice" in result.stdout and result.returncode == 1


def test_the_files_that_refer_to_a_changed_file_are_in_the_pull_requests_scope(office):
    content, _ = load_content(office({"notices/2025/zhongda-1.md": MAJOR}))
    assert files_referring_to(content, frozenset({"catalog.yaml"})) >= {"notices/2025/gonggao-1.md", "notices/2025/zhongda-1.md"}
    assert files_referring_to(content, frozenset({"notices/2025/gonggao-1.md"})) == set()


def test_a_broken_office_yaml_still_has_the_offices_texts_scanned_and_says_the_rest_waits(office):
    """One broken file must not hide the rest: every rule reads office.yaml, but the safety scans read only the texts,
    so an ID number in a notice is reported beside the YAML error, with a word that the other rules wait."""
    root = office({"office.yaml": OFFICE.replace("phones:", "phones:\n   bad: ["),
                   "notices/2025/gonggao-1.md": NOTICE + "\n联系人身份证 11010519491231002X。\n"})
    result = subprocess.run([sys.executable, "-m", "generator", "check", str(root), "--as-of", "2025-10-10"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "notices/2025/gonggao-1.md:" in result.stdout and "resident ID number (110***********002X)" in result.stdout
    assert "office.yaml:1: only the safety scans were run for this office" in result.stdout, result.stdout


def test_a_folder_or_file_inside_an_office_is_answered_with_the_offices_folder_once(office, tmp_path):
    """validate of notices/ told a fresh-eyes clerk to create notices/office.yaml; of a notice, that the content folder
    does not exist; check and build added that only the safety scans had run."""
    root = office()
    told = f"this is a file or a folder inside the office {root}, not the office's folder — give the office's folder:" \
           f" {root}"
    for inside in (root / "notices", root / "notices/2025/gonggao-1.md"):
        for command in ("validate", "check", "build"):
            result = subprocess.run([sys.executable, "-m", "generator", "--lang", "en", command, str(inside),
                                     *(["--out", str(tmp_path / "site")] if command == "build" else [])],
                                    capture_output=True, text=True)
            assert result.returncode == 1 and finding_lines(result.stdout) == [f"{inside}:1: {told}"], result.stdout
    assert "nothing was written, " in result.stderr and not (tmp_path / "site").exists()
