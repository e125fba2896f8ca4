"""Where everything an office publishes is found in its site: each record's page, the section's own pages, the
notice lists page by page, the data files, the poster sheets. The site is written by this map (render/site.py),
the posters' QR codes, the portal's links and a pull request's summary point by it, and the dead-link rule
judges links against it without rendering a page (tests/test_links.py holds it to what the renderer writes).
"""

from __future__ import annotations

from .attachments import all_attachments, published_as
from .types import allowed_values

POSTER_DIR = "posters"
ASSET_DIR = "assets"  # the theme's own files (render/assets/)
DATA_DIR = "data"
NOTICES_PER_PAGE = 50
KIND_PAGES = {
    "office": "duties/index.md",
    "pledges": "pledges/index.md",
    "fee": "fees/index.md",
    "complaint": "registers/complaints.md",
    "inspection": "registers/inspections.md",
}
REGISTER_KINDS = ("complaint", "inspection")  # each a page of its own and a table of the open data
# The open-data package's tables besides one per annual report, as render/datapackage.py names them.
DATA_TABLES = ("catalog.csv", "services.csv", "fees.csv", "complaints.csv", "inspections.csv")
SECTION_PAGES = ("index.md", "guide/index.md", "guide/catalog.md", "duties/index.md", "services/index.md", "fees/index.md",
                 "regulations/index.md", "notices/index.md", "reports/index.md", "search/index.md",
                 f"{POSTER_DIR}/index.md", "supervision/index.md", f"{DATA_DIR}/index.md")
SHEET_SLUGS = {"office": "duties", "fee": "fees", "pledges": "pledges"}  # one poster sheet for the whole file


def page_of(record) -> str:
    if record.kind in KIND_PAGES:
        return KIND_PAGES[record.kind]
    if record.kind == "notice":
        return f"notices/{record.published.year}/{record.id}.md"
    return f"{record.kind}s/{record.id}.md"


def url_of(record) -> str:
    """The page's address relative to the site root, as the engine writes it (directory URLs)."""
    path = page_of(record)
    return path[: -len("index.md")] if path.endswith("index.md") else path[: -len(".md")] + "/"


def address_of(path: str) -> str:
    """A docs-tree path's address on the site: pages as directory URLs, other files as they are."""
    if path.endswith("index.md"):
        return path[: -len("index.md")]
    return path[: -len(".md")] + "/" if path.endswith(".md") else path


def slug_of(record) -> str | None:
    """The public sheet a record is printed on (a notice's only while its period is open), None if it has none;
    the sheet's PDF is posters/<slug>.pdf."""
    if record.kind in ("notice", "service"):
        return f"{record.kind}-{record.id}"
    return SHEET_SLUGS.get(record.kind)


def report_table(year) -> str:
    """An annual report's table in the open data."""
    return f"annual-report-{year}.csv"


def data_files(content) -> list[str]:
    """The open-data package's files: its tables, one per annual report, and the package's description."""
    reports = sorted(content.of("report"), key=lambda r: r.id)
    return [f"{DATA_DIR}/{name}" for name in (*DATA_TABLES, *(report_table(r.get("year")) for r in reports),
                                              "datapackage.json")]


def paginate(notices, key, pattern, slugs=None) -> dict:
    """Group (notice, …) pairs by a key and cut each group into pages of NOTICES_PER_PAGE."""
    groups: dict = {}
    for pair in notices:
        groups.setdefault(key(pair[0]), []).append(pair)
    pages = {}
    for group_key in sorted(groups, key=lambda k: (-k) if isinstance(k, int) else str(k)):
        base = pattern.format(key=group_key, slug=(slugs or {}).get(group_key, group_key))
        rows = groups[group_key]
        chunks = [rows[i:i + NOTICES_PER_PAGE] for i in range(0, len(rows), NOTICES_PER_PAGE)]
        pages[group_key] = [(f"{base}/index.md" if n == 0 else f"{base}/page-{n + 1}.md", chunk)
                            for n, chunk in enumerate(chunks)]
    return pages


def notice_lists(notices) -> tuple[dict, dict]:
    """The notice lists' pages, by year and by type: {key: [(path, pairs)]} each."""
    return (paginate(notices, lambda n: n.published.year, "notices/archive/{key}"),
            paginate(notices, lambda n: n.notice_type, "notices/type/{slug}", slugs=type_slugs()))


def type_slugs() -> dict[str, str]:
    names = allowed_values("notice", "type")
    return {name: f"t{index + 1}" for index, name in enumerate(names)}


def site_addresses(content) -> set[str]:
    """Every address of an office's section that its content can name, without rendering a page. The theme's own
    files (ASSET_DIR) and the poster sheets (POSTER_DIR) are the renderer's, made as the site builds: not listed."""
    pages = list(SECTION_PAGES) + [KIND_PAGES[kind] for kind in REGISTER_KINDS]
    pages += ["pledges/index.md"] if content.one("pledges") else []
    pages += [page_of(record) for kind in ("service", "regulation", "notice", "report") for record in content.of(kind)]
    pages += [path for groups in notice_lists([(n, None) for n in content.of("notice")])
              for group in groups.values() for path, _ in group]
    files = [*data_files(content), "feed.xml", *(f"reports/{report.id}.pdf" for report in content.of("report")),
             *(published_as(page_of(attachment.record), attachment) for attachment in all_attachments(content))]
    return {address_of(path) for path in pages + files}
