from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..records import Record, Ref
from . import ContentType


@dataclass
class Pledges(Record):
    def pledged_days_for(self, service_id: str) -> tuple[int, int] | None:
        """The pledged working days for a service and the index of the pledge that says so."""
        limits = self.data["time_limits"]
        for index, limit in enumerate(limits):
            if service_id in limit.get("services", []):
                return limit["working_days"], index
        for index, limit in enumerate(limits):
            if limit.get("rest"):
                return limit["working_days"], index
        return None

    def references(self) -> Iterator[Ref]:
        yield from super().references()
        for index, limit in enumerate(self.data["time_limits"]):
            for position, service_id in enumerate(limit.get("services", [])):
                yield Ref("service", service_id, ("time_limits", index, "services", position))


TYPE = ContentType("pledges", "服务承诺", "pledges.yaml", "pledges.schema.json", Pledges, singleton=True)
