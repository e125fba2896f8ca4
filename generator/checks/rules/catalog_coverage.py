"""Every catalog item that must be proactively disclosed has current content (政务公开工作制度 二：明确公开内容)."""

from __future__ import annotations

from ...content.schedule import CADENCE_MONTHS, applies_from, last_period_end, next_period_end
from ...content.types import by_kind
from ...i18n import N_, _

ID = "catalog-coverage"
TITLE = N_("Catalog items have content")
SUMMARY = N_("Every catalog item to be disclosed proactively has current content (政务公开工作制度 二：明确公开内容), from its "
             "applies_from on; for a periodic item, once its first period has ended.")
DEFAULTS = {"severity": "error"}


def check(ctx):
    for item in ctx.content.of("catalog"):
        if not item.proactive or not ctx.content.complete_for(item):
            continue  # a file that failed validation may fill it
        current = [r for r in ctx.content.records_for(item) if getattr(r, "current", True)]
        if current or not _owed_yet(item, ctx):
            continue
        source = item.get("source")
        # the kind by the name a clerk knows it by (收费标准), not its code (fee)
        hint = (_("add the {source} content, or change the item's mode to 依申请公开").format(source=by_kind(source).label)
                if source
                else _("publish a file with 'catalog: {id}', or change the item's mode to 依申请公开").format(id=item.id))
        yield ctx.finding(item, ("id",), _("catalog item '{id}' ({title}) must be disclosed proactively but has no "
                                           "current content").format(id=item.id, title=item.title), hint)


def _owed_yet(item, ctx) -> bool:
    """Not before the item applies: for a periodic item, not before its first owed period has ended."""
    start = applies_from(item, ctx.content.office)
    if start is None:
        return True
    months = CADENCE_MONTHS.get(item.cadence)
    if months is None:
        return start <= ctx.as_of
    return next_period_end(last_period_end(start, months), months) <= last_period_end(ctx.as_of, months)
