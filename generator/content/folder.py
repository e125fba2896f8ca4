"""A content folder read whole: the files each content type claims, each loaded (load.py) into a Document, and
a finding for every file no type reads (one nobody claims, one whose extension Windows wrote in capitals) and for
every link out of the folder."""

from __future__ import annotations

import contextlib
import gc
import os
from pathlib import Path
from typing import Iterator

from ..findings import ContentError, Finding
from ..i18n import _
from .load import CONTENT_SUFFIXES, Document, inside, load_csv, load_markdown, load_yaml, read_text, readable


class Listing:
    """Every path under a content folder from one walk (as sorted(root.rglob("*")) lists them: links to folders
    not entered), whether each may be opened (load.readable) asked once, and the text of each content file the
    loader read. The loader, the attachments' check and the scans each walked the whole folder and asked again."""

    def __init__(self, root: Path):
        self.root = root
        self.texts: dict[str, str] = {}  # rel → the text read_text gave, for the scans that read every file
        self._links: set[Path] = set()
        self._readable: dict[Path, bool] = {}
        self._rels: dict[Path, str] = {}
        self._paths: list[Path] | None = None

    @property
    def paths(self) -> list[Path]:
        if self._paths is None:  # walked when first asked: loading the county's calendars needs no walk
            self._walk(os.fspath(self.root), "")
            self._paths = sorted(self._rels)
        return self._paths

    def rel(self, path: Path) -> str:
        """A path under root relative to it, with forward slashes (as the walk named it, when it did)."""
        rel = self._rels.get(path)
        return path.relative_to(self.root).as_posix() if rel is None else rel

    def _walk(self, folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return  # as rglob: a folder that cannot be listed is passed over
        for entry in entries:
            path = Path(entry.path)
            self._rels[path] = rel = prefix + entry.name
            if entry.is_symlink():
                self._links.add(path)
                continue
            if os.name != "nt":  # reached through no link: load.readable's answer, without its lstat of each folder
                self._readable[path] = entry.is_file(follow_symlinks=False)
            if entry.is_dir(follow_symlinks=False):
                self._walk(entry.path, rel + "/")

    def readable(self, path: Path) -> bool:
        """load.readable(path, root), remembered."""
        if path not in self._readable:
            self._readable[path] = readable(path, self.root)
        return self._readable[path]

    def text(self, path: Path, rel: str) -> str:
        """The file's text (load.read_text), kept for the scans."""
        self.texts[rel] = text = read_text(path)
        return text

    def links_outside(self) -> list[Finding]:
        """A finding for every symbolic link under root that leads outside it, or to anything but a file or folder.

        The loader and the scans skip what such a link names: a CSV linked to /etc/passwd would print its first
        line into the CI log, and a link to /dev/zero would read until memory runs out.
        """
        top = self.root.resolve()
        return [Finding(self.rel(path), 1, "symlink",
                        _("this is a link to something outside the content folder, which is never read"),
                        _("replace the link with the file itself (copy it into the content folder)"))
                for path in self.paths if path in self._links and not inside(path, top)]


def load_all(root: Path, content_types, report_unclaimed: bool = True,
             listing: Listing | None = None) -> tuple[list[tuple[object, Document]], list[Finding]]:
    """Read every content file of every type; a file no type claims is reported (unless another loader reads it).
    With `listing` (the folder's, walked once), what was read is kept in it."""
    with _collector_paused():
        return _load_all(root, content_types, report_unclaimed, listing or Listing(root))


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


def _load_all(root: Path, content_types, report_unclaimed: bool,
              listing: Listing) -> tuple[list[tuple[object, Document]], list[Finding]]:
    documents: list[tuple[object, Document]] = []
    findings: list[Finding] = listing.links_outside() if report_unclaimed else []
    claimed: set[Path] = set()
    for content_type in content_types:
        for path in sorted(root.glob(content_type.pattern)):
            claimed.add(path)
            suffix = path.suffix
            if not listing.readable(path) or suffix != suffix.lower():  # Windows' glob ignores case: see _misnamed
                continue  # reported by links_outside
            rel = listing.rel(path)
            try:
                if content_type.format == "csv":
                    doc, cell_findings = load_csv(path, rel, content_type.load_schema(), listing.text(path, rel))
                    findings.extend(cell_findings)
                elif content_type.format == "markdown":
                    doc = load_markdown(path, rel, listing.text(path, rel))
                else:
                    doc = load_yaml(path, rel, listing.text(path, rel))
            except ContentError as error:
                findings.append(Finding(rel, error.line, error.code, error.message, error.hint))
                continue
            documents.append((content_type, doc))
    if report_unclaimed:
        findings.extend(_unclaimed(listing, claimed, content_types) + _misnamed(listing))
    return documents, findings


def _misnamed(listing: Listing) -> list[Finding]:
    """A content file whose extension is in capitals (通知.MD, saved so by Windows): Linux does not see it as .md and
    Windows does, so the clerk's preview would show what the published site lacks. Neither reads it; it is named."""
    return [
        Finding(listing.rel(path), 1, "file-name",
                _("the file's extension {suffix} is in capitals, so the file is not read").format(suffix=path.suffix),
                _("rename it to {name}").format(name=path.stem + path.suffix.lower()))
        for path in listing.paths
        if path.suffix.lower() in CONTENT_SUFFIXES and path.suffix != path.suffix.lower() and listing.readable(path)
    ]


def _unclaimed(listing: Listing, claimed: set[Path], content_types) -> list[Finding]:
    patterns = ", ".join(t.pattern for t in content_types)
    return [
        Finding(
            listing.rel(path), 1, "unknown-file",
            _("this file is not read by any content type"),
            _("move or rename it to one of: {patterns} (or delete it)").format(patterns=patterns),
            severity="warning",
        )
        for path in listing.paths
        if listing.readable(path) and path not in claimed and not path.name.startswith(".") and path.suffix in CONTENT_SUFFIXES
    ]
