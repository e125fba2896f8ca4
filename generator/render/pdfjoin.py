"""all.pdf: the board's sheets, already laid out as PDFs, joined into one print job with each face embedded once.

Each sheet's PDF carries its own subset of each face it uses (the print face, and the installed face a rare
character comes from: printfont), every glyph at its number in the face (WeasyPrint keeps them: HarfBuzz's
retain-gids). So the sheets need no new layout to share one font: the face is cut again to every glyph any sheet
uses, and every sheet's font points to one CID font holding that program and every glyph's width (the face's,
whatever the sheet), keeping the text its own glyphs stand for (one glyph may stand for · in one sheet and • in
another). A build whose one sheet changed laid out every
unchanged sheet again to join them. The face is cut as WeasyPrint cuts it: the cut of the first sheet's glyphs
must give, byte for byte, the program that sheet embedded, or the face is not shared, and each sheet keeps its own
under a name of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

from . import printfont

_GLYPH_TEXT = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_CODE_SPACE_END = b"endcodespacerange\n"
_PROGRAMS = ("/FontFile3", "/FontFile2", "/FontFile")


def join(pdfs: list[bytes], title: str, author: str, as_of: dt.date) -> bytes:
    """The PDFs' pages in order as one PDF, each face embedded once where it can be cut again."""
    from pypdf import PdfReader, PdfWriter

    pages = [page for data in pdfs for page in PdfReader(io.BytesIO(data)).pages]
    for family, uses in _embedded_fonts(pages).items():
        if not _shared(family, uses):
            _named_apart(family, uses)
    writer = PdfWriter()
    for page in pages:  # only what the pages still refer to is copied: not the programs just replaced
        writer.add_page(page)
    stamp = f"D:{as_of.strftime('%Y%m%d')}000000+08'00'"
    writer.add_metadata({"/Title": title, "/Author": author, "/CreationDate": stamp, "/ModDate": stamp,
                         "/Producer": "gongkai"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _embedded_fonts(pages) -> dict[str, list[tuple]]:
    """Family (a font's name without its subset tag) → each of its fonts on the pages, once: (the font, its CID
    font, its descriptor, the key of its program there)."""
    found: dict[str, list[tuple]] = {}
    seen = set()
    for page in pages:
        fonts = (page.get("/Resources") or {}).get("/Font")
        for reference in (fonts.get_object() if fonts else {}).values():
            font = reference.get_object()
            if id(font) in seen or font.get("/Subtype") != "/Type0":
                continue
            seen.add(id(font))
            cid_font = font["/DescendantFonts"][0].get_object()
            descriptor = cid_font["/FontDescriptor"].get_object()
            key = next((key for key in _PROGRAMS if key in descriptor), None)
            if key is not None:
                found.setdefault(str(font["/BaseFont"]).partition("+")[2], []).append((font, cid_font, descriptor, key))
    return found


def _glyphs(font) -> set[int]:
    """The glyphs a font's text uses: those its ToUnicode map names, which WeasyPrint cuts its face to."""
    cmap = font["/ToUnicode"].get_object().get_data() if "/ToUnicode" in font else b""
    return {int(glyph, 16) for glyph, _text in _GLYPH_TEXT.findall(cmap.partition(_CODE_SPACE_END)[2])}


def _shared(family: str, uses: list[tuple]) -> bool:
    """Every use's font given one CID font: the face cut to all their glyphs and the widths of all of them (a glyph's
    width is the face's, whatever the sheet), so fonts of one name differ in their text maps alone, should a printer
    take two of one name for one; False where that cannot be done."""
    from pypdf.generic import ArrayObject, NameObject, NumberObject

    first, cid_font, descriptor, key = uses[0]
    program = descriptor[key].get_object()
    if printfont.embedded(family, sorted(_glyphs(first))) != program.get_data():  # not the face WeasyPrint cut
        return False
    whole = printfont.embedded(family, sorted(set().union(*(_glyphs(font) for font, *_rest in uses))))
    if whole is None:
        return False
    program.set_data(whole)
    widths = {}
    for _font, each_cid_font, _descriptor, _key in uses:
        widths.update(_widths(each_cid_font.get("/W", [])))
    cid_font[NameObject("/W")] = ArrayObject(
        [item for glyph in sorted(widths) for item in (NumberObject(glyph), ArrayObject([widths[glyph]]))])
    shared = ArrayObject([first["/DescendantFonts"].get_object()[0]])  # the reference to the CID font, not a copy
    for font, *_rest in uses[1:]:
        font[NameObject("/DescendantFonts")] = shared
    return True


def _widths(array) -> dict[int, object]:
    """A CID font's /W: runs of `first [w w …]` and of `first last w`, as glyph → width."""
    widths, index = {}, 0
    while index + 1 < len(array):
        first = int(array[index])
        if isinstance(array[index + 1], list):
            widths.update({first + offset: width for offset, width in enumerate(array[index + 1])})
            index += 2
        else:
            widths.update(dict.fromkeys(range(first, int(array[index + 1]) + 1), array[index + 2]))
            index += 3
    return widths


def _named_apart(family: str, uses: list[tuple]) -> None:
    """Each use's font named by a tag of its own program, so that no two programs in the job share a name."""
    from pypdf.generic import NameObject

    for font, cid_font, descriptor, key in uses:
        digest = hashlib.sha256(descriptor[key].get_object().get_data()).digest()
        name = NameObject("/" + "".join(chr(65 + byte % 26) for byte in digest[:6]) + "+" + family)
        font[NameObject("/BaseFont")] = cid_font[NameObject("/BaseFont")] = descriptor[NameObject("/FontName")] = name
