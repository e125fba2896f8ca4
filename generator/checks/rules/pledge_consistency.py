"""Pledged time limits are no longer than statutory ones, and the pledges agree with the guides (限时办结承诺)."""

from __future__ import annotations

from ...findings import WARNING
from ...i18n import N_, _

ID = "pledge-consistency"
TITLE = N_("Pledges agree with the guides")
SUMMARY = N_("Pledged time limits are no longer than statutory ones, and each service guide's pledged limit is the"
             " one the service pledges give it (限时办结承诺).")
DEFAULTS = {"severity": "error"}


def check(ctx):
    pledges = ctx.content.one("pledges")
    for service in ctx.content.of("service"):
        if service.pledged_days > service.statutory_days:
            yield ctx.finding(service, ("time_limit", "pledged"),
                              _("the pledged limit ({pledged_days} working days) is longer than the statutory one "
                                "({statutory_days})")
                              .format(pledged_days=service.pledged_days, statutory_days=service.statutory_days),
                              _("a pledge may only shorten the statutory limit"))
        if pledges is None:
            continue
        pledged = pledges.pledged_days_for(service.id)
        if pledged is None:
            yield ctx.finding(service, ("time_limit", "pledged"), _("no service pledge covers this guide"),
                              _("add {id} to a time limit in {file}, or a 'rest: true' limit")
                              .format(id=service.id, file=pledges.file), severity=WARNING)
        elif pledged[0] != service.pledged_days:
            at = f"{pledges.file}:{pledges.line('time_limits', pledged[1], 'working_days')}"
            yield ctx.finding(service, ("time_limit", "pledged"),
                              _("the guide pledges {pledged_days} working days but the service pledge ({at}) says "
                                "{pledged}").format(pledged_days=service.pledged_days, at=at, pledged=pledged[0]),
                              _("make the guide and the pledge say the same"))
