"""A county of tiny offices: findings named per office, one office's broken file hiding nothing of another's,
the portal's address for each office, partitioned and cached builds giving the same bytes as a full one, a pull
request's check of the office it touches, the office-only commands, and an office moving in."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import COUNTY, MINIMAL, NOTICE, SERVICE, write_county, write_tree
from generator import timings
from generator.checks.validate import load_content
from generator.render import searchindex
from test_rules import MAJOR

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-10-20"
LATE_MAJOR = MAJOR.replace("working_days: 10", "working_days: 9")  # notice-period error at line 13
BROKEN_YAML = NOTICE.replace("title: 测试公告", "title: [测试公告")


def gongkai(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), "-c", "user.name=测试", "-c", "user.email=t@example.org", *args],
                          capture_output=True, text=True, check=True).stdout


# -- validate and check ------------------------------------------------------------------------------------------


def test_check_names_each_office_file_and_line(tmp_path):
    county = write_county(tmp_path / "county", {"aa": {"notices/2025/zhongda-1.md": LATE_MAJOR},
                                                "bb": {"notices/2025/zhongda-1.md": LATE_MAJOR}})
    result = gongkai("check", county, "--as-of", AS_OF)
    assert result.returncode == 1, result.stderr
    located = [line.split(": ")[0] for line in result.stdout.splitlines()[:-1]]
    assert located == [f"{county}/offices/aa/notices/2025/zhongda-1.md:13",
                       f"{county}/offices/bb/notices/2025/zhongda-1.md:13"]
    assert "notice-period" not in result.stderr


def test_broken_yaml_in_one_office_hides_nothing_of_another(tmp_path):
    county = write_county(tmp_path / "county", {"aa": {"notices/2025/gonggao-1.md": BROKEN_YAML},
                                                "bb": {"notices/2025/zhongda-1.md": LATE_MAJOR}})
    result = gongkai("check", county, "--as-of", AS_OF)
    assert result.returncode == 1
    assert f"{county}/offices/aa/notices/2025/gonggao-1.md:3: " in result.stdout
    assert f"{county}/offices/bb/notices/2025/zhongda-1.md:13: " in result.stdout
    validated = gongkai("validate", county)
    assert f"{county}/offices/aa/notices/2025/gonggao-1.md:3: " in validated.stdout
    assert "offices/bb/" not in validated.stdout and validated.returncode == 1


@pytest.mark.parametrize("name", ["Assets", "search", "x"])
def test_an_office_folder_that_cannot_be_a_web_address_is_refused(tmp_path, name):
    county = write_county(tmp_path / "county", {"aa": {}, name: {}})
    result = gongkai("validate", county)
    assert result.returncode == 1
    assert f"{county}/offices/{name}:1: '{name}' cannot name an office's folder" in result.stdout
    assert "use 2 to 32 lowercase letters" in result.stdout and "offices/aa" not in result.stdout


def test_an_office_folder_without_office_yaml_is_named(tmp_path):
    county = write_county(tmp_path / "county", {"aa": {}, "nyj": {"office.yaml": None}})
    result = gongkai("validate", county)
    assert result.returncode == 1
    assert f"{county}/offices/nyj:1: this office folder has no office.yaml — write office.yaml" in result.stdout


def test_an_office_keeps_no_calendar_of_its_own_in_a_county(tmp_path):
    calendar = "year: 2027\nsource: 国务院办公厅通知\nholidays: []\nworkdays: []\n"
    county = write_county(tmp_path / "county", {"aa": {"calendar/2027.yaml": calendar}, "bb": {}})
    write_tree(county, {"calendar/2027.yaml": calendar})
    result = gongkai("validate", county)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{county}/offices/aa/calendar/2027.yaml:1: an office in a county keeps no calendar of its own — the county's"
        " calendar/ holds the holidays for every office: move this file there if the county lacks its year, else"
        " delete it", "1 error(s), 0 warning(s)"]


def test_an_office_takes_its_address_from_the_county(tmp_path):
    county = write_county(tmp_path / "county", {"aa": {}, "bb": {}})
    content, findings = load_content(county / "offices" / "bb")
    assert findings == [] and content.office.get("site_url") == "https://www.example.gov.cn/bb/"
    write_tree(county / "offices" / "aa", {"office.yaml": (county / "offices/aa/office.yaml").read_text(encoding="utf-8")
                                           + "site_url: https://aa.example.org/\n"})
    content, findings = load_content(county / "offices" / "aa")
    assert content.office.get("site_url") == "https://www.example.gov.cn/aa/"
    assert [(f.file, f.code, f.severity) for f in findings] == [("office.yaml", "county-office", "warning")]


@pytest.mark.parametrize("text, code", [("联系人手机13812345678", "personal-data"), ("机密★1年", "classified-marking"),
                                        ("<script>alert(1)</script>", "raw-html")])
def test_the_county_file_every_page_shows_passes_the_safety_rules(tmp_path, text, code):
    # county.yaml's names go into the footer of every office's pages: judged once, at its own line, and the build
    # of the portal is refused.
    county = write_county(tmp_path / "county", {"aa": {}, "bb": {}},
                          COUNTY.replace("operator: 示例县大数据发展中心", f"operator: 示例县大数据发展中心{text}"))
    result = gongkai("check", county, "--as-of", AS_OF, "--format", "json")
    assert result.returncode == 1
    line = next(number for number, row in enumerate(COUNTY.splitlines(), 1) if row.startswith("operator:"))
    assert [(f["file"], f["line"]) for f in json.loads(result.stdout) if f["rule"] == code] == [
        (f"{county}/county.yaml", line)]
    built = gongkai("build", county, "--as-of", AS_OF, "--out", tmp_path / "site", "--no-search", "--no-editor")
    assert built.returncode == 1 and not (tmp_path / "site").exists()


def test_check_changed_since_checks_only_the_office_touched(tmp_path):
    county = write_county(tmp_path / "county", {"aa": {"notices/2025/zhongda-1.md": LATE_MAJOR}, "bb": {}})
    git(county, "init", "--quiet")
    git(county, "add", ".")
    git(county, "commit", "--quiet", "-m", "两个部门")
    write_tree(county / "offices" / "bb", {"notices/2025/zhongda-1.md": LATE_MAJOR})
    changed = gongkai("check", county, "--as-of", AS_OF, "--changed-since", "HEAD")
    assert changed.returncode == 1
    assert "offices/bb/notices/2025/zhongda-1.md:13" in changed.stdout and "offices/aa/" not in changed.stdout
    everything = gongkai("check", county, "--as-of", AS_OF)
    assert "offices/aa/notices/2025/zhongda-1.md:13" in everything.stdout


# -- building: a partition per office, cached by content -----------------------------------------------------------


@pytest.fixture(scope="module")
def county_builds(tmp_path_factory):
    """A 2-office county and its full build without a cache: what every other way of building must equal."""
    folder = tmp_path_factory.mktemp("county-build")
    county = write_county(folder / "county", {"aa": {}, "bb": {}})
    result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", folder / "full")
    assert result.returncode == 0, result.stdout + result.stderr
    return county, tree(folder / "full")


def build(county: Path, out: Path, *args: str) -> dict[str, bytes]:
    result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", out, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return tree(out)


def test_a_warm_cache_and_a_changed_office_build_what_a_full_build_does(county_builds, tmp_path):
    original, full = county_builds
    assert b'canonical" href="https://www.example.gov.cn/bb/"' in full["bb/index.html"]  # the county's address for bb
    county = shutil.copytree(original, tmp_path / "county")
    cache = tmp_path / "cache"
    assert build(county, tmp_path / "cold", "--cache", cache) == full
    partitions = {office: sorted(p.name for p in (cache / office).iterdir()) for office in ("aa", "bb")}
    assert build(county, tmp_path / "warm", "--cache", cache) == full
    assert {office: sorted(p.name for p in (cache / office).iterdir()) for office in ("aa", "bb")} == partitions

    notice = county / "offices/aa/notices/2025/gonggao-1.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("公告正文。", "公告正文已更正。"), encoding="utf-8")
    changed = build(county, tmp_path / "changed", "--cache", cache)
    assert sorted(p.name for p in (cache / "bb").iterdir()) == partitions["bb"]  # bb was not rebuilt
    assert sorted(p.name for p in (cache / "aa").iterdir()) != partitions["aa"]
    assert "公告正文已更正".encode() in changed["aa/notices/2025/gonggao-1/index.html"] and changed != full
    # The index is merged from bb's cached postings and aa's new ones: the new words find the notice, the old
    # ones no longer do, and every file of the index is the one a build from nothing writes.
    assert search(changed, "已更正") == ["aa/notices/2025/gonggao-1/"] and search(full, "已更正") == []
    assert "aa/notices/2025/gonggao-1/" in search(full, "公告正文。")
    assert changed == build(county, tmp_path / "fresh")


def test_an_office_rebuilt_for_one_notice_lays_out_only_that_notices_sheet_again(county_builds, tmp_path, monkeypatch):
    """Its other PDFs (sheets, cover, annual report, 考核表) are taken from the office's previous entry in the cache,
    as their input is unchanged; all.pdf is laid out again around the new sheet; the site is a clean build's."""
    from generator.publish.build import build as build_here
    from generator.render import posters

    original, _full = county_builds
    county = shutil.copytree(original, tmp_path / "county")
    notice = county / "offices/aa/notices/2025/gonggao-1.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("2025-09-26", "2025-10-17"), encoding="utf-8")
    cache = tmp_path / "cache"
    assert "公告正文。".encode() in build(county, tmp_path / "cold", "--cache", cache)["aa/posters/notice-gonggao-1.html"]
    notice.write_text(notice.read_text(encoding="utf-8").replace("公告正文。", "公告正文已更正。"), encoding="utf-8")
    log, render = tmp_path / "laid-out.txt", posters._render

    def logged(html: str, label: str, *args):
        with log.open("a", encoding="utf-8") as out:  # appended from each office's forked processes
            out.write(f"{label}\n")
        return render(html, label, *args)

    monkeypatch.setattr(posters, "_render", logged)
    assert build_here(county, tmp_path / "changed", dt.date.fromisoformat(AS_OF), cache=cache) == []
    assert sorted(log.read_text(encoding="utf-8").split()) == ["cover", "notice-gonggao-1"]  # the cover: for all.pdf
    assert tree(tmp_path / "changed") == build(county, tmp_path / "fresh")


# The portal's pages a notice added or removed changes: they are written over its earlier output as an office's are
PORTAL_COUNTS = ["data/supervision.csv", "feed.xml", "index.md", "openness/index.md", "supervision/index.md"]


@pytest.mark.parametrize("change, written, portal", [
    ("corrected", ["notices/2025/gonggao-1.md"], []),
    ("added", ["feed.xml", "guide/catalog.md", "index.md", "notices/2025/tongzhi-1002.md",
               "notices/archive/2025/index.md", "notices/index.md", "notices/type/t5/index.md", "posters/index.md",
               "posters/notice-tongzhi-1002.html", "posters/notice-tongzhi-1002.pdf"],  # its page, lists, its poster
     [PORTAL_COUNTS]),  # the home's latest notices, the counts of 政府信息公开 and of the supervision pages
    ("removed", None, [PORTAL_COUNTS]),  # its page would stay in the earlier output: aa's whole section is built
    ("retitled", None, [["index.md"]]),  # a service's new title is in every page's navigation
    # Links MkDocs would only warn about (an address in the site, an anchor), which a build never stops for
    ("linked", ["notices/2025/gonggao-1.md"], []),
])
def test_the_engine_writes_only_the_pages_whose_markdown_changed_over_the_earlier_output(tmp_path, monkeypatch, change,
                                                                                         written, portal):
    """A corrected or a new notice: the engine writes that notice's page and the pages listing it, and the
    office's other pages are its earlier entry's; the portal's pages are kept as an office's are, and written only
    where they show the change; the site is, byte for byte, the one a build from nothing makes."""
    from generator.publish import section
    from generator.publish.build import build as build_here

    county = write_county(tmp_path / "county", {"aa": {"notices/2025/tongzhi-1001.md": _notice("tongzhi-1001", "第一份通知",
                                                                                            "2025-10-10")},
                                                   "bb": {}})
    cache = tmp_path / "cache"
    build(county, tmp_path / "cold", "--cache", cache)
    notices = county / "offices/aa/notices/2025"
    if change == "corrected":
        (notices / "gonggao-1.md").write_text(NOTICE.replace("公告正文。", "公告正文已更正。"), encoding="utf-8")
    elif change == "added":
        (notices / "tongzhi-1002.md").write_text(_notice("tongzhi-1002", "第二份通知", "2025-10-15"), encoding="utf-8")
    elif change == "removed":
        (notices / "tongzhi-1001.md").unlink()
    elif change == "retitled":
        (county / "offices/aa/services/shenpi.yaml").write_text(SERVICE.replace("测试审批", "测试审批事项"), encoding="utf-8")
    else:
        (notices / "gonggao-1.md").write_text(NOTICE.replace("公告正文。", "见[第一份通知](/aa/notices/2025/tongzhi-1001/)、"
                                                             "[审批](/aa/services/shenpi/#材料)和[门户](/departments/)。"),
                                              encoding="utf-8")
    log, run_engine = tmp_path / "engine.jsonl", section.run_engine

    def logged(engine, config, day, pages=None):
        with log.open("a", encoding="utf-8") as out:  # appended from each office's worker
            out.write(json.dumps([config.parent.name, pages and json.loads(pages.read_text(encoding="utf-8"))]) + "\n")
        return run_engine(engine, config, day, pages)

    monkeypatch.setattr(section, "run_engine", logged)
    assert build_here(county, tmp_path / "changed", dt.date.fromisoformat(AS_OF), cache=cache) == []
    runs = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [pages for folder, pages in runs if folder.startswith(".building-")] == [written]  # aa's; bb is cached
    assert [pages for folder, pages in runs if not folder.startswith(".building-")] == portal
    assert tree(tmp_path / "changed") == build(county, tmp_path / "fresh")


def test_pages_that_fail_alone_are_built_with_their_whole_section(tmp_path, monkeypatch):
    """Whatever fails the page-by-page run, the whole section's run decides, so a build never fails where a build
    from nothing would not (a failure there would have repeated on every build until the cache was emptied)."""
    from generator.publish import section
    from generator.publish.build import build as build_here
    from generator.findings import Finding

    county = write_county(tmp_path / "county", {"aa": {}, "bb": {}})
    cache = tmp_path / "cache"
    build(county, tmp_path / "cold", "--cache", cache)
    notice = county / "offices/aa/notices/2025/gonggao-1.md"
    notice.write_text(NOTICE.replace("公告正文。", "公告正文已更正。"), encoding="utf-8")
    run_engine, runs = section.run_engine, []

    def failing_alone(engine, config, day, pages=None):
        runs.append(pages is not None)
        return Finding("", 1, "engine", "pages alone failed") if pages else run_engine(engine, config, day)

    monkeypatch.setattr(section, "run_engine", failing_alone)
    assert build_here(county, tmp_path / "changed", dt.date.fromisoformat(AS_OF), cache=cache, jobs=1) == []
    assert runs == [True, False]  # aa's pages alone, then its whole section
    assert tree(tmp_path / "changed") == build(county, tmp_path / "fresh")


def search(site: dict[str, bytes], query: str) -> list[str]:
    """The pages whose text holds every pair of the query's characters, as the browser's search finds them."""
    meta = json.loads(site["gk-search/meta.json"])
    found = None
    for pair in sorted(searchindex.tokens(query) - set(query)):
        entry = json.loads(site[f"gk-search/s/{searchindex.shard_of(pair, meta['shards'])}.json"]).get(pair, [[], []])
        pages = set(itertools.accumulate(entry[0]))
        found = pages if found is None else found & pages
    return sorted(json.loads(site[f"gk-search/p/{n}.json"])["url"] for n in found or ())


def test_partitions_built_apart_merge_into_the_full_build(county_builds, tmp_path):
    county, full = county_builds
    cache = tmp_path / "cache"
    for office in ("aa", "bb"):
        result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--partition", office, "--cache", cache,
                         cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert not (tmp_path / "site").exists()  # a runner of the matrix writes its partition, not a site
    assert sorted(p.name for p in cache.iterdir()) == ["aa", "bb"]
    assert build(county, tmp_path / "merged", "--cache", cache) == full


def test_a_timed_build_accounts_for_every_stage_and_writes_the_same_bytes(county_builds, tmp_path, monkeypatch):
    """GONGKAI_TIMINGS (bench/county.py): every stage's CPU seconds, summed over the main process, each office's
    worker and the processes laying out PDFs; the site is the untimed build's, byte for byte."""
    county, full = county_builds
    monkeypatch.setenv(timings.ENV, str(tmp_path / "timings.jsonl"))
    assert build(county, tmp_path / "timed", "--cache", tmp_path / "cache") == full
    account = timings.totals(tmp_path / "timings.jsonl")
    assert sorted(account["stages"]) == sorted(timings.STAGES)
    assert account["stages"]["engine"] > 0.5  # three engines (two offices and the portal), each a Python start-up
    assert account["processes"] >= 5  # main, at least one worker, and at least one PDF process per office


def _notice(notice_id: str, title: str, published: str, period: str = "working_days: 10") -> str:
    return (NOTICE.replace("gonggao-1", notice_id).replace("测试公告", title).replace("2025-00002", f"2025-0{notice_id[-4:]}")
            .replace("written: 2025-09-25", f"written: {published}").replace("2025-09-26", published)
            .replace("working_days: 10", period))


def test_the_next_day_takes_the_engine_output_of_the_day_before_and_builds_the_bytes_of_a_fresh_build(
        tmp_path, monkeypatch):
    """The as-of date is not in what an office's pages are kept by: bb, where nothing but the date changed, is not
    built by the engine again the next day; aa is, since one of its notices ends its 公示期 on the first day and
    another is published on the second. Either way the site is the one a build from nothing makes that day."""
    county = write_county(tmp_path / "county", {"aa": {
        "notices/2025/jiezhi-1020.md": _notice("jiezhi-1020", "今天截止的公告", "2025-10-16", "days: 5"),
        "notices/2025/mingtian-1021.md": _notice("mingtian-1021", "明天发布的公告", "2025-10-21")}, "bb": {}})
    cache = tmp_path / "cache"

    def build_on(day: str, out: str, *args) -> dict[str, bytes]:
        result = gongkai("build", county, "--as-of", day, "--no-editor", "--out", tmp_path / out, *args)
        assert result.returncode == 0, result.stdout + result.stderr
        return tree(tmp_path / out)

    first = build_on("2025-10-20", "first", "--cache", cache)
    assert "正在公示" in first["aa/notices/2025/jiezhi-1020/index.html"].decode()
    assert not any("mingtian-1021" in path for path in first)  # withheld until its day
    monkeypatch.setenv(timings.ENV, str(tmp_path / "timings.jsonl"))
    second = build_on("2025-10-21", "second", "--cache", cache)
    monkeypatch.delenv(timings.ENV)
    engines = [line for line in (tmp_path / "timings.jsonl").read_text().splitlines() if '"engine"' in line]
    assert len(engines) == 2  # aa's and the portal's: bb's pages are the day before's, with the new date written in
    assert "已结束" in second["aa/notices/2025/jiezhi-1020/index.html"].decode()
    assert "明天发布的公告" in second["aa/notices/2025/mingtian-1021/index.html"].decode()
    assert "2025年10月21日" in second["bb/guide/catalog/index.html"].decode()  # 截至 the new day
    assert "<lastmod>2025-10-21</lastmod>" in second["bb/sitemap.xml"].decode()
    assert second == build_on("2025-10-21", "fresh")


def test_a_cached_office_reports_its_findings_in_the_language_of_the_build(tmp_path):
    county = write_county(tmp_path / "county", {"aa": {
        "notices/2025/mingtian-1021.md": _notice("mingtian-1021", "明天发布的公告", "2025-10-21")}, "bb": {}})
    cache = tmp_path / "cache"
    english = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "en", "--cache", cache)
    assert "its publication date 2025年10月21日 is still to come" in english.stdout
    chinese = gongkai("--lang", "zh", "build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "zh",
                      "--cache", cache)
    assert "发布日期2025年10月21日还没到" in chinese.stdout and "still to come" not in chinese.stdout
    assert tree(tmp_path / "zh") == tree(tmp_path / "en")


def test_a_partition_is_built_from_inside_the_county_folder(county_builds, tmp_path):
    """A partition's build writes no site, so the default site folder inside the content is no reason to refuse it."""
    county = shutil.copytree(county_builds[0], tmp_path / "county")
    result = gongkai("build", ".", "--as-of", AS_OF, "--no-editor", "--partition", "aa", "--cache", tmp_path / "cache",
                     cwd=county)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (county / "site").exists() and [p.name for p in (tmp_path / "cache").iterdir()] == ["aa"]


def test_an_unknown_partition_is_named(county_builds, tmp_path):
    county, _full = county_builds
    result = gongkai("build", county, "--as-of", AS_OF, "--partition", "cc", "--cache", tmp_path / "cache")
    assert result.returncode == 1 and "there is no office 'cc' in this county — use one of: aa, bb" in result.stdout


# -- commands about one office ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["serve"], ["posters"], ["editor"], ["editor-config"], ["report", "--year", "2025"],
                                     ["new", "notice"], ["new", "service"], ["new", "regulation"],
                                     ["new", "register-entry"]])
def test_a_command_about_one_office_asks_for_an_office_folder(tmp_path, command):
    county = write_county(tmp_path / "county", {"aa": {}, "bb": {}})
    for folder in (county, county / "offices"):
        result = gongkai(*command, folder)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr == (f"gongkai: {folder} is not one office's folder, and this command works on one office"
                                 f" — give an office folder, e.g. {county}/offices/aa\n")
        assert result.stdout == ""


def test_the_office_folder_to_give_is_said_in_chinese(tmp_path):
    county = write_county(tmp_path / "county", {"aa": {}})
    result = gongkai("--lang", "zh", "posters", county)
    assert result.stderr == f"gongkai：{county} 不是某一个部门的文件夹，而这个命令只处理一个部门 — 请给出部门的文件夹，例如 {county}/offices/aa\n"
    validated = gongkai("--lang", "zh", "validate", county / "offices")
    assert validated.stdout.startswith(f"{county}/offices:1: 这是县级门户的文件夹，不是某一个部门的 — 请给出部门的文件夹，例如 "
                                       f"{county}/offices/aa")


def test_new_notice_in_a_county_office_points_at_the_repository_schemas(tmp_path):
    repository = tmp_path / "repo"
    shutil.copytree(ROOT / "schemas", repository / "schemas")
    county = write_county(repository / "content", {"aa": {}})
    result = gongkai("new", "notice", county / "offices" / "aa", "--title", "关于测试的公告", "--type", "通知公告",
                     "--first-day", "2025-10-20", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    written = county / "offices/aa/notices/2025/tongzhi-2025-01.md"
    hint = written.read_text(encoding="utf-8").splitlines()[1]
    assert hint == "# yaml-language-server: $schema=../../../../../schemas/notice.schema.json"
    assert (written.parent / hint.split("=", 1)[1]).resolve() == (repository / "schemas/notice.schema.json").resolve()
    assert gongkai("validate", county).returncode == 0


# -- an office moving in -------------------------------------------------------------------------------------------


def standalone_and_county(folder: Path) -> tuple[Path, Path]:
    """A repository holding a single office (old/, with its own calendar and site_url) and a county (content/)."""
    calendar = "year: 2027\nsource: 国务院办公厅通知\nholidays: []\nworkdays: []\n"
    county = write_tree(write_county(folder / "content", {"aa": {}}), {"calendar/2027.yaml": calendar})
    old = write_tree(folder / "old", {**MINIMAL, "calendar/2027.yaml": calendar,
                                      "calendar/2028.yaml": calendar.replace("2027", "2028")})
    return old, county


def test_add_office_moves_a_single_office_in_with_git_mv(tmp_path):
    old, county = standalone_and_county(tmp_path)
    git(tmp_path, "init", "--quiet")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "--quiet", "-m", "一个县和一个单独的机关")
    result = gongkai("county", "add-office", "old", "content", "--id", "xin", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not old.exists() and (county / "offices/xin/notices/2025/gonggao-1.md").is_file()
    status = git(tmp_path, "status", "--porcelain")
    assert "R  old/notices/2025/gonggao-1.md -> content/offices/xin/notices/2025/gonggao-1.md" in status
    assert "R  old/calendar/2028.yaml -> content/calendar/2028.yaml" in status  # a year the county lacked
    assert "D  old/calendar/2027.yaml" in status  # the county's own says the same
    site_url_line = 6
    assert f"content/offices/xin/office.yaml:{site_url_line}: 'site_url' is not used by an office in a county" in result.stdout
    validated = gongkai("validate", "content", cwd=tmp_path)
    assert validated.returncode == 0 and validated.stdout.endswith("0 error(s), 1 warning(s)\n")


def test_add_office_moves_without_git(tmp_path):
    old, county = standalone_and_county(tmp_path)
    result = gongkai("county", "add-office", old, county, "--id", "xin")
    assert result.returncode == 0, result.stderr
    assert not old.exists() and load_content(county / "offices" / "xin")[0].office.get("site_url") == \
        "https://www.example.gov.cn/xin/"


def test_add_office_points_the_schema_hints_where_the_repository_has_schemas_and_says_so_where_not(tmp_path):
    hint = "# yaml-language-server: $schema=../schemas/office.schema.json\n"
    for repository, has_schemas in ((tmp_path / "copy", True), (tmp_path / "bare", False)):
        old, county = standalone_and_county(repository)
        (old / "office.yaml").write_text(hint + (old / "office.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        if has_schemas:
            shutil.copytree(ROOT / "schemas", repository / "schemas")
        result = gongkai("county", "add-office", old, county, "--id", "xin")
        assert result.returncode == 0, result.stderr
        first = (county / "offices/xin/office.yaml").read_text(encoding="utf-8").splitlines()[0]
        if has_schemas:
            assert first == "# yaml-language-server: $schema=../../../schemas/office.schema.json"
            assert "pointed the $schema hints of 1 file(s)" in result.stdout
        else:
            assert first == hint.strip()
            assert (f"left the $schema hints of 1 file(s) as they were: no schemas/ folder was found above "
                    f"{county}/offices/xin") in result.stdout


@pytest.mark.parametrize(("office_id", "message"), [
    ("Assets", "'Assets' cannot be the office's id"),
    ("search", "'search' cannot be the office's id"),
    ("aa", "the county has an office 'aa' already"),
])
def test_add_office_refuses_an_id_that_is_invalid_or_taken(tmp_path, office_id, message):
    old, county = standalone_and_county(tmp_path)
    before = tree(tmp_path)
    result = gongkai("county", "add-office", old, county, "--id", office_id)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert tree(tmp_path) == before


@pytest.mark.parametrize(("name", "data", "message"), [
    ("notices/2025/gonggao-1.md", NOTICE.encode("gb18030"), "the file is saved in GBK/GB18030"),
    ("services/shenpi.yaml", SERVICE.encode("utf-16"), "the file is saved in UTF-16"),
    ("notices/2025/gonggao-9.MD", NOTICE.encode("utf-8"), "the file's extension .MD is in capitals"),
])
def test_add_office_reads_every_file_before_it_moves_anything(tmp_path, name, data, message):
    old, county = standalone_and_county(tmp_path)
    (old / name).write_bytes(data)
    before = tree(tmp_path)
    result = gongkai("county", "add-office", old, county, "--id", "xin")
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert f"{(old / name).as_posix()}" in result.stderr
    assert tree(tmp_path) == before


def test_add_office_refuses_an_office_already_in_a_county(tmp_path):
    _old, county = standalone_and_county(tmp_path)
    result = gongkai("county", "add-office", county / "offices/aa", county, "--id", "xin")
    assert result.returncode == 1 and "offices/aa is already part of a county's folder" in result.stderr
    assert (county / "offices/aa/office.yaml").is_file() and not (county / "offices/xin").exists()


def test_add_office_refuses_a_repository_of_its_own(tmp_path):
    old, county = standalone_and_county(tmp_path)
    git(old, "init", "--quiet")
    result = gongkai("county", "add-office", old, county, "--id", "xin")
    assert result.returncode == 1 and "is the root of a git repository of its own" in result.stderr
    assert (old / ".git").is_dir() and not (county / "offices/xin").exists()


def test_add_office_refuses_a_folder_that_is_not_a_county(tmp_path):
    old, county = standalone_and_county(tmp_path)
    (county / "county.yaml").unlink()
    result = gongkai("county", "add-office", old, county, "--id", "xin")
    assert result.returncode == 1 and f"{county} has no county.yaml" in result.stderr and old.exists()


def test_new_notice_keeps_the_usual_schema_hint_where_no_schemas_folder_is_found(office):
    root = office()
    result = gongkai("new", "notice", root, "--title", "关于测试的公告", "--type", "通知公告",
                     "--first-day", "2025-10-20", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    written = root / "notices/2025/tongzhi-2025-01.md"
    assert written.read_text(encoding="utf-8").splitlines()[1] == \
        "# yaml-language-server: $schema=../../../schemas/notice.schema.json"


def test_the_county_calendar_warning_is_the_county_s_and_does_not_fail_an_office_s_strict_check(tmp_path):
    county = write_county(tmp_path / "county", {"aa": {}})
    write_tree(county, {"calendar/2027.yaml": "year: 2027\nsource: 示例\nholidays: []\nworkdays: []\n"
                                              "illustrative: 待国务院通知\n"})
    office = gongkai("check", county / "offices/aa", "--strict", "--as-of", AS_OF)
    assert "calendar/2027.yaml" in office.stdout and "[warning]" in office.stdout  # still said, to the clerk too
    assert office.returncode == 0, office.stdout + office.stderr
    assert "政务公开办" in office.stderr
    assert gongkai("check", county, "--strict", "--as-of", AS_OF).returncode == 1  # the 政务公开办's own check fails


def test_a_refused_county_build_renders_no_office(tmp_path):
    leaked = NOTICE.replace("公告正文。", "联系人身份证 11010519491231002X。")
    county = write_county(tmp_path / "county", {"aa": {}, "bb": {"notices/2025/gonggao-1.md": leaked}})
    result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "site",
                     "--cache", tmp_path / "cache")
    assert result.returncode == 1
    assert "offices/bb/notices/2025/gonggao-1.md:20:" in result.stdout
    # every office is gated before any renders: aa, clean, is neither rendered nor cached
    assert not list((tmp_path / "cache").glob("aa/*/partition.json"))
    assert not (tmp_path / "site").exists()
