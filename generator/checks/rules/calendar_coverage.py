"""Declared holiday calendars are official and needed (节假日以国务院办公厅通知为准)."""

from __future__ import annotations

from ...findings import WARNING
from ...i18n import N_, _

ID = "calendar-coverage"
TITLE = N_("Holiday calendar")
SUMMARY = N_("A holiday calendar declared in calendar/ follows the State Council's notice (节假日以国务院办公厅通知为准): a year"
             " the program already knows is not used and should be deleted; a year still marked illustrative must "
             "be checked against the notice.")
DEFAULTS = {"severity": "warning"}


def check(ctx):
    for record in ctx.content.of("calendar"):
        year = int(record.get("year"))
        if ctx.calendar.library_knows(year):
            yield ctx.finding(record, ("year",), _("{year} is already known from the official calendar; this file "
                                                   "is not used").format(year=year),
                              _("delete it, or keep it only for a year the library does not know"), severity=WARNING)
        elif record.get("illustrative"):
            yield ctx.finding(record, ("illustrative",), _("the {year} holiday calendar is marked illustrative")
                                                         .format(year=year),
                              _("check every date against the State Council's notice, then remove 'illustrative'"))
