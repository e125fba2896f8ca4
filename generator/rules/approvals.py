"""Items that need approval carry it, from the body the rules name, before they are public.

公开前报经书记审核，重要事项支委会审批，全局性重要事项由领导小组审批（党务政务公开工作制度 七、八）；
重大事项公示前经主任办公会审查. `approvers` names, for each notice type, the bodies whose approval counts
(an approval counts when its `by` contains one of them, e.g. 中共某某支部委员会 contains 支委会 only if written
so); a catalog item with needs_approval asks for an approval by any of them.
"""

from __future__ import annotations

from ..i18n import _
from ..records import as_date
from ..schedule import cn_date

ID = "approvals"
DEFAULTS = {"severity": "error", "approvers": {"重大事项公示": ["主任办公会"], "人事公示": ["书记", "支委会", "领导小组"],
                                               "党务公开": ["书记", "支委会", "领导小组"]}}


def check(ctx):
    for notice in ctx.content.of("notice"):
        item = ctx.content.get("catalog", notice.get("catalog"))
        approvers = ctx.params["approvers"].get(notice.notice_type)
        if approvers is None and not (item and item.get("needs_approval")):
            continue
        approvers = approvers or sorted({body for bodies in ctx.params["approvers"].values() for body in bodies})
        approvals = notice.get("approvals") or []
        if not approvals:
            yield ctx.finding(notice, ("type",), _("a {notice_type} needs a recorded approval before it is public")
                                                 .format(notice_type=notice.notice_type),
                              _("add approvals: with who approved (e.g. 主任办公会, 支部书记) and the date"))
            continue
        by_whom = [a for a in approvals if any(body in a["by"] for body in approvers)]
        if not by_whom:
            yield ctx.finding(notice, ("approvals",),
                              _("approved by {by}, but a {notice_type} is approved by {bodies}")
                              .format(by="、".join(a["by"] for a in approvals), notice_type=notice.notice_type,
                                      bodies=_(" or ").join(approvers)),
                              _("record the approval of the body the rules name (rules.yaml: approvals.approvers)"))
            continue
        earliest = min(as_date(a["date"]) for a in by_whom)
        if earliest > notice.published:
            yield ctx.finding(notice, ("approvals",),
                              _("approved {earliest}, after publication on {published}")
                              .format(earliest=cn_date(earliest), published=cn_date(notice.published)),
                              _("approval must come before publication; correct the dates if they are wrong"))
