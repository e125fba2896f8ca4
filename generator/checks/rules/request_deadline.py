"""A request for disclosure (依申请公开) is answered within 20 working days, or 20 more when the period was extended.

政府信息公开条例 第三十三条: 行政机关不能当场答复的，应当自收到申请之日起20个工作日内予以答复；需要
延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日.
An extension counts when its date (column `extended` of registers/requests.csv) falls within the first
period. A request still unanswered past its deadline is an error (answer it); one answered late is a
warning: it stays on the record, and nothing can make it on time now.
"""

from __future__ import annotations

from ...findings import WARNING
from ...i18n import N_, _
from ...content.records import as_date
from ...content.schedule import cn_date

ID = "request-deadline"
TITLE = N_("Request answered in time")
SUMMARY = N_("A request for disclosure (依申请公开) is answered within 20 working days of its receipt, or 20 more when "
             "the period was extended with the approval of the disclosure office's head and the applicant told (条例"
             " 第三十三条); the extension's date (column `extended`) falls within the first period. One still "
             "unanswered past its deadline is an error; one answered late is a warning that stays on the record.")
DEFAULTS = {"severity": "error", "answer_working_days": 20, "extension_working_days": 20}


def deadline(request, calendar, params: dict):
    """The day a request must be answered by, and whether an extension recorded in time moved it."""
    received = as_date(request.get("received"))
    due = calendar.add_working_days(received, params["answer_working_days"])
    extended = as_date(request.get("extended"))
    if extended is not None and received <= extended <= due:
        return calendar.add_working_days(due, params["extension_working_days"]), True
    return due, False


def check(ctx):
    if not ctx.content.complete("request"):
        return  # the register failed validation: its dates cannot be read
    for request in ctx.content.of("request"):
        received = as_date(request.get("received"))
        if received is None or received > ctx.as_of:
            continue
        due, extended = deadline(request, ctx.calendar, ctx.params)
        yield from ctx.unknown_years(request, ("received",), received, due)
        answered = as_date(request.get("answered"))
        if answered is not None and answered > ctx.as_of:
            answered = None  # not answered yet on the as-of date
        limit = (_("{days} working days, extended by {more}").format(days=ctx.params["answer_working_days"],
                                                                      more=ctx.params["extension_working_days"])
                 if extended else _("{days} working days").format(days=ctx.params["answer_working_days"]))
        if answered is None and ctx.as_of > due:
            yield ctx.finding(request, ("answered",),
                              _("request {id} received {received} was due to be answered by {due} ({limit}), and has"
                                " no answer").format(id=request.id, received=cn_date(received), due=cn_date(due),
                                                     limit=limit),
                              _("answer the applicant and record the date in the answered column (条例 第三十三条)"))
        elif answered is not None and answered > due:
            yield ctx.finding(request, ("answered",),
                              _("request {id} was answered {answered}, after its deadline {due} ({limit})")
                              .format(id=request.id, answered=cn_date(answered), due=cn_date(due), limit=limit),
                              _("if the dates are wrong, correct them (an extension goes in the extended column);"
                                " otherwise the late answer stays on the record"), severity=WARNING)
