"""The whole build as one short function whose lines are the stages.

Everything is read and checked before anything is written; the engine then
builds the generated Markdown in a staging folder, and only a complete
result replaces the previous site.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from ..checks.check import run_checks, stops_a_build
from ..checks import publication
from ..checks.publication import Decision
from ..checks.validate import Content, load_content
from ..content.county import START_METHOD, die_with_parent, die_with_parent_command, is_county
from ..content.workdays import WorkCalendar
from ..findings import Finding
from ..i18n import _
from ..render import searchindex
from ..render.posters import (PdfReuse, PosterError, Sheet, report_sheets, sheet_file_names, sheets_for, to_print,
                              website_print_files)
from ..render.site import ENGINE_SETTINGS, POSTER_DIR, THEME, THEME_DIR, engine_config, render_site
from .. import timings
from . import asof, gate
from .write import ENDING_SIGNALS, disk_full_said, refuse_unsafe_output, staging, swap_in, uninterrupted, write_files

ENGINES = ("mkdocs", "zensical")
# The hosted form editor's files (admin/…), made by the caller (the CLI, from the tools stage) from the whole content:
# the editor alone sees what is withheld, since a new file is numbered after every one.
Editor = Callable[[], dict[str, bytes]]


@timings.stage("merge")
def build(content_dir: Path, out_dir: Path, as_of: dt.date, engine: str = "mkdocs",
          config: Path = ENGINE_SETTINGS, search: bool = True, editor: Editor | None = None,
          **county_options) -> list[Finding]:
    """editor: makes the hosted form editor's files, which the site then carries once, at its root's admin/ (for a
    county, the portal's, for every office). A county folder builds the portal (county_build.py; county_options are
    its)."""
    refuse_unsafe_output(Path(out_dir), content_dir)  # before the work, not after it
    with disk_full_said(Path(out_dir), Path(content_dir)):
        return _build(content_dir, out_dir, as_of, engine, config, search, editor, **county_options)


def _build(content_dir: Path, out_dir: Path, as_of: dt.date, engine: str, config: Path, search: bool,
           editor: Editor | None, **county_options) -> list[Finding]:
    missing = missing_engine(engine)
    if missing:
        return [missing]
    if is_county(content_dir):
        from .county_build import build_county

        return build_county(Path(content_dir), Path(out_dir), as_of, engine, config, search, editor,
                            **county_options)
    content, findings, decision = judge(content_dir, as_of)
    if any(map(stops_a_build, findings)):
        return findings
    findings += decision.findings()
    with staging(Path(out_dir).resolve(), content_dir) as stage:
        failures = build_section(content, as_of, engine, config, stage, decision=decision)
        if failures:
            return findings + failures
        failure = search and index_search(stage / "site")
        if failure:
            return findings + [failure]
        if editor is not None:
            write_files(editor(), stage / "site")
        swap_in(stage / "site", Path(out_dir).resolve())
    return findings


@timings.stage("checks")
def judge(content_dir: Path, as_of: dt.date) -> tuple[Content, list[Finding], Decision]:
    """The content, everything a build reports about it, and what it publishes: the safety rules decide whether it
    may be built; the other rules do not stop a build, but are reported with it, so its summary says what `check`
    would, and the documents they keep back (publication.py) are left out of every output."""
    content, findings = load_content(content_dir)
    calendar = WorkCalendar.from_content(content)
    findings += gate.check_content(content, as_of, calendar)
    findings = sorted(set(findings + run_checks(content, as_of, calendar, others_only=True)))
    if any(map(stops_a_build, findings)):
        return content, findings, Decision(as_of)
    return content, findings, publication.decide_all(content, as_of, calendar, findings)


@timings.stage("render")
def build_section(content, as_of: dt.date, engine: str, config: Path, stage: Path, portal=None,
                  decision: Decision | None = None, kept: "KeptEngine | None" = None,
                  reuse: PdfReuse | None = None) -> list[Finding]:
    """One office's site (pages, posters, report PDFs) built into stage/site; what stopped it, if anything.
    `portal`: the county whose portal the section is built for (its footer, its top bar, its one search index);
    without it, an office is built as a site of its own, even one in a county's folder. `decision`: what is
    withheld on the as-of date. `kept`: the engine's output from earlier builds, taken instead of running the
    engine when it is the same (asof.py); the engine's own output is left in stage/ENGINE for keeping. `reuse`: PDFs
    of an earlier build to take where their input is unchanged, and where this build's are recorded."""
    calendar = WorkCalendar.from_content(content)
    shown = decision.public(content) if decision else content
    engine_input = render_engine_input(shown, calendar, as_of, config, portal,
                                       to_print(content, decision, calendar, as_of) if decision else [])
    leaks = gate.check_output(content, engine_input.docs | {"mkdocs.yml": engine_input.settings})
    if leaks:
        return leaks
    with in_background(website_print_files, engine_input.sheets, engine_input.reports, content.office,
                       as_of, reuse) as printing:
        failures = _engine_site(engine_input, engine, stage, as_of, kept, section=portal is not None)
        if failures:
            return failures
        try:
            print_files, laid_out = printing()
        except PosterError as error:  # named at the file the sheet prints, e.g. the notice with the overlong table
            sheets = engine_input.sheets + list(engine_input.reports.values())
            origin = next((s.origin for s in sheets if s.slug == error.sheet and s.origin), ("", 1))
            return [Finding(*origin, "poster", *str(error).split(" — ", 1))]
    leaks = gate.check_output(content, print_files)
    if leaks:
        return leaks
    write_files(print_files, stage / "site")
    if reuse is not None:
        reuse.made.update(laid_out.made)
    return []


ENGINE = "engine"  # the engine's own output, beside the site made from it


@dataclass
class KeptEngine:
    """The engine's output kept from earlier builds of one office, by the key of what it was made from."""

    salt: bytes  # what else the output is made from: this generator's code, the engines' versions
    earlier: dict[str, Path] = field(default_factory=dict)
    key: str = ""  # set by the build: the key of its own output, "" when it cannot be kept


def _engine_site(engine_input: "EngineInput", engine: str, stage: Path, as_of: dt.date, kept: KeptEngine | None,
                 section: bool) -> list[Finding]:
    """stage/site as of as_of: the engine builds as of asof.FIXED (or output kept from an earlier day is taken) and
    the date is written in; with the as-of date itself where that cannot be told apart (asof.py)."""
    docs = asof.undated(engine_input.docs, engine_input.settings, as_of)
    if docs is not None:
        key = asof.key(kept.salt if kept else b"", engine, docs, engine_input.settings)
        earlier = kept.earlier.get(key) if kept else None
        if earlier is not None:
            shutil.copytree(earlier, stage / ENGINE, copy_function=asof.link)
        else:
            failures = _run_engine(replace(engine_input, docs=docs), engine, stage, asof.FIXED, section)
            if failures:
                return failures
        if asof.dated(stage / ENGINE, stage / "site", as_of):
            if kept:
                kept.key = key
            return []
        shutil.rmtree(stage / ENGINE)
    failures = _run_engine(engine_input, engine, stage, as_of, section)
    if not failures:
        os.rename(stage / ENGINE, stage / "site")
    return failures


def _run_engine(engine_input: "EngineInput", engine: str, stage: Path, day: dt.date, section: bool) -> list[Finding]:
    """The engine's pages, as of day, cleaned and without the files no page loads (drop_unloaded), in stage/ENGINE."""
    for folder in ("docs", THEME_DIR, "site"):
        shutil.rmtree(stage / folder, ignore_errors=True)
    write_engine_input(engine_input, stage)
    failure = run_engine(engine, stage / "mkdocs.yml", day)
    if failure:
        return [failure]
    unsafe = gate.clean_site(stage / "site")
    if unsafe:
        return unsafe
    drop_unloaded(stage / "site", section)
    os.rename(stage / "site", stage / ENGINE)
    return []


@dataclass
class EngineInput:
    """What the site engine builds from, and the printable sheets whose PDFs the site links to."""

    docs: dict[str, bytes]  # the Markdown tree, with empty stand-ins for the PDFs
    settings: bytes  # mkdocs.yml, paths relative to the staging folder
    sheets: list[Sheet]
    reports: dict[str, Sheet]


def render_engine_input(content, calendar: WorkCalendar, as_of: dt.date, config: Path, portal=None,
                        upcoming=()) -> EngineInput:
    """`upcoming`: the dates of the sheets to print ahead (posters.to_print), which the posters page lists."""
    sheets, reports = sheets_for("public", content, calendar, as_of), report_sheets(content, as_of)
    tree = render_site(content, calendar, as_of, sheets, reports, portal, upcoming)
    settings = engine_config(yaml.safe_load(config.read_text(encoding="utf-8")), content.office, tree.nav, "docs", "site",
                             portal)
    # The PDFs are laid out on the other core while the engine runs; empty stand-ins let it check the links to them.
    stand_ins = [f"{POSTER_DIR}/{name}" for name in sheet_file_names(sheets)] + list(reports)
    return EngineInput(tree.files | dict.fromkeys(stand_ins, b""),
                       yaml.safe_dump(settings, allow_unicode=True, sort_keys=False).encode("utf-8"), sheets, reports)


def write_engine_input(engine_input: EngineInput, stage: Path) -> None:
    (stage / "mkdocs.yml").write_bytes(engine_input.settings)
    write_files(engine_input.docs, stage / "docs")
    shutil.copytree(THEME, stage / THEME_DIR)


@contextlib.contextmanager
def in_background(function, *args, method: str | None = None) -> Iterator[Callable[[], Any]]:
    """Run function in another process while the engine (one core) builds; yields a call that waits for its result.

    Fork is quickest where it exists; spawn (Windows, macOS) needs function and args to be picklable. However
    this process ends — a result, an exception, a signal — the other is stopped on the way out; if this one is
    killed outright, the other notices and exits. If the other dies (out of memory, killed), waiting ends with a
    PosterError instead of hanging the build.
    """
    context = multiprocessing.get_context(method or START_METHOD)
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_run_and_send, args=(receiving, sending, function, args), daemon=True)
    process.start()
    sending.close()  # only the child's copy stays open, so its death closes the pipe

    def result():
        try:
            succeeded, value = receiving.recv()
        except EOFError:
            raise PosterError(_("the process laying out the PDFs ended without a result — run the build again; if it"
                                " persists, the machine may be short of memory")) from None
        if not succeeded:
            raise value
        return value

    try:
        yield result
    finally:
        with uninterrupted():
            process.kill()
            process.join()
            receiving.close()


def _run_and_send(receiving, sending, function, args) -> None:
    for signum in ENDING_SIGNALS:  # a forked child inherits the build's handlers; the build alone decides when to stop
        signal.signal(signum, signal.SIG_IGN if signum == signal.SIGINT else signal.SIG_DFL)
    receiving.close()  # a forked child holds the reading end too: with it open, a dead build's pipe never breaks
    die_with_parent()
    try:
        outcome = (True, function(*args))
    except Exception as error:  # sent whole, to be raised where the result is awaited
        outcome = (False, error)
    try:
        sending.send(outcome)
    except (BrokenPipeError, ConnectionResetError):  # the build is gone; nobody waits for the result
        os._exit(1)
    except Exception:  # an exception that cannot be pickled: send its words
        sending.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))


@timings.stage("engine", commands=True)
def run_engine(engine: str, config: Path, as_of: dt.date) -> Finding | None:
    """Build the staged Markdown with the site engine; its own dates come from as_of, not the clock."""
    epoch = int(dt.datetime.combine(as_of, dt.time(), dt.timezone.utc).timestamp())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    result = subprocess.run(engine_command(engine, config), capture_output=True, text=True, env=env, cwd=config.parent,
                            preexec_fn=die_with_parent_command if sys.platform.startswith("linux") else None)
    if result.returncode == 0:
        return None
    if f"[Errno {errno.ENOSPC}]" in result.stderr + result.stdout:  # the disk, not the content: write.disk_full_said
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(config.parent / "site" / "_"))
    detail = (result.stderr or result.stdout).strip().splitlines()
    return Finding("", 1, "engine",
                   _("the site engine ({engine}) failed: {detail}").format(engine=engine,
                                                                          detail=detail[-1] if detail else _("no output")),
                   _("run the build again with the same content; if it persists, report the full log"))


def engine_command(engine: str, config: Path) -> list[str]:
    """The site engine's command line (bench/county.py times the same one alone)."""
    if engine == "mkdocs":
        return [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)]
    return [_zensical(), "build", "--clean", "-f", str(config)]


# What the engine copies into every site and no page loads: mkdocs-material's source maps, and the worker and word
# splitters of its own search, which is off (the site has its own, render/searchindex.py).
UNLOADED = ("assets/javascripts/lunr", "assets/javascripts/workers")


def drop_unloaded(site: Path, section: bool = False) -> None:
    """The engine's files that no page of the site loads; `section`: an office's section of a county's portal, whose
    pages load the portal's stylesheets and scripts (theme main.html), so that its whole assets/ goes."""
    for folder in ["assets"] if section else UNLOADED:
        if (site / folder).is_dir():
            shutil.rmtree(site / folder)
    for path in sorted((site / "assets").rglob("*.map")):
        path.unlink()


def _zensical() -> str | None:
    """Zensical's command: beside this Python (the virtual environment's), else on the PATH; None if not installed."""
    return shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")


def missing_engine(engine: str) -> Finding | None:
    """Zensical is optional (the tests' lock file has it, the runtime's does not): asked for and missing, it is said
    before anything is read or built, instead of an internal error halfway."""
    if engine != "zensical" or _zensical():
        return None
    return Finding("", 1, "engine", _("the site engine Zensical is not installed"),
                   _("install it into the virtual environment (make test installs it from requirements-test.lock), or"
                     " build without --engine zensical"))


def index_search(site: Path) -> Finding | None:
    """The chunked Chinese index (searchindex.py): a query downloads a few small files, not the whole site's text."""
    problem = searchindex.build_index(site)
    if problem is None:
        return None
    return Finding("", 1, "search-index", _("the search index failed: {problem}").format(problem=problem),
                   _("run the build again; if it persists, report the full log"))
