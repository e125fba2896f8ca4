"""The supervisor's view (政务公开办): a fixture county of tiny offices, built for real, read as a reader would."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import CATALOG, INTERNAL, NOTICE, OFFICE, REPORT, catalog_item, write_county
from generator.publish.build import build
from generator.checks.check import run_checks, stops_a_build
from generator.render import supervision
from generator.checks.rules import annual_report_due
from generator.content.county import load_county
from generator.checks.validate import load_content
from test_csvfile import rows_by_name

AS_OF = dt.date(2026, 5, 15)  # after 31 January and after Q4 2025's and Q1 2026's due dates

QUARTERLY_ITEM = catalog_item("tongji", "季度统计数据公开", "统计数据", "制度 三", time_limit="每季度结束后20个工作日内",
                              cadence="每季度", applies_from="2025-10-01")
INTERNAL_TITLE = "车辆维修和办公用品费用开支季度情况"
INTERNAL_ITEM = catalog_item("neibu", INTERNAL_TITLE, "费用", "制度 五", time_limit="每季度结束后20个工作日内",
                             channels="对内公开栏", audience="内部", cadence="每季度", applies_from="2025-10-01")
COMPLAINTS = """\
id,received,channel,category,summary,result,closed,published,illustrative
2026-1,2026-01-05,电话,现场协调类,窗口等候时间长。,已协调。,2026-01-05,,true
2026-2,2026-01-10,信函,立案处理类,审查超时。,已整改。,2026-04-01,,true
2026-3,2026-02-01,网上,意见反映类,建议公开计费方法。,办理中。,,,true
2026-4,2026-05-01,现场,意见反映类,建议延长办公时间。,办理中。,,,true
"""


# aa misses two quarters of a public item and has no 2025 report; its internal item is as overdue and never shown.
# bb has its report and complaints: one in time, one late, one open past its 60 days, one still within them; its
# rules ask for three inspections a year.
OFFICES = {
    "aa": {"catalog.yaml": CATALOG + QUARTERLY_ITEM + INTERNAL_ITEM,
           "internal/neibu-1.yaml": INTERNAL.replace("catalog: jigou", "catalog: neibu")},
    "bb": {"office.yaml": OFFICE.replace("site_url: https://test.example.org/\n", "")
           .replace("name: 示例县测试办公室", "name: 示例县乙测试局").replace("short_name: 测试办", "short_name: 乙局"),
           "notices/2025/gonggao-1.md": NOTICE.replace("示例县测试办公室", "示例县乙测试局"),
           "registers/complaints.csv": COMPLAINTS, "reports/2025.md": REPORT.replace("示例县测试办公室", "示例县乙测试局"),
           "rules.yaml": "rules:\n  inspection-frequency:\n    inspections_per_year: 3\n"},
}


@pytest.fixture(scope="module")
def supervised(tmp_path_factory):
    """conftest's county, written once for the module (its fixture is per test): building it is the slow part."""
    return write_county(tmp_path_factory.mktemp("county") / "content", OFFICES)


@pytest.fixture(scope="module")
def built(supervised, tmp_path_factory):
    out, cache = tmp_path_factory.mktemp("site") / "site", tmp_path_factory.mktemp("cache")
    findings = build(supervised, out, AS_OF, cache=cache)
    assert not [str(f) for f in findings if stops_a_build(f)]
    return out, cache


def office_row(page: str, office: str) -> dict[str, str]:
    """The cells of one office's row on the supervisor's page, by the column each is marked with."""
    row = re.search(rf'<tr id="gk-office-{office}">(.*?)</tr>', page, re.S).group(1)
    return {name: unescape(re.sub(r"<[^>]+>", "", text)).strip()
            for name, text in re.findall(r'<td class="gk-(\w+)">(.*?)</td>', row, re.S)}


def table(site: Path, name: str) -> list[dict]:
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    [resource] = [r for r in package["resources"] if r["path"] == name]
    return rows_by_name((site / "data" / name).read_bytes(), resource["schema"]["fields"])


def pdf_text(path: Path) -> str:
    """The text in reading order, cell by cell (-layout would interleave a table's columns line by line)."""
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_an_office_that_missed_two_quarters_shows_both(built):
    site, _ = built
    page = (site / "supervision/index.html").read_text(encoding="utf-8")
    assert office_row(page, "aa")["overdue_periods"] == "2"
    assert office_row(page, "bb")["overdue_periods"] == "0"
    overdue = [(r["office"], r["title"], r["period_end"]) for r in table(site, "supervision-overdue.csv")]
    assert overdue == [("aa", "季度统计数据公开", "2025-12-31"), ("aa", "季度统计数据公开", "2026-03-31")]
    for period_end in ("2025年12月31日", "2026年3月31日"):
        assert re.search(rf"<td>季度统计数据公开</td><td>每季度</td><td>{period_end}</td>", page)


def test_an_annual_report_missing_after_31_january_shows_not_received(built):
    site, _ = built
    page = (site / "supervision/index.html").read_text(encoding="utf-8")
    assert office_row(page, "aa")["report_status"] == "2025年度：未报送"
    assert office_row(page, "bb")["report_status"] == "2025年度：按时报送（2026年1月20日发布）"


def test_complaints_are_counted_against_their_deadline(built):
    site, _ = built
    row = office_row((site / "supervision/index.html").read_text(encoding="utf-8"), "bb")
    assert (row["complaints_received"], row["complaints_in_time"], row["complaints_late"], row["complaints_pending"],
            row["complaints_overdue"]) == ("4", "1", "1", "1", "1")


def test_the_rule_judges_the_complaints_the_page_counts(supervised):
    content, _ = load_content(supervised / "offices/bb")
    found = [(f.severity, f.line, f.message) for f in run_checks(content, AS_OF) if f.code == "complaint-deadline"]
    assert found == [
        ("warning", 3, "complaint 2026-2 was closed 2026年4月1日, after its deadline 2026年3月11日 (60 days from "
                       "2026年1月10日)"),
        ("error", 4, "complaint 2026-3 received 2026年2月1日 was due to be answered within 60 days, by 2026年4月2日, "
                     "and is not closed")]


def test_an_internal_items_title_appears_nowhere_in_the_built_site(built):
    site, _ = built
    needles = (INTERNAL_TITLE, "第三季度车辆维修费用公开", "neibu-1")
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        text = pdf_text(path) if path.suffix == ".pdf" else path.read_bytes().decode("utf-8", errors="ignore")
        assert not [n for n in needles if n in text], path


def test_the_data_table_is_valid_and_says_what_the_page_says(built):
    site, _ = built
    result = subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", "--json",
                             str(site / "data/datapackage.json")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert json.loads(result.stdout)["valid"] is True
    # Excel on a Chinese PC: the BOM says UTF-8, the first row is the header it shows
    assert (site / "data/supervision.csv").read_bytes().startswith("\ufeff部门代号,部门,统计日期,定期公开逾期期数".encode())
    page = (site / "supervision/index.html").read_text(encoding="utf-8")
    rows = table(site, "supervision.csv")
    assert [r["office"] for r in rows] == ["aa", "bb"]
    for row in rows:
        cells = office_row(page, row["office"])
        for name in ("overdue_periods", "open_notices", "complaints_received", "complaints_in_time", "complaints_late",
                     "complaints_pending", "complaints_overdue"):
            assert cells[name] == row[name], name
        assert cells["report_status"].startswith(f"{row['report_year']}年度：{row['report_status']}")
        for year in ("last_year", "this_year"):
            for kind in ("inspections", "assessments"):
                held, required = row[f"{year}_{kind}"], row[f"{year}_{kind}_required"]
                assert cells[f"{year}_{kind}"] == f"{held}/{required}"
    assert (rows[0]["last_year_inspections"], rows[0]["last_year_assessments"]) == ("0", "0")  # its register is of 2024
    assert [(r["office"], r["this_year_inspections_required"]) for r in rows] == [("aa", "2"), ("bb", "3")]


def test_each_office_has_a_printable_kaohe_sheet_per_year(built):
    site, _ = built
    page = (site / "supervision/index.html").read_text(encoding="utf-8")
    sheets = sorted(p.name for p in (site / "supervision/kaohe").iterdir())
    assert sheets == ["aa-2024.pdf", "aa-2025.pdf", "aa-2026.pdf", "bb-2024.pdf", "bb-2025.pdf", "bb-2026.pdf"]
    assert all(f'href="kaohe/{name}"' in page for name in sheets)
    path = site / "supervision/kaohe/bb-2026.pdf"
    fonts = {str(font.get_object()["/BaseFont"]) for p in PdfReader(path).pages
             for font in p["/Resources"]["/Font"].values()}
    assert any("CJK" in font for font in fonts), fonts
    text = re.sub(r"\s+", "", pdf_text(path))
    assert "示例县乙测试局" in text and "2026年度政务公开工作考核表" in text
    assert "按期办结1件，超期办结1件，超期未办结1件，办理中1件" in text
    assert all(grade in text for grade in ("□优秀", "□良好", "□合格", "□不合格"))
    overdue = re.sub(r"\s+", "", pdf_text(site / "supervision/kaohe/aa-2026.pdf"))
    assert "所属期间截止2025年12月31日" in overdue and "所属期间截止2026年3月31日" in overdue  # each missed period
    assert "2025年度政府信息公开工作年度报告：未报送" in overdue


def test_a_cached_rebuild_gives_the_same_bytes(built, supervised, tmp_path):
    site, cache = built
    again = tmp_path / "again"
    build(supervised, again, AS_OF, cache=cache)
    first = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []


def test_an_office_whose_rules_turn_the_annual_report_off_owes_none(tmp_path):
    # A 机关党支部 is no administrative organ: its rules turn annual-report-due off, and the 政务公开办 is not shown
    # a missing report for it (aa, without that line, is).
    offices = {"aa": OFFICES["aa"], "dzb": {"rules.yaml": "rules:\n  annual-report-due:\n    severity: off\n"}}
    county = write_county(tmp_path / "content", offices)
    statuses = {}
    for office in offices:
        content, _ = load_content(county / "offices" / office)
        facts = supervision.office_facts(content, AS_OF)
        statuses[office] = next(y["report"]["status"] for y in facts["years"] if y["year"] == AS_OF.year)
    assert statuses == {"aa": annual_report_due.MISSING, "dzb": annual_report_due.NOT_ASKED}


def test_a_formula_in_an_items_title_is_text_in_the_overdue_table(tmp_path):
    """supervision-overdue.csv went out with =HYPERLINK( as it was, which Excel runs; catalog.csv escaped it."""
    formula = '=HYPERLINK("http://evil.example","点击")'
    offices = {"aa": {**OFFICES["aa"], "catalog.yaml": CATALOG + QUARTERLY_ITEM.replace(
        "title: 季度统计数据公开", "title: " + json.dumps(formula, ensure_ascii=False))}}
    root = write_county(tmp_path / "content", offices)
    county, _ = load_county(root)
    content, _ = load_content(root / "offices/aa")
    summary = {"id": "aa", "name": "aa办", "open_notices": [], "supervision": supervision.office_facts(content, AS_OF)}
    files = supervision.render(county, [summary], AS_OF)
    rows = rows_by_name(files["data/supervision-overdue.csv"], supervision._schema(supervision.OVERDUE_FIELDS, [])["fields"])
    assert [row["title"] for row in rows] == ["'" + formula] * 2
