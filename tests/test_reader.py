"""The example county as the public reads it: served by nginx as README sets it up, read in Chromium on a phone."""

from __future__ import annotations

import json
import sys
import time
from urllib.parse import urljoin

import pytest

from generator.publish.build import build
from site_support import AS_OF, ROOT, nginx

sys.path.insert(0, str(ROOT / "bench"))
import recall  # noqa: E402  (bench/recall.py: the ranking benchmark's own measure)

PHONE = {"width": 375, "height": 667}  # a small phone's first screen, in CSS pixels
PAGES = ("", "search/?q=人防", "rfb/", "rfb/notices/2026/zhongda-2026-01/", "rfb/fees/", "xmsy/services/shouyao-jingying/")


@pytest.fixture(scope="module")
def county_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("county") / "site"
    findings = build(ROOT / "content", out, AS_OF)
    assert [f for f in findings if f.severity == "error"] == []
    return out


@pytest.fixture(scope="module")
def base_url(county_site, tmp_path_factory):
    with nginx(county_site, tmp_path_factory.mktemp("nginx")) as url:  # deploy/nginx/gongkai.conf: gzip, as served
        yield url


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context
    context.close()


def test_no_page_downloads_a_sitemap(phone, base_url):
    """The feed's link in every page's head must not set off the theme's language switcher, which fetches the
    section's sitemap.xml (130 KB compressed at 10,000 notices) to map pages between languages."""
    asked = []
    page = phone.new_page()
    page.on("request", lambda request: asked.append(request.url))
    for path in PAGES:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    assert len(asked) > len(PAGES)
    assert [url for url in asked if "sitemap" in url] == []


def test_reader_queries_find_their_page_first(browser, county_site, base_url):
    """bench/queries.yaml (the ranking benchmark) through the search code the browser runs: at least 95% at rank 1,
    every one in the top 3."""
    page = browser.new_page()
    results = recall.rank_queries(page, county_site, base_url, recall.load_queries())
    page.close()
    assert len(results) >= 40
    assert [(r["query"], r["rank"]) for r in results if r["rank"] is None or r["rank"] > 3] == []
    assert sum(r["rank"] == 1 for r in results) >= 0.95 * len(results), [r for r in results if r["rank"] != 1]


def test_every_public_page_is_found_by_its_name(browser, county_site, base_url):
    """Every page the county's search holds, the supervisor's included, within the first three results for its title,
    with its office's short name before it on an office's page (every office has a 收费标准)."""
    count = json.loads((county_site / "gk-search/meta.json").read_text(encoding="utf-8"))["pages"]
    pages = [json.loads((county_site / f"gk-search/p/{n}.json").read_text(encoding="utf-8")) for n in range(count)]
    assert {"supervision/", "correction/", "rfb/fees/", "xmsy/reports/2025/"} <= {p["url"] for p in pages}
    # An office's page is labelled with the office's short name first (市畜牧兽医局 · 通知公告); the portal's, with none.
    queries = [{"query": p["kind"].split(" · ")[0] + p["title"], "page": p["url"]} for p in pages]
    page = browser.new_page()
    results = recall.rank_queries(page, county_site, base_url, queries)
    page.close()
    assert [(r["query"], r["rank"]) for r in results if r["rank"] is None or r["rank"] > 3] == []


SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}


def test_the_first_result_shows_within_five_seconds_on_slow_3g(phone, base_url):
    """A first visit to the search page on a phone's Slow 3G (Chromium's network emulation: 400 ms for every request,
    400 kbit/s), from nginx with gzip as deployed: the page, the theme and the index's files of the query must not
    wait on one another (README, Search: about 3.3 s measured)."""
    page = phone.new_page()
    network = phone.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.setCacheDisabled", {"cacheDisabled": True})
    network.send("Network.emulateNetworkConditions", SLOW_3G)
    asked, done = {}, {}
    page.on("request", lambda request: asked.setdefault(request.url, time.monotonic()))
    page.on("requestfinished", lambda request: done.setdefault(request.url, time.monotonic()))
    started = time.monotonic()
    page.goto(base_url + "search/?q=防空警报", wait_until="commit")
    page.locator(".gk-search-result-link").first.wait_for(timeout=30_000)
    elapsed = time.monotonic() - started
    assert page.locator(".gk-search-result-link").first.inner_text() == "2026年临海市防空警报试鸣公告"
    assert elapsed < 5, f"the first result took {elapsed:.1f} s"
    # The index's files are asked for while the theme's stylesheet still loads, not once it is in.
    first = {kind: min(t for url, t in asked.items() if kind in url) for kind in ("/gk-search/meta.json", "/gk-search/s/")}
    stylesheet = max(t for url, t in done.items() if "/stylesheets/main." in url)
    assert first["/gk-search/meta.json"] < first["/gk-search/s/"] < stylesheet, (asked, done)


DOCUMENTS = {"notice": "rfb/notices/2026/zhongda-2026-01/", "regulation": "rfb/regulations/tousu-chuli/",
             "service guide": "xmsy/services/shouyao-jingying/"}
FIRST_BLOCK = """() => {
  const head = document.querySelector('[data-search-body] .gk-period') || document.querySelector('[data-search-body] .gk-meta');
  let block = head.nextElementSibling;
  while (block && !block.matches('p, ul, ol, table, div')) block = block.nextElementSibling;
  const line = parseFloat(getComputedStyle(block).lineHeight);
  return {top: block.getBoundingClientRect().top, bottom: block.getBoundingClientRect().bottom, line, tag: block.tagName};
}"""


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_documents_title_and_first_paragraph_are_in_a_phones_first_screen(phone, base_url, name):
    page = phone.new_page()
    page.goto(base_url + DOCUMENTS[name])
    assert page.locator(".md-content h1").bounding_box()["y"] >= 0
    assert page.evaluate("document.querySelector('.md-content h1').getBoundingClientRect().bottom") <= PHONE["height"]
    block = page.evaluate(FIRST_BLOCK)
    if block["tag"] == "P":  # the text's first paragraph, whole
        assert block["bottom"] <= PHONE["height"], block
    else:  # the service guide's facts table (时限, 收费): at least its first row
        assert block["top"] + 2 * block["line"] <= PHONE["height"], block
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_skip_link_and_the_search_box_come_first_from_the_keyboard(phone, base_url):
    page = phone.new_page()
    page.goto(base_url + DOCUMENTS["notice"])
    reached = []
    for _ in range(4):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.getAttribute('aria-label') || document.activeElement.textContent.trim()"))
    assert "跳到正文" in reached and "检索词" in reached, reached
    page.keyboard.press("Shift+Tab")  # back to the skip link, which leads past the bars to the page's own text
    while page.evaluate("document.activeElement.textContent.trim()") != "跳到正文":
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('.md-content')")


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "适老化"])
@pytest.mark.parametrize("width", [320, 375])
def test_the_index_number_breaks_only_after_its_separators(browser, base_url, width, elder):
    context = browser.new_context(viewport={"width": width, "height": 667})
    if elder:
        context.add_init_script("localStorage.setItem('gongkai-elder', 'on')")
    page = context.new_page()
    page.goto(base_url + DOCUMENTS["notice"])
    pieces = page.evaluate("""() => [...document.querySelectorAll('.gk-meta__index .gk-nowrap')].map((span) => {
      const box = span.closest('dd').getBoundingClientRect();
      const rects = [...span.getClientRects()];
      return [span.textContent, rects.length, rects.every((r) => r.right <= box.right + 0.5)];
    })""")
    assert "".join(text for text, _, _ in pieces) == "11331082MB1947351Y/2026-00006"
    assert [(text, lines, inside) for text, lines, inside in pieces if lines != 1 or not inside] == []
    context.close()


def test_a_service_guides_time_limits_and_fee_are_in_body_size_text(phone, base_url):
    page = phone.new_page()
    page.goto(base_url + DOCUMENTS["service guide"])
    size = "(selector) => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize)"
    body = page.evaluate(size, "[data-search-body] ul li")
    assert page.evaluate(size, "[data-search-body] td[data-label=承诺时限]") >= body
    assert page.evaluate(size, "[data-search-body] td[data-label=收费]") >= body


@pytest.mark.parametrize("path, link", [("search/", "政府信息公开"), ("rfb/search/", "公开事项目录")])
def test_the_search_page_without_javascript_says_so_and_links_to_the_lists(browser, base_url, path, link):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(base_url + path)
    text = page.inner_text(".md-content")
    assert "检索需要浏览器启用 JavaScript" in text and "](" not in text  # a message, not raw Markdown
    target = page.get_by_role("link", name=link, exact=True).last
    assert page.request.get(urljoin(page.url, target.get_attribute("href"))).ok
    context.close()


def test_the_breadcrumb_goes_on_past_the_office_to_the_page(phone, base_url):
    page = phone.new_page()
    page.goto(base_url + DOCUMENTS["notice"])
    crumbs = page.get_by_role("navigation", name="当前位置")
    assert crumbs.inner_text().split() == ["临海市人民政府门户网站", "›", "政府信息公开", "›", "临海市人民防空办公室", "›",
                                           "关于临海市防空警报设施布局调整方案的公示"]
    assert crumbs.locator("[aria-current=page]").inner_text() == "关于临海市防空警报设施布局调整方案的公示"
