from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..records import Record, Ref
from . import ContentType


@dataclass
class Income(Record):
    def references(self) -> Iterator[Ref]:
        yield Ref("fee", self.get("fee"), ("fee",))


TYPE = ContentType("income", "行政事业性收费收入登记", "registers/income.csv", "income.table.json", Income)
