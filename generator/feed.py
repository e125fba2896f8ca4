"""Render stage for the RSS feed of notices (feedgen writes the XML)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

FEED_SIZE = 50
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # XML 1.0 cannot hold these (rule raw-html refuses them)
CHINA = dt.timezone(dt.timedelta(hours=8))


def render_feed(office, notices, url_of, as_of: dt.date) -> bytes:
    """notices: (notice, period) pairs, newest first; url_of: notice -> site-relative URL."""
    site_url = office.get("site_url")
    feed = FeedGenerator()
    feed.title(f"{office.get('name')} 公示公告")
    feed.link(href=urljoin(site_url, "notices/"), rel="alternate")
    feed.description(f"{office.get('name')}发布的公示公告")
    feed.language("zh-CN")
    feed.lastBuildDate(dt.datetime.combine(as_of, dt.time(), CHINA))
    for notice, period in reversed(notices[:FEED_SIZE]):  # feedgen prepends each entry
        entry = feed.add_entry()
        link = urljoin(site_url, url_of(notice))
        entry.id(link)
        entry.guid(link, permalink=True)
        entry.title(NOT_XML.sub("", notice.title))
        entry.link(href=link)
        entry.description(f"{notice.notice_type}。公示期：{period.text}。")
        entry.pubDate(dt.datetime.combine(notice.published, dt.time(), CHINA))
    return feed.rss_str(pretty=True)
