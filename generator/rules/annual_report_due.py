"""The previous year's annual report is published by 31 January (条例 第四十九条、第五十条).

From 1 January the missing report is a warning; after the deadline, an error. A year before the
office's applies_from (else its first published document in this repository) is not asked for, as a
periodic item's periods before it are not.
"""

from __future__ import annotations

import datetime as dt

from ..findings import WARNING
from ..i18n import _
from ..records import as_date
from ..schedule import cn_date

ID = "annual-report-due"
DEFAULTS = {"severity": "error", "deadline_month": 1, "deadline_day": 31}
DOCUMENT_KINDS = ("notice", "regulation", "service", "report")


def check(ctx):
    year = ctx.as_of.year - 1
    published = [r.published for kind in DOCUMENT_KINDS for r in ctx.content.of(kind) if r.published]
    office_start = ctx.content.office.get("applies_from")
    start = as_date(office_start) if office_start else min(published, default=None)
    if start is None or start.year > year or not ctx.content.complete("report"):
        return
    deadline = dt.date(ctx.as_of.year, ctx.params["deadline_month"], ctx.params["deadline_day"])
    report = next((r for r in ctx.content.of("report")
                   if r.get("year") == year and r.published and r.published <= ctx.as_of), None)
    rel = f"reports/{year}.md"
    if report is None:
        late = ctx.as_of > deadline
        message = _("the {year} annual report was due by {deadline}") if late else _("the {year} annual report is due"
                                                                                      " by {deadline}")
        yield ctx.at(rel, 1, message.format(year=year, deadline=cn_date(deadline)),
                     _("write {path} (gongkai report --year {year} shows its tables)")
                     .format(path=(ctx.content.root / rel).as_posix(), year=year),
                     severity=None if late else WARNING)
    elif report.published and report.published > deadline:
        yield ctx.finding(report, ("published",),
                          _("the {year} annual report was published {published}, after the deadline {deadline}")
                          .format(year=year, published=cn_date(report.published), deadline=cn_date(deadline)),
                          _("publish the annual report by 31 January"))
