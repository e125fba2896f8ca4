from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..records import DocumentRecord, Ref
from . import ContentType


@dataclass
class ServiceGuide(DocumentRecord):
    @property
    def statutory_days(self) -> int:
        return self.data["time_limit"]["statutory"]

    @property
    def pledged_days(self) -> int:
        return self.data["time_limit"]["pledged"]

    @property
    def fee_ids(self) -> list[str]:
        return self.data["fee"].get("fees", [])

    def references(self) -> Iterator[Ref]:
        yield from super().references()
        yield Ref("section", self.data["owner"], ("owner",))
        for index, fee_id in enumerate(self.fee_ids):
            yield Ref("fee", fee_id, ("fee", "fees", index))


TYPE = ContentType("service", "办事指南", "services/*.yaml", "service.schema.json", ServiceGuide)
