"""Before anything is published: no internal item may appear anywhere in the public output.

Internal items (对内公开) are never rendered for the public, but a clerk
can still paste their text into a notice by mistake. The scan looks for
each internal item's id, title and longer texts in every text file the
generator hands on (the Markdown pages and the engine's settings with the
navigation, feed, data, poster HTML), ignoring spaces and zero-width breaks.
The site engine and the search indexer only reshape these files inside a
fixed theme, so scanning them rather than the built HTML (ten times the
bytes at 10,000 notices) is as strict and lets a leak stop the build early.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from .findings import Finding
from .i18n import _

TEXT_SUFFIXES = {".html", ".xml", ".json", ".csv", ".txt", ".js", ".md", ".yml"}
MIN_TEXT_LENGTH = 6  # shorter cells ("综合科", "良好") are ordinary words, not leaks
BREAKS = re.compile(r"[\s\u200b]+")


def _needles(item) -> list[tuple[str, tuple]]:
    needles = [(item.id, ("id",)), (item.title, ("title",))]
    if item.get("note"):
        needles.append((item.get("note"), ("note",)))
    for row_index, row in enumerate(item.get("rows") or []):
        for cell in row if isinstance(row, list) else [row]:
            if isinstance(cell, str) and len(BREAKS.sub("", cell)) >= MIN_TEXT_LENGTH:
                needles.append((cell, ("rows", row_index)))
    return [(BREAKS.sub("", text), keys) for text, keys in needles]


def scan(content, files: dict[str, bytes]) -> list[Finding]:
    """Findings for every internal item whose text is in one of `files` (path → bytes)."""
    items = content.of("internal")
    if not items:
        return []
    needles = [(item, needle, keys) for item in items for needle, keys in _needles(item)]
    findings = []
    for path in sorted(p for p in files if PurePosixPath(p).suffix in TEXT_SUFFIXES):
        text = BREAKS.sub("", files[path].decode("utf-8", errors="replace"))
        reported = set()
        for item, needle, keys in needles:
            if id(item) not in reported and needle in text:
                reported.add(id(item))
                findings.append(Finding(item.file, item.line(*keys), "internal-leak",
                                        _("internal item text '{needle}' appears in the public output (site/{path})")
                                        .format(needle=needle[:20], path=path),
                                        _("remove it from the public content that repeats it; internal items go "
                                          "only on the internal board")))
    return findings
