"""Render findings once, at the command-line edge: text, JSON or GitHub workflow commands."""

from __future__ import annotations

import json
import posixpath
from itertools import groupby
from urllib.parse import urljoin

from ..content.addresses import POSTER_DIR, slug_of
from ..content.county import OFFICES
from ..content.schedule import OPEN, UPCOMING, cn_date, notice_period
from ..content.types import by_kind
from ..content.workdays import WorkCalendar
from ..findings import ERROR, TITLES, WARNING, WITHHELD, Finding
from ..i18n import _
from .check import all_rules


def _counts(findings: list[Finding]) -> str:
    """The errors and warnings, as `check` counts them: a withheld document is the build's decision, not a finding."""
    count_errors = sum(1 for f in findings if f.severity == ERROR)
    return _("{errors} error(s), {warnings} warning(s)").format(
        errors=count_errors, warnings=sum(1 for f in findings if f.severity == WARNING))


def _where(finding: Finding, prefix: str) -> str:
    """A path the user can open: a file inside the content folder as they named it, or the folder itself."""
    # An office in a county names the county's calendar as ../../calendar/…: printed as the path it is.
    return posixpath.normpath(prefix + finding.file) if finding.file else prefix.rstrip("/") or "."


def title_of(code: str) -> str:
    """A finding's code as a reader knows it: the rule's name, or what kind of problem it is."""
    rule = next((rule for rule in all_rules() if rule.ID == code), None)
    return _(rule.TITLE if rule else TITLES.get(code, code))


def render_text(findings: list[Finding], prefix: str = "") -> str:
    """One line per finding, `path:line: what is wrong — what to do`, grouped by file, then the counts."""
    lines = []
    for _file, group in groupby([f for f in findings if f.severity != WITHHELD], key=lambda f: f.file):
        for finding in group:
            tag = _(" [warning]") if finding.severity == WARNING else ""
            lines.append(f"{_where(finding, prefix)}:{finding.line}: {finding.text}{tag}")
    lines.append(_counts(findings))
    lines += withheld_lines(findings, prefix)  # after the counts: what the site leaves out this time
    return "\n".join(lines) + "\n"


def withheld_lines(findings: list[Finding], prefix: str = "") -> list[str]:
    """How many documents are not published this time, then each with why and what to do (the build and the
    preview say it alike); none when nothing is withheld."""
    withheld = [f for f in findings if f.severity == WITHHELD]
    if not withheld:
        return []
    return [_("{count} document(s) not published this time (everything else is):").format(count=len({f.file for f in withheld})),
            *(f"{_where(finding, prefix)}:{finding.line}: {finding.text}" for finding in withheld)]


def error_lines(findings: list[Finding], prefix: str = "") -> list[str]:
    """Each error as `path:line: what is wrong — what to do`, for a page that lists what to fix first."""
    return [f"{_where(finding, prefix)}:{finding.line}: {finding.text}"
            for finding in findings if finding.severity == ERROR]


def render_json(findings: list[Finding], prefix: str = "") -> str:
    return json.dumps([{"rule": f.code, "title": title_of(f.code), "severity": f.severity, "file": _where(f, prefix), "line": f.line, "message": f.text}
                       for f in findings], ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: list[Finding], prefix: str = "") -> str:
    """Workflow commands that GitHub shows as annotations on the pull request's files."""
    lines = [f"::{'notice' if f.severity == WITHHELD else f.severity} file={_escape_property(_where(f, prefix))},line={f.line},title={_escape_property(title_of(f.code))}::{_escape_data(f.text)}"
             for f in findings]
    lines.append(_counts(findings))
    return "\n".join(lines) + "\n"


def summary_rows(schedules: list[tuple[object, object]]) -> list[tuple[str, ...]]:
    """The job summary's catalog table: each item with the dates the checks used (text, so that an office checked
    in another process can send it back)."""
    return [(item.title, item.cadence, cn_date(schedule.last_published) if schedule.last_published else "—",
             cn_date(schedule.due) if schedule.due else "—", schedule.status) for item, schedule in schedules]


# What a pull request can publish, each on its own page or in its register (the catalog and settings are read by the
# checks; a change to the catalog would list every item).
PUBLISHED_KINDS = ("notice", "regulation", "service", "report", "fee", "office", "pledges", "complaint", "inspection")


def published_rows(content, changed: set[str] | None, as_of, decision=None) -> list[tuple[str, ...]] | None:
    """What the changed files publish: each public record's title, type, notice period, the day its sheet comes off
    the board and the sheet's address once published, or why it is not (the build's `decision`: a reviewer read an
    internal document's poster address here while the build withheld it); text, like summary_rows. None without a
    set of changes."""
    if changed is None or content.office is None:
        return None
    calendar = WorkCalendar.from_content(content)
    rows = []
    for kind in PUBLISHED_KINDS:
        for record in sorted(content.of(kind), key=lambda r: (r.file, r.id)):
            if record.file not in changed or record.internal:
                continue
            kind_name, period, removal, poster, slug = by_kind(kind).label, "—", "—", "—", slug_of(record)
            if kind == "notice":
                dates = notice_period(record, calendar)
                kind_name = record.notice_type  # 听证公告, 人事公示…: each says it is a notice
                period = f"{cn_date(dates.first_day)}—{cn_date(dates.last_day)}"
                removal = cn_date(dates.removal)
                if dates.takedown(calendar) != dates.removal:
                    # As the sheet says: nobody takes a sheet down on a rest day.
                    removal = _("{takedown} ({removal} is a rest day)").format(
                        takedown=cn_date(dates.takedown(calendar)), removal=removal)
                if dates.status(as_of) == UPCOMING:
                    poster = _("printed when the period starts")
                if dates.status(as_of) != OPEN:
                    slug = None  # the board carries a notice only while it runs
            if slug:
                poster = urljoin(content.office.get("site_url"), f"{POSTER_DIR}/{slug}.pdf")
            withheld = decision is not None and not decision.published(record)
            if withheld:
                poster = _("not published: {reason}").format(reason=decision.withheld[(record.kind, record.id)][0].message)
            rows.append((record.title, kind_name, period, removal, poster))
    return rows


def render_summary(findings: list[Finding], rows: list[tuple[str, ...]], as_of,
                   published: list[tuple[str, ...]] | None = None) -> str:
    """The job summary: counts, what the change publishes, then every catalog item with the dates the checks used."""
    return "\n".join([_("## Open-government check (as of {date})").format(date=cn_date(as_of)), "",
                      *_summary_body(findings, rows, published)]) + "\n"


def render_county_summary(findings: list[Finding], offices: list, as_of) -> str:
    """A county's job summary: which offices were checked, the county file's findings, then each office's summary
    under its name (offices: offices_check.OfficeCheck)."""
    everything = findings + [f for office in offices for f in office.findings]
    names = "、".join(f"{office.name or office.office}（{OFFICES}/{office.office}）" for office in offices)
    lines = [_("## Open-government check (as of {date})").format(date=cn_date(as_of)), "",
             _("Offices checked: {offices}").format(offices=names) if offices
             else _("No office's files changed, so no office was checked."), "", f"**{_counts(everything)}**", ""]
    if findings:
        lines += [_("### County file and office folders"), "", *_findings_table(findings)]
    for office in offices:
        lines += [f"### {office.name or office.office}（{OFFICES}/{office.office}）", "",
                  *_summary_body(office.findings, office.schedules, office.published), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_folder_summary(county, findings: list[Finding], offices: list, as_of) -> str:
    """The job summary of a folder checked as a county: a county's, or a county of one's, which is its office's."""
    if county.portal or not offices:
        return render_county_summary(findings, offices, as_of)
    office = offices[0]
    return render_summary(findings + office.findings, office.schedules, as_of, office.published)


def _summary_body(findings: list[Finding], rows: list[tuple[str, ...]],
                  published: list[tuple[str, ...]] | None) -> list[str]:
    lines = [f"**{_counts(findings)}**", "", *_findings_table(findings)]
    if published is not None:
        lines += [_("**What this change publishes**"), ""]
        lines += [_("| Title | Type | Period | Taken off the board | Bulletin-board sheet |"),
                  "| --- | --- | --- | --- | --- |", *(_table_row((*row[:4], _link(row[4]))) for row in published)] \
            if published \
            else [_("Nothing that is published: no public document is new or changed.")]
        lines += [""]
    if rows:
        lines += [_("| Catalog item | Frequency | Last published | Next due | Status |"), "| --- | --- | --- | --- | --- |"]
        lines += map(_table_row, rows)
    return lines


def _link(address: str) -> str:
    return f"[{posixpath.basename(address)}]({address})" if address.startswith(("https://", "http://")) else address


def render_published_text(published: list[tuple[str, ...]] | None, office: str = "") -> str:
    """What the changed files publish, for a log (Gitea and Forgejo show no job summary): a line per document."""
    if published is None:
        return ""
    heading = _("What this change publishes{office}:").format(office=f"（{office}）" if office else "")
    if not published:
        return heading + " " + _("Nothing that is published: no public document is new or changed.") + "\n"
    lines = [_("  {title} ({type}): period {period}, taken off the board on {removal}, sheet {poster}")
             .format(title=title, type=kind, period=period, removal=removal, poster=poster)
             for title, kind, period, removal, poster in published]
    return "\n".join([heading, *lines]) + "\n"


def _table_row(cells) -> str:
    return "| " + " | ".join(str(cell).replace("|", "｜") for cell in cells) + " |"


def _findings_table(findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    lines = [_("| File | Line | Rule | Problem |"), "| --- | --- | --- | --- |"]
    lines += [_table_row((f.file, f.line, title_of(f.code), f.text)) for f in findings]
    return lines + [""]
