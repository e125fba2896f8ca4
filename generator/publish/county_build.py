"""Build stage for a county: every office a partition of its own, the portal's pages around them.

An office's section is built on its own (build.build_section) into a cache
folder named by a key over everything it is made from: its files, the
county file and calendars, the as-of date, the engine and this generator's
own code. A change to one office therefore rebuilds that office and the
portal's pages; the others are taken from the cache (kept between CI runs).
On a new day an office is built again, but the engine's output kept in its
entry of the day before is taken when nothing but the date changed in what
it is made from (asof.py): its PDFs and search data are made again.
Offices build in parallel, one per core. For a county beyond one machine,
each runner of a job matrix builds some partitions into its cache folder
(`gongkai build --partition ID --cache DIR`), and the merge job, given all
of them, finds every partition built and only adds the portal and merges
the search index from each partition's index data. However it ran, the
same content and as-of date give the same bytes: a partition is the same
whichever process built it, and the merge orders everything by office and
page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import hmac
import importlib.metadata
import json
import os
import shutil
import stat
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Iterator

from ..checks.check import stops_a_build
from ..content.county import (COUNTY_FILE, OFFICES, START_METHOD, County, WorkerDied, in_office, load_county,
                              map_offices)
from ..content.load import readable
from ..content.types import SCHEMA_DIR
from ..findings import WARNING, Finding
from ..i18n import _
from ..render import searchindex, supervision
from ..render.portal import OFFICE_FILTER, office_summary, render_portal, sitemap_files
from ..render.posters import PdfReuse, PosterError, load_engine
from .. import timings
from . import gate
from .build import (ENGINE, Editor, EngineInput, KeptEngine, build_section, drop_unloaded, in_background, judge,
                    run_engine, write_engine_input)
from .write import LOCK_FILE, ending_signals_interrupt, file_lock, refuse_unsafe_cache, staging, swap_in, write_files

CACHE_FORMAT = "5"  # bump when what a partition folder holds changes shape
PACKAGES = ("mkdocs", "mkdocs-material", "zensical", "weasyprint", "nh3")


@dataclass
class Partition:
    """What one office's build leaves for the portal: its findings (named from the office folder), the facts
    the portal's pages show, its pages as the search index reads them (in their order) and their index data, which
    the merge only renumbers into the county's index. The built section is beside it."""

    office: str
    findings: list[Finding]
    summary: dict = field(default_factory=dict)
    pages: list[searchindex.Page] = field(default_factory=list)
    postings: searchindex.Postings = field(default_factory=searchindex.Postings)
    built: bool = False
    key: str = ""  # the cache folder it is built in (a hash of its sources): the merge need not hash them again
    engine_key: str = ""  # what the engine's output beside it (build.ENGINE) is made from; "" when none is kept

    def to_json(self) -> bytes:
        return json.dumps({**asdict(self), "findings": [asdict(f) for f in self.findings]}, ensure_ascii=False,
                          sort_keys=True, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> "Partition":
        raw = json.loads(data)
        return cls(raw["office"], [Finding(**f) for f in raw["findings"]], raw["summary"],
                   [searchindex.Page(**{**p, "filters": [tuple(x) for x in p["filters"]]}) for p in raw["pages"]],
                   searchindex.Postings(**raw["postings"]), raw["built"], raw["key"], raw["engine_key"])


def build_county(root: Path, out_dir: Path, as_of: dt.date, engine: str, config: Path, search: bool,
                 editor: Editor | None, cache: Path | None = None, partitions: list[str] | None = None,
                 jobs: int | None = None) -> list[Finding]:
    """The whole portal into out_dir; with `partitions`, only those offices' sections into the cache."""
    county, findings = load_county(root)
    unknown = sorted(set(partitions or ()) - set(county.offices))
    findings += [Finding("offices", 1, "office-folder", _("there is no office '{office}' in this county").format(office=o),
                         _("use one of: {values}").format(values=", ".join(county.offices))) for o in unknown]
    if county.record is None or unknown:
        return sorted(set(findings))
    if cache is not None:
        refuse_unsafe_cache(Path(cache), root, out_dir)
    offices = partitions or county.offices
    with ending_signals_interrupt(), _cache_folder(cache) as cache_dir:
        with _reading(cache_dir, offices) as notes:
            findings, built = _build(county, findings + notes, offices, partitions is not None, as_of, engine, config,
                                     search, editor, cache_dir, out_dir, jobs)
        _prune(cache_dir, {partition.office: partition.key for partition in built if partition.built})
    return findings


def _build(county: County, findings: list[Finding], offices: list[str], only_partitions: bool, as_of: dt.date,
           engine: str, config: Path, search: bool, editor: Editor | None, cache_dir: Path, out_dir: Path,
           jobs: int | None) -> tuple[list[Finding], list[Partition]]:
    """The offices' partitions, then (unless only they were asked for) the portal around them swapped into out_dir;
    the findings, and the partitions the cache is to keep."""
    try:
        built = build_partitions(county, offices, as_of, engine, config, cache_dir, jobs)
    except WorkerDied as died:
        return sorted(set(findings)) + [died.finding()], []
    stopped = [office for office, partition in zip(offices, built) if partition is None]
    built = [partition for partition in built if partition is not None]
    for partition in built:
        findings += in_office(partition.findings, partition.office)
    if stopped:  # said as soon as one office's checks refused the build, not after every other office rendered
        findings.append(Finding("offices", 1, "refused",
                                _("the build is refused by the errors listed with this one, so {offices} were not built")
                                .format(offices=", ".join(stopped)),
                                _("fix them and build again; `gongkai check` lists every office's findings")))
    findings = sorted(set(findings))
    if only_partitions or any(map(stops_a_build, findings)):
        return findings, built
    with staging(out_dir.resolve(), county.root) as stage:
        failures = _build_portal(county, built, as_of, engine, config, stage)
        if failures:
            return findings + failures, built
        taken = [Finding(f"{OFFICES}/{p.office}", 1, "office-folder",
                         _("'{name}' cannot name an office's folder: it becomes the office's web address")
                         .format(name=p.office), _("the portal has a page of this name; rename the office's folder"))
                 for p in built if (stage / "site" / p.office).exists()]
        if taken:  # a new portal page reserves its name by itself: the office's section never replaces it
            return findings + taken, built
        portal_pages = searchindex.read_site(stage / "site") if search else []
        for partition in built:
            folder = cache_dir / partition.office / partition.key
            _place(folder / "site", stage / "site" / partition.office)
            supervision.place_sheets(folder, partition.office, stage / "site")
        write_files(sitemap_files(county, [p.office for p in built], (stage / "site/sitemap.xml").read_bytes()),
                    stage / "site")
        if search:
            runs = [(portal_pages, searchindex.postings(portal_pages))] + [(p.pages, p.postings) for p in built]
            write_files({f"{searchindex.FOLDER}/{name}": data
                         for name, data in searchindex.merged_index_files(runs).items()}, stage / "site")
        if editor is not None:  # one for the county, at the portal's /admin/: never one per office
            write_files(editor(), stage / "site")
        swap_in(stage / "site", out_dir.resolve())
    return findings, built


def runner_groups(county: County, runners: int | None = None) -> list[list[str]]:
    """The offices split among at most `runners` runners of a job matrix (one each by default), balanced by the
    number of files each office holds, which is what its build takes time by: the largest first, each to the
    runner with the least so far. The same county gives the same groups."""
    sizes = {office: sum(1 for p in county.office_dir(office).rglob("*") if p.is_file()) for office in county.offices}
    groups: list[list[str]] = [[] for _ in range(min(runners or len(sizes), len(sizes)))]
    loads = [0] * len(groups)
    for office in sorted(sizes, key=lambda office: (-sizes[office], office)):
        runner = loads.index(min(loads))
        groups[runner].append(office)
        loads[runner] += sizes[office]
    return [sorted(group) for group in groups]


def build_partitions(county: County, offices: list[str], as_of: dt.date, engine: str, config: Path, cache_dir: Path,
                     jobs: int | None) -> list[Partition | None]:
    """Each office's partition, from the cache or built, in parallel on the machine's cores; in office order. Once
    one office is refused, the offices not finished yet are stopped and stand as None."""
    return map_offices(build_partition, [(county.root, office, as_of, engine, config, cache_dir)
                                         for office in offices], jobs, stop_when=_refused)


def _refused(partition: Partition) -> bool:
    """An office whose own checks stop the build (a safety rule): the others need not finish rendering."""
    return any(map(stops_a_build, partition.findings))


@timings.stage("cache")
def build_partition(root: Path, office: str, as_of: dt.date, engine: str, config: Path, cache_dir: Path) -> Partition:
    """One office's section, unless the cache holds it already, whole and sealed; a failed office is not cached.

    The cache is input, not trusted state: an entry that is not exactly what this build would have written
    (another office or key, a link, a file added, changed or missing, half-written JSON) is discarded and built
    again, with a note."""
    county = County(root)
    folder = _partition_dir(cache_dir, county, office, as_of, engine, config)
    partition, problem = _cached(folder, office)
    if partition is not None:
        return partition
    notes = [] if problem is None else [_note(folder, problem)]
    content, findings, decision = judge(county.office_dir(office), as_of)
    if any(map(stops_a_build, findings)):
        return Partition(office, findings + notes)
    findings = findings + decision.findings()
    summary = office_summary(content, as_of, office, decision)
    work = Path(tempfile.mkdtemp(prefix=BUILDING, dir=folder.parent))
    earlier = _earlier_entries(folder, office)
    reuse = PdfReuse(_previous_pdfs(earlier))
    if START_METHOD == "fork":  # once in this worker, which forks the PDF processes of every office it builds
        load_engine()
    # The supervisor's 考核表 are laid out here, so that a cached office is not laid out again, and while the
    # section builds: a change to one office waits for its engine, not for its sheets after it.
    # The engine's output of an earlier day is taken again if nothing it is made from changed but the date (asof.py).
    kept = KeptEngine(_code_fingerprint(), {partition.engine_key: entry / ENGINE
                                            for entry, partition, _files in earlier if partition.engine_key})
    try:
        with in_background(supervision.office_sheets, content, summary, as_of, reuse) as kaohe:
            failures = build_section(content, as_of, engine, config, work, content.county, decision, kept, reuse)
            if failures:
                return Partition(office, findings + failures + notes)
            try:
                sheets, leaks, laid_out = kaohe()
            except PosterError as error:
                return Partition(office, findings + notes + [Finding("", 1, "poster", *str(error).split(" — ", 1))])
        if leaks:
            return Partition(office, findings + leaks + notes)
        write_files({f"{supervision.SHEET_FOLDER}/{file}": data for file, data in sheets.items()}, work)
        (work / PDF_INPUTS).write_text(json.dumps(reuse.made | laid_out.made, sort_keys=True), encoding="utf-8")
        name = content.office.get("short_name")
        # A result names its office: two offices' 机构职能 pages must be told apart in the county's search.
        pages = sorted((searchindex.Page(**{**asdict(page), "url": f"{office}/{page.url}",
                                            "kind": " · ".join(filter(None, (name, page.kind))),
                                            "filters": sorted(set(page.filters) | {(OFFICE_FILTER, name)})})
                        for page in searchindex.read_site(work / "site")), key=lambda page: page.order)
        partition = Partition(office, findings, summary, pages, searchindex.postings(pages), True, folder.name,
                              kept.key)
        _seal(work, partition)
        _install(work, folder, office)
        return replace(partition, findings=findings + notes)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _earlier_entries(folder: Path, office: str) -> list[tuple[Path, Partition, dict[str, str]]]:
    """The office's other entries of the cache (an earlier day's), each with its partition and manifest: checked
    once, whole and sealed, as when it is used itself, for both the engine's output and the PDFs taken from it."""
    earlier = []
    for other in sorted(folder.parent.iterdir()):
        if other.name != folder.name and not other.name.startswith((BUILDING, LOCK_FILE)):
            try:
                earlier.append((other, *_entry(other, office)))
            except (OSError, ValueError, KeyError, TypeError, AttributeError):  # planted or broken, as in _cached
                _discard(other)
    return earlier


def _note(folder: Path, problem: str) -> Finding:
    return Finding("", 1, "cache", _("the cached section {folder} was not used: {problem}").format(folder=folder,
                                                                                                   problem=problem),
                   _("nothing to do: it was built again and replaced"), severity=WARNING)


# An entry of the cache: <cache>/<office>/<key>/ holds partition.json (the Partition and a SHA-256 of every other
# file of the entry) and seal (a digest of partition.json: keyed by CACHE_SECRET when it is set, so that only a
# build that knows the secret writes entries a build will use). A build writes <office>/.building-*/ and renames it.
ENTRY = "partition.json"
SEAL = "seal"
PDF_INPUTS = "pdf-inputs.json"  # each PDF's path in the entry → the input it was laid out from (posters.PdfReuse)
BUILDING = ".building-"
CACHE_SECRET = "GONGKAI_CACHE_SECRET"


def _seal(work: Path, partition: Partition) -> None:
    data = json.dumps({"partition": json.loads(partition.to_json()), "files": _manifest(work)}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":")).encode("utf-8")
    (work / ENTRY).write_bytes(data)
    (work / SEAL).write_text(_digest(data), encoding="ascii")


def _digest(data: bytes) -> str:
    secret = os.environ.get(CACHE_SECRET)
    if secret:
        return hmac.new(secret.encode("utf-8"), data, hashlib.sha256).hexdigest()
    return hashlib.sha256(data).hexdigest()


def _manifest(folder: Path) -> dict[str, str]:
    """rel → SHA-256 of every file under folder but the entry's own two; ValueError for a link or anything but
    folders and regular files (a link is never followed, even one that leads back inside)."""
    files, digests = {}, {}
    for where, folders, names in os.walk(folder):
        for name in folders + names:
            path = Path(where, name)
            mode = path.lstat().st_mode
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise _Unusable(_("it holds a link or a special file: {file}").format(file=path.relative_to(folder)))
        for name in names:
            path = Path(where, name)
            rel = path.relative_to(folder).as_posix()
            if rel not in (ENTRY, SEAL):
                status = path.lstat()  # the section and the engine's output share most files (hard links): read once
                inode = (status.st_dev, status.st_ino)
                if inode not in digests:
                    digests[inode] = hashlib.sha256(path.read_bytes()).hexdigest()
                files[rel] = digests[inode]
    return files


def _previous_pdfs(earlier: list[tuple[Path, Partition, dict[str, str]]]) -> dict[str, tuple[bytes, int, bool]]:
    """The PDFs of the office's earlier entries (_earlier_entries), by their input (posters.PdfReuse), each file
    read once and checked against the digest its entry was sealed with."""
    previous = {}
    for entry, _partition, files in earlier:
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
            for path, (key, pages, tight) in json.loads(_sealed_file(entry, PDF_INPUTS, files)).items():
                previous[str(key)] = (_sealed_file(entry, path, files), int(pages), bool(tight))
    return previous


def _sealed_file(entry: Path, path: str, files: dict[str, str]) -> bytes:
    """A file the entry was sealed with (`files`: its manifest), as it was: only a path the manifest names."""
    expected = files[path]  # KeyError for any other path, such as /etc/passwd or ../other
    data = _regular(entry / path).read_bytes()
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), expected):
        raise _Unusable(_("its files are not those it was written with"))
    return data


def _cached(folder: Path, office: str) -> tuple[Partition | None, str | None]:
    """The partition in folder if it is whole, sealed and this office's at this key; else None and why not (None
    when there is simply no entry). Nothing in it is followed or trusted before it has been checked."""
    if not os.path.lexists(folder):
        return None, None
    try:
        return _entry(folder, office)[0], None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as problem:  # what a planted or broken entry raises
        _discard(folder)
        return None, str(problem) if isinstance(problem, _Unusable) else _("it is damaged or half-written")


def _entry(folder: Path, office: str) -> tuple[Partition, dict[str, str]]:
    """_cached's checks; the partition and the SHA-256 of each of its files, or an exception."""
    if not stat.S_ISDIR(folder.lstat().st_mode):
        raise _Unusable(_("it is not a folder"))
    data = _regular(folder / ENTRY).read_bytes()
    if not hmac.compare_digest(_regular(folder / SEAL).read_text(encoding="ascii").strip(), _digest(data)):
        raise _Unusable(_("its seal does not match what it holds"))
    raw = json.loads(data)
    partition = Partition.from_json(json.dumps(raw["partition"]).encode("utf-8"))
    if (partition.office, partition.key, partition.built) != (office, folder.name, True):
        raise _Unusable(_("it names another office or key"))
    addresses = [page.url for page in partition.pages] + list(_addresses(partition.summary))
    if not all(_inside_section(address, office) for address in addresses):
        raise _Unusable(_("it holds an address outside the office's section"))
    if [page.order for page in partition.pages] != sorted(page.order for page in partition.pages) \
            or not partition.postings.fits(len(partition.pages)):
        raise _Unusable(_("its search index data does not fit its pages"))
    if _manifest(folder) != raw["files"]:
        raise _Unusable(_("its files are not those it was written with"))
    return partition, raw["files"]


class _Unusable(ValueError):
    """Why a cache entry is not used, in the reader's language."""


def _discard(path: Path) -> None:
    """Remove an entry or what stands in its place, never what a link in its place points to."""
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISDIR(path.lstat().st_mode):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()


def _regular(path: Path) -> Path:
    if not stat.S_ISREG(path.lstat().st_mode):
        raise _Unusable(_("it holds a link or a special file: {file}").format(file=path.name))
    return path


def _addresses(value) -> Iterator[str]:
    """Every address in an office summary: the portal's pages link to them."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name == "url":
                yield item
            elif name in ("columns", "contents"):
                yield from (pair[1] for pair in item)
            else:
                yield from _addresses(item)
    elif isinstance(value, list):
        for item in value:
            yield from _addresses(item)


def _inside_section(address, office: str) -> bool:
    """An address under the office's own section: a relative path, no scheme, no way up."""
    return (isinstance(address, str) and address.startswith(f"{office}/") and ":" not in address and "\\" not in address
            and ".." not in PurePosixPath(address).parts)


def _install(work: Path, folder: Path, office: str) -> None:
    """The finished entry under its key in one rename. Another build that installed the same key meanwhile wrote
    the same bytes (a key is a hash of everything an entry is made from): its entry stays, and this one goes."""
    try:
        os.rename(work, folder)
    except OSError:
        if _cached(folder, office)[0] is None:  # what stood in the way was not a usable entry, and is gone now
            os.rename(work, folder)


@contextlib.contextmanager
def _reading(cache_dir: Path, offices: list[str]) -> Iterator[list[Finding]]:
    """A shared lock on each office's folder of the cache while its entry is looked up, built and placed: no other
    build removes it meanwhile (_prune). An office's folder that is not a folder of the cache (a link) is replaced."""
    notes = []
    with contextlib.ExitStack() as stack:
        for office in offices:
            folder = cache_dir / office
            if os.path.lexists(folder) and not stat.S_ISDIR(folder.lstat().st_mode):
                folder.unlink()
                notes += in_office([_note(folder, _("it is not a folder"))], office)
            folder.mkdir(exist_ok=True)
            stack.enter_context(file_lock(folder, shared=True))
        yield notes


def _prune(cache_dir: Path, kept: dict[str, str]) -> None:
    """One entry per office is kept, the one just used, so the cache does not grow without end; an office another
    build is reading is stepped around (its next build prunes it), and what killed builds left is removed."""
    for office, key in kept.items():
        with file_lock(cache_dir / office, wait=False) as taken:
            if taken:
                for old in (cache_dir / office).iterdir():
                    if old.name not in (key, LOCK_FILE):
                        _discard(old)


@timings.stage("render")
def _build_portal(county: County, partitions: list[Partition], as_of: dt.date, engine: str, config: Path,
                  stage: Path) -> list[Finding]:
    """The county's own pages (home, 政府信息公开, 部门, search) built by the engine into stage/site."""
    docs, settings = render_portal(county, [p.summary for p in partitions], as_of, config)
    write_engine_input(EngineInput(docs, settings, [], {}), stage)
    failure = run_engine(engine, stage / "mkdocs.yml", as_of)
    if failure:
        return [failure]
    unsafe = gate.clean_site(stage / "site")
    drop_unloaded(stage / "site")
    return unsafe


def _place(partition_site: Path, target: Path) -> None:
    """A cached section into the site being assembled: hard links where the file system allows (the site is
    swapped in whole and never edited in place, so cache and site may share files), copies elsewhere."""
    try:
        shutil.copytree(partition_site, target, copy_function=os.link)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(partition_site, target)


def _partition_dir(cache_dir: Path, county: County, office: str, as_of: dt.date, engine: str, config: Path) -> Path:
    key = hashlib.sha256()
    for part in (CACHE_FORMAT, _code_fingerprint(), as_of.isoformat(), engine, config.read_bytes()):
        key.update(part if isinstance(part, bytes) else part.encode())
        key.update(b"\0")
    # Only what the build reads: a link out of the folder (to /dev/zero, say) is never read for its key either.
    for path in [county.root / COUNTY_FILE, *sorted(p for p in (county.root / "calendar").glob("*") if readable(p, county.root)),
                 *sorted(p for p in county.office_dir(office).rglob("*") if readable(p, county.office_dir(office)))]:
        key.update(path.relative_to(county.root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return cache_dir / office / key.hexdigest()[:32]


@cache
def _code_fingerprint() -> bytes:
    """This generator's own files and the versions of the engines it drives: a new release rebuilds every office."""
    digest = hashlib.sha256()
    for folder in (Path(__file__).resolve().parents[1], SCHEMA_DIR):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    for name in PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
    return digest.digest()


TEMPORARY = "gongkai-partitions-"


@contextlib.contextmanager
def _cache_folder(cache: Path | None) -> Iterator[Path]:
    if cache is not None:
        Path(cache).mkdir(parents=True, exist_ok=True)
        yield Path(cache).resolve()
        return
    _remove_left_behind(Path(tempfile.gettempdir()))
    with tempfile.TemporaryDirectory(prefix=TEMPORARY) as folder, file_lock(Path(folder)):
        yield Path(folder)


# A build makes its folder and then locks it: in between, another build starting must not take the new folder
# for a dead one (under load that gap was long enough for builds side by side to delete each other's partitions).
LEFT_BEHIND_AFTER_S = 600


def _remove_left_behind(temporary: Path) -> None:
    """What a killed build (kill -9, a power cut) left in the temporary folder: each build holds a lock on its own
    folder while it runs, so one that can be locked, and is older than a build's start, has nobody left to remove it."""
    for left in temporary.glob(f"{TEMPORARY}*"):
        with contextlib.suppress(OSError):
            status = left.lstat()
            if not stat.S_ISDIR(status.st_mode) or time.time() - status.st_mtime < LEFT_BEHIND_AFTER_S:
                continue
            with file_lock(left, wait=False) as unused:
                pass
            if unused:  # removed once unlocked: Windows cannot remove a lock file while it is open
                shutil.rmtree(left, ignore_errors=True)
