"""All errors at once: every problem in every file in one run, rules on whatever passed, a build that says what check says."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import SERVICE
from generator.checks.validate import load_content
from test_rules import MAJOR

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 10, 20)


def gongkai(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=ROOT)


def without(text: str, *keys: str) -> str:
    return "".join(line + "\n" for line in text.splitlines() if not line.startswith(tuple(f"{k}:" for k in keys)))


def test_every_missing_field_of_a_file_is_named_in_one_run(office):
    root = office({"services/shenpi.yaml": without(SERVICE, "result", "person", "place", "hours")})
    _, findings = load_content(root)
    assert sorted(f.message for f in findings) == [
        "missing field 'hours' (办理时间)", "missing field 'person' (办理责任人)",
        "missing field 'place' (办理地点)", "missing field 'result' (办理结果)"]


def test_a_stray_tab_in_one_file_hides_no_finding_in_the_others(office):
    major_too_short = MAJOR.replace("working_days: 10", "working_days: 9")
    broken_service = SERVICE.replace("result: 批准文件", "result:\t批准文件\n\tx")
    root = office({"notices/2025/zhongda-1.md": major_too_short, "services/shenpi.yaml": broken_service})
    result = gongkai("check", str(root), "--as-of", AS_OF.isoformat(), "--format", "json")
    findings = {(f["file"].split("content/")[-1], f["rule"]) for f in json.loads(result.stdout)}
    assert ("services/shenpi.yaml", "syntax") in findings
    assert ("notices/2025/zhongda-1.md", "notice-period") in findings
    # The broken guide may be the one that fills 办事指南: its absence is not judged on a guess.
    assert not any(rule == "catalog-coverage" for _, rule in findings), findings


def test_a_broken_file_is_left_out_but_the_rest_is_judged(office):
    root = office({"notices/2025/zhongda-1.md": MAJOR.replace("working_days: 10", "working_days: 9")
                   .replace("topic: 国防", "topic: 国防\ntopic: 国防")})
    content, findings = load_content(root)
    assert [f.code for f in findings] == ["duplicate-key"]
    assert content.get("notice", "zhongda-1") is None and content.get("notice", "gonggao-1") is not None


def counts(text: str) -> tuple[int, int]:
    found = re.search(r"(\d+) error\(s\), (\d+) warning\(s\)", text)
    return int(found[1]), int(found[2])


def test_the_build_reports_what_check_finds_and_still_writes_the_site(office, tmp_path):
    root = office({"notices/2025/zhongda-1.md": MAJOR.replace("working_days: 10", "working_days: 9")})
    checked = gongkai("check", str(root), "--as-of", AS_OF.isoformat())
    built = gongkai("build", str(root), "--as-of", AS_OF.isoformat(), "--out", str(tmp_path / "site"), "--no-search")
    assert checked.returncode == 1 and counts(checked.stdout)[0] >= 1
    assert built.returncode == 0, built.stderr
    assert counts(built.stdout) == counts(checked.stdout)
    assert f"{root}/notices/2025/zhongda-1.md:13:" in built.stdout and "did not stop the build" in built.stderr
    assert (tmp_path / "site/index.html").exists()


def test_a_build_stopped_by_validation_lists_the_rule_findings_too(office, tmp_path):
    root = office({"notices/2025/zhongda-1.md": MAJOR.replace("working_days: 10", "working_days: 9"),
                   "services/shenpi.yaml": without(SERVICE, "result")})
    built = gongkai("build", str(root), "--as-of", AS_OF.isoformat(), "--out", str(tmp_path / "site"), "--no-search")
    assert built.returncode == 1
    assert "shenpi.yaml:1: missing field 'result'" in built.stdout and "zhongda-1.md:13:" in built.stdout
    assert not (tmp_path / "site").exists()


def test_a_build_with_only_a_dead_link_says_its_notice_is_left_out_not_that_it_is_about_deadlines(office, tmp_path):
    from conftest import notice_text

    root = office({"notices/2025/lianjie.md": notice_text("lianjie", "链接失效的公告", serial="2025-00009",
                                                          body="详见[已删除的公告](nowhere.md)。")})
    built = gongkai("build", str(root), "--as-of", AS_OF.isoformat(), "--out", str(tmp_path / "site"), "--no-search")
    assert built.returncode == 0, built.stderr
    assert f"{root}/notices/2025/lianjie.md:" in built.stdout
    assert "completeness and deadlines" not in built.stderr and "fails on them" not in built.stderr
    assert ("the error(s) above (Dead link) did not stop the build: the documents they are in are left out of the site"
            " until they are fixed") in built.stderr
