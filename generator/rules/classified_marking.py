"""Classified markings never enter the repository (党的秘密事项不列入公开; 保密规定).

A 秘密★, 机密★ or 绝密★ marking — with spaces, full-width spaces or an open
star — anywhere in the content blocks every build.
"""

from __future__ import annotations

import re

from ..check import line_at
from ..i18n import _

ID = "classified-marking"
DEFAULTS = {"severity": "error"}
BLOCKS_BUILD = True

MARKING = re.compile(r"([绝机秘])[\s\u3000]*密[\s\u3000]*[★☆✩✪✫✬✭✮✯⭐＊*]")


def check(ctx):
    for _path, rel, text in ctx.content_files():
        reported = set()
        for match in MARKING.finditer(text):  # the whole text at once: most files have no match at all
            number = line_at(text, match.start())
            if number not in reported:
                reported.add(number)
                yield ctx.at(rel, number, _("a classified marking ({level}密★) is in the content")
                                          .format(level=match.group(1)),
                             _("remove this file from the change at once and report it to the confidentiality "
                               "officer; classified material never goes into the repository"))
