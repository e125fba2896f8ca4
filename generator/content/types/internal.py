from __future__ import annotations

from ..records import Record
from . import ContentType

TYPE = ContentType("internal", "对内公开事项", "internal/*.yaml", "internal.schema.json", Record)
