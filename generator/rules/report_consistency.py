"""Each annual report's registers add up: one outcome per request, carried-over figures as last year published."""

from __future__ import annotations

from .. import annual_report

ID = "report-consistency"
DEFAULTS = {"severity": "error"}


def check(ctx):
    for report in ctx.content.of("report"):
        if report.id != str(report.get("year")):
            yield ctx.finding(report, ("year",), f"the report's year {report.get('year')} differs from its file name",
                              f"name the file reports/{report.get('year')}.md and set id: '{report.get('year')}'")
        for finding in annual_report.consistency(ctx.content, report.get("year")):
            yield ctx.at(finding.file, finding.line, finding.message, finding.hint)
