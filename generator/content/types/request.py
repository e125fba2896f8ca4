from __future__ import annotations

from ..records import Record
from . import ContentType

TYPE = ContentType("request", "政府信息公开申请登记", "registers/requests.csv", "request.table.json", Record)
