"""The commands that judge and publish a content folder, a county's or a single office's: validate, check, build,
partitions; and an office's printed outputs: posters, the annual report's tables."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from ..checks.check import changed_since, run_checks, stops_a_build
from ..checks.offices_check import check_folder, folder_findings
from ..checks.publication import GUARDS
from ..checks.report import (render_folder_summary, render_github, render_json, render_published_text, render_text,
                             title_of)
from ..checks.validate import load_content
from ..content.county import load_county
from ..findings import WITHHELD, ContentError, errors
from ..i18n import N_, _
from ..publish import gate
from ..publish.build import ENGINES, build as build_site
from ..render.pdfengine import PosterError
from ..render.posters import BOARDS, SIZES, refusal, render_posters, sheets_for
from .group import AS_OF, CONTENT, OFFICE, content_or_exit, main, option, printed_prefix


@main.command(help=N_("Check that every content file is well-formed and every reference resolves."))
@CONTENT
def validate(content_dir: Path) -> None:
    findings = folder_findings(content_dir, None)
    click.echo(render_text(findings, printed_prefix(content_dir)), nl=False)
    sys.exit(1 if errors(findings) else 0)


@main.command(help=N_("Build the public website; on any error the previous site stays as it was."))
@CONTENT
@AS_OF
@option("--out", "out_dir", default="site", type=click.Path(path_type=Path), show_default=True,
        help=N_("Where the website is written."))
@option("--engine", type=click.Choice(ENGINES), default="mkdocs", show_default=True)
@option("--search/--no-search", default=True, show_default=True, help=N_("Build the search index."))
@option("--editor/--no-editor", default=True, show_default=True,
        help=N_("Put the hosted form editor into the site (admin/) when office.yaml, or a county's county.yaml, names"
                " its repository (editor:); it is installed by `make editor`."))
@option("--cache", type=click.Path(path_type=Path),
        help=N_("A county: keep each office's built section here, so that the next build rebuilds only the offices"
                " that changed."))
@option("--partition", "partitions", multiple=True, metavar=N_("OFFICE"),
        help=N_("A county: build only this office's section into the cache, not the site (a job matrix's runner;"
                " the build that merges them is given the same cache). May be given more than once."))
def build(content_dir: Path, as_of: dt.date, out_dir: Path, engine: str, search: bool, editor: bool,
          cache: Path | None, partitions: tuple[str, ...]) -> None:
    from ..tools.editor import DECAP_DIST, content_folder, published_editor_files

    editor = editor and _hosted_editor(content_dir)
    if editor and not DECAP_DIST.exists():
        click.echo(_("the form editor is not installed, so this site has no admin/ — run `make editor` to install it"
                     " (or build with --no-editor)"), err=True)
        editor = False
    if (cache or partitions) and not load_county(content_dir)[0].portal:  # a county of one has a temporary cache
        raise click.BadParameter(_("only a county folder (with county.yaml) is built in partitions"),
                                 param_hint="--cache/--partition")
    if partitions and not cache:
        raise click.BadParameter(_("a partition is built into the cache: give --cache too"), param_hint="--partition")
    findings = build_site(content_dir, out_dir, as_of, engine, search=search,
                          editor=(lambda: published_editor_files(content_dir, content_folder(content_dir), as_of))
                          if editor else None, cache=cache, partitions=list(partitions) or None)
    click.echo(render_text(findings, printed_prefix(content_dir)), nl=False)
    if any(map(stops_a_build, findings)):
        click.echo((_("nothing was written: {out}/ stays as it was — fix the error(s) above and build again")
                    if Path(out_dir).exists() else
                    _("nothing was written, {out}/ was not made — fix the error(s) above and build again"))
                   .format(out=out_dir), err=True)
        sys.exit(1)
    if partitions:
        click.echo(_("sections of {offices} written to {cache}/").format(offices=", ".join(partitions), cache=cache))
        return
    click.echo(_("site written to {out}/ (as of {date})").format(out=out_dir, date=as_of.isoformat()))
    reported = errors(findings)
    # A guard's error withholds its document; any other rule's only reports: each sentence is said only when true.
    if any(f.code in GUARDS for f in reported):
        click.echo(_("the error(s) above ({titles}) did not stop the build: the documents they are in are left out"
                     " of the site until they are fixed").format(titles=_titles(reported, True)), err=True)
    if any(f.code not in GUARDS for f in reported):
        click.echo(_("the error(s) above ({titles}) did not stop the build: they are reported, and"
                     " `gongkai check {content}` fails on them").format(titles=_titles(reported, False),
                                                                       content=content_dir), err=True)
    if any(f.severity == WITHHELD for f in findings):
        click.echo(_("the documents not published are in no output (pages, search, feeds, sitemap, open data, posters);"
                     " their files are kept, and the first build after the fix, or on their day, publishes them"),
                   err=True)


def _hosted_editor(content_dir: Path) -> bool:
    """Whether the published site carries the form editor: only in hosted mode, the repository it saves to named in
    editor: of county.yaml for a county (one editor at the portal's /admin/, for every office) or of office.yaml for a
    single office. Without it the editor is the clerk's local one (make editor), which a public address must not
    offer: a security scan (等保) flags an exposed editing page, and each office's copy was half its site."""
    from ..content.load import load_yaml

    name = load_county(content_dir)[0].own_file
    try:
        settings = load_yaml(content_dir / name, name).data.get("editor")
    except (ContentError, OSError, AttributeError):
        return False  # the build names what is wrong with the file
    if isinstance(settings, dict) and settings.get("backend") == "gitea" \
            and settings.get("branch", "main") in PROTECTED_BRANCHES:
        # Decap's Gitea backend has no editorial workflow: every save would be a commit straight to that branch.
        click.echo(_("the form editor is not published: on Gitea or Forgejo it would commit every save straight to"
                     " '{branch}' — give editor: a branch of its own (branch: wangye-bianji) that reaches main by a"
                     " reviewed pull request, or let clerks use gongkai editor with GONGKAI_FORGE_TOKEN, which opens"
                     " a pull request for every save").format(branch=settings.get("branch", "main")), err=True)
        return False
    return bool(settings)


# The branches a site is published from: the hosted editor never writes to them directly.
PROTECTED_BRANCHES = ("main", "master")


@main.command(help=N_("A county's job matrix: print as JSON which offices each runner builds (gongkai build --partition)"
                      " and the as-of date they all build for."))
@CONTENT
@AS_OF
@option("--runners", type=click.IntRange(1, 256), help=N_("At most this many runners (default: one per office)."))
def partitions(content_dir: Path, as_of: dt.date, runners: int | None) -> None:
    import json

    from ..publish.partitions import runner_groups

    county, findings = load_county(content_dir)
    if not county.portal:
        raise click.BadParameter(_("only a county folder (with county.yaml) is built in partitions"),
                                 param_hint=_("CONTENT_DIR"))
    if errors(findings) or not county.offices:
        click.echo(render_text(findings, printed_prefix(content_dir)), nl=False, err=True)
        sys.exit(1)
    click.echo(json.dumps({"as_of": as_of.isoformat(), "partitions": runner_groups(county, runners)}))


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}


@main.command(help=N_("Run every disclosure rule: completeness, frequency, deadlines, approvals."))
@CONTENT
@AS_OF
@option("--format", "output", type=click.Choice(list(RENDERERS)), default="text", show_default=True,
        help=N_("text for people, json for machines, github for pull-request annotations."))
@option("--strict", is_flag=True, help=N_("Treat warnings as errors."))
@option("--changed-since", "revision", metavar=N_("GIT_REVISION"),
        help=N_("A pull request's check: rule findings only for the content files changed since this revision"
                " and the files that refer to them (schema and reference problems are always all reported)."))
def check(content_dir: Path, as_of: dt.date, output: str, strict: bool, revision: str | None) -> None:
    changed = None
    if revision:
        changed, problem = changed_since(content_dir, revision)
        if changed is None:
            click.echo(_("gongkai: cannot tell what changed since {revision} ({problem}); checking every file")
                       .format(revision=revision, problem=problem), err=True)
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY") if output == "github" else None
    # Without a job summary (text, as Gitea's and Forgejo's logs show it), a pull request's check still says what
    # the change publishes, after the findings.
    published_text = output == "text" and changed is not None
    # The rules judge every file that passed validation; a broken office file is summed up too: its finding is the
    # one to read.
    county, own, offices = check_folder(content_dir, as_of, changed, schedules=bool(summary_path) or published_text)
    findings = sorted(set(own + [f for office in offices for f in office.findings]))
    summary = render_folder_summary(county, own, offices, as_of) if summary_path else None
    published = "".join(render_published_text(office.published, county.office_rel(office.office)) for office in offices)
    click.echo(RENDERERS[output](findings, printed_prefix(content_dir)), nl=False)
    if published_text and published:
        click.echo(published, nl=False)
    if summary_path and summary:
        with open(summary_path, "a", encoding="utf-8") as summary_file:
            summary_file.write(summary)
    # An office in a county reads the county's calendar: a warning there is the 政务公开办's to fix, not the clerk's,
    # and does not fail the office's --strict (the county's own check --strict fails on it).
    county_owned = [f for f in findings if f.file.startswith("../")]
    failed = errors(findings) or (strict and len(findings) > len(county_owned))
    if strict and county_owned and not errors(county_owned):
        click.echo(_("the warning(s) in the county's files ({files}) are for the county's 政务公开办 to fix; they do not"
                     " fail this office's --strict").format(files=", ".join(sorted({f.file for f in county_owned}))),
                   err=True)
    sys.exit(1 if failed else 0)


@main.command(help=N_("Print sheets for a bulletin board: HTML and PDF per sheet, and all.pdf for one print job."))
@OFFICE
@AS_OF
@option("--board", type=click.Choice(BOARDS), default="public", show_default=True,
        help=N_("public: the glass board outside (公开栏); internal: the meeting-room board (对内公开栏)."))
@option("--size", type=click.Choice(SIZES), default="A4", show_default=True)
@option("--out", "out_dir", default="posters", type=click.Path(path_type=Path), show_default=True)
@option("--ahead", type=click.IntRange(0, 60), default=0, show_default=True,
        help=N_("The public board: also the notices that go up within this many days, to print in advance (each sheet"
                " says the day it goes up and comes down)."))
def posters(content_dir: Path, as_of: dt.date, board: str, size: str, out_dir: Path, ahead: int) -> None:
    from ..checks.publication import decide_all
    from ..content.workdays import WorkCalendar
    from ..publish.write import refuse_unsafe_output, staging, swap_in, write_files

    refuse_unsafe_output(out_dir, content_dir)
    content, findings = load_content(content_dir)
    calendar = WorkCalendar.from_content(content)
    findings += gate.check_content(content, as_of, calendar)  # on every file that passed validation
    if errors(findings):
        click.echo(render_text(findings, printed_prefix(content_dir)), nl=False)
        sys.exit(1)
    # The boards show what the site shows: the build's decision, with the documents it withholds named.
    decision = decide_all(content, as_of, calendar, run_checks(content, as_of, calendar, others_only=True))
    findings += decision.findings()
    try:
        files, sheets = render_posters(content, calendar, as_of, board, size, decision, ahead)
    except PosterError as error:  # named at the file the sheet prints, as a build names it
        findings.append(refusal(error, sheets_for(board, content, calendar, as_of, decision, ahead)))
        click.echo(render_text(findings, printed_prefix(content_dir)), nl=False)
        sys.exit(1)
    if board == "public":
        findings += gate.check_output(content, files)
    click.echo(render_text(findings, printed_prefix(content_dir)), nl=False)
    if errors(findings):
        sys.exit(1)
    with staging(out_dir.resolve(), content_dir) as stage:
        write_files(files, stage / "out")
        swap_in(stage / "out", out_dir.resolve())
    click.echo(_("{count} sheet(s) for {board}, {size}, written to {out}/ (all.pdf prints them all)")
               .format(count=len(sheets), board=_(BOARD_NAMES[board]), size=size, out=out_dir))


# The names the sheets print, not the option's values (public, internal) that a clerk types.
BOARD_NAMES = {"public": N_("the public board (政务公开栏)"), "internal": N_("the internal board (对内公开栏)")}


def _titles(findings, guards: bool) -> str:
    """The names of the rules whose errors are reported, each once, for the sentence that says what they mean."""
    return "、".join(dict.fromkeys(title_of(f.code) for f in findings if (f.code in GUARDS) == guards))


@main.command(help=N_("The annual report for a year: every table of the national format, counted from the content."))
@OFFICE
@option("--year", type=int, required=True, help=N_("The year the report covers."))
def report(content_dir: Path, year: int) -> None:
    from ..content.annual_report import consistency
    from ..render.site import render_report_markdown

    content = content_or_exit(content_dir)
    record = content.get("report", str(year))
    if record is None:
        click.echo(_("gongkai: there is no {path} yet — the tables below are counted all the same")
                   .format(path=f"{printed_prefix(content_dir)}reports/{year}.md"), err=True)
        from ..content.types import by_kind

        record = by_kind("report").record("report", str(year), {"year": year, "title": f"{year}年年度报告"},
                                            content.office.doc)
    click.echo(render_report_markdown(content, record), nl=False)
    findings = consistency(content, year)
    if findings:
        click.echo(render_text(findings, printed_prefix(content_dir)), nl=False, err=True)
        sys.exit(1)
