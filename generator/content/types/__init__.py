"""Content types: one module each, discovered here.

A module declares `TYPE = ContentType(...)`: where its files live, which
schema they follow, and which Record class they become. Adding a content
type is one new module plus its schema under schemas/.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import posixpath
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from ... import schemas
from ..load import Document
from ..records import Record

SCHEMA_DIR = Path(schemas.__file__).resolve().parent


@dataclass(frozen=True)
class ContentType:
    kind: str
    label: str  # the Chinese name a clerk knows it by
    pattern: str  # glob under the content folder
    schema: str  # file name under schemas/
    record: type[Record] = Record
    items_key: str | None = None  # a YAML file holding a list of records under this key
    singleton: bool = False  # exactly one such file (the office profile, the pledges)
    id_key: str = "id"
    required: bool = False  # an office cannot be built without it
    provides: tuple[str, ...] = ()  # kinds of ids declared inside these records (the office's sections)

    @property
    def one_record_per_file(self) -> bool:
        return self.format != "csv" and not self.items_key

    @cached_property  # asked for every file
    def format(self) -> str:
        return {".md": "markdown", ".csv": "csv"}.get(posixpath.splitext(self.pattern)[1], "yaml")

    def load_schema(self) -> dict:
        return _schema(self.schema)

    def records(self, doc: Document) -> list[Record]:
        if self.format == "csv":
            return [self._record(row, doc, (index,)) for index, row in enumerate(doc.data)]
        if self.items_key:
            items = doc.data.get(self.items_key) or []
            return [self._record(item, doc, (self.items_key, index)) for index, item in enumerate(items)]
        return [self._record(doc.data, doc, ())]

    def _record(self, data: dict, doc: Document, pointer: tuple) -> Record:
        record_id = self.kind if self.singleton else str(data.get(self.id_key, ""))
        return self.record(self.kind, record_id, data, doc, pointer)


@cache
def _schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def all_types() -> tuple[ContentType, ...]:
    found = []
    for module in pkgutil.iter_modules(__path__):
        content_type = getattr(importlib.import_module(f"{__name__}.{module.name}"), "TYPE", None)
        if content_type is not None:
            found.append(content_type)
    return tuple(sorted(found, key=lambda t: t.kind))


# The registers a clerk adds rows to with `gongkai new register-entry --register NAME`: name → kind.
REGISTERS = {"complaints": "complaint", "requests": "request", "reviews": "review", "inspections": "inspection",
             "decisions": "decision"}


def by_kind(kind: str) -> ContentType:
    return next(t for t in all_types() if t.kind == kind)


def allowed_values(kind: str, name: str) -> list[str]:
    """The values a field may take, read from its schema (a JSON Schema property or a table column)."""
    schema = by_kind(kind).load_schema()
    if "fields" in schema:
        return next(f for f in schema["fields"] if f["name"] == name)["constraints"]["enum"]
    return schema["properties"][name]["enum"]
