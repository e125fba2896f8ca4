"""A public document is never filed under an internal catalog item (党的秘密事项不列入公开; 对内公开只上对内公开栏).

A notice, service guide, regulation or report whose `catalog` names an
item with audience 内部 would reach the home page, the feed, the sitemap
and the search; internal items belong in content/internal/ and go only on
the internal board.
"""

from __future__ import annotations

from ...i18n import N_, _
from ..validate import kind_word

ID = "internal-catalog"
TITLE = N_("Internal catalog item")
SUMMARY = N_("A public document is never filed under an internal catalog item (党的秘密事项不列入公开; 对内公开只上对内公开栏): a "
             "notice, service guide, regulation or report whose `catalog` names an item with audience 内部 would "
             "reach the website. Internal content belongs in internal/ and goes only on the internal board.")
DEFAULTS = {"severity": "error"}
BLOCKS_BUILD = True


def check(ctx):
    internal = {item.id: item for item in ctx.content.of("catalog") if item.internal}
    if not internal:
        return
    for kind, records in sorted(ctx.content.records.items()):
        if kind in ("internal", "catalog"):
            continue
        for record in records:
            for ref in record.references():
                if ref.kind == "catalog" and ref.id in internal:
                    yield ctx.finding(record, ref.at,
                                      _("this public {kind} is filed under the internal catalog item '{id}' ({title})")
                                      .format(kind=kind_word(kind), id=ref.id, title=internal[ref.id].title),
                                      _("file it under a public catalog item; internal information goes in {folder}/"
                                        " and only on the internal board (对内公开栏)")
                                      .format(folder=(ctx.content.root / "internal").as_posix()))
