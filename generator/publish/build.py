"""The whole build as one short function whose lines are the stages, for any content folder loaded as a county
(a single office is a county of one).

Everything is read and checked before anything is written: each office's
section is built apart (partitions.py), and only when none is refused is the
site put together in a staging folder — a county's portal with each section
under its office's id, or a county of one's section as the whole site — and
only a complete result replaces the previous site.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Callable, Iterator

from .. import timings
from ..checks.check import stops_a_build
from ..content.county import OFFICES, START_METHOD, County, WorkerDied, load_county
from ..findings import Finding
from ..i18n import _
from ..render import searchindex, supervision
from ..render.pdfengine import PosterError
from ..render.portal import render_portal, sitemap_files
from ..render.site import ENGINE_SETTINGS
from . import gate
from .cache import (PORTAL, Partition, code_fingerprint, forget_portal_outputs, keep_portal, portal_outputs, prune,
                    reading)
from .engine import ENGINES, EngineInput, in_background, missing_engine
from .partitions import build_partitions
from .section import KEPT, KeptEngine, engine_site
from .write import (cache_folder, disk_full_said, ending_signals_interrupt, refuse_unsafe_cache, refuse_unsafe_output,
                    staging, swap_in, write_files, write_new_files)

__all__ = ["ENGINES", "build"]
# The hosted form editor's files (admin/…), made by the caller (the CLI, from the tools stage) from the whole content:
# the editor alone sees what is withheld, since a new file is numbered after every one.
Editor = Callable[[], dict[str, bytes]]


@timings.stage("merge")
def build(content_dir: Path, out_dir: Path, as_of: dt.date, engine: str = "mkdocs",
          config: Path = ENGINE_SETTINGS, search: bool = True, editor: Editor | None = None,
          cache: Path | None = None, partitions: list[str] | None = None, jobs: int | None = None) -> list[Finding]:
    """The site into out_dir; with `partitions`, only those offices' sections into the cache. `editor`: makes the
    hosted form editor's files, which the site then carries once, at its root's admin/ (a county's at the portal's,
    for every office)."""
    if partitions is None:  # a partition's build writes its cache entry alone, no site
        refuse_unsafe_output(Path(out_dir), content_dir)  # before the work, not after it
    with disk_full_said(Path(out_dir), Path(content_dir)):
        missing = missing_engine(engine)
        if missing:
            return [missing]
        county, findings = load_county(content_dir)
        unknown = sorted(set(partitions or ()) - set(county.offices))
        findings += [Finding(OFFICES, 1, "office-folder",
                             _("there is no office '{office}' in this county").format(office=office),
                             _("use one of: {values}").format(values=", ".join(county.offices))) for office in unknown]
        if (county.portal and county.record is None) or unknown:
            return sorted(set(findings))
        if cache is not None:
            refuse_unsafe_cache(Path(cache), county.root, Path(out_dir))
        offices = partitions or county.offices
        portal = [PORTAL] if county.portal and partitions is None else []
        with ending_signals_interrupt(), cache_folder(cache) as cache_dir:
            used: dict[str, str] = {}  # the cache's entries this build used, by office (and PORTAL): prune keeps them
            with reading(cache_dir, county, offices + portal) as notes:
                findings = _build(county, findings + notes, offices, partitions is not None, as_of, engine, config,
                                  search, editor, cache_dir, Path(out_dir), jobs, used)
            prune(cache_dir, used)
        return findings


def _build(county: County, findings: list[Finding], offices: list[str], only_partitions: bool, as_of: dt.date,
           engine: str, config: Path, search: bool, editor: Editor | None, cache_dir: Path, out_dir: Path,
           jobs: int | None, used: dict[str, str]) -> list[Finding]:
    """The offices' partitions, then (unless only they were asked for) the site around them swapped into out_dir;
    the findings. `used`: where the cache's entries the build used are recorded."""
    try:
        built = build_partitions(county, offices, as_of, engine, config, cache_dir, jobs)
    except WorkerDied as died:
        return sorted(set(findings)) + [died.finding()]
    used.update({partition.office: partition.key for partition in built if partition.built})
    for partition in built:
        findings += county.named(partition.findings, partition.office)
    findings = sorted(set(findings))
    if only_partitions or any(map(stops_a_build, findings)):
        return findings
    with staging(out_dir.resolve(), county.root) as stage:
        failures = _assemble(county, built, as_of, engine, config, search, cache_dir, stage / "site", used)
        if failures:
            return findings + failures
        if editor is not None:  # one for the site, at its root: a county's at the portal's /admin/, never one per office
            write_files(editor(), stage / "site")
        swap_in(stage / "site", out_dir.resolve())
    return findings


def _assemble(county: County, built: list[Partition], as_of: dt.date, engine: str, config: Path, search: bool,
              cache_dir: Path, site: Path, used: dict[str, str]) -> list[Finding]:
    """The site in `site`: a county's portal with each office's section under its id, or a county of one's section
    as the whole site, and the search index over all of it, merged from each part's index data."""
    runs = []
    if county.portal:
        failures = _build_portal(county, built, as_of, engine, config, site.parent, cache_dir, used)
        if failures:
            return failures
        portal_pages = searchindex.read_site(site) if search else []
        runs = [(portal_pages, searchindex.postings(portal_pages))]
    with _indexing(runs + [(p.pages, p.postings) for p in built] if search else None, site) as indexed:
        for partition in built:
            folder = cache_dir / partition.office / partition.key
            _place(folder / "site", site / county.section_url(partition.office))
            supervision.place_sheets(folder, partition.office, site)
        if county.portal:
            write_files(sitemap_files(county, [p.office for p in built], (site / "sitemap.xml").read_bytes()), site)
        return indexed()


@contextlib.contextmanager
def _indexing(runs: list[tuple[list[searchindex.Page], searchindex.Postings]] | None,
              site: Path) -> Iterator[Callable[[], list[Finding]]]:
    """The search index of `runs` (None: no search) written into site/gk-search while the sections are placed: the
    merge and the placing each grow with the county, so where the build forks, the merge takes the other core."""
    if runs is None:
        yield lambda: []
    elif START_METHOD != "fork":  # spawning would send every office's index data to the other process
        yield lambda: _index_search(runs, site)
    else:
        with in_background(_index_search, runs, site) as indexed:
            def result() -> list[Finding]:
                try:
                    return indexed()
                except PosterError:  # the process died (memory): what in_background says of a dead PDF process
                    return [_index_failure(_("its process ended without a result"))]
            yield result


@timings.stage("render")
def _build_portal(county: County, partitions: list[Partition], as_of: dt.date, engine: str, config: Path,
                  stage: Path, cache_dir: Path, used: dict[str, str]) -> list[Finding]:
    """The county's own pages (home, 政府信息公开, 部门, search) built by the engine into stage/site, or taken from
    the cache as an office's are (section.engine_site): most builds change no page of the portal; an office whose
    folder meets a name the portal wrote is refused (a new portal page reserves its name by itself)."""
    docs, settings = render_portal(county, [p.summary for p in partitions], as_of, config)
    kept = KeptEngine(code_fingerprint(), portal_outputs(cache_dir))
    failures = _portal_site(docs, settings, engine, stage, as_of, kept, partitions)
    if failures and kept.earlier:  # not laid at a planted output's door: built anew, and what was kept forgotten
        forget_portal_outputs(cache_dir)
        kept = KeptEngine(kept.salt)
        failures = _portal_site(docs, settings, engine, stage, as_of, kept, partitions)
    if failures:
        return failures
    if kept.key:
        keep_portal(cache_dir, stage, kept.key, KEPT)
        used[PORTAL] = kept.key
    return []


def _portal_site(docs: dict[str, bytes], settings: bytes, engine: str, stage: Path, as_of: dt.date, kept: KeptEngine,
                 partitions: list[Partition]) -> list[Finding]:
    failures = engine_site(EngineInput(docs, settings, [], {}), engine, stage, as_of, kept, section=False)
    return failures or [
        Finding(f"{OFFICES}/{p.office}", 1, "office-folder",
                _("'{name}' cannot name an office's folder: it becomes the office's web address").format(name=p.office),
                _("the portal has a page of this name; rename the office's folder"))
        for p in partitions if (stage / "site" / p.office).exists()]


def _place(partition_site: Path, target: Path) -> None:
    """A cached section into the site being assembled: hard links where the file system allows (the site is
    swapped in whole and never edited in place, so cache and site may share files), copies elsewhere."""
    try:
        shutil.copytree(partition_site, target, copy_function=os.link)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(partition_site, target)


@timings.stage("search")
def _index_search(runs: list[tuple[list[searchindex.Page], searchindex.Postings]], site: Path) -> list[Finding]:
    """The chunked Chinese index (searchindex.py): a query downloads a few small files, not the whole site's text.
    Each file is written as the merge makes it; a full disk, raised by the writing, is said apart."""
    try:
        write_new_files(_made(searchindex.merged_index_files(runs)), site / searchindex.FOLDER)
    except _IndexFailed as failed:
        return [_index_failure(failed.__cause__)]
    return []


class _IndexFailed(Exception):
    """The merge, not the writing of what it made, failed."""


def _made(files: Iterator[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
    try:
        yield from files
    except (OSError, ValueError, UnicodeDecodeError) as problem:
        raise _IndexFailed() from problem


def _index_failure(problem) -> Finding:
    return Finding("", 1, "search-index", _("the search index failed: {problem}").format(problem=problem),
                   _("run the build again; if it persists, report the full log"))
