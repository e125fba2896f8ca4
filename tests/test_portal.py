"""The county portal as a reader meets it: a fixture county of two tiny offices, built and driven in Chromium."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from pathlib import Path
from urllib.parse import unquote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

import conftest
from conftest import NOTICE, OFFICE, SERVICE, write_county, write_tree
from generator.publish.build import build
from site_support import AXE_OPTIONS, broken_links, serve

AS_OF = dt.date(2025, 10, 1)  # both fixture notices are under public notice
COUNTY = conftest.COUNTY.replace("operator: 示例县大数据发展中心", "operator: 示例县<数据>中心&运维")  # text, never markup
OFFICES = {"jia": ("示例县甲局", "甲局", "甲局听证公告"), "yi": ("示例县乙局", "乙局", "乙局听证公告")}


def tiny_png() -> bytes:
    """A 1×1 red PNG: the 党政机关网站标识 a county is given."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xa6\x1b\x1b")) + chunk(b"IEND", b""))


def write_portal_county(root: Path, county: str = COUNTY, offices: dict = OFFICES) -> Path:
    """conftest.write_county with offices told apart by name, short name and their notice's title."""
    return write_county(root, {office_id: {
        "office.yaml": OFFICE.replace("示例县测试办公室", name).replace("short_name: 测试办", f"short_name: {short_name}")
                             .replace("site_url: https://test.example.org/\n", ""),
        "notices/2025/gonggao-1.md": NOTICE.replace("title: 测试公告", f"title: {title}").replace("示例县测试办公室", name),
    } for office_id, (name, short_name, title) in offices.items()}, county)


@pytest.fixture(scope="module")
def county_site(tmp_path_factory) -> Path:
    root = write_portal_county(tmp_path_factory.mktemp("county") / "content",
                        COUNTY.replace("updated:", "badge: badge.png\nupdated:"))
    (root / "badge.png").write_bytes(tiny_png())
    out = root.parent / "site"
    findings = build(root, out, AS_OF)
    assert [f for f in findings if f.severity == "error"] == []
    return out


@pytest.fixture(scope="module")
def base_url(county_site):
    url, server = serve(county_site)
    yield url
    server.shutdown()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context
    context.close()


PAGES = {"portal home": "", "office page": "jia/fees/"}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_the_footer_a_government_site_must_have(context, base_url, name):
    page = context.new_page()
    page.goto(base_url + PAGES[name])
    footer = page.locator("footer")
    expect(footer).to_contain_text("主办单位：示例县人民政府办公室")
    expect(footer).to_contain_text("承办单位：示例县<数据>中心&运维")  # the county's text as text, never as markup
    expect(footer).to_contain_text("网站标识码：3310820000")
    assert footer.get_by_role("link", name="浙ICP备00000000号").get_attribute("href") == "https://beian.miit.gov.cn/"
    assert footer.get_by_role("link", name="浙公网安备 33108202000000号").get_attribute("href") == \
        "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33108202000000"
    badge = footer.get_by_role("img", name="党政机关网站标识")
    expect(badge).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", badge.element_handle()) == 1  # the county's file, served
    assert "Made with" not in footer.inner_text()
    police = footer.locator(".gk-police img")  # the 公安备案 icon, from the site itself
    assert not police.get_attribute("src").startswith(("http:", "https:", "//"))
    assert page.evaluate("img => img.complete && img.naturalWidth", police.element_handle()) > 0
    # 纠错 goes to the national 我为政府网站找错 platform, with the site's 网站标识码 and address
    assert footer.get_by_role("link", name="网站纠错").get_attribute("href") == \
        "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3310820000&url=https%3A%2F%2Fwww.example.gov.cn%2F"
    for link, heading in (("联系我们", "联系我们"), ("网站地图", "网站地图"), ("无障碍声明", "无障碍声明")):
        page.goto(base_url + PAGES[name])
        page.locator("footer").get_by_role("link", name=link, exact=True).click()
        expect(page.locator("h1")).to_have_text(heading)
    assert page.get_by_role("link", name="联系我们", exact=True).first.get_attribute("href")
    page.goto(base_url + "contact/")
    assert page.get_by_role("link", name="0576-5110000").get_attribute("href") == "tel:0576-5110000"  # 纠错 phone
    assert page.get_by_role("link", name="示例县甲局").get_attribute("href") == "../jia/"
    page.goto(base_url + "sitemap/")
    assert page.get_by_role("link", name="示例县乙局").get_attribute("href") == "../yi/"
    assert page.locator("a[href='../jia/notices/']").count() == 1
    page.goto(base_url + "correction/")
    assert page.get_by_role("link", name="0576-5110000").get_attribute("href") == "tel:0576-5110000"
    assert page.get_by_role("link", name="zwgk@example.gov.cn").get_attribute("href") == \
        "mailto:zwgk@example.gov.cn"
    assert page.get_by_role("link", name="我为政府网站找错").get_attribute("href").startswith("https://zfwzgl.www.gov.cn/")


def test_an_office_page_footer_says_how_to_reach_the_office(context, base_url):
    page = context.new_page()
    page.goto(base_url + "jia/fees/")
    footer = page.locator("footer")
    office = conftest.OFFICE
    address = next(line.split(": ", 1)[1] for line in office.splitlines() if line.startswith("address:"))
    expect(footer).to_contain_text(f"地址：{address}")
    expect(footer).to_contain_text("咨询电话：")


def test_a_single_office_footer_comes_from_its_own_registration_with_an_empty_badge_slot(office, tmp_path, browser):
    root = office({"office.yaml": OFFICE + "registration:\n  icp: 浙ICP备87654321号\n  police: 浙公网安备 33000002000001号\n"})
    assert [f for f in build(root, tmp_path / "site", AS_OF) if f.severity == "error"] == []
    url, server = serve(tmp_path / "site")
    page = browser.new_page()
    try:
        page.goto(url + "fees/")
        footer = page.locator("footer")
        expect(footer).to_contain_text("主办单位：示例县测试办公室")
        assert footer.get_by_role("link", name="浙ICP备87654321号").get_attribute("href") == "https://beian.miit.gov.cn/"
        assert footer.get_by_role("link", name="浙公网安备 33000002000001号").get_attribute("href").endswith(
            "recordcode=33000002000001")
        assert page.locator(".gk-badge").count() == 1 and page.locator(".gk-badge img").count() == 0
        assert page.locator(".gk-badge").bounding_box()["width"] > 0  # the slot is kept for the badge to come
        for link in ("联系我们", "网站地图", "无障碍声明"):  # a site of its own has the footer's pages itself
            page.goto(url + "fees/")
            page.locator("footer").get_by_role("link", name=link, exact=True).click()
            expect(page.locator("h1")).to_have_text(link)
        page.goto(url + "fees/")
        footer.get_by_role("link", name="网站纠错").click()  # no 网站标识码: its own 监督投诉 page
        expect(page.locator("h1")).to_have_text("监督投诉")
        expect(page.get_by_role("navigation", name="示例县测试办公室栏目").get_by_role("link", name="公示公告")).to_be_visible()
    finally:
        page.close()
        server.shutdown()


@pytest.mark.parametrize("width", (375, 1280))
def test_navigation_is_visible_without_opening_a_menu(browser, base_url, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto(base_url)
        portal_nav = page.get_by_role("navigation", name="示例县人民政府门户网站栏目")
        for name in ("首页", "政府信息公开", "部门", "全文检索"):
            expect(portal_nav.get_by_role("link", name=name, exact=True)).to_be_visible()
        portal_nav.get_by_role("link", name="部门").click()
        expect(page.locator("h1")).to_have_text("部门")
        page.get_by_role("link", name="示例县乙局").first.click()
        section_nav = page.get_by_role("navigation", name="示例县乙局栏目")
        for name in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "公示公告"):
            expect(section_nav.get_by_role("link", name=name, exact=True)).to_be_visible()
        section_nav.get_by_role("link", name="政府信息公开年报").click()
        expect(page.locator("h1")).to_have_text("政府信息公开年报")
        page.get_by_role("navigation", name="当前位置").get_by_role("link", name="示例县人民政府门户网站").click()
        assert page.url == base_url
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    finally:
        page.close()


def test_the_supervision_table_fits_a_desktop_screen_without_scrolling(context, base_url):
    page = context.new_page()
    page.goto(base_url + "supervision/")
    table = page.locator("#gk-supervision")
    expect(table).to_be_visible()
    wraps = table.locator("xpath=ancestor::div[contains(@class, 'md-typeset__scrollwrap')]")  # the theme's and ours
    assert wraps.count() >= 1 and all(w.evaluate("el => el.scrollWidth - el.clientWidth") <= 1 for w in wraps.all())
    expect(page.locator(".gk-scroll-cue")).to_have_count(0)
    right = wraps.last.evaluate("el => el.getBoundingClientRect().right")
    assert all(box["x"] + box["width"] <= right + 1 for box in (th.bounding_box() for th in table.locator("th").all()))
    page.close()


def test_the_home_page_shows_both_offices_columns_notices_and_departments(context, base_url):
    page = context.new_page()
    page.goto(base_url)
    expect(page.get_by_role("link", name="甲局听证公告").first).to_be_visible()  # 正在公示 and 最新信息
    expect(page.get_by_role("link", name="乙局听证公告").first).to_be_visible()
    page.goto(base_url + "openness/")
    for office_name in ("示例县甲局", "示例县乙局"):
        expect(page.get_by_role("heading", name=office_name)).to_be_visible()
    page.get_by_role("link", name="政府信息公开指南").nth(1).click()
    assert page.url == base_url + "yi/guide/"


def test_elder_mode_enlarges_the_text_and_is_remembered_on_the_next_page(context, base_url):
    page = context.new_page()
    page.goto(base_url)
    size = lambda: float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"))  # noqa: E731
    normal = size()
    toggle = page.get_by_role("button", name="适老化模式（大字、高对比）")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    large = size()
    assert large >= normal * 1.15
    page.goto(base_url + "jia/notices/")  # another office's section: the choice follows the reader
    assert size() == pytest.approx(large)
    expect(page.get_by_role("button", name="适老化模式（大字、高对比）")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"  # high contrast
    page.set_viewport_size({"width": 375, "height": 800})  # large text still fits a phone
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.get_by_role("button", name="适老化模式（大字、高对比）").click()
    page.goto(base_url)
    assert size() == pytest.approx(normal)


def search_results(page) -> list[str]:
    page.locator("#gk-search-status").filter(has_text=re.compile("找到|没有")).wait_for()
    return [link.get_attribute("href") for link in page.locator(".gk-search-result-link").all()]


def office_of(href: str, base_url: str) -> str:
    return href.removeprefix(base_url).split("/")[0]


def test_one_search_finds_every_office_and_narrows_to_one(context, base_url):
    page = context.new_page()
    page.goto(base_url + "search/?q=听证公告")
    assert {office_of(href, base_url) for href in search_results(page)} == {"jia", "yi"}
    page.get_by_role("combobox", name="部门").select_option("乙局")
    assert {office_of(href, base_url) for href in search_results(page)} == {"yi"}
    facts = page.locator(".gk-search-result-facts").all_inner_texts()
    assert facts and all(text.lstrip("（").startswith("乙局") for text in facts)  # a result names its office
    assert "部门=乙局" in unquote(page.url)  # the address keeps the choice, for a link or a reload
    page.get_by_role("combobox", name="部门").select_option("")
    page.get_by_role("combobox", name="栏目").select_option("办事指南")  # the offices' own filters, offered county-wide
    assert search_results(page) == []  # neither office's service guide is about 听证公告
    page.get_by_role("combobox", name="栏目").select_option("公示公告")
    assert {office_of(href, base_url) for href in search_results(page)} == {"jia", "yi"}


def test_an_office_search_page_searches_the_county_with_its_office_chosen(context, base_url):
    page = context.new_page()
    page.goto(base_url + "jia/search/")
    expect(page.get_by_role("combobox", name="部门")).to_have_value("甲局")
    page.get_by_label("检索词").fill("听证公告")
    page.get_by_label("检索词").press("Enter")
    assert {office_of(href, base_url) for href in search_results(page)} == {"jia"}
    page.get_by_role("combobox", name="部门").select_option("")
    assert {office_of(href, base_url) for href in search_results(page)} == {"jia", "yi"}


def test_no_request_leaves_the_site(context, base_url):
    asked = []
    page = context.new_page()
    page.on("request", lambda request: asked.append(request.url))
    for path in ("", "departments/", "jia/", "jia/notices/2025/gonggao-1/", "search/?q=听证"):
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="适老化模式（大字、高对比）").click()
    assert [url for url in asked if not url.startswith(base_url) and not url.startswith("data:")] == []


@pytest.mark.parametrize("width", (375, 1280))
@pytest.mark.parametrize("path", ("", "openness/", "departments/", "correction/", "search/?q=听证", "jia/", "jia/search/",
                                  "contact/", "sitemap/", "accessibility/"))
def test_portal_pages_have_no_axe_violations(browser, base_url, path, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto(base_url + path)
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()
    finally:
        page.close()


def test_elder_mode_has_no_axe_violations(context, base_url):
    page = context.new_page()
    page.goto(base_url + "jia/fees/")
    page.get_by_role("button", name="适老化模式（大字、高对比）").click()
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def test_a_badge_named_but_missing_is_reported_at_its_line_and_nothing_is_built(tmp_path):
    root = write_portal_county(tmp_path / "content", COUNTY.replace("updated:", "badge: biaoshi.png\nupdated:"),
                        {"jia": OFFICES["jia"]})
    findings = build(root, tmp_path / "site", AS_OF)
    line = COUNTY.splitlines().index("updated: 2025-01-06") + 1  # where the badge line was put
    assert [(f.file, f.line, f.code) for f in findings if f.severity == "error"] == [("county.yaml", line, "attachment-missing")]
    assert not (tmp_path / "site").exists()


def test_zensical_builds_the_same_portal_with_the_same_footer(county_site, tmp_path):
    root = write_portal_county(tmp_path / "content")
    out = tmp_path / "site"
    assert [f for f in build(root, out, AS_OF, engine="zensical") if f.severity == "error"] == []
    pages = lambda site: sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))  # noqa: E731
    assert pages(out) == pages(county_site)
    for page in ("index.html", "jia/fees/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "示例县&lt;数据&gt;中心&amp;运维" in html and "<数据>" not in html
        assert 'href="https://beian.miit.gov.cn/"' in html
        assert "recordcode=33108202000000" in html
        assert 'class="gk-elder"' in html and "全文检索</a>" in html


def test_every_link_of_the_portal_and_its_sections_resolves(county_site):
    # The offices' sections load the portal's stylesheets and scripts: a section has no copy of its own, and the portal
    # none of the engine's files that no page loads (source maps, the engine's own search).
    assert broken_links(county_site, "https://www.example.gov.cn/") == []
    assert not (county_site / "jia/assets").exists() and (county_site / "assets/gongkai.css").is_file()
    assert [p.name for p in county_site.rglob("*") if p.suffix == ".map" or p.name in ("lunr", "workers")] == []


def test_a_notice_page_stays_under_35_kb_in_an_office_of_sixty_service_guides(tmp_path):
    """Every page carries the layout: the navigation of a large office (a hundred service guides) and the theme's
    indentation were most of a notice page's bytes, downloaded again with each page a reader opens."""
    root = write_portal_county(tmp_path / "content", COUNTY, {"jia": OFFICES["jia"]})
    write_tree(root / "offices/jia", {
        f"services/s{number}.yaml": SERVICE.replace("id: shenpi", f"id: s{number}")
        .replace("title: 测试审批", f"title: 测试审批第{number}项事项").replace("2025-00001", f"2025-{100 + number:05d}")
        for number in range(60)})
    out = tmp_path / "site"
    assert [f for f in build(root, out, AS_OF, search=False) if f.severity == "error"] == []
    assert (out / "jia/services/s59/index.html").is_file()
    assert len((out / "jia/notices/2025/gonggao-1/index.html").read_bytes()) <= 35_000
