"""Render stage for a county's own pages: the portal around the offices' sections.

The portal's pages are built from each office's summary (office_summary),
which its partition computes once and the cache keeps, so a change to one
office does not reload the others. Links into an office's section are
addresses under the portal (`<office>/notices/…/`): the sections are built
apart and the engine cannot check them, so the summaries hold only
addresses the office's own build produced.
"""

from __future__ import annotations

import datetime as dt
import gzip
import posixpath
from html import escape
from pathlib import Path

import yaml

from ..content import attachment_reader
from ..content.addresses import url_of
from ..content.county import County
from ..content.schedule import cn_date
from .. import timings
from . import supervision
from .chrome import ACCESSIBILITY_PAGE, BADGE_FOLDER, COLUMNS, CONTACT_PAGE, CORRECTION_PAGE, PORTAL_NAV, SECTION_NAV, SITEMAP_PAGE, county_extra, national_correction
from .feed import render_feed
from .pages import environment, page_text, relpath
from .site import ASSETS, LIST, OFFICE_FILTER, THEME_DIR, SiteRenderer, label_of, search_filters
from ..content.workdays import WorkCalendar

LATEST_COUNT = 15
# What 法定主动公开内容 holds in every office's section (site.SiteRenderer._nav), for the portal's 政府信息公开 page.
STATUTORY = (("机构职能", "duties/"), ("办事指南", "services/"), ("收费标准", "fees/"), ("公示公告", "notices/"),
          ("投诉和意见建议办理结果", "registers/complaints/"), ("监督检查和考核记录", "registers/inspections/"))


@timings.stage("render")
def office_summary(content, as_of: dt.date, office: str, decision=None) -> dict:
    """What the portal's pages show of one office, as plain data (it is cached with the office's partition): what
    the build publishes (`decision`), and for the supervisor what the office's rules judge, withheld documents too."""
    everything = content
    content = decision.public(content) if decision else content
    renderer = SiteRenderer(content, WorkCalendar.from_content(content), as_of)

    def link(record) -> str:
        return f"{office}/{url_of(record)}"

    return {
        "id": office,
        "name": content.office.get("name"),
        "short_name": content.office.get("short_name"),
        "phone": content.office.get("phones")["consultation"],
        "address": content.office.get("address"),
        "office_hours": content.office.get("office_hours"),
        "duties": (content.office.get("duties") or [""])[0],
        "columns": [[title, f"{office}/{path}"] for title, path in COLUMNS],
        "contents": [[title, f"{office}/{path}"] for title, path in STATUTORY],
        "counts": {label: len(content.of(kind)) for kind, label in (
            ("notice", "公示公告"), ("service", "办事指南"), ("regulation", "政府信息公开制度"), ("report", "政府信息公开年报"))},
        "open_notices": [{"title": n.title, "url": link(n), "type": n.notice_type, "first": p.first_day.isoformat(),
                          "last": p.last_day.isoformat()} for n, p in renderer.open_notices()],
        "latest": [{"title": r.title, "url": link(r), "date": r.published.isoformat(), "kind": label_of(r)}
                   for r in renderer.latest()],
        "feed": renderer.feed_entries(f"{office}/"),
        "supervision": supervision.office_facts(everything, as_of, decision),
        "search_filters": {name: sorted(values) for name, values in renderer.search_filter_values().items()},
    }


def render_portal(county: County, summaries: list[dict], as_of: dt.date, config) -> tuple[dict[str, bytes], bytes]:
    """The portal's docs tree and its engine settings."""
    env = environment()
    files: dict[str, bytes] = {}
    latest = sorted((dict(item, office=s["short_name"]) for s in summaries for item in s["latest"]),
                    key=lambda item: (item["date"], item["url"]), reverse=True)[:LATEST_COUNT]
    open_notices = sorted((dict(item, office=s["short_name"]) for s in summaries for item in s["open_notices"]),
                          key=lambda item: (item["first"], item["url"]), reverse=True)

    def page(path: str, title: str, template: str, front: dict | None = None, **context) -> None:
        def rel(target: str) -> str:
            return relpath(target, posixpath.dirname(path) or ".") + ("/" if target.endswith("/") else "")

        head = {"title": escape(title), "description": escape(f"{county.record.get('name')}：{title}"), **(front or {})}
        body = env.get_template(template).render(county=county.record, offices=summaries, as_of=as_of, rel=rel,
                                                 cn_date=cn_date, **context)
        files[path] = page_text(head, body).encode("utf-8")

    # The top bar holds the portal's columns, so the home page gives the side navigation's width to its tables.
    page("index.md", "首页", "portal_home.md.j2",
         {"hide": ["navigation", "toc"], "search": {"exclude": True}, "own_search_box": True},
         latest=latest, open_notices=open_notices)
    page("openness/index.md", "政府信息公开", "portal_openness.md.j2", {"hide": ["toc"], "gk_index": LIST})
    page("departments/index.md", "部门", "portal_departments.md.j2", {"hide": ["toc"], "gk_index": LIST})
    page("search/index.md", "全文检索", "search.md.j2",
         {"hide": ["toc"], "search": {"exclude": True}, "gk_search": "../gk-search/", "own_search_box": True},
         filters={OFFICE_FILTER: [s["short_name"] for s in summaries],
                  **search_filters({name: {v for s in summaries for v in s["search_filters"][name]}
                                    for name in ("栏目", "类型", "年份")})},
         chosen={}, index_root="", browse=[("政府信息公开", "../openness/"), ("部门", "../departments/")])
    files.update(supervision.render(county, summaries, as_of))
    # The county's notices feed, which every portal page names in its head: the offices' newest, newest first.
    entries = sorted((entry for s in summaries for entry in s["feed"]), key=lambda e: (e["published"], e["url"]),
                     reverse=True)
    files["feed.xml"] = render_feed(county.record.get("name"), county.record.get("portal_url"), entries, as_of)
    nav = [{"首页": "index.md"}, {"政府信息公开": "openness/index.md"}, {"部门": "departments/index.md"},
           {"政务公开监督": supervision.PAGE}, {"全文检索": "search/index.md"}]
    if not (county.record.get("correction") or {}).get("url"):
        page(f"{CORRECTION_PAGE}index.md", "网站纠错", "portal_correction.md.j2", {"hide": ["toc"]},
             correction=county.record.get("correction"), national=national_correction(county.record))
        nav.append({"网站纠错": f"{CORRECTION_PAGE}index.md"})
    page(f"{CONTACT_PAGE}index.md", "联系我们", "contact.md.j2", {"hide": ["toc"]}, site=county.record,
         supervisor=county.record.get("supervisor") or {}, correction=county.record.get("correction") or {},
         units=[{"name": s["name"], "address": s["address"], "phone": s["phone"], "hours": s["office_hours"],
                 "link": f"../{s['id']}/"} for s in summaries])
    page(f"{SITEMAP_PAGE}index.md", "网站地图", "site_map.md.j2", {"hide": ["toc"]},
         columns=[[title, f"../{path}"] for title, path in PORTAL_NAV],  # each of these pages is a folder deep
         sections=[[s["name"], f"../{s['id']}/", [[title, f"../{s['id']}/{path}"] for title, path in SECTION_NAV[1:]]]
                   for s in summaries])
    page(f"{ACCESSIBILITY_PAGE}index.md", "无障碍声明", "accessibility.md.j2", {"hide": ["toc"]},
         site_name=county.record.get("name"), contact=f"../{CONTACT_PAGE}")
    nav += [{"联系我们": f"{CONTACT_PAGE}index.md"}, {"网站地图": f"{SITEMAP_PAGE}index.md"},
            {"无障碍声明": f"{ACCESSIBILITY_PAGE}index.md"}]
    for asset in sorted(ASSETS.iterdir()):
        files[f"assets/{asset.name}"] = asset.read_bytes()
    badge = county.record.get("badge")
    if badge:
        files[f"{BADGE_FOLDER}/{badge}"] = attachment_reader.strip((county.root / badge).read_bytes(), Path(badge).suffix)
    return files, _settings(county, nav, config)


def _settings(county: County, nav: list, config) -> bytes:
    base = yaml.safe_load(config.read_text(encoding="utf-8"))
    record = county.record
    settings = {
        **base,
        "theme": {**base["theme"], "custom_dir": THEME_DIR},
        "site_name": escape(record.get("name")),
        "site_description": escape(f"{record.get('name')}：政府信息公开"),
        "site_url": record.get("portal_url"),
        "docs_dir": "docs",
        "site_dir": "site",
        "nav": nav,
        "extra": {**base.get("extra", {}), "office_name": record.get("name"), **county_extra(record)},
    }
    return yaml.safe_dump(settings, allow_unicode=True, sort_keys=False).encode("utf-8")


PORTAL_SITEMAP = "sitemap-portal.xml"


def sitemap_files(county: County, offices: list[str], portal_sitemap: bytes) -> dict[str, bytes]:
    """The site's sitemap.xml as an index of the portal's own (the engine's, renamed) and each office section's:
    the sections are built apart and each engine run lists only its own pages."""
    base = county.record.get("portal_url")
    maps = [PORTAL_SITEMAP, *(f"{office}/sitemap.xml" for office in offices)]
    index = ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
             + "".join(f"  <sitemap><loc>{escape(base + name)}</loc></sitemap>\n" for name in maps)
             + "</sitemapindex>\n").encode("utf-8")
    return {PORTAL_SITEMAP: portal_sitemap, "sitemap.xml": index, "sitemap.xml.gz": gzip.compress(index, mtime=0)}
