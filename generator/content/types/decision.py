from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..records import Record, Ref
from . import ContentType


@dataclass
class Decision(Record):
    def references(self) -> Iterator[Ref]:
        if self.get("service"):
            yield Ref("service", self.get("service"), ("service",))


TYPE = ContentType("decision", "行政决定登记", "registers/decisions.csv", "decision.table.json", Decision)
