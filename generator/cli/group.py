"""The `gongkai` group: Click in the reader's language (help, headings, placeholders, its own errors), the one
place where an unexpected failure becomes a line instead of a traceback, and the arguments and options the commands
share."""

from __future__ import annotations

import contextvars
import copy
import datetime as dt
import inspect
import os
import signal
import sys
import unicodedata
from pathlib import Path

import click

from .. import __version__
from ..checks.report import render_text
from ..checks.validate import load_content
from ..content.county import office_example
from ..content.records import FIRST_YEAR, LAST_YEAR, in_date_range
from ..content.workdays import beijing_today
from ..findings import errors
from ..i18n import DEFAULT, ENV, LOCALES, N_, _, choose, translate_click
from ..publish.write import ENDING_SIGNALS, DiskFull, OutputRefused


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


def printed_prefix(content_dir: Path) -> str:
    """Findings name files inside the content folder; print them as paths the user can open."""
    return "" if str(content_dir) in ("", ".") else f"{content_dir.as_posix().rstrip('/')}/"


def parse_day(ctx, _param, value: str | None) -> dt.date:
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


AS_OF = option("--as-of", callback=parse_day, metavar="YYYY-MM-DD",
               help=N_("Judge and show dates as on this day (default: today in Beijing)."))


def content_or_exit(content_dir: Path):
    content, findings = load_content(content_dir)
    if errors(findings):
        click.echo(render_text(findings, printed_prefix(content_dir)), nl=False)
        click.echo(_("fix these first: a new file is numbered from the existing ones"), err=True)
        sys.exit(1)
    return content
