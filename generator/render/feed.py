"""Render stage for the RSS feed of notices (feedgen writes the XML)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

FEED_SIZE = 50
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # XML 1.0 cannot hold these (rule raw-html refuses them)
CHINA = dt.timezone(dt.timedelta(hours=8))


def feed_entry(notice, period, url: str) -> dict:
    """One notice as the feed shows it; plain data, so that a county's portal can gather its offices' newest."""
    return {"title": notice.title, "url": url, "description": f"{notice.notice_type}。公示期：{period.text}。",
            "published": notice.published.isoformat()}


def render_feed(name: str, site_url: str, entries: list[dict], as_of: dt.date) -> bytes:
    """The newest FEED_SIZE of entries (feed_entry, newest first; urls relative to site_url) as RSS."""
    feed = FeedGenerator()
    feed.title(f"{name} 公示公告")
    feed.link(href=site_url, rel="alternate")
    feed.description(f"{name}发布的公示公告")
    feed.language("zh-CN")
    feed.lastBuildDate(dt.datetime.combine(as_of, dt.time(), CHINA))
    for item in reversed(entries[:FEED_SIZE]):  # feedgen prepends each entry
        entry = feed.add_entry()
        link = urljoin(site_url, item["url"])
        entry.id(link)
        entry.guid(link, permalink=True)
        entry.title(NOT_XML.sub("", item["title"]))
        entry.link(href=link)
        entry.description(item["description"])
        entry.pubDate(dt.datetime.combine(dt.date.fromisoformat(item["published"]), dt.time(), CHINA))
    return feed.rss_str(pretty=True)
