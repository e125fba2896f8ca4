"""Pledged time limits are no longer than statutory ones, and the pledges agree with the guides (限时办结承诺)."""

from __future__ import annotations

from ..findings import WARNING

ID = "pledge-consistency"
DEFAULTS = {"severity": "error"}


def check(ctx):
    pledges = ctx.content.one("pledges")
    for service in ctx.content.of("service"):
        if service.pledged_days > service.statutory_days:
            yield ctx.finding(service, ("time_limit", "pledged"),
                              f"the pledged limit ({service.pledged_days} working days) is longer than the statutory one ({service.statutory_days})",
                              "a pledge may only shorten the statutory limit")
        if pledges is None:
            continue
        pledged = pledges.pledged_days_for(service.id)
        if pledged is None:
            yield ctx.finding(service, ("time_limit", "pledged"), "no service pledge covers this guide",
                              f"add {service.id} to a time limit in {pledges.file}, or a 'rest: true' limit", severity=WARNING)
        elif pledged[0] != service.pledged_days:
            at = f"{pledges.file}:{pledges.line('time_limits', pledged[1], 'working_days')}"
            yield ctx.finding(service, ("time_limit", "pledged"),
                              f"the guide pledges {service.pledged_days} working days but the service pledge ({at}) says {pledged[0]}",
                              "make the guide and the pledge say the same")
