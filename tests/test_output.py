"""The output folder: never destroy what is not a previous output, swap atomically, one build at a time, and
end every worker and staging folder whatever signal stops the build."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.publish.build import build
from generator.publish.engine import in_background
from generator.render.pdfengine import PosterError
from generator.publish.write import OutputRefused, staging, swap_in, write_new_files

AS_OF = dt.date(2025, 10, 10)
ROOT = Path(__file__).resolve().parent.parent


def gongkai(*args: str, cwd: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=cwd, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)}, **kwargs)


@pytest.fixture
def clone(office, tmp_path):
    """An office's repository as a clerk has it: content, git, and a draft not yet committed."""
    office()  # writes the content folder into tmp_path
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "草稿.md").write_text("还没提交的草稿", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("out, what", [
    (".", "is the working directory"),
    ("content", "is the content folder"),
    ("..", "contains the content folder"),
    ("content/site", "is inside the content folder"),
])
def test_an_output_folder_that_holds_the_work_is_refused_and_nothing_is_deleted(clone, out, what):
    before = sorted(p.relative_to(clone) for p in clone.rglob("*"))
    result = gongkai("build", "content", "--out", out, "--as-of", AS_OF.isoformat(), cwd=clone)
    _, stderr = result.communicate(timeout=60)
    assert result.returncode == 2 and what in stderr and "--out" in stderr and "Traceback" not in stderr, stderr
    assert sorted(p.relative_to(clone) for p in clone.rglob("*")) == before


def test_the_repository_is_refused_from_a_subfolder(clone):
    (clone / "scripts").mkdir()
    result = gongkai("posters", "../content", "--out", "..", "--as-of", AS_OF.isoformat(), cwd=clone / "scripts")
    _, stderr = result.communicate(timeout=60)
    assert result.returncode == 2 and "is the repository" in stderr
    with pytest.raises(OutputRefused, match="is the repository"):
        with staging(clone, clone / "elsewhere"):
            pass
    assert (clone / ".git").is_dir() and (clone / "草稿.md").exists()


def test_the_swap_leaves_the_old_tree_or_the_new_one(tmp_path):
    target, new = tmp_path / "site", tmp_path / "new"
    for folder, text in ((target, "old"), (new, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    swap_in(new, target)
    assert (target / "index.html").read_text() == "new" and not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_swap_works_where_there_is_no_renameat2(tmp_path, monkeypatch):
    """On Windows ctypes.CDLL(None) raises TypeError: a second build into an existing folder must not ask for it."""
    import ctypes

    def no_libc(*args, **kwargs):
        raise TypeError("expected str, bytes or os.PathLike object, not NoneType")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    target, new = tmp_path / "site", tmp_path / "new"
    for folder, text in ((target, "old"), (new, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    swap_in(new, target)
    assert (target / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_build_killed_between_the_two_renames_gets_its_site_back(tmp_path):
    """Where the atomic exchange is missing, the next build restores what a cut swap left aside."""
    target = tmp_path / "site"
    aside = tmp_path / ".gongkai-staging-site-old-4242"
    aside.mkdir()
    (aside / "index.html").write_text("old")
    (tmp_path / ".gongkai-staging-site-x1y2").mkdir()  # a staging folder of the killed build
    with staging(target, tmp_path / "content") as stage:
        assert (target / "index.html").read_text() == "old"
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".gongkai")] == [stage.name]


def test_two_builds_into_one_folder_take_turns(office, tmp_path):
    root = office()
    builds = [gongkai("build", str(root), "--out", str(tmp_path / "site"), "--as-of", AS_OF.isoformat(),
                      "--no-search", "--no-editor", cwd=tmp_path) for _ in range(2)]
    results = [(b.wait(timeout=300), b.stderr.read()) for b in builds]
    assert results == [(0, ""), (0, "")]
    assert (tmp_path / "site/index.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_building_and_printing_leave_nothing_in_the_temporary_folder(office, tmp_path, monkeypatch):
    """Each process laying out PDFs wrote WeasyPrint's copy of the print face (about 7 MB) to /tmp and was killed
    before anything removed it: a county's server filled its /tmp build after build."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    root = office()
    for command in (["build", "--out", "site"], ["posters", "--out", "posters"]):
        process = gongkai(command[0], str(root), *command[1:], "--as-of", AS_OF.isoformat(), cwd=tmp_path)
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0 and "Traceback" not in stderr, stderr
    assert list((tmp_path / "posters").glob("*.pdf")) and list((tmp_path / "site").rglob("*.pdf"))
    assert list(temporary.iterdir()) == []


def children(pid: int) -> list[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def started_build(office, tmp_path) -> tuple[subprocess.Popen, list[int]]:
    """A build caught while its print worker lays out the PDFs."""
    process = gongkai("build", str(office()), "--out", str(tmp_path / "site"), "--as-of", AS_OF.isoformat(),
                      cwd=tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = children(process.pid)
        if len(workers) >= 2:  # the print worker and the site engine
            return process, workers
        time.sleep(0.05)
    raise AssertionError("the build never started its workers")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_ends_every_worker_and_removes_the_staging_folder(office, tmp_path, signum):
    process, workers = started_build(office, tmp_path)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum and "interrupted; nothing was changed" in stderr, stderr
    assert "Traceback" not in stderr
    assert not any(alive(pid) for pid in workers)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_after_kill_9_of_the_build_its_print_worker_exits(office, tmp_path):
    process, workers = started_build(office, tmp_path)
    process.kill()
    process.wait()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)
    # The next build cleans what the killed one left and succeeds.
    assert [f for f in build(tmp_path / "content", tmp_path / "site", AS_OF, search=False) if f.severity == "error"] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_the_print_worker_runs_under_spawn_as_under_fork(office, tmp_path, monkeypatch):
    """Windows and macOS start processes with spawn: the PDFs come out the same."""
    from generator.publish import engine as engine_module

    sites = {}
    for method in ("fork", "spawn"):
        monkeypatch.setattr(engine_module, "START_METHOD", method)
        assert build(office(), tmp_path / method, AS_OF, search=False) == []
        sites[method] = {p.relative_to(tmp_path / method).as_posix(): p.read_bytes()
                         for p in sorted((tmp_path / method).rglob("*.pdf"))}
    assert sites["fork"] and sites["fork"] == sites["spawn"]


def test_a_spawned_worker_that_dies_fails_instead_of_hanging():
    with in_background(os._exit, 3, method="spawn") as result:
        with pytest.raises(PosterError, match="ended without a result"):
            result()


def test_a_refused_build_says_the_site_it_kept(office, tmp_path):
    root, site = office(), tmp_path / "site"
    assert not [f for f in build(root, site, AS_OF, search=False) if f.severity == "error"]
    before = (site / "index.html").read_bytes()
    notice = root / "notices/2025/gonggao-1.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n联系人手机 13812345678。\n", encoding="utf-8")
    process = gongkai("build", str(root), "--out", str(site), "--as-of", AS_OF.isoformat(), "--no-search",
                      "--no-editor", cwd=tmp_path)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    assert f"nothing was written: {site}/ stays as it was" in stderr
    assert (site / "index.html").read_bytes() == before


def _built(root: Path, out: Path) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(root), "--as-of", "2025-10-10", "--out",
                             str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file())


def test_the_public_site_carries_no_local_editor(office, county, tmp_path):
    """The local-mode editor (make editor) writes through localhost: on a public address it is an exposed editing page
    that a security scan flags, and it was half of each section. Neither an office nor a county publishes it."""
    assert not [path for path in _built(office(), tmp_path / "office") if path.startswith("admin/")]
    files = _built(county(), tmp_path / "county")
    assert "jia/index.html" in files and not [path for path in files if "admin/" in path]


@pytest.mark.skipif(not (ROOT / "tools/decap/node_modules/decap-cms/dist").is_dir(), reason="make editor installs Decap")
def test_the_hosted_editor_is_published_once_office_yaml_names_its_repository(office, tmp_path):
    from conftest import OFFICE

    root = office({"office.yaml": OFFICE + "editor:\n  backend: github\n  repo: office/site\n"})
    files = _built(root, tmp_path / "site")
    assert "admin/index.html" in files
    assert "office/site" in (tmp_path / "site/admin/index.html").read_text(encoding="utf-8")


HOSTED = "editor:\n  backend: github\n  repo: county/gongkai\n"


@pytest.mark.skipif(not (ROOT / "tools/decap/node_modules/decap-cms/dist").is_dir(), reason="make editor installs Decap")
def test_a_hosted_county_publishes_one_editor_at_the_portal_for_every_office(county, tmp_path):
    """county.yaml names the repository: one editor at the portal's /admin/, whose collections are every office's,
    saving into that office's folder; none under an office's address, and an office's own editor: is named unused."""
    from conftest import COUNTY, OFFICE

    root = county({"jia": {}, "yi": {"office.yaml": OFFICE.replace("site_url: https://test.example.org/\n", "")
                                      .replace("short_name: 测试办", "short_name: yi办") + HOSTED}},
                  county_file=COUNTY + HOSTED)
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(root), "--as-of", "2025-10-10", "--out",
                             str(tmp_path / "site")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "offices/yi/office.yaml" in result.stdout and "'editor' is not used by an office in a county" in result.stdout
    files = sorted(path.relative_to(tmp_path / "site").as_posix() for path in (tmp_path / "site").rglob("*"))
    assert [path for path in files if path.endswith("/index.html") and "admin" in path.split("/")] == ["admin/index.html"]
    page = (tmp_path / "site/admin/index.html").read_text(encoding="utf-8")
    settings = json.loads(page.split("var settings = ", 1)[1].split(";\n", 1)[0])
    assert settings["backend"] == {"name": "github", "repo": "county/gongkai", "branch": "main"}
    collections = {c["name"]: c for c in settings["collections"]}
    assert list(collections) == [f"{office}-{kind}" for office in ("jia", "yi")
                                 for kind in ("notice", "service", "regulation", "pledges", "catalog", "office")]
    assert collections["yi-notice"]["label"] == "yi办·公示公告"
    assert collections["yi-notice"]["folder"] == f"{root.name}/offices/yi/notices"
    assert collections["jia-office"]["files"][0]["file"] == f"{root.name}/offices/jia/office.yaml"


@pytest.mark.skipif(not (ROOT / "tools/decap/node_modules/decap-cms/dist").is_dir(), reason="make editor installs Decap")
@pytest.mark.parametrize("branch", ["", "  branch: main\n"])
def test_a_gitea_hosted_editor_that_would_commit_to_main_is_not_published(office, tmp_path, branch):
    """Decap's Gitea backend commits each save to its branch: on main, a clerk's save would skip the section's review."""
    from conftest import OFFICE

    gitea = OFFICE + "editor:\n  backend: gitea\n  repo: office/site\n  base_url: https://git.example.gov.cn\n" \
                     "  app_id: abc\n"
    root = office({"office.yaml": gitea + branch})
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(root), "--as-of", "2025-10-10", "--out",
                             str(tmp_path / "site")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (tmp_path / "site/admin").exists()
    assert "the form editor is not published" in result.stderr and "branch: wangye-bianji" in result.stderr
    own = office({"office.yaml": gitea + "  branch: wangye-bianji\n"})
    assert "admin/index.html" in _built(own, tmp_path / "own")


@pytest.mark.skipif(not (ROOT / "tools/decap/node_modules/decap-cms/dist").is_dir(), reason="make editor installs Decap")
def test_a_county_whose_gitea_editor_would_commit_to_main_publishes_none(county, tmp_path):
    from conftest import COUNTY

    root = county({"jia": {}}, county_file=COUNTY + "editor:\n  backend: gitea\n  repo: county/site\n"
                                             "  base_url: https://git.example.gov.cn\n  app_id: abc\n")
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(root), "--as-of", "2025-10-10", "--out",
                             str(tmp_path / "site")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the form editor is not published" in result.stderr
    assert not [path for path in (tmp_path / "site").rglob("admin")]


def test_the_search_index_is_written_afresh_never_through_a_kept_file(tmp_path):
    kept = tmp_path / "cache-entry.json"
    kept.write_bytes(b"kept")
    write_new_files([("p/0.json", b"{}"), ("s/0.json", b"{}"), ("meta.json", b"{}")], tmp_path / "gk-search")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.json")) == [
        "cache-entry.json", "gk-search/meta.json", "gk-search/p/0.json", "gk-search/s/0.json"]
    os.link(kept, tmp_path / "gk-search/p/1.json")  # a file of the cache placed in the site by a hard link
    with pytest.raises(FileExistsError):
        write_new_files([("p/1.json", b"index")], tmp_path / "gk-search")
    assert kept.read_bytes() == b"kept"


def test_a_failing_merge_is_said_as_the_search_index_failing_not_as_an_error(tmp_path, monkeypatch):
    from generator.publish import build as building
    from generator.render import searchindex

    def failing(_runs):
        yield "p/0.json", b"{}"
        raise ValueError("a page number out of range")
    monkeypatch.setattr(searchindex, "merged_index_files", failing)
    [finding] = building._index_search([], tmp_path)
    assert (finding.code, finding.message) == ("search-index", "the search index failed: a page number out of range")
