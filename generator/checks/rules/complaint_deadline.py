"""A complaint is answered (办结) within its time limit, counted from the day it is received.

The seed's 投诉处理制度 leaves the limit of each 立案处理类 complaint to
综合科's 督办意见, so the default is the general one of 信访工作条例 (2022)
第三十二条: 办结 within 60 days of acceptance. An office that pledges less
sets answer_days in rules.yaml. A complaint still open past its limit is an
error (answer it); one answered late is a warning: it stays on the record
and in the supervisor's count, but nothing can make it on time now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...content.records import as_date
from ...content.schedule import cn_date
from ...findings import WARNING
from ...i18n import N_, _

ID = "complaint-deadline"
TITLE = N_("Complaint answered in time")
SUMMARY = N_("A complaint is closed (办结) within its time limit from the day it was received: by default 60 days "
             "(信访工作条例 第三十二条), or the office's own `answer_days`. One still open past its limit is an error; one "
             "closed late is a warning that stays on the record and in the supervisor's count.")
DEFAULTS = {"severity": "error", "answer_days": 60}
IN_TIME, LATE, OVERDUE, PENDING = "按期办结", "超期办结", "超期未办结", "办理中"


@dataclass(frozen=True)
class Answer:
    """Where one complaint stands on the as-of date."""

    complaint: object
    received: dt.date
    deadline: dt.date
    closed: dt.date | None
    status: str


def answers(content, as_of: dt.date, params: dict) -> list[Answer]:
    """Every complaint received by as_of, with its deadline and whether it was answered in time."""
    found = []
    for complaint in content.of("complaint"):
        received = as_date(complaint.get("received"))
        if received is None or received > as_of:
            continue
        deadline = received + dt.timedelta(days=params["answer_days"])
        closed = as_date(complaint.get("closed"))
        if closed is not None and closed > as_of:
            closed = None  # not answered yet on the as-of date
        if closed is not None:
            status = IN_TIME if closed <= deadline else LATE
        else:
            status = OVERDUE if as_of > deadline else PENDING
        found.append(Answer(complaint, received, deadline, closed, status))
    return found


def check(ctx):
    if not ctx.content.complete("complaint"):
        return  # the register failed validation: its dates cannot be read
    days = ctx.params["answer_days"]
    for answer in answers(ctx.content, ctx.as_of, ctx.params):
        if answer.status == OVERDUE:
            yield ctx.finding(answer.complaint, ("closed",),
                              _("complaint {id} received {received} was due to be answered within {days} days, by "
                                "{deadline}, and is not closed")
                              .format(id=answer.complaint.id, received=cn_date(answer.received), days=days,
                                      deadline=cn_date(answer.deadline)),
                              _("answer the complainant and record the closing date in the closed column"))
        elif answer.status == LATE:
            yield ctx.finding(answer.complaint, ("closed",),
                              _("complaint {id} was closed {closed}, after its deadline {deadline} ({days} days "
                                "from {received})")
                              .format(id=answer.complaint.id, closed=cn_date(answer.closed), days=days,
                                      deadline=cn_date(answer.deadline), received=cn_date(answer.received)),
                              _("if the dates are wrong, correct them; otherwise the late answer stays on the record"),
                              severity=WARNING)
