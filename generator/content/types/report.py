from __future__ import annotations

from ..records import DocumentRecord
from . import ContentType

TYPE = ContentType("report", "政府信息公开工作年度报告", "reports/*.md", "report.schema.json", DocumentRecord)
