"""A periodic catalog item is not overdue for its cadence (经常性工作定期公开; 月度/季度/半年公开).

The information of a period is owed within `grace_working_days` working
days after the period ends; a warning comes `warn_within` working days before.
"""

from __future__ import annotations

from ..findings import WARNING
from ..schedule import DUE, OVERDUE, cn_date, item_schedule

ID = "periodic-overdue"
DEFAULTS = {"severity": "error", "grace_working_days": 20, "warn_within": 5}


def check(ctx):
    for item in ctx.content.of("catalog"):
        schedule = item_schedule(item, ctx.content.records_for(item), ctx.calendar, ctx.as_of,
                                 ctx.params["grace_working_days"])
        if schedule.status == OVERDUE:
            last = cn_date(schedule.last_published) if schedule.last_published else "never"
            yield ctx.finding(item, ("cadence",),
                              f"'{item.title}' ({item.cadence}) is overdue: the information for the period ending "
                              f"{cn_date(schedule.period_end)} was due by {cn_date(schedule.due)}; last published {last}",
                              "publish it now and record the publication date")
        elif schedule.status == DUE and ctx.calendar.working_days_after(ctx.as_of, schedule.due) <= ctx.params["warn_within"]:
            yield ctx.finding(item, ("cadence",),
                              f"'{item.title}' ({item.cadence}) is due by {cn_date(schedule.due)} "
                              f"for the period ending {cn_date(schedule.period_end)}",
                              "prepare and publish it before the due date", severity=WARNING)
