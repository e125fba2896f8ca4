from __future__ import annotations

from ..records import Record
from . import ContentType

TYPE = ContentType("rules", "检查规则参数", "rules.yaml", "rules.schema.json", Record, singleton=True)
