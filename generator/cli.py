"""The `gongkai` command: the only place where findings are printed and exit codes chosen."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import click

from .build import ENGINES, build as build_site
from .findings import errors
from .check import catalog_schedules, run_checks
from .report import render_github, render_json, render_summary, render_text
from .validate import load_content

CONTENT = click.argument("content_dir", default="content", type=click.Path(path_type=Path))


class _Group(click.Group):
    """Bad content is reported as findings; anything else is a bug, said in one line, not a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was changed", err=True)
            sys.exit(130)
        except Exception as error:  # noqa: BLE001 - the CLI edge is where every failure becomes a message
            if os.environ.get("GONGKAI_DEBUG"):
                raise
            click.echo(f"gongkai: internal error: {type(error).__name__}: {error} — "
                       "nothing was written; rerun with GONGKAI_DEBUG=1 and report the output", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gongkai")
def main() -> None:
    """Gongkai: publish an office's open-government information from content/."""


def _prefix(content_dir: Path) -> str:
    """Findings name files inside the content folder; print them as paths the user can open."""
    return "" if str(content_dir) in ("", ".") else f"{content_dir.as_posix().rstrip('/')}/"


@main.command()
@CONTENT
def validate(content_dir: Path) -> None:
    """Check that every content file is well-formed and every reference resolves."""
    _, findings = load_content(content_dir)
    click.echo(render_text(findings, _prefix(content_dir)), nl=False)
    sys.exit(1 if errors(findings) else 0)


def _as_of(_ctx, _param, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write it as YYYY-MM-DD") from None


AS_OF = click.option("--as-of", callback=_as_of, metavar="YYYY-MM-DD",
                     help="Judge and show dates as on this day (default: today).")


@main.command()
@CONTENT
@AS_OF
@click.option("--out", "out_dir", default="site", type=click.Path(path_type=Path), show_default=True,
              help="Where the website is written.")
@click.option("--engine", type=click.Choice(ENGINES), default="mkdocs", show_default=True)
def build(content_dir: Path, as_of: dt.date, out_dir: Path, engine: str) -> None:
    """Build the public website; on any error the previous site stays as it was."""
    findings = build_site(content_dir, out_dir, as_of, engine)
    click.echo(render_text(findings), nl=False)
    if errors(findings):
        sys.exit(1)
    click.echo(f"site written to {out_dir}/ (as of {as_of.isoformat()})")


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}


@main.command()
@CONTENT
@AS_OF
@click.option("--format", "output", type=click.Choice(list(RENDERERS)), default="text", show_default=True,
              help="text for people, json for machines, github for pull-request annotations.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(content_dir: Path, as_of: dt.date, output: str, strict: bool) -> None:
    """Run every disclosure rule: completeness, frequency, deadlines, approvals."""
    content, findings = load_content(content_dir)
    if not errors(findings):
        findings = sorted(set(findings + run_checks(content, as_of)))
    click.echo(RENDERERS[output](findings, _prefix(content_dir)), nl=False)
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if output == "github" and summary_path and content.office:
        with open(summary_path, "a", encoding="utf-8") as summary:
            summary.write(render_summary(findings, catalog_schedules(content, as_of), as_of))
    failed = errors(findings) or (strict and findings)
    sys.exit(1 if failed else 0)


@main.command()
@CONTENT
@AS_OF
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1 for the preview.")
def serve(content_dir: Path, as_of: dt.date, port: int) -> None:
    """Preview the website; it rebuilds whenever a file under the content folder changes."""
    from .build import PROJECT_ROOT
    from .serve import AS_OF_ENV, CONTENT_ENV, write_preview_config

    config, findings = write_preview_config(content_dir, Path("build"), PROJECT_ROOT / "mkdocs.yml", as_of)
    if config is None:
        click.echo(render_text(findings, _prefix(content_dir)), nl=False)
        sys.exit(1)
    env = {**os.environ, CONTENT_ENV: str(content_dir.resolve()), AS_OF_ENV: as_of.isoformat()}
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}",
               "-w", str(content_dir), "--no-livereload" if os.environ.get("CI") else "--livereload"]
    sys.exit(subprocess.call(command, env=env))


@main.command()
@CONTENT
@AS_OF
@click.option("--board", type=click.Choice(["public", "internal"]), default="public", show_default=True,
              help="public: the glass board outside (公开栏); internal: the meeting-room board (对内公开栏).")
@click.option("--size", type=click.Choice(["A4", "A3"]), default="A4", show_default=True)
@click.option("--out", "out_dir", default="posters", type=click.Path(path_type=Path), show_default=True)
def posters(content_dir: Path, as_of: dt.date, board: str, size: str, out_dir: Path) -> None:
    """Print sheets for a bulletin board: HTML and PDF per sheet, and all.pdf for one print job."""
    from .posters import PosterError, render_posters
    from .workdays import WorkCalendar
    from .write import staging, swap_in, write_files

    content, findings = load_content(content_dir)
    if errors(findings):
        click.echo(render_text(findings, _prefix(content_dir)), nl=False)
        sys.exit(1)
    try:
        files, sheets = render_posters(content, WorkCalendar.from_content(content), as_of, board, size)
    except PosterError as error:
        click.echo(f"gongkai: {error}", err=True)
        sys.exit(1)
    with staging(out_dir.resolve()) as stage:
        write_files(files, stage / "out")
        swap_in(stage / "out", out_dir.resolve())
    click.echo(f"{len(sheets)} sheet(s) for the {board} board, {size}, written to {out_dir}/ (all.pdf prints them all)")
