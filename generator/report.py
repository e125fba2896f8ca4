"""Render findings once, at the command-line edge: text, JSON or GitHub annotations."""

from __future__ import annotations

from .findings import ERROR, WARNING, Finding


def render_text(findings: list[Finding]) -> str:
    lines = [f"{finding}" + (" [warning]" if finding.severity == WARNING else "") for finding in findings]
    count_errors = sum(1 for f in findings if f.severity == ERROR)
    count_warnings = len(findings) - count_errors
    lines.append(f"{count_errors} error(s), {count_warnings} warning(s)")
    return "\n".join(lines) + "\n"
