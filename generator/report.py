"""Render findings once, at the command-line edge: text, JSON or GitHub workflow commands."""

from __future__ import annotations

import json
import posixpath
from itertools import groupby

from .findings import ERROR, WARNING, Finding
from .i18n import _
from .schedule import cn_date


def _counts(findings: list[Finding]) -> str:
    count_errors = sum(1 for f in findings if f.severity == ERROR)
    return _("{errors} error(s), {warnings} warning(s)").format(errors=count_errors,
                                                               warnings=len(findings) - count_errors)


def _where(finding: Finding, prefix: str) -> str:
    """A path the user can open: a file inside the content folder as they named it, or the folder itself."""
    # An office in a county names the county's calendar as ../../calendar/…: printed as the path it is.
    return posixpath.normpath(prefix + finding.file) if finding.file else prefix.rstrip("/") or "."


def render_text(findings: list[Finding], prefix: str = "") -> str:
    """One line per finding, `path:line: what is wrong — what to do`, grouped by file, then the counts."""
    lines = []
    for _file, group in groupby(findings, key=lambda f: f.file):
        for finding in group:
            tag = _(" [warning]") if finding.severity == WARNING else ""
            lines.append(f"{_where(finding, prefix)}:{finding.line}: {finding.text}{tag}")
    lines.append(_counts(findings))
    return "\n".join(lines) + "\n"


def render_json(findings: list[Finding], prefix: str = "") -> str:
    return json.dumps([{"rule": f.code, "severity": f.severity, "file": _where(f, prefix), "line": f.line, "message": f.text}
                       for f in findings], ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: list[Finding], prefix: str = "") -> str:
    """Workflow commands that GitHub shows as annotations on the pull request's files."""
    lines = [f"::{f.severity} file={_escape_property(_where(f, prefix))},line={f.line},title={_escape_property(f.code)}::{_escape_data(f.text)}"
             for f in findings]
    lines.append(_counts(findings))
    return "\n".join(lines) + "\n"


def render_summary(findings: list[Finding], schedules: list[tuple[object, object]], as_of) -> str:
    """The job summary: counts, then every catalog item with the dates the checks used."""
    lines = [_("## Open-government check (as of {date})").format(date=cn_date(as_of)), "", f"**{_counts(findings)}**", ""]
    if findings:
        lines += [_("| File | Line | Rule | Problem |"), "| --- | --- | --- | --- |"]
        lines += [f"| {f.file} | {f.line} | {f.code} | {f.text.replace('|', '｜')} |" for f in findings]
        lines.append("")
    lines += [_("| Catalog item | Frequency | Last published | Next due | Status |"), "| --- | --- | --- | --- | --- |"]
    for item, schedule in schedules:
        last = cn_date(schedule.last_published) if schedule.last_published else "—"
        due = cn_date(schedule.due) if schedule.due else "—"
        lines.append(f"| {item.title} | {item.cadence} | {last} | {due} | {schedule.status} |")
    return "\n".join(lines) + "\n"
