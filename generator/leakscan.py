"""After every build: no internal item may appear anywhere in the public output.

Internal items (对内公开) are never rendered for the public, but a clerk
can still paste their text into a notice by mistake. The scan looks for
each internal item's id, title and longer texts in every text file of the
built site (pages, search index, feeds, data, poster HTML), ignoring the
spaces and zero-width breaks that search segmentation inserts.
"""

from __future__ import annotations

import re
from pathlib import Path

from .findings import Finding

TEXT_SUFFIXES = {".html", ".xml", ".json", ".csv", ".txt", ".js", ".md"}
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


def scan(content, public_dir: Path, shown_as: str = "site") -> list[Finding]:
    items = content.of("internal")
    if not items:
        return []
    findings = []
    for path in sorted(p for p in public_dir.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES):
        text = BREAKS.sub("", path.read_text(encoding="utf-8", errors="replace"))
        for item in items:
            for needle, keys in _needles(item):
                if needle in text:
                    where = f"{shown_as}/{path.relative_to(public_dir).as_posix()}"
                    findings.append(Finding(item.file, item.line(*keys), "internal-leak",
                                            f"internal item text '{needle[:20]}' appears in the public output ({where})",
                                            "remove it from the public content that repeats it; internal items go only on the internal board"))
                    break
    return findings
