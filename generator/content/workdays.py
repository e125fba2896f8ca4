"""Working days on the official State Council calendar, make-up days included.

`chinesecalendar` holds the official holiday arrangements of past years.
A year it does not know yet must be declared by the office in
content/calendar/<year>.yaml; a computation that still reaches an unknown
year falls back to Monday–Friday and remembers the year, so the caller can
warn instead of guessing silently.

Counting conventions (the checks and the printed notices use these same functions):
- a notice period of N working days covers the first N working days on or after its first day;
- "within N working days of a date" does not count that date and ends on the Nth working day after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)
# China keeps one clock, UTC+8 with no daylight saving since 1991; a fixed offset needs no time-zone
# database (Windows has none).
BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def beijing_today(now: dt.datetime | None = None) -> dt.date:
    """The date in Beijing at the instant `now` (default: this moment), whatever zone the machine's clock
    is set to: the daily workflow fires at 00:10 Beijing time, which is 16:10 UTC of the day before."""
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(BEIJING).date()


@dataclass
class DeclaredYear:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    file: str


@dataclass
class WorkCalendar:
    declared: dict[int, DeclaredYear] = field(default_factory=dict)
    unknown_years: set[int] = field(default_factory=set)
    _known: dict[dt.date, bool] = field(default_factory=dict, repr=False)  # the library is slow per call

    @classmethod
    def from_content(cls, content) -> "WorkCalendar":
        declared = {}
        for record in content.of("calendar"):
            declared[int(record.get("year"))] = DeclaredYear(
                frozenset(dt.date.fromisoformat(d) for d in record.get("holidays")),
                frozenset(dt.date.fromisoformat(d) for d in record.get("workdays")),
                record.file,
            )
        return cls(declared)

    @staticmethod
    @cache  # the library scans its tables on every call; a year's answer never changes
    def library_knows(year: int) -> bool:
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def is_workday(self, day: dt.date) -> bool:
        if day not in self._known:
            self._known[day] = self._is_workday(day)
        return self._known[day]

    def _is_workday(self, day: dt.date) -> bool:
        declared = self.declared.get(day.year)
        if declared and not self.library_knows(day.year):
            if day in declared.workdays:
                return True
            return day.weekday() < 5 and day not in declared.holidays
        known = _library_workday(day)
        if known is None:
            self.unknown_years.add(day.year)
            return day.weekday() < 5
        return known

    def period_end(self, first_day: dt.date, working_days: int) -> dt.date:
        """The last day of a period of N working days starting on first_day (counted if it is one)."""
        day, counted = first_day, 0
        while True:
            if self.is_workday(day):
                counted += 1
                if counted == working_days:
                    return day
            day += ONE_DAY

    def add_working_days(self, start: dt.date, working_days: int) -> dt.date:
        """The Nth working day after start; start itself is not counted."""
        if working_days == 0:
            return start
        return self.period_end(start + ONE_DAY, working_days)

    def working_days_after(self, start: dt.date, end: dt.date) -> int:
        """How many working days fall after start, up to and including end."""
        count, day = 0, start + ONE_DAY
        while day <= end:
            count += self.is_workday(day)
            day += ONE_DAY
        return count

    def unknown_between(self, start: dt.date, end: dt.date) -> list[int]:
        """Years between the two dates that neither the library nor the office declares."""
        return [y for y in range(start.year, end.year + 1) if y not in self.declared and not self.library_knows(y)]


@cache  # the library scans its tables on every call; every office of a county asks about the same days
def _library_workday(day: dt.date) -> bool | None:
    """The official calendar's answer for a day, None for a year it does not hold."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
