"""A periodic catalog item is not overdue for its cadence (经常性工作定期公开; 月度/季度/半年公开).

The information of a period is owed within `grace_working_days` working
days after the period ends; a warning comes `warn_within` working days before.
Every missed period is an error of its own, from the item's applies_from (or
its first disclosed period) on.
"""

from __future__ import annotations

from ..findings import WARNING
from ..i18n import _
from ..schedule import applies_from, cn_date, item_schedule

ID = "periodic-overdue"
DEFAULTS = {"severity": "error", "grace_working_days": 20, "warn_within": 5}


def check(ctx):
    for item in ctx.content.of("catalog"):
        if not ctx.content.complete_for(item):
            continue  # a file that failed validation may be the one that fills it
        schedule = item_schedule(item, ctx.content.records_for(item), ctx.calendar, ctx.as_of,
                                 ctx.params["grace_working_days"], applies_from(item, ctx.content.office))
        last = cn_date(schedule.last_published) if schedule.last_published else _("never")
        for period_end, due in schedule.missed:
            yield ctx.finding(item, ("cadence",),
                              _("'{title}' ({cadence}) is overdue: the information for the period ending "
                                "{period_end} was due by {due}; last published {last}")
                              .format(title=item.title, cadence=item.cadence, period_end=cn_date(period_end), due=cn_date(due), last=last),
                              _("publish it now and record the publication date"))
        for period_end, due in schedule.owed:
            if ctx.calendar.working_days_after(ctx.as_of, due) <= ctx.params["warn_within"]:
                yield ctx.finding(item, ("cadence",),
                                  _("'{title}' ({cadence}) is due by {due} for the period ending {period_end}")
                                  .format(title=item.title, cadence=item.cadence, due=cn_date(due), period_end=cn_date(period_end)),
                                  _("prepare and publish it before the due date"), severity=WARNING)
