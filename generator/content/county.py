"""Load stage for a county: one repository, one portal, many offices.

Under 政府网站发展指引 (国办发〔2017〕47号) a county department publishes its
政府信息公开 as a section of the county portal, which the county's
政务公开办 runs and supervises. A county folder holds:

    county.yaml            the portal: names, address, 备案 numbers, 主办/承办单位, 纠错, the 政务公开办
    calendar/<year>.yaml   the State Council's holidays, shared by every office
    offices/<id>/          one office's content folder, exactly what a single office holds

An office folder stays a content folder of its own: every office command
(`gongkai new notice`, `check`, `posters`, `editor`) works on it as before,
and it takes its address, footer and holidays from the county around it. A
folder with office.yaml and no county.yaml is a single office: a county of
one that publishes its own site.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import multiprocessing
import multiprocessing.connection
import os
import posixpath
import re
import signal
import sys
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Callable

from ..findings import ContentError, Finding
from ..i18n import _, choose, language, restore
from .. import timings
from .folder import load_all
from .load import Document, is_what_its_name_says, load_yaml, readable
from .records import Record
from .schema import schema_findings
from .types import ContentType, all_types

COUNTY_FILE = "county.yaml"
OFFICES = "offices"
COUNTY_TYPE = ContentType("county", "县级门户", COUNTY_FILE, "county.schema.json", Record, singleton=True)
# fullmatch, not match: "$" also matches before a final newline, and a folder named "aa\n" would write a line of its
# own into CODEOWNERS.
OFFICE_ID = re.compile(r"[a-z][a-z0-9-]{1,31}")
# Fork is quickest where it exists; spawn (Windows, macOS) needs the functions and arguments to be picklable.
START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
# The portal's own top-level pages and folders (and the content's own folders): an office named like one would
# overwrite it. The build refuses an office whose folder meets a name its portal wrote (publish/build.py), and
# tests/test_county.py builds a portal and fails while any name it writes is missing here, so validate knows it too.
RESERVED = frozenset({"accessibility", "admin", "assets", "badge", "calendar", "contact", "correction", "data",
                      "departments", "gk-search", "kaohe", "notices", "offices", "openness", "posters", "search",
                      "sitemap", "supervision", "theme"})


def office_id_allowed(name: str) -> bool:
    return OFFICE_ID.fullmatch(name) is not None and name not in RESERVED


def is_county(folder: Path) -> bool:
    return (Path(folder) / COUNTY_FILE).is_file()


def county_root_of(office_dir: Path) -> Path | None:
    """The county folder an office folder sits in (…/offices/<id>/), or None for a single office."""
    parent = Path(office_dir).resolve().parent
    return parent.parent if parent.name == OFFICES and is_county(parent.parent) else None


def office_id_of(office_dir: Path) -> str:
    return Path(office_dir).resolve().name


def office_example(folder: Path) -> str | None:
    """Given a county's folder or its offices/ folder where one office's was meant: an office folder to give instead
    (content/offices/rfb); None for any other folder."""
    folder = Path(folder)
    offices_folder = folder.resolve().name == OFFICES and is_county(folder / "..")
    root = folder if is_county(folder) else folder / ".." if offices_folder else None
    if root is None:
        return None
    offices = load_county(root)[0].offices
    return posixpath.normpath((root / OFFICES / (offices[0] if offices else "<id>")).as_posix())


@dataclass
class County:
    """Any content folder, loaded: a county, or a single office's folder, which is a county of one. Every stage
    after loading works on the offices of a county; only whether a portal goes around their sections differs."""

    root: Path
    record: Record | None = None
    offices: list[str] = field(default_factory=list)  # folder names under offices/, sorted
    # False for a county of one: its office is the folder itself and its section the whole site; its files are
    # named from its own folder, and it has no county file (an office inside a county's folder, given alone, reads
    # the county's file and calendar as its content).
    portal: bool = True

    @property
    def own_file(self) -> str:
        """The file of the folder's own settings (editor:, the hosted editor's repository): county.yaml, or a county of
        one's office.yaml."""
        return COUNTY_FILE if self.portal else "office.yaml"

    def office_dir(self, office_id: str) -> Path:
        return self.root / OFFICES / office_id if self.portal else self.root

    def office_rel(self, office_id: str) -> str:
        """The office's folder named from the county's ("" for a county of one)."""
        return f"{OFFICES}/{office_id}" if self.portal else ""

    def section_url(self, office_id: str) -> str:
        """The address of the office's section in the site: under the portal, its id; a county of one's is the site."""
        return f"{office_id}/" if self.portal else ""

    def named(self, findings: list[Finding], office_id: str) -> list[Finding]:
        """An office's findings named from the county folder, as every command prints them."""
        return in_office(findings, office_id) if self.portal else findings

    def shared_files(self) -> list[Path]:
        """The files every office's section is made from besides its own: the county file and calendars."""
        if not self.portal:
            return []
        return [self.root / COUNTY_FILE, *sorted(p for p in (self.root / "calendar").glob("*") if readable(p, self.root))]

    def changed_by_office(self, changed: set[str] | None) -> dict[str, set[str] | None]:
        """The offices a change touches, each with its changed files named from its own folder (None: every file).
        No `changed`, or a change to the county file or the calendars: every office, in full."""
        if changed is None or not self.portal:
            return {office: changed for office in self.offices}
        if any(path == COUNTY_FILE or PurePosixPath(path).parts[0] == "calendar" for path in changed):
            return dict.fromkeys(self.offices)
        offices: dict[str, set[str] | None] = {}
        for path in sorted(changed):
            parts = PurePosixPath(path).parts
            if len(parts) > 2 and parts[0] == OFFICES and parts[1] in self.offices:
                offices.setdefault(parts[1], set()).add(PurePosixPath(*parts[2:]).as_posix())
        return offices


@timings.stage("load")
def load_county(root: Path) -> tuple[County, list[Finding]]:
    """The county file and the list of its offices; what is wrong with either, at its file and line. A folder
    without county.yaml is a county of one, whose problems are its content's, found when that loads."""
    if not is_county(root):
        return County(Path(root), offices=[office_id_of(root)], portal=False), []
    county = County(Path(root))
    findings: list[Finding] = []
    try:
        if not readable(county.root / COUNTY_FILE, county.root):
            raise ContentError(1, _("this is a link to something outside the county folder, which is never read"),
                               _("replace the link with the file itself"), "symlink")
        doc = load_yaml(county.root / COUNTY_FILE, COUNTY_FILE)
    except ContentError as error:
        findings.append(Finding(COUNTY_FILE, error.line, error.code, error.message, error.hint))
    else:
        problems = schema_findings(COUNTY_TYPE, doc)
        findings.extend(problems)
        if not problems:
            county.record = Record("county", "county", doc.data, doc)
            findings.extend(_badge_findings(county))
    folder = county.root / OFFICES
    names = sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []
    for name in names:
        shown = repr(name)[1:-1]  # a control character is shown, not written: "aa\n" must not end the line
        rel = f"{OFFICES}/{shown}"
        if not (folder / name).resolve().is_relative_to(county.root.resolve()):  # offices/aa -> /elsewhere
            findings.append(Finding(rel, 1, "symlink",
                                    _("this is a link to something outside the county folder, which is never read"),
                                    _("replace the link with the folder itself (copy it into the county folder)")))
        elif not office_id_allowed(name):
            findings.append(Finding(rel, 1, "office-folder",
                                    _("'{name}' cannot name an office's folder: it becomes the office's web address")
                                    .format(name=shown),
                                    _("use 2 to 32 lowercase letters, digits and hyphens, starting with a letter, "
                                      "and none of: {reserved}").format(reserved=", ".join(sorted(RESERVED)))))
        elif not (folder / name / "office.yaml").is_file():
            findings.append(Finding(rel, 1, "office-folder", _("this office folder has no office.yaml"),
                                    _("write office.yaml as docs/content-guide.md shows, or remove the folder")))
        else:
            county.offices.append(name)
    if not names:
        findings.append(Finding(OFFICES, 1, "office-folder", _("the county has no office folder"),
                                _("put each office's content in {folder}/<id>/ (see docs/content-guide.md)")
                                .format(folder=OFFICES)))
    return county, findings


def _badge_findings(county: County) -> list[Finding]:
    """The 党政机关网站标识 named in county.yaml is an image file beside it (not a link out of the folder): every
    page's footer shows it, and the portal publishes it."""
    badge = county.record.get("badge")
    if not badge:
        return []
    if not readable(county.root / badge, county.root):
        return [Finding(COUNTY_FILE, county.record.line("badge"), "attachment-missing",
                        _("the badge '{file}' is not in the county folder").format(file=badge),
                        _("put the image of the 党政机关网站标识 beside county.yaml under this name, or delete the line"))]
    if not is_what_its_name_says(county.root / badge):
        return [Finding(COUNTY_FILE, county.record.line("badge"), "attachment-format",
                        _("the badge '{file}' is not the image its name says").format(file=badge),
                        _("save the 党政机关网站标识 as a real {format} image under this name")
                        .format(format=Path(badge).suffix.lstrip(".").upper()))]
    return []


def county_seen_from(office_dir: Path, county_root: Path) -> Record | None:
    """The county file, named from the office folder (../../county.yaml) like its own files: every page of the
    office's section shows it, so the office's safety scans read it too."""
    record = load_county(county_root)[0].record
    if record is not None:
        record.doc.rel = f"{_up(office_dir, county_root)}/{COUNTY_FILE}"
    return record


def county_calendar(office_dir: Path, county_root: Path) -> tuple[list[tuple[ContentType, Document]], list[Finding]]:
    """The county's holiday calendars, named from the office folder (../../calendar/2026.yaml) like its own files."""
    calendar_type = next(t for t in all_types() if t.kind == "calendar")
    documents, findings = load_all(county_root, [calendar_type], report_unclaimed=False)
    up = _up(office_dir, county_root)
    for _type, doc in documents:
        doc.rel = f"{up}/{doc.rel}"
    return documents, [replace(f, file=f"{up}/{f.file}") for f in findings]


def _up(office_dir: Path, county_root: Path) -> str:
    return posixpath.relpath(county_root.resolve().as_posix(), Path(office_dir).resolve().as_posix())


def in_office(findings: list[Finding], office_id: str) -> list[Finding]:
    """An office's findings named from the county folder: offices/<id>/notices/… (the calendar's stay calendar/…)."""
    return [replace(f, file=posixpath.normpath(f"{OFFICES}/{office_id}/{f.file}") if f.file else f"{OFFICES}/{office_id}")
            for f in findings]


class WorkerDied(RuntimeError):
    """A process building or checking offices ended without a result (killed, or out of memory)."""

    def finding(self) -> Finding:
        return Finding(OFFICES, 1, "worker", _("a process working on the offices ended without a result"),
                       _("run the command again; if it persists, the machine may be short of memory: build the offices "
                         "in parts on several machines, as README says"))


def map_offices(function: Callable, arguments: list[tuple], jobs: int | None = None) -> list:
    """function(*a) for each tuple, in order; offices are independent, so one process per core takes them.

    However this ends (an exception, Ctrl-C, a signal turned into one by write.ending_signals_interrupt), no worker
    goes on building for nobody; a worker that dies raises WorkerDied instead of a traceback.
    """
    calls = [(function, language(), *a) for a in arguments]
    workers = min(jobs or os.cpu_count() or 1, len(calls))
    if workers <= 1:
        return [_in_language(*call) for call in calls]
    pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(START_METHOD),
                                                  initializer=die_with_parent)
    try:
        futures = [pool.submit(_in_language, *call) for call in calls]
        return [future.result() for future in futures]
    except concurrent.futures.process.BrokenProcessPool:
        raise WorkerDied() from None
    finally:
        # The executor only waits for its workers (Python 3.14 adds terminate_workers): stop them first.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=True, cancel_futures=True)


def die_with_parent() -> None:
    """End this process when the one that started it ends, even by kill -9: a worker left behind would go on
    building for nobody and hold the build's output pipe open, so a CI step would never end.

    Linux is told by prctl(PR_SET_PDEATHSIG); elsewhere a thread watches the parent's sentinel (a pipe that breaks
    when it dies)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()
    elif os.getppid() == 1:  # the parent died before the signal was asked for
        os._exit(1)


def die_with_parent_command() -> None:
    """The same for a command started by subprocess (the site engine): Linux only, where its `preexec_fn` runs."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def _exit_with(sentinel) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _in_language(function: Callable, lang: str, *args):
    """function(*args) in the caller's language: a worker started by spawn begins in the default one, and run in
    the caller's own process (one office) the caller's choice is restored after it."""
    token = choose(lang)
    try:
        return function(*args)
    finally:
        restore(token)
