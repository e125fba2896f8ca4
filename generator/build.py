"""The whole build as one short function whose lines are the stages.

Everything is read and checked before anything is written; the engine then
builds the generated Markdown in a staging folder, and only a complete
result replaces the previous site.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from . import leakscan, searchindex
from .check import run_checks
from .findings import Finding, errors
from .posters import PosterError, render_posters, render_report_pdfs
from .site import POSTER_DIR, THEME, THEME_DIR, engine_config, render_site
from .validate import load_content
from .workdays import WorkCalendar
from .write import staging, swap_in, write_files

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("mkdocs", "zensical")


def build(content_dir: Path, out_dir: Path, as_of: dt.date, engine: str = "mkdocs",
          config: Path = PROJECT_ROOT / "mkdocs.yml", search: bool = True) -> list[Finding]:
    content, findings = load_content(content_dir)
    if errors(findings):
        return findings
    calendar = WorkCalendar.from_content(content)
    findings += run_checks(content, as_of, calendar, blocking_only=True)
    if errors(findings):
        return findings
    try:
        poster_files, sheets = render_posters(content, calendar, as_of, "public", "A4")
        report_files = render_report_pdfs(content, as_of)
    except PosterError as error:
        return findings + [Finding("content", 1, "poster", *str(error).split(" — ", 1))]
    tree = render_site(content, calendar, as_of, sheets, report_files)
    for name, data in poster_files.items():
        tree.files[f"{POSTER_DIR}/{name}"] = data
    tree.files.update(report_files)
    with staging(Path(out_dir).resolve()) as stage:
        write_files(tree.files, stage / "docs")
        shutil.copytree(THEME, stage / THEME_DIR)
        base = yaml.safe_load(config.read_text(encoding="utf-8"))
        settings = engine_config(base, content.office, tree.nav, "docs", "site")  # relative to the staged config
        (stage / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
        failure = run_engine(engine, stage / "mkdocs.yml", as_of) or (search and index_search(stage / "site"))
        if failure:
            return findings + [failure]
        leaks = leakscan.scan(content, stage / "site")
        if leaks:
            return findings + leaks
        swap_in(stage / "site", Path(out_dir).resolve())
    return findings


def run_engine(engine: str, config: Path, as_of: dt.date) -> Finding | None:
    """Build the staged Markdown with the site engine; its own dates come from as_of, not the clock."""
    epoch = int(dt.datetime.combine(as_of, dt.time(), dt.timezone.utc).timestamp())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    if engine == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)]
    else:
        command = [shutil.which("zensical", path=str(Path(sys.executable).parent)) or "zensical",
                   "build", "--clean", "-f", str(config)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=config.parent)
    if result.returncode == 0:
        return None
    detail = (result.stderr or result.stdout).strip().splitlines()
    return Finding("mkdocs.yml", 1, "engine", f"the site engine ({engine}) failed: {detail[-1] if detail else 'no output'}",
                   "run the build again with the same content; if it persists, report the full log")



def index_search(site: Path) -> Finding | None:
    """Pagefind's chunked index: a query downloads a few small files, not the whole site's text."""
    problem = searchindex.build_index(site)
    if problem is None:
        return None
    return Finding("mkdocs.yml", 1, "search-index", f"the search index failed: {problem}",
                   "run the build again; if it persists, report the full log")
