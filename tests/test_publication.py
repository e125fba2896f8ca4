"""One publication decision per document: what a build withholds, it withholds from every output, and names."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CATALOG, catalog_item, notice_text, write_county, write_tree

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-11-25"

RULES = """\
rules:
  publish-stages:
    audiences:
      党内: [党员大会, 对内公开栏]
      社会: [网站, 公开栏]
    order:
      - {first: 党内, then: 社会, days: 3, types: [人事公示]}
"""
APPROVED_ITEM = CATALOG + catalog_item("zhongyao", "重要事项", "事项", "制度 七", channels="网站, 公开栏",
                                       needs_approval="true")


def notice(notice_id: str, title: str, published: str, *, approvals: str = "", item: str = "gonggao",
           notice_type: str = "通知公告", body: str = "公告正文。", stages: str = "") -> str:
    return notice_text(notice_id, title, notice_type=notice_type, serial=f"2025-1{sum(map(ord, notice_id)):04d}",
                       written=published, published=published, catalog=item, more=approvals + stages, body=body)


APPROVED = "approvals:\n  - by: 书记\n    date: 2025-11-01\n"
PARTY_FIRST = "stages:\n  - audience: 党内\n    date: 2025-11-10\n"
FAULTS = {  # title: (file, its text with the fault, the same file fixed)
    "明年才发布的公告": ("notices/2025/weilai.md",
                  notice("weilai", "明年才发布的公告", "2025-12-28"), notice("weilai", "明年才发布的公告", "2025-11-20")),
    "副书记审批的公告": ("notices/2025/cuoren.md",
                  notice("cuoren", "副书记审批的公告", "2025-11-20", item="zhongyao",
                         approvals="approvals:\n  - by: 副书记\n    date: 2025-11-01\n"),
                  notice("cuoren", "副书记审批的公告", "2025-11-20", item="zhongyao", approvals=APPROVED)),
    "发布后才审批的公告": ("notices/2025/wanpi.md",
                   notice("wanpi", "发布后才审批的公告", "2025-11-20", item="zhongyao",
                          approvals="approvals:\n  - by: 书记\n    date: 2025-11-21\n"),
                   notice("wanpi", "发布后才审批的公告", "2025-11-20", item="zhongyao", approvals=APPROVED)),
    "链接失效的公告": ("notices/2025/silian.md",
                  notice("silian", "链接失效的公告", "2025-11-20", body="详见[另一份公告](/notices/2025/meiyou/)。"),
                  notice("silian", "链接失效的公告", "2025-11-20", body="详见[另一份公告](gonggao-1.md)。")),
    "干部任前公示跳过党内": ("notices/2025/renmian.md",
                    notice("renmian", "干部任前公示跳过党内", "2025-11-20", notice_type="人事公示", approvals=APPROVED),
                    notice("renmian", "干部任前公示跳过党内", "2025-11-20", notice_type="人事公示", approvals=APPROVED,
                           stages=PARTY_FIRST)),
}
ORDINARY = "按时发布的公告"


def gongkai(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def outputs(site: Path) -> dict[str, str]:
    """Every text file the site publishes (pages, search index, feeds, sitemaps, data, poster sheets)."""
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8", errors="replace")
            for p in site.rglob("*") if p.is_file() and p.suffix in {".html", ".xml", ".json", ".csv", ".txt", ".js"}}


def where(site: Path, text: str) -> list[str]:
    return sorted(path for path, data in outputs(site).items() if text in data)


@pytest.fixture(scope="module")
def faulty_county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("publication")
    files = {"catalog.yaml": APPROVED_ITEM, "rules.yaml": RULES,
             "notices/2025/anshi.md": notice("anshi", ORDINARY, "2025-11-20")}
    files |= {path: faulty for path, faulty, _fixed in FAULTS.values()}
    county = write_county(folder / "county", {"jia": files, "yi": {}})
    result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", folder / "site")
    return county, folder / "site", result


def test_each_faulty_notice_is_withheld_from_every_output_while_the_others_build(faulty_county):
    county, site, result = faulty_county
    assert result.returncode == 0, result.stdout + result.stderr
    assert where(site, ORDINARY)  # the rest of the office is built: its page, the portal's 最新信息, search, feeds
    assert "jia/notices/2025/anshi/index.html" in where(site, ORDINARY)
    assert any(path.startswith("gk-search/") for path in where(site, ORDINARY))
    for title in FAULTS:
        assert where(site, title) == [], title
    for notice_id in ("weilai", "cuoren", "wanpi", "silian", "renmian"):
        assert not (site / f"jia/notices/2025/{notice_id}").exists()
        assert not (site / f"jia/posters/notice-{notice_id}.pdf").exists()
    supervisor = (site / "supervision/index.html").read_text(encoding="utf-8")
    row = supervisor[supervisor.index('id="gk-office-jia"'):]
    assert '<td class="gk-withheld">4</td><td class="gk-scheduled">1</td>' in row[:row.index("</tr>")]


def test_the_build_names_each_withheld_notice_and_its_counts_agree_with_check(faulty_county):
    county, _site, result = faulty_county
    lines = result.stdout.splitlines()
    named = [line for line in lines if line.startswith(f"{county}/offices/jia/notices/")
             and "not published" in line]
    for path, _faulty, _fixed in FAULTS.values():
        assert any(line.startswith(f"{county}/offices/jia/{path}:") for line in named), (path, result.stdout)
    assert "5 document(s) not published this time" in result.stdout
    assert "the daily build of 2025年12月28日 publishes it" in result.stdout
    check = gongkai("check", county, "--as-of", AS_OF)
    assert check.stdout.splitlines()[-1] in lines  # the same "N error(s), M warning(s)"


def test_the_board_names_each_notice_it_leaves_out_with_what_to_do(faulty_county, tmp_path):
    """gongkai posters prints no check errors, so each withheld line carries the rule's own advice, not a pointer to
    an error line the clerk cannot see."""
    county, _site, _result = faulty_county
    printed = gongkai("posters", county / "offices/jia", "--as-of", AS_OF, "--out", tmp_path / "print")
    assert printed.returncode == 0, printed.stdout + printed.stderr
    assert "document(s) not published this time (everything else is):" in printed.stdout
    dead = next(line for line in printed.stdout.splitlines() if "notices/2025/silian.md:" in line)
    assert "link to a page the site has" in dead and "the first build after the fix publishes it" in dead, dead
    assert "fix what the error at this line says" not in printed.stdout


def test_each_reappears_after_its_fix(faulty_county, tmp_path):
    county, _site, _result = faulty_county
    write_tree(county / "offices/jia", {path: fixed for path, _faulty, fixed in FAULTS.values()})
    try:
        result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "site")
    finally:
        write_tree(county / "offices/jia", {path: faulty for path, faulty, _fixed in FAULTS.values()})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not published" not in result.stdout
    for title in FAULTS:
        assert f"jia/notices/2025/" in " ".join(where(tmp_path / "site", title)), title
        assert "feed.xml" in where(tmp_path / "site", title), title  # the county's feed


def test_a_scheduled_notice_is_published_by_the_build_of_its_day(faulty_county, tmp_path):
    county, _site, _result = faulty_county
    result = gongkai("build", county / "offices/jia", "--as-of", "2025-12-28", "--no-editor", "--out", tmp_path / "site")
    assert "明年才发布的公告" in " ".join(outputs(tmp_path / "site")[p] for p in ("feed.xml", "notices/index.html")), \
        result.stdout
    assert "weilai" not in result.stdout


# -- the board in advance, and the internal board's stages --------------------------------------------------------

MONDAY = notice("xiazhou", "下周一张贴的公告", "2025-11-24")  # its 10 working days end on Friday 2025-12-05


def test_the_board_is_ready_in_advance_without_the_notice_going_online_early(office, tmp_path):
    content = office({"notices/2025/xiazhou.md": MONDAY})
    build = gongkai("build", content, "--as-of", "2025-11-21", "--no-editor", "--out", tmp_path / "site")
    assert build.returncode == 0, build.stdout + build.stderr
    assert where(tmp_path / "site", "下周一张贴的公告") == []
    page = (tmp_path / "site/posters/index.html").read_text(encoding="utf-8")
    to_print = page[page.index("待张贴"):]
    assert "2025年11月24日" in to_print and "2025年12月8日" in to_print  # up on Monday; down on the working day after
    printed = gongkai("posters", content, "--as-of", "2025-11-21", "--ahead", "7", "--out", tmp_path / "print")
    assert printed.returncode == 0, printed.stdout + printed.stderr
    sheet = (tmp_path / "print/notice-xiazhou.html").read_text(encoding="utf-8")
    assert "下周一张贴的公告" in sheet and "张贴日期：2025年11月24日" in sheet
    assert "撤下日期：2025年12月6日是休息日，2025年12月8日（工作日）撤下" in sheet
    today = gongkai("posters", content, "--as-of", "2025-11-21", "--out", tmp_path / "today")
    assert today.returncode == 0 and not (tmp_path / "today/notice-xiazhou.html").exists()


def test_an_unapproved_notice_is_not_printed_ahead(office, tmp_path):
    content = office({"catalog.yaml": APPROVED_ITEM,
                      "notices/2025/xiazhou.md": MONDAY.replace("catalog: gonggao", "catalog: zhongyao")})
    printed = gongkai("posters", content, "--as-of", "2025-11-21", "--ahead", "7", "--out", tmp_path / "print")
    assert printed.returncode == 0, printed.stdout + printed.stderr
    assert not (tmp_path / "print/notice-xiazhou.html").exists()
    assert "notices/2025/xiazhou.md" in printed.stdout and "not published" in printed.stdout


def test_the_internal_board_carries_a_notice_in_its_party_stage(office, tmp_path):
    staged = notice("renmian", "干部任前公示", "2025-11-20", notice_type="人事公示", approvals=APPROVED, stages=PARTY_FIRST)
    content = office({"rules.yaml": RULES, "notices/2025/renmian.md": staged})
    internal = gongkai("posters", content, "--as-of", "2025-11-12", "--board", "internal", "--out", tmp_path / "internal")
    assert internal.returncode == 0, internal.stdout + internal.stderr
    sheet = (tmp_path / "internal/notice-renmian.html").read_text(encoding="utf-8")
    assert "干部任前公示" in sheet and "张贴日期：2025年11月10日" in sheet
    public = gongkai("posters", content, "--as-of", "2025-11-12", "--out", tmp_path / "public")
    assert not (tmp_path / "public/notice-renmian.html").exists(), public.stdout
    skipped = staged.replace(PARTY_FIRST, "")
    write_tree(content, {"notices/2025/renmian.md": skipped})
    internal = gongkai("posters", content, "--as-of", "2025-11-12", "--board", "internal", "--out", tmp_path / "none")
    assert not (tmp_path / "none/notice-renmian.html").exists(), internal.stdout


def test_a_document_linking_to_a_withheld_one_waits_with_it(office):
    from generator.checks.check import run_checks
    from generator.checks.publication import decide_all
    from generator.checks.validate import load_content
    from generator.content.workdays import WorkCalendar

    root = office({"notices/2025/weilai.md": notice("weilai", "明年才发布的公告", "2025-12-28"),
                   "notices/2025/yinyong.md": notice("yinyong", "引用它的公告", "2025-11-20",
                                                     body="详见[下一份公告](weilai.md)。")})
    content, _problems = load_content(root)
    as_of = dt.date(2025, 11, 25)
    calendar = WorkCalendar.from_content(content)
    decision = decide_all(content, as_of, calendar, run_checks(content, as_of, calendar))
    assert not decision.published(content.get("notice", "weilai"))
    assert not decision.published(content.get("notice", "yinyong"))  # a link to a page the site does not have yet
    assert decision.published(content.get("notice", "gonggao-1"))
    assert [(f.file, f.message.split(":")[0]) for f in decision.findings()] == [
        ("notices/2025/weilai.md", "not published"), ("notices/2025/yinyong.md", "not published")]
    later = decide_all(content, dt.date(2025, 12, 28), calendar, run_checks(content, dt.date(2025, 12, 28), calendar))
    assert later.withheld == {}
