"""Classified markings never enter the repository (党的秘密事项不列入公开; 保密规定).

A 秘密★, 机密★ or 绝密★ marking, or a 密级 line (密级：机密), anywhere in the
content blocks every build. It is found however it was typed: any star
(★ ☆ * ∗ ﹡ ⋆ ✱, the private-use star Word inserts from Wingdings),
traditional characters (機密, 絕密), spaces, entities, YAML escapes,
invisible characters or Markdown emphasis inside it.
"""

from __future__ import annotations

import re

from ..i18n import N_, _
from ..normalize import TAG, visible

ID = "classified-marking"
TITLE = N_("Classified marking")
DEFAULTS = {"severity": "error"}
BLOCKS_BUILD = True

LEVEL = {"绝": "绝", "絕": "绝", "机": "机", "機": "机", "秘": "秘", "祕": "秘"}
STARS = "★☆✩✪✫✬✭✮✯⭐✦✧✱✲✳✴✵✶✷✸✹✺✻✼✽⁎∗⋆*\ue000-\uf8ff"  # \ue000-\uf8ff: private use, where symbol fonts put theirs
GAP = r"[\s*_~`]*"  # spaces (full-width too) and Markdown emphasis between the characters
MARKING = re.compile(rf"([绝絕机機秘祕]){GAP}密{GAP}[{STARS}]|密{GAP}级{GAP}[:：]?{GAP}([绝絕机機秘祕]){GAP}密")
CUE = re.compile(r"[密&]")  # no 密 and no entity in a line: nothing to find


def markings(text: str) -> list[str]:
    """The level (秘, 机 or 绝) of each marking in a text."""
    if not CUE.search(text):
        return []
    return [LEVEL[match.group(1) or match.group(2)] for match in MARKING.finditer(TAG.sub("", visible(text)))]


def check(ctx):
    raw = [(rel, number, line) for _path, rel, text in ctx.content_files()  # the raw text: comments too
           for number, line in enumerate(text.split("\n"), 1)]
    found = {}
    for rel, number, text in raw:
        for level in markings(text)[:1]:
            found.setdefault((rel, number), level)
    marked_files = {rel for rel, _number in found}
    for rel, number, text in ctx.yaml_values():  # what YAML escapes and continuations make, in files not yet found
        if rel not in marked_files:
            for level in markings(text)[:1]:
                found.setdefault((rel, number), level)
    for (rel, number), level in sorted(found.items()):
        yield ctx.at(rel, number, _("a classified marking ({level}密★) is in the content").format(level=level),
                     _("remove this file from the change at once and report it to the confidentiality "
                       "officer; classified material never goes into the repository"))
