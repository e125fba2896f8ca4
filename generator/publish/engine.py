"""The site engine's run: what it builds from (the Markdown tree and mkdocs.yml, staged), the engine itself
(MkDocs, or Zensical), and the process that lays out the PDFs on the other core while it runs."""

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
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from .. import timings
from ..content.county import START_METHOD, die_with_parent, die_with_parent_command
from ..content.workdays import WorkCalendar
from ..findings import Finding
from ..i18n import _
from ..render.pdfengine import PosterError
from ..render.posters import Sheet, report_sheets, sheet_file_names, sheets_for
from ..render.site import POSTER_DIR, THEME, THEME_DIR, engine_config, render_site
from .write import ENDING_SIGNALS, temporary_folder, uninterrupted, write_files

ENGINES = ("mkdocs", "zensical")


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
    # Its temporary files (WeasyPrint's copy of the print face, about 7 MB a process) go in a folder removed here:
    # the process is killed once it has answered, before anything of its own could remove them (and a later build
    # removes the folder of a build killed outright).
    with temporary_folder(SCRATCH) as scratch:
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=_run_and_send, args=(receiving, sending, str(scratch), function, args),
                                  daemon=True)
        process.start()
        sending.close()  # only the child's copy stays open, so its death closes the pipe
        try:
            yield lambda: _result(receiving)
        finally:
            with uninterrupted():
                process.kill()
                process.join()
                receiving.close()


SCRATCH = "gongkai-pdfs-"


def _result(receiving):
    """What the process sent, raised if it was an exception."""
    try:
        succeeded, value = receiving.recv()
    except EOFError:
        raise PosterError(_("the process laying out the PDFs ended without a result — run the build again; if it"
                            " persists, the machine may be short of memory")) from None
    if not succeeded:
        raise value
    return value


def _run_and_send(receiving, sending, scratch: str, function, args) -> None:
    tempfile.tempdir = scratch
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
def run_engine(engine: str, config: Path, as_of: dt.date, pages: Path | None = None) -> Finding | None:
    """Build the staged Markdown with the site engine; its own dates come from as_of, not the clock. `pages`: a
    JSON list of the only pages to write, the others being kept from an earlier build (MkDocs only: some_pages.py)."""
    epoch = int(dt.datetime.combine(as_of, dt.time(), dt.timezone.utc).timestamp())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    result = subprocess.run(engine_command(engine, config, pages), capture_output=True, text=True, env=env, cwd=config.parent,
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


def engine_command(engine: str, config: Path, pages: Path | None = None) -> list[str]:
    """The site engine's command line (bench/county.py times the same one alone)."""
    if pages is not None:
        return [sys.executable, "-m", "generator.publish.some_pages", "-f", str(config), str(pages)]
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
