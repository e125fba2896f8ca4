"""Notices run at least their minimum period (重大事项公示和听证制度 第六条; 党务政务公开工作制度 六).

A major decision runs at least 10 working days, statutory holidays
excluded; a personnel 公示 at least 3 days; party and affairs openness at
least a week. A notice may not start before it is published.
"""

from __future__ import annotations

from ..i18n import _
from ..schedule import cn_date, notice_period
from ..types.notice import MAJOR_DECISION

ID = "notice-period"
DEFAULTS = {"severity": "error", "major_decision_working_days": 10, "personnel_days": 3, "party_days": 7}


def check(ctx):
    minimum_days = {"人事公示": ctx.params["personnel_days"], "党务公开": ctx.params["party_days"]}
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
        elif notice.notice_type in minimum_days:
            needed = minimum_days[notice.notice_type]
            days = (period.last_day - period.first_day).days + 1
            if days < needed:
                yield ctx.finding(notice, ("period",),
                                  _("a {notice_type} must run at least {needed} days; this one runs {days}")
                                  .format(notice_type=notice.notice_type, needed=needed, days=days),
                                  _("lengthen the period to at least {needed} days").format(needed=needed))
