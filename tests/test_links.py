"""Links: every internal link of the built site resolves; a dead one is an error at its source file and line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import NOTICE
from generator.checks.check import run_checks
from generator.checks.validate import load_content
from generator.content.addresses import ASSET_DIR, address_of, site_addresses
from generator.content.workdays import WorkCalendar
from generator.publish.build import build
from generator.render.site import render_site
from site_support import broken_links

AS_OF = dt.date(2025, 10, 20)
EXAMPLE = Path(__file__).resolve().parent.parent / "content"
SITE = "https://test.example.org/"


def linking(body: str) -> dict:
    notice = (NOTICE.replace("id: gonggao-1", "id: gonggao-2").replace("2025-00002", "2025-00009")
              .replace("公告正文。", body))
    return {"notices/2025/gonggao-2.md": notice}


GOOD = """\
见[上一条公告](gonggao-1.md)、[同一条](../gonggao-1/)、[审批指南](/services/shenpi/)、
[全文地址](https://test.example.org/notices/2025/gonggao-1/)、[收费标准](../../../fees/)、
[目录数据](/data/catalog.csv)、[年份归档](/notices/archive/2025/)、[本页小标题](#正文)、
[外部网站](https://www.gov.cn/zhengce/)、<a href="mailto:office@example.org">来信</a>、[首页](/)。
"""


def dead_links(root) -> list[tuple]:
    content, problems = load_content(root)
    assert [str(p) for p in problems if p.severity == "error"] == []
    return [(f.file, f.line, f.message) for f in run_checks(content, AS_OF) if f.code == "dead-link"]


def test_links_in_every_form_to_pages_the_site_has_pass(office):
    assert dead_links(office(linking(GOOD))) == []


@pytest.mark.parametrize("link", [
    "[旧文件](gonggao-9.md)",
    "[站内路径](/notices/2026/x/)",
    "[相对地址](../x/)",
    "[完整地址](https://test.example.org/notices/2025/x/)",
    '<a href="/regulations/zhidu/">制度</a>',
    "[引用式][ref]\n\n[ref]: /services/nothing/",
])
def test_a_dead_link_is_an_error_at_its_file_and_line(office, link):
    findings = dead_links(office(linking(f"第一段。\n\n{link}")))
    target = re.search(r"\]\((.*?)\)|href=\"(.*?)\"|\]: (\S+)$", link)
    address = next(g for g in target.groups() if g)
    line = 22 if "[ref]:" not in link else 24
    assert findings == [("notices/2025/gonggao-2.md", line, f"the link '{address}' leads to no page of this site")]


def test_a_link_to_a_removed_notice_is_found(office):
    root = office(linking("见[此前的公告](../gonggao-1/)。"))
    assert dead_links(root) == []
    (root / "notices/2025/gonggao-1.md").unlink()
    assert dead_links(root) == [("notices/2025/gonggao-2.md", 20, "the link '../gonggao-1/' leads to no page of this site")]


def test_every_internal_link_of_the_built_site_resolves(office, tmp_path):
    site = tmp_path / "site"
    # With its search index: the search page asks for the index's meta.json before the stylesheets (a preload link).
    findings = build(office(linking(GOOD)), site, AS_OF)
    assert [f for f in findings if f.severity == "error"] == []
    assert broken_links(site, SITE) == []


def copied_in_order(source: Path, target: Path, reverse: bool) -> Path:
    """The same files, created in another order: a file system may list a folder in creation order."""
    for path in sorted(source.rglob("*"), key=lambda p: p.relative_to(source).as_posix(), reverse=reverse):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(path.read_bytes())
    return target


def test_the_search_index_is_the_same_bytes_on_two_file_systems_and_in_any_creation_order(office, tmp_path):
    """tmpfs lists a folder in reverse creation order, ext4 in hash order: neither may change a byte."""
    import shutil
    import tempfile

    from generator.render.searchindex import index_files, read_site

    assert [f for f in build(office(), tmp_path / "site", AS_OF, search=False) if f.severity == "error"] == []
    memory = Path(tempfile.mkdtemp(dir="/dev/shm")) if Path("/dev/shm").is_dir() else tmp_path / "memory"
    try:
        copies = [copied_in_order(tmp_path / "site", memory / "sorted", False),
                  copied_in_order(tmp_path / "site", memory / "reversed", True),
                  copied_in_order(tmp_path / "site", tmp_path / "disk", True)]
        indexes = [index_files(read_site(copy)) for copy in copies]  # the pages as the build reads them
    finally:
        shutil.rmtree(memory, ignore_errors=True)
    assert indexes[0] and indexes[0] == indexes[1] == indexes[2]


@pytest.mark.parametrize("folder", sorted(p.name for p in (EXAMPLE / "offices").iterdir()))
def test_the_address_map_the_rule_reads_is_the_site_the_renderer_writes(folder):
    """The dead-link rule judges links by content/addresses.py's map, without rendering: it must list what
    render_site writes for a section of a county (the theme's files aside), so that no link to a real page is refused
    and none to a missing page passes. The example offices have notices of several years and types, reports and
    registers."""
    content, problems = load_content(EXAMPLE / "offices" / folder)
    assert [p for p in problems if p.severity == "error"] == []
    reports = {f"reports/{report.id}.pdf" for report in content.of("report")}
    tree = render_site(content, WorkCalendar.from_content(content), dt.date(2026, 11, 26), report_pdfs=reports,
                       portal=content.county)
    written = {address_of(path) for path in tree.files if not path.startswith(f"{ASSET_DIR}/")}
    assert site_addresses(content) == written | reports


def test_a_county_office_linking_as_a_single_site_would_is_told_the_path_with_its_folder(county):
    """In the county's portal an office's pages are under /<office>/: a link written as on an office's own site
    (/services/shenpi/) is dead there, and the clerk is told the address that works; a page that is missing under
    either path gets the general advice."""
    root = county({"jia": linking("见[审批指南](/services/shenpi/)和[没有的指南](/services/meiyou/)。")})
    found = {f.message: f.hint for f in run_checks(load_content(root / "offices/jia")[0], AS_OF)
             if f.code == "dead-link"}
    assert found == {
        "the link '/services/shenpi/' leads to no page of this site":
            "in the county's portal this office's pages begin with /jia/: write /jia/services/shenpi/",
        "the link '/services/meiyou/' leads to no page of this site":
            "link to a page the site has (see 如何链接到另一份文件 in docs/content-guide.md), or remove the link if the"
            " page was removed"}
    fixed = county({"jia": linking("见[审批指南](/jia/services/shenpi/)。")})
    assert dead_links(fixed / "offices/jia") == []


def test_a_county_office_may_link_to_the_portal_and_to_another_offices_pages(county, tmp_path):
    """A fresh-eyes clerk's link to another office's service guide (/xmsy/services/…), a real page of the portal, was
    called dead and withheld the notice. Another office's section and the portal's pages are not this office's to
    judge; an address under neither is still dead, and the build publishes the notice with its links working."""
    root = county({"jia": linking("见[乙的审批](/yi/services/shenpi/)、[部门](/departments/)和[首页](/)；"
                                  "[没有的](/meiyou/x/)。"), "yi": {}})
    assert dead_links(root / "offices/jia") == [
        ("notices/2025/gonggao-2.md", 20, "the link '/meiyou/x/' leads to no page of this site")]
    fixed = county({"jia": linking("见[乙的审批](/yi/services/shenpi/)。"), "yi": {}})
    assert [f for f in build(fixed, tmp_path / "site", AS_OF, search=False) if f.severity == "error"] == []
    page = (tmp_path / "site/jia/notices/2025/gonggao-2/index.html").read_text(encoding="utf-8")
    assert 'href="../../../../yi/services/shenpi/"' in page or 'href="/yi/services/shenpi/"' in page
    assert (tmp_path / "site/yi/services/shenpi/index.html").is_file()
