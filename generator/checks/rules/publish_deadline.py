"""New or changed information is published within N working days of being formed or changed (条例 第二十六条)."""

from __future__ import annotations

from ...content.records import as_date
from ...content.schedule import cn_date
from ...i18n import N_, _

ID = "publish-deadline"
TITLE = N_("Published in time")
SUMMARY = N_("New or changed information is published within 20 working days of being formed or changed (条例 "
             "第二十六条): from `written`, or `changed` where it is given, to `published`.")
DEFAULTS = {"severity": "error", "working_days": 20}
KINDS = ("service", "regulation", "notice", "pledges")


def check(ctx):
    limit = ctx.params["working_days"]
    for kind in KINDS:
        for record in ctx.content.of(kind):
            key = "changed" if record.get("changed") else "written"
            formed, published = as_date(record.get(key)), record.published
            if not formed or not published:
                continue
            deadline = ctx.calendar.add_working_days(formed, limit)
            yield from ctx.unknown_years(record, (key,), formed, deadline)
            if published > deadline:
                late = ctx.calendar.working_days_after(deadline, published)
                yield ctx.finding(record, ("published",),
                                  _("published {published}, {late} working day(s) after the deadline {deadline} "
                                    "({limit} working days from {key} {formed})")
                                  .format(published=cn_date(published), late=late, deadline=cn_date(deadline), limit=limit, key=key, formed=cn_date(formed)),
                                  _("publish new or changed information within the limit; if the dates are wrong, "
                                    "correct them"))
