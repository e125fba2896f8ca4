"""Render stage for the website: a plain Markdown docs tree plus its navigation.

The site engine (mkdocs-material today, Zensical tomorrow) only turns this
tree into HTML; every page, archive, feed and date is decided here, so no
logic lives inside an engine plugin.
"""

from __future__ import annotations

import datetime as dt
from html import escape
import posixpath
import re
from pathlib import Path

from ..checks.check import catalog_schedules, rule_params
from ..checks.validate import Content
from ..content import annual_report, attachments
from ..content.addresses import ASSET_DIR, KIND_PAGES, POSTER_DIR, notice_lists, page_of, url_of
from ..content.schedule import OPEN, Period, cn_date, notice_period
from ..content.types import allowed_values
from ..content.workdays import WorkCalendar
from .chrome import ACCESSIBILITY_PAGE, CONTACT_PAGE, SECTION_NAV, SITEMAP_PAGE, county_extra, office_extra
from .datapackage import REGISTERS, render_data
from .feed import FEED_SIZE, feed_entry, render_feed
from .pages import SiteTree, environment, page_text, relpath

THEME_DIR = "theme"  # generator/render/theme, copied beside the staged config
THEME = Path(__file__).resolve().parent / "theme"
LATEST_COUNT = 10
OFFICE_FILTER = "部门"  # the search filter every office's pages carry in a county's one index
ASSETS = Path(__file__).resolve().parent / "assets"
ENGINE_SETTINGS = Path(__file__).resolve().parent / "mkdocs.yml"  # the theme's settings, before engine_config

LIST = [["list", "1"]]  # a page that lists other pages: the search ranks it below the documents (searchindex.Page)
KIND_LABELS = {"service": "办事指南", "regulation": "政府信息公开制度", "notice": "公示公告",
               "office": "机构职能", "pledges": "服务承诺", "fee": "收费标准"}


class SiteRenderer:
    def __init__(self, content: Content, calendar: WorkCalendar, as_of: dt.date, sheets=(), report_pdfs=(),
                 portal=None, upcoming=()):
        self.content = content
        self.upcoming = list(upcoming)
        self.portal = portal  # the county whose portal this section is part of (build.build_section)
        self.sheets = list(sheets)
        self.report_pdfs = set(report_pdfs)
        self.office = content.office
        self.as_of = as_of
        self.calendar = calendar
        self.tree = SiteTree()
        self.notices = sorted(
            ((n, notice_period(n, calendar)) for n in content.of("notice")),
            key=lambda pair: (pair[1].first_day, pair[0].id), reverse=True,
        )
        self.env = environment()

    # --- pages ---------------------------------------------------------

    def render(self) -> SiteTree:
        self._page("index.md", "首页", "home.md.j2", hide=["toc"], exclude_from_search=True, extra_front={"own_search_box": True},
                   open_notices=self.open_notices(), latest=self.latest(), services=self._services())
        self._page("guide/index.md", "政府信息公开指南", "guide.md.j2", group=self.office.get("leading_group"),
                   channels=self._public_channels())
        self._page("guide/catalog.md", "公开事项目录", "catalog.md.j2", index=LIST,
                   schedules=[(i, s) for i, s in catalog_schedules(self.content, self.as_of, self.calendar) if not i.internal])
        self._page("duties/index.md", "机构职能", "duties.md.j2")
        self._page("services/index.md", "办事指南", "services.md.j2", index=LIST, services=self._services())
        for service in self._services():
            fees = [self.content.get("fee", fee_id) for fee_id in service.fee_ids]
            self._page(page_of(service), service.title, "service.md.j2", document=service, record=service, fees=fees)
        self._page("fees/index.md", "收费标准", "fees.md.j2", fees=self.content.of("fee"))
        if self.content.one("pledges"):
            self._page("pledges/index.md", "服务承诺", "pledges.md.j2", index=[["kind", KIND_LABELS["pledges"]]],
                       pledges=self.content.one("pledges"))
        regulations = sorted(self.content.of("regulation"), key=lambda r: (r.get("order") or 999, r.id))
        self._page("regulations/index.md", "政府信息公开制度", "regulations.md.j2", index=LIST, regulations=regulations)
        for regulation in regulations:
            self._page(page_of(regulation), regulation.title, "regulation.md.j2", document=regulation, record=regulation)
        self._notice_pages()
        self._registers()
        reports = sorted(self.content.of("report"), key=lambda r: r.get("year"), reverse=True)
        self._page("reports/index.md", "政府信息公开年报", "reports.md.j2", index=LIST, reports=reports)
        for report in reports:
            pdf = f"reports/{report.id}.pdf"
            self._page(page_of(report), report.title, "report.md.j2", hide=["toc"], html=True, record=report,
                       index=[["kind", "政府信息公开年报"]], **report_context(self.content, report),
                       pdf=pdf if pdf in self.report_pdfs else None)
        scope = self._search_scope()
        # The theme loads search.js (page text holds no scripts) and fetches the index's meta.json at once: the
        # address of the index folder from the search page.
        self._page("search/index.md", "全文检索", "search.md.j2", hide=["toc"], exclude_from_search=True,
                   extra_front={"gk_search": relpath(scope["index_root"] + "gk-search", "search") + "/",
                                "own_search_box": True},
                   # Without JavaScript, the pages that list everything (raw HTML: addresses, not .md paths).
                   browse=[("公开事项目录", "../guide/catalog/"), ("公示公告", "../notices/"), ("办事指南", "../services/"),
                           ("政府信息公开制度", "../regulations/")], **scope)
        self._page(f"{POSTER_DIR}/index.md", "公开栏张贴材料", "posters.md.j2", index=LIST, sheets=self.sheets,
                   folder=POSTER_DIR, upcoming=self.upcoming)
        self._page("supervision/index.md", "监督投诉", "supervision.md.j2")
        if not self.portal:  # a site of its own carries the pages its footer links to; a county's portal has them
            self._footer_pages()
        data_files, resources = render_data(self.content, self.as_of)
        for path, data in data_files.items():
            self.tree.files[path] = data
        self._page("data/index.md", "开放数据", "data.md.j2", index=LIST, resources=resources)
        self.tree.files["feed.xml"] = render_feed(self.office.get("name"), self.office.get("site_url"), self.feed_entries(),
                                                  self.as_of)
        if not self.portal:  # a county's portal has them, for every office's section (theme main.html)
            for asset in sorted(ASSETS.iterdir()):
                self.tree.files[f"{ASSET_DIR}/{asset.name}"] = asset.read_bytes()
        self.tree.nav = self._nav(regulations)
        return self.tree

    def _notice_pages(self) -> None:
        for notice, period in self.notices:
            poster = next((s for s in self.sheets if s.slug == f"notice-{notice.id}"), None)
            self._page(page_of(notice), notice.title, "notice.md.j2", document=notice, record=notice, period=period,
                       poster=f"{POSTER_DIR}/{poster.slug}.pdf" if poster else None)
        years, types = notice_lists(self.notices)
        for heading, groups in (("{key}年公示公告", years), ("{key}", types)):
            for key, pages in groups.items():
                for number, (path, rows) in enumerate(pages, 1):
                    self._page(path, heading.format(key=key), "notice_list.md.j2", exclude_from_search=True,
                               heading=heading.format(key=key),
                               rows=rows, number=number, pages=[p for p, _ in pages])
        self._page("notices/index.md", "公示公告", "notices.md.j2", exclude_from_search=True, open_notices=self.open_notices(),
                   years=[(k, [p for p, _ in v]) for k, v in years.items()],
                   types=[(k, [p for p, _ in v]) for k, v in types.items()],
                   counts_by_year={k: sum(len(r) for _, r in v) for k, v in years.items()},
                   counts_by_type={k: sum(len(r) for _, r in v) for k, v in types.items()})

    def _registers(self) -> None:
        for register in REGISTERS:
            rows = sorted((r.data for r in self.content.of(register.kind)), key=lambda row: row["id"], reverse=True)
            self._page(KIND_PAGES[register.kind], register.title, "register.md.j2", index=LIST, heading=register.title,
                       intro=self._register_intro(register), columns=register.columns, rows=rows,
                       csv=f"data/{register.file}")

    def _register_intro(self, register) -> str:
        """The register's opening sentence, with the frequencies this office's own rules require."""
        params = rule_params(self.content)[0]["inspection-frequency"]
        if register.kind == "inspection" and params["severity"] == "off":
            return "本机关的检查规则不要求定期监督检查和考核。"
        return register.intro.format(inspections=params["inspections_per_year"],
                                     assessments=params["assessments_per_year"])

    def _footer_pages(self) -> None:
        office = self.office
        self._page(f"{CONTACT_PAGE}index.md", "联系我们", "contact.md.j2", hide=["toc"], site={"name": office.get("name")},
                   supervisor={}, correction={}, units=[{"name": office.get("name"), "address": office.get("address"),
                                                         "phone": office.get("phones")["consultation"],
                                                         "hours": office.get("office_hours"), "link": "../"}])
        self._page(f"{SITEMAP_PAGE}index.md", "网站地图", "site_map.md.j2", hide=["toc"],  # each page a folder deep
                   columns=[[title, f"../{path}"] for title, path in SECTION_NAV], sections=[])
        self._page(f"{ACCESSIBILITY_PAGE}index.md", "无障碍声明", "accessibility.md.j2", hide=["toc"],
                   site_name=office.get("name"), contact=f"../{CONTACT_PAGE}")

    def _public_channels(self) -> list[str]:
        """The channels the office's public catalog items name, in the order first named: the guide promises only those."""
        named = (channel for item in self.content.of("catalog") if not item.internal for channel in item.get("channels") or [])
        return [channel for channel in dict.fromkeys(named) if channel != "对内公开栏"]

    def _page(self, path: str, title: str, template: str, hide: list[str] | None = None,
              exclude_from_search: bool = False, document=None, extra_front: dict | None = None,
              index: list | None = None, **context) -> None:
        """index: what the search ranks the page by beyond its text (the theme's search_meta): LIST, or its type."""
        def rel(target: str) -> str:
            return relpath(target, posixpath.dirname(path) or ".")

        # The engine's theme shows titles and descriptions unescaped (navigation, header, <title>): escaped here, they stay text.
        front = {"title": escape(title), "description": escape(self._description(title, document)),
                 **({"hide": hide} if hide else {}), **(extra_front or {}),
                 **({"search": {"exclude": True}} if exclude_from_search else {}),
                 **({"gk_index": index} if index else {}),
                 **({"gk": self._document_facts(document, context.get("period"))} if document else {})}
        record = document or context.get("record")
        files, listed = attachments.site_files(self.content, path, record) if record else ({}, [])
        for target, data in files.items():
            if target in self.tree.files:
                raise ValueError(f"two attachments are published as {target}")
            self.tree.files[target] = data
        body = self.env.get_template(template).render(
            office=self.office, as_of=self.as_of, rel=rel, page_of=page_of, label_of=label_of,
            section=self.office.section, service_title=self._service_title, attachments=listed, **context)
        self.tree.add(path, page_text(front, body))

    def _description(self, title: str, document) -> str:
        """The page's meta description, which search engines and shared links show under its title."""
        name = self.office.get("name")
        if document is None:
            return f"{name}政府信息公开：{title}"
        kind = document.notice_type if document.kind == "notice" else label_of(document)
        return f"{name}发布的{kind}《{title}》，{cn_date(document.published)}发布，索引号 {document.index_no}"

    def _document_facts(self, doc, period: Period | None) -> dict:
        """A document's head (the national format's 索引号, 发布机构 … and a notice's period) for the theme to lay out.

        As front matter rather than HTML in the Markdown: the engine reads front matter with libyaml, while raw
        HTML goes through Python-Markdown's HTML parser, a quarter of the engine's time on a notice page.
        """
        validity = doc.get("validity") or {}
        since = f"（{cn_date(validity['since'])}起" if validity.get("since") else ""
        if since:
            since += f"，由 {validity['replaced_by']} 替代）" if validity.get("replaced_by") else "）"
        kind = doc.notice_type if doc.kind == "notice" else label_of(doc)
        facts = {
            # Pairs rather than mappings: Zensical's template engine cannot walk a mapping's items.
            "filters": _search_filters_of(doc),
            "meta": [["date", cn_date(doc.published)], ["kind", kind]],
            # The 索引号 in pieces that break only after a separator, never inside the code or the number.
            "index_no": re.findall(r"[^/-]+[/-]*|[/-]+", doc.index_no),
            "rows": [["索引号", doc.index_no], ["发布机构", doc.get("issuer") or self.office.get("name")],
                     ["成文日期", cn_date(doc.written) if doc.written else "—"], ["发布日期", cn_date(doc.published)],
                     ["文号", doc.get("doc_number") or "无"], ["主题分类", doc.get("topic") or "—"],
                     ["公开方式", doc.get("mode") or "主动公开"], ["有效性", f"{doc.validity}{since}"]],
        }
        if period:
            facts["period"] = {"label": doc.notice_type, "text": period.text, "first": period.first_day.isoformat(),
                               "last": period.last_day.isoformat(), "status": period.status(self.as_of)}
        return facts

    # --- what pages show -----------------------------------------------

    def feed_entries(self, prefix: str = "") -> list[dict]:
        """The newest notices for a feed, newest first; prefix: where the section sits under the site's root."""
        return [feed_entry(n, p, prefix + url_of(n)) for n, p in self.notices[:FEED_SIZE]]

    def open_notices(self) -> list[tuple[object, Period]]:
        return [(n, p) for n, p in self.notices if p.status(self.as_of) == OPEN]

    def search_filter_values(self) -> dict[str, set[str]]:
        """The values the document pages declare to the search index, by filter (the portal's search page offers
        every office's)."""
        values: dict[str, set[str]] = {"栏目": set(), "类型": set(), "年份": set()}
        for document in [*self._services(), *self.content.of("regulation"), *(notice for notice, _ in self.notices)]:
            for name, value in _search_filters_of(document):
                values[name].add(value)
        return values

    def _search_scope(self) -> dict:
        """Which index the search page reads and what it narrows by. A section of a county's portal has no index of
        its own: it searches the county's (at the portal's root, one folder up) with this office chosen; 全部 widens it."""
        filters = search_filters(self.search_filter_values())
        if not self.portal:
            return {"filters": filters, "chosen": {}, "index_root": ""}
        name = self.office.get("short_name")
        return {"filters": {OFFICE_FILTER: [name], **filters}, "chosen": {OFFICE_FILTER: name}, "index_root": "../"}

    def _services(self):
        return sorted(self.content.of("service"), key=lambda s: s.id)

    def _service_title(self, service_id: str) -> str:
        return self.content.get("service", service_id).title

    def latest(self):
        documents = [r for kind in ("notice", "regulation", "service") for r in self.content.of(kind)]
        documents = [r for r in documents if r.published and r.published <= self.as_of]
        return sorted(documents, key=lambda r: (r.published, r.id), reverse=True)[:LATEST_COUNT]

    def _nav(self, regulations) -> list:
        return [
            {"首页": "index.md"},
            {"政府信息公开指南": ["guide/index.md", "guide/catalog.md", f"{POSTER_DIR}/index.md"]},
            {"政府信息公开制度": ["regulations/index.md", *[page_of(r) for r in regulations]]},
            {"法定主动公开内容": [
                {"机构职能": "duties/index.md"},
                {"办事指南": ["services/index.md", *[page_of(s) for s in self._services()]]},
                {"收费标准": "fees/index.md"},
                *([{"服务承诺": "pledges/index.md"}] if self.content.one("pledges") else []),
                {"公示公告": "notices/index.md"},
                {"投诉和意见建议办理结果": "registers/complaints.md"},
                {"监督检查和考核记录": "registers/inspections.md"},
            ]},
            {"政府信息公开年报": ["reports/index.md", *[page_of(r) for r in sorted(
                self.content.of("report"), key=lambda r: r.get("year"), reverse=True)]]},
            {"监督投诉": "supervision/index.md"},
            {"开放数据": "data/index.md"},
            {"全文检索": "search/index.md"},
            *([{"联系我们": "contact/index.md"}, {"网站地图": "sitemap/index.md"}, {"无障碍声明": "accessibility/index.md"}]
              if not self.portal else []),
        ]


def label_of(record) -> str:
    return KIND_LABELS.get(record.kind, record.kind)


def search_filters(values: dict) -> dict[str, list[str]]:
    """What a search page narrows by: the values the pages declare, in the order the lists show them."""
    return {"栏目": [label for label in KIND_LABELS.values() if label in values["栏目"]],
            "类型": [name for name in allowed_values("notice", "type") if name in values["类型"]],
            "年份": sorted(values["年份"], reverse=True)}


def _search_filters_of(document) -> list[list[str]]:
    """The 栏目, 年份 (and a notice's 类型) a document page is found under; pairs, as Zensical's templates need."""
    return [["栏目", label_of(document)], ["年份", str(document.published.year)],
            *([["类型", document.notice_type]] if document.kind == "notice" else [])]


def render_site(content: Content, calendar: WorkCalendar, as_of: dt.date, sheets=(), report_pdfs=(),
                portal=None, upcoming=()) -> SiteTree:
    """The docs tree; `sheets` are the public posters and `report_pdfs` the report PDFs the build adds; `portal` the
    county whose portal the section is built into; `upcoming` the dates of the sheets printed ahead."""
    return SiteRenderer(content, calendar, as_of, sheets, report_pdfs, portal, upcoming).render()


def report_context(content: Content, report) -> dict:
    year = report.get("year")
    return {"r": annual_report.compute(content, year), "columns": (*annual_report.APPLICANTS, "总计"),
            "groups": annual_report.OUTCOME_GROUPS, "outcome_key": annual_report.outcome_key,
            "review_kinds": annual_report.REVIEW_KINDS, "review_results": annual_report.REVIEW_RESULTS}


def render_report_markdown(content: Content, report, html: bool = False) -> str:
    """The report's text and tables alone: for its printable PDF (`html`: tables with spanning group headers) or
    for a terminal (Markdown tables)."""
    return environment().get_template("report.md.j2").render(office=content.office, rel=lambda target: target, pdf=None, page_of=page_of, html=html,
                           **report_context(content, report))


def engine_config(base_config: dict, office, nav: list, docs_dir: str, site_dir: str, portal=None) -> dict:
    """The project's mkdocs.yml with what only the content knows: names, nav, the top bar and the footer
    (the county's, for a section built into a county's portal; `portal` is the county's record)."""
    phones = office.get("phones")
    footer = " · ".join(part for part in (
        f"{office.get('name')}",
        f"地址：{office.get('address')}",
        f"咨询电话：{phones['consultation']}",
        f"投诉电话：{phones['complaint']}",
    ) if part)
    extra = county_extra(portal, section=True) if portal else office_extra(office)
    # A section's pages load the portal's copy of the stylesheet and the script, as they do the theme's (main.html).
    shared = extra["county"]["root"]
    # The theme writes the site name and the footer into every page as they are (HTML allowed): escape them.
    return {
        **base_config,
        "extra_css": [shared + path for path in base_config.get("extra_css", [])],
        "extra_javascript": [shared + path for path in base_config.get("extra_javascript", [])],
        "theme": {**base_config["theme"], "custom_dir": THEME_DIR},
        "site_name": escape(f"{office.get('name')}政府信息公开"),
        "site_description": escape(f"{office.get('name')}政府信息公开：公开指南、办事指南、收费标准、公示公告、年报和监督投诉"),
        "site_url": office.get("site_url"),
        "docs_dir": docs_dir,
        "site_dir": site_dir,
        "nav": nav,
        "copyright": escape(footer),
        "extra": {**base_config.get("extra", {}), "office_name": office.get("name"),  # the printed page's head
                  **extra},
    }
