"""Every missed period is reported, a document can say which period it covers, and a new office is not asked for
what came before it."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import CATALOG, NOTICE, OFFICE, SERVICE, catalog_item, notice_text
from generator.checks.check import run_checks
from generator.checks.validate import load_content

D = dt.date.fromisoformat

MONTHLY = CATALOG + catalog_item("caiwu", "财务收支", "月度收支", "制度 四", time_limit="每月", cadence="每月")
CADENCE_LINE = MONTHLY.splitlines().index("    cadence: 每月") + 1


def monthly(number: int, published: str, covers: str | None = None) -> str:
    return notice_text(f"caiwu-{number}", serial=f"2026-{number:05d}", written=published, published=published,
                       catalog="caiwu", covers=covers)


def periodic(root, as_of) -> list[tuple]:
    content, problems = load_content(root)
    assert [str(p) for p in problems if p.severity == "error"] == []
    return sorted((f.severity, f.line, f.message) for f in run_checks(content, as_of) if f.code == "periodic-overdue")


def overdue(month_end: str, due: str) -> tuple:
    return ("error", CADENCE_LINE, f"'财务收支' (每月) is overdue: the information for the period ending {month_end} "
                                   f"was due by {due}; last published 2026年8月31日")


@pytest.mark.parametrize("as_of, expected", [
    (D("2026-10-20"), [overdue("2026年8月31日", "2026年9月28日")]),
    (D("2026-11-05"), [overdue("2026年8月31日", "2026年9月28日"), overdue("2026年9月30日", "2026年11月3日")]),
    (D("2026-11-25"), [overdue("2026年8月31日", "2026年9月28日"), overdue("2026年9月30日", "2026年11月3日"),
                       ("warning", CADENCE_LINE, "'财务收支' (每月) is due by 2026年11月27日 for the period ending 2026年10月31日")]),
])
def test_every_missed_period_is_an_error_naming_the_period_and_its_due_date(office, as_of, expected):
    root = office({"catalog.yaml": MONTHLY, "notices/2026/caiwu-1.md": monthly(1, "2026-08-31")})  # covers July
    assert periodic(root, as_of) == sorted(expected)


def test_a_late_catch_up_report_counts_for_the_month_it_says_it_covers(office):
    root = office({"catalog.yaml": MONTHLY, "notices/2026/caiwu-1.md": monthly(1, "2026-08-31"),
                   "notices/2026/caiwu-2.md": monthly(2, "2026-11-20", covers="2026-08")})
    assert [m for _, _, m in periodic(root, D("2026-11-25"))] == [
        "'财务收支' (每月) is overdue: the information for the period ending 2026年9月30日 was due by 2026年11月3日;"
        " last published 2026年11月20日",
        "'财务收支' (每月) is due by 2026年11月27日 for the period ending 2026年10月31日"]
    # Without `covers`, the same report would count for October, and August would stay unreported.
    root = office({"catalog.yaml": MONTHLY, "notices/2026/caiwu-2.md": monthly(2, "2026-11-20")})
    assert [m.split(":")[1].split(" was")[0] for s, _, m in periodic(root, D("2026-11-25")) if s == "error"] == [
        " the information for the period ending 2026年8月31日", " the information for the period ending 2026年9月30日"]


def test_a_quarter_can_be_covered_at_once(office):
    root = office({"catalog.yaml": MONTHLY, "notices/2026/caiwu-1.md": monthly(1, "2026-08-31"),
                   "notices/2026/caiwu-2.md": monthly(2, "2026-11-20", covers="2026-Q3")})
    assert [s for s, _, _ in periodic(root, D("2026-11-25"))] == ["warning"]


def test_covers_has_a_checked_form(office):
    root = office({"catalog.yaml": MONTHLY, "notices/2026/caiwu-1.md": monthly(1, "2026-08-31", covers="2026年8月")})
    _, findings = load_content(root)
    assert [(f.file, f.line, f.message) for f in findings] == [
        ("notices/2026/caiwu-1.md", 12, "'covers (所属期间)' has the wrong form: '2026年8月'")]


ANNUAL = CATALOG + catalog_item("nianbao", "政府信息公开工作年度报告", "年度报告", "条例 第五十条",
                                time_limit="每年1月31日前", cadence="每年", source="report")


def year_findings(root, as_of):
    content, problems = load_content(root)
    assert [str(p) for p in problems if p.severity == "error"] == []
    return sorted((f.code, f.severity) for f in run_checks(content, as_of)
                  if f.code in ("catalog-coverage", "periodic-overdue", "annual-report-due"))


def test_an_office_that_starts_this_year_is_not_asked_for_last_years_report(office):
    notice = NOTICE.replace("2025-", "2026-").replace("11331082MB1947351Y/2026-00002", "11331082MB1947351Y/2026-00002")
    files = {"catalog.yaml": ANNUAL, "notices/2025/gonggao-1.md": None, "notices/2026/gonggao-1.md": notice,
             "services/shenpi.yaml": SERVICE.replace("published: 2025-01-06", "published: 2026-03-02")}
    # Without a start date the new office gets errors for 2025, a year before it used Gongkai.
    assert year_findings(office(files), D("2026-11-25")) == [("catalog-coverage", "error"), ("periodic-overdue", "error")]
    started = OFFICE.replace("updated: 2025-01-06", "updated: 2025-01-06\napplies_from: 2026-03-01")
    assert year_findings(office({**files, "office.yaml": started}), D("2026-11-25")) == []
    # From the next year on, its first report is owed like any other.
    assert year_findings(office({**files, "office.yaml": started}), D("2027-02-05")) == [
        ("annual-report-due", "error"), ("catalog-coverage", "error"), ("periodic-overdue", "error")]


def test_a_catalog_item_can_start_later_than_the_office(office):
    item = MONTHLY.replace("    cadence: 每月\n", "    cadence: 每月\n    applies_from: 2026-10-01\n")
    root = office({"catalog.yaml": item})
    assert periodic(root, D("2026-11-25")) == [
        ("warning", CADENCE_LINE, "'财务收支' (每月) is due by 2026年11月27日 for the period ending 2026年10月31日")]
    assert [f for f in year_findings(root, D("2026-10-20")) if f[0] != "annual-report-due"] == []
