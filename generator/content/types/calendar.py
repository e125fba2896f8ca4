from __future__ import annotations

from ..records import Record
from . import ContentType

TYPE = ContentType("calendar", "节假日安排", "calendar/*.yaml", "calendar.schema.json", Record, id_key="year")
