"""Supervision inspections at least twice a year, assessment at least once (监督制度 三; 考核与奖惩制度 四).

Every complete year since the first record is judged; the current year
only warns, in its last month.
"""

from __future__ import annotations

from collections import Counter

from ..findings import WARNING
from ..records import as_date
from ..i18n import _

ID = "inspection-frequency"
DEFAULTS = {"severity": "error", "inspections_per_year": 2, "assessments_per_year": 1}
REGISTER = "registers/inspections.csv"


def check(ctx):
    if not ctx.content.complete("inspection"):
        return  # the register failed validation: its rows cannot be counted
    records = ctx.content.of("inspection")
    counts = Counter((r.published.year, r.get("type")) for r in records)
    first_year = min((r.published.year for r in records), default=ctx.as_of.year - 1)
    start = ctx.content.office.get("applies_from")
    if start:  # the years before the office used Gongkai are not asked for, as with every other rule
        first_year = max(first_year, as_date(start).year)
    needs = (("监督检查", ctx.params["inspections_per_year"]), ("考核", ctx.params["assessments_per_year"]))
    for year in range(first_year, ctx.as_of.year + 1):
        current = year == ctx.as_of.year
        if current and ctx.as_of.month < 12:
            continue
        for kind, needed in needs:
            if counts[(year, kind)] < needed:
                yield ctx.at(REGISTER, 1, _("{year}: {counts} {kind} recorded, at least {needed} required")
                                          .format(year=year, counts=counts[(year, kind)], kind=kind, needed=needed),
                             (_("hold and record the {kind} before the year ends") if current
                              else _("hold and record the {kind}")).format(kind=kind),
                             severity=WARNING if current else None)
