"""The public website, built by mkdocs-material and driven in a real Chromium through Playwright."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from generator.publish.build import build
from site_support import AS_OF, AXE_OPTIONS, ROOT, build_example, serve

PAGE_TYPES = {
    "home": "",
    "notice": "notices/2026/zhongda-2026-01/",
    "service guide": "services/fangkong-dixiashi-yidi/",
    "regulation": "regulations/tousu-chuli/",
    "catalog": "guide/catalog/",
    "fees": "fees/",
    "duties": "duties/",
    "notice archive": "notices/archive/2025/",
    "notices": "notices/",
    "register": "registers/complaints/",
    "supervision": "supervision/",
    "pledges": "pledges/",
    "search": "search/?q=投诉",
    "annual report": "reports/2025/",
    "open data": "data/",
    "posters": "posters/",
    "not found": "no-such-page/",
}
WIDTHS = (1280, 375)
CHINA = dt.timezone(dt.timedelta(hours=8))


OFFICE = "/rfb/"  # the example office's folder on the county portal (its site_url's path)
ADDRESS = "https://www.linhai.example.gov.cn/rfb/"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The example office's section, built as `gongkai build content/offices/rfb` does, in the portal's folder."""
    return build_example(tmp_path_factory.mktemp("portal") / OFFICE.strip("/"))


@pytest.fixture(scope="session")
def base_url(site):
    url, server = serve(site.parent)
    yield url + OFFICE.lstrip("/")
    server.shutdown()


def open_page(browser, url: str, today: dt.date = AS_OF, width: int = 1280):
    """A page whose clock says `today` (noon in China), so status tests never depend on the real date."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.clock.set_fixed_time(dt.datetime.combine(today, dt.time(12), CHINA))
    page.goto(url)
    return page


def settled(page):
    """Waits until the search says how many it found: it says so once every result of the first batch is on the page
    (they arrive one by one, each as its file comes), so reading them sooner reads some."""
    page.locator("#gk-search-status").filter(has_text=re.compile("找到|没有")).wait_for(timeout=15000)
    return page


def test_home_lists_the_open_notice_with_both_dates(browser, base_url):
    page = open_page(browser, base_url)
    row = page.locator("table", has_text="公示期").locator("tr", has_text="防空警报设施布局调整方案")
    assert row.count() == 1
    text = row.inner_text()
    assert "2026年11月20日" in text and "2026年12月3日" in text and "正在公示" in text
    assert "0576-5115183" in page.inner_text("body")
    page.context.close()


def test_notice_page_prints_the_whole_period(browser, base_url):
    page = open_page(browser, base_url + "notices/2025/zhongda-2025-01/")
    assert "自 2025年9月26日 至 2025年10月15日，共10个工作日" in page.inner_text(".gk-period")
    assert page.inner_text(".gk-meta").count("11331082MB1947351Y/2025-00003") == 1
    page.context.close()


@pytest.mark.parametrize("today, status", [
    (dt.date(2026, 11, 19), "即将公示"), (AS_OF, "正在公示"), (dt.date(2026, 12, 4), "已结束")])
def test_status_is_corrected_by_the_readers_clock(browser, base_url, today, status):
    page = open_page(browser, base_url + "notices/2026/zhongda-2026-01/", today)
    assert page.locator(".gk-status").inner_text() == status
    page.context.close()


def test_built_status_is_the_as_of_status_without_javascript(site):
    html = (site / "notices/2026/zhongda-2026-01/index.html").read_text(encoding="utf-8")
    assert 'data-last="2026-12-03">正在公示<' in html


@pytest.mark.parametrize("query, expected", [
    ("投诉", "supervision/"),
    ("暗箱操作", "regulations/zeren-zhuijiu/"),  # a word from inside a regulation's text
    ("听证", "regulations/zhongda-shixiang-gongshi-tingzheng/"),  # a two-character word Pagefind 1.5.2 found nowhere
    ("奖惩", "regulations/kaohe-jiangcheng/"),
])
def test_chinese_search_finds_words(browser, base_url, query, expected):
    page = open_page(browser, base_url)
    page.fill("#gk-q", query)
    page.press("#gk-q", "Enter")
    results = settled(page).locator(".gk-search-result-link")
    paths = [urlsplit(results.nth(i).get_attribute("href")).path for i in range(results.count())]
    assert any(path.endswith(expected) for path in paths), paths
    page.context.close()


def test_search_results_show_type_and_date_and_filter_by_type(browser, base_url):
    page = settled(open_page(browser, base_url + "search/?q=公示"))
    results = page.locator(".gk-search-result-title")
    titles = [results.nth(i).inner_text() for i in range(results.count())]
    assert "关于临海市防空警报设施布局调整方案的公示（重大事项公示 · 2026年11月20日）" in titles
    page.get_by_label("类型").select_option("人事公示")
    page.wait_for_function("document.querySelectorAll('.gk-search-result-title').length === 1")
    assert results.all_inner_texts() == ["综合科科长拟任人选公示（人事公示 · 2026年6月3日）"]
    assert "类型=人事公示" in unquote(page.url)  # the narrowed search can be bookmarked and shared
    page.context.close()


def test_a_first_search_fetches_no_filter_lists_until_a_filter_is_chosen(browser, base_url):
    page = open_page(browser, base_url + "search/?q=投诉")
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    page.reload()
    page.locator(".gk-search-result-link").first.wait_for(timeout=15000)
    assert any("/gk-search/s/" in path for path in fetched)
    assert not [path for path in fetched if "/gk-search/f/" in path]
    page.get_by_label("年份").select_option("2025")
    page.wait_for_function("!document.getElementById('gk-search-status').textContent.startsWith('正在')")
    assert any("/gk-search/f/" in path for path in fetched)
    page.context.close()


def search_results(browser, base_url, query) -> list[str]:
    page = settled(open_page(browser, base_url + "search/?q=" + query))
    paths = [urlsplit(href).path for href in page.locator(".gk-search-result-link").evaluate_all(
        "(links) => links.map((a) => a.href)")]
    page.context.close()
    return paths


@pytest.mark.parametrize("title, path", [
    ("综合科科长拟任人选公示", "notices/2026/renshi-2026-01/"),
    ("临海市人防办重大事项公示和听证制度", "regulations/zhongda-shixiang-gongshi-tingzheng/"),
    ("临海市人防办政务公开工作考核与奖惩制度", "regulations/kaohe-jiangcheng/"),
])
def test_an_exact_title_finds_its_document_first(browser, base_url, title, path):
    assert search_results(browser, base_url, title)[0] == OFFICE + path


def test_pages_holding_the_whole_query_rank_above_pages_holding_part_of_it(browser, base_url):
    page = settled(open_page(browser, base_url + "search/?q=防空警报"))
    titles = page.locator(".gk-search-result-link").all_inner_texts()
    assert "关于临海市防空警报设施布局调整方案的公示" in titles[:2]  # both titles holding 防空警报 come first
    excerpts = page.locator(".gk-search-result-excerpt").all_inner_texts()
    assert all("防空警报" in text for text in excerpts), excerpts  # every shown page holds the whole query
    assert not [text for text in excerpts if "索引号" in text]  # the excerpt is the text, not the document's head
    assert page.locator(".gk-search-result-excerpt mark").first.inner_text() == "防空警报"
    page.context.close()


def test_the_search_finds_every_sampled_word_and_puts_every_title_first(site, browser, base_url):
    """The recall benchmark's own measure (bench/recall.py), held at full recall on a fixed sample of the example."""
    import random

    sys.path.insert(0, str(ROOT / "bench"))
    import recall

    urls = recall.searchable_pages(site)
    reader = browser.new_context(java_script_enabled=False)
    queries = recall.sample_queries(reader.new_page(), base_url, urls, 3, random.Random(recall.SEED))
    reader.close()
    page = browser.new_page()
    results = recall.ask(page, site, base_url, queries)
    page.close()
    assert len(urls) >= 30 and len(queries) >= 120
    assert [r["query"] for r in results if r["kind"] == "word" and r["rank"] is None] == []
    assert [(r["query"], r["rank"]) for r in results if r["kind"] == "title" and r["rank"] != 1] == []


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_page_scrolls_sideways_on_a_phone(browser, base_url, name):
    page = open_page(browser, base_url + PAGE_TYPES[name], width=375)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than a 375px phone"
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_axe_violations_of_any_impact(browser, base_url, name, width):
    page = open_page(browser, base_url + PAGE_TYPES[name], width=width)
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["home", "notice", "fees", "search"])
def test_navigation_is_visible_at_every_width(browser, base_url, name, width):
    page = open_page(browser, base_url + PAGE_TYPES[name], width=width)
    if width >= 1220:
        assert page.locator(".md-sidebar--primary").get_by_role("link", name="收费标准").is_visible()
    else:
        page.get_by_role("button", name="导航菜单").click()
        page.locator(".md-sidebar--primary").get_by_role("link", name="收费标准").wait_for(state="visible")
    page.context.close()


def test_menu_button_works_from_the_keyboard_and_the_closed_drawer_is_skipped(browser, base_url):
    page = open_page(browser, base_url + PAGE_TYPES["fees"], width=375)
    focused_inside_drawer = False
    for _ in range(6):
        page.keyboard.press("Tab")
        focused_inside_drawer |= page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "导航菜单":
            break
    else:
        pytest.fail("the menu button was not reached within six Tab presses")
    assert not focused_inside_drawer
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "false"
    page.keyboard.press("Enter")
    page.wait_for_function("!!document.activeElement.closest('.md-sidebar--primary')")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "导航菜单"
    page.keyboard.press("Tab")  # onward from the button: the page, not the closed drawer's links
    page.wait_for_timeout(300)
    assert not page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
    page.context.close()


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_every_page_has_a_search_box_that_shows_focus_a_description_and_the_feed(browser, base_url, name):
    page = open_page(browser, base_url + PAGE_TYPES[name])
    box = page.locator("form[role=search] input[name=q]").first
    box.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    box.fill("听证")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.goto(base_url + PAGE_TYPES[name])
    assert len(page.locator("meta[name=description]").get_attribute("content")) >= 10
    feed = page.locator('head link[rel~=alternate][type="application/rss+xml"]').get_attribute("href")
    assert page.request.get(urljoin(page.url, feed)).ok
    page.context.close()


def test_the_not_found_page_is_chinese_and_leads_home_and_to_search(browser, base_url):
    page = open_page(browser, base_url + "no-such-page/")
    assert "页面不存在" in page.inner_text("h1")
    assert page.title() == "页面不存在 - 临海市人民防空办公室政府信息公开"  # the tab and the history say so too
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert urlsplit(page.get_by_role("link", name="返回首页").get_attribute("href")).path == OFFICE
    assert urlsplit(page.get_by_role("link", name="全文检索").first.get_attribute("href")).path == OFFICE + "search/"
    page.context.close()


@pytest.mark.parametrize("name", ["fees", "service guide", "register", "catalog"])
def test_tables_keep_every_column_on_a_phone(browser, base_url, name):
    page = open_page(browser, base_url + PAGE_TYPES[name], width=375)
    cells = page.locator(".md-typeset table td")
    assert cells.count()
    hidden = page.evaluate("""() => [...document.querySelectorAll('.md-typeset table td')].filter((td) => {
        const box = td.getBoundingClientRect();
        const scrolls = td.closest('.md-typeset__scrollwrap, .gk-report-wrap');
        const cued = scrolls && scrolls.nextElementSibling && scrolls.nextElementSibling.matches('.gk-scroll-cue');
        return box.right > document.documentElement.clientWidth + 1 && !cued;
    }).map((td) => td.dataset.label || td.textContent)""")
    assert hidden == []
    if name == "fees":
        assert page.locator("td[data-label=说明]").first.is_visible()
    page.context.close()


def test_report_tables_fit_the_screen_and_the_paper_with_spanning_group_headers(browser, base_url):
    page = open_page(browser, base_url + PAGE_TYPES["annual report"])
    wide = "[...document.querySelectorAll('.gk-report-wrap')].filter((w) => w.scrollWidth > w.clientWidth + 1).length"
    assert page.evaluate(wide) == 0
    assert page.locator("th[colspan='10']", has_text="行政诉讼").count() == 1
    assert page.locator("th[colspan='5']", has_text="法人或其他组织").count() == 1
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 700, "height": 1000})  # about an A4 sheet's printable width
    assert page.evaluate(wide) == 0
    page.context.close()


def test_a_printed_page_carries_the_office_its_address_and_the_print_date(browser, base_url):
    page = open_page(browser, base_url + PAGE_TYPES["fees"])
    page.emulate_media(media="print")
    head = page.locator(".gk-print-head")
    assert head.is_visible()
    assert head.inner_text() == (f"临海市人民防空办公室 · {ADDRESS}fees/ · 打印日期 2026年11月25日")
    assert not page.locator(".gk-search-bar").is_visible()
    page.context.close()


def test_no_broken_internal_links(base_url):
    result = subprocess.run([str(Path(sys.executable).parent / "linkchecker"), "--no-status", "--no-warnings",
                             "--no-robots", base_url], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_open_data_package_is_valid_and_every_table_opens_in_excel_with_chinese_titles(site):
    result = subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", "--json",
                             str(site / "data/datapackage.json")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert '"valid": true' in result.stdout
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert len(package["resources"]) >= 5
    for resource in package["resources"]:
        data = (site / "data" / resource["path"]).read_bytes()
        header = data.split(b"\r\n")[0]
        assert header.startswith(b"\xef\xbb\xbf"), resource["path"]  # without it Excel reads GBK
        fields = resource["schema"]["fields"]
        assert header[3:].decode("utf-8").split(",") == [field["title"] for field in fields]
        assert all(re.search(r"[\u4e00-\u9fff]", field["title"]) for field in fields), resource["path"]
        assert all(re.fullmatch(r"[a-z_]+", field["name"]) for field in fields), resource["path"]  # for programs


def test_feed_lists_notices_with_absolute_links(site):
    channel = ET.parse(site / "feed.xml").getroot().find("channel")
    items = channel.findall("item")
    assert items[0].findtext("title") == "关于临海市防空警报设施布局调整方案的公示"
    assert items[0].findtext("link") == f"{ADDRESS}notices/2026/zhongda-2026-01/"
    assert len(items) == 5


def test_no_page_links_to_the_engine_that_made_it(site):
    """An English "Made with Material for MkDocs" link has no place on a government site (政府网站发展指引)."""
    assert not [p for p in site.rglob("*.html") if "Made with" in p.read_text(encoding="utf-8")]


def test_sitemap_lists_every_page(site):
    urls = [loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{ADDRESS}services/rfgc-chubu-sheji/" in urls


def test_zensical_builds_the_same_pages(site, tmp_path):
    other = build_example(tmp_path / "zensical-site", engine="zensical")
    pages = lambda root: sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))  # noqa: E731
    assert pages(other) == pages(site)


def test_zensical_builds_the_county_portal(site, tmp_path):
    """The county's portal pages and each office's section are built by the same engine: Zensical too."""
    out = tmp_path / "county-site"
    findings = build(ROOT / "content", out, AS_OF, engine="zensical")
    assert [f for f in findings if f.severity == "error"] == []
    pages = lambda root: sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))  # noqa: E731
    # 联系我们, 网站地图 and the 无障碍声明 are the portal's in a county, a single office's own otherwise
    footer_pages = ("contact/index.html", "sitemap/index.html", "accessibility/index.html")
    assert pages(out / "rfb") == [page for page in pages(site) if page not in footer_pages]
    assert all((out / page).is_file() for page in footer_pages)
    assert "临海市人民政府门户网站" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "search/index.html").is_file()
    assert json.loads((out / "gk-search/meta.json").read_text(encoding="utf-8"))["filters"]["部门"]
