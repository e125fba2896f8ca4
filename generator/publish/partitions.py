"""Every office's section a partition of its own, built apart and cached.

An office's section is built on its own (section.build_section) into a cache
folder named by a key over everything it is made from: its files, the
county file and calendars, the as-of date, the engine and this generator's
own code. A change to one office therefore rebuilds that office and the
portal's pages it shows on (build.py keeps the portal's as an office's);
the others are taken from the cache (kept between CI runs).
The office rebuilt starts from its entry of before: the engine's output is
taken whole when nothing but the date changed in what it is made from
(asof.py), else the engine writes only the pages whose Markdown changed over
it (section._base); a PDF whose input is unchanged, and a page's search data
whose bytes are, are taken from it too.
Offices build in parallel, one per core. For a county beyond one machine,
each runner of a job matrix builds some partitions into its cache folder
(`gongkai build --partition ID --cache DIR`), and the merge job, given all
of them, finds every partition built and only adds the portal and merges
the search index from each partition's index data. However it ran, the
same content and as-of date give the same bytes: a partition is the same
whichever process built it, and the merge orders everything by office and
page. A county of one (a single office) has one partition, built into a
temporary cache, whose section is the whole site.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import shutil
import tempfile
from dataclasses import asdict, replace
from pathlib import Path
from typing import Callable, Iterator

from .. import timings
from ..checks.check import stops_a_build
from ..content.county import START_METHOD, County, map_offices
from ..findings import Finding
from ..render import searchindex, supervision
from ..render.portal import OFFICE_FILTER, office_summary
from ..render.pdfengine import PosterError, load_engine
from ..render.posters import PdfReuse, refusal
from .cache import (BUILDING, PDF_INPUTS, Partition, cached, code_fingerprint, earlier_entries, entry_folder, install,
                    note, previous_pdfs, seal)
from .engine import in_background
from .section import KeptEngine, build_section, judge
from .write import write_files


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
                     jobs: int | None) -> list[Partition]:
    """Each office's partition, from the cache or built, in parallel on the machine's cores; in office order.

    Every office is gated (read and checked) before any office's engine starts: a refusal is decided on every
    office's findings, the same on every run, never on whichever offices happened to finish first. Once one office
    is refused, none is built, and each stands with its findings alone."""
    # Without its record: a worker started by spawn is sent its arguments, and each office reads the county file itself.
    arguments = [(replace(county, record=None), office, as_of, engine, config, cache_dir) for office in offices]
    gated = map_offices(cached_partition, arguments, jobs)
    building = [index for index, partition in enumerate(gated) if not partition.built]
    # One office to build (a notice changed) is judged here and built from that judgement; several are judged in
    # parallel, and again in their builds (their content is not sent between processes), cheap next to the engine.
    alone = judge(county.office_dir(offices[building[0]]), as_of) if len(building) == 1 else None
    judged = [Partition(offices[building[0]], alone[1])] if alone else map_offices(
        judged_partition, [arguments[index][:3] for index in building], jobs)
    for index, partition in zip(building, judged):
        # the note of a damaged cache entry (discarded, so the build does not meet it again) stays
        gated[index] = replace(partition, findings=sorted(set(partition.findings + gated[index].findings)))
    if any(map(_refused, gated)):
        return gated
    if alone:
        built = [build_partition(*arguments[building[0]], alone)]
    else:
        built = map_offices(build_partition, [arguments[index] for index in building], jobs)
    for index, partition in zip(building, built):
        gated[index] = replace(partition, findings=sorted(set(partition.findings + gated[index].findings)))
    return gated


def _refused(partition: Partition) -> bool:
    return any(map(stops_a_build, partition.findings))


@timings.stage("cache")
def cached_partition(county: County, office: str, as_of: dt.date, engine: str, config: Path,
                     cache_dir: Path) -> Partition:
    """The office's partition from the cache (a refused office is never cached), else one not built, with the note
    of a damaged entry if there was one."""
    folder = entry_folder(cache_dir, county, office, as_of, engine, config)
    partition, problem = cached(folder, county, office)
    return partition or Partition(office, [] if problem is None else [note(folder, problem)])


def judged_partition(county: County, office: str, as_of: dt.date) -> Partition:
    """The office's findings alone, as `check` reports them."""
    return Partition(office, judge(county.office_dir(office), as_of)[1])


@timings.stage("cache")
def build_partition(county: County, office: str, as_of: dt.date, engine: str, config: Path,
                    cache_dir: Path, judged: tuple | None = None) -> Partition:
    """One office's section, unless the cache holds it already, whole and sealed; a failed office is not cached.
    `judged`: what judge gave for the office in this process, if it was judged already.

    The cache is input, not trusted state: an entry that is not exactly what this build would have written
    (another office or key, a link, a file added, changed or missing, half-written JSON) is discarded and built
    again, with a note."""
    folder = entry_folder(cache_dir, county, office, as_of, engine, config)
    partition, problem = cached(folder, county, office)
    if partition is not None:
        return partition
    notes = [] if problem is None else [note(folder, problem)]
    content, findings, decision = judged or judge(county.office_dir(office), as_of)
    if any(map(stops_a_build, findings)):
        return Partition(office, findings + notes)
    findings = findings + decision.findings()
    summary = office_summary(content, as_of, office, decision) if county.portal else {}
    work = Path(tempfile.mkdtemp(prefix=BUILDING, dir=folder.parent))
    earlier = earlier_entries(folder, county, office)
    reuse = PdfReuse(previous_pdfs(earlier))
    if START_METHOD == "fork":  # once in this worker, which forks the PDF processes of every office it builds
        load_engine()
    # The supervisor's 考核表 are laid out here, so that a cached office is not laid out again, and while the
    # section builds: a change to one office waits for its engine, not for its sheets after it.
    # The engine's output of an earlier entry is taken again if nothing it is made from changed but the date
    # (asof.py), else written over where only some pages' Markdown changed (section._base).
    kept = KeptEngine(code_fingerprint(), {partition.engine_key: (entry, files)
                                           for entry, partition, files in earlier if partition.engine_key})
    try:
        with _supervision_sheets(county, content, summary, as_of, reuse) as kaohe:
            failures = build_section(content, as_of, engine, config, work, content.county if county.portal else None,
                                     decision, kept, reuse)
            if failures:
                return Partition(office, findings + failures + notes)
            try:
                sheets, leaks, laid_out = kaohe()
            except PosterError as error:
                return Partition(office, findings + notes + [refusal(error, [])])
        if leaks:
            return Partition(office, findings + leaks + notes)
        write_files({f"{supervision.SHEET_FOLDER}/{file}": data for file, data in sheets.items()}, work)
        (work / PDF_INPUTS).write_text(json.dumps(reuse.made | laid_out.made, sort_keys=True), encoding="utf-8")
        pages = _search_pages(county, office, content.office.get("short_name"), work / "site", earlier)
        partition = Partition(office, findings, summary, pages, searchindex.postings(pages), True, folder.name,
                              kept.key)
        seal(work, partition)
        install(work, folder, county, office)
        return replace(partition, findings=findings + notes)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def _supervision_sheets(county: County, content, summary: dict, as_of: dt.date,
                        reuse: PdfReuse) -> Iterator[Callable[[], tuple]]:
    """The office's 考核表 for the portal's supervision pages, laid out on the other core (supervision.office_sheets);
    a county of one has none."""
    if not county.portal:
        yield lambda: ({}, [], PdfReuse())
        return
    with in_background(supervision.office_sheets, content, summary, as_of, reuse) as kaohe:
        yield kaohe


@timings.stage("search")
def _search_pages(county: County, office: str, name: str | None, site: Path,
                  earlier: list[tuple[Path, Partition, dict[str, str]]]) -> list[searchindex.Page]:
    """The section's pages as the search index reads them, at their addresses in the site, in Page.order. In a
    county's portal a result names its office: two offices' 机构职能 pages must be told apart in the county's search.
    A page whose bytes are those of an earlier entry's page at its address is that entry's, not read again."""
    section = county.section_url(office) if county.portal else ""
    known = _known_pages(earlier, section, name if county.portal else None)
    pages = []
    for url, raw in searchindex.site_pages(site):
        page = known.get((url, hashlib.sha256(raw).hexdigest()))
        if page is None:
            page = searchindex.read_page(raw, url)
            if page is not None and county.portal:
                page = searchindex.Page(**{**asdict(page), "url": f"{section}{page.url}",
                                           "kind": " · ".join(filter(None, (name, page.kind))),
                                           "filters": sorted(set(page.filters) | {(OFFICE_FILTER, name)})})
        if page is not None:
            pages.append(page)
    return sorted(pages, key=lambda page: page.order)


def _known_pages(earlier: list[tuple[Path, Partition, dict[str, str]]], section: str,
                 name: str | None) -> dict[tuple[str, str], searchindex.Page]:
    """The earlier entries' pages, by their address in the section and the SHA-256 of the file they were read from;
    only of entries whose office had the same name, which their results show."""
    known = {}
    for _entry, partition, files in earlier:
        if partition.summary.get("short_name") == name:
            for page in partition.pages:
                url = page.url.removeprefix(section)
                digest = files.get(f"site/{searchindex.file_of(url)}")
                if digest:
                    known[url, digest] = page
    return known
