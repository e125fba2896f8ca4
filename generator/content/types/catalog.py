from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..records import Record, Ref
from . import ContentType


@dataclass
class CatalogItem(Record):
    @property
    def proactive(self) -> bool:
        return self.data["mode"] == "主动公开"

    @property
    def cadence(self) -> str:
        return self.data["cadence"]

    @property
    def internal(self) -> bool:
        return self.data["audience"] == "内部"

    def references(self) -> Iterator[Ref]:
        yield Ref("section", self.data["owner"], ("owner",))


TYPE = ContentType("catalog", "公开事项目录", "catalog.yaml", "catalog.schema.json", CatalogItem, items_key="items")
