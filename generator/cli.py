"""The `gongkai` command: the only place where findings are printed and exit codes chosen."""

from __future__ import annotations

import codecs
import contextvars
import copy
import datetime as dt
import inspect
import os
import signal
import subprocess
import sys
import unicodedata
from pathlib import Path

import click

from . import __version__
from .checks.check import catalog_schedules, changed_since, run_checks, stops_a_build
from .checks.county_check import check_county, county_findings
from .content.county import COUNTY_FILE, OFFICES, in_office, is_county, load_county, office_example
from .content.records import FIRST_YEAR, LAST_YEAR, in_date_range
from .findings import WITHHELD, ContentError, errors
from .i18n import DEFAULT, ENV, LOCALES, N_, _, choose, language, translate_click
from .publish import gate
from .publish.build import ENGINES, build as build_site
from .render.posters import BOARDS, SIZES, PosterError, render_posters
from .checks.report import (published_rows, render_county_summary, render_github, render_json, render_published_text,
                     render_summary, render_text, summary_rows)
from .checks.validate import load_content
from .content.types import REGISTERS, allowed_values
from .content.workdays import beijing_today
from .publish.write import ENDING_SIGNALS, DiskFull, OutputRefused, write_files

translate_click()


def _display_width(text: str) -> int:
    """The columns a text takes in a terminal: two for a Chinese character, which Click counts as one, so that the
    help's second column would not line up after a Chinese placeholder."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in click.unstyle(text))


click.formatting.term_len = _display_width  # Click's formatter measures its columns with this


class _Formatter(click.HelpFormatter):
    """Click's headings in the reader's language, written by Click's formatter without a lookup."""

    HEADINGS = (N_("Options"), N_("Commands"))

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def section(self, name: str):
        return super().section(_(name))


class _Context(click.Context):
    formatter_class = _Formatter


# The words Click puts in a usage line and an option's placeholder (from the value's type), as msgids.
USAGE_PIECES = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))
TYPE_METAVARS = (N_("TEXT"), N_("INTEGER"), N_("PATH"), N_("INTEGER RANGE"))


class _Command(click.Command):
    """Help texts are msgids, translated when the help is shown, after --lang has been read."""

    context_class = _Context

    def collect_usage_pieces(self, ctx):
        return [_(piece) if piece in USAGE_PIECES else piece for piece in super().collect_usage_pieces(ctx)]

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def format_help_text(self, ctx, formatter):
        translated = copy.copy(self)
        translated.help = _(inspect.cleandoc(self.help)) if self.help else self.help
        super(_Command, translated).format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        translated = copy.copy(self)
        translated.help = _(inspect.cleandoc(self.help)) if self.help else self.help
        return super(_Command, translated).get_short_help_str(limit)


class _Argument(click.Argument):
    """An argument's placeholder in the usage line is a msgid (its metavar); an optional one in brackets."""

    def make_metavar(self, ctx) -> str:
        name = _(self.metavar or self.name.upper())
        return name if self.required else f"[{name}]"


def argument(name: str, metavar: str, **attrs):
    return click.argument(name, cls=_Argument, metavar=metavar, **attrs)


CONTENT = argument("content_dir", N_("CONTENT_DIR"), default="content", type=click.Path(path_type=Path))


class _Option(click.Option):
    """An option's help, prompt and placeholder (its metavar, or its type's name) are msgids too."""

    def make_metavar(self, ctx) -> str:
        return _(super().make_metavar(ctx))

    def get_help_record(self, ctx):
        translated = copy.copy(self)
        translated.help = _(self.help) if self.help else self.help
        return super(_Option, translated).get_help_record(ctx)

    def prompt_for_value(self, ctx):
        translated = copy.copy(self)
        translated.prompt = _(self.prompt)
        return super(_Option, translated).prompt_for_value(ctx)


def option(*names, **attrs):
    return click.option(*names, cls=_Option, **attrs)


class _Group(_Command, click.Group):
    """Bad content is reported as findings; anything else is a bug, said in one line, not a traceback."""

    command_class = _Command
    group_class = type

    def main(self, *args, **kwargs):
        # The chosen language holds until Click has said its last word: it shows its errors after the command's
        # context has closed. A context of our own keeps the choice from outliving the run (tests run many).
        return contextvars.copy_context().run(super().main, *args, **kwargs)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt as interrupt:
            for signum in ENDING_SIGNALS:  # a second Ctrl-C or TERM must not cut the exit short
                signal.signal(signum, signal.SIG_IGN)
            click.echo(_("interrupted; nothing was changed"), err=True)
            sys.exit(128 + getattr(interrupt, "signum", signal.SIGINT))
        except DiskFull as error:
            click.echo(f"gongkai: {error}", err=True)
            sys.exit(1)
        except OutputRefused as error:
            raise click.BadParameter(str(error), param_hint=f"'{error.option}'") from None
        except Exception as error:  # noqa: BLE001 - the CLI edge is where every failure becomes a message
            if os.environ.get("GONGKAI_DEBUG"):
                raise
            click.echo(_("gongkai: internal error: {error} — nothing was written; rerun with GONGKAI_DEBUG=1 and "
                         "report the output").format(error=f"{type(error).__name__}: {error}"), err=True)
            sys.exit(2)


def _choose_language(_ctx, _param, value: str) -> None:
    choose(value)  # for this run only: _Group.main runs in a context of its own


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Gongkai: publish an office's open-government information from its content folder."))
@click.version_option(__version__, cls=_Option, help=N_("Show the version and exit."))
@option("--lang", type=click.Choice(sorted(LOCALES)), default=DEFAULT, envvar=ENV, show_default=True, is_eager=True,
        expose_value=False, callback=_choose_language,
        help=N_("Language of the messages: zh for Chinese, en for English (or set GONGKAI_LANG)."))
def main() -> None:
    pass


def _one_office(_ctx, _param, content_dir: Path) -> Path:
    """A command about one office's files, given a county's folder, says which folder to give instead (before it
    asks for anything)."""
    example = office_example(content_dir)
    if example:
        click.echo(_("gongkai: {folder} is not one office's folder, and this command works on one office — give an"
                     " office folder, e.g. {example}").format(folder=content_dir.as_posix(), example=example), err=True)
        sys.exit(1)
    return content_dir


OFFICE = argument("content_dir", N_("CONTENT_DIR"), default="content", type=click.Path(path_type=Path), callback=_one_office)


def _prefix(content_dir: Path) -> str:
    """Findings name files inside the content folder; print them as paths the user can open."""
    return "" if str(content_dir) in ("", ".") else f"{content_dir.as_posix().rstrip('/')}/"


@main.command(help=N_("Check that every content file is well-formed and every reference resolves."))
@CONTENT
def validate(content_dir: Path) -> None:
    findings = county_findings(content_dir, None) if is_county(content_dir) else load_content(content_dir)[1]
    click.echo(render_text(findings, _prefix(content_dir)), nl=False)
    sys.exit(1 if errors(findings) else 0)


def _as_of(ctx, _param, value: str | None) -> dt.date:
    if value is None:
        # The moment is the machine's clock unless a caller passed one as the context object (the tests do).
        return beijing_today(ctx.find_object(dt.datetime))
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("'{value}' is not a date; write it as YYYY-MM-DD").format(value=value)) from None
    if not in_date_range(day):
        raise click.BadParameter(_("'{value}' is outside the years {first} to {last}").format(
            value=value, first=FIRST_YEAR, last=LAST_YEAR))
    return day


AS_OF = option("--as-of", callback=_as_of, metavar="YYYY-MM-DD",
               help=N_("Judge and show dates as on this day (default: today in Beijing)."))


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
    from .tools.editor import DECAP_DIST, content_folder, published_editor_files

    editor = editor and _hosted_editor(content_dir)
    if editor and not DECAP_DIST.exists():
        click.echo(_("the form editor is not installed, so this site has no admin/ — run `make editor` to install it"
                     " (or build with --no-editor)"), err=True)
        editor = False
    county = {"cache": cache, "partitions": list(partitions) or None} if is_county(content_dir) else {}
    if (cache or partitions) and not county:
        raise click.BadParameter(_("only a county folder (with county.yaml) is built in partitions"),
                                 param_hint="--cache/--partition")
    if partitions and not cache:
        raise click.BadParameter(_("a partition is built into the cache: give --cache too"), param_hint="--partition")
    findings = build_site(content_dir, out_dir, as_of, engine, search=search,
                          editor=(lambda: published_editor_files(content_dir, content_folder(content_dir), as_of))
                          if editor else None, **county)
    click.echo(render_text(findings, _prefix(content_dir)), nl=False)
    if any(map(stops_a_build, findings)):
        click.echo(_("nothing was written: {out}/ stays as it was — fix the error(s) above and build again")
                   .format(out=out_dir), err=True)
        sys.exit(1)
    if partitions:
        click.echo(_("sections of {offices} written to {cache}/").format(offices=", ".join(partitions), cache=cache))
        return
    click.echo(_("site written to {out}/ (as of {date})").format(out=out_dir, date=as_of.isoformat()))
    if errors(findings):
        click.echo(_("the error(s) above did not stop the build: they concern completeness and deadlines, which"
                     " `gongkai check {content}` fails on").format(content=content_dir), err=True)
    if any(f.severity == WITHHELD for f in findings):
        click.echo(_("the documents not published are in no output (pages, search, feeds, sitemap, open data, posters);"
                     " their files are kept, and the first build after the fix, or on their day, publishes them"),
                   err=True)


def _hosted_editor(content_dir: Path) -> bool:
    """Whether the published site carries the form editor: only in hosted mode, the repository it saves to named in
    editor: of county.yaml for a county (one editor at the portal's /admin/, for every office) or of office.yaml for a
    single office. Without it the editor is the clerk's local one (make editor), which a public address must not
    offer: a security scan (等保) flags an exposed editing page, and each office's copy was half its site."""
    from .content.load import load_yaml

    name = COUNTY_FILE if is_county(content_dir) else "office.yaml"
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

    from .publish.county_build import runner_groups

    if not is_county(content_dir):
        raise click.BadParameter(_("only a county folder (with county.yaml) is built in partitions"),
                                 param_hint=_("CONTENT_DIR"))
    county, findings = load_county(content_dir)
    if errors(findings) or not county.offices:
        click.echo(render_text(findings, _prefix(content_dir)), nl=False, err=True)
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
    summary, published = None, ""
    if is_county(content_dir):
        county, offices = check_county(content_dir, as_of, changed, schedules=bool(summary_path) or published_text)
        findings = sorted(set(county + [f for office in offices for f in office.findings]))
        summary = render_county_summary(county, offices, as_of) if summary_path else None
        published = "".join(render_published_text(office.published, f"{OFFICES}/{office.office}") for office in offices)
    else:
        content, findings = load_content(content_dir)  # the rules judge every file that passed validation
        findings = sorted(set(findings + run_checks(content, as_of, changed=changed)))
        if summary_path:  # a broken office file is summed up too: its finding is the one to read
            rows = summary_rows(catalog_schedules(content, as_of)) if content.office else []
            summary = render_summary(findings, rows, as_of, published_rows(content, changed, as_of))
        if published_text:
            published = render_published_text(published_rows(content, changed, as_of))
    click.echo(RENDERERS[output](findings, _prefix(content_dir)), nl=False)
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


@main.command(help=N_("Preview the website; it rebuilds whenever a file under the content folder changes."))
@OFFICE
@AS_OF
@option("--port", default=8000, show_default=True, help=N_("Port on 127.0.0.1 for the preview."))
def serve(content_dir: Path, as_of: dt.date, port: int) -> None:
    from .tools.editor_server import EditorServerError, check_port_free
    from .tools.serve import AS_OF_ENV, CONTENT_ENV, write_preview_config
    from .render.site import ENGINE_SETTINGS

    try:
        check_port_free(port)
    except EditorServerError as error:
        click.echo(f"gongkai: {error}", err=True)
        sys.exit(1)
    config, findings = write_preview_config(content_dir, Path("build"), ENGINE_SETTINGS, as_of)
    if config is None:
        click.echo(render_text(findings, _prefix(content_dir)), nl=False)
        sys.exit(1)
    # NO_MKDOCS_2_WARNING: the theme's English notice about its own future, which asks nothing of a clerk.
    env = {**os.environ, CONTENT_ENV: str(content_dir.resolve()), AS_OF_ENV: as_of.isoformat(), ENV: language(),
           "NO_MKDOCS_2_WARNING": "1"}
    # --dirty: after a change the engine rebuilds only the pages whose Markdown the hook rewrote (sync_files
    # touches nothing else), so one edited notice does not rebuild ten thousand pages. The price: a new page's
    # entry in the navigation shows on unchanged pages only after a restart; the published build is always whole.
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(config), "-a", f"127.0.0.1:{port}",
               "-w", str(content_dir)]
    # The server is a child, not an os.execve: on Windows execve splits a path with a space into two arguments.
    # Stopping gongkai stops it too: Ctrl-C reaches both (one console), and a TERM is passed on.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    server = subprocess.Popen(command, env=env)
    try:
        sys.exit(server.wait())
    except KeyboardInterrupt:
        sys.exit(server.wait())
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait()


def _editor_config(content_dir: Path, as_of: dt.date) -> dict:
    from .tools.editor import content_folder, editor_config

    content, findings = load_content(content_dir)
    if errors(findings):
        click.echo(render_text(findings, _prefix(content_dir)), nl=False)
        click.echo(_("fix these first: a new file is numbered from the existing ones"), err=True)
        sys.exit(1)
    return editor_config(content, content_folder(content_dir), as_of)


def _editor_forge(content_dir: Path):
    """Hosted on Gitea/Forgejo (editor: backend gitea, in county.yaml or a single office's office.yaml) with the
    clerk's token in GONGKAI_FORGE_TOKEN: saves go to the forge as pull requests (editor_forge.py); otherwise into the
    clone."""
    from .tools.editor import hosted_settings
    from .tools.editor_forge import TOKEN_ENV, Forge

    settings = hosted_settings(load_content(content_dir)[0])
    if settings.get("backend") != "gitea" or not settings.get("base_url") or not settings.get("repo"):
        return None
    if not os.environ.get(TOKEN_ENV):
        click.echo(_("gongkai: saves go into this clone; to make each save a pull request on {host}, set {env} to a "
                     "token of yours with write access to {repo}").format(host=settings["base_url"], env=TOKEN_ENV,
                                                                         repo=settings["repo"]), err=True)
        return None
    return Forge(settings["base_url"], settings["repo"], os.environ[TOKEN_ENV])


@main.command("editor-config", help=N_("Print the form editor's configuration, written from the schemas and the content."))
@OFFICE
@AS_OF
def editor_config_command(content_dir: Path, as_of: dt.date) -> None:
    import yaml

    click.echo(yaml.safe_dump(_editor_config(content_dir, as_of), allow_unicode=True, sort_keys=False), nl=False)


@main.command(help=N_("Open the form editor on this computer: what you save is written into the content folder,"
                      " to be committed and sent as a pull request as usual."))
@OFFICE
@AS_OF
@option("--port", default=8000, show_default=True, help=N_("Port on 127.0.0.1: open http://127.0.0.1:PORT/admin/."))
@option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False),
        help=N_("Serve the admin/ of this built site (gongkai build's output) instead of making one from the content."))
def editor(content_dir: Path, as_of: dt.date, port: int, site_dir: Path | None) -> None:
    import tempfile

    from .tools.editor import bundle_files, editor_page, repository_root
    from .tools.editor_server import EditorServerError, Files, check_port_free, editor_server, require_decap
    from .publish.write import write_files

    try:  # before anything is made: a clerk hears what to do, not a traceback
        check_port_free(port)
        require_decap()
    except EditorServerError as error:
        click.echo(f"gongkai: {error}", err=True)
        sys.exit(1)
    page = None
    with tempfile.TemporaryDirectory(prefix="gongkai-editor-") as scratch:
        if site_dir is None:
            site_dir = Path(scratch)
            write_files(bundle_files(), site_dir)
            page = lambda: editor_page(content_dir, as_of)  # noqa: E731
        elif not (site_dir / "admin" / "index.html").exists():
            click.echo(_("gongkai: {site} has no form editor (admin/) — build it with `make site`, or leave out --site")
                       .format(site=site_dir), err=True)
            sys.exit(1)
        # closing the window or `kill` stops the editor as Ctrl-C does
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        forge = _editor_forge(content_dir)
        try:
            server = editor_server(site_dir, Files(repository_root(content_dir), content_dir, forge), port, page)
            click.echo(_("the form editor is at http://127.0.0.1:{port}/admin/ — press Ctrl-C to stop it")
                       .format(port=server.server_address[1]))
            if forge is not None:
                click.echo(_("each save becomes a branch and a pull request on {host}, for the section's reviewers")
                           .format(host=forge.api.removesuffix("/api/v1")))
            server.serve_forever()
        except EditorServerError as error:
            click.echo(f"gongkai: {error}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo(_("the form editor has stopped; what you saved is in the content folder"))


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
    from .checks.publication import decide_all
    from .content.workdays import WorkCalendar
    from .publish.write import refuse_unsafe_output, staging, swap_in, write_files

    refuse_unsafe_output(out_dir, content_dir)
    content, findings = load_content(content_dir)
    calendar = WorkCalendar.from_content(content)
    findings += gate.check_content(content, as_of, calendar)  # on every file that passed validation
    if errors(findings):
        click.echo(render_text(findings, _prefix(content_dir)), nl=False)
        sys.exit(1)
    # The boards show what the site shows: the build's decision, with the documents it withholds named.
    decision = decide_all(content, as_of, calendar, run_checks(content, as_of, calendar, others_only=True))
    findings += decision.findings()
    try:
        files, sheets = render_posters(content, calendar, as_of, board, size, decision, ahead)
    except PosterError as error:
        click.echo(f"gongkai: {error}", err=True)
        sys.exit(1)
    if board == "public":
        findings += gate.check_output(content, files)
    click.echo(render_text(findings, _prefix(content_dir)), nl=False)
    if errors(findings):
        sys.exit(1)
    with staging(out_dir.resolve(), content_dir) as stage:
        write_files(files, stage / "out")
        swap_in(stage / "out", out_dir.resolve())
    click.echo(_("{count} sheet(s) for the {board} board, {size}, written to {out}/ (all.pdf prints them all)")
               .format(count=len(sheets), board=board, size=size, out=out_dir))


@main.group(help=N_("Start a new notice, service guide, regulation or register entry, complete and valid."))
def new() -> None:
    pass


def _content_or_exit(content_dir: Path):
    content, findings = load_content(content_dir)
    if errors(findings):
        click.echo(render_text(findings, _prefix(content_dir)), nl=False)
        click.echo(_("fix these first: a new file is numbered from the existing ones"), err=True)
        sys.exit(1)
    return content


def _county_or_exit(content_dir: Path) -> tuple[str, dict]:
    """The 政务公开办's reviewers and every office's content, or every problem that stands in the way, and exit."""
    county, findings = load_county(content_dir)
    contents = {}
    for office in county.offices:
        contents[office], office_findings = load_content(county.office_dir(office))
        findings += in_office(office_findings, office)
    if county.record is None or errors(findings):
        click.echo(render_text(sorted(set(findings)), _prefix(content_dir)), nl=False)
        click.echo(_("fix these first: who reviews what is read from these files"), err=True)
        sys.exit(1)
    return " ".join((county.record.get("supervisor") or {}).get("reviewers", [])), contents


def _write_new(content_dir: Path, made, overwrite: bool = False) -> None:
    path = content_dir / made.rel
    if path.exists() and not overwrite:
        click.echo(_("gongkai: {path} already exists — choose another id").format(path=path), err=True)
        sys.exit(1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(made.text, encoding="utf-8")
    click.echo(_("wrote {path}").format(path=path))
    for number, step in enumerate(made.next_steps, 1):
        click.echo(f"  {number}. {step}")


def _scaffold(make):
    from .tools.scaffold import ScaffoldError

    try:
        return make()
    except ScaffoldError as error:
        click.echo(f"gongkai: {error}", err=True)
        sys.exit(1)


@new.command("notice", help=N_("A notice with its period already computed on the official calendar."))
@OFFICE
@option("--title", prompt=N_("Title"), help=N_("The notice's title."))
@option("--type", "notice_type", type=click.Choice(allowed_values("notice", "type")), prompt=N_("Type"), help=N_("The kind of notice."))
@option("--first-day", prompt=N_("First day of the notice period (YYYY-MM-DD)"), callback=_as_of, help=N_("First day of the notice period."))
@option("--id", "record_id", help=N_("File name and address; made from the type and year if not given."))
@option("--catalog", help=N_("Catalog item id; taken from notices of the same type if not given."))
@AS_OF
def new_notice(content_dir, title, notice_type, first_day, record_id, catalog, as_of):
    from .tools.scaffold import new_notice as make
    from .content.workdays import WorkCalendar

    content = _content_or_exit(content_dir)
    made = _scaffold(lambda: make(content, WorkCalendar.from_content(content), title, notice_type, first_day, as_of,
                                  catalog, record_id))
    _write_new(content_dir, made)


def _titled_command(kind: str, make_name: str, title_prompt: str, id_prompt: str, summary: str) -> None:
    """`gongkai new service` and `gongkai new regulation` take the same few facts."""

    @new.command(kind, help=summary)
    @OFFICE
    @option("--title", prompt=title_prompt)
    @option("--id", "record_id", prompt=id_prompt)
    @option("--catalog")
    @AS_OF
    def command(content_dir, title, record_id, catalog, as_of):
        from .tools import scaffold

        content = _content_or_exit(content_dir)
        make = getattr(scaffold, make_name)
        _write_new(content_dir, _scaffold(lambda: make(content, title, record_id, as_of, catalog)))


_titled_command("service", "new_service", N_("Name of the service"), N_("Id (lower-case pinyin, e.g. rfgc-chaichu)"),
                N_("A service guide with every required part laid out to fill in."))
_titled_command("regulation", "new_regulation", N_("Name of the regulation"), N_("Id (lower-case pinyin)"),
                N_("A regulation page with its metadata block."))


@new.command("register-entry", help=N_("One more row in a register: complaints (the default), 依申请公开 requests, reviews"
                                       " and suits, inspections or decisions; what is not given is asked for."))
@OFFICE
@option("--register", "register", type=click.Choice(list(REGISTERS)), default="complaints", show_default=True,
        help=N_("Which register."))
@option("--set", "settings", multiple=True, metavar=N_("FIELD=VALUE"),
        help=N_("A column's value, e.g. `--set applicant=自然人`; repeat for each column."))
@option("--received", help=N_("Date received (YYYY-MM-DD)"))
@option("--channel", help=N_("Channel"))
@option("--category", help=N_("Category"))
@option("--summary", help=N_("What it was about (no personal information)"))
@option("--result", help=N_("Result"))
def new_register_entry(content_dir, register, settings, received, channel, category, summary, result):
    from .tools.scaffold import new_register_entry as make, register_columns

    content = _content_or_exit(content_dir)
    kind = REGISTERS[register]
    given = {"received": received, "channel": channel, "category": category, "summary": summary, "result": result}
    values = {name: value for name, value in given.items() if value is not None}
    for setting in settings:
        name, sep, value = setting.partition("=")
        if not sep:
            click.echo(_("gongkai: --set takes FIELD=VALUE, not {setting}").format(setting=setting), err=True)
            sys.exit(1)
        values[name.strip()] = value.strip()
    for field in register_columns(kind):  # the required columns not given, asked for by their Chinese titles
        constraints = field.get("constraints", {})
        if constraints.get("required") and not values.get(field["name"]):
            choice = click.Choice(constraints["enum"]) if constraints.get("enum") else None
            values[field["name"]] = click.prompt(field.get("title", field["name"]), type=choice)
    _write_new(content_dir, _scaffold(lambda: make(content, kind, values, content_dir)), overwrite=True)


@main.command(help=N_("CODEOWNERS from the sections' reviewers, so each change is reviewed by its section (in a county,"
                      " each office's folder by its own sections and the rest by the 政务公开办)."))
@CONTENT
@option("--check", "check_file", type=click.Path(path_type=Path),
        help=N_("Compare with this file instead of printing; exit 1 if it is out of date."))
@option("--out", "out_file", type=click.Path(path_type=Path),
        help=N_("Write it into this file, as UTF-8 (PowerShell's > would write UTF-16, cmd's > GBK)."))
@option("--format", "format_", type=click.Choice(["github", "gitea"]), default="github", show_default=True,
        help=N_("github: .github/CODEOWNERS; gitea: .gitea/CODEOWNERS for Gitea and Forgejo."))
def codeowners(content_dir: Path, check_file: Path | None, out_file: Path | None, format_: str) -> None:
    from .tools.codeowners import render_codeowners, render_county_codeowners
    from .content.load import read_text

    folder = content_dir.as_posix().strip("/") or "content"
    if is_county(content_dir):
        text = render_county_codeowners(*_county_or_exit(content_dir), folder, format_)
    else:
        text = render_codeowners(_content_or_exit(content_dir), folder, format_)
    if out_file is not None:
        write_files({out_file.name: text.encode("utf-8")}, out_file.parent)
        click.echo(_("{file} written").format(file=out_file.as_posix()))
        return
    if check_file is None:
        click.echo(text, nl=False)
        return
    command = f"gongkai codeowners {content_dir.as_posix()}{'' if format_ == 'github' else ' --format ' + format_}" \
              f" --out {check_file.as_posix()}"
    try:
        current = read_text(check_file) if check_file.exists() else ""
    except ContentError as error:  # UTF-16 from PowerShell's >, GBK from cmd's >: neither forge reads it
        click.echo(f"{check_file.as_posix()}:{error.line}: {error.message} — " +
                   _("write it again: {command}").format(command=command), err=True)
        sys.exit(1)
    # GitHub and Gitea read CODEOWNERS as UTF-8 without a BOM: to them a BOM is a character of the first line
    if current != text or (check_file.exists() and check_file.read_bytes().startswith(codecs.BOM_UTF8)):
        click.echo(_("{file} is out of date — run: {command}").format(file=check_file.as_posix(), command=command),
                   err=True)
        sys.exit(1)
    click.echo(_("{file} is current").format(file=check_file))


@main.command(help=N_("The annual report for a year: every table of the national format, counted from the content."))
@OFFICE
@option("--year", type=int, required=True, help=N_("The year the report covers."))
def report(content_dir: Path, year: int) -> None:
    from .content.annual_report import consistency
    from .render.site import render_report_markdown

    content = _content_or_exit(content_dir)
    record = content.get("report", str(year))
    if record is None:
        click.echo(_("gongkai: there is no {path} yet — the tables below are counted all the same")
                   .format(path=f"{_prefix(content_dir)}reports/{year}.md"), err=True)
        from .content.types import by_kind

        record = by_kind("report").record("report", str(year), {"year": year, "title": f"{year}年年度报告"},
                                            content.office.doc)
    click.echo(render_report_markdown(content, record), nl=False)
    findings = consistency(content, year)
    if findings:
        click.echo(render_text(findings, _prefix(content_dir)), nl=False, err=True)
        sys.exit(1)


@main.group(help=N_("A county's offices (county.yaml, offices/<id>/): move a single office in."))
def county() -> None:
    pass


@county.command("add-office", help=N_("Move a single office's content folder into the county as offices/ID/ (by git mv"
                                      " when both are in one git repository); the county then gives it its address."))
@argument("office_dir", N_("OFFICE_DIR"), type=click.Path(path_type=Path))
@argument("county_dir", N_("COUNTY_DIR"), type=click.Path(path_type=Path))
@option("--id", "office_id", metavar=N_("ID"),
        help=N_("The office's folder name and web address in the county, e.g. rfb (default: the folder's name)."))
def add_office_command(office_dir: Path, county_dir: Path, office_id: str | None) -> None:
    from .tools.county_add import AddRefused, add_office

    try:
        target, done = add_office(office_dir, county_dir, office_id)
    except AddRefused as error:
        click.echo(f"gongkai: {error}", err=True)
        sys.exit(1)
    for line in done:
        click.echo(line)
    findings = [f for f in load_content(target)[1] if f.code == "county-office"]
    if findings:
        click.echo(_("delete these lines, which the county now holds for every office:"))
        click.echo(render_text(findings, _prefix(target)), nl=False)
    click.echo(_("next: gongkai validate {county} and gongkai check {county}, then commit the move")
               .format(county=county_dir.as_posix()))
