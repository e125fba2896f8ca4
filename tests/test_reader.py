"""The example county as the public reads it: served by nginx as README sets it up, read in Chromium on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from generator.build import build
from site_support import AS_OF, CHROMIUM, CHROMIUM_ARGS, ROOT, nginx

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


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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
