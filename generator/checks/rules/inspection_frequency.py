"""Supervision inspections at least twice a year, assessment at least once (监督制度 三; 考核与奖惩制度 四).

Every complete year since the first record is judged; the current year
only warns, in its last month.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ...content.records import as_date
from ...findings import WARNING
from ...i18n import N_, _

ID = "inspection-frequency"
TITLE = N_("Inspections and assessments held")
SUMMARY = N_("Supervision inspections at least twice a year and an assessment at least once (监督制度 三；考核与奖惩制度 四), "
             "counted in inspections.csv. Every complete year since the first record is judged; the current year "
             "only warns, in its last month.")
DEFAULTS = {"severity": "error", "inspections_per_year": 2, "assessments_per_year": 1}
REGISTER = "registers/inspections.csv"
INSPECTION, ASSESSMENT = "监督检查", "考核"


@dataclass(frozen=True)
class Tally:
    """How many of one kind an office held in one year, against what its rules require."""

    year: int
    kind: str
    held: int
    needed: int
    complete: bool  # the year has ended: a shortfall is final


def tallies(content, as_of: dt.date, params: dict) -> list[Tally]:
    """Each year from the office's first (its first record, or applies_from) to as_of's, each kind."""
    records = content.of("inspection")
    counts = Counter((r.published.year, r.get("type")) for r in records)
    first_year = min((r.published.year for r in records), default=as_of.year - 1)
    start = content.office.get("applies_from")
    if start:  # the years before the office used Gongkai are not asked for, as with every other rule
        first_year = max(first_year, as_date(start).year)
    needs = ((INSPECTION, params["inspections_per_year"]), (ASSESSMENT, params["assessments_per_year"]))
    return [Tally(year, kind, counts[(year, kind)], needed, year < as_of.year)
            for year in range(first_year, as_of.year + 1) for kind, needed in needs]


def check(ctx):
    if not ctx.content.complete("inspection"):
        return  # the register failed validation: its rows cannot be counted
    for tally in tallies(ctx.content, ctx.as_of, ctx.params):
        if tally.held >= tally.needed or (not tally.complete and ctx.as_of.month < 12):
            continue
        year, kind, needed = tally.year, tally.kind, tally.needed
        yield ctx.at(REGISTER, 1, _("{year}: {counts} {kind} recorded, at least {needed} required")
                                  .format(year=year, counts=tally.held, kind=kind, needed=needed),
                     (_("hold and record the {kind} before the year ends") if not tally.complete
                      else _("hold and record the {kind}")).format(kind=kind),
                     severity=None if tally.complete else WARNING)
