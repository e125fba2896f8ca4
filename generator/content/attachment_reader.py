"""What an attachment holds, read whole for the safety scans, or a reason why it cannot be.

A file is published as it is, so everything in it that a reader can see or copy is scanned like a document's
text: a PDF's page text and every text string of its objects (metadata, annotations, form fields, bookmarks,
link addresses, the names of embedded files) and its XMP metadata; the text of every XML part of a DOCX,
XLSX, PPTX or OFD (body, headers, comments, properties) and its link addresses; an image's metadata (EXIF,
GPS, XMP, comments, PNG text).

What cannot be read whole is refused, by name: an encrypted, damaged or oversized file; a PDF with JavaScript
or other actions that run, or with embedded files; an Office file with macros or embedded objects; the old
binary Office and WPS formats, which no reader here can open; and a file whose content is not what its
extension says (an HTML page named .pdf). Images are published without their metadata (strip()), keeping
only how to turn them upright.
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..i18n import N_

MAX_BYTES = 50 * 1024 * 1024  # larger than any notice needs; a bigger file is split or compressed
MAX_UNPACKED = 200 * 1024 * 1024  # a DOCX or XLSX unpacked: more is a zip bomb, not a document
MAX_OBJECTS = 200_000  # a PDF's objects: more is built to exhaust the scan

PDF = {".pdf"}
OFFICE = {".docx", ".xlsx", ".pptx"}
OFD = {".ofd"}
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
OLD_BINARY = {".doc", ".xls", ".ppt", ".wps", ".et"}  # OLE compound files: nothing here reads them
READABLE = PDF | OFFICE | OFD | IMAGES

ENCRYPTED = N_("it is encrypted or protected by a password, so its text cannot be read in full")
BROKEN = N_("it is damaged and cannot be opened")
TOO_BIG = N_("it is larger than {limit} MB")
ACTIVE = N_("it contains JavaScript or other actions that run when it is opened")
EMBEDDED = N_("it carries embedded files ({names})")
MACROS = N_("it contains macros or embedded objects")
OLD_FORMAT = N_("the old binary Office or WPS format cannot be read in full by the safety check")
NOT_ITS_TYPE = N_("its content is not a {format} file, whatever its name says")
TOO_COMPLEX = N_("it has more than {count} parts to read")

# The first bytes of each format a file's name may claim.
SIGNATURES = {".pdf": (b"%PDF-",), ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",),
              ".jpeg": (b"\xff\xd8\xff",), ".gif": (b"GIF87a", b"GIF89a"), ".webp": (b"RIFF",),
              ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".pptx": (b"PK\x03\x04",), ".ofd": (b"PK\x03\x04",)}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted DOCX/XLSX is one of these, as are .doc and .xls


@dataclass(frozen=True)
class Reading:
    text: str = ""
    problem: str = ""  # a message id (N_) saying why the file is refused; "" when it was read whole
    detail: dict | None = None  # the message's values


def read(path: Path) -> Reading:
    """The file's text as the scans read it, or why it is refused; cached by the file's stamp."""
    stat = path.stat()
    return _read(path, path.suffix.lower(), stat.st_mtime_ns, stat.st_size)


@cache  # the checks and the build read the same files; a changed file has another stamp
def _read(path: Path, suffix: str, _mtime: int, size: int) -> Reading:
    if suffix in OLD_BINARY:
        return Reading(problem=OLD_FORMAT)
    if suffix not in READABLE:
        return Reading()
    if size > MAX_BYTES:
        return Reading(problem=TOO_BIG, detail={"limit": MAX_BYTES // 1024 // 1024})
    with open(path, "rb") as file:
        head = file.read(16)
    if not matches(head, suffix):
        if head.startswith(OLE) and suffix in OFFICE:
            return Reading(problem=ENCRYPTED)
        return Reading(problem=NOT_ITS_TYPE, detail={"format": suffix.lstrip(".").upper()})
    try:
        if suffix in PDF:
            return _pdf(path)
        if suffix in IMAGES:
            return _image(path)
        return _package(path, suffix)
    except _Refused as refused:
        return Reading(problem=refused.args[0], detail=refused.args[1] if len(refused.args) > 1 else None)
    except Exception:  # noqa: BLE001 - a damaged file makes a parser raise anything; it is refused, not a traceback
        return Reading(problem=BROKEN)


def matches(head: bytes, suffix: str) -> bool:
    """The file begins as the format its extension names does (a WebP is a RIFF file of kind WEBP)."""
    signatures = SIGNATURES.get(suffix)
    if signatures is None:
        return True
    return head.startswith(signatures) and (suffix != ".webp" or head[8:12] == b"WEBP")


class _Refused(Exception):
    pass


# --- PDF ------------------------------------------------------------------------------------------------------

def _pdf(path: Path) -> Reading:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject, TextStringObject

    reader = PdfReader(path)
    if reader.is_encrypted:  # "restrict editing" too: an empty user password still hides the objects' strings
        raise _Refused(ENCRYPTED)
    strings, embedded, active = [], [], False
    seen: set = set()
    stack = [reader.trailer["/Root"], reader.trailer.get("/Info")]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            if len(seen) > MAX_OBJECTS:
                raise _Refused(TOO_COMPLEX, {"count": MAX_OBJECTS})
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            active = active or any(key in obj for key in ("/JS", "/JavaScript", "/Launch", "/RichMedia", "/XFA")) \
                or obj.get("/S") in ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm")
            if obj.get("/Type") == "/Filespec" or obj.get("/Subtype") == "/FileAttachment":
                embedded.append(str(obj.get("/UF") or obj.get("/F") or obj.get("/Contents") or "?"))
            elif "/EmbeddedFiles" in obj or obj.get("/Type") == "/EmbeddedFile":
                embedded.append("")  # the names, if any, are in the Filespecs it leads to
            if isinstance(obj, StreamObject) and obj.get("/Type") == "/Metadata":
                strings.append(_xml_text(obj.get_data().decode("utf-8", errors="replace"), every_element=True))
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, TextStringObject):
            strings.append(str(obj))
    if active:
        raise _Refused(ACTIVE)
    if embedded:
        raise _Refused(EMBEDDED, {"names": "、".join(sorted(set(embedded) - {""})) or "?"})
    pages = "\f\n".join(page.extract_text() or "" for page in reader.pages)
    return Reading(pages + "\n" + "\n".join(strings))


# --- DOCX, XLSX, PPTX and OFD: zip packages of XML ---------------------------------------------------------

# Where a text ends: a paragraph, a table cell or row, a shared string, a spreadsheet cell, an OFD text object.
# Inside a paragraph the runs join, so a number split across runs (138 / 1234 / 5678) is read whole.
BLOCK_END = re.compile(r"</(?:[\w.-]+:)?(?:p|tc|tr|si|c|row|v|TextObject|TextCode|Paragraph|comment)>")
SPACE = re.compile(r"<(?:[\w.-]+:)?(?:tab|br|cr)\b[^>]*/>")
TAG = re.compile(r"<[^>]*>")
TARGET = re.compile(r"""\bTarget\s*=\s*["']([^"']*)["']""")


def _package(path: Path, suffix: str) -> Reading:
    with zipfile.ZipFile(path) as package:
        entries = package.infolist()
        names = [entry.filename for entry in entries]
        if sum(entry.file_size for entry in entries) > MAX_UNPACKED:
            raise _Refused(TOO_BIG, {"limit": MAX_UNPACKED // 1024 // 1024})
        if suffix in OFFICE and "[Content_Types].xml" not in names or suffix in OFD and "OFD.xml" not in names:
            raise _Refused(NOT_ITS_TYPE, {"format": suffix.lstrip(".").upper()})
        lowered = [name.lower() for name in names]
        if any(name.endswith("vbaproject.bin") or "/activex/" in name for name in lowered):
            raise _Refused(MACROS)
        if any("/embeddings/" in name for name in lowered):
            raise _Refused(MACROS)
        texts = []
        for entry in entries:
            name = entry.filename.lower()
            if name.endswith(".rels"):  # the addresses of links and of anything the document fetches
                texts.extend(TARGET.findall(package.read(entry).decode("utf-8", errors="replace")))
            elif name.endswith(".xml"):
                properties = name.startswith("docprops/") or name.endswith(("docinfo.xml", "ofd.xml"))
                texts.append(_xml_text(package.read(entry).decode("utf-8", errors="replace"), properties))
    return Reading("\n".join(texts))


def _xml_text(xml: str, every_element: bool = False) -> str:
    """The text of an XML part, a line per block (per element for properties: 作者, 单位, 备注 each on its own)."""
    xml = SPACE.sub(" ", xml)
    xml = re.sub(r"</[^>]*>", "\n", xml) if every_element else BLOCK_END.sub("\n", xml)
    return html.unescape(TAG.sub("", xml))


# --- images -------------------------------------------------------------------------------------------------

XP_TAGS = {0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F}  # Windows' title, comment, author, keywords, subject: UTF-16
ORIENTATION = 0x0112


def _image(path: Path) -> Reading:
    from PIL import Image

    texts = []
    with Image.open(path) as image:
        image.verify()
    # What will be published must be strippable and still an image: otherwise the file is refused here, at its
    # line, instead of failing the build or going out with its metadata.
    with Image.open(io.BytesIO(strip(path.read_bytes(), path.suffix))) as image:
        image.verify()
    with Image.open(path) as image:
        exif = image.getexif()
        ifds = [exif] + [exif.get_ifd(ifd) for ifd in (0x8769, 0x8825, 0xA005)]  # Exif, GPS, interoperability
        for tag, value in ((tag, value) for ifd in ifds for tag, value in ifd.items()):
            texts.append(_exif_text(tag, value))
        for key, value in image.info.items():
            if key in ("exif", "icc_profile"):
                continue  # read above; a colour profile is no one's data
            texts.append(value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value))
    return Reading("\n".join(_xml_text(text, every_element=True) for text in texts if text))


def _exif_text(tag: int, value) -> str:
    if isinstance(value, bytes):
        if tag in XP_TAGS:
            return value.decode("utf-16-le", errors="replace").rstrip("\0")
        if value[:8] in (b"UNICODE\0", b"ASCII\0\0\0", b"\0" * 8):  # UserComment: a charset, then the text
            encoding = "utf-16" if value.startswith(b"UNICODE") else "utf-8"
            return value[8:].decode(encoding, errors="replace")
        return value.decode("utf-8", errors="replace")
    if isinstance(value, tuple):
        return " ".join(str(item) for item in value)
    return str(value)


def strip(data: bytes, suffix: str) -> bytes:
    """An image as published: without its metadata (EXIF, GPS, XMP, comments, text chunks); other files as they are.

    Byte for byte otherwise, so the picture is never re-encoded; a JPEG keeps only its orientation."""
    suffix = suffix.lower()
    if suffix in (".jpg", ".jpeg"):
        return _strip_jpeg(data)
    if suffix == ".png":
        return _strip_png(data)
    if suffix == ".gif":
        return _strip_gif(data)
    if suffix == ".webp":
        return _strip_webp(data)
    return data


def _strip_jpeg(data: bytes) -> bytes:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        orientation = image.getexif().get(ORIENTATION)
    out, position = bytearray(data[:2]), 2
    if orientation not in (None, 1):  # a phone's photo is stored sideways and turned by this tag
        kept = Image.Exif()
        kept[ORIENTATION] = orientation
        segment = b"Exif\0\0" + kept.tobytes()
        out += b"\xff\xe1" + struct.pack(">H", len(segment) + 2) + segment
    while position + 4 <= len(data) and data[position] == 0xFF:
        if data[position + 1] == 0xFF:  # fill bytes before a marker
            position += 1
            continue
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the picture itself, to the end
            break
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        segment = data[position:position + 2 + length]
        # APP1 (EXIF, XMP), APP13 (IPTC), other APPn and COM go; APP0 (JFIF), APP2 (colour profile) and APP14
        # (Adobe's colour transform) say how to draw the picture and stay.
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in (0xE0, 0xE2, 0xEE):
            out += segment
        position += 2 + length
    return bytes(out + data[position:])


PNG_KEPT = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs",
            b"bKGD", b"acTL", b"fcTL", b"fdAT"}  # how to draw it; text, EXIF and time chunks go


def _strip_png(data: bytes) -> bytes:
    out, position = bytearray(data[:8]), 8
    while position + 12 <= len(data):
        length = struct.unpack(">I", data[position:position + 4])[0]
        chunk = data[position:position + 12 + length]
        if data[position + 4:position + 8] in PNG_KEPT:
            out += chunk
        position += 12 + length
    return bytes(out)


def _strip_gif(data: bytes) -> bytes:
    flags = data[10]
    position = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    out = bytearray(data[:position])
    while position < len(data):
        kind = data[position]
        if kind == 0x3B:  # trailer
            return bytes(out + data[position:position + 1])
        start = position
        if kind == 0x2C:  # an image: descriptor, local colour table, LZW code size, then its data blocks
            local = data[position + 9]
            position += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1
        elif kind == 0x21:
            position += 2
        else:
            raise ValueError("not a GIF block")
        while data[position] != 0:
            position += data[position] + 1
        position += 1
        label, application = data[start + 1], data[start + 3:start + 14]
        # Comments (0xFE) and application blocks other than looping (NETSCAPE2.0, ANIMEXTS1.0: XMP…) go.
        if not (kind == 0x21 and (label == 0xFE or label == 0xFF and application not in (b"NETSCAPE2.0", b"ANIMEXTS1.0"))):
            out += data[start:position]
    return bytes(out)


def _strip_webp(data: bytes) -> bytes:
    out, position = bytearray(), 12
    while position + 8 <= len(data):
        kind, length = data[position:position + 4], struct.unpack("<I", data[position + 4:position + 8])[0]
        chunk = bytearray(data[position:position + 8 + length + (length & 1)])
        if kind == b"VP8X":
            chunk[8] &= ~0x0C & 0xFF  # no EXIF (0x08) and no XMP (0x04) any more
        if kind not in (b"EXIF", b"XMP "):
            out += chunk
        position += 8 + length + (length & 1)
    return b"RIFF" + struct.pack("<I", len(out) + 4) + b"WEBP" + bytes(out)
