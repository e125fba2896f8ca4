"""Findings are data: every problem the pipeline meets becomes one of these.

Location lives in fields, not only in the text, so the same finding can be
rendered as a terminal line, a GitHub annotation or a JSON object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import N_, _

ERROR = "error"
WARNING = "warning"
WITHHELD = "withheld"  # not a problem of the content's own: a document the build leaves out (publication.py)

# The names a reader sees for the codes of findings that are not a rule's (a rule names itself: rules/*.TITLE),
# e.g. a section chief reading a pull request's annotations, who would not know what `table-cell` means.
TITLES = {
    "syntax": N_("File format"), "duplicate-key": N_("Field written twice"), "front-matter": N_("Header fields"),
    "encoding": N_("Text encoding"), "schema": N_("Field value"), "table-cell": N_("Table cell"),
    "table-header": N_("Table columns"), "unknown-file": N_("Unknown file"), "symlink": N_("Linked file"),
    "missing-file": N_("Missing file"), "no-content": N_("No content"), "id-filename": N_("Number and file name"),
    "credit-code": N_("Unified social credit code"), "index-number": N_("Index number"),
    "issuer-name": N_("Issuing body"), "duplicate-id": N_("Number used twice"),
    "dangling-reference": N_("Reference to missing content"), "county-office": N_("Office of the county"),
    "office-folder": N_("Office folder"), "attachment-alt": N_("Attachment description"),
    "attachment-format": N_("Attachment format"), "attachment-missing": N_("Missing attachment"),
    "attachment-path": N_("Attachment location and name"), "attachment-unreadable": N_("Attachment that cannot be read"),
    "calendar-unknown-year": N_("Year without a holiday calendar"), "internal-leak": N_("Internal content made public"),
    "rules-file": N_("Rule settings"), "engine": N_("Site generator"), "search-index": N_("Search index"),
    "poster": N_("Bulletin-board sheet"), "worker": N_("Checking process"), "file-name": N_("File name"),
    "withheld": N_("Not published this time"), "rules-skipped": N_("Rules not yet run"),
    "cache": N_("Partition cache"),
}


@dataclass(frozen=True, order=True)
class Finding:
    file: str  # relative to the content folder; "" is the folder itself
    line: int
    code: str
    message: str
    hint: str = ""
    severity: str = field(default=ERROR, compare=False)

    @property
    def text(self) -> str:
        """What is wrong — what to do, on one line whatever the message quoted."""
        text = f"{self.message} — {self.hint}" if self.hint else self.message
        return " ".join(text.split())

    def __str__(self) -> str:
        return f"{self.file or '.'}:{self.line}: {self.text}"


class ContentError(Exception):
    """Raised while parsing one file; turned into a Finding by the caller."""

    def __init__(self, line: int, message: str, hint: str = "", code: str = "syntax"):
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint
        self.code = code


def errors(findings) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


def titled(name: str, title: str | None) -> str:
    """A key as the file spells it, with the Chinese title a clerk understands: covers（所属期间）."""
    return name + _(" ({title})").format(title=title) if title and title != name else name
