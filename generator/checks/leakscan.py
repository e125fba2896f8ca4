"""Before anything is published: no internal item may appear anywhere in the public output.

Internal items (对内公开) are never rendered for the public, but a clerk
can still paste their text into a notice by mistake. The scan looks for
each internal item's id, title, longer texts and table rows in every text
file the generator hands on (the Markdown pages and the engine's settings
with the navigation, feed, data, poster HTML), comparing words only: tags,
entities, Markdown emphasis and links, invisible characters, spaces and
punctuation do not hide a text. Attribute values and link addresses
(%-escapes decoded) are read as well as the words: a title in a title="…"
or in a link's query string is published too.
The site engine and the search indexer only reshape these files inside a
fixed theme, so scanning them rather than the built HTML (ten times the
bytes at 10,000 notices) is as strict and lets a leak stop the build early.
It sits with the checks, below the stages that render and publish: the gate
(publish/gate.py) runs it on every file the build hands on, the supervisor's
考核表 (render/supervision.py) as they are laid out, and the internal-text
rule compares content with the same words (needles, all_words).
"""

from __future__ import annotations

import html
import re
from pathlib import PurePosixPath

from .. import timings
from ..findings import Finding
from ..i18n import _
from ..normalize import plain, readings

TEXT_SUFFIXES = {".html", ".xml", ".json", ".csv", ".txt", ".js", ".md", ".yml"}
MIN_TEXT_LENGTH = 6  # shorter cells ("综合科", "良好") are ordinary words, not leaks
BREAKS = re.compile(r"[\s\u200b]+")
NON_WORD = re.compile(r"[\W_]+")


def words(text: str) -> str:
    """What is compared: the words a reader reads, without tags, emphasis, spaces, punctuation or escapes.

    Unescaped twice: a value the templates escape can be escaped again by the engine (&amp;quot;).
    """
    return NON_WORD.sub("", plain(html.unescape(text)))


def all_words(text: str) -> str:
    """words(), then the words of the text with its attributes and addresses kept, on a line of their own."""
    return "\n".join(NON_WORD.sub("", reading) for reading in readings(html.unescape(text)))


def needles(item) -> list[tuple[str, str, tuple]]:
    """(shown text, compared words, key path) for each text of an internal item that must not be published.

    A table is compared cell by cell and row by row (its cells together): a row of short cells pasted whole
    is as much a leak as one long cell.
    """
    texts = [(item.title, ("title",))] + ([(item.get("note"), ("note",))] if item.get("note") else [])
    for row_index, row in enumerate(item.get("rows") or []):
        cells = [str(cell) for cell in (row if isinstance(row, list) else [row]) if cell not in (None, "")]
        texts += [(cell, ("rows", row_index)) for cell in cells]
        if len(cells) > 1:
            texts.append((" ".join(cells), ("rows", row_index)))
    found = [(BREAKS.sub("", text), words(text), keys) for text, keys in texts]
    return [needle for needle in found if len(needle[1]) >= MIN_TEXT_LENGTH]


@timings.stage("scan")  # here rather than in the gate: the supervisor's 考核表 are scanned without it
def scan(content, files: dict[str, bytes]) -> list[Finding]:
    """Findings for every internal item whose text is in one of `files` (path → bytes)."""
    items = content.of("internal")
    if not items:
        return []
    # An id is compared as it is written ("neibu-1" is not "neibu1"), only breaks aside.
    ids = [(item, spread(BREAKS.sub("", item.id), BREAKS)) for item in items]
    searched = [(item, shown, spread(compared, NON_WORD), keys)
                for item in items for shown, compared, keys in needles(item)]
    findings = []
    for path in sorted(p for p in files if PurePosixPath(p).suffix in TEXT_SUFFIXES):
        text = files[path].decode("utf-8", errors="replace")
        texts = readings(html.unescape(text))  # what all_words compares, before it drops what is not a word
        reported = set()
        for item, pattern in ids:
            if pattern.search(text):
                reported.add(id(item))
                findings.append(_leak(item, ("id",), item.id, path))
        for item, shown, pattern, keys in searched:
            if id(item) not in reported and any(map(pattern.search, texts)):
                reported.add(id(item))
                findings.append(_leak(item, keys, shown, path))
    return findings


def spread(compared: str, between: re.Pattern) -> re.Pattern:
    """compared's characters in order, anything `between` matches among them: found in a text exactly where
    compared is found in the text with all that removed, without removing it from every file (that was most of a
    build's scan)."""
    gap = f"(?:{between.pattern})?"
    return re.compile(gap.join(map(re.escape, compared)))


def quoted(shown: str, length: int = 20) -> str:
    """The start of a copied text for a message, marked as cut when it is: a clerk who deleted only the quoted
    words would publish the rest."""
    return shown if len(shown) <= length else shown[:length] + "…"


def _leak(item, keys: tuple, shown: str, path: str) -> Finding:
    return Finding(item.file, item.line(*keys), "internal-leak",
                   _("internal item text '{needle}' appears in the public output (site/{path})")
                   .format(needle=quoted(shown), path=path),
                   _("remove it from the public content that repeats it; internal items go only on the internal board"))
