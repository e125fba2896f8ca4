"""Classified markings never enter the repository (党的秘密事项不列入公开; 保密规定).

A 秘密★, 机密★ or 绝密★ marking, or a 密级 line (密级：机密), anywhere in the
content blocks every build. It is found however it was typed: any star
(★ ☆ * ∗ ﹡ ⋆ ✱, the private-use star Word inserts from Wingdings), the
star first (★机密) or in brackets (机密（★）), no star but a period (机密
一年, 秘密 10年, 绝密★长期), no star but alone on its line (机密), traditional characters (機密, 絕密), spaces,
entities, YAML escapes, invisible characters, Markdown emphasis or
backslashes inside it; in the text and in attribute values and addresses.
The words alone (国家秘密, 商业秘密, 党的秘密事项) are not a marking.
"""

from __future__ import annotations

import re

from ...i18n import N_, _
from ...normalize import readings

ID = "classified-marking"
TITLE = N_("Classified marking")
SUMMARY = N_("Classified markings never enter the repository (党的秘密事项不列入公开; 保密规定). A 秘密★, 机密★ or 绝密★ marking, or a "
             "密级 line, anywhere in the content stops every build, however it was typed: another star or none, the "
             "star first or in brackets, a period after it, traditional characters, spaces, invisible characters "
             "or formatting inside it. The words alone (国家秘密, 商业秘密, 党的秘密事项) are not a marking.")
DEFAULTS = {"severity": "error"}
BLOCKS_BUILD = True
WITHOUT_OFFICE = True  # reads only the files' text: runs even while office.yaml or the catalog is broken

LEVELS = {"绝": "绝", "絕": "绝", "机": "机", "機": "机", "秘": "秘", "祕": "秘"}
STARS = "★☆✩✪✫✬✭✮✯⭐✦✧✱✲✳✴✵✶✷✸✹✺✻✼✽⁎∗⋆*\ue000-\uf8ff"  # \ue000-\uf8ff: private use, where symbol fonts put theirs
GAP = r"[\s*_~`\\]*"  # spaces (full-width too), Markdown emphasis and escapes between the characters
BRACKETS = r"[\s*_~`\\(\[（【〔［]*"  # a star in brackets: 机密（★）, 机密[★]
# The 保密期限 that follows a marking: 十年, 6个月, 长期 (never four digits: 国家秘密2025年度 is a year).
PERIOD = rf"(?:(?:[0-9]{{1,2}}|[一二三四五六七八九十两]{{1,3}}){GAP}(?:年|个月)|长期)"
LEVEL = r"([绝絕机機秘祕])"
MARKING = re.compile(rf"{LEVEL}{GAP}密{BRACKETS}[{STARS}]"  # 机密★, 机密（★）
                     rf"|[{STARS.replace('*', '')}]{GAP}{LEVEL}{GAP}密"  # ★机密 (not *: Markdown emphasis opens with it)
                     rf"|{LEVEL}{GAP}密{GAP}[:：]?{GAP}{PERIOD}"  # 机密 一年, 秘密10年
                     rf"|密{GAP}级{GAP}[:：]?{GAP}{LEVEL}{GAP}密"  # 密级：机密
                     rf"|^[\s#>\-]*{GAP}{LEVEL}{GAP}密{GAP}$", re.M)  # 机密 alone on its line, as at a document's head
CUE = re.compile(r"[密&%]")  # no 密, no entity and no %-escape in a line: nothing to find


def markings(text: str) -> list[str]:
    """The level (秘, 机 or 绝) of each marking in a text."""
    if not CUE.search(text):
        return []
    return [LEVELS[next(level for level in match.groups() if level)]
            for reading in readings(text) for match in MARKING.finditer(reading)]


def check(ctx):
    raw = [(rel, number, line) for _path, rel, text in ctx.content_files()  # the raw text: comments too
           if CUE.search(text) for number, line in enumerate(text.split("\n"), 1)]  # a line without a cue has none
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
