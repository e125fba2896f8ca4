"""Findings are data: every problem the pipeline meets becomes one of these.

Location lives in fields, not only in the text, so the same finding can be
rendered as a terminal line, a GitHub annotation or a JSON object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


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
