"""`gongkai new`: a complete, valid file from the few facts a clerk knows.

Index numbers, ids and the end of a notice period are worked out here, on
the official calendar, so the clerk only fills in the text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..checks.check import rule_params
from ..checks.rules.approvals import required_bodies
from ..checks.rules.major_decision_parts import PART_HEADINGS
from ..checks.validate import Content
from ..content.county import county_root_of
from ..content.load import read_text
from ..content.schedule import Period, notice_period
from ..content.types import by_kind
from ..content.types.notice import HEARING, MAJOR_DECISION, Notice
from ..content.workdays import WorkCalendar
from ..i18n import _

TEMPLATES = Path(__file__).resolve().parent / "templates" / "new"
TYPE_SLUGS = {"重大事项公示": "zhongda", "听证公告": "tingzheng", "人事公示": "renshi", "党务公开": "dangwu", "通知公告": "tongzhi"}


class ScaffoldError(Exception):
    """The file cannot be made from what was given; the message says what to give."""


@dataclass
class NewFile:
    rel: str
    text: str
    next_steps: list[str]


def _env() -> Environment:
    # Autoescaped like every environment (a stray value is at worst &amp;, never markup); the values a file needs
    # as they are go through `yaml`, which writes each as one YAML value.
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["yaml"] = _yaml_scalar
    return env


def _yaml_scalar(text: str) -> Markup:
    """A text as one YAML value whatever it holds (': ', a leading # or [): plain when that reads back the same."""
    plain = yaml.safe_dump(text, allow_unicode=True, width=10**9).removesuffix("\n...\n").removesuffix("\n")
    return Markup(plain if yaml.safe_load(plain) == text else json.dumps(text, ensure_ascii=False))


def next_index_no(content: Content, year: int, also: Iterable[str] = ()) -> str:
    """The next index number of the year; `also`: numbers taken outside the content (saved, not yet merged)."""
    prefix = f"{content.office.get('credit_code')}/{year}-"
    taken = [str(r.get("index_no") or "") for records in content.records.values() for r in records] + list(also)
    used = [int(number[len(prefix):]) for number in taken if number.startswith(prefix) and number[len(prefix):].isdigit()]
    return f"{prefix}{max(used, default=0) + 1:05d}"


def next_id(existing: set[str], stem: str) -> str:
    number = 1
    while f"{stem}-{number:02d}" in existing:
        number += 1
    return f"{stem}-{number:02d}"


def _catalog_for(content: Content, kind: str, given: str | None, words: str, same=lambda r: True) -> str:
    """The catalog item a new file is filed under: the one given, else the one files like it use, else the one
    whose title names this kind of file (`words`: its first two characters, e.g. 重大 for 重大事项公示), else the
    one other files of its kind use."""
    open_items = [i for i in content.of("catalog") if not i.get("source") and not i.internal]
    choices = ", ".join(f"{i.id}（{i.title}）" for i in open_items)
    if given:
        if given not in {i.id for i in open_items}:
            raise ScaffoldError(_("there is no public catalog item '{id}' that files are filed under — use one of: "
                                  "{choices}").format(id=given, choices=choices))
        return given
    for record in content.of(kind):
        if same(record) and record.catalog_ids:
            return record.catalog_ids[0]
    named = [i for i in open_items if words[:2] in (i.title or "")]
    used_ids = {i for r in content.of(kind) for i in r.catalog_ids}
    used = [i for i in open_items if i.id in used_ids]
    for candidates in (named, used, open_items):
        if len(candidates) == 1:
            return candidates[0].id
    if not open_items:
        raise ScaffoldError(_("the catalog has no item for this kind of file — add one to catalog.yaml, or pass --catalog"))
    raise ScaffoldError(_("no catalog item is evidently the one for a {kind} — pass --catalog with one of: {choices}")
                        .format(kind=words, choices=choices))


def _default_period(content: Content, notice_type: str, catalog: str) -> tuple[str, int]:
    params = rule_params(content)[0]
    days_by_type = params["notice-period"]["days_by_type"]
    period_key, length = {
        MAJOR_DECISION: ("working_days", params["notice-period"]["major_decision_working_days"]),
        HEARING: ("working_days", params["hearing-deadlines"]["announce_working_days"]),
        "人事公示": ("days", max(5, days_by_type.get("人事公示", 0))),
    }.get(notice_type, ("days", days_by_type[notice_type]) if notice_type in days_by_type else ("working_days", 10))
    item_days = params["notice-period"]["days_by_item"].get(catalog, 0)
    # the catalog item's minimum in days (e.g. a branch's one week) may be the longer one
    return (period_key, max(length, item_days)) if period_key == "days" else (period_key, length)


def new_notice(content: Content, calendar: WorkCalendar, title: str, notice_type: str, first_day: dt.date,
               today: dt.date, catalog: str | None = None, record_id: str | None = None) -> NewFile:
    if notice_type not in TYPE_SLUGS:
        raise ScaffoldError(_("unknown notice type '{type}' — use one of: {types}").format(type=notice_type,
                                                                                          types=", ".join(TYPE_SLUGS)))
    year = first_day.year
    record_id = record_id or next_id({n.id for n in content.of("notice")}, f"{TYPE_SLUGS[notice_type]}-{year}")
    catalog = _catalog_for(content, "notice", catalog, notice_type, lambda n: n.notice_type == notice_type)
    period_key, length = _default_period(content, notice_type, catalog)
    draft = Notice("notice", record_id, {"first_day": first_day.isoformat(), "period": {period_key: length}}, None)
    period: Period = notice_period(draft, calendar)
    decision = None
    if notice_type == HEARING:
        decisions = sorted((n for n in content.of("notice") if n.notice_type == MAJOR_DECISION), key=lambda n: n.first_day)
        decision = decisions[-1].id if decisions else None
    # The bodies this office's rules name (a 局 names its 局长办公会 in rules.yaml), for the example the clerk copies.
    approval_rules = rule_params(content)[0]["approvals"]
    required = list(required_bodies(approval_rules, content, notice_type, [catalog]))
    bodies = list(dict.fromkeys(required + approval_rules["approvers"].get(notice_type, [])))
    # 成文 on or before 发布: a notice entered after its first day is dated as written by then
    rel = f"notices/{year}/{record_id}.md"
    text = _env().get_template("notice.md.j2").render(
        schema=schema_reference(content.root, rel, "notice.schema.json"),
        id=record_id, title=title, type=notice_type, index_no=next_index_no(content, year), office=content.office,
        written=min(today, first_day).isoformat(), first_day=first_day.isoformat(), catalog=catalog, period=period,
        period_key=period_key, approvers=bodies, approved_by=required or bodies[:1], decision=decision,
        parts=PART_HEADINGS if notice_type == MAJOR_DECISION else None)
    steps = [_("notice period: {period} (computed on the State Council's holiday schedule)").format(period=period.text),
             (_("open {path} and replace each “待填写” with the text; all seven parts must be written")
              if notice_type == MAJOR_DECISION else _("open {path} and replace each “待填写” with the text"))
             .format(path=_path(content, rel))]
    if bodies:
        steps.append(_("write the approver or meeting and its date under approvals (a notice is approved before it is"
                       " published)"))
    if unknown := calendar.unknown_between(period.first_day, period.last_day):
        steps.append(_("the period runs into {year}, whose holidays are not declared yet: fill in {path} from the"
                       " State Council's notice").format(year=unknown[0],
                                                        path=_path(content, f"calendar/{unknown[0]}.yaml")))
    steps += [_("run .venv/bin/gongkai validate {content} and .venv/bin/gongkai check {content}, and fix what they"
                " report").format(content=content.root.as_posix()),
              _("open a pull request for your section's head to review; once merged, the website and the posters"
                " update by themselves")]
    return NewFile(rel, text, steps)


def schema_reference(root: Path, rel: str, schema: str) -> str:
    """The `$schema=` of a file written at root/rel, for the editor's completion: the path from it to the schemas/
    folder of the repository around the content folder (beside content/, or above content/offices/<id>/ in a
    county); where there is none, the path as from a project whose content/ (or county) is beside schemas/."""
    for folder in Path(root).resolve().parents:
        if (folder / "schemas" / schema).is_file():
            return Path(os.path.relpath(folder / "schemas" / schema, (Path(root).resolve() / rel).parent)).as_posix()
    up = "../../" if county_root_of(root) else ""  # an office in a county sits two folders deeper: offices/<id>/
    return up + "../" * len(Path(rel).parts) + f"schemas/{schema}"


def _path(content: Content, rel: str) -> str:
    """A file named as the clerk gave the content folder, so the path can be opened as printed."""
    return (content.root / rel).as_posix()


def new_service(content: Content, title: str, record_id: str, today: dt.date, catalog: str | None = None) -> NewFile:
    _require_slug(record_id)
    pledges = content.one("pledges")
    pledged = pledges.pledged_days_for(record_id)[0] if pledges and pledges.pledged_days_for(record_id) else 20
    rel = f"services/{record_id}.yaml"
    text = _env().get_template("service.yaml.j2").render(
        schema=schema_reference(content.root, rel, "service.schema.json"),
        id=record_id, title=title, index_no=next_index_no(content, today.year), office=content.office,
        catalog=_catalog_for(content, "service", catalog, "办事指南"), pledged=pledged,
        owner=content.office.sections[0]["id"], today=today.isoformat())
    return NewFile(rel, text, [
        _("open {path} and replace each “待填写” with the real content (basis, conditions, materials, steps, result,"
          " person responsible)").format(path=_path(content, rel)),
        _("for a service that charges, change fee to fees: [fee id] and give the approval number in {path}")
        .format(path=_path(content, "fees.csv")),
        _("run .venv/bin/gongkai check {content}: it points at every “待填写” still left, line by line")
        .format(content=content.root.as_posix())])


def new_regulation(content: Content, title: str, record_id: str, today: dt.date, catalog: str | None = None) -> NewFile:
    _require_slug(record_id)
    order = max((r.get("order") or 0 for r in content.of("regulation")), default=0) + 1
    rel = f"regulations/{record_id}.md"
    text = _env().get_template("regulation.md.j2").render(
        schema=schema_reference(content.root, rel, "regulation.schema.json"),
        id=record_id, title=title, index_no=next_index_no(content, today.year), office=content.office,
        catalog=_catalog_for(content, "regulation", catalog, "制度"), order=order, today=today.isoformat())
    return NewFile(rel, text, [
        _("open {path} and paste the regulation's full text below the ---, one article per paragraph")
        .format(path=_path(content, rel)),
        _("if it has a document number, add doc_number to the metadata, e.g. 临人防〔2026〕3号")])


def register_columns(kind: str) -> list[dict]:
    """The columns a clerk fills in a new row: all but the id (numbered here) and the illustrative flag."""
    return [f for f in by_kind(kind).load_schema()["fields"] if f["name"] not in ("id", "illustrative")]


def new_register_entry(content: Content, kind: str, values: dict[str, str], root: Path) -> NewFile:
    """The register with one more row appended, numbered YYYY-NNN in the year of its first date; the rest of the file
    is kept byte for byte."""
    content_type = by_kind(kind)
    schema = content_type.load_schema()
    titles = {f["name"]: f.get("title", f["name"]) for f in schema["fields"]}
    for field in register_columns(kind):
        value = values.get(field["name"]) or ""
        constraints = field.get("constraints", {})
        if constraints.get("required") and not value:
            raise ScaffoldError(_("give {title} ({name}) for the new row").format(title=field.get("title"), name=field["name"]))
        if value and constraints.get("enum") and value not in constraints["enum"]:
            raise ScaffoldError(_("{title} cannot be '{value}' — use one of: {choices}").format(
                title=field.get("title"), value=value, choices=", ".join(constraints["enum"])))
        if value and field.get("type") == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise ScaffoldError(_("{title} must be a date written as 2025-09-26, not '{value}'").format(
                    title=field.get("title"), value=value)) from None
    if unknown := sorted(set(values) - {f["name"] for f in register_columns(kind)}):
        raise ScaffoldError(_("{register} has no column '{name}' — its columns are: {names}").format(
            register=schema.get("title"), name=unknown[0],
            names=", ".join(f"{f['name']}（{f.get('title')}）" for f in register_columns(kind))))
    rel = content_type.pattern
    path = root / rel
    existing = read_text(path) if path.exists() else ",".join(f["name"] for f in schema["fields"]) + "\n"
    header = next(csv.reader(io.StringIO(existing.removeprefix("\ufeff"))))
    year = next(values[f["name"]] for f in register_columns(kind) if f.get("type") == "date")[:4]
    numbers = [int(m.group(1)) for r in content.of(kind) if (m := re.fullmatch(rf"{year}-(\d+)", r.id))]
    row = values | {"id": f"{year}-{max(numbers, default=0) + 1:03d}", "illustrative": "false"}
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([row.get(name, "") for name in header])
    text = existing if existing.endswith("\n") else existing + "\n"
    return NewFile(rel, text + buffer.getvalue(),
                   [_("row {id} was added at the end of {path}: write only what it was about and the result, never"
                      " a person's name, phone or ID number").format(id=row["id"], path=_path(content, rel)),
                    _("once it is answered or closed, fill in the row's remaining dates and result — in the form editor"
                      " (收费标准和登记簿) or here")])


def _require_slug(record_id: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9-]*", record_id or ""):
        raise ScaffoldError(_("'{id}' cannot be an id — use lowercase pinyin or English with '-', e.g. rfgc-chaichu")
                            .format(id=record_id))
