from __future__ import annotations

from ..records import DocumentRecord
from . import ContentType

TYPE = ContentType("regulation", "政务公开制度", "regulations/*.md", "regulation.schema.json", DocumentRecord)
