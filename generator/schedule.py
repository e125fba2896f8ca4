"""Dates the checks enforce and the pages print, computed in one place.

A notice's period, its status on a given day and the sentence that prints
it all come from here, so the website, the posters and the checks can never
disagree about when a notice ends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .records import as_date
from .workdays import WorkCalendar

UPCOMING, OPEN, ENDED = "即将公示", "正在公示", "已结束"


def cn_date(value) -> str:
    day = as_date(value)
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Period:
    first_day: dt.date
    last_day: dt.date
    length: int
    unit: str  # "个工作日" or "天"

    @property
    def text(self) -> str:
        return f"自 {cn_date(self.first_day)} 至 {cn_date(self.last_day)}，共{self.length}{self.unit}"

    def status(self, as_of: dt.date) -> str:
        if as_of < self.first_day:
            return UPCOMING
        return OPEN if as_of <= self.last_day else ENDED


def notice_period(notice, calendar: WorkCalendar) -> Period:
    if notice.working_days:
        last = calendar.period_end(notice.first_day, notice.working_days)
        return Period(notice.first_day, last, notice.working_days, "个工作日")
    days = notice.calendar_days
    return Period(notice.first_day, notice.first_day + dt.timedelta(days=days - 1), days, "天")


# --- periodic disclosure -----------------------------------------------------

CADENCE_MONTHS = {"每月": 1, "每季度": 3, "每半年": 6, "每年": 12}
ON_TIME, DUE, OVERDUE, NOT_PERIODIC, NOTHING_YET = "按时", "待公开", "逾期", "随时或逐段", "尚未公开"


def last_period_end(as_of: dt.date, months: int) -> dt.date:
    """The last day of the most recent complete period (periods aligned to the calendar year)."""
    month_index = (as_of.year * 12 + as_of.month - 1) // months * months
    current_start = dt.date(month_index // 12, month_index % 12 + 1, 1)
    return current_start - dt.timedelta(days=1)


def next_period_end(period_end: dt.date, months: int) -> dt.date:
    month_index = period_end.year * 12 + period_end.month - 1 + months + 1
    return dt.date(month_index // 12, month_index % 12 + 1, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class ItemSchedule:
    """Where one catalog item stands on a day: the dates the checks judge and the pages print."""

    last_published: dt.date | None
    period_end: dt.date | None  # the period whose information is owed
    due: dt.date | None
    status: str


def covered_period_end(record, months: int) -> dt.date:
    """The end of the period a record discloses.

    A record published after a period reports on the period that ended
    last before its publication; an event record (an inspection held) belongs
    to the period it happened in.
    """
    if record.event_date:
        return next_period_end(last_period_end(record.event_date, months), months)
    return last_period_end(record.published, months)


def item_schedule(item, records, calendar: WorkCalendar, as_of: dt.date, grace_working_days: int) -> ItemSchedule:
    records = [r for r in records if r.published and r.published <= as_of]
    last = max((r.published for r in records), default=None)
    months = CADENCE_MONTHS.get(item.cadence)
    if months is None:
        return ItemSchedule(last, None, None, NOT_PERIODIC if last else NOTHING_YET)
    period_end = last_period_end(as_of, months)
    covered = max((covered_period_end(r, months) for r in records), default=None)
    if covered and covered >= period_end:  # the last complete period is disclosed: the next one is owed
        next_end = next_period_end(period_end, months)
        return ItemSchedule(last, next_end, calendar.add_working_days(next_end, grace_working_days), ON_TIME)
    due = calendar.add_working_days(period_end, grace_working_days)
    return ItemSchedule(last, period_end, due, DUE if as_of <= due else OVERDUE)
