"""The annual report: every cell counted from the registers, inconsistencies refused, the example built."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPORT
from generator.content.annual_report import compute, consistency
from generator.checks.check import run_checks
from generator.checks.validate import load_content

ROOT = Path(__file__).resolve().parent.parent

REQUESTS = """\
id,received,applicant,outcome,answered,extended,illustrative
2024-9,2024-12-28,自然人,予以公开,2025-01-06,,true
2024-8,2024-12-30,科研机构,,,,true
2024-7,2024-11-02,自然人,予以公开,2024-11-20,,true
2025-1,2025-01-08,自然人,部分公开,2025-01-30,,true
2025-2,2025-02-10,商业企业,不予公开/属于国家秘密,2025-02-28,,true
2025-3,2025-03-12,商业企业,无法提供/本机关不掌握相关政府信息,2025-03-20,,true
2025-4,2025-06-01,其他,其他处理/其他,2025-06-20,,true
2025-5,2025-12-29,自然人,,,,true
2026-1,2026-01-05,自然人,予以公开,2026-01-09,,true
"""
REVIEWS = """\
id,kind,filed,result,closed,illustrative
r1,行政复议,2025-03-01,结果纠正,2025-04-01,true
r2,行政复议,2025-11-01,结果维持,2026-01-10,true
r3,行政诉讼（复议后起诉）,2025-05-01,其他结果,2025-09-01,true
r4,行政诉讼（未经复议直接起诉）,2024-05-01,结果维持,2024-09-01,true
"""
DECISIONS = """\
id,date,kind,service,illustrative
d1,2025-02-01,行政许可,shenpi,true
d2,2025-03-01,行政许可,shenpi,true
d3,2025-04-01,行政处罚,,true
d4,2024-04-01,行政许可,shenpi,true
"""
FEES = ("id,name,unit,amount,basis,approved_by,effective,published,note,illustrative\n"
        "gongben,工本费,元/本,5,浙价费〔2016〕1号,浙江省物价局,2016-12-01,2017-01-01,,true\n")
INCOME = "id,date,fee,amount,illustrative\ni1,2025-05-01,gongben,12345,true\ni2,2025-06-01,gongben,655,true\ni3,2024-06-01,gongben,999,true\n"
NORMATIVE = """\
---
id: {id}
title: 规范性文件{id}
index_no: 11331082MB1947351Y/{serial}
issuer: 示例县测试办公室
written: {published}
published: {published}
topic: 综合政务
mode: 主动公开
catalog: gonggao
category: 行政规范性文件
validity:
{validity}
---

条文。
"""


def registers(office, **overrides):
    files = {"registers/requests.csv": REQUESTS, "registers/reviews.csv": REVIEWS, "registers/decisions.csv": DECISIONS,
             "fees.csv": FEES, "registers/income.csv": INCOME,
             "regulations/g1.md": NORMATIVE.format(id="g1", serial="2024-00011", published="2024-03-01",
                                                  validity="  status: 废止\n  since: 2025-06-30"),
             "regulations/g2.md": NORMATIVE.format(id="g2", serial="2025-00011", published="2025-07-01",
                                                  validity="  status: 有效"),
             "regulations/g3.md": NORMATIVE.format(id="g3", serial="2025-00012", published="2025-08-01",
                                                  validity="  status: 有效")}
    files.update(overrides)
    content, findings = load_content(office(files))
    assert [str(f) for f in findings if f.severity == "error"] == []
    return content


def test_every_table_cell_is_counted_from_the_registers(office):
    report = compute(registers(office), 2025)
    assert report.documents == {"规章": (0, 0, 0), "行政规范性文件": (2, 1, 2)}
    assert report.decisions == {"行政许可": 2, "行政处罚": 1, "行政强制": 0}
    assert report.fees_wan_yuan == 1.3
    total, person, company, research = (report.requests[k] for k in ("总计", "自然人", "商业企业", "科研机构"))
    assert (total.new, total.carried_over, total.handled, total.carried_forward) == (5, 2, 5, 2)
    assert (person.new, person.carried_over, person.handled, person.carried_forward) == (2, 1, 2, 1)
    assert dict(person.outcomes) == {"予以公开": 1, "部分公开": 1}
    assert dict(company.outcomes) == {"不予公开/属于国家秘密": 1, "无法提供/本机关不掌握相关政府信息": 1}
    assert (research.carried_over, research.carried_forward) == (1, 1)
    assert report.requests["其他"].outcomes["其他处理/其他"] == 1
    for column in report.requests.values():
        assert column.new + column.carried_over == column.handled + column.carried_forward
    assert report.reviews["行政复议"] == {"结果维持": 0, "结果纠正": 1, "其他结果": 0, "尚未审结": 1, "总计": 2}
    assert report.reviews["行政诉讼（复议后起诉）"]["其他结果"] == 1
    assert report.reviews["行政诉讼（未经复议直接起诉）"]["总计"] == 0


def test_a_request_in_two_outcomes_is_an_error(office):
    twice = REQUESTS + "2025-3,2025-03-12,商业企业,予以公开,2025-03-25,,true\n"
    _, findings = load_content(office({"registers/requests.csv": twice}))
    assert [str(f) for f in findings] == [
        "registers/requests.csv:11: column 'id (申请编号)' value '2025-3' is used by an earlier row too"
        " — give each row its own value in this column"]


def test_an_outcome_without_its_date_is_an_error(office):
    content = registers(office, **{"registers/requests.csv": REQUESTS.replace("2025-4,2025-06-01,其他,其他处理/其他,2025-06-20",
                                                                              "2025-4,2025-06-01,其他,其他处理/其他,")})
    assert [f.message for f in consistency(content, 2025)] == ["request 2025-4 has an outcome but no answer date"]


def report(person: int) -> str:
    """The 2025 report, saying how many requests of 自然人 2024 carried over into it."""
    return REPORT.replace("catalog: gonggao\n", f"catalog: gonggao\ncarried_over:\n  自然人: {person}\n")


@pytest.mark.parametrize("person, problem", [(1, None), (3, "last year's report carried 3 自然人 request(s) forward, "
                                                           "but the register has 1 open at the start of 2025")])
def test_carried_over_numbers_must_match_last_years_report(office, person, problem):
    content = registers(office, **{"reports/2025.md": report(person)})
    findings = [(f.file, f.line, f.message) for f in run_checks(content, dt.date(2026, 2, 1)) if f.code == "report-consistency"]
    assert findings == ([("reports/2025.md", 13, problem)] if problem else [])


@pytest.mark.parametrize("as_of, expected", [
    (dt.date(2025, 12, 31), [("error", "the 2024 annual report was due by 2025年1月31日")]),
    (dt.date(2026, 1, 10), [("warning", "the 2025 annual report is due by 2026年1月31日")]),
    (dt.date(2026, 2, 1), [("error", "the 2025 annual report was due by 2026年1月31日")]),
])
def test_the_previous_years_report_is_due_by_31_january(office, as_of, expected):
    content = registers(office)
    assert [(f.severity, f.message) for f in run_checks(content, as_of) if f.code == "annual-report-due"] == expected
    published = registers(office, **{"reports/2025.md": report(1)})
    assert [f for f in run_checks(published, dt.date(2026, 2, 1)) if f.code == "annual-report-due"] == []


def test_report_command_prints_the_tables_with_the_formats_labels():
    result = subprocess.run([sys.executable, "-m", "generator", "report", "content/offices/rfb", "--year", "2025"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "| 一、本年新收政府信息公开申请数量 | 4 | 3 | 0 | 0 | 1 | 0 | 8 |" in result.stdout
    assert "| 四、结转下年度继续办理 | 0 | 1 | 0 | 0 | 0 | 0 | 1 |" in result.stdout
    assert "| 行政事业性收费 | 52.80 |" in result.stdout


def test_the_example_report_is_on_the_site_and_printable(tmp_path):
    from site_support import build_example

    site = build_example(tmp_path / "site")
    page = (site / "reports/2025/index.html").read_text(encoding="utf-8")
    assert "临海市人民防空办公室2025年政府信息公开工作年度报告" in page and "本年收费金额（单位：万元）" in page
    text = subprocess.run(["pdftotext", str(site / "reports/2025.pdf"), "-"], capture_output=True, text=True).stdout
    assert "三、收到和处理政府信息公开申请情况" in "".join(text.split())
    assert (site / "data/annual-report-2025.csv").exists()
