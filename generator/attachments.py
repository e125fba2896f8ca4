"""Attachments: the files a document carries (a budget PDF, a scanned red-header document, a photo).

A document names them in `attachments`, each a file beside it in the content folder (the editor's media
library puts uploads there too). They are published next to the document's page, at an address made of
the page's and the file's names, and listed under the text with their format and size. The text of a
PDF is read here so that the safety rules scan it as they scan the document itself; a file under the
content folder that neither a content type nor any document claims is reported.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from .findings import Finding
from .i18n import _
from .load import CONTENT_SUFFIXES, readable

FORMATS = {".pdf": "PDF", ".png": "PNG图片", ".jpg": "JPEG图片", ".jpeg": "JPEG图片", ".gif": "GIF图片",
           ".webp": "WebP图片", ".doc": "Word文档", ".docx": "Word文档", ".xls": "Excel表格", ".xlsx": "Excel表格",
           ".ppt": "PowerPoint演示文稿", ".pptx": "PowerPoint演示文稿", ".wps": "WPS文字", ".et": "WPS表格",
           ".ofd": "OFD版式文件"}
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


@dataclass(frozen=True)
class Attachment:
    record: object
    index: int
    rel: str  # inside the content folder, with forward slashes
    title: str
    alt: str | None

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.rel).suffix.lower()

    @property
    def format(self) -> str:
        return FORMATS.get(self.suffix, self.suffix.lstrip(".").upper())

    @property
    def is_image(self) -> bool:
        return self.suffix in IMAGES


def attachments_of(record) -> list[Attachment]:
    """The record's attachments, their paths taken relative to the record's own file."""
    folder = posixpath.dirname(record.file)
    return [Attachment(record, index, posixpath.normpath(posixpath.join(folder, item["file"])), item["title"],
                       item.get("alt"))
            for index, item in enumerate(record.get("attachments") or [])]


def all_attachments(content) -> list[Attachment]:
    return [a for records in content.records.values() for record in records for a in attachments_of(record)]


def validate(content) -> list[Finding]:
    """Every named file exists inside the content folder, has a format the site can offer and, if an image,
    a text for readers who cannot see it; every other file under the content folder is claimed."""
    findings = []
    root = Path(content.root)
    for attachment in all_attachments(content):
        record, where = attachment.record, attachment.record.line("attachments", attachment.index, "file")
        path = root / attachment.rel
        if attachment.rel.startswith("../") or not readable(path, root):
            findings.append(Finding(record.file, where, "attachment-missing",
                                    _("the attachment '{file}' is not in the content folder").format(file=attachment.rel),
                                    _("put the file beside the document (or upload it in the form editor) and write "
                                      "its name here")))
        elif attachment.suffix not in FORMATS:
            findings.append(Finding(record.file, where, "attachment-format",
                                    _("'{file}' is not a format the site offers").format(file=attachment.rel),
                                    _("attach PDF, images (PNG, JPEG, GIF, WebP), Word, Excel, PowerPoint, WPS or OFD files")))
        if attachment.is_image and not (attachment.alt or "").strip():
            findings.append(Finding(record.file, attachment.record.line("attachments", attachment.index), "attachment-alt",
                                    _("the image '{file}' has no alt text").format(file=attachment.rel),
                                    _("write in 'alt' what the image shows, for readers who cannot see it")))
    claimed = {a.rel for a in all_attachments(content)}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        # the content types read the content files (a capitalised one is named by load); the rest must be claimed
        if (readable(path, root) and path.suffix.lower() not in CONTENT_SUFFIXES and rel not in claimed
                and not any(part.startswith(".") for part in PurePosixPath(rel).parts)):
            findings.append(Finding(rel, 1, "unknown-file", _("no document names this file as an attachment"),
                                    _("name it in the attachments of the document it belongs to, or delete it"),
                                    severity="warning"))
    return findings


def pdf_texts(root: Path, only: set[str] | None = None) -> list[tuple[Path, str, str]]:
    """(path, rel, text) for each PDF under the content folder, for the scans that read every content file."""
    found = []
    for path in sorted(Path(root).rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.suffix.lower() == ".pdf" and readable(path, root) and (only is None or rel in only):
            found.append((path, rel, pdf_text(path)))
    return found


def pdf_text(path: Path) -> str:
    """The PDF's text, page after page (a form feed between pages); an unreadable PDF has none."""
    stat = path.stat()
    return _pdf_text(path, stat.st_mtime_ns, stat.st_size)


@cache  # the checks and the build read the same PDFs; a changed file has another stamp
def _pdf_text(path: Path, _mtime: int, _size: int) -> str:
    from pypdf import PdfReader

    try:
        return "\f\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    except Exception:  # noqa: BLE001 - a damaged or encrypted PDF has no text to scan; pypdf raises many kinds
        return ""


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def site_files(content, page_path: str, record) -> tuple[dict[str, bytes], list[dict]]:
    """The record's attachments as files beside its page (…/<page>/<file name>), and what the page lists."""
    folder = page_path[: -len(".md")]
    files, listed = {}, []
    for attachment in attachments_of(record):
        data = (Path(content.root) / attachment.rel).read_bytes()
        target = f"{folder}/{PurePosixPath(attachment.rel).name}"
        files[target] = data
        listed.append({"title": attachment.title, "target": target, "format": attachment.format,
                       "size": size_text(len(data)), "alt": attachment.alt, "image": attachment.is_image})
    return files, listed
