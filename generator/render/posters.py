"""Render stage for the bulletin boards: one printable sheet per topic, as HTML and PDF.

Every sheet is an HTML page with print CSS; WeasyPrint lays it out with an
embedded Chinese font. Long content continues on numbered pages; content
that cannot fit a page, or a PDF without a Chinese font, is an error rather
than a clipped or tofu print. The set is also merged into one PDF with a
cover, for one print job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from urllib.parse import urljoin

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..checks.check import rule_params
from ..checks.rules import publish_stages
from ..checks.validate import Content
from ..content.addresses import POSTER_DIR, SHEET_SLUGS, slug_of, url_of
from ..content.schedule import OPEN, Period, cn_date, notice_period
from ..content.workdays import WorkCalendar
from .. import timings
from ..findings import Finding
from .pdfengine import PosterError, input_key, layout, write as write_pdf
from .pdfjoin import join
from .sanitize import markdown_html
from .site import render_report_markdown

BOARDS = ("public", "internal")
SIZES = ("A4", "A3")
TEMPLATES = Path(__file__).resolve().parent / "templates" / "posters"
ADVANCE_DAYS = 7  # how far ahead the 综合科 sees what goes up: a notice merged on Friday for Monday, a week's holiday


@dataclass
class Sheet:
    slug: str
    title: str
    board: str
    body: str
    posted: dt.date
    url: str | None = None
    removal: dt.date | None = None
    period: Period | None = None
    origin: tuple[str, int] | None = None  # the content file and line the sheet prints, for a message about it
    takedown: dt.date | None = None  # the working day it comes down, when the removal date is a rest day

    @cached_property  # read twice by the template, for each layout of the sheet
    def qr(self) -> str | None:
        return segno.make(self.url, error="m").svg_data_uri(border=2) if self.url else None


@cache
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)
    env.filters["cn_date"] = cn_date
    env.filters["clauses"] = _clauses
    return env


def _clauses(items) -> str:
    """Sentences joined as one: "甲；乙。", not "甲。；乙。"."""
    return "；".join(str(item).rstrip("。；;. ") for item in items) + "。"


def _macro(name: str):
    return getattr(_env().get_template("bodies.html.j2").module, name)


def public_sheets(content: Content, calendar: WorkCalendar, as_of: dt.date, upcoming=()) -> list[Sheet]:
    """The public board on the as-of date; `upcoming`: notices approved for a coming day (publication.upcoming),
    printed ahead with the day each goes up."""
    office = content.office
    site = office.get("site_url")

    def online(record) -> str:
        return urljoin(site, url_of(record))

    sheets = [Sheet(slug_of(office), "机构职能和领导分工", "public", str(_macro("duties")(office, office.section)), as_of, online(office))]
    for service in sorted(content.of("service"), key=lambda s: s.id):
        fees = [content.get("fee", fee_id) for fee_id in service.fee_ids]
        body = _macro("service")(service, fees, office.section(service.get("owner")))
        sheets.append(Sheet(slug_of(service), f"办事指南：{service.title}", "public", str(body), as_of, online(service),
                            origin=(service.file, 1)))
    if content.of("fee"):
        sheets.append(Sheet(SHEET_SLUGS["fee"], "收费标准", "public", str(_macro("fees")(content.of("fee"))), as_of, urljoin(site, "fees/")))
    pledges = content.one("pledges")
    if pledges:
        title_of = lambda service_id: content.get("service", service_id).title  # noqa: E731
        sheets.append(Sheet(slug_of(pledges), pledges.title, "public", str(_macro("pledges")(pledges, title_of)), as_of, online(pledges)))
    sheets.append(Sheet("supervision", "监督投诉渠道", "public", str(_macro("supervision")(office)), as_of, urljoin(site, "supervision/")))
    for notice in sorted(content.of("notice"), key=lambda n: (n.first_day, n.id)):
        period = notice_period(notice, calendar)
        if period.status(as_of) == OPEN:
            # Up since its first day: a reprint on a later day is the same sheet, with the day it first went up.
            sheets.append(notice_sheet(notice, period, calendar, period.first_day, online(notice)))
    return sheets + [notice_sheet(n, notice_period(n, calendar), calendar, max(as_of, n.first_day), online(n))
                     for n in sorted(upcoming, key=lambda n: (n.first_day, n.id))]


def notice_sheet(notice, period: Period, calendar: WorkCalendar, posted: dt.date, url: str | None,
                 board: str = "public") -> Sheet:
    """A notice's sheet, up on `posted` and down the day after its period; a removal day that is a rest day says
    the working day after it, when someone is there to take it down."""
    return Sheet(slug_of(notice), notice.title, board, str(_macro("notice")(notice, markdown_html(notice.body))),
                 posted, url, removal=period.removal, period=period, origin=(notice.file, notice.doc.body_line),
                 takedown=period.takedown(calendar))


def internal_sheets(content: Content, calendar: WorkCalendar, as_of: dt.date, decision=None) -> list[Sheet]:
    """The internal board: the internal items, and the notices in the stage of an audience it serves (先党内: a
    notice is on it from its 党内 date until its public period ends), unless that stage is withheld too."""
    # An internal item is posted as of its own date: a reprint on another day does not change what it says.
    sheets = [Sheet(f"internal-{item.id}", item.title, "internal", str(_macro("internal")(item)), item.published or as_of)
              for item in sorted(content.of("internal"), key=lambda i: i.id)]
    audiences = publish_stages.internal_audiences(rule_params(content)[0][publish_stages.ID])
    for notice in sorted(content.of("notice"), key=lambda n: (n.first_day, n.id)):
        stages = publish_stages.stage_dates(notice)
        reached = [(day, name) for name, day in stages.items() if name in audiences and day <= as_of
                   and (decision is None or decision.published(notice, name))]
        period = notice_period(notice, calendar)
        if reached and period.last_day >= as_of:
            sheets.append(notice_sheet(notice, period, calendar, min(reached)[0], None, "internal"))
    return sheets


def sheets_for(board: str, content: Content, calendar: WorkCalendar, as_of: dt.date, decision=None,
               ahead: int = 0) -> list[Sheet]:
    """A board's sheets on the as-of date, as the build decided (`decision`): the public board shows what the site
    publishes, and with `ahead` the notices going up in that many days; the internal board follows the audiences."""
    if board == "public":
        upcoming = upcoming_notices(content, decision, as_of, ahead) if decision else []
        return public_sheets(decision.public(content) if decision else content, calendar, as_of, upcoming)
    return internal_sheets(content, calendar, as_of, decision)


def to_print(content: Content, decision, calendar: WorkCalendar, as_of: dt.date, days: int = ADVANCE_DAYS) -> list:
    """The public site's 待张贴 list: for each sheet going up in the coming days, the day it goes up and the working
    day it comes down, and nothing of what it says (a notice is not public before its day, not even its title)."""
    return sorted((notice.first_day, notice_period(notice, calendar).takedown(calendar))
                  for notice in upcoming_notices(content, decision, as_of, days))


def upcoming_notices(content: Content, decision, as_of: dt.date, days: int) -> list:
    """Notices ready for the board of the next `days` days: withheld only because their day is still to come."""
    return [notice for notice in content.of("notice")
            if as_of < notice.published <= as_of + dt.timedelta(days=days) and decision.scheduled_only(notice)]


def sheet_html(sheet: Sheet, office, size: str, as_of: dt.date, tight: bool = False) -> str:
    css = f"@page {{ size: {size}; }}\n" + _stylesheet()
    return _env().get_template("sheet.html.j2").render(sheet=sheet, office=office, size=size, as_of=as_of, css=css,
                                                        tight=tight)


@cache
def _stylesheet() -> str:
    return (TEMPLATES / "sheet.css").read_text(encoding="utf-8")


def print_sheet(sheet: Sheet, office, size: str, as_of: dt.date, reuse: PdfReuse | None = None,
                path: str = "") -> tuple[str, bytes, int]:
    """The sheet's HTML, PDF and page count. When only its footer (dates, phones, QR code) would spill onto a last
    page of its own, the sheet is set a little tighter so that no page goes on the board nearly blank. `reuse`: the
    PDFs to take instead of laying out again, and where the PDF's record is left, under `path`."""
    html, pdf, count, record = _print_sheet(sheet, office, size, as_of, reuse)
    if reuse is not None:
        reuse.made[path] = record
    return html, pdf, count


def _print_sheet(sheet: Sheet, office, size: str, as_of: dt.date, reuse: PdfReuse | None = None):
    """print_sheet, and the sheet's record for `reuse`."""
    html = sheet_html(sheet, office, size, as_of)
    key = input_key(html)
    if reuse is not None and key in reuse.previous:
        pdf, count, tight = reuse.previous[key]
        html = sheet_html(sheet, office, size, as_of, tight=True) if tight else html
        return html, pdf, count, [key, count, tight]
    pdf, count, footer_alone = _render(html, sheet.slug)
    if footer_alone:
        html = sheet_html(sheet, office, size, as_of, tight=True)
        pdf, count, _alone = _render(html, sheet.slug)
    return html, pdf, count, [key, count, footer_alone]


def refusal(error: PosterError, sheets: list[Sheet]) -> Finding:
    """A sheet that cannot be printed, named at the content file and line it prints (the notice with the overlong
    table), as every command says it."""
    origin = next((sheet.origin for sheet in sheets if sheet.slug == error.sheet and sheet.origin), ("", 1))
    return Finding(*origin, "poster", *str(error).split(" — ", 1))


@dataclass
class PdfReuse:
    """PDFs of an earlier build of the same office, by their input (input_key), and the records this build leaves
    for the next one: WeasyPrint's output is a function of its input, so an unchanged sheet is not laid out again."""

    previous: dict[str, tuple[bytes, int, bool]] = field(default_factory=dict)  # key → PDF, pages, set tight
    made: dict[str, list] = field(default_factory=dict)  # the file's path → [key, pages, tight]


def render_pdf(html: str, label: str) -> tuple[bytes, int]:
    """Lay out one sheet; refuse overflowing content and missing Chinese fonts."""
    return _render(html, label)[:2]


def _render(html: str, label: str) -> tuple[bytes, int, bool]:
    """render_pdf, and whether the last page holds the sheet's footer alone."""
    document = layout(html, label)
    pdf = write_pdf(document, label)
    last = [box.element_tag for box in document.pages[-1]._page_box.descendants() if hasattr(box, "element_tag")]
    footer_alone = len(document.pages) > 1 and "footer" in last and "main" not in last
    return pdf, len(document.pages), footer_alone


def render_posters(content: Content, calendar: WorkCalendar, as_of: dt.date, board: str = "public",
                   size: str = "A4", decision=None, ahead: int = 0) -> tuple[dict[str, bytes], list[Sheet]]:
    """Every sheet of one board as <slug>.html and <slug>.pdf, plus all.pdf with a cover."""
    sheets = sheets_for(board, content, calendar, as_of, decision, ahead)
    return render_sheets(sheets, content.office, board, size, as_of), sheets


def sheet_file_names(sheets: list[Sheet]) -> list[str]:
    """The files render_sheets writes, known before the slow layout work starts."""
    return [f"{sheet.slug}.{suffix}" for sheet in sheets for suffix in ("html", "pdf")] + ["all.pdf"]


def render_sheets(sheets: list[Sheet], office, board: str, size: str, as_of: dt.date,
                  reuse: PdfReuse | None = None, folder: str = "") -> dict[str, bytes]:
    """`reuse`: earlier PDFs to take, and where this build records its own, under `folder`."""
    files: dict[str, bytes] = {}
    pages, keys = [], []
    for sheet in sheets:
        html, pdf, count, record = _print_sheet(sheet, office, size, as_of, reuse)
        files[f"{sheet.slug}.html"] = html.encode("utf-8")
        files[f"{sheet.slug}.pdf"] = pdf
        pages.append(count)
        keys.append(record[0])
        if reuse is not None:
            reuse.made[f"{folder}{sheet.slug}.pdf"] = record
    board_name = "政务公开栏" if board == "public" else "对内公开栏"
    cover = Sheet("cover", f"{board_name}张贴材料目录", board, str(_macro("cover")(sheets, pages)), as_of)
    # all.pdf is the cover's and the sheets' PDFs joined (pdfjoin): the same when every one of them is.
    key = hashlib.sha256("\0".join([input_key(sheet_html(cover, office, size, as_of)), *keys, office.get("name") or "",
                                    as_of.isoformat()]).encode()).hexdigest()
    if reuse is not None and key in reuse.previous:
        files["all.pdf"] = reuse.previous[key][0]
    else:
        cover_pdf = _print_sheet(cover, office, size, as_of)[1]
        files["all.pdf"] = join([cover_pdf, *(files[f"{sheet.slug}.pdf"] for sheet in sheets)], cover.title,
                                office.get("name"), as_of)
    if reuse is not None:
        reuse.made[f"{folder}all.pdf"] = [key, 0, False]
    return files


def report_sheets(content: Content, as_of: dt.date) -> dict[str, Sheet]:
    """Each annual report as a printable sheet, under the path its page links to."""
    sheets = {}
    for report in content.of("report"):
        body = markdown_html(render_report_markdown(content, report, html=True))
        sheets[f"reports/{report.id}.pdf"] = Sheet(f"report-{report.id}", report.title, "public", body,
                                                   report.published or as_of,
                                                   urljoin(content.office.get("site_url"), url_of(report)),
                                                   origin=(report.file, report.doc.body_line))
    return sheets


def render_pdfs(sheets: dict[str, Sheet], office, size: str, as_of: dt.date, reuse: PdfReuse | None = None,
                folder: str = "") -> dict[str, bytes]:
    return {path: print_sheet(sheet, office, size, as_of, reuse, folder + path)[1] for path, sheet in sheets.items()}


@timings.stage("pdfs")
def website_print_files(sheets: list[Sheet], reports: dict[str, Sheet], office, as_of: dt.date,
                        reuse: PdfReuse | None = None) -> tuple[dict[str, bytes], PdfReuse | None]:
    """Every printable file the website offers (public posters, report PDFs), keyed by its path on the site; and
    `reuse` with this build's records (under site/), which the forked process that lays them out sends back."""
    posters = render_sheets(sheets, office, "public", "A4", as_of, reuse, f"site/{POSTER_DIR}/")
    reports_files = render_pdfs(reports, office, "A4", as_of, reuse, "site/")
    return {f"{POSTER_DIR}/{name}": data for name, data in posters.items()} | reports_files, reuse
