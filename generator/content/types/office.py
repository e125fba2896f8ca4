from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..records import Record, Ref, as_date
from . import ContentType


@dataclass
class OfficeProfile(Record):
    @property
    def sections(self) -> list[dict]:
        return self.data.get("sections", [])

    def section(self, section_id: str) -> dict | None:
        return next((s for s in self.sections if s["id"] == section_id), None)

    @property
    def published(self):
        return as_date(self.data.get("updated"))

    @property
    def public_phones(self) -> set[str]:
        phones = set(self.data.get("phones", {}).values())
        phones.update(s["phone"] for s in self.sections if s.get("phone"))
        return phones

    def provides(self) -> Iterator[Ref]:
        for index, section in enumerate(self.sections):
            yield Ref("section", section["id"], ("sections", index, "id"))

    def references(self) -> Iterator[Ref]:
        yield from super().references()
        for index, leader in enumerate(self.data.get("leaders", [])):
            for position, section_id in enumerate(leader.get("sections", [])):
                yield Ref("section", section_id, ("leaders", index, "sections", position))
        yield Ref("section", self.data["leading_group"]["office_section"], ("leading_group", "office_section"))


TYPE = ContentType("office", "机构概况", "office.yaml", "office.schema.json", OfficeProfile, singleton=True, required=True, provides=("section",))
