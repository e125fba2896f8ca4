from __future__ import annotations

from ..records import Record
from . import ContentType

TYPE = ContentType("fee", "收费标准", "fees.csv", "fee.table.json", Record)
