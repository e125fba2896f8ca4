"""A content folder read whole: the files each content type claims, each loaded (load.py) into a Document, and
a finding for every file no type reads (one nobody claims, one whose extension Windows wrote in capitals) and for
every link out of the folder."""

from __future__ import annotations

import contextlib
import gc
from pathlib import Path
from typing import Iterator

from ..findings import ContentError, Finding
from ..i18n import _
from .load import CONTENT_SUFFIXES, Document, links_outside, load_csv, load_markdown, load_yaml, readable


def load_all(root: Path, content_types, report_unclaimed: bool = True) -> tuple[list[tuple[object, Document]], list[Finding]]:
    """Read every content file of every type; a file no type claims is reported (unless another loader reads it)."""
    with _collector_paused():
        return _load_all(root, content_types, report_unclaimed)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    # Loading only adds objects that live on; Python's cycle collector would walk all of them again and again
    # (a quarter of the loading time at 10,000 notices). Whatever cycles a parser leaves are collected after.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_all(root: Path, content_types, report_unclaimed: bool) -> tuple[list[tuple[object, Document]], list[Finding]]:
    documents: list[tuple[object, Document]] = []
    findings: list[Finding] = links_outside(root) if report_unclaimed else []
    claimed: set[Path] = set()
    for content_type in content_types:
        for path in sorted(root.glob(content_type.pattern)):
            claimed.add(path)
            if not readable(path, root) or path.suffix != path.suffix.lower():  # Windows' glob ignores case: see _misnamed
                continue  # reported by links_outside
            rel = path.relative_to(root).as_posix()
            try:
                if content_type.format == "csv":
                    doc, cell_findings = load_csv(path, rel, content_type.load_schema())
                    findings.extend(cell_findings)
                elif content_type.format == "markdown":
                    doc = load_markdown(path, rel)
                else:
                    doc = load_yaml(path, rel)
            except ContentError as error:
                findings.append(Finding(rel, error.line, error.code, error.message, error.hint))
                continue
            documents.append((content_type, doc))
    if report_unclaimed:
        findings.extend(_unclaimed(root, claimed, content_types) + _misnamed(root))
    return documents, findings


def _misnamed(root: Path) -> list[Finding]:
    """A content file whose extension is in capitals (通知.MD, saved so by Windows): Linux does not see it as .md and
    Windows does, so the clerk's preview would show what the published site lacks. Neither reads it; it is named."""
    return [
        Finding(path.relative_to(root).as_posix(), 1, "file-name",
                _("the file's extension {suffix} is in capitals, so the file is not read").format(suffix=path.suffix),
                _("rename it to {name}").format(name=path.stem + path.suffix.lower()))
        for path in sorted(root.rglob("*"))
        if path.suffix.lower() in CONTENT_SUFFIXES and path.suffix != path.suffix.lower() and readable(path, root)
    ]


def _unclaimed(root: Path, claimed: set[Path], content_types) -> list[Finding]:
    patterns = ", ".join(t.pattern for t in content_types)
    return [
        Finding(
            path.relative_to(root).as_posix(), 1, "unknown-file",
            _("this file is not read by any content type"),
            _("move or rename it to one of: {patterns} (or delete it)").format(patterns=patterns),
            severity="warning",
        )
        for path in sorted(root.rglob("*"))
        if readable(path, root) and path not in claimed and not path.name.startswith(".") and path.suffix in CONTENT_SUFFIXES
    ]
