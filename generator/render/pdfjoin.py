"""all.pdf: the board's sheets, already laid out as PDFs, joined into one print job with the print face embedded once.

Each sheet's PDF carries its own subset of the print face (printfont), every glyph at its number in the face
(WeasyPrint keeps them: HarfBuzz's retain-gids). So the sheets' text needs no new layout to share one font: the face
is cut again to every glyph any sheet uses, with their widths and the text they stand for, and every page points to
that one font. This is what laying out all the sheets again as one document embedded, at a tenth of the CPU: a build
whose one sheet changed joined every unchanged sheet by laying it out again. A font that is not the print face (the
installed face a rare character comes from) stays as each sheet embedded it.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from . import printfont

_GLYPH_TEXT = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_CODE_SPACE_END = b"endcodespacerange\n"
_CHARACTERS_END = b"endbfchar\n"


def join(pdfs: list[bytes], title: str, author: str, as_of: dt.date) -> bytes:
    """The PDFs' pages in order as one PDF, each weight of the print face embedded once."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    pages = [page for data in pdfs for page in PdfReader(io.BytesIO(data)).pages]
    for weight, uses in _print_face_fonts(pages).items():
        shared = _shared_font(weight, uses)
        if shared is not None:
            for fonts, name, _reference, _font in uses:
                fonts[NameObject(name)] = shared
    writer = PdfWriter()
    for page in pages:  # only what the pages still refer to is copied: not the fonts just replaced
        writer.add_page(page)
    stamp = f"D:{as_of.strftime('%Y%m%d')}000000+08'00'"
    writer.add_metadata({"/Title": title, "/Author": author, "/CreationDate": stamp, "/ModDate": stamp,
                         "/Producer": "gongkai"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _print_face_fonts(pages) -> dict[int, list[tuple]]:
    """Weight → every use of a print face's font on the pages: (the page's font resources, the font's name there,
    its reference, the font)."""
    weights = {printfont.FAMILY.replace(" ", "-"): 400, printfont.FAMILY.replace(" ", "-") + "-Bold": 700}
    uses: dict[int, list[tuple]] = {}
    for page in pages:
        fonts = (page.get("/Resources") or {}).get("/Font")
        for name, reference in (fonts.get_object() if fonts else {}).items():
            font = reference.get_object()
            weight = weights.get(str(font.get("/BaseFont", "")).partition("+")[2])
            if weight is not None and font.get("/Subtype") == "/Type0":
                uses.setdefault(weight, []).append((fonts.get_object(), name, reference, font))
    return uses


def _shared_font(weight: int, uses: list[tuple]):
    """The first use's font made to hold every glyph of all the uses (its program, widths and text), as a reference
    to give the others; None where the face cannot be cut to them, and each keeps its own."""
    from pypdf.generic import ArrayObject, NameObject, NumberObject

    texts, widths = {}, {}
    for _fonts, _name, _reference, font in uses:
        cmap = font["/ToUnicode"].get_object().get_data()
        for glyph, text in _GLYPH_TEXT.findall(cmap.partition(_CODE_SPACE_END)[2]):
            texts.setdefault(int(glyph, 16), text)
        widths.update(_widths(font["/DescendantFonts"][0].get_object()["/W"]))
    glyphs = sorted(texts)
    program = printfont.glyphs_of(weight, glyphs)
    if program is None:
        return None
    _fonts, _name, reference, first = uses[0]
    cid_font = first["/DescendantFonts"][0].get_object()
    cid_font[NameObject("/W")] = ArrayObject(
        [item for glyph in sorted(widths) for item in (NumberObject(glyph), ArrayObject([widths[glyph]]))])
    cid_font["/FontDescriptor"].get_object()["/FontFile3"].get_object().set_data(program)
    to_unicode = first["/ToUnicode"].get_object()
    head, _, rest = to_unicode.get_data().partition(_CODE_SPACE_END)
    body = b"".join(b"%d beginbfchar\n" % len(batch) + b"".join(b"<%04x> <%s>\n" % (glyph, texts[glyph]) for glyph in batch)
                    + _CHARACTERS_END for batch in (glyphs[i:i + 100] for i in range(0, len(glyphs), 100)))
    tail = rest.rpartition(_CHARACTERS_END)[2] if _CHARACTERS_END in rest else rest
    to_unicode.set_data(head + _CODE_SPACE_END + body + tail)
    return reference


def _widths(array) -> dict[int, object]:
    """A CID font's /W: `first [w w …]` and `first last w` runs, as glyph → width."""
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
