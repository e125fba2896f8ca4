"""The working-day calendar against the official State Council calendar, make-up days included."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.schedule import Period
from generator.content.workdays import DeclaredYear, WorkCalendar

D = dt.date.fromisoformat


@pytest.mark.parametrize("first_day, working_days, last_day", [
    ("2025-09-26", 10, "2025-10-15"),  # National Day week off, Sunday 9-28 and Saturday 10-11 worked
    ("2026-02-13", 10, "2026-03-04"),  # Spring Festival 2-15..2-23, make-up days 2-14 and 2-28
    ("2025-01-02", 1, "2025-01-02"),
    ("2025-10-01", 1, "2025-10-09"),   # a period may start on a holiday: it begins at the first working day
    ("2025-09-28", 1, "2025-09-28"),   # a make-up Sunday is a working day
])
def test_notice_periods_on_the_official_calendar(first_day, working_days, last_day):
    assert WorkCalendar().period_end(D(first_day), working_days) == D(last_day)


def test_legal_deadline_does_not_count_the_first_day():
    calendar = WorkCalendar()
    assert calendar.add_working_days(D("2025-12-31"), 20) == D("2026-01-29")
    assert calendar.add_working_days(D("2025-09-26"), 1) == D("2025-09-28")


def test_printed_period_says_both_ends_and_the_count():
    period = Period(D("2025-09-26"), WorkCalendar().period_end(D("2025-09-26"), 10), 10, "个工作日")
    assert period.text == "自 2025年9月26日 至 2025年10月15日，共10个工作日"
    assert [period.status(D(d)) for d in ("2025-09-25", "2025-09-26", "2025-10-15", "2025-10-16")] == [
        "即将公示", "正在公示", "正在公示", "已结束"]


def test_unknown_year_is_counted_mon_to_fri_and_remembered():
    calendar = WorkCalendar()
    assert calendar.period_end(D("2026-12-28"), 10) == D("2027-01-08")
    assert calendar.unknown_years == {2027}
    assert calendar.unknown_between(D("2026-12-28"), D("2027-01-08")) == [2027]


def test_a_declared_year_is_used_instead_of_guessing():
    declared = DeclaredYear(frozenset({D("2027-01-01"), D("2027-01-04")}), frozenset({D("2027-01-09")}), "calendar/2027.yaml")
    calendar = WorkCalendar({2027: declared})
    # 12-28..12-31 (4), then 1-1 and 1-4 are holidays, Saturday 1-9 is worked
    assert calendar.period_end(D("2026-12-28"), 10) == D("2027-01-11")
    assert calendar.is_workday(D("2027-01-09"))
    assert calendar.unknown_years == set()
    assert calendar.unknown_between(D("2026-12-28"), D("2027-01-11")) == []


dates = st.dates(min_value=D("2004-01-01"), max_value=D("2026-11-30"))


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=40))
def test_adding_and_counting_working_days_agree(start, n):
    calendar = WorkCalendar()
    end = calendar.add_working_days(start, n)
    assert calendar.working_days_after(start, end) == n
    assert calendar.is_workday(end)
    assert calendar.working_days_after(start, end - dt.timedelta(days=1)) == n - 1


@settings(max_examples=200, deadline=None)
@given(first=dates, n=st.integers(min_value=1, max_value=40))
def test_a_period_holds_exactly_its_working_days(first, n):
    calendar = WorkCalendar()
    last = calendar.period_end(first, n)
    assert calendar.is_workday(last)
    assert calendar.working_days_after(first - dt.timedelta(days=1), last) == n
