"""Each annual report's registers add up: one outcome per request, carried-over figures as last year published."""

from __future__ import annotations

from ...content import annual_report

from ...i18n import N_, _

ID = "report-consistency"
TITLE = N_("Annual report figures add up")
SUMMARY = N_("Each annual report adds up with its registers: one outcome per request, and the carried-over figures"
             " as the previous year's report published them.")
DEFAULTS = {"severity": "error"}


def check(ctx):
    if not ctx.content.complete("request"):
        return  # the register failed validation: its rows cannot be added up
    for report in ctx.content.of("report"):
        if report.id != str(report.get("year")):
            yield ctx.finding(report, ("year",), _("the report's year {year} differs from its file name")
                                                 .format(year=report.get('year')),
                              _("name the file reports/{year}.md and set id: '{year}'").format(year=report.get('year')))
        for finding in annual_report.consistency(ctx.content, report.get("year")):
            yield ctx.at(finding.file, finding.line, finding.message, finding.hint)
