"""`gongkai new`: each kind of file is written complete, numbered, and valid at once."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from generator.checks.check import run_checks
from generator.checks.validate import load_content

ROOT = Path(__file__).resolve().parent.parent


def gongkai(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=ROOT,
                          input=input)


def valid(root: Path) -> bool:
    result = gongkai("validate", str(root))
    return result.returncode == 0 and result.stdout.endswith("0 error(s), 0 warning(s)\n")


def test_new_notice_has_its_period_computed_and_validates(office):
    root = office()
    result = gongkai("new", "notice", str(root), "--title", "关于规划的公示", "--type", "重大事项公示",
                     "--first-day", "2025-09-26", "--as-of", "2025-09-20")
    assert result.returncode == 0, result.stderr
    assert "notice period: 自 2025年9月26日 至 2025年10月15日，共10个工作日" in result.stdout
    path = root / "notices/2025/zhongda-2025-01.md"
    text = path.read_text(encoding="utf-8")
    assert "index_no: 11331082MB1947351Y/2025-00003" in text  # the fixture already uses 00001 and 00002
    assert valid(root)
    content, _ = load_content(root)
    codes = {f.code for f in run_checks(content, dt.date(2025, 9, 20)) if f.file.endswith("zhongda-2025-01.md")}
    assert codes == {"approvals", "draft-text"}  # the seven parts are laid out; the text and approval are the clerk's


def test_new_notice_into_an_undeclared_year_says_which_calendar_to_add(office):
    result = gongkai("new", "notice", str(office()), "--title", "年末公告", "--type", "通知公告",
                     "--first-day", "2026-12-28", "--as-of", "2026-12-20")
    assert "content/calendar/2027.yaml" in result.stdout


def catalog_with(item_id: str, title: str) -> str:
    """The fixture catalog and one more public item filled by files, like its 公示公告."""
    from conftest import CATALOG

    gonggao = CATALOG.split("  - id: gonggao\n")[1]
    return CATALOG + f"  - id: {item_id}\n" + gonggao.replace("title: 公示公告", f"title: {title}")


def test_new_service_regulation_and_register_entry_validate(office):
    root = office({"catalog.yaml": catalog_with("zhidu", "政务公开制度")})
    for args in (["service", "--title", "新事项", "--id", "xin-shixiang"],
                 ["regulation", "--title", "新制度", "--id", "xin-zhidu"],
                 ["register-entry", "--received", "2025-10-09", "--channel", "电话", "--category", "意见反映类",
                  "--summary", "建议延长办公时间。", "--result", "已研究。"]):
        result = gongkai("new", args[0], str(root), *args[1:], *(["--as-of", "2025-10-10"] if args[0] != "register-entry" else []))
        assert result.returncode == 0, result.stderr
    assert valid(root)
    assert (root / "registers/complaints.csv").read_text(encoding="utf-8").splitlines()[-1].startswith("2025-001,2025-10-09,电话,")
    content, _ = load_content(root)
    assert content.get("service", "xin-shixiang").pledged_days == 20
    assert [(r.id, r.catalog_ids) for r in content.of("regulation")] == [("xin-zhidu", ["zhidu"])]


def test_new_refuses_an_existing_file_and_a_bad_id(office):
    root = office()
    args = ["new", "service", str(root), "--title", "测试", "--id", "shenpi", "--as-of", "2025-10-10"]
    assert "already exists" in gongkai(*args).stderr
    bad = gongkai("new", "service", str(root), "--title", "测试", "--id", "测试事项", "--as-of", "2025-10-10")
    assert bad.returncode == 1 and "cannot be an id" in bad.stderr


@pytest.mark.parametrize("title", ["关于: 规划调整的公示", "#3号公告", "[更正]关于收费标准的公告", "'单引号'与\"双引号\""])
def test_a_title_with_yaml_characters_is_written_as_it_was_given(office, title):
    root = office()
    result = gongkai("new", "notice", str(root), "--title", title, "--type", "通知公告", "--first-day", "2025-10-09",
                     "--as-of", "2025-10-09")
    assert result.returncode == 0, result.stderr
    assert valid(root)
    content, _ = load_content(root)
    assert title in [n.title for n in content.of("notice")]


def test_a_first_notice_of_its_type_is_filed_under_the_item_named_for_it(office):
    root = office({"catalog.yaml": catalog_with("zhongda", "重大事项公示")})
    made = gongkai("new", "notice", str(root), "--title", "关于规划的公示", "--type", "重大事项公示",
                   "--first-day", "2025-09-26", "--as-of", "2025-09-20")
    assert made.returncode == 0, made.stderr
    assert "catalog: zhongda\n" in (root / "notices/2025/zhongda-2025-01.md").read_text(encoding="utf-8")
    refused = gongkai("new", "notice", str(root), "--title", "通知", "--type", "通知公告", "--first-day", "2025-09-26",
                      "--as-of", "2025-09-20", "--catalog", "nosuch")
    assert refused.returncode == 1 and "no public catalog item 'nosuch'" in refused.stderr
    assert "zhongda（重大事项公示）" in refused.stderr and not (root / "notices/2025/tongzhi-2025-01.md").exists()


def test_a_notice_entered_after_its_first_day_is_not_written_after_it_is_published(office):
    root = office()
    result = gongkai("new", "notice", str(root), "--title", "补录的通知", "--type", "通知公告",
                     "--first-day", "2025-09-22", "--as-of", "2025-09-26")
    assert result.returncode == 0, result.stderr
    text = (root / "notices/2025/tongzhi-2025-01.md").read_text(encoding="utf-8")
    assert "written: 2025-09-22\n" in text and "published: 2025-09-22\n" in text


def test_a_row_in_every_register_without_touching_csv(office):
    """A 依申请公开 request, a review and an inspection, each from `gongkai new register-entry --register`; what is not
    given is asked for by its Chinese title; a wrong value is refused before the file is touched."""
    root = office()
    requests = gongkai("new", "register-entry", str(root), "--register", "requests", "--set", "applicant=自然人",
                       input="2025-10-09\n")
    assert requests.returncode == 0, requests.stderr
    assert "收到日期" in requests.stdout  # the prompt, in the clerk's words
    for args in (["--register", "reviews", "--set", "kind=行政复议", "--set", "filed=2025-10-11"],
                 ["--register", "inspections", "--set", "date=2025-10-12", "--set", "type=监督检查",
                  "--set", "scope=政务公开", "--set", "result=合格"]):
        result = gongkai("new", "register-entry", str(root), *args)
        assert result.returncode == 0, result.stderr
    assert valid(root)
    content, _ = load_content(root)
    assert [r.id for r in content.of("request") if r.get("applicant") == "自然人" and str(r.get("received")) == "2025-10-09"]
    assert (root / "registers/reviews.csv").read_text(encoding="utf-8").splitlines()[-1].startswith("2025-")
    before = (root / "registers/requests.csv").read_bytes()
    wrong = gongkai("new", "register-entry", str(root), "--register", "requests", "--set", "applicant=路人",
                    "--set", "received=2025-10-09")
    assert wrong.returncode == 1 and "路人" in wrong.stderr
    assert (root / "registers/requests.csv").read_bytes() == before


def test_a_new_notice_names_the_approval_body_the_offices_rules_name(office):
    rules = "rules:\n  approvals:\n    approvers:\n      重大事项公示: [局长办公会]\n"
    root = office({"rules.yaml": rules})
    made = gongkai("new", "notice", str(root), "--title", "关于规划的公示", "--type", "重大事项公示",
                   "--first-day", "2025-09-26", "--as-of", "2025-09-20")
    assert made.returncode == 0, made.stderr
    text = (root / "notices/2025/zhongda-2025-01.md").read_text(encoding="utf-8")
    assert "#   - by: 局长办公会\n" in text and "主任办公会" not in text
    written = text.replace("approvals: []\n#   - by: 局长办公会\n#     date: 2025-09-20\n",  # as the comment says
                           "approvals:\n  - by: 局长办公会\n    date: 2025-09-20\n")
    assert written != text
    (root / "notices/2025/zhongda-2025-01.md").write_text(written, encoding="utf-8")
    content, _ = load_content(root)
    assert [f for f in run_checks(content, dt.date(2025, 9, 20))
            if f.code == "approvals" and f.file.endswith("zhongda-2025-01.md")] == []
