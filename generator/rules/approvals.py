"""Items that need approval carry it before they are public (公开前报经书记审核, 重要事项支委会审批; 主任办公会审查)."""

from __future__ import annotations

from ..i18n import _
from ..records import as_date
from ..schedule import cn_date

ID = "approvals"
DEFAULTS = {"severity": "error", "notice_types": ["重大事项公示", "人事公示", "党务公开"]}


def check(ctx):
    for notice in ctx.content.of("notice"):
        item = ctx.content.get("catalog", notice.get("catalog"))
        if notice.notice_type not in ctx.params["notice_types"] and not (item and item.get("needs_approval")):
            continue
        approvals = notice.get("approvals") or []
        if not approvals:
            yield ctx.finding(notice, ("type",), _("a {notice_type} needs a recorded approval before it is public")
                                                 .format(notice_type=notice.notice_type),
                              _("add approvals: with who approved (e.g. 主任办公会, 支部书记) and the date"))
            continue
        earliest = min(as_date(a["date"]) for a in approvals)
        if earliest > notice.published:
            yield ctx.finding(notice, ("approvals",),
                              _("approved {earliest}, after publication on {published}")
                              .format(earliest=cn_date(earliest), published=cn_date(notice.published)),
                              _("approval must come before publication; correct the dates if they are wrong"))
