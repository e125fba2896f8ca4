"""The safety gate: what every command that writes a public output passes before it writes anything.

Before rendering, the safety rules (personal data, classified markings,
unsafe HTML, internal items named by public documents) judge the content
and name the file and line. After rendering, the output itself is scanned
for internal text, so a leak the rules cannot see (a pasted table, a
generated page) still stops the command; and the text of every built page
is cleaned by the HTML sanitiser (sanitize.py), as the poster sheets are
when they are made. The site build, `gongkai posters` and the preview all
call these functions and nothing else decides.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..checks import leakscan
from ..checks.check import run_checks
from ..content.workdays import WorkCalendar
from ..findings import Finding
from ..render import sanitize
from .. import timings


def check_content(content, as_of: dt.date, calendar: WorkCalendar) -> list[Finding]:
    """The safety rules' findings; their severity is fixed by the code (see check.is_safety_rule)."""
    return run_checks(content, as_of, calendar, blocking_only=True)


def check_output(content, files: dict[str, bytes]) -> list[Finding]:
    """Findings for internal text in public output files (path → bytes)."""
    return leakscan.scan(content, files)


@timings.stage("scan")
def clean_site(site: Path) -> list[Finding]:
    """Clean the content part of every page the engine built; findings for pages that cannot be cleaned."""
    return sanitize.clean_pages(site)
