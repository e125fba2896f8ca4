"""Items that need approval carry it, from the body the rules name, before they are public.

公开前报经书记审核，重要事项支委会审批，全局性重要事项由领导小组审批（党务政务公开工作制度 七、八）；
重大事项公示前经主任办公会审查. `approvers` names, for each notice type, the bodies whose approval counts
(an approval counts when its `by` is one of them or ends with it: 支部书记 is a 书记, but 副书记 is not, nor is
领导小组办公室 the 领导小组, and 中共某某支部委员会 is the 支委会 only if written so); a catalog item with needs_approval asks for an approval by any of them. The bodies that must each have
approved are named by `required` (every notice), `required_by_type` (a notice type), `required_by_item` (every
notice under a catalog item) and `required_if_needs_approval` (every notice under an item with needs_approval,
the 重要事项): e.g. 书记 for every notice and 支委会 for the 重要事项.
"""

from __future__ import annotations

from ...content.records import as_date
from ...content.schedule import cn_date
from ...content.types import allowed_values
from ...i18n import N_, _

ID = "approvals"
TITLE = N_("Approval before publishing")
SUMMARY = N_("A notice that needs approval has it before it is published, from a body the rules name "
             "(公开前报经书记审核，重要事项支委会审批；重大事项公示前经主任办公会审查). `approvers` names, for each notice type, the bodies whose "
             "approval counts: an approval counts when its `by` is one of them or ends with it, so 支部书记 is a 书记, "
             "but 副书记 is not, nor is 领导小组办公室 the 领导小组. The bodies named by `required` (every notice), "
             "`required_by_type` (a notice type), `required_by_item` (the notices under a catalog item) and "
             "`required_if_needs_approval` (the notices under an item with needs_approval) must each have "
             "approved.")
DEFAULTS = {"severity": "error", "approvers": {"重大事项公示": ["主任办公会"], "人事公示": ["书记", "支委会", "领导小组"],
                                               "党务公开": ["书记", "支委会", "领导小组"]},
            "required": [], "required_by_type": {}, "required_by_item": {}, "required_if_needs_approval": []}


def parameter_schemas() -> dict:
    bodies = {"type": "array", "items": {"type": "string", "minLength": 1}}
    by_type = {"additionalProperties": False, "properties": {t: bodies for t in allowed_values("notice", "type")}}
    return {"approvers": by_type, "required": bodies, "required_by_type": by_type,
            "required_by_item": {"additionalProperties": bodies}, "required_if_needs_approval": bodies}


def required_bodies(params: dict, content, notice_type: str, item_ids) -> dict[str, str]:
    """Each body that must itself approve a notice of this type under these catalog items, with why (for the message)."""
    why: dict[str, str] = {}
    for body in params["required"]:
        why.setdefault(body, _("every notice"))
    for body in params["required_by_type"].get(notice_type, []):
        why.setdefault(body, _("every {notice_type}").format(notice_type=notice_type))
    for item_id in item_ids:
        item = content.get("catalog", item_id)
        for body in params["required_by_item"].get(item_id, []):
            why.setdefault(body, _("every notice under '{title}'").format(title=item.title if item else item_id))
        if item and item.get("needs_approval"):
            for body in params["required_if_needs_approval"]:
                why.setdefault(body, _("every notice under '{title}', an item that needs approval").format(title=item.title))
    return why


def check(ctx):
    yield from ctx.unknown_catalog_items("required_by_item")
    for notice in ctx.content.of("notice"):
        items = [ctx.content.get("catalog", item_id) for item_id in notice.catalog_ids]
        needs_approval = any(item and item.get("needs_approval") for item in items)
        approvers = ctx.params["approvers"].get(notice.notice_type)
        required = required_bodies(ctx.params, ctx.content, notice.notice_type, notice.catalog_ids)
        if approvers is None and not needs_approval and not required:
            continue
        if approvers is None and needs_approval:
            approvers = sorted({body for bodies in ctx.params["approvers"].values() for body in bodies})
        approvals = notice.get("approvals") or []
        if not approvals:
            yield ctx.finding(notice, ("type",), _("a {notice_type} needs a recorded approval before it is public")
                                                 .format(notice_type=notice.notice_type),
                              (_("add approvals: the approval of {bodies}, each with its date")
                               .format(bodies=_(" and ").join(required)) if required else
                               _("add approvals: who approved (one of {bodies}) and the date")
                               .format(bodies="、".join(approvers)) if len(approvers) > 1 else
                               _("add approvals: the approval of {bodies}, with its date").format(bodies=approvers[0])
                               if approvers else
                               _("add approvals: with who approved (e.g. 主任办公会, 支部书记) and the date")))
            continue
        if approvers:
            by_whom = [a for a in approvals if any(approved_by(a["by"], body) for body in approvers)]
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
                continue
        for body, why in required.items():
            dates = [as_date(a["date"]) for a in approvals if approved_by(a["by"], body)]
            if not dates:
                yield ctx.finding(notice, ("approvals",),
                                  _("no approval by {body} is recorded; the rules require it for {why}")
                                  .format(body=body, why=why),
                                  _("record the approval of {body} with its date, or correct 'by' if it was given")
                                  .format(body=body))
            elif min(dates) > notice.published:
                yield ctx.finding(notice, ("approvals",),
                                  _("approved by {body} {date}, after publication on {published}")
                                  .format(body=body, date=cn_date(min(dates)), published=cn_date(notice.published)),
                                  _("approval must come before publication; correct the dates if they are wrong"))


def approved_by(by: str, body: str) -> bool:
    """Whether an approval recorded as given `by` someone is the named body's: the body itself, or a longer name
    ending with it (支部书记 for 书记); a deputy (副书记) or the body's office (领导小组办公室) is not the body."""
    by = by.strip()
    return by == body or (by.endswith(body) and not by[: -len(body)].endswith("副"))
