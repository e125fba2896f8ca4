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

    @property
    def removal(self) -> dt.date:
        """The day the notice's sheet comes off the board."""
        return self.last_day + dt.timedelta(days=1)

    def takedown(self, calendar: WorkCalendar) -> dt.date:
        """The working day the sheet actually comes down: the removal day, or the working day after it when the
        removal day is a rest day and nobody is there to take it down."""
        removal = self.removal
        return removal if calendar.is_workday(removal) else calendar.add_working_days(removal, 1)

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
    period_end: dt.date | None  # the period whose information is owed (the first missed one, if any)
    due: dt.date | None
    status: str
    missed: tuple[tuple[dt.date, dt.date], ...] = ()  # every period past its due date: (period end, due date)
    owed: tuple[tuple[dt.date, dt.date], ...] = ()  # periods ended but not yet due


def covers_range(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a `covers` value: 2025-08, 2025-Q3, 2025-H2 or 2025."""
    year, _, part = value.partition("-")
    first_month, months = 1, 12
    if part.startswith("Q"):
        first_month, months = (int(part[1]) - 1) * 3 + 1, 3
    elif part.startswith("H"):
        first_month, months = (int(part[1]) - 1) * 6 + 1, 6
    elif part:
        first_month, months = int(part), 1
    start = dt.date(int(year), first_month, 1)
    return start, next_period_end(start - dt.timedelta(days=1), months)


def covered_period_ends(record, months: int) -> set[dt.date]:
    """The ends of the item's periods a record discloses.

    A record that says which period it covers (`covers`) discloses every period ending inside it and the one its
    last day falls in; an event record (an inspection held) belongs to the period it happened in; any other record
    reports on the period that ended last before its publication.
    """
    covers = record.get("covers")
    if covers:
        start, end = covers_range(str(covers))
        ends = {next_period_end(last_period_end(end, months), months)}
        period_end = next_period_end(last_period_end(start, months), months)
        while period_end < end:
            ends.add(period_end)
            period_end = next_period_end(period_end, months)
        return ends
    if record.event_date:
        return {next_period_end(last_period_end(record.event_date, months), months)}
    return {last_period_end(record.published, months)}


def applies_from(item, office) -> dt.date | None:
    """From when the item must be disclosed: its own date, else the office's; periods ending earlier are not owed."""
    value = item.get("applies_from") or (office.get("applies_from") if office is not None else None)
    return as_date(value) if value else None


def item_schedule(item, records, calendar: WorkCalendar, as_of: dt.date, grace_working_days: int,
                  start: dt.date | None = None) -> ItemSchedule:
    """Every period from the first one owed to the last complete one is judged, not only the latest.

    The first owed period is the one `start` (applies_from) falls in; without it, the first period disclosed,
    or else the last complete one.
    """
    records = [r for r in records if r.published and r.published <= as_of]
    last = max((r.published for r in records), default=None)
    months = CADENCE_MONTHS.get(item.cadence)
    if months is None:
        return ItemSchedule(last, None, None, NOT_PERIODIC if last else NOTHING_YET)
    latest = last_period_end(as_of, months)
    covered = set().union(*(covered_period_ends(r, months) for r in records))
    if start is not None:
        first = next_period_end(last_period_end(start, months), months)
    else:
        first = min(covered, default=latest)
    missed, owed, period_end = [], [], first
    while period_end <= latest:
        if period_end not in covered:
            due = calendar.add_working_days(period_end, grace_working_days)
            (missed if as_of > due else owed).append((period_end, due))
        period_end = next_period_end(period_end, months)
    if missed:
        return ItemSchedule(last, *missed[0], OVERDUE, tuple(missed), tuple(owed))
    if owed:
        return ItemSchedule(last, *owed[0], DUE, (), tuple(owed))
    following = first if first > latest else next_period_end(latest, months)
    return ItemSchedule(last, following, calendar.add_working_days(following, grace_working_days), ON_TIME)
