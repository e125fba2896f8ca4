"""Classified markings never enter the repository (党的秘密事项不列入公开; 保密规定).

A 秘密★, 机密★ or 绝密★ marking — with spaces, full-width spaces or an open
star — anywhere in the content blocks every build.
"""

from __future__ import annotations

import re

ID = "classified-marking"
DEFAULTS = {"severity": "error"}
BLOCKS_BUILD = True

MARKING = re.compile(r"(绝|机|秘)[\s\u3000]*密[\s\u3000]*[★☆✩✪✫✬✭✮✯⭐＊*]")


def check(ctx):
    for _, rel, text in ctx.content_files():
        for number, line in enumerate(text.splitlines(), 1):
            match = MARKING.search(line)
            if match:
                level = match.group(1) + "密"
                yield ctx.at(rel, number, f"a classified marking ({level}★) is in the content",
                             "remove this file from the change at once and report it to the confidentiality officer;"
                             " classified material never goes into the repository")
