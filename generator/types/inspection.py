from __future__ import annotations

from ..records import Record
from . import ContentType

TYPE = ContentType("inspection", "监督检查和考核记录", "registers/inspections.csv", "inspection.table.json", Record)
