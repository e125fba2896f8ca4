"""One office's section: its content judged (what may be built, what is withheld), then its pages, posters and
report PDFs built into a staging folder, every output through the safety gate."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .. import timings
from ..checks import publication
from ..checks.check import run_checks, stops_a_build
from ..checks.publication import Decision
from ..checks.validate import Content, load_content
from ..content.workdays import WorkCalendar
from ..findings import Finding
from ..render.pdfengine import PosterError
from ..render.posters import PdfReuse, refusal, to_print, website_print_files
from ..render.site import THEME_DIR
from . import asof, gate
from .engine import EngineInput, drop_unloaded, in_background, render_engine_input, run_engine, write_engine_input
from .write import write_files


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
                  decision: Decision | None = None, kept: KeptEngine | None = None,
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
        failures = engine_site(engine_input, engine, stage, as_of, kept, section=portal is not None)
        if failures:
            return failures
        try:
            print_files, laid_out = printing()
        except PosterError as error:
            return [refusal(error, engine_input.sheets + list(engine_input.reports.values()))]
    leaks = gate.check_output(content, print_files)
    if leaks:
        return leaks
    write_files(print_files, stage / "site")
    if reuse is not None:
        reuse.made.update(laid_out.made)
    return []


ENGINE = "engine"  # the engine's own output, beside the site made from it
KEPT = (ENGINE, "docs", "mkdocs.yml")  # what is kept of an engine's run: its output, and the input _base compares


@dataclass
class KeptEngine:
    """The engine's output kept from earlier builds of one office, by the key of what it was made from."""

    salt: bytes  # what else the output is made from: this generator's code, the engines' versions
    earlier: dict[str, tuple[Path, dict[str, str]]] = field(default_factory=dict)  # key → its entry, the entry's files
    key: str = ""  # set by the build: the key of its own output, "" when it cannot be kept


def engine_site(engine_input: EngineInput, engine: str, stage: Path, as_of: dt.date, kept: KeptEngine | None,
                 section: bool) -> list[Finding]:
    """stage/site as of as_of: the engine builds as of asof.FIXED (or output kept from an earlier day is taken, or
    only the pages whose Markdown changed are written over it) and the date is written in; with the as-of date itself
    where that cannot be told apart (asof.py)."""
    docs = asof.undated(engine_input.docs, engine_input.settings, as_of)
    if docs is not None:
        key = asof.key(kept.salt if kept else b"", engine, docs, engine_input.settings)
        earlier = kept.earlier.get(key) if kept else None
        if earlier is not None:
            _take(earlier[0], engine_input.settings, stage)
        else:
            undated_input = replace(engine_input, docs=docs)
            base = _base(kept, engine, docs, engine_input.settings)
            failures = _run_engine(undated_input, engine, stage, asof.FIXED, section, base)
            if failures and base is not None:  # the whole section decides: pages alone must never fail where it would not
                failures = _run_engine(undated_input, engine, stage, asof.FIXED, section)
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


def _take(entry: Path, settings: bytes, stage: Path) -> None:
    """The engine's output of an earlier entry, with the input it was made from (for a later build's _base)."""
    for folder in (ENGINE, "docs"):
        if (entry / folder).is_dir():
            shutil.copytree(entry / folder, stage / folder, copy_function=asof.link)
    (stage / "mkdocs.yml").write_bytes(settings)


def _base(kept: KeptEngine | None, engine: str, docs: dict[str, bytes], settings: bytes) -> tuple[Path, list[str]] | None:
    """The earlier output to write only the changed pages over (some_pages.py), and those pages: MkDocs's, made by
    this code from the same settings and from files this input keeps, changes or adds to, none removed (a removed
    page's output would stay); the one needing the fewest pages written, and only where that is under half of them."""
    if engine != "mkdocs" or kept is None:
        return None
    digests = {rel: hashlib.sha256(data).digest() for rel, data in docs.items()}
    best = None
    for key, (entry, files) in sorted(kept.earlier.items()):
        before = {rel.removeprefix("docs/"): bytes.fromhex(digest) for rel, digest in files.items()
                  if rel.startswith("docs/")}
        if files.get("mkdocs.yml") != hashlib.sha256(settings).hexdigest() or not before.keys() <= digests.keys() \
                or asof.key_of_digests(kept.salt, engine, before, settings) != key:
            continue
        changed = sorted(rel for rel, digest in digests.items() if before.get(rel) != digest)
        if (best is None or len(changed) < len(best[1])) and _titles_kept(entry / "docs", docs, changed, settings):
            best = (entry, changed)
    return best if best is not None and len(best[1]) * 2 < len(docs) else None


def _titles_kept(earlier: Path, docs: dict[str, bytes], changed: list[str], settings: bytes) -> bool:
    """Whether every page of the navigation whose Markdown changed kept its title: every page shows the navigation
    (its titles), and a page not written again would show the old one. Titles are the pages' own (render/pages.py
    writes each into its front matter); a page without one is taken for changed."""
    listed = _nav_pages(yaml.safe_load(settings).get("nav") or [])
    for rel in set(changed) & listed:
        before = earlier / rel
        old = _title(before.read_bytes()) if before.is_file() else None
        if old is None or old != _title(docs[rel]):
            return False
    return True


def _nav_pages(nav) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else []
    return set().union(*map(_nav_pages, items))


def _title(markdown: bytes) -> str | None:
    """The title in a page's front matter (one line of JSON, as render/pages.py writes it), else None."""
    lines = markdown.split(b"\n", 2)
    if len(lines) < 3 or lines[0] != b"---" or not lines[1].startswith(b"{"):
        return None
    try:
        title = json.loads(lines[1]).get("title")
    except ValueError:
        return None
    return title if isinstance(title, str) else None


def _run_engine(engine_input: EngineInput, engine: str, stage: Path, day: dt.date, section: bool,
                base: tuple[Path, list[str]] | None = None) -> list[Finding]:
    """The engine's pages, as of day, cleaned and without the files no page loads (drop_unloaded), in stage/ENGINE;
    `base`: an earlier entry whose output is kept but for the pages named, which alone are written (_base)."""
    for folder in ("docs", THEME_DIR, "site", ENGINE):
        shutil.rmtree(stage / folder, ignore_errors=True)
    write_engine_input(engine_input, stage)
    pages = None
    if base is not None:
        pages = stage / _PAGES
        pages.write_text(json.dumps(base[1], ensure_ascii=False), encoding="utf-8")
    try:
        failure = run_engine(engine, stage / "mkdocs.yml", day, pages)
    finally:
        if pages is not None:
            pages.unlink()
    if failure:
        return [failure]
    unsafe = gate.clean_site(stage / "site")
    if unsafe:
        return unsafe
    drop_unloaded(stage / "site", section)
    if base is None:
        os.rename(stage / "site", stage / ENGINE)
    else:
        _write_over(base[0] / ENGINE, stage / "site", stage / ENGINE)
    return []


_PAGES = "pages.json"  # the pages some_pages.py writes, for the length of its run


def _write_over(kept: Path, written: Path, output: Path) -> None:
    """output: the kept output (hard links: it is never written to) with every file of written in place of its own."""
    shutil.copytree(kept, output, copy_function=asof.link)
    for path in sorted(p for p in written.rglob("*") if p.is_file()):
        target = output / path.relative_to(written)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        os.rename(path, target)
    shutil.rmtree(written)
