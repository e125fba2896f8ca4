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
