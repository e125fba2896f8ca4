"""Rules that say what the 党务政务公开工作制度 says, on a tiny 机关党支部: a minimum period per catalog item, the
bodies that must each approve (书记审核, 重要事项支委会审批), and cadences the regulation fixes."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import CATALOG, catalog_item, notice_text
from generator.checks.check import catalog_schedules, run_checks
from generator.tools.scaffold import new_notice
from generator.checks.validate import load_content
from generator.content.workdays import WorkCalendar

AS_OF = dt.date(2025, 10, 20)

PARTY_ITEMS = (catalog_item("dangjian", "机关党建工作情况", "目标, 考评", "党务政务公开工作制度 二", channels="网站, 公开栏")
               + catalog_item("dangfei", "党费收缴情况", "收缴", "党务政务公开工作制度 二、五", time_limit="每季度结束后",
                              channels="网站, 公开栏", cadence="每季度", applies_from="2025-07-01", needs_approval="true"))


def party_notice(number: int, *, catalog: str = "dangjian", notice_type: str = "党务公开", days: int = 7,
                 approvals: tuple[tuple[str, str], ...] = (("支部书记", "2025-09-25"),), covers: str | None = None) -> str:
    recorded = "".join(f"  - by: {by}\n    date: {date}\n" for by, date in approvals)
    return notice_text(f"dangwu-{number}", notice_type=notice_type, serial=f"2025-{number + 10:05d}", catalog=catalog,
                       covers=covers, period=f"days: {days}", more=("approvals:\n" + recorded) if approvals else "")


@pytest.fixture
def branch(office):
    """The minimal office with the branch's two catalog items, its rules and only the notices given."""

    def make(rules: str = "", notices: dict[str, str] | None = None, catalog: str = PARTY_ITEMS):
        files = {"catalog.yaml": CATALOG + catalog, "notices/2025/gonggao-1.md": None, **(notices or {})}
        if rules:
            files["rules.yaml"] = "rules:\n" + rules
        return office(files)

    return make


def findings(root, rule, as_of=AS_OF):
    content, problems = load_content(root)
    assert [str(p) for p in problems if p.severity == "error"] == []
    return [(f.file, f.line, f.message) for f in run_checks(content, as_of) if f.code == rule]


def problems(root):
    return [str(p) for p in load_content(root)[1]]


NOTICE_1 = "notices/2025/dangwu-1.md"

# --- a minimum period per catalog item ----------------------------------------------------------------------

WEEK_FOR_PARTY_WORK = "  notice-period:\n    days_by_type:\n      党务公开: 3\n    days_by_item:\n      dangjian: 7\n"


@pytest.mark.parametrize("notice_type", ["党务公开", "通知公告"])
def test_the_items_minimum_covers_every_notice_under_it_whatever_its_type(branch, notice_type):
    short = {NOTICE_1: party_notice(1, notice_type=notice_type, days=5)}
    assert findings(branch(WEEK_FOR_PARTY_WORK, short), "notice-period") == [
        (NOTICE_1, 13, "every notice under catalog item '机关党建工作情况' must run at least 7 days; this one runs 5")]
    week = {NOTICE_1: party_notice(1, notice_type=notice_type, days=7)}
    assert findings(branch(WEEK_FOR_PARTY_WORK, week), "notice-period") == []


def test_a_notice_under_another_item_keeps_its_types_minimum(branch):
    # A 公示 (three days, by type) under the quarterly item, which the rules give no minimum of its own.
    notices = {NOTICE_1: party_notice(1, catalog="dangfei", days=3, approvals=(("支委会", "2025-09-25"),))}
    assert findings(branch(WEEK_FOR_PARTY_WORK, notices), "notice-period") == []
    notices = {NOTICE_1: party_notice(1, catalog="dangfei", days=2, approvals=(("支委会", "2025-09-25"),))}
    assert findings(branch(WEEK_FOR_PARTY_WORK, notices), "notice-period") == [
        (NOTICE_1, 13, "a 党务公开 must run at least 3 days; this one runs 2")]


def test_the_longer_of_the_type_and_item_minimum_is_judged(branch):
    rules = "  notice-period:\n    days_by_type:\n      党务公开: 10\n    days_by_item:\n      dangjian: 7\n"
    assert findings(branch(rules, {NOTICE_1: party_notice(1, days=8)}), "notice-period") == [
        (NOTICE_1, 13, "a 党务公开 must run at least 10 days; this one runs 8")]


def test_a_misspelt_catalog_item_in_the_rules_is_reported_at_its_line(branch):
    rules = "  notice-period:\n    days_by_item:\n      dangjain: 7\n"
    assert findings(branch(rules), "notice-period") == [
        ("rules.yaml", 4, "rule 'notice-period' names catalog item 'dangjain' in days_by_item, but catalog.yaml has no"
                          " such item")]


def test_new_notice_takes_the_items_minimum(branch):
    root = branch(WEEK_FOR_PARTY_WORK)
    content, _ = load_content(root)
    written = new_notice(content, WorkCalendar.from_content(content), "党建工作目标", "党务公开", dt.date(2025, 10, 9),
                         dt.date(2025, 10, 9), catalog="dangjian")
    assert "  days: 7\n" in written.text
    written = new_notice(content, WorkCalendar.from_content(content), "党费", "党务公开", dt.date(2025, 10, 9),
                         dt.date(2025, 10, 9), catalog="dangfei")
    assert "  days: 3\n" in written.text


# --- who must approve ---------------------------------------------------------------------------------------

SECRETARY_AND_COMMITTEE = "  approvals:\n    required: [书记]\n    required_if_needs_approval: [支委会]\n"


def test_the_secretary_reviews_every_notice_and_the_committee_approves_the_important_ones(branch):
    both = (("支部书记", "2025-09-24"), ("支委会", "2025-09-25"))
    clean = {NOTICE_1: party_notice(1), "notices/2025/dangwu-2.md": party_notice(2, catalog="dangfei", approvals=both)}
    assert findings(branch(SECRETARY_AND_COMMITTEE, clean), "approvals") == []

    # The important item approved by the secretary only; the other notice by the committee only.
    planted = {NOTICE_1: party_notice(1, approvals=(("支委会", "2025-09-25"),)),
               "notices/2025/dangwu-2.md": party_notice(2, catalog="dangfei")}
    assert findings(branch(SECRETARY_AND_COMMITTEE, planted), "approvals") == [
        (NOTICE_1, 15, "no approval by 书记 is recorded; the rules require it for every notice"),
        ("notices/2025/dangwu-2.md", 15, "no approval by 支委会 is recorded; the rules require it for every notice"
                                         " under '党费收缴情况', an item that needs approval"),
    ]


def test_each_required_approval_comes_before_publication(branch):
    late = {NOTICE_1: party_notice(1, catalog="dangfei", approvals=(("支部书记", "2025-09-24"), ("支委会", "2025-09-27")))}
    assert findings(branch(SECRETARY_AND_COMMITTEE, late), "approvals") == [
        (NOTICE_1, 15, "approved by 支委会 2025年9月27日, after publication on 2025年9月26日")]


@pytest.mark.parametrize("by", ["副书记", "支部副书记", "组织委员"])
def test_a_deputy_or_another_member_is_not_the_body_the_rules_name(branch, by):
    # 书记审核: a deputy's or a committee member's signature is recorded, but the secretary has not reviewed it.
    planted = {NOTICE_1: party_notice(1, approvals=((by, "2025-09-25"),))}
    assert findings(branch(SECRETARY_AND_COMMITTEE, planted), "approvals") == [
        (NOTICE_1, 15, f"approved by {by}, but a 党务公开 is approved by 书记 or 支委会 or 领导小组")]


def test_a_notice_type_outside_the_default_approvers_needs_the_required_body_too(office):
    # An ordinary 通知公告 needs no approval by default; an office whose rules require the 书记 for every notice
    # is told that one without any approval is not ready.
    root = office({"rules.yaml": "rules:\n  approvals:\n    required: [书记]\n"})
    assert findings(root, "approvals") == [
        ("notices/2025/gonggao-1.md", 4, "a 通知公告 needs a recorded approval before it is public")]
    assert findings(office({"rules.yaml": "rules:\n  approvals:\n    required: []\n"}), "approvals") == []


def test_bodies_required_by_notice_type_and_by_catalog_item(branch):
    rules = "  approvals:\n    required_by_type:\n      人事公示: [支委会]\n    required_by_item:\n      dangjian: [领导小组]\n"
    personnel = {NOTICE_1: party_notice(1, catalog="gonggao", notice_type="人事公示", days=5)}
    assert findings(branch(rules, personnel), "approvals") == [
        (NOTICE_1, 15, "no approval by 支委会 is recorded; the rules require it for every 人事公示")]
    work = {NOTICE_1: party_notice(1)}
    assert findings(branch(rules, work), "approvals") == [
        (NOTICE_1, 15, "no approval by 领导小组 is recorded; the rules require it for every notice under '机关党建工作情况'")]
    led = {NOTICE_1: party_notice(1, approvals=(("机关党建工作领导小组", "2025-09-25"),))}
    assert findings(branch(rules, led), "approvals") == []


# --- cadences -----------------------------------------------------------------------------------------------

def test_the_catalog_may_not_disclose_less_often_than_the_rules_require(branch):
    rules = "  periodic-overdue:\n    cadence_by_item:\n      dangfei: 每季度\n"
    quarterly = {"notices/2025/dangwu-2.md": party_notice(2, catalog="dangfei", covers="2025-Q3")}
    assert findings(branch(rules, quarterly), "periodic-overdue") == []
    monthly = PARTY_ITEMS.replace("cadence: 每季度", "cadence: 每月")
    assert findings(branch(rules, quarterly, monthly), "periodic-overdue", dt.date(2025, 8, 1)) == []
    yearly = PARTY_ITEMS.replace("cadence: 每季度", "cadence: 每年")
    assert findings(branch(rules, quarterly, yearly), "periodic-overdue") == [
        ("catalog.yaml", 52, "'党费收缴情况' is disclosed 每年, but the rules require it 每季度")]
    ad_hoc = PARTY_ITEMS.replace("cadence: 每季度", "cadence: 随时")
    assert findings(branch(rules, quarterly, ad_hoc), "periodic-overdue") == [
        ("catalog.yaml", 52, "'党费收缴情况' is disclosed 随时, but the rules require it 每季度")]


def test_a_grace_per_cadence_moves_the_due_date_the_check_and_the_pages_use(branch):
    # The third quarter ends 2025-09-30; the National Day holiday runs 10-01 to 10-08, 10-11 is worked.
    root = branch()
    assert findings(root, "periodic-overdue") == []
    [due] = [s.due for item, s in catalog_schedules(load_content(root)[0], AS_OF) if item.id == "dangfei"]
    assert due > AS_OF
    root = branch("  periodic-overdue:\n    grace_by_cadence:\n      每季度: 5\n")
    assert findings(root, "periodic-overdue") == [
        ("catalog.yaml", 52, "'党费收缴情况' (每季度) is overdue: the information for the period ending 2025年9月30日 was"
                             " due by 2025年10月14日; last published never")]
    [due] = [s.due for item, s in catalog_schedules(load_content(root)[0], AS_OF) if item.id == "dangfei"]
    assert due == dt.date(2025, 10, 14)


# --- every parameter is validated by its schema -------------------------------------------------------------

@pytest.mark.parametrize("rules, expected", [
    ("  notice-period:\n    days_by_type:\n      人事公式: 3\n",
     "rules.yaml:4: unknown field '人事公式' in rules.notice-period.days_by_type — did you mean '人事公示'?"),
    ("  notice-period:\n    days_by_item:\n      dangjian: 一周\n",
     "rules.yaml:4: 'rules.notice-period.days_by_item.dangjian' should be a whole number, not text ('一周') — write it"
     " as shown in the content guide"),
    ("  approvals:\n    required: 书记\n",
     "rules.yaml:3: 'rules.approvals.required' should be a list, not text ('书记') — write it as shown in the content"
     " guide"),
    ("  approvals:\n    required_if_needs_aproval: [支委会]\n",
     "rules.yaml:3: unknown field 'required_if_needs_aproval' in rules.approvals (公开前审核审批) — did you mean"
     " 'required_if_needs_approval'?"),
    ("  periodic-overdue:\n    cadence_by_item:\n      dangfei: 每季\n",
     "rules.yaml:4: 'rules.periodic-overdue.cadence_by_item.dangfei' is '每季', which is not allowed — did you mean '每季度'?"),
    ("  periodic-overdue:\n    grace_by_cadence:\n      季度: 5\n",
     "rules.yaml:4: unknown field '季度' in rules.periodic-overdue.grace_by_cadence — did you mean '每季度'?"),
])
def test_validate_catches_a_misspelt_parameter_at_its_line(branch, rules, expected):
    assert problems(branch(rules)) == [expected]
