"""Render findings once, at the command-line edge: text, JSON or GitHub workflow commands."""

from __future__ import annotations

import json
import posixpath
from itertools import groupby

from .county import OFFICES
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


def summary_rows(schedules: list[tuple[object, object]]) -> list[tuple[str, ...]]:
    """The job summary's catalog table: each item with the dates the checks used (text, so that an office checked
    in another process can send it back)."""
    return [(item.title, item.cadence, cn_date(schedule.last_published) if schedule.last_published else "—",
             cn_date(schedule.due) if schedule.due else "—", schedule.status) for item, schedule in schedules]


def render_summary(findings: list[Finding], rows: list[tuple[str, ...]], as_of) -> str:
    """The job summary: counts, then every catalog item with the dates the checks used."""
    return "\n".join([_("## Open-government check (as of {date})").format(date=cn_date(as_of)), "",
                      *_summary_body(findings, rows)]) + "\n"


def render_county_summary(findings: list[Finding], offices: list, as_of) -> str:
    """A county's job summary: which offices were checked, the county file's findings, then each office's summary
    under its name (offices: county_check.OfficeCheck)."""
    everything = findings + [f for office in offices for f in office.findings]
    names = "、".join(f"{office.name or office.office}（{OFFICES}/{office.office}）" for office in offices)
    lines = [_("## Open-government check (as of {date})").format(date=cn_date(as_of)), "",
             _("Offices checked: {offices}").format(offices=names) if offices
             else _("No office's files changed, so no office was checked."), "", f"**{_counts(everything)}**", ""]
    if findings:
        lines += [_("### County file and office folders"), "", *_findings_table(findings)]
    for office in offices:
        lines += [f"### {office.name or office.office}（{OFFICES}/{office.office}）", "",
                  *_summary_body(office.findings, office.schedules), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _summary_body(findings: list[Finding], rows: list[tuple[str, ...]]) -> list[str]:
    lines = [f"**{_counts(findings)}**", "", *_findings_table(findings)]
    lines += [_("| Catalog item | Frequency | Last published | Next due | Status |"), "| --- | --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(cell.replace("|", "｜") for cell in row) + " |" for row in rows]
    return lines


def _findings_table(findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    lines = [_("| File | Line | Rule | Problem |"), "| --- | --- | --- | --- |"]
    lines += [f"| {f.file} | {f.line} | {f.code} | {f.text.replace('|', '｜')} |" for f in findings]
    return lines + [""]
