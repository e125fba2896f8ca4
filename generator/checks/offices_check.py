"""Check stage for any content folder, loaded as a county (a single office is a county of one): every office
validated and judged by its own rules, in parallel, findings named from the folder given, so one office's broken
file never hides another office's findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..content.county import County, WorkerDied, load_county, map_offices
from ..findings import Finding
from .check import catalog_schedules, run_checks
from .publication import decide
from .report import published_rows, summary_rows
from .validate import load_content


@dataclass
class OfficeCheck:
    """One office's result: its findings named from the folder given and, for the job summary, its catalog table
    and what its changed files publish."""

    office: str
    name: str  # the office's short name ("" while its office.yaml is broken)
    findings: list[Finding]
    schedules: list[tuple[str, ...]] = field(default_factory=list)
    published: list[tuple[str, ...]] | None = None


def folder_findings(root: Path, as_of: dt.date | None, changed: set[str] | None = None,
                    jobs: int | None = None) -> list[Finding]:
    """Validation (as_of None) or validation and every rule (as_of given) for each office.

    With `changed` (files changed since a revision, relative to the folder) only the offices a pull request
    touches are checked, each for its changed files; a change to the county file or the calendars checks every
    office in full.
    """
    _county, findings, offices = check_folder(root, as_of, changed, jobs)
    return sorted(set(findings + [f for office in offices for f in office.findings]))


def check_folder(root: Path, as_of: dt.date | None, changed: set[str] | None = None, jobs: int | None = None,
                 schedules: bool = False) -> tuple[County, list[Finding], list[OfficeCheck]]:
    """The folder as a county, its own findings (its file, its office folders) and each checked office's, in office
    order; with `schedules`, each office's catalog table and what it publishes too."""
    county, findings = load_county(root)
    # Without its record: a worker started by spawn is sent its arguments, and each office reads the county file itself.
    arguments = [(replace(county, record=None), office, as_of, only, schedules)
                 for office, only in county.changed_by_office(changed).items()]
    try:
        return county, sorted(set(findings)), map_offices(office_check, arguments, jobs)
    except WorkerDied as died:
        return county, sorted(set(findings)) + [died.finding()], []


def office_check(county: County, office: str, as_of: dt.date | None, changed: set[str] | None,
                 schedules: bool = False) -> OfficeCheck:
    content, findings = load_content(county.office_dir(office))
    if as_of is not None:
        findings += run_checks(content, as_of, changed=changed)
    name = content.office.get("short_name") if content.office else ""
    summary = schedules and as_of and content.office
    rows = summary_rows(catalog_schedules(content, as_of)) if summary else []
    published = published_rows(content, changed, as_of, decide(content, as_of, findings)) if summary else None
    return OfficeCheck(office, name, sorted(set(county.named(findings, office))), rows, published)
