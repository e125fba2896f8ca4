from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

from ..records import DocumentRecord, Ref, as_date
from . import ContentType

MAJOR_DECISION = "重大事项公示"
HEARING = "听证公告"


@dataclass
class Notice(DocumentRecord):
    @property
    def notice_type(self) -> str:
        return self.data["type"]

    @property
    def first_day(self) -> dt.date:
        return as_date(self.data["first_day"])

    @property
    def working_days(self) -> int | None:
        return self.data["period"].get("working_days")

    @property
    def calendar_days(self) -> int | None:
        return self.data["period"].get("days")

    def references(self) -> Iterator[Ref]:
        yield from super().references()
        if self.data.get("decision"):
            yield Ref("notice", self.data["decision"], ("decision",))


TYPE = ContentType("notice", "公示公告", "notices/**/*.md", "notice.schema.json", Notice)
