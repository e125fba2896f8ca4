from __future__ import annotations

from ..records import Record
from . import ContentType

TYPE = ContentType("review", "行政复议和行政诉讼登记", "registers/reviews.csv", "review.table.json", Record)
