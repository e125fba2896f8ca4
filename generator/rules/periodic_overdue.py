"""A periodic catalog item is not overdue for its cadence (经常性工作定期公开; 月度/季度/半年公开).

The information of a period is owed within `grace_working_days` working
days after the period ends; a warning comes `warn_within` working days before.
"""

from __future__ import annotations

from ..findings import WARNING
from ..i18n import _
from ..schedule import DUE, OVERDUE, cn_date, item_schedule

ID = "periodic-overdue"
DEFAULTS = {"severity": "error", "grace_working_days": 20, "warn_within": 5}


def check(ctx):
    for item in ctx.content.of("catalog"):
        if not ctx.content.complete_for(item):
            continue  # a file that failed validation may be the one that fills it
        schedule = item_schedule(item, ctx.content.records_for(item), ctx.calendar, ctx.as_of,
                                 ctx.params["grace_working_days"])
        if schedule.status == OVERDUE:
            last = cn_date(schedule.last_published) if schedule.last_published else _("never")
            yield ctx.finding(item, ("cadence",),
                              _("'{title}' ({cadence}) is overdue: the information for the period ending "
                                "{period_end} was due by {due}; last published {last}")
                              .format(title=item.title, cadence=item.cadence, period_end=cn_date(schedule.period_end), due=cn_date(schedule.due), last=last),
                              _("publish it now and record the publication date"))
        elif schedule.status == DUE and ctx.calendar.working_days_after(ctx.as_of, schedule.due) <= ctx.params["warn_within"]:
            yield ctx.finding(item, ("cadence",),
                              _("'{title}' ({cadence}) is due by {due} for the period ending {period_end}")
                              .format(title=item.title, cadence=item.cadence, due=cn_date(schedule.due), period_end=cn_date(schedule.period_end)),
                              _("prepare and publish it before the due date"), severity=WARNING)
