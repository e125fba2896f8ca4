"""The daily job's issue, as a hostile office file or a county with a thousand findings would meet it: content goes
in as text, a long report is cut to the forge's limit with a pointer to the full list, and a failed post fails the
job where the run's page shows it."""

from __future__ import annotations

import importlib.util
import re
import subprocess

import pytest

from conftest import OFFICE, write_county
from test_workflows import ROOT, FakeForge, forge  # noqa: F401 - forge is a fixture

spec = importlib.util.spec_from_file_location("daily_issue", ROOT / "scripts/daily_issue.py")
daily_issue = importlib.util.module_from_spec(spec)
spec.loader.exec_module(daily_issue)

HOSTILE = "@everyone [点此](https://evil.example/x) ![t](https://evil.example/p.png) **急** www.evil.example <b>x</b>"


def _run(monkeypatch, tmp_path, env: dict, content, stdout: str) -> tuple[int, str]:
    """daily_issue.main with the check's output given, the forge's environment set; (exit code, what it printed)."""
    real_run = subprocess.run
    monkeypatch.setattr(daily_issue.subprocess, "run", lambda command, **kwargs: subprocess.CompletedProcess(
        command, 1, stdout, "") if "check" in command else real_run(command, **kwargs))
    for name, value in {**env, "GITHUB_TOKEN": "job-token", "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
                        "RUN_URL": "https://git.example.org/office/site/actions/runs/7"}.items():
        monkeypatch.setenv(name, value)
    return daily_issue.main([str(content)])


def _county(tmp_path, short_name: str = "jia办"):
    office = OFFICE.replace("site_url: https://test.example.org/\n", "").replace("short_name: 测试办",
                                                                               f"short_name: '{short_name}'")
    return write_county(tmp_path / "content", {"jia": {"office.yaml": office}})


def test_an_office_name_goes_into_the_issue_as_text(monkeypatch, tmp_path, forge, capsys):
    _context, env = forge
    county = _county(tmp_path, HOSTILE)
    line = f"{county}/offices/jia/notices/2025/gonggao-1.md:3: 标题含 ``` 和 @someone — 请修改\n"
    assert _run(monkeypatch, tmp_path, env, county, line + "1 error(s), 0 warning(s)\n") == 0
    [issue] = FakeForge.issues
    heading = next(row for row in issue["body"].splitlines() if row.startswith("### "))
    assert re.search(r"@\w", heading.replace("@jia/zonghe", "")) is None  # the office's owners are the only mention
    assert "](" not in heading and "**" not in heading and "<b>" not in heading
    assert "https://" not in heading and "www.evil" not in heading
    assert "\\[点此\\]" in heading  # the name is still there to read
    block = issue["body"].split(heading, 1)[1]
    assert block.count("````") == 2 and "@someone" in block  # a fence longer than the ``` inside: it stays code


def test_a_report_over_the_forge_limit_is_cut_with_a_pointer_to_the_full_list(monkeypatch, tmp_path, forge, capsys):
    _context, env = forge
    county = _county(tmp_path)
    lines = "".join(f"{county}/offices/jia/notices/2025/gonggao-{n}.md:13: 公示期不足十个工作日，还差一个工作日 —"
                    f" 延长公示期或更正日期（第 {n} 条）\n" for n in range(1065))
    assert len(lines) > 65_536
    assert _run(monkeypatch, tmp_path, env, county, lines + "1065 error(s), 0 warning(s)\n") == 0
    [issue] = FakeForge.issues
    body = issue["body"]
    assert len(body) <= 65_536 and body.endswith(daily_issue.FOOTER)
    assert "完整列表见本次运行的摘要和日志：https://git.example.org/office/site/actions/runs/7" in body
    assert body.count("```") % 2 == 0  # the cut block is closed
    assert "gonggao-1064.md" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "gonggao-1064.md" in capsys.readouterr().out


def test_a_failed_post_fails_the_job_loudly(monkeypatch, tmp_path, forge, capsys):
    _context, env = forge
    county = _county(tmp_path)
    env = {**env, "GITHUB_API_URL": "http://127.0.0.1:9/api/v1"}  # nothing answers there
    line = f"{county}/offices/jia/notices/2025/gonggao-1.md:13: 公示期不足\n1 error(s), 0 warning(s)\n"
    assert _run(monkeypatch, tmp_path, env, county, line) == 1
    printed = capsys.readouterr()
    assert printed.out.startswith("::error title=") and "the owners were not told" in printed.err
