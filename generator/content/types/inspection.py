from __future__ import annotations

from dataclasses import dataclass

from ..records import Record, as_date
from . import ContentType


@dataclass
class Inspection(Record):
    @property
    def event_date(self):
        return as_date(self.data.get("date"))

    @property
    def published(self):
        """An inspection's record is published on the day it is held."""
        return self.event_date


TYPE = ContentType("inspection", "监督检查和考核记录", "registers/inspections.csv", "inspection.table.json", Inspection)
