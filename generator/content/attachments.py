"""Attachments: the files a document carries (a budget PDF, a scanned red-header document, a photo).

A document names them in `attachments`, each a file beside it in the content folder (the editor's media
library puts uploads there too). They are published next to the document's page, at an address made of
the page's and the file's names, and listed under the text with their format and size. Each file is read
whole (attachment_reader.py) so that the safety rules scan it as they scan the document itself, or refused
by name when it cannot be; images are published without their metadata. An attachment stays in its
document's folder: a path out of it or into internal/, a link, a name with an invisible control or direction
character, and two attachments that would be published under one name are refused. A file under the content
folder that neither a content type nor any document claims is reported.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..findings import Finding
from ..i18n import _
from ..normalize import masked_text
from . import attachment_reader
from .load import CONTENT_SUFFIXES, readable

FORMATS = {".pdf": "PDF", ".png": "PNG图片", ".jpg": "JPEG图片", ".jpeg": "JPEG图片", ".gif": "GIF图片",
           ".webp": "WebP图片", ".docx": "Word文档", ".xlsx": "Excel表格", ".pptx": "PowerPoint演示文稿",
           ".ofd": "OFD版式文件"}
# Invisible characters that change how a name reads: controls, and the direction marks and overrides with which
# budget\u202efdp.docx shows as budgetxcod.pdf.
HIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
INTERNAL = "internal/"


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
        return self.suffix in attachment_reader.IMAGES


def attachments_of(record) -> list[Attachment]:
    """The record's attachments, their paths taken relative to the record's own file."""
    folder = posixpath.dirname(record.file)
    return [Attachment(record, index, posixpath.normpath(posixpath.join(folder, item["file"])), item["title"],
                       item.get("alt"))
            for index, item in enumerate(record.get("attachments") or [])]


def all_attachments(content) -> list[Attachment]:
    return [a for records in content.records.values() for record in records for a in attachments_of(record)]


def validate(content, listing) -> list[Finding]:
    """Every named file is in its document's folder and read whole, has a format the site can offer and, if an
    image, a text for readers who cannot see it; every other file under the content folder is claimed."""
    findings = []
    root = Path(content.root)
    for record in (r for records in content.records.values() for r in records):
        published: dict[str, str] = {}
        for attachment in attachments_of(record):
            where = record.line("attachments", attachment.index, "file")
            problem = _path_problem(root, attachment) or _format_problem(root, attachment)
            if problem:
                code, message, hint = problem
                findings.append(Finding(record.file, where, code, message, hint))
            else:
                name = PurePosixPath(attachment.rel).name.casefold()
                if name in published:
                    findings.append(Finding(
                        record.file, where, "attachment-path",
                        _("'{file}' and '{other}' would both be published as '{name}': the second would replace the"
                          " first").format(file=attachment.rel, other=published[name],
                                           name=PurePosixPath(attachment.rel).name),
                        _("give the two files different names")))
                published.setdefault(name, attachment.rel)
            if attachment.is_image and not (attachment.alt or "").strip():
                findings.append(Finding(record.file, record.line("attachments", attachment.index), "attachment-alt",
                                        _("the image '{file}' has no alt text").format(file=shown(attachment.rel)),
                                        _("write in 'alt' what the image shows, for readers who cannot see it")))
    claimed = {a.rel for a in all_attachments(content)}
    for path in listing.paths:  # the folder's (folder.Listing)
        rel = listing.rel(path)
        if (listing.readable(path) and path.suffix.lower() not in CONTENT_SUFFIXES and rel not in claimed
                and not any(part.startswith(".") for part in PurePosixPath(rel).parts)):
            findings.append(_unclaimed(rel))
    return findings


def _unclaimed(rel: str) -> Finding:
    name = PurePosixPath(rel)
    if name.suffix.lower() == ".txt" and PurePosixPath(name.stem).suffix.lower() in CONTENT_SUFFIXES:
        # Notepad's 另存为 adds .txt to a name typed without it in quotes, and Windows hides the last suffix.
        return Finding(rel, 1, "unknown-file", _("the file's name ends in .txt, so it is not read (Notepad added"
                                                 " .txt when it was saved)"),
                       _("rename it to {name}: in File Explorer, tick 查看 › 文件扩展名 to see the .txt").format(
                           name=name.stem))  # an error: the pull request must not pass while the document is unread
    return Finding(rel, 1, "unknown-file", _("no document names this file as an attachment"),
                   _("name it in the attachments of the document it belongs to, or delete it"), severity="warning")


def shown(rel: str) -> str:
    """A file name as a message can show it: invisible characters written out (U+202E), never obeyed."""
    return HIDDEN.sub(lambda character: f"<U+{ord(character.group()):04X}>", rel)


def _path_problem(root: Path, attachment: Attachment) -> tuple[str, str, str] | None:
    rel, file = attachment.rel, shown(attachment.rel)
    folder = posixpath.dirname(attachment.record.file)
    written = attachment.record.get("attachments")[attachment.index]["file"]
    hidden = HIDDEN.search(written)
    if hidden:
        return ("attachment-path",
                _("the attachment's name '{file}' holds an invisible character (U+{code:04X}) that can make it read"
                  " as another name").format(file=file, code=ord(hidden.group())),
                _("rename the file with ordinary characters and write the new name here"))
    own = posixpath.splitext(attachment.record.file)[0]
    holder = posixpath.dirname(rel)
    if holder != own and posixpath.dirname(holder) == folder and any(
            (root / (holder + suffix)).is_file() for suffix in CONTENT_SUFFIXES):
        # an upload before its 文件编号 changed names the folder of the number it had then: another document's
        return ("attachment-path", _("the attachment '{file}' is in the folder of another document ({other}), not of "
                                     "this one").format(file=file, other=shown(holder + posixpath.splitext(
                                         attachment.record.file)[1])),
                _("keep a document's attachments in its own folder {own}/: move the file there and write {own_name}/"
                  "{name} here (in the form editor: upload it again)").format(
                    own=own, own_name=posixpath.basename(own), name=posixpath.basename(file)))
    if rel.startswith("../") or rel == "..":
        return ("attachment-missing", _("the attachment '{file}' is not in the content folder").format(file=file),
                _("put the file beside the document (or upload it in the form editor) and write its name here"))
    if "\\" in written:  # Windows writes its paths with a backslash, which names no folder here (and no file)
        return ("attachment-missing", _("the attachment '{file}' is written with a backslash (\\)").format(
            file=shown(written)), _("write / between a folder and a file name: {path}").format(
            path=shown(written.replace("\\", "/"))))
    if not readable(root / rel, root):
        return ("attachment-missing", _("there is no file '{file}' where the document names it").format(file=file),
                _("put the file in the document's own folder {own}/ (or upload it in the form editor) and write its "
                  "name here as {own_name}/<file name>").format(own=own, own_name=posixpath.basename(own)))
    if rel.startswith(INTERNAL):
        return ("attachment-path", _("the attachment '{file}' is in internal/, which is never published")
                .format(file=file),
                _("attach only files meant for the public, kept in the document's own folder"))
    if folder and not rel.startswith(folder + "/"):
        return ("attachment-path", _("the attachment '{file}' is outside the folder of its document ({folder}/)")
                .format(file=file, folder=folder),
                _("put the file in {folder}/ beside the document and name it from there").format(folder=folder))
    path = root
    for part in PurePosixPath(rel).parts:
        path = path / part
        if path.is_symlink():
            return ("attachment-path", _("the attachment '{file}' is a link to another file").format(file=file),
                    _("copy the file itself into the document's folder instead of a link"))
    return None


def _format_problem(root: Path, attachment: Attachment) -> tuple[str, str, str] | None:
    reading = attachment_reader.read(root / attachment.rel)
    if reading.problem:
        return ("attachment-unreadable",
                # masked: an embedded file's name may itself hold the number that must not be repeated
                masked_text(_("the attachment '{file}' cannot be published: {reason}")
                            .format(file=shown(attachment.rel), reason=_(reading.problem).format(**(reading.detail or {})))),
                _("save it again as a plain PDF (print to PDF), DOCX, XLSX, PPTX, OFD or image, without password,"
                  " macros, scripts or embedded files, under the extension of its format"))
    if attachment.suffix not in FORMATS:
        return ("attachment-format", _("'{file}' is not a format the site offers").format(file=shown(attachment.rel)),
                _("attach PDF, images (PNG, JPEG, GIF, WebP), Word (DOCX), Excel (XLSX), PowerPoint (PPTX) or OFD"
                  " files"))
    return None


def attachment_texts(listing, only: set[str] | None = None) -> list[tuple[Path, str, str]]:
    """(path, rel, text) for each attachment-format file in the content folder's listing (folder.Listing), for the
    scans that read every content file: what it holds that a reader can see or copy (attachment_reader.read)."""
    found = []
    for path in listing.paths:
        rel = listing.rel(path)
        if (path.suffix.lower() in attachment_reader.READABLE and (only is None or rel in only)
                and listing.readable(path)):
            found.append((path, rel, attachment_reader.read(path).text))
    return found


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def published_as(page_path: str, attachment: Attachment) -> str:
    """Where an attachment is published: beside its record's page, under the page's address (…/<page>/<file name>)."""
    return f"{page_path[: -len('.md')]}/{PurePosixPath(attachment.rel).name}"


def site_files(content, page_path: str, record) -> tuple[dict[str, bytes], list[dict]]:
    """The record's attachments as files beside its page (…/<page>/<file name>), and what the page lists."""
    files, listed = {}, []
    for attachment in attachments_of(record):
        data = attachment_reader.strip((Path(content.root) / attachment.rel).read_bytes(), attachment.suffix)
        target = published_as(page_path, attachment)
        files[target] = data
        listed.append({"title": attachment.title, "target": target, "format": attachment.format,
                       "size": size_text(len(data)), "alt": attachment.alt, "image": attachment.is_image})
    return files, listed
