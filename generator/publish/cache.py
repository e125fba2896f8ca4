"""The cache of built sections: where an office's entry is, what it holds, and when it is used.

An entry is <cache>/<office>/<key>/, the key a hash over everything the
section is made from (entry_folder). It holds the section (site/), the
engine's output it was made from (section.ENGINE), the 考核表, the inputs of
its PDFs (PDF_INPUTS), partition.json (the Partition and a SHA-256 of every
other file of the entry) and seal (a digest of partition.json: keyed by
CACHE_SECRET when it is set, so that only a build that knows the secret
writes entries a build will use). The portal's engine output is kept
likewise, in <cache>/PORTAL/<key>/ (keep_portal). The cache is input, not
trusted state: nothing in an entry is followed or used before the whole of
it has been checked. A build writes <office>/.building-*/ and renames it; one entry per
office is kept (prune). Without a cache folder of its own (--cache), a
build has a temporary one (write.cache_folder).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import importlib.metadata
import json
import os
import shutil
import stat
import tempfile
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

from ..content.county import County
from ..content.load import readable
from ..content.types import SCHEMA_DIR
from ..findings import WARNING, Finding
from ..i18n import _, language
from ..render import searchindex
from . import asof
from .write import LOCK_FILE, file_lock

CACHE_FORMAT = "6"  # bump when what a partition folder holds changes shape
PACKAGES = ("mkdocs", "mkdocs-material", "zensical", "weasyprint", "nh3")
ENTRY = "partition.json"
SEAL = "seal"
PDF_INPUTS = "pdf-inputs.json"  # each PDF's path in the entry → the input it was laid out from (posters.PdfReuse)
BUILDING = ".building-"
CACHE_SECRET = "GONGKAI_CACHE_SECRET"


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
    engine_key: str = ""  # what the engine's output beside it (section.ENGINE) is made from; "" when none is kept

    def to_plain(self) -> dict:
        """What asdict gives, without its copy of every list of the postings (hundreds of thousands of numbers an
        office, half a second of every office's build, only for json to read them once)."""
        return {**{name: getattr(self, name) for name in self.__dataclass_fields__},
                "findings": [asdict(f) for f in self.findings], "pages": [asdict(page) for page in self.pages],
                "postings": self.postings.to_plain()}

    @classmethod
    def from_plain(cls, raw: dict) -> "Partition":
        return cls(raw["office"], [Finding(**f) for f in raw["findings"]], raw["summary"],
                   [searchindex.Page(**{**p, "filters": [tuple(x) for x in p["filters"]]}) for p in raw["pages"]],
                   searchindex.Postings.from_plain(raw["postings"]), raw["built"], raw["key"], raw["engine_key"])


def entry_folder(cache_dir: Path, county: County, office: str, as_of: dt.date, engine: str, config: Path) -> Path:
    """Where the office's entry is: its key hashes the county file and calendars, the county's offices, the office's
    files, the as-of date, the engine and its settings, this generator's code, and the language of the findings kept
    in it (a build in Chinese does not report an English build's words)."""
    key = hashlib.sha256()
    # The county's offices too: a link into another office's section is judged by whether that office is there.
    for part in (CACHE_FORMAT, code_fingerprint(), as_of.isoformat(), engine, config.read_bytes(),
                 "/".join(county.offices), language()):
        key.update(part if isinstance(part, bytes) else part.encode())
        key.update(b"\0")
    # Only what the build reads: a link out of the folder (to /dev/zero, say) is never read for its key either.
    for path in [*county.shared_files(),
                 *sorted(p for p in county.office_dir(office).rglob("*") if readable(p, county.office_dir(office)))]:
        key.update(path.relative_to(county.root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return cache_dir / office / key.hexdigest()[:32]


@cache
def code_fingerprint() -> bytes:
    """This generator's own files and the versions of the engines it drives: a new release rebuilds every office."""
    digest = hashlib.sha256()
    for folder in (Path(__file__).resolve().parents[1], SCHEMA_DIR):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    for name in PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
    return digest.digest()


def note(folder: Path, problem: str) -> Finding:
    return Finding("", 1, "cache", _("the cached section {folder} was not used: {problem}").format(folder=folder,
                                                                                                   problem=problem),
                   _("nothing to do: it was built again and replaced"), severity=WARNING)


def seal(work: Path, partition: Partition) -> None:
    _seal(work, {"partition": partition.to_plain()})


def _seal(work: Path, record: dict) -> None:
    """record, with the SHA-256 of every file of the entry, written beside them and sealed."""
    for where, _folders, names in os.walk(work):
        os.chmod(where, FOLDER_MODE)
        for name in names:
            os.chmod(os.path.join(where, name), FILE_MODE)
    data = json.dumps({**record, "files": _manifest(work)}, ensure_ascii=False,
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
    root = os.fspath(folder)
    # Paths as strings: every build checks every cached entry, thousands of files each, and pathlib's objects were
    # most of that time.
    for where, folders, names in os.walk(root):
        inside = where[len(root) + 1:].replace(os.sep, "/")
        prefix = f"{inside}/" if inside else ""
        for name in folders:  # a link to a folder is listed among the folders, and not walked into
            status = os.lstat(os.path.join(where, name))
            if not stat.S_ISDIR(status.st_mode):
                raise _Unusable(_("it holds a link or a special file: {file}").format(file=prefix + name))
            _refuse_mode(status, FOLDER_MODE, prefix + name)
        for name in names:
            path, rel = os.path.join(where, name), prefix + name
            status = os.lstat(path)
            if not stat.S_ISREG(status.st_mode):
                raise _Unusable(_("it holds a link or a special file: {file}").format(file=rel))
            if rel not in (ENTRY, SEAL):
                _refuse_mode(status, FILE_MODE, rel)
                inode = (status.st_dev, status.st_ino)  # the section and the engine's output share most files: read once
                if inode not in digests:
                    digests[inode] = hashlib.sha256(_read_unfollowed(path)).hexdigest()
                files[rel] = digests[inode]
    return files


# An entry's files and folders as nginx needs them, whatever the umask of the build that wrote them (they are
# published as they are, hard links): a mode changed in the cache would be published with the file.
FILE_MODE, FOLDER_MODE = 0o644, 0o755


def _refuse_mode(status: os.stat_result, mode: int, rel: str) -> None:
    if os.name == "posix" and stat.S_IMODE(status.st_mode) != mode:  # Windows keeps only a read-only flag
        raise _Unusable(_("its permissions are not those it was written with: {file}").format(file=rel))


def _read_unfollowed(path: str) -> bytes:
    """The file's bytes; OSError if it became a link since it was looked at."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(handle, "rb") as file:
        return file.read()


def earlier_entries(folder: Path, county: County, office: str) -> list[tuple[Path, Partition, dict[str, str]]]:
    """The office's other entries of the cache (an earlier day's), each with its partition and manifest: checked
    once, whole and sealed, as when it is used itself, for both the engine's output and the PDFs taken from it."""
    earlier = []
    for other in sorted(folder.parent.iterdir()):
        if other.name != folder.name and not other.name.startswith((BUILDING, LOCK_FILE)):
            try:
                earlier.append((other, *_entry(other, county, office)))
            except (OSError, ValueError, KeyError, TypeError, AttributeError):  # planted or broken, as in cached
                _discard(other)
    return earlier


def previous_pdfs(earlier: list[tuple[Path, Partition, dict[str, str]]]) -> dict[str, tuple[bytes, int, bool]]:
    """The PDFs of the office's earlier entries (earlier_entries), by their input (posters.PdfReuse), each file
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


def cached(folder: Path, county: County, office: str) -> tuple[Partition | None, str | None]:
    """The partition in folder if it is whole, sealed and this office's at this key; else None and why not (None
    when there is simply no entry). Nothing in it is followed or trusted before it has been checked."""
    if not os.path.lexists(folder):
        return None, None
    try:
        return _entry(folder, county, office)[0], None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as problem:  # what a planted or broken entry raises
        _discard(folder)
        return None, str(problem) if isinstance(problem, _Unusable) else _("it is damaged or half-written")


def _entry(folder: Path, county: County, office: str) -> tuple[Partition, dict[str, str]]:
    """cached's checks; the partition and the SHA-256 of each of its files, or an exception."""
    raw = _sealed(folder)
    partition = Partition.from_plain(raw["partition"])
    if (partition.office, partition.key, partition.built) != (office, folder.name, True):
        raise _Unusable(_("it names another office or key"))
    addresses = [page.url for page in partition.pages] + list(_addresses(partition.summary))
    if not all(_inside_section(address, county.section_url(office)) for address in addresses):
        raise _Unusable(_("it holds an address outside the office's section"))
    if [page.order for page in partition.pages] != sorted(page.order for page in partition.pages) \
            or not partition.postings.fits(len(partition.pages)):
        raise _Unusable(_("its search index data does not fit its pages"))
    return partition, _files_checked(folder, raw)


def _sealed(folder: Path) -> dict:
    """What the entry in folder was sealed with, if its seal matches; its files are not looked at yet."""
    if not stat.S_ISDIR(folder.lstat().st_mode):
        raise _Unusable(_("it is not a folder"))
    data = _regular(folder / ENTRY).read_bytes()
    if not hmac.compare_digest(_regular(folder / SEAL).read_text(encoding="ascii").strip(), _digest(data)):
        raise _Unusable(_("its seal does not match what it holds"))
    return json.loads(data)


def _files_checked(folder: Path, raw: dict) -> dict[str, str]:
    """The entry's files and their SHA-256, if they are exactly those it was sealed with."""
    if _manifest(folder) != raw["files"]:
        raise _Unusable(_("its files are not those it was written with"))
    return raw["files"]


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


def _inside_section(address, section: str) -> bool:
    """An address under the office's own section: a relative path, no scheme, no way up."""
    return (isinstance(address, str) and address.startswith(section) and ":" not in address and "\\" not in address
            and ".." not in PurePosixPath(address).parts)


def install(work: Path, folder: Path, county: County, office: str) -> None:
    """The finished entry under its key in one rename. Another build that installed the same key meanwhile wrote
    the same bytes (a key is a hash of everything an entry is made from): its entry stays, and this one goes."""
    _install(work, folder, lambda: cached(folder, county, office)[0] is not None)


def _install(work: Path, folder: Path, usable: Callable[[], bool]) -> None:
    try:
        os.rename(work, folder)
    except OSError:
        if not usable():  # what stood in the way was not a usable entry, and is gone now
            os.rename(work, folder)


# The portal's pages are made by the engine as an office's are, and kept as its output is (section.engine_site): a
# change to one office leaves them alone, and they need no engine run. Not an office's id (OFFICE_ID), so never one.
PORTAL = "_portal"


def portal_outputs(cache_dir: Path) -> dict[str, tuple[Path, dict[str, str]]]:
    """The engine's output for the portal kept in the cache, by the key of what it was made from (section.KeptEngine),
    each checked whole and sealed; what is not is discarded."""
    kept = {}
    folder = cache_dir / PORTAL
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.name.startswith((BUILDING, LOCK_FILE)):
            continue
        try:
            raw = _sealed(entry)
            if raw["portal"] != entry.name:
                raise _Unusable(_("it names another office or key"))
            kept[entry.name] = (entry, _files_checked(entry, raw))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):  # planted or broken, as in cached
            _discard(entry)
    return kept


def forget_portal_outputs(cache_dir: Path) -> None:
    for entry in (cache_dir / PORTAL).iterdir() if (cache_dir / PORTAL).is_dir() else []:
        if not entry.name.startswith((BUILDING, LOCK_FILE)):
            _discard(entry)


def keep_portal(cache_dir: Path, stage: Path, key: str, parts: tuple[str, ...]) -> None:
    """The portal's engine output in stage (its `parts`: the output and the input it was made from) kept under key,
    sealed: hard links, as nothing in an entry or a stage is written to once made."""
    folder = cache_dir / PORTAL / key
    if os.path.lexists(folder):
        return
    folder.parent.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=BUILDING, dir=folder.parent))
    try:
        for part in parts:
            if (stage / part).is_dir():
                shutil.copytree(stage / part, work / part, copy_function=asof.link)
            else:
                asof.link(stage / part, work / part)
        _seal(work, {"portal": key})
        _install(work, folder, lambda: key in portal_outputs(cache_dir))
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def reading(cache_dir: Path, county: County, offices: list[str]) -> Iterator[list[Finding]]:
    """A shared lock on each office's folder of the cache while its entry is looked up, built and placed: no other
    build removes it meanwhile (prune). An office's folder that is not a folder of the cache (a link) is replaced."""
    notes = []
    with contextlib.ExitStack() as stack:
        for office in offices:
            folder = cache_dir / office
            if os.path.lexists(folder) and not stat.S_ISDIR(folder.lstat().st_mode):
                folder.unlink()
                found = [note(folder, _("it is not a folder"))]
                notes += found if office == PORTAL else county.named(found, office)
            folder.mkdir(exist_ok=True)
            stack.enter_context(file_lock(folder, shared=True))
        yield notes


def prune(cache_dir: Path, kept: dict[str, str]) -> None:
    """One entry per office is kept, the one just used, so the cache does not grow without end; an office another
    build is reading is stepped around (its next build prunes it), and what killed builds left is removed."""
    for office, key in kept.items():
        with file_lock(cache_dir / office, wait=False) as taken:
            if taken:
                for old in (cache_dir / office).iterdir():
                    if old.name not in (key, LOCK_FILE):
                        _discard(old)
