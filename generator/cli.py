"""The `gongkai` command: the only place where findings are printed and exit codes chosen."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from .build import ENGINES, build as build_site
from .findings import errors
from .report import render_text
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


@main.command()
@CONTENT
def validate(content_dir: Path) -> None:
    """Check that every content file is well-formed and every reference resolves."""
    _, findings = load_content(content_dir)
    click.echo(render_text(findings), nl=False)
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
