"""Hearing deadlines (重大事项公示和听证制度 第十一、十四、十五条).

A hearing is announced within N working days after its major-decision
notice ends; its report is made within 7 days of the hearing; feedback
reaches the participants within 15 days.
"""

from __future__ import annotations

import datetime as dt

from ...content.records import as_date
from ...content.schedule import cn_date, notice_period
from ...content.types.notice import HEARING
from ...findings import WARNING
from ...i18n import N_, _

ID = "hearing-deadlines"
TITLE = N_("Hearing deadlines")
SUMMARY = N_("Hearing deadlines (重大事项公示和听证制度 第十一、十四、十五条): a hearing is announced within 5 working days after its "
             "major-decision notice ends, its report is made within 7 days of the hearing, and feedback reaches "
             "the participants within 15 days.")
DEFAULTS = {"severity": "error", "announce_working_days": 5, "report_days": 7, "feedback_days": 15}


def check(ctx):
    for notice in ctx.content.of("notice"):
        if notice.notice_type != HEARING:
            continue
        decision = ctx.content.get("notice", notice.get("decision") or "")
        if decision is None:
            yield ctx.finding(notice, ("type",), _("a hearing announcement does not say which major-decision "
                                                   "notice it belongs to"),
                              _("add decision: <id of the major-decision notice>"))
        else:
            yield from _announcement(ctx, notice, notice_period(decision, ctx.calendar).last_day)
        hearing = notice.get("hearing")
        if hearing:
            held = as_date(hearing["date"])
            yield from _after_hearing(ctx, notice, held, "report", ctx.params["report_days"], "听证报告")
            yield from _after_hearing(ctx, notice, held, "feedback", ctx.params["feedback_days"], "意见处理情况反馈")


def _announcement(ctx, notice, decision_end: dt.date):
    limit = ctx.params["announce_working_days"]
    deadline = ctx.calendar.add_working_days(decision_end, limit)
    yield from ctx.unknown_years(notice, ("published",), decision_end, deadline)
    if notice.published <= decision_end:
        yield ctx.finding(notice, ("published",),
                          _("the hearing is announced {published}, before its notice ends ({decision_end})")
                          .format(published=cn_date(notice.published), decision_end=cn_date(decision_end)),
                          _("announce a hearing after the major-decision notice has ended"))
    elif notice.published > deadline:
        yield ctx.finding(notice, ("published",),
                          _("the hearing is announced {published}; it was due within {limit} working days after "
                            "the notice ended {decision_end}, by {deadline}")
                          .format(published=cn_date(notice.published), limit=limit, decision_end=cn_date(decision_end), deadline=cn_date(deadline)),
                          _("announce hearings in time; if the dates are wrong, correct them"))


def _after_hearing(ctx, notice, held: dt.date, key: str, days: int, label: str):
    deadline = held + dt.timedelta(days=days)
    done = as_date(notice.get("hearing").get(key))
    if done is None:
        if ctx.as_of > deadline:
            yield ctx.finding(notice, ("hearing",), _("the {label} was due by {deadline} ({days} days after the "
                                                      "hearing) and is not recorded")
                                                    .format(label=label, deadline=cn_date(deadline), days=days),
                              _("record hearing.{key} with its date").format(key=key))
        elif ctx.as_of >= held:
            yield ctx.finding(notice, ("hearing",), _("the {label} is due by {deadline}")
                                                    .format(label=label, deadline=cn_date(deadline)),
                              _("record hearing.{key} when it is done").format(key=key), severity=WARNING)
    elif done > deadline:
        yield ctx.finding(notice, ("hearing", key), _("the {label} came {done}, after its deadline {deadline}")
                                                    .format(label=label, done=cn_date(done), deadline=cn_date(deadline)),
                          _("the {label} is due within {days} days of the hearing").format(label=label, days=days))
