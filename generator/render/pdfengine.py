"""WeasyPrint, as the sheets use it: a sheet's HTML laid out, refused when it does not fit or has no Chinese font,
written as PDF, and what a PDF is made from (input_key), so that an unchanged one is not laid out again.

Each process keeps one font configuration and the print face's stylesheet (printfont): a new configuration for
every sheet loaded the fonts and registered the print face again, and started Pango's font caches cold.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.metadata
import io
import os
import re
import shutil
from functools import cache
from pathlib import Path

from .. import timings
from ..i18n import _
from . import printfont

CJK_FONT_MARKERS = ("CJK", "WenQuanYi", "SourceHan", "Source-Han")
OVERFLOW_TOLERANCE = 1.0  # CSS pixels
STYLE = re.compile(r"<style>(.*?)</style>", re.S)
CODE = [Path(__file__).resolve().parent / name for name in ("posters.py", "pdfengine.py", "pdfjoin.py", "printfont.py")]


class PosterError(Exception):
    """A sheet that cannot be printed as it is: the message says which and what to do."""

    def __init__(self, message: str, sheet: str | None = None):
        super().__init__(message)
        self.sheet = sheet  # the slug of the sheet concerned, to find the content file it is printed from

    def __reduce__(self):  # sent whole from the process that lays out the PDFs
        return PosterError, (str(self), self.sheet)


@timings.stage("pdfs")
def load_engine() -> None:
    """WeasyPrint and pypdf imported, the fonts listed and the print face cut in this process: the processes it
    forks afterwards to lay out PDFs (two per office of a county) share them instead of each paying about 0.6 s CPU
    for the imports and 0.3 s for the print face."""
    import pypdf  # noqa: F401
    import weasyprint  # noqa: F401

    _engine_identity()


def input_key(html: str) -> str:
    """What a PDF is made from: the sheet's HTML (its only input, as nothing but data: addresses is fetched), the
    code that lays it out, WeasyPrint's version, the fonts it can pick and the print face cut from them."""
    return hashlib.sha256(_engine_identity() + html.encode("utf-8")).hexdigest()


@cache
def _engine_identity() -> bytes:
    from weasyprint.text.ffi import ffi, fontconfig, pango

    digest = hashlib.sha256()
    for path in CODE:
        digest.update(path.read_bytes())
    for name in ("weasyprint", "pydyf", "pypdf"):
        digest.update(f"{name}={importlib.metadata.version(name)}\0".encode())
    digest.update(f"pango={pango.pango_version()}\0".encode())
    for weight, face in sorted(printfont.faces().items()):  # HarfBuzz's cut of it, which its version may change
        digest.update(f"face {weight}\0".encode() + hashlib.sha256(face).digest())
    # Every font file fontconfig offers and its configuration files, by path, size and time: an installed or
    # updated font lays a sheet out differently.
    config = fontconfig.FcInitLoadConfigAndFonts()
    try:
        fonts, files, found = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem), set(), ffi.new("FcChar8 **")
        for number in range(fonts.nfont if fonts != ffi.NULL else 0):
            if fontconfig.FcPatternGetString(fonts.fonts[number], b"file", 0, found) == fontconfig.FcResultMatch:
                files.add(ffi.string(found[0]))
        listing = fontconfig.FcConfigGetConfigFiles(config)
        while (name := fontconfig.FcStrListNext(listing)) != ffi.NULL:
            files.add(ffi.string(name))
    finally:
        fontconfig.FcConfigDestroy(config)
    for name in sorted(files):
        try:
            status = os.stat(name)
            digest.update(name + f"\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
        except OSError:
            digest.update(name + b"\0-\0")
    return digest.digest()


@cache
def _fonts(process: int):
    """This process's font configuration and the stylesheet that gives it the print face (by process: a forked
    one makes its own, as a configuration's temporary folder of fonts is removed with it)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    faces = printfont.faces()

    class Faces(URLFetcher):  # the print face from memory, and nothing else
        def fetch(self, url, headers=None):
            return URLFetcherResponse(url, faces[int(url.removeprefix("gongkai-face:"))])

    config = FontConfiguration()
    atexit.register(_remove_fonts_folder, config, process)
    rules = "".join(f'@font-face {{ font-family: "{printfont.FAMILY}"; font-weight: {weight};'
                    f' src: url("gongkai-face:{weight}"); }}\n' for weight in sorted(faces))
    return config, [CSS(string=rules, font_config=config, url_fetcher=Faces())] if rules else []


def _remove_fonts_folder(config, process: int) -> None:
    """The configuration's temporary folder of fonts removed while Python still runs: left to its __del__ at the
    interpreter's end, WeasyPrint's module names are gone by then and it prints a traceback ('NoneType' object is
    not callable) instead. Only by the process that made it (a forked one inherits the exit handler)."""
    if os.getpid() == process and config._folder:
        shutil.rmtree(config._folder, ignore_errors=True)
        config._folder = None


@cache
def _stylesheet(css: str, process: int):
    from weasyprint import CSS

    return CSS(string=css)


def layout(html: str, label: str):
    """The sheet laid out, refused when content does not fit its page."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    config, stylesheets = _fonts(os.getpid())
    inline = STYLE.findall(html)
    if len(inline) == 1:
        # A sheet's <style> (the same for every sheet of a size) is parsed once per process and given as a stylesheet
        # of its own. It is then of the user's origin, not the author's, which sets a sheet the same: a sheet has no
        # other author style than its cells' text-align attribute, which wins over either.
        html = html.replace(f"<style>{inline[0]}</style>", "", 1)
        stylesheets = [*stylesheets, _stylesheet(inline[0], os.getpid())]
    # Only data: addresses (the QR code): an <img src="http://…"> or "file:///dev/zero" in a notice would
    # otherwise be fetched from the CI machine. A refused address is left out of the sheet.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render(
        font_config=config, stylesheets=stylesheets)
    for number, page in enumerate(document.pages, 1):
        _refuse_overflow(page, label, number)
    return document


def _refuse_overflow(page, label: str, number: int) -> None:
    limit = page.height + OVERFLOW_TOLERANCE
    for box in page._page_box.descendants():
        bottom = getattr(box, "position_y", 0) + (box.margin_height() if hasattr(box, "margin_height") else 0)
        right = getattr(box, "position_x", 0) + (box.margin_width() if hasattr(box, "margin_width") else 0)
        if right > page.width + OVERFLOW_TOLERANCE:
            raise PosterError(_("sheet '{sheet}' is wider than its page {number}: a table or a line cannot be made"
                                " narrower — shorten that part (fewer columns, or a long address on a line of its own)"
                                " or, if it is printed on A4, print on A3")
                              .format(sheet=label, number=number), sheet=label)
        if bottom > limit:
            raise PosterError(_("sheet '{sheet}' does not fit its page {number}: an element cannot be split across pages"
                                " — shorten that part (a very long table cell or line) or, if it is printed on A4,"
                                " print on A3")
                              .format(sheet=label, number=number), sheet=label)


def write(document, label: str) -> bytes:
    """The laid-out sheet as PDF, refused without a Chinese font embedded."""
    pdf = document.write_pdf()
    require_cjk_font(pdf, label)
    return pdf


def require_cjk_font(pdf: bytes, label: str) -> None:
    from pypdf import PdfReader  # here, not at the top: validate and check start faster without it

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            names.add(str(font.get_object().get("/BaseFont", "")))
    if not any(marker in name for name in names for marker in CJK_FONT_MARKERS):
        raise PosterError(_("sheet '{sheet}' has no Chinese font embedded (found: {fonts}) — install a Chinese font, e.g."
                            " Debian's fonts-noto-cjk (make site installs it)")
                          .format(sheet=label, fonts=", ".join(sorted(names)) or _("none")))
