"""A document marked for internal use is not published (对内公开事项只在对内公开栏公开).

内部资料, 仅供内部使用, 不得外传, a bracketed （内部） or 内部★, or 内部 or 工作秘密
alone on a line, as at a document's head: the document says of itself that
it is not for the public. Such a document is withheld from the site and
the public board until the marking is removed (it may be published after
all) or the document moves to internal/, the internal board's. Internal
items, the catalog, rules.yaml and the calendars are never published as
they are, and are not read. The words in a sentence (内部控制, 内部审计) are
not a marking.
"""

from __future__ import annotations

import re

from ...i18n import N_, _
from .internal_text import NOT_PUBLIC

ID = "restricted-marking"
TITLE = N_("Marked for internal use")
SUMMARY = N_("A document marked for internal use (内部资料, 仅供内部使用, 不得外传, （内部）, 内部★, or 内部 or 工作秘密 alone on "
             "a line) is withheld from the site and the public board until the marking is removed or the document "
             "moves to internal/ (对内公开). Words in a sentence (内部控制, 内部审计) are not a marking.")
DEFAULTS = {"severity": "error"}

MARKING = re.compile(r"内部资料|仅供内部|内部使用|不得外传|严禁外传|[（(【\[〔]\s*内部\s*[）)】\]〕]|内部\s*[★☆]"
                     r"|^[\s#>*\-]*(?:内部|工作秘密)[\s*]*$", re.M)


def check(ctx):
    private = {record.file for kind in NOT_PUBLIC for record in ctx.content.of(kind)}
    for _path, rel, text in ctx.content_files():
        if rel in private or rel.startswith("internal/") or "内部" not in text and "外传" not in text \
                and "工作秘密" not in text:
            continue
        for number, line in enumerate(text.split("\n"), 1):
            match = MARKING.search(line)
            if match:
                yield ctx.at(rel, number, _("'{marking}' marks the text as not for the public").format(
                    marking=match.group().strip(" #>*-")),
                             _("if it may be published, remove the marking; if not, it belongs in internal/"
                               " (对内公开事项), which goes only on the internal board"))
