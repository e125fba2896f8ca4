"""What a reader's programs fetch from a county portal beside its pages: the notices feed and the sitemap."""

from __future__ import annotations

import datetime as dt
import gzip
import xml.etree.ElementTree as ET

import pytest

from conftest import NOTICE
from generator.publish.build import build
from generator.checks.check import stops_a_build

AS_OF = dt.date(2025, 10, 20)
PORTAL = "https://www.example.gov.cn/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(params=["mkdocs", "zensical"])
def site(request, county, tmp_path):
    offices = {"jia": {}, "yi": {"notices/2025/gonggao-1.md": NOTICE.replace("关于", "乙局关于")}}
    out = tmp_path / "site"
    findings = build(county(offices), out, AS_OF, engine=request.param, search=False)
    assert not [str(f) for f in findings if stops_a_build(f)]
    return out


def test_the_portal_feed_holds_every_offices_notices(site):
    # Every portal page names feed.xml in its head; it must exist and lead into the offices' sections.
    items = ET.fromstring((site / "feed.xml").read_bytes()).findall("./channel/item")
    links = sorted(item.findtext("link") for item in items)
    assert [link.split("/")[3] for link in links] == ["jia", "yi"]
    for link in links:
        assert link.startswith(PORTAL) and (site / link.removeprefix(PORTAL) / "index.html").is_file()


def test_the_sitemap_lists_the_portals_pages_and_every_sections(site):
    index = ET.fromstring((site / "sitemap.xml").read_bytes())
    maps = [loc.text.removeprefix(PORTAL) for loc in index.iter(f"{SITEMAP}loc")]
    assert maps == ["sitemap-portal.xml", "jia/sitemap.xml", "yi/sitemap.xml"]
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
    pages = {loc.text for name in maps for loc in ET.fromstring((site / name).read_bytes()).iter(f"{SITEMAP}loc")}
    assert PORTAL in pages and f"{PORTAL}jia/notices/2025/gonggao-1/" in pages and f"{PORTAL}yi/" in pages
