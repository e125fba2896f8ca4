"""A county build on a shared machine, attacked as a poisoned cache, a slip of the keyboard, a link, a signal or a
full disk would attack it: each is refused or survived with a message, and the site is one build's or the old one."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import COUNTY, write_county
from generator.content.county import load_county, office_id_allowed
from generator import timings
from generator.publish import cache
from generator.publish.cache import PORTAL, Partition, seal
from generator.render import searchindex
from test_county import AS_OF, ROOT, build, county_builds, gongkai, tree  # noqa: F401 - county_builds is a fixture
from test_portal import tiny_png

def _county_with_badge(tmp_path: Path) -> Path:
    return write_county(tmp_path / "county", {"aa": {}}, COUNTY.replace("updated:", "badge: badge.png\nupdated:"))


# -- names ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["correction", "badge", "aa\n", "aa\tbb", "aa\x1b"])
def test_an_office_folder_named_like_a_portal_page_or_with_a_control_character_is_refused(tmp_path, name):
    county = write_county(tmp_path / "county", {"aa": {}, name: {}})
    result = gongkai("validate", county)
    shown = repr(name)[1:-1]
    assert result.returncode == 1
    assert f"{county}/offices/{shown}:1: '{shown}' cannot name an office's folder" in result.stdout
    codeowners = gongkai("codeowners", county)  # no CODEOWNERS is written, and no line of its output is the name's
    assert codeowners.returncode == 1
    assert all(line.startswith(f"{county}/offices/") for line in codeowners.stdout.splitlines()[:-1])


def test_every_top_level_name_the_portal_writes_is_refused_as_an_office_folder(tmp_path):
    county = _county_with_badge(tmp_path)
    (county / "badge.png").write_bytes(tiny_png())
    result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    written = {entry.name for entry in (tmp_path / "site").iterdir()} - {"aa"}
    assert "correction" in written and "badge" in written
    assert [name for name in sorted(written) if office_id_allowed(name)] == []


def test_a_portal_page_reserves_its_name_at_build_time_even_unlisted(tmp_path, monkeypatch):
    # A new portal page whose name nobody added to county.RESERVED: the build still refuses the office it would meet.
    from generator.content import county as county_module
    from generator.publish.build import build

    monkeypatch.setattr(county_module, "RESERVED", frozenset())
    county = write_county(tmp_path / "county", {"aa": {}, "departments": {}})
    findings = build(county, tmp_path / "site", dt.date.fromisoformat(AS_OF), jobs=1)
    assert [(f.file, f.code) for f in findings if f.severity == "error"] == [("offices/departments", "office-folder")]
    assert not (tmp_path / "site").exists()


# -- links and the badge -------------------------------------------------------------------------------------------


def test_a_badge_that_links_out_of_the_county_folder_is_never_read(tmp_path):
    county = _county_with_badge(tmp_path)
    secret = tmp_path / "secret.png"
    secret.write_bytes(tiny_png())  # even an image: what lies outside the county folder is not the county's
    (county / "badge.png").symlink_to(secret)
    result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "site")
    assert result.returncode == 1 and "county.yaml:" in result.stdout and "the badge 'badge.png' is not in the county" \
        in result.stdout
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("data", [b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\0" * 20, b""])
def test_a_badge_that_is_not_the_image_its_name_says_is_refused(tmp_path, data):
    county = _county_with_badge(tmp_path)
    (county / "badge.png").write_bytes(data)
    result = gongkai("validate", county)
    assert result.returncode == 1 and "the badge 'badge.png' is not the image its name says" in result.stdout


def test_an_office_folder_or_county_file_that_links_out_is_never_read(tmp_path):
    county = write_county(tmp_path / "county", {"aa": {}})
    elsewhere = write_county(tmp_path / "elsewhere", {"bb": {}})
    (county / "offices/bb").symlink_to(elsewhere / "offices/bb")
    result = gongkai("validate", county)
    assert result.returncode == 1 and f"{county}/offices/bb:1: this is a link to something outside" in result.stdout
    (county / "county.yaml").unlink()
    (county / "county.yaml").symlink_to(elsewhere / "county.yaml")
    assert load_county(county)[0].record is None


# -- the partition cache: input, not trusted state ----------------------------------------------------------------


def _entry(cache: Path, office: str) -> Path:
    (entry,) = [p for p in (cache / office).iterdir() if not p.name.startswith(".")]
    return entry


def _reseal(entry: Path, **changes) -> None:
    """What a planter who knows the format does: change the partition, and seal it again as the build would."""
    raw = json.loads((entry / "partition.json").read_bytes())
    partition = Partition.from_plain(raw["partition"])
    seal(entry, replace(partition, **changes))


@pytest.fixture
def warm(county_builds, tmp_path):
    """A copy of the county and a cache its build filled: (county, cache, the full build's tree)."""
    county, full = county_builds
    cache = tmp_path / "cache"
    assert build(county, tmp_path / "cold", "--cache", cache) == full
    return county, cache, full


def _plant_script(entry: Path) -> None:
    page = entry / "site/index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<script>alert(1)</script></body>"))


def _plant_resealed_script(entry: Path) -> None:
    _plant_script(entry)
    _reseal(entry)  # consistent with itself: only a secret the planter lacks tells it apart (see the next test)


def _plant_office(office: str):
    def plant(entry: Path) -> None:
        (entry / "site/gongkai.js").write_bytes(b"alert(1)")
        _reseal(entry, office=office)
    return plant


def _plant_search_address(entry: Path) -> None:
    raw = json.loads((entry / "partition.json").read_bytes())
    pages = [searchindex.Page(**{**p, "filters": [tuple(x) for x in p["filters"]]}) for p in raw["partition"]["pages"]]
    _reseal(entry, pages=[replace(pages[0], url="javascript:alert(1)")] + pages[1:])


def _plant_search_postings(entry: Path) -> None:
    raw = json.loads((entry / "partition.json").read_bytes())
    pages = len(raw["partition"]["pages"])
    body = searchindex.Postings.from_plain(raw["partition"]["postings"]).body
    _reseal(entry, postings=searchindex.Postings({**body, "公告": [0, pages + 7]}))


def _plant_half_written(entry: Path) -> None:
    data = (entry / "partition.json").read_bytes()
    (entry / "partition.json").write_bytes(data[: len(data) // 2])


def _plant_link(entry: Path) -> None:
    (entry / "site/index.html").unlink()
    (entry / "site/index.html").symlink_to("/etc/passwd")


def _plant_entry_link(entry: Path) -> None:
    elsewhere = entry.parent.parent.parent / "elsewhere"
    shutil.move(entry, elsewhere)
    entry.symlink_to(elsewhere)


def _plant_office_link(entry: Path) -> None:
    office = entry.parent
    elsewhere = office.parent.parent / "elsewhere-office"
    shutil.move(office, elsewhere)
    office.symlink_to(elsewhere)


def _plant_missing_file(entry: Path) -> None:
    (entry / "site/index.html").unlink()


def _plant_mode(entry: Path) -> None:  # the seal is of contents, but the mode would be published with the file
    (entry / "site/index.html").chmod(0o666)


@pytest.mark.parametrize("plant", [_plant_script, _plant_office("../assets"), _plant_office("../../scripts"),
                                   _plant_office("bb"), _plant_search_address, _plant_search_postings, _plant_half_written, _plant_link,
                                   _plant_entry_link, _plant_office_link, _plant_missing_file, _plant_mode],
                         ids=lambda plant: plant.__name__.removeprefix("_plant_"))
def test_a_planted_or_broken_cache_entry_is_discarded_and_rebuilt_with_a_note(warm, tmp_path, plant):
    county, cache, full = warm
    plant(_entry(cache, "aa"))
    result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "site", "--cache", cache,
                     cwd=tmp_path)
    assert result.returncode == 0 and "internal error" not in result.stderr, result.stdout + result.stderr
    assert "the cached section" in result.stdout and "was not used" in result.stdout
    assert tree(tmp_path / "site") == full
    assert not (tmp_path / "assets").exists() and not (tmp_path.parent / "scripts").exists()
    assert not _entry(cache, "aa").is_symlink() and not (cache / "aa").is_symlink()
    again = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "again", "--cache", cache)
    assert "was not used" not in again.stdout and tree(tmp_path / "again") == full  # the rebuilt entry is used


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_the_site_has_the_modes_nginx_reads_whatever_the_umask_of_the_build_that_cached_it(county_builds, tmp_path):
    """A section is published from the cache as it is (hard links): a cache written under umask 077 gave 600 pages
    that nginx could not read, in a site built under 022."""
    county, full = county_builds
    old = os.umask(0o077)
    try:
        build(county, tmp_path / "cold", "--cache", tmp_path / "cache")
    finally:
        os.umask(old)
    assert build(county, tmp_path / "site", "--cache", tmp_path / "cache") == full
    modes = {(path.is_dir(), stat.S_IMODE(path.stat().st_mode)) for path in (tmp_path / "site").rglob("*")}
    assert modes == {(False, 0o644), (True, 0o755)}


def test_with_a_cache_secret_an_entry_sealed_without_it_is_not_used(warm, tmp_path, monkeypatch):
    county, cache, full = warm
    monkeypatch.setenv("GONGKAI_CACHE_SECRET", "known-only-to-the-publish-workflow")
    first = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "keyed", "--cache", cache)
    assert "was not used" in first.stdout and tree(tmp_path / "keyed") == full  # sealed without the secret
    monkeypatch.delenv("GONGKAI_CACHE_SECRET")
    _plant_resealed_script(_entry(cache, "aa"))  # sealed by a planter who has no secret
    monkeypatch.setenv("GONGKAI_CACHE_SECRET", "known-only-to-the-publish-workflow")
    result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "site", "--cache", cache)
    assert result.returncode == 0 and "was not used" in result.stdout
    assert tree(tmp_path / "site") == full and b"alert(1)" not in tree(tmp_path / "site")["aa/index.html"]


def _portal_entry(cache: Path) -> Path:
    return _entry(cache, PORTAL)


def _plant_portal_script(entry: Path) -> None:
    page = entry / "engine/index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<script>alert(1)</script></body>"))


def _plant_portal_resealed(entry: Path) -> None:  # sealed by a planter who lacks the build's secret
    _plant_portal_script(entry)
    (entry / "partition.json").unlink()
    cache._seal(entry, {"portal": entry.name})


def _plant_portal_other_key(entry: Path) -> None:
    _plant_portal_script(entry)
    (entry / "partition.json").unlink()
    cache._seal(entry, {"portal": "0" * 64})


@pytest.mark.parametrize("plant", [_plant_portal_script, _plant_portal_resealed, _plant_portal_other_key, _plant_link,
                                   _plant_half_written, _plant_entry_link],
                         ids=lambda plant: plant.__name__.removeprefix("_plant_"))
def test_the_portal_s_kept_pages_are_used_only_whole_and_sealed(warm, tmp_path, monkeypatch, plant):
    """The portal's pages are kept in the cache as an office's are (a build that changes none of them runs no engine
    for them), and what is kept is input like any entry: planted, resealed without the secret, linked or broken,
    it is discarded, and the site is the one a build from nothing makes."""
    county, cache_dir, full = warm
    monkeypatch.setenv("GONGKAI_CACHE_SECRET", "known-only-to-the-publish-workflow")
    assert build(county, tmp_path / "keyed", "--cache", cache_dir) == full  # entries sealed with the secret
    entry = _portal_entry(cache_dir)
    monkeypatch.delenv("GONGKAI_CACHE_SECRET")  # the planter's
    if plant is _plant_link:
        (entry / "engine/index.html").unlink()
        (entry / "engine/index.html").symlink_to("/etc/passwd")
    else:
        plant(entry)
    monkeypatch.setenv("GONGKAI_CACHE_SECRET", "known-only-to-the-publish-workflow")
    monkeypatch.setenv(timings.ENV, str(tmp_path / "timings.jsonl"))
    assert build(county, tmp_path / "site", "--cache", cache_dir) == full
    engines = [line for line in (tmp_path / "timings.jsonl").read_text().splitlines() if '"engine"' in line]
    assert len(engines) == 1  # the portal's, built again; the offices are cached
    assert not _portal_entry(cache_dir).is_symlink()  # a link in its place is removed, not followed
    (tmp_path / "timings.jsonl").unlink()
    assert build(county, tmp_path / "again", "--cache", cache_dir) == full
    assert not (tmp_path / "timings.jsonl").read_text().count('"engine"')  # the rebuilt entry is used


def test_a_portal_page_planted_where_an_office_goes_does_not_fail_every_build(warm, tmp_path):
    """Without the secret, an entry resealed by a planter is used (as documented); but a page it plants where an
    office's section goes is laid at its door: the portal is built anew and what was kept forgotten, so no build tells
    the clerk to rename an office folder that a build from nothing takes."""
    county, cache_dir, full = warm
    entry = _portal_entry(cache_dir)
    (entry / "engine/aa").mkdir()
    (entry / "engine/aa/index.html").write_bytes(b"<p>planted</p>")
    (entry / "partition.json").unlink()
    cache._seal(entry, {"portal": entry.name})
    assert build(county, tmp_path / "site", "--cache", cache_dir) == full
    assert build(county, tmp_path / "again", "--cache", cache_dir) == full


@pytest.mark.parametrize("resealed, secret, taken", [(False, False, False), (True, True, False), (True, False, True)],
                         ids=["unsealed", "resealed-without-the-secret", "resealed-and-no-secret-kept"])
def test_a_pdf_is_reused_only_from_an_entry_that_passes_its_seal(warm, tmp_path, monkeypatch, resealed, secret, taken):
    """An office rebuilt for a changed notice takes its unchanged PDFs from its previous entry: never from one whose
    files are not those it was sealed with, nor sealed without the secret; without a secret, what is sealed is
    trusted (why the publish workflow keeps one)."""
    original, cache, _full = warm
    county = shutil.copytree(original, tmp_path / "county")
    entry = _entry(cache, "aa")
    planted = (entry / "site/posters/supervision.pdf").read_bytes()
    (entry / "site/posters/duties.pdf").write_bytes(planted)
    if resealed:
        _reseal(entry)
    if secret:
        monkeypatch.setenv("GONGKAI_CACHE_SECRET", "known-only-to-the-publish-workflow")
    notice = county / "offices/aa/notices/2025/gonggao-1.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("公告正文。", "公告正文已更正。"), encoding="utf-8")
    site = build(county, tmp_path / "site", "--cache", cache)
    assert (site["aa/posters/duties.pdf"] == planted) == taken
    if not taken:
        assert site == build(county, tmp_path / "fresh")


def test_two_builds_sharing_one_cache_at_once_each_publish_their_own_site(county_builds, tmp_path):
    county, full = county_builds
    cache = tmp_path / "cache"
    other_day = "2025-10-21"
    expected = build(county, tmp_path / "expected", "--as-of", other_day)  # no cache: what the second build must be
    command = [sys.executable, "-m", "generator", "build", str(county), "--no-editor", "--cache", str(cache)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_ in range(2):  # cold: both build and install every office; warm: each reads what the other pruned
        runs = [subprocess.Popen([*command, "--as-of", day, "--out", str(tmp_path / f"{day}-{round_}")], cwd=ROOT,
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for day in (AS_OF, other_day)]
        for run in runs:
            out, err = run.communicate(timeout=300)
            assert run.returncode == 0 and "internal error" not in err, out + err
        assert tree(tmp_path / f"{AS_OF}-{round_}") == full
        assert tree(tmp_path / f"{other_day}-{round_}") == expected


@pytest.mark.parametrize("where", ["offices", "offices/aa", ".", "site/cache", "site"])
def test_a_cache_in_the_content_or_output_folder_is_refused(county_builds, tmp_path, where):
    original, _full = county_builds
    county = shutil.copytree(original, tmp_path / "county")
    before = tree(county)
    cache = county / where if where.startswith("offices") or where == "." else tmp_path / where
    result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "site", "--cache", cache)
    assert result.returncode == 2 and "--cache" in result.stderr and "the cache folder" in result.stderr
    assert tree(county) == before and not (tmp_path / "site").exists()


# -- processes, leftovers and a full disk --------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(child) for child in (task / "children").read_text().split()}
    return found | {grandchild for child in found for grandchild in _children(child)}


def test_a_search_index_merge_that_dies_fails_the_build_with_a_message_and_keeps_the_old_site(county_builds, tmp_path,
                                                                                               monkeypatch):
    """The county's index is merged in a process of its own while the sections are placed: if it dies (out of
    memory), the build says so and stops, and the published site stays whole."""
    from generator.publish.build import build as build_here

    county, full = county_builds
    assert build(county, tmp_path / "site") == full
    monkeypatch.setattr(searchindex, "merged_index_files", lambda runs: os._exit(9))
    findings = build_here(county, tmp_path / "site", dt.date.fromisoformat(AS_OF))
    assert [(f.code, f.message) for f in findings if f.severity == "error"] == [
        ("search-index", "the search index failed: its process ended without a result")]
    assert tree(tmp_path / "site") == full and not list(tmp_path.glob(".gongkai-staging-*"))


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from Linux's /proc")
def test_a_killed_county_build_leaves_no_worker_holding_its_pipe_and_no_folder_behind(county_builds, tmp_path):
    county, full = county_builds
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temporary)}
    command = [sys.executable, "-m", "generator", "build", str(county), "--as-of", AS_OF, "--no-editor"]
    build_ = subprocess.Popen([*command, "--out", str(tmp_path / "site")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while len(_children(build_.pid)) < 3 and time.monotonic() < deadline:  # the office workers and their engines
        time.sleep(0.05)
    workers = _children(build_.pid)
    assert len(workers) >= 3, "the build never started its workers"
    build_.kill()
    build_.communicate(timeout=60)  # returns once nothing holds the output pipe: every worker has ended
    time.sleep(0.5)
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists()
            and "Z" not in Path(f"/proc/{pid}/stat").read_text().split(")")[-1][:3]] == []
    killed = list(temporary.glob("gongkai-partitions-*"))
    assert killed  # the killed build's, left for the next one to remove
    (temporary / "gongkai-pdfs-killed").mkdir()  # what a PDF process killed with its build leaves (7 MB of fonts)
    an_hour_ago = time.time() - 3600
    for folder in temporary.glob("gongkai-*"):
        os.utime(folder, (an_hour_ago, an_hour_ago))
    # Another build's, made an instant ago and not yet locked: a build starting beside it must not take it for dead.
    starting = [temporary / "gongkai-partitions-starting", temporary / "gongkai-pdfs-starting"]
    for folder in starting:
        folder.mkdir()
    result = subprocess.run([*command, "--out", str(tmp_path / "site")], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(temporary.glob("gongkai-*")) == starting and tree(tmp_path / "site") == full
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tmp"]  # no staging folder beside the site


@pytest.fixture
def tiny_disk(tmp_path):
    """A 1 MB file system (tmpfs), smaller than a county's site: needs root, as the test machines have."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)]).returncode:
        pytest.skip("mounting a small file system needs root")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


def test_a_full_disk_is_a_chinese_message_naming_the_folder_and_the_old_site_stays(county_builds, tiny_disk, tmp_path):
    county, _full = county_builds
    (tiny_disk / "site").mkdir()
    (tiny_disk / "site/index.html").write_text("上一次的网站", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "--lang", "zh", "build", str(county), "--as-of", AS_OF,
                             "--no-editor", "--out", str(tiny_disk / "site")], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "磁盘已满" in result.stderr and str(tiny_disk) in result.stderr and "还需要大约" in result.stderr
    assert [p.name for p in tiny_disk.iterdir()] == ["site"]  # no staging folder left
    assert (tiny_disk / "site/index.html").read_text(encoding="utf-8") == "上一次的网站"


# -- places: the output does not depend on where, in which locale or time zone it is built ------------------------


def test_a_build_from_the_root_folder_in_another_locale_and_time_zone_gives_the_same_bytes(county_builds, tmp_path):
    county, full = county_builds
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("LC_")}, "PYTHONPATH": str(ROOT), "LANG": "C",
           "LC_ALL": "C", "TZ": "America/Los_Angeles"}
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(county), "--as-of", AS_OF, "--no-editor",
                             "--out", str(tmp_path / "site")], cwd="/", env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    built = tree(tmp_path / "site")
    assert sorted(built) == sorted(full)
    assert [path for path in full if built[path] != full[path]] == []
