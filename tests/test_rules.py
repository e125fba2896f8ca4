"""Each disclosure rule, on a tiny fixture office: one case where it fires, one where it does not."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import CATALOG, NOTICE, SERVICE, catalog_item, notice_text
from generator.checks.check import run_checks
from generator.checks.validate import load_content

D = dt.date.fromisoformat
AS_OF = D("2025-10-20")

MAJOR = notice_text("zhongda-1", "重大事项公示", notice_type="重大事项公示", serial="2025-00003", written="2025-09-22",
                    topic="国防", more="approvals:\n  - by: 主任办公会\n    date: 2025-09-24\n", body="""\
## 一、基本情况
## 二、必要性和可行性说明
## 三、统计数据和调查分析
## 四、论证经过
## 五、法律分析意见
## 六、收集反馈信息的渠道
## 七、其他需要公示的内容""")

HEARING = notice_text("tingzheng-1", "听证公告", notice_type="听证公告", serial="2025-00004", written="2025-10-17",
                      published="2025-10-22", topic="国防", period="working_days: 5",
                      more="decision: zhongda-1\nhearing:\n  date: 2025-10-30\n", body="听证会。")

QUARTERLY = CATALOG + catalog_item("tousu", "投诉办理结果", "结果", "反馈制度", time_limit="每季度结束后20个工作日内",
                                   cadence="每季度", source="complaint")

COMPLAINTS = """\
id,received,channel,category,summary,result,closed,published,illustrative
2025-1,2025-05-06,电话,现场协调类,窗口等候时间长。,已协调。,2025-05-06,{published},true
"""


def findings(root, as_of=AS_OF, rule=None):
    content, problems = load_content(root)
    assert [str(p) for p in problems if p.severity == "error"] == []
    return [(f.code, f.severity, f.file, f.line, f.message) for f in run_checks(content, as_of)
            if rule is None or f.code == rule]


def test_the_minimal_office_passes_every_rule(office):
    assert findings(office()) == []


def test_catalog_item_without_content(office):
    extra = CATALOG + CATALOG.split("items:\n")[1].replace("id: jigou", "id: zhidu").split("  - id: xuke")[0].replace("    source: office\n", "")
    root = office({"catalog.yaml": extra})
    assert findings(root, rule="catalog-coverage") == [
        ("catalog-coverage", "error", "catalog.yaml", 33,
         "catalog item 'zhidu' (机构职能) must be disclosed proactively but has no current content")]


def test_catalog_item_filled_by_a_kind_names_that_kind_as_clerks_know_it(office):
    fees_item = CATALOG.split("items:\n")[1].split("  - id: xuke")[0].replace("id: jigou", "id: shoufei").replace(
        "source: office", "source: fee")
    content, _ = load_content(office({"catalog.yaml": CATALOG + fees_item, "fees.csv": None}))
    hints = [f.hint for f in run_checks(content, AS_OF) if f.code == "catalog-coverage"]
    assert hints == ["add the 收费标准 content, or change the item's mode to 依申请公开"]


def test_catalog_item_on_request_needs_no_content(office):
    on_request = CATALOG.replace("""    mode: 主动公开
    cadence: 随时
""", """    mode: 依申请公开
    cadence: 随时
""")
    root = office({"catalog.yaml": on_request, "services/shenpi.yaml": None, "notices/2025/gonggao-1.md": None})
    assert findings(root, rule="catalog-coverage") == []


def test_service_guide_with_a_placeholder(office):
    root = office({"services/shenpi.yaml": SERVICE.replace("person: 综合科科长", "person: 待填写")})
    assert findings(root, rule="service-complete") == [
        ("service-complete", "error", "services/shenpi.yaml", 23, "办理责任人 still holds a placeholder: '待填写'")]


@pytest.mark.parametrize("body, fires", [("公告正文（待填写）。", True), ("具体事项包括：报名、审核……", False),
                                         ("听证地点待定，另行通知。", False)])
def test_a_notice_is_held_back_for_placeholder_text_not_for_an_ellipsis_or_a_statement(office, body, fires):
    root = office({"notices/2025/gonggao-1.md": notice_text(body=body)})
    assert bool(findings(root, rule="draft-text")) == fires


@pytest.mark.parametrize("published, as_of, expected", [
    ("2025-10-15", D("2025-11-20"), []),
    ("", D("2025-10-24"), []),  # due 2025-11-04 (National Day week off): more than 5 working days away
    ("", D("2025-10-29"), [("periodic-overdue", "warning", "catalog.yaml", 42,
                            "'投诉办理结果' (每季度) is due by 2025年11月4日 for the period ending 2025年9月30日")]),
    ("", D("2025-11-05"), [("periodic-overdue", "error", "catalog.yaml", 42,
                            "'投诉办理结果' (每季度) is overdue: the information for the period ending 2025年9月30日 "
                            "was due by 2025年11月4日; last published never")]),
    ("2025-07-10", D("2025-11-05"), [("periodic-overdue", "error", "catalog.yaml", 42,
                                      "'投诉办理结果' (每季度) is overdue: the information for the period ending 2025年9月30日 "
                                      "was due by 2025年11月4日; last published 2025年7月10日")]),
])
def test_periodic_item_overdue(office, published, as_of, expected):
    root = office({"catalog.yaml": QUARTERLY, "registers/complaints.csv": COMPLAINTS.format(published=published)})
    assert findings(root, as_of, rule="periodic-overdue") == expected


@pytest.mark.parametrize("published, late", [("2026-01-29", False), ("2026-01-30", True)])
def test_publication_within_twenty_working_days(office, published, late):
    notice = NOTICE.replace("written: 2025-09-25", "written: 2025-12-31").replace(
        "published: 2025-09-26", f"published: {published}").replace("first_day: 2025-09-26", f"first_day: {published}")
    root = office({"notices/2025/gonggao-1.md": notice})
    expected = [("publish-deadline", "error", "notices/2025/gonggao-1.md", 8,
                 "published 2026年1月30日, 1 working day(s) after the deadline 2026年1月29日 "
                 "(20 working days from written 2025年12月31日)")]
    assert findings(root, D("2026-02-10"), rule="publish-deadline") == (expected if late else [])


@pytest.mark.parametrize("days, fires", [(9, True), (10, False)])
def test_major_decision_runs_ten_working_days(office, days, fires):
    root = office({"notices/2025/zhongda-1.md": MAJOR.replace("working_days: 10", f"working_days: {days}")})
    expected = [("notice-period", "error", "notices/2025/zhongda-1.md", 13,
                 "a major-decision notice must run at least 10 working days (statutory holidays excluded); this one runs 9个工作日")]
    assert findings(root, rule="notice-period") == (expected if fires else [])


@pytest.mark.parametrize("days, fires", [(2, True), (3, False)])
def test_personnel_notice_runs_three_days(office, days, fires):
    personnel = NOTICE.replace("type: 通知公告", "type: 人事公示").replace("  working_days: 10", f"  days: {days}").replace(
        "feedback:", "approvals:\n  - by: 支部书记\n    date: 2025-09-25\nfeedback:")
    root = office({"notices/2025/gonggao-1.md": personnel})
    expected = [("notice-period", "error", "notices/2025/gonggao-1.md", 13, "a 人事公示 must run at least 3 days; this one runs 2")]
    assert findings(root, rule="notice-period") == (expected if fires else [])


def test_notice_cannot_start_before_publication(office):
    root = office({"notices/2025/gonggao-1.md": NOTICE.replace("first_day: 2025-09-26", "first_day: 2025-09-24")})
    assert findings(root, rule="notice-period") == [
        ("notice-period", "error", "notices/2025/gonggao-1.md", 12,
         "the notice starts 2025年9月24日, before it is published (2025年9月26日)")]


def test_major_decision_has_seven_parts(office):
    assert findings(office({"notices/2025/zhongda-1.md": MAJOR}), rule="major-decision-parts") == []
    root = office({"notices/2025/zhongda-1.md": MAJOR.replace("## 五、法律分析意见\n", "")})
    assert findings(root, rule="major-decision-parts") == [
        ("major-decision-parts", "error", "notices/2025/zhongda-1.md", 23, "the major-decision notice lacks part 五、法律分析意见")]


@pytest.mark.parametrize("published, fires", [("2025-10-22", False), ("2025-10-23", True)])
def test_hearing_announced_within_five_working_days(office, published, fires):
    hearing = HEARING.replace("published: 2025-10-22", f"published: {published}").replace(
        "first_day: 2025-10-22", f"first_day: {published}")
    root = office({"notices/2025/zhongda-1.md": MAJOR, "notices/2025/tingzheng-1.md": hearing})
    expected = [("hearing-deadlines", "error", "notices/2025/tingzheng-1.md", 8,
                 "the hearing is announced 2025年10月23日; it was due within 5 working days after the notice ended "
                 "2025年10月15日, by 2025年10月22日")]
    assert findings(root, rule="hearing-deadlines") == (expected if fires else [])


@pytest.mark.parametrize("as_of, expected", [
    (D("2025-10-29"), []),
    (D("2025-11-03"), [("hearing-deadlines", "warning", "notices/2025/tingzheng-1.md", 16, "the 听证报告 is due by 2025年11月6日"),
                       ("hearing-deadlines", "warning", "notices/2025/tingzheng-1.md", 16, "the 意见处理情况反馈 is due by 2025年11月14日")]),
    (D("2025-11-07"), [("hearing-deadlines", "error", "notices/2025/tingzheng-1.md", 16,
                        "the 听证报告 was due by 2025年11月6日 (7 days after the hearing) and is not recorded"),
                       ("hearing-deadlines", "warning", "notices/2025/tingzheng-1.md", 16, "the 意见处理情况反馈 is due by 2025年11月14日")]),
])
def test_hearing_report_and_feedback_deadlines(office, as_of, expected):
    root = office({"notices/2025/zhongda-1.md": MAJOR, "notices/2025/tingzheng-1.md": HEARING})
    assert sorted(findings(root, as_of, rule="hearing-deadlines")) == sorted(expected)


def test_pledged_limit_longer_than_statutory(office):
    root = office({"services/shenpi.yaml": SERVICE.replace("pledged: 2", "pledged: 25")})
    assert findings(root, rule="pledge-consistency") == [
        ("pledge-consistency", "error", "services/shenpi.yaml", 18,
         "the pledged limit (25 working days) is longer than the statutory one (20)")]


PLEDGES = """\
title: 服务承诺
catalog: [jigou]
published: 2025-01-06
commitments:
  - id: shouwen
    title: 首问责任制
    text: [首问负责。]
time_limits:
  - services: [shenpi]
    working_days: {days}
    condition: 资料齐全
discipline: [廉洁。]
"""


@pytest.mark.parametrize("days, fires", [(2, False), (3, True)])
def test_pledge_and_guide_agree(office, days, fires):
    root = office({"pledges.yaml": PLEDGES.replace("{days}", str(days))})
    expected = [("pledge-consistency", "error", "services/shenpi.yaml", 18,
                 "the guide pledges 2 working days but the service pledge (pledges.yaml:10) says 3")]
    assert findings(root, rule="pledge-consistency") == (expected if fires else [])


def test_inspections_twice_a_year_and_assessment_once(office):
    assert findings(office(), D("2025-06-01"), rule="inspection-frequency") == []
    root = office({"registers/inspections.csv": "id,date,type,scope,result,illustrative\n2024-1,2024-06-10,监督检查,全办,无问题,true\n"})
    assert findings(root, D("2025-06-01"), rule="inspection-frequency") == [
        ("inspection-frequency", "error", "registers/inspections.csv", 1, "2024: 0 考核 recorded, at least 1 required"),
        ("inspection-frequency", "error", "registers/inspections.csv", 1, "2024: 1 监督检查 recorded, at least 2 required")]


def test_notices_that_need_approval_carry_it_before_publication(office):
    assert findings(office({"notices/2025/zhongda-1.md": MAJOR}), rule="approvals") == []
    missing = MAJOR.replace("approvals:\n  - by: 主任办公会\n    date: 2025-09-24\n", "")
    assert findings(office({"notices/2025/zhongda-1.md": missing}), rule="approvals") == [
        ("approvals", "error", "notices/2025/zhongda-1.md", 4, "a 重大事项公示 needs a recorded approval before it is public")]
    late = MAJOR.replace("date: 2025-09-24", "date: 2025-09-27")
    assert findings(office({"notices/2025/zhongda-1.md": late}), rule="approvals") == [
        ("approvals", "error", "notices/2025/zhongda-1.md", 15, "approved 2025年9月27日, after publication on 2025年9月26日")]
    # The advice names the bodies this office's rules.yaml allows, not the default's example.
    bureau = office({"notices/2025/zhongda-1.md": missing,
                     "rules.yaml": "rules:\n  approvals:\n    approvers:\n      重大事项公示: [局长办公会]\n"})
    hints = [f.hint for f in run_checks(load_content(bureau)[0], AS_OF) if f.code == "approvals"]
    assert hints == ["add approvals: the approval of 局长办公会, with its date"]


def test_period_into_an_unknown_year_warns_and_a_declared_year_silences_it(office):
    late_december = NOTICE.replace("2025-09-26", "2026-12-28").replace("2025-09-25", "2026-12-25")
    root = office({"notices/2025/gonggao-1.md": late_december})
    assert ("calendar-unknown-year", "warning", "notices/2025/gonggao-1.md", 13,
            "the dates 2026-12-28 to 2027-01-08 run into 2027, whose official holidays are not known yet;"
            " Monday to Friday were counted as working days") in findings(root, D("2026-12-20"))
    root = office({"calendar/2027.yaml": "year: 2027\nsource: 通知\nholidays: [2027-01-01]\nworkdays: []\n"})
    assert [f for f in findings(root, D("2026-12-20")) if f[0] == "calendar-unknown-year"] == []


def test_rules_file_overrides_parameters_and_reports_unknown_rules(office):
    major = {"notices/2025/zhongda-1.md": MAJOR}
    root = office({**major, "rules.yaml": "rules:\n  notice-period:\n    major_decision_working_days: 12\n"})
    assert [f[4][:45] for f in findings(root, rule="notice-period")] == ["a major-decision notice must run at least 12 "]
    root = office({**major, "rules.yaml": "rules:\n  notice-period:\n    severity: off\n"})
    assert findings(root, rule="notice-period") == []


@pytest.mark.parametrize("rules, expected", [
    ("  notice-periods:\n    severity: off\n", "rules.yaml:2: unknown field 'notice-periods' in rules (规则) — did you mean 'notice-period'?"),
    ("  notice-period:\n    major_decision_workingdays: 12\n",
     "rules.yaml:3: unknown field 'major_decision_workingdays' in rules.notice-period (公示期) — did you mean 'major_decision_working_days'?"),
    ("  notice-period:\n    major_decision_working_days: 十二\n",
     "rules.yaml:3: 'rules.notice-period.major_decision_working_days' should be a whole number, not text ('十二') — write it"
     " as shown in the content guide"),
    ("  approvals:\n    approvers:\n      重大事项公示: 主任办公会\n",
     "rules.yaml:4: 'rules.approvals.approvers.重大事项公示' should be a list, not text ('主任办公会') — write it as shown in"
     " the content guide"),
])
def test_validate_catches_a_misspelt_rule_a_wrong_parameter_or_a_wrong_type(office, rules, expected):
    _, problems = load_content(office({"rules.yaml": "rules:\n" + rules}))
    assert [str(p) for p in problems] == [expected]


def test_the_approval_must_come_from_the_body_the_rules_name(office):
    someone = MAJOR.replace("by: 主任办公会", "by: 某某")
    assert findings(office({"notices/2025/zhongda-1.md": someone}), rule="approvals") == [
        ("approvals", "error", "notices/2025/zhongda-1.md", 15,
         "approved by 某某, but a 重大事项公示 is approved by 主任办公会")]
    assert findings(office({"notices/2025/zhongda-1.md": MAJOR}), rule="approvals") == []
    # An office whose rules name its leading group for major decisions instead.
    rules = "rules:\n  approvals:\n    approvers:\n      重大事项公示: [领导小组]\n"
    root = office({"notices/2025/zhongda-1.md": MAJOR.replace("by: 主任办公会", "by: 政务公开领导小组"), "rules.yaml": rules})
    assert findings(root, rule="approvals") == []


REQUESTS = "id,received,applicant,outcome,answered,extended,illustrative\n{row}\n"


@pytest.mark.parametrize("row, as_of, expected", [
    # received Monday 2025-09-01: the 20th working day is Sunday 2025-09-28, a working day before National Day
    ("1,2025-09-01,自然人,,,,true", "2025-09-26", []),
    ("1,2025-09-01,自然人,,,,true", "2025-09-29",
     [("error", "request 1 received 2025年9月1日 was due to be answered by 2025年9月28日 (20 working days), and has no"
                " answer")]),
    # extended on 2025-09-20, within the first period: 20 more working days, over the National Day holiday
    ("1,2025-09-01,自然人,,,2025-09-20,true", "2025-10-20", []),
    ("1,2025-09-01,自然人,,,2025-09-20,true", "2025-11-03",
     [("error", "request 1 received 2025年9月1日 was due to be answered by 2025年10月31日 (20 working days, extended by"
                " 20), and has no answer")]),
    ("1,2025-09-01,自然人,予以公开,2025-10-09,,true", "2025-11-03",
     [("warning", "request 1 was answered 2025年10月9日, after its deadline 2025年9月28日 (20 working days)")]),
    ("1,2025-09-01,自然人,予以公开,2025-09-25,,true", "2025-11-03", []),
])
def test_a_request_is_answered_within_twenty_working_days_or_forty_when_extended(office, row, as_of, expected):
    root = office({"registers/requests.csv": REQUESTS.format(row=row)})
    found = findings(root, D(as_of), "request-deadline")
    assert [(severity, message) for _code, severity, _file, _line, message in found] == expected
    assert all(line == 2 for *_rest, line, _message in found)
