"""What one PDF costs, and in which of WeasyPrint's phases: an office's public board and report PDFs laid out as a
build lays them out (posters.website_print_files), in this process, a few times over.

Each CPU second is counted once, under the innermost phase running (the phases are WeasyPrint's own functions,
wrapped here: HTML parse, CSS and computed styles, boxes, layout, painting, font objects, font subsetting, the rest of
writing the PDF) or ours (the sheet's HTML and QR code, the overflow and Chinese-font checks, all.pdf's metadata). The
first layout, which loads the fonts and cuts the print face, is left out: a build pays it once per process.

    .venv/bin/python bench/pdfs.py                          # the example office, 3 runs
    .venv/bin/python bench/pdfs.py content/offices/rfb --runs 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.checks.validate import load_content  # noqa: E402
from generator.content.workdays import WorkCalendar  # noqa: E402
from generator.render import pdfengine, pdfjoin, posters  # noqa: E402

AS_OF = dt.date(2027, 3, 15)


def timed(totals: dict, stack: list, name: str, owner, attribute: str) -> None:
    """Replace owner.attribute by a wrapper that counts its CPU seconds under `name`, less its inner phases'."""
    function = getattr(owner, attribute)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        now = time.process_time()
        if stack:
            totals[stack[-1][0]] = totals.get(stack[-1][0], 0) + now - stack[-1][1]
        stack.append([name, now])
        try:
            return function(*args, **kwargs)
        finally:
            end = time.process_time()
            inner, start = stack.pop()
            totals[inner] = totals.get(inner, 0) + end - start
            if stack:
                stack[-1][1] = end

    setattr(owner, attribute, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("office", nargs="?", type=Path, default=ROOT / "content/offices/rfb")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    pdfengine.load_engine()
    import pypdf
    import weasyprint
    import weasyprint.document as document
    import weasyprint.pdf.fonts as fonts

    totals: dict[str, float] = {}
    stack: list = []
    for name, owner, attribute in [
            ("sheet HTML and QR code", posters, "sheet_html"), ("HTML parse", weasyprint.HTML, "__init__"),
            ("CSS and computed styles", document.Document, "_build_layout_context"),
            ("boxes", document, "build_formatting_structure"), ("layout", weasyprint.HTML, "render"),
            ("paint", document.Page, "paint"), ("font objects", fonts.Font, "__init__"),
            ("font subsetting", fonts.Font, "clean"), ("PDF write (the rest)", document.Document, "write_pdf"),
            ("Chinese-font check (pypdf)", pdfengine, "require_cjk_font"),
            ("overflow check", pdfengine, "_refuse_overflow"), ("all.pdf joined (pypdf)", pdfjoin, "join")]:
        timed(totals, stack, name, owner, attribute)
    posters.join = pdfjoin.join  # posters took its own reference at import

    content, _findings = load_content(args.office)
    calendar = WorkCalendar.from_content(content)
    def board():  # made anew for each run, as a build makes them once (a sheet keeps its QR code)
        return posters.sheets_for("public", content, calendar, AS_OF), posters.report_sheets(content, AS_OF)

    sheets, reports = board()
    posters.render_pdf(posters.sheet_html(sheets[0], content.office, "A4", AS_OF), "warm-up")
    totals.clear()
    digests, cpu = set(), 0.0
    for _run in range(args.runs):
        sheets, reports = board()
        start = time.process_time()
        files, _reuse = posters.website_print_files(sheets, reports, content.office, AS_OF)
        cpu += (time.process_time() - start) / args.runs
        digests.add(hashlib.sha256(b"".join(name.encode() + files[name] for name in sorted(files))).hexdigest())
    pdfs = sorted(name for name in files if name.endswith(".pdf"))
    pages = sum(len(pypdf.PdfReader(io.BytesIO(files[name])).pages) for name in pdfs)
    print(f"{args.office.name}: {len(pdfs)} PDFs ({len(sheets)} sheets, all.pdf, {len(reports)} report), {pages} pages,"
          f" {sum(len(files[name]) for name in pdfs):,} bytes; {cpu:.2f} CPU s a run, {cpu / len(pdfs) * 1000:.0f} ms"
          f" per PDF; the same bytes every run: {len(digests) == 1}")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        share = seconds / args.runs
        print(f"  {name:28s} {share * 1000 / len(pdfs):5.0f} ms per PDF  {share / cpu:4.0%}")


if __name__ == "__main__":
    main()
