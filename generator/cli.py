"""The `gongkai` command: the only place where findings are printed and exit codes chosen."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .findings import errors
from .report import render_text
from .validate import load_content

CONTENT = click.argument("content_dir", default="content", type=click.Path(path_type=Path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
