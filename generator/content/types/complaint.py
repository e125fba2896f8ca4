from __future__ import annotations

from ..records import Record
from . import ContentType

TYPE = ContentType("complaint", "投诉和意见建议办理结果", "registers/complaints.csv", "complaint.table.json", Record)
