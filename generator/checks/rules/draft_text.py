"""A notice or regulation still holding placeholder text (待填写) is not ready to publish: it is withheld from every
output (publication.GUARDS) until the text is written."""

from __future__ import annotations

import re

from ...i18n import N_, _

# What a clerk writes where text is still to come (`gongkai new` writes （待填写）). Not service_complete's …… or 待定:
# in a notice, "……" is the Chinese ellipsis and "地点待定，另行通知" a statement, both published as written.
PLACEHOLDER = re.compile(r"待填写|待补充|TODO|TBD|XXX|xxx|\?\?|？？")

ID = "draft-text"
TITLE = N_("Unfinished draft text")
SUMMARY = N_("A notice or regulation still holding placeholder text (待填写) is not ready to publish: it is not "
             "published until the text is written.")
DEFAULTS = {"severity": "error"}


def check(ctx):
    for kind in ("notice", "regulation"):
        for record in ctx.content.of(kind):
            for number, line in enumerate(record.body.splitlines()):
                if PLACEHOLDER.search(line):
                    yield ctx.at(record.file, record.doc.body_line + number, _("the text still holds a placeholder: "
                                                                               "'{text}'")
                                                                             .format(text=line.strip()[:30]),
                                 _("write the real text, or keep the file out of the pull request until it is ready"))
