"""Check stage for a county: every office validated and judged by its own rules, in parallel, findings named
from the county folder, so one office's broken file never hides another office's findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..content.county import COUNTY_FILE, OFFICES, WorkerDied, in_office, load_county, map_offices
from ..findings import Finding
from .check import catalog_schedules, run_checks
from .report import published_rows, summary_rows
from .validate import load_content


@dataclass
class OfficeCheck:
    """One office's result: its findings named from the county folder and, for the job summary, its catalog table
    and what its changed files publish."""

    office: str
    name: str  # the office's short name ("" while its office.yaml is broken)
    findings: list[Finding]
    schedules: list[tuple[str, ...]] = field(default_factory=list)
    published: list[tuple[str, ...]] | None = None


def county_findings(root: Path, as_of: dt.date | None, changed: set[str] | None = None,
                    jobs: int | None = None) -> list[Finding]:
    """Validation (as_of None) or validation and every rule (as_of given) for each office.

    With `changed` (files changed since a revision, relative to the county folder) only the offices a pull
    request touches are checked, each for its changed files; a change to the county file or the calendars
    checks every office in full.
    """
    findings, offices = check_county(root, as_of, changed, jobs)
    return sorted(set(findings + [f for office in offices for f in office.findings]))


def check_county(root: Path, as_of: dt.date | None, changed: set[str] | None = None, jobs: int | None = None,
                 schedules: bool = False) -> tuple[list[Finding], list[OfficeCheck]]:
    """The county's own findings (its file, its office folders) and each checked office's, in office order; with
    `schedules`, each office's catalog table and what it publishes too."""
    county, findings = load_county(root)
    offices = {office: None for office in county.offices}
    if changed is not None and not any(_county_wide(path) for path in changed):
        offices = {}
        for path in sorted(changed):
            parts = PurePosixPath(path).parts
            if len(parts) > 2 and parts[0] == OFFICES and parts[1] in county.offices:
                offices.setdefault(parts[1], set()).add(PurePosixPath(*parts[2:]).as_posix())
    arguments = [(root, office, as_of, only, schedules) for office, only in offices.items()]
    try:
        return sorted(set(findings)), map_offices(office_check, arguments, jobs)
    except WorkerDied as died:
        return sorted(set(findings)) + [died.finding()], []


def office_check(root: Path, office: str, as_of: dt.date | None, changed: set[str] | None,
                 schedules: bool = False) -> OfficeCheck:
    content, findings = load_content(Path(root) / OFFICES / office)
    if as_of is not None:
        findings += run_checks(content, as_of, changed=changed)
    name = content.office.get("short_name") if content.office else ""
    summary = schedules and as_of and content.office
    rows = summary_rows(catalog_schedules(content, as_of)) if summary else []
    published = published_rows(content, changed, as_of) if summary else None
    return OfficeCheck(office, name, sorted(set(in_office(findings, office))), rows, published)


def _county_wide(path: str) -> bool:
    return path == COUNTY_FILE or PurePosixPath(path).parts[0] == "calendar"
