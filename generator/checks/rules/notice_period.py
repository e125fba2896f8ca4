"""Notices run at least their minimum period (重大事项公示和听证制度 第六条; 党务政务公开工作制度 六).

A major decision runs at least 10 working days, statutory holidays
excluded; a personnel 公示 at least 3 days; party and affairs openness at
least a week. A minimum in calendar days can be set per notice type
(`days_by_type`) and per catalog item (`days_by_item`: every notice under
the item, whatever its type — 党务政务公开时间一般不少于一周 covers all of a
branch's openness); the longest minimum that applies is the one judged.
A notice may not start before it is published.
"""

from __future__ import annotations

from ...content.schedule import cn_date, notice_period
from ...content.types import allowed_values
from ...content.types.notice import MAJOR_DECISION
from ...i18n import N_, _

ID = "notice-period"
TITLE = N_("Notice period")
SUMMARY = N_("Notices run at least their minimum period (重大事项公示和听证制度 第六条；党务政务公开工作制度 六): a major decision 10 "
             "working days, statutory holidays excluded; a personnel notice 3 days; party and affairs openness a "
             "week. Minimums in calendar days can be set per notice type (`days_by_type`) and per catalog item "
             "(`days_by_item`, every notice under it, whatever its type); the longest that applies is judged. A "
             "notice may not start before it is published.")
DEFAULTS = {"severity": "error", "major_decision_working_days": 10, "days_by_type": {"人事公示": 3, "党务公开": 7},
            "days_by_item": {}}


def parameter_schemas() -> dict:
    days = {"type": "integer", "minimum": 1, "maximum": 366}
    return {"days_by_type": {"additionalProperties": False,
                             "properties": {notice_type: days for notice_type in allowed_values("notice", "type")}},
            "days_by_item": {"additionalProperties": days}}


def check(ctx):
    yield from ctx.unknown_catalog_items("days_by_item")
    for notice in ctx.content.of("notice"):
        period = notice_period(notice, ctx.calendar)
        yield from ctx.unknown_years(notice, ("period",), period.first_day, period.last_day)
        if notice.published and notice.first_day < notice.published:
            yield ctx.finding(notice, ("first_day",),
                              _("the notice starts {first_day}, before it is published ({published})")
                              .format(first_day=cn_date(notice.first_day), published=cn_date(notice.published)),
                              _("a notice period starts on or after its publication date"))
        if notice.notice_type == MAJOR_DECISION:
            needed = ctx.params["major_decision_working_days"]
            if not notice.working_days or notice.working_days < needed:
                yield ctx.finding(notice, ("period",),
                                  _("a major-decision notice must run at least {needed} working days (statutory "
                                    "holidays excluded); this one runs {length}{unit}")
                                  .format(needed=needed, length=period.length, unit=period.unit),
                                  _("write period: {{working_days: {needed}}}").format(needed=needed))
        days = (period.last_day - period.first_day).days + 1
        shortfall = _longest_minimum(ctx, notice)
        if shortfall and days < shortfall[0]:
            needed, item_id = shortfall
            message = (_("a {notice_type} must run at least {needed} days; this one runs {days}") if item_id is None
                       else _("every notice under catalog item '{title}' must run at least {needed} days; this one runs {days}"))
            item = ctx.content.get("catalog", item_id) if item_id else None
            yield ctx.finding(notice, ("period",),
                              message.format(notice_type=notice.notice_type, title=item.title if item else item_id,
                                             needed=needed, days=days),
                              _("lengthen the period to at least {needed} days").format(needed=needed))


def _longest_minimum(ctx, notice) -> tuple[int, str | None] | None:
    """The longest minimum in days that applies, with the catalog item that sets it (None: the notice type)."""
    minima = [(ctx.params["days_by_type"][notice.notice_type], None)] if notice.notice_type in ctx.params["days_by_type"] else []
    minima += [(ctx.params["days_by_item"][item_id], item_id) for item_id in notice.catalog_ids
               if item_id in ctx.params["days_by_item"]]
    return max(minima, key=lambda minimum: minimum[0]) if minima else None
