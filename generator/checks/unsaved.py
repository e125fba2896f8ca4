"""The safety rules (personal data, classified markings, unsafe web code, internal text: those whose errors stop
every build) on one file as it is about to be saved, before it is: the form editor refuses a save they object to,
so such a text never reaches the clone, its git history or a branch on the code host. The very rules `gongkai
check` runs, on the same texts (the raw file and its parsed values), so the message is the one check gives."""

from __future__ import annotations

import datetime as dt

from ..content.load import Document
from ..content.workdays import WorkCalendar
from ..findings import ERROR, Finding
from .check import CheckContext, all_rules, document_texts, rule_params
from .validate import Content


def unsaved_findings(content: Content, rel: str, text: str, doc: Document | None, as_of: dt.date) -> list[Finding]:
    """The safety rules' errors in the file at `rel` (relative to the content folder) if it held `text`; `doc`: the
    text parsed (None where it does not parse: its raw lines are read all the same)."""
    params, _findings = rule_params(content)
    texts = document_texts(doc) if doc is not None else []
    shared = {"files": [(content.root / rel, rel, text)], "texts": texts,
              "body_lines": {rel: doc.body_line if doc is not None and doc.body else 1 << 30}}
    calendar = WorkCalendar.from_content(content)
    found = []
    for rule in all_rules():
        if getattr(rule, "BLOCKS_BUILD", False) and params[rule.ID]["severity"] != "off":
            found += rule.check(CheckContext(content, calendar, as_of, rule.ID, params[rule.ID], shared,
                                             frozenset({rel})))
    return sorted({f for f in found if f.file == rel and f.severity == ERROR}, key=lambda f: (f.line, f.code))
