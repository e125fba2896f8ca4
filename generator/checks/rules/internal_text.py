"""No public document repeats the text of an internal item (a sentence or a table row copied from an internal sheet).

The build's leak scan (leakscan.py) compares the same texts with every file it publishes, and stops the
build; this rule finds the copy where the clerk can change it, at the public file's own line, before any
rendering, and so in `gongkai check` and a pull request's annotations too.
"""

from __future__ import annotations

import re
from itertools import groupby

from ...i18n import N_, _
from ..leakscan import all_words, needles, quoted

ID = "internal-text"
TITLE = N_("Internal text copied into a public file")
SUMMARY = N_("No public document repeats the text of an internal item (a sentence or a table row copied from an "
             "internal sheet). The build's own scan stops the build on such a copy; this rule names the public "
             "file and line, so that it can be changed before anything is built.")
DEFAULTS = {"severity": "error"}
BLOCKS_BUILD = True
WITHOUT_OFFICE = True  # reads only the files' text: runs even while office.yaml or the catalog is broken
NOT_PUBLIC = ("internal", "catalog", "rules", "calendar")  # files whose text is never published as it is
IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")  # no character is composed into one of these
# What else can put an ideograph into a text's words (leakscan.all_words): an entity, a %-escape, or a character whose
# compatibility decomposition holds one (⼀ 〸 ㊙ 豈 🈐 …; tests/test_safety.py derives them from unicodedata).
SPELLS_IDEOGRAPHS = re.compile("[&%\u2e9f\u2ef3\u2f00-\u2fd5\u3038-\u303a\u3192-\u319f\u3220-\u33ff\uf900-\ufaff"
                               "\U0001f200-\U0001f2ff\U0002f800-\U0002fa1f]")


def check(ctx):
    items = ctx.content.of("internal")
    if not items:
        return
    searched = [(item, shown, compared, "".join(dict.fromkeys(IDEOGRAPH.findall(compared))))
                for item in items for shown, compared, _keys in needles(item)]
    private = {record.file for kind in NOT_PUBLIC for record in ctx.content.of(kind)}
    public = [text for text in ctx.parsed_texts() if text[0] not in private]
    for file, texts in groupby(public, key=lambda text: text[0]):
        texts = list(texts)
        joined = "".join(text for _file, _line, text in texts)
        # Without anything that spells an ideograph otherwise, a text's words hold only the ideographs it holds: a
        # needle with one the text lacks is not in it, and a file lacking one of every needle is not normalised.
        literal = SPELLS_IDEOGRAPHS.search(joined) is None
        candidates = [needle for needle in searched
                      if not literal or all(ideograph in joined for ideograph in needle[3])]
        whole = all_words(joined) if candidates else ""
        for item, shown, compared, _ideographs in candidates:
            if compared not in whole:  # the file as a whole first: most files hold no internal text at all
                continue
            line = next((line for _file, line, text in texts if compared in all_words(text)), texts[0][1])
            yield ctx.at(file, line, _("this repeats the text '{text}' of internal item '{id}' ({file}), which goes only"
                                       " on the internal board").format(text=quoted(shown), id=item.id, file=item.file),
                         _("remove the copied text from this public file"))
