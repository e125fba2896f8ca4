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
import posixpath
from html import escape

import yaml

from . import supervision
from .county import County
from .schedule import cn_date
from .site import ASSETS, THEME_DIR, SiteRenderer, _environment, front_matter, label_of, url_of
from .workdays import WorkCalendar

OFFICE_FILTER = "部门"  # the search filter every office's pages carry
LATEST_COUNT = 15
COLUMNS = (("政府信息公开指南", "guide/"), ("政府信息公开制度", "regulations/"), ("法定主动公开内容", "duties/"),
           ("政府信息公开年报", "reports/"))


def office_summary(content, as_of: dt.date, office: str) -> dict:
    """What the portal's pages show of one office, as plain data (it is cached with the office's partition)."""
    renderer = SiteRenderer(content, WorkCalendar.from_content(content), as_of)

    def link(record) -> str:
        return f"{office}/{url_of(record)}"

    return {
        "id": office,
        "name": content.office.get("name"),
        "short_name": content.office.get("short_name"),
        "phone": content.office.get("phones")["consultation"],
        "columns": [[title, f"{office}/{path}"] for title, path in COLUMNS],
        "open_notices": [{"title": n.title, "url": link(n), "type": n.notice_type, "first": p.first_day.isoformat(),
                          "last": p.last_day.isoformat()} for n, p in renderer.open_notices()],
        "latest": [{"title": r.title, "url": link(r), "date": r.published.isoformat(), "kind": label_of(r)}
                   for r in renderer.latest()],
        "supervision": supervision.office_facts(content, as_of),
    }


def render_portal(county: County, summaries: list[dict], as_of: dt.date, config) -> tuple[dict[str, bytes], bytes]:
    """The portal's docs tree and its engine settings."""
    env = _environment()
    files: dict[str, bytes] = {}
    latest = sorted((dict(item, office=s["short_name"]) for s in summaries for item in s["latest"]),
                    key=lambda item: (item["date"], item["url"]), reverse=True)[:LATEST_COUNT]
    open_notices = sorted((dict(item, office=s["short_name"]) for s in summaries for item in s["open_notices"]),
                          key=lambda item: (item["first"], item["url"]), reverse=True)

    def page(path: str, title: str, template: str, front: dict | None = None, **context) -> None:
        def rel(target: str) -> str:
            return posixpath.relpath(target, posixpath.dirname(path) or ".") + ("/" if target.endswith("/") else "")

        head = {"title": escape(title), "description": escape(f"{county.record.get('name')}：{title}"), **(front or {})}
        body = env.get_template(template).render(county=county.record, offices=summaries, as_of=as_of, rel=rel,
                                                 cn_date=cn_date, **context)
        files[path] = ("---\n" + front_matter(head) + "\n---\n\n" + body.strip() + "\n").encode("utf-8")

    page("index.md", "首页", "portal_home.md.j2", {"hide": ["toc"], "search": {"exclude": True}, "own_search_box": True},
         latest=latest, open_notices=open_notices)
    page("search/index.md", "全文检索", "search.md.j2",
         {"hide": ["toc"], "search": {"exclude": True}, "gk_search": True, "own_search_box": True},
         filters={OFFICE_FILTER: [s["short_name"] for s in summaries]})
    files.update(supervision.render(county, summaries, as_of))
    for asset in sorted(ASSETS.iterdir()):
        files[f"assets/{asset.name}"] = asset.read_bytes()
    nav = [{"首页": "index.md"}, {"政务公开监督": supervision.PAGE}, {"全文检索": "search/index.md"}]
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
        "copyright": escape(f"主办单位：{record.get('sponsor')} · 承办单位：{record.get('operator')}"),
        "extra": {**base.get("extra", {}), "office_name": record.get("name"), "county": county_extra(record)},
    }
    return yaml.safe_dump(settings, allow_unicode=True, sort_keys=False).encode("utf-8")


def county_extra(record) -> dict:
    """What every page's footer and header show of the county, escaped: the theme writes it as it is."""
    registration = record.get("registration") or {}
    correction = record.get("correction")
    return {key: escape(str(value)) for key, value in {
        "name": record.get("name"), "short_name": record.get("short_name"), "portal_url": record.get("portal_url"),
        "sponsor": record.get("sponsor"), "operator": record.get("operator"),
        "site_code": registration.get("site_code", ""), "icp": registration.get("icp", ""),
        "police": registration.get("police", ""), "correction_phone": correction["phone"],
        "correction_email": correction["email"], "correction_url": correction.get("url", ""),
        "badge": record.get("badge", ""),
    }.items()}
