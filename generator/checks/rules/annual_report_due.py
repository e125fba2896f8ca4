"""The previous year's annual report is published by 31 January (条例 第四十九条、第五十条).

From 1 January the missing report is a warning; after the deadline, an error. A year before the
office's applies_from (else its first published document in this repository) is not asked for, as a
periodic item's periods before it are not.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from ...content.records import as_date
from ...content.schedule import cn_date
from ...findings import WARNING
from ...i18n import N_, _

ID = "annual-report-due"
TITLE = N_("Annual report on time")
SUMMARY = N_("The previous year's annual report is published by 31 January (条例 第四十九条、第五十条). From 1 January a "
             "missing report is a warning; after the deadline, an error. Years before the office's applies_from "
             "(without it, its first published document) are not asked for.")
DEFAULTS = {"severity": "error", "deadline_month": 1, "deadline_day": 31}


def parameter_schemas() -> dict:
    return {"deadline_month": {"minimum": 1, "maximum": 12}, "deadline_day": {"minimum": 1, "maximum": 31}}
DOCUMENT_KINDS = ("notice", "regulation", "service", "report")
ON_TIME, LATE, MISSING, NOT_YET, NOT_ASKED = "按时报送", "逾期报送", "未报送", "未到期", "不需报送"


@dataclass(frozen=True)
class ReportDue:
    """Where one year's annual report stands on the as-of date: what this rule judges and the supervisor shows."""

    year: int  # the year the report covers
    deadline: dt.date
    asked: bool  # the office published here in that year (and its reports could be read)
    report: object | None  # the report published by the as-of date
    as_of: dt.date

    @property
    def status(self) -> str:
        if self.report is not None:  # published, whether or not it was owed (an office that began that year)
            return LATE if self.report.published > self.deadline else ON_TIME
        if not self.asked:
            return NOT_ASKED
        return MISSING if self.as_of > self.deadline else NOT_YET


def report_due(content, as_of: dt.date, params: dict, year: int | None = None) -> ReportDue:
    """The report on `year` (default: the year before as_of), due by the deadline in the year after it."""
    year = as_of.year - 1 if year is None else year
    published = [r.published for kind in DOCUMENT_KINDS for r in content.of(kind) if r.published]
    office_start = content.office.get("applies_from")
    start = as_date(office_start) if office_start else min(published, default=None)
    month = params["deadline_month"]  # 30 February is the month's last day: the schema bounds each number alone
    deadline = dt.date(year + 1, month, min(params["deadline_day"], calendar.monthrange(year + 1, month)[1]))
    # An office whose rules turn the report off (a 机关党支部 is no administrative organ) owes none.
    asked = start is not None and start.year <= year and content.complete("report") and params["severity"] != "off"
    report = next((r for r in content.of("report")
                   if r.get("year") == year and r.published and r.published <= as_of), None)
    return ReportDue(year, deadline, asked, report, as_of)


def check(ctx):
    due = report_due(ctx.content, ctx.as_of, ctx.params)
    if not due.asked:
        return
    year, deadline = due.year, due.deadline
    rel = f"reports/{year}.md"
    if due.report is None:
        late = due.status == MISSING
        message = _("the {year} annual report was due by {deadline}") if late else _("the {year} annual report is due"
                                                                                      " by {deadline}")
        yield ctx.at(rel, 1, message.format(year=year, deadline=cn_date(deadline)),
                     _("write {path} (gongkai report --year {year} shows its tables)")
                     .format(path=(ctx.content.root / rel).as_posix(), year=year),
                     severity=None if late else WARNING)
    elif due.status == LATE:
        yield ctx.finding(due.report, ("published",),
                          _("the {year} annual report was published {published}, after the deadline {deadline}")
                          .format(year=year, published=cn_date(due.report.published), deadline=cn_date(deadline)),
                          _("publish the annual report by 31 January"))
