"""The commands that write into the repository: a new notice, service guide, regulation or register entry (new),
CODEOWNERS, and a single office moved into a county (county add-office)."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

import click

from ..checks.report import render_text
from ..checks.validate import load_content
from ..content.county import load_county
from ..content.types import REGISTERS, allowed_values
from ..findings import ContentError, errors
from ..i18n import N_, _
from ..publish.write import write_files
from .group import AS_OF, CONTENT, OFFICE, argument, content_or_exit, main, option, parse_day, printed_prefix


@main.group(help=N_("Start a new notice, service guide, regulation or register entry, complete and valid."))
def new() -> None:
    pass


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
    from ..tools.scaffold import ScaffoldError

    try:
        return make()
    except ScaffoldError as error:
        click.echo(f"gongkai: {error}", err=True)
        sys.exit(1)


@new.command("notice", help=N_("A notice with its period already computed on the official calendar."))
@OFFICE
@option("--title", prompt=N_("Title"), help=N_("The notice's title."))
@option("--type", "notice_type", type=click.Choice(allowed_values("notice", "type")), prompt=N_("Type"), help=N_("The kind of notice."))
@option("--first-day", prompt=N_("First day of the notice period (YYYY-MM-DD)"), callback=parse_day, help=N_("First day of the notice period."))
@option("--id", "record_id", help=N_("File name and address; made from the type and year if not given."))
@option("--catalog", help=N_("Catalog item id; taken from notices of the same type if not given."))
@AS_OF
def new_notice(content_dir, title, notice_type, first_day, record_id, catalog, as_of):
    from ..tools.scaffold import new_notice as make
    from ..content.workdays import WorkCalendar

    content = content_or_exit(content_dir)
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
        from ..tools import scaffold

        content = content_or_exit(content_dir)
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
    from ..tools.scaffold import new_register_entry as make, register_columns

    content = content_or_exit(content_dir)
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


def _offices_or_exit(content_dir: Path):
    """The folder as a county and every office's content, or every problem that stands in the way, and exit."""
    county, findings = load_county(content_dir)
    contents = {}
    for office in county.offices:
        contents[office], office_findings = load_content(county.office_dir(office))
        findings += county.named(office_findings, office)
    if (county.portal and county.record is None) or errors(findings):
        click.echo(render_text(sorted(set(findings)), printed_prefix(content_dir)), nl=False)
        click.echo(_("fix these first: who reviews what is read from these files"), err=True)
        sys.exit(1)
    return county, contents


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
    from ..tools.codeowners import folder_codeowners
    from ..content.load import read_text

    text = folder_codeowners(*_offices_or_exit(content_dir), content_dir.as_posix().strip("/") or "content", format_)
    if out_file is not None:
        write_files({out_file.name: text.encode("utf-8")}, out_file.parent)
        click.echo(_("{file} written").format(file=out_file.as_posix()))
        return
    if check_file is None:
        click.echo(text, nl=False)
        return
    # as it was run (.venv/bin/gongkai in the README's set-up, gongkai where pip put it on the PATH)
    program = sys.argv[0] if Path(sys.argv[0]).name == "gongkai" else "gongkai"
    command = f"{program} codeowners {content_dir.as_posix()}{'' if format_ == 'github' else ' --format ' + format_}" \
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
    from ..tools.county_add import AddRefused, add_office

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
        click.echo(render_text(findings, printed_prefix(target)), nl=False)
    click.echo(_("next: gongkai validate {county} and gongkai check {county}, then commit the move")
               .format(county=county_dir.as_posix()))
