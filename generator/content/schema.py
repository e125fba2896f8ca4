"""Load stage for schemas: every file is judged against its JSON Schema, and every schema error becomes one
Finding at the line of the value it is about, in words a clerk can act on. validate.py builds records only from
documents that pass; the county file is judged the same way when the county is loaded (county.py)."""

from __future__ import annotations

import difflib
import json
import re
from functools import cache

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from ..findings import Finding, titled
from ..i18n import N_, _
from ..normalize import masked_text, unseen
from .load import Document
from .records import FIRST_YEAR, LAST_YEAR, in_date_range
from .types import SCHEMA_DIR, ContentType
from .yaml_lines import FULL_WIDTH_KEY


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
            elif leaf.validator in UNKNOWN:  # and per unknown field
                findings.extend(_unknown_findings(doc, leaf))
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


FULL_WIDTH_DIGIT = re.compile("[０-９]")
LEADING_NUMBER = re.compile(r"^\s*(\d+)\s*\D")


def _where(error) -> str:
    """The key is what the clerk finds in the file; its Chinese title is what the clerk understands."""
    path = tuple(error.absolute_path)
    title = error.schema.get("title") if path and isinstance(error.schema, dict) else None
    title = None if path and title == str(path[-1]) else title
    return titled(".".join(str(p) for p in path), title) or _("the file")


def _as_written(value) -> str:
    """A value as the clerk wrote it in YAML ([主动公开], true, 12), not as Python shows it (['主动公开'], True);
    text that holds what cannot be seen or would break the message's line shows its escapes (有效\\u3000)."""
    if isinstance(value, str):
        return value if value.isprintable() else repr(value)[1:-1]
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, list):
        return "[" + ", ".join(map(_as_written, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_as_written(item)}" for key, item in value.items()) + "}"
    return str(value)


def _schema_finding(content_type: ContentType, doc: Document, error) -> Finding:
    path = tuple(error.absolute_path)
    where = _where(error)
    line = doc.line_of(path)
    value = error.instance
    kind = error.validator
    label = content_type.label
    if kind == "type":
        expected = error.validator_value
        message = _("'{where}' should be {expected}, not {actual} ({value!r})").format(
            where=where, expected=_type_words(expected), actual=_type_words(_json_type(value)), value=value)
        hint = _("put the value in quotes") if expected == "string" else _("write it as shown in the content guide")
        number = LEADING_NUMBER.match(value) if expected == "integer" and isinstance(value, str) else None
        if number:  # 12天, 20个工作日: the unit is in the field's name already
            hint = _("write the number alone, without its unit: {number}").format(number=number.group(1))
        full_width = FULL_WIDTH_KEY.match(value) if isinstance(value, str) else None
        if full_width:  # 'status：有效' under validity: is text to YAML, so validity holds text instead of fields
            hint = _("a full-width colon (：) after '{key}' makes the line text: write {key}: … with an ASCII colon and"
                     " a space").format(key=full_width.group(1))
    elif kind == "format" and error.validator_value == "date" and FormatChecker().conforms(value, "date"):
        message = _("'{where}' is {value}, outside the years {first} to {last}").format(
            where=where, value=value, first=FIRST_YEAR, last=LAST_YEAR)
        hint = _("check the year")
    elif kind == "format" and error.validator_value == "date":
        message = _("'{where}' is not a valid date: '{value}'").format(where=where, value=_as_written(value))
        hint = (_("the date is typed in full-width digits: switch the input method to half-width (半角) and type it as"
                  " YYYY-MM-DD") if FULL_WIDTH_DIGIT.search(str(value))
                else _("write a real date as YYYY-MM-DD, e.g. 2025-09-26"))
    elif kind == "format":
        message = _("'{where}' is not a valid {format}: '{value}'").format(where=where, format=error.validator_value,
                                                                            value=_as_written(value))
        hint = _("correct the value")
    elif kind in ("enum", "const"):
        allowed = error.validator_value if kind == "enum" else [error.validator_value]
        guess = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
        message = _("'{where}' is '{value}', which is not allowed").format(where=where, value=_as_written(value))
        hint = (_("did you mean '{guess}'?").format(guess=guess[0]) if guess
                else _("use one of: {values}").format(values=", ".join(str(a) for a in allowed)))
        if path[-1:] == ("audience",) and value == "内部":
            hint = _("internal information is never published: write it as an internal item in content/internal/"
                     " (对内公开事项), which goes only on the internal board")
    elif kind == "pattern" and isinstance(value, str) and not value.strip():  # the schemas' "\S": a visible character
        message = _("'{where}' holds nothing but spaces, which show as a blank on the page").format(where=where)
        hint = _("write it in words; spaces alone, half- or full-width, are not enough. {description}").format(
            description=error.schema.get("description", "")).strip()
    elif kind == "pattern":
        description = error.schema.get("description", "")
        message = _("'{where}' has the wrong form: '{value}'").format(where=where, value=_as_written(value))
        hint = description or _("it must match {pattern}").format(pattern=error.validator_value)
        if FULL_WIDTH_DIGIT.search(str(value)):
            hint = _("it is typed in full-width digits: switch the input method to half-width (半角) and type it again")
    elif kind == "maxLength":
        message = _("'{where}' is {size} characters long, more than the {limit} allowed").format(
            where=where, size=len(value), limit=error.validator_value)
        hint = _("shorten it")
    elif kind == "maximum":
        message = _("'{where}' is {size}, more than the {limit} allowed").format(where=where, size=value,
                                                                                 limit=error.validator_value)
        hint = _("check the number")
    elif kind in ("minimum", "exclusiveMinimum"):
        message = _("'{where}' is {value}, less than the {limit} allowed").format(
            where=where, value=value, limit=error.validator_value + (kind == "exclusiveMinimum"))
        hint = _("check the number")
    elif kind in ("minItems", "minLength", "minProperties"):
        message, hint = _("'{where}' is empty").format(where=where), _("fill it in; this part is required")
    elif kind == "oneOf" and not error.context:  # more than one alternative fits, e.g. both free: and fees:
        names = [name for branch in error.validator_value for name in branch.get("required", [])]
        message = _("'{where}' may hold only one of {names}").format(where=where, names=", ".join(names))
        hint = _("keep the one that is true and delete the others")
    else:  # jsonschema's own words are English: say where, and where the form is described
        message = _("'{where}' does not have the form a {label} needs").format(where=where, label=label)
        hint = _("see {label} in docs/content-guide.md").format(label=label)
    return Finding(doc.rel, line, "schema", masked_text(message), unseen_hint(value) or hint)  # a value may be an ID


UNKNOWN = ("additionalProperties", "unevaluatedProperties")


def _known_keys(error) -> list[str]:
    known = list(error.schema.get("properties", {}))
    return known + list(_document_properties()) if error.validator == "unevaluatedProperties" else known


def _unknown_findings(doc: Document, error) -> list[Finding]:
    known = _known_keys(error)
    return [_unknown_finding(doc, error, key, known)
            for key in sorted(key for key in error.instance if key not in known) or ["?"]]


def _unknown_finding(doc: Document, error, key: str, known: list[str]) -> Finding:
    path = tuple(error.absolute_path)
    guess = difflib.get_close_matches(key, known, n=1) or _named_in_chinese(key, error.schema)
    message = _("unknown field '{field}' in {where}") if path else _("unknown field '{field}'")
    hint = (_("did you mean '{guess}'?").format(guess=guess[0]) if guess
            else _("field names are written in English: the fields of this file are in docs/fields.md; delete it if"
                   " it is not one of them") if not key.isascii()
            else _("remove it, or use one of: {names}").format(names=", ".join(known)))
    return Finding(doc.rel, doc.line_of(path + (key,)), "schema", masked_text(message.format(
        field=key, where=_where(error))), unseen_hint(key) or hint)


def unseen_hint(value) -> str | None:
    """'有效\u3000' is not allowed, 'did you mean 有效?': the clerk sees no difference between the two."""
    characters = unseen(value)
    if characters and value.strip():
        return _("it holds a character that cannot be seen ({characters}), often pasted from a web page or Word:"
                 " delete it, or type the value again").format(characters=characters)
    return None


def _named_in_chinese(key: str, schema: dict) -> list[str]:
    """The field a clerk meant by its Chinese title (标题: … for title: …), as the messages call it: title（标题）."""
    properties = {**_document_properties(), **schema.get("properties", {})}
    return [name + _property_title(schema, name) for name, field in properties.items()
            if isinstance(field, dict) and field.get("title") == key.strip()][:1]


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
    return titled("", title)


def field_names(content_type: ContentType) -> set[str]:
    """The fields a file of this type may hold at its top level: its own and, for a published document, the shared
    ones (index_no, issuer, ...)."""
    schema = content_type.load_schema()
    shared = _document_properties() if schema.get("$ref") == "document.schema.json" else {}
    return set(schema.get("properties", {})) | set(shared)


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
