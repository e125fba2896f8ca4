"""Check stage for a county: every office validated and judged by its own rules, in parallel, findings named
from the county folder, so one office's broken file never hides another office's findings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath

from .check import run_checks
from .county import COUNTY_FILE, OFFICES, in_office, load_county, map_offices
from .findings import Finding
from .i18n import choose, language
from .validate import load_content

def county_findings(root: Path, as_of: dt.date | None, changed: set[str] | None = None,
                    jobs: int | None = None) -> list[Finding]:
    """Validation (as_of None) or validation and every rule (as_of given) for each office.

    With `changed` (files changed since a revision, relative to the county folder) only the offices a pull
    request touches are checked, each for its changed files; a change to the county file or the calendars
    checks every office in full.
    """
    county, findings = load_county(root)
    offices = {office: None for office in county.offices}
    if changed is not None and not any(_county_wide(path) for path in changed):
        offices = {}
        for path in sorted(changed):
            parts = PurePosixPath(path).parts
            if len(parts) > 2 and parts[0] == OFFICES and parts[1] in county.offices:
                offices.setdefault(parts[1], set()).add(PurePosixPath(*parts[2:]).as_posix())
    results = map_offices(office_findings, [(root, office, as_of, only, language()) for office, only in offices.items()], jobs)
    for office, result in zip(offices, results):
        findings += in_office(result, office)
    return sorted(set(findings))


def office_findings(root: Path, office: str, as_of: dt.date | None, changed: set[str] | None, lang: str) -> list[Finding]:
    choose(lang)  # a worker started by spawn begins in the default language
    content, findings = load_content(Path(root) / OFFICES / office)
    if as_of is not None:
        findings += run_checks(content, as_of, changed=changed)
    return findings


def _county_wide(path: str) -> bool:
    return path == COUNTY_FILE or PurePosixPath(path).parts[0] == "calendar"
