"""A periodic catalog item is not overdue for its cadence (经常性工作定期公开; 月度/季度/半年公开).

The information of a period is owed within `grace_working_days` working
days after the period ends (`grace_by_cadence` sets it per cadence, e.g. a
month's 党费 within 10); a warning comes `warn_within` working days before.
Every missed period is an error of its own, from the item's applies_from (or
its first disclosed period) on. `cadence_by_item` holds a catalog item to the
cadence its regulation fixes (党务政务公开工作制度 五: 半年、季度、月度公开): the
catalog may disclose it as often or more often, never less.
"""

from __future__ import annotations

from ...content.schedule import CADENCE_MONTHS, applies_from, cn_date, item_schedule
from ...findings import WARNING
from ...i18n import N_, _

ID = "periodic-overdue"
TITLE = N_("Periodic disclosure overdue")
SUMMARY = N_("A periodic catalog item is disclosed for each of its periods (月度、季度、半年、年度公开): within "
             "`grace_working_days` working days after the period ends (`grace_by_cadence` sets it per cadence); a "
             "warning comes `warn_within` working days before. Every missed period is an error of its own, from "
             "the item's applies_from (or its first disclosed period) on. `cadence_by_item` holds an item to the "
             "cadence its regulation fixes: the catalog may disclose it as often or more often, never less.")
DEFAULTS = {"severity": "error", "grace_working_days": 20, "warn_within": 5, "grace_by_cadence": {},
            "cadence_by_item": {}}


def parameter_schemas() -> dict:
    working_days = {"type": "integer", "minimum": 0, "maximum": 250}
    return {"grace_by_cadence": {"additionalProperties": False,
                                 "properties": {cadence: working_days for cadence in CADENCE_MONTHS}},
            "cadence_by_item": {"additionalProperties": {"enum": list(CADENCE_MONTHS)}}}


def grace(params: dict, item) -> int:
    """The working days after a period's end within which the item's information for it is owed."""
    return params["grace_by_cadence"].get(item.cadence, params["grace_working_days"])


def check(ctx):
    yield from ctx.unknown_catalog_items("cadence_by_item")
    for item in ctx.content.of("catalog"):
        required = ctx.params["cadence_by_item"].get(item.id)
        if required and CADENCE_MONTHS.get(item.cadence, 1 << 10) > CADENCE_MONTHS[required]:
            yield ctx.finding(item, ("cadence",),
                              _("'{title}' is disclosed {cadence}, but the rules require it {required}")
                              .format(title=item.title, cadence=item.cadence, required=required),
                              _("write cadence: {required} (or more often) in catalog.yaml").format(required=required))
        if not ctx.content.complete_for(item):
            continue  # a file that failed validation may be the one that fills it
        schedule = item_schedule(item, ctx.content.records_for(item), ctx.calendar, ctx.as_of,
                                 grace(ctx.params, item), applies_from(item, ctx.content.office))
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
