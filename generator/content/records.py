"""Typed records: what the validate stage hands to checks and renderers.

A record wraps the part of a Document it came from (its `pointer` inside
the file), so every message about it can name the file and the line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterator

from .load import Document, KeyPath


FIRST_YEAR, LAST_YEAR = 1900, 2199  # beyond these, no holiday calendar and no deadline means anything


def in_date_range(value: Any) -> bool:
    return FIRST_YEAR <= as_date(value).year <= LAST_YEAR


def as_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@dataclass(frozen=True)
class Ref:
    """A reference from one record to another, checked by the validate stage."""

    kind: str
    id: str
    at: KeyPath  # key path inside the referring record


@dataclass
class Record:
    kind: str
    id: str
    data: dict
    doc: Document
    pointer: KeyPath = ()

    @property
    def file(self) -> str:
        return self.doc.rel

    def line(self, *keys) -> int:
        return self.doc.line_of(self.pointer + tuple(keys))

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def title(self) -> str:
        return str(self.data.get("title") or self.data.get("name") or self.id)

    @property
    def body(self) -> str:
        return self.doc.body

    @property
    def catalog_ids(self) -> list[str]:
        value = self.data.get("catalog") or []
        return [value] if isinstance(value, str) else list(value)

    @property
    def published(self) -> dt.date | None:
        return as_date(self.data.get("published"))

    @property
    def event_date(self) -> dt.date | None:
        """For a record of something that happened (an inspection held), the day it happened."""
        return None

    @property
    def internal(self) -> bool:
        return self.data.get("audience") == "内部"

    def references(self) -> Iterator[Ref]:
        """Every id this record names; subclasses add their own."""
        for index, item in enumerate(self.catalog_ids):
            at = ("catalog", index) if isinstance(self.data.get("catalog"), list) else ("catalog",)
            yield Ref("catalog", item, at)


@dataclass
class DocumentRecord(Record):
    """A published document: the metadata block every open-information page shows."""

    @property
    def index_no(self) -> str:
        return str(self.data.get("index_no", ""))

    @property
    def written(self) -> dt.date | None:
        return as_date(self.data.get("written"))

    @property
    def validity(self) -> str:
        return (self.data.get("validity") or {}).get("status", "有效")

    @property
    def current(self) -> bool:
        return self.validity == "有效"

    def references(self) -> Iterator[Ref]:
        yield from super().references()
        replaced_by = (self.data.get("validity") or {}).get("replaced_by")
        if replaced_by:
            yield Ref(self.kind, replaced_by, ("validity", "replaced_by"))
