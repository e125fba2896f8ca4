"""Validate stage: schemas first, then ids and references across files.

Every schema error becomes one Finding at the line of the value it is about,
in words a clerk can act on. Records are built only from documents that
passed their schema, so later stages may trust the fields they read.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from stdnum.cn import uscc

from ..content import attachments
from ..content.county import county_calendar, county_root_of, county_seen_from, office_example, office_id_of
from ..content.load import Document, load_all, readable
from ..content.records import FIRST_YEAR, LAST_YEAR, Record, in_date_range
from ..content.types import SCHEMA_DIR, ContentType, all_types
from ..findings import ERROR, WARNING, Finding
from ..i18n import N_, _
from ..normalize import masked_text


ANY = "*"  # a file of this kind failed and its ids cannot be known: refs to the kind are not judged


@dataclass
class Content:
    """Everything one office publishes, as typed records grouped by kind."""

    root: Path
    records: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    # What failed validation is left out of the records; what it might have held keeps the rules from judging
    # absence on a guess: the kinds that lost a file, and the catalog items such a file may have filled.
    failed_kinds: set[str] = field(default_factory=set)
    failed_items: set[str] = field(default_factory=set)
    county: Record | None = None  # the county file around an office folder (county.py), None for a single office

    def of(self, kind: str) -> list:
        return self.records.get(kind, [])

    def get(self, kind: str, record_id: str):
        return next((r for r in self.of(kind) if r.id == record_id), None)

    def one(self, kind: str):
        found = self.of(kind)
        return found[0] if found else None

    @property
    def office(self):
        return self.one("office")

    def complete(self, kind: str) -> bool:
        """Whether every file of this kind passed validation, so that what is missing is really missing."""
        return kind not in self.failed_kinds

    def complete_for(self, item) -> bool:
        """Whether the records that fill a catalog item are all known (no file that might fill it failed)."""
        if item.get("source"):
            return self.complete(item.get("source"))
        return ANY not in self.failed_items and item.id not in self.failed_items

    def records_for(self, item) -> list:
        """The records that fill a catalog item: a whole kind (`source`) or the files that name it."""
        if item.get("source"):
            return self.of(item.get("source"))
        return [r for records in self.records.values() for r in records if item.id in r.catalog_ids]


def load_content(root: Path) -> tuple[Content, list[Finding]]:
    """Load and validate a content folder; the findings say everything wrong with it."""
    root = Path(root)
    content = Content(root)
    if not root.is_dir():
        return content, [Finding("", 1, "no-content", _("the content folder does not exist"),
                                 _("give the path of the office's content folder, e.g. content"))]
    if example := office_example(root):
        return content, [Finding("", 1, "no-content", _("this is a county's folder, not one office's"),
                                 _("give an office's folder, e.g. {example} (validate, check and build also take the"
                                   " county's)").format(example=example))]
    documents, findings = load_all(root, all_types())
    county_root = county_root_of(root)
    if county_root:
        # The county's calendar/ is every office's: an office's own would make two 2027s, or a year for one office only
        own = [doc for content_type, doc in documents if content_type.kind == "calendar"]
        documents = [(t, doc) for t, doc in documents if t.kind != "calendar"]
        findings += [Finding(doc.rel, 1, "county-office", _("an office in a county keeps no calendar of its own"),
                             _("the county's calendar/ holds the holidays for every office: move this file there if"
                               " the county lacks its year, else delete it")) for doc in own]
        calendars, calendar_findings = county_calendar(root, county_root)
        documents, findings = documents + calendars, findings + calendar_findings
    broken: dict[str, set[str]] = defaultdict(set)  # ids of files that exist but failed, so refs to them stay quiet
    for content_type, doc in documents:
        problems = schema_findings(content_type, doc)
        findings.extend(problems)
        if problems:
            broken[content_type.kind].add(Path(doc.rel).stem)
            if isinstance(doc.data, dict) and content_type.id_key in doc.data:
                broken[content_type.kind].add(str(doc.data[content_type.id_key]))
        else:
            for record in content_type.records(doc):
                content.records[content_type.kind].append(record)
    for rel in {f.file for f in findings}:
        for content_type in all_types():
            if Path(rel).match(content_type.pattern):
                broken[content_type.kind].add(Path(rel).stem)
                if not content_type.one_record_per_file:
                    broken[content_type.kind].add(ANY)
    for content_type in all_types():
        failed = content_type.kind in broken or (content_type.required and not content.of(content_type.kind))
        if failed:
            for kind in content_type.provides:
                broken[kind].add(ANY)
    findings.extend(_singleton_findings(content, documents))
    findings.extend(_identity_findings(content))
    findings.extend(_reference_findings(content, broken))
    findings.extend(attachments.validate(content))
    _set_aside_failed(content, documents, findings)
    findings.extend(_place_in_county(content, county_root))
    return content, sorted(set(findings))


def _place_in_county(content: Content, county_root: Path | None) -> list[Finding]:
    """An office in a county is published at the portal's address for it; a single office names its own."""
    office = content.office
    if county_root:
        content.county = county_seen_from(content.root, county_root)
        if not office:
            return []
        unused = [Finding(office.file, office.line(key), "county-office",
                          _("'{key}' is not used by an office in a county: the portal gives every office its address"
                            " and footer").format(key=key), _("delete these lines; county.yaml holds them"),
                          severity=WARNING) for key in ("site_url", "registration") if key in office.data]
        if content.county:
            office.data["site_url"] = f"{content.county.get('portal_url')}{office_id_of(content.root)}/"
        return unused
    if office and not office.get("site_url"):
        return [Finding(office.file, office.line(), "schema", _("an office that publishes its own site needs 'site_url'"),
                        _("write the site's full address (https://…/), or move the office into a county's "
                          "offices/ folder, where the portal gives it its address"))]
    return []


def _set_aside_failed(content: Content, documents, findings: list[Finding]) -> None:
    """Leave the records of every file with an error out, so the rules judge the rest and never a broken file."""
    failed = {f.file for f in findings if f.severity == ERROR}
    if not failed:
        return
    loaded = {doc.rel: doc for _, doc in documents}
    for rel in failed:
        for content_type in all_types():
            if Path(rel).match(content_type.pattern):
                content.failed_kinds.add(content_type.kind)
        data = loaded[rel].data if rel in loaded else None
        if not isinstance(data, dict):  # unreadable: the item it names is read from its text, else it may be any
            content.failed_items.update(_catalog_named_in(content.root, rel) or {ANY})
            continue
        named = data.get("catalog") or []
        content.failed_items.update([named] if isinstance(named, str) else [str(n) for n in named if n])
    for kind, records in content.records.items():
        content.records[kind] = [r for r in records if r.file not in failed]


_CATALOG_LINE = re.compile(r"^catalog:[ \t]*['\"]?([a-z][a-z0-9-]*)['\"]?[ \t]*$", re.M)


def _catalog_named_in(root: Path, rel: str) -> set[str]:
    """The catalog item a file that cannot be parsed names on a line of its own, if it does."""
    path = root / rel
    if not readable(path, root):  # a link out of the folder is never opened
        return set()
    try:
        return set(_CATALOG_LINE.findall(path.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return set()


# --- schemas ---------------------------------------------------------------

@cache
def _schemas() -> list[tuple[str, dict]]:
    """Every schema by its $id, so that one schema can refer to another."""
    schemas = (json.loads(path.read_text(encoding="utf-8")) for path in sorted(SCHEMA_DIR.glob("*.schema.json")))
    return [(schema["$id"], schema) for schema in schemas]


@cache
def _registry() -> Registry:
    return Registry().with_resources((uri, Resource.from_contents(schema)) for uri, schema in _schemas())


def _date_in_range(value) -> bool:
    """A real date (YYYY-MM-DD) in the years the calendars and deadlines can count with."""
    return not isinstance(value, str) or (FormatChecker().conforms(value, "date") and in_date_range(value))


DATES = FormatChecker()
DATES.checks("date")(_date_in_range)


@cache
def _validator(content_type: ContentType) -> Draft202012Validator:
    return Draft202012Validator(content_type.load_schema(), registry=_registry(), format_checker=DATES)


@cache
def _quick_validator(content_type: ContentType) -> jsonschema_rs.Validator:
    """The same schema compiled in Rust: a yes or no about fifteen times faster, for the usual valid file.

    Dates are judged by the Python checker all the same: jsonschema-rs 0.60 takes '2025-0*-25' for a date.
    """
    registry = jsonschema_rs.Registry(_schemas())
    return jsonschema_rs.Draft202012Validator(content_type.load_schema(), registry=registry, validate_formats=True,
                                              formats={"date": _date_in_range})


def schema_findings(content_type: ContentType, doc: Document) -> list[Finding]:
    if content_type.format == "csv":
        return []  # Frictionless checked the table while loading it
    if not isinstance(doc.data, dict):
        return [Finding(doc.rel, doc.line_of(()), "schema", _("the file holds no fields for a {label}")
                                                            .format(label=content_type.label),
                        _("start from the example of {label} in docs/content-guide.md")
                        .format(label=content_type.label))]
    if _quick_validator(content_type).is_valid(doc.data):
        return []
    findings = []  # the Python validator's errors carry what the messages below need
    for error in _validator(content_type).iter_errors(doc.data):
        for leaf in _leaves(error):
            if leaf.validator == "required":  # one finding per missing field, so one run lists them all
                findings.extend(_missing_finding(content_type, doc, leaf, name)
                                for name in leaf.validator_value if name not in leaf.instance)
            else:
                findings.append(_schema_finding(content_type, doc, leaf))
    return findings


def _leaves(error):
    """For oneOf/anyOf, report the branch that came closest instead of the summary."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        deepest = max(len(e.absolute_path) for e in error.context)
        closest = [e for e in error.context if len(e.absolute_path) == deepest]
        if deepest > len(error.absolute_path):
            for sub in closest:
                yield from _leaves(sub)
            return
    yield error


def _schema_finding(content_type: ContentType, doc: Document, error) -> Finding:
    path = tuple(error.absolute_path)
    where = ".".join(str(p) for p in path) or _("the file")
    line = doc.line_of(path)
    value = error.instance
    kind = error.validator
    label = content_type.label
    if kind in ("additionalProperties", "unevaluatedProperties"):
        known = list(error.schema.get("properties", {}))
        if kind == "unevaluatedProperties":
            known += list(_document_properties())
        extra = sorted(k for k in value if k not in known) or ["?"]
        line = doc.line_of(path + (extra[0],))
        guess = difflib.get_close_matches(extra[0], known, n=1)
        message = (_("unknown field '{field}' in {where}") if path else _("unknown field '{field}'"))\
            .format(field=extra[0], where=where)
        hint = (_("did you mean '{guess}'?").format(guess=guess[0]) if guess
                else _("remove it, or use one of: {names}").format(names=", ".join(known)))
    elif kind == "type":
        expected = error.validator_value
        message = _("'{where}' should be {expected}, not {actual} ({value!r})").format(
            where=where, expected=_type_words(expected), actual=_type_words(_json_type(value)), value=value)
        hint = _("put the value in quotes") if expected == "string" else _("write it as shown in the content guide")
    elif kind == "format" and error.validator_value == "date" and FormatChecker().conforms(value, "date"):
        message = _("'{where}' is {value}, outside the years {first} to {last}").format(
            where=where, value=value, first=FIRST_YEAR, last=LAST_YEAR)
        hint = _("check the year")
    elif kind == "format" and error.validator_value == "date":
        message = _("'{where}' is not a valid date: {value!r}").format(where=where, value=value)
        hint = _("write a real date as YYYY-MM-DD, e.g. 2025-09-26")
    elif kind == "format":
        message = _("'{where}' is not a valid {format}: {value!r}").format(where=where, format=error.validator_value,
                                                                           value=value)
        hint = _("correct the value")
    elif kind in ("enum", "const"):
        allowed = error.validator_value if kind == "enum" else [error.validator_value]
        guess = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
        message = _("'{where}' is {value!r}, which is not allowed").format(where=where, value=value)
        hint = (_("did you mean '{guess}'?").format(guess=guess[0]) if guess
                else _("use one of: {values}").format(values=", ".join(str(a) for a in allowed)))
        if path[-1:] == ("audience",) and value == "内部":
            hint = _("internal information is never published: write it as an internal item in content/internal/"
                     " (对内公开事项), which goes only on the internal board")
    elif kind == "pattern":
        description = error.schema.get("description", "")
        message = _("'{where}' has the wrong form: {value!r}").format(where=where, value=value)
        hint = description or _("it must match {pattern}").format(pattern=error.validator_value)
    elif kind in ("maxLength", "maximum"):
        size = len(value) if isinstance(value, str) else value
        message = _("'{where}' is {size}, more than the {limit} allowed").format(where=where, size=size, limit=error.validator_value)
        hint = _("shorten it") if kind == "maxLength" else _("check the number")
    elif kind in ("minItems", "minLength", "minProperties"):
        message, hint = _("'{where}' is empty").format(where=where), _("fill it in; this part is required")
    else:
        message = _("'{where}': {problem}").format(where=where, problem=error.message)
        hint = _("see {label} in docs/content-guide.md").format(label=label)
    return Finding(doc.rel, line, "schema", masked_text(message), hint)  # a wrong value may be an ID number


def _missing_finding(content_type: ContentType, doc: Document, error, missing: str) -> Finding:
    path = tuple(error.absolute_path)
    message = _("missing field '{field}'{title} in {where}") if path else _("missing field '{field}'{title}")
    return Finding(doc.rel, doc.line_of(path), "schema",
                   message.format(field=missing, title=_property_title(error.schema, missing),
                                  where=".".join(str(p) for p in path)),
                   _("add '{field}:' with its value (see {label} in docs/content-guide.md)")
                   .format(field=missing, label=content_type.label))


def _property_title(schema: dict, name: str) -> str:
    title = schema.get("properties", {}).get(name, {}).get("title") or _document_properties().get(name, {}).get("title")
    return _(" ({title})").format(title=title) if title else ""


@cache
def _document_properties() -> dict:
    return json.loads((SCHEMA_DIR / "document.schema.json").read_text(encoding="utf-8"))["properties"]


_TYPE_WORDS = {"string": N_("text"), "integer": N_("a whole number"), "number": N_("a number"),
               "boolean": N_("true or false"), "array": N_("a list"), "object": N_("a group of fields"), "null": N_("empty")}


def _type_words(json_type) -> str:
    if isinstance(json_type, list):
        return _(" or ").join(_type_words(t) for t in json_type)
    return _(_TYPE_WORDS[json_type]) if json_type in _TYPE_WORDS else json_type


def _json_type(value) -> str:
    for python_type, name in ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"),
                              (list, "array"), (dict, "object"), (type(None), "null")):
        if isinstance(value, python_type):
            return name
    return type(value).__name__


# --- files and ids ----------------------------------------------------------

def _singleton_findings(content: Content, documents) -> list[Finding]:
    findings = []
    loaded = {content_type.kind for content_type, _ in documents}
    for content_type in all_types():
        if content_type.required and content_type.kind not in loaded:
            findings.append(Finding(content_type.pattern, 1, "missing-file",
                                    _("there is no {pattern} ({label})").format(pattern=content_type.pattern,
                                                                               label=content_type.label),
                                    _("create {pattern}; see docs/content-guide.md").format(pattern=content_type.pattern)))
    return findings


def _identity_findings(content: Content) -> list[Finding]:
    findings = []
    for kind, records in content.records.items():
        findings.extend(_duplicates(records, lambda r: r.id, "id",
                                    _("two {kind} records share the id").format(kind=kind_word(kind))))
    for content_type in all_types():
        if content_type.one_record_per_file and not content_type.singleton:
            for record in content.of(content_type.kind):
                if record.id != Path(record.file).stem:
                    findings.append(Finding(record.file, record.line(content_type.id_key), "id-filename",
                                            _("the id '{id}' differs from the file name '{name}'")
                                            .format(id=record.id, name=Path(record.file).name),
                                            _("name the file {id}{suffix}, or make the id match the file name")
                                            .format(id=record.id, suffix=Path(record.file).suffix)))
    documents = [r for records in content.records.values() for r in records if r.get("index_no")]
    findings.extend(_duplicates(documents, lambda r: r.get("index_no"), "index_no",
                                _("two documents share the index number (索引号)")))
    office = content.office
    if office and not uscc.is_valid(office.get("credit_code")):  # its last character checks the other seventeen
        findings.append(Finding(office.file, office.line("credit_code"), "credit-code",
                                _("统一社会信用代码 {code} is not valid: its check character does not match")
                                .format(code=office.get("credit_code")),
                                _("copy the code from the office's registration certificate (登记证书) again")))
    if office:
        for record in documents:
            prefixes = [office.get("credit_code"), *(office.get("index_prefixes") or [])]
            if not any(record.get("index_no").startswith(prefix + "/") for prefix in prefixes):
                findings.append(Finding(record.file, record.line("index_no"), "index-number",
                                        _("索引号 {index_no} does not start with the office's 统一社会信用代码")
                                        .format(index_no=record.get("index_no")),
                                        _("write it as {credit_code}/YYYY-NNNNN").format(credit_code=office.get("credit_code"))))
            issuer = record.get("issuer")
            if issuer is not None and issuer != office.get("name"):
                findings.append(Finding(record.file, record.line("issuer"), "issuer-name",
                                        _("发布机构 '{issuer}' is not the office's full name").format(issuer=issuer),
                                        _("write the full name '{name}', never an abbreviation")
                                        .format(name=office.get("name"))))
    return findings


def _duplicates(records, key, field_name, message) -> list[Finding]:
    first_seen: dict = {}
    findings = []
    for record in records:
        value = key(record)
        if value in first_seen:
            first = first_seen[value]
            findings.append(Finding(record.file, record.line(field_name), "duplicate-id",
                                    _("{message} '{value}' (also at {file}:{line})")
                                    .format(message=message, value=value, file=first.file, line=first.line(field_name)),
                                    _("give each one its own value")))
        else:
            first_seen[value] = record
    return findings


def _reference_findings(content: Content, broken: dict[str, set[str]]) -> list[Finding]:
    known: dict[str, set[str]] = defaultdict(set)
    for kind, records in content.records.items():
        for record in records:
            known[kind].add(record.id)
            for provided in getattr(record, "provides", lambda: [])():
                known[provided.kind].add(provided.id)
    findings = []
    for records in content.records.values():
        for record in records:
            for ref in record.references():
                if ref.id in known[ref.kind] or ref.id in broken[ref.kind] or ANY in broken[ref.kind]:
                    continue
                guess = difflib.get_close_matches(ref.id, sorted(known[ref.kind]), n=1)
                hint = _("did you mean '{guess}'?").format(guess=guess[0]) if guess else (
                    _("use one of: {values}").format(values=", ".join(sorted(known[ref.kind]))) if known[ref.kind]
                    else _("add the {kind} first").format(kind=kind_word(ref.kind)))
                findings.append(Finding(record.file, record.line(*ref.at), "dangling-reference",
                                        _("unknown {kind} '{id}'").format(kind=kind_word(ref.kind), id=ref.id), hint))
    return findings


# A kind of record as a word in a message: the kinds' names are the English words, translated like any other.
_KIND_WORDS = {"section": N_("section"), "catalog": N_("catalog"), "fee": N_("fee"), "service": N_("service"),
               "notice": N_("notice"), "regulation": N_("regulation"), "complaint": N_("complaint"),
               "decision": N_("decision"), "income": N_("income"), "inspection": N_("inspection"),
               "internal": N_("internal"), "report": N_("report"), "request": N_("request"), "review": N_("review"),
               "calendar": N_("calendar")}


def kind_word(kind: str) -> str:
    return _(_KIND_WORDS[kind]) if kind in _KIND_WORDS else kind
