"""Documents that go to one audience first (先党内、后党外) reach it, and only then, days later, the next.

党务政务公开工作制度（第五篇）五 separates 委内公开 (会议、文件、通知通报、局域网、党建活动栏) from 全社会公开
(公开栏、新闻媒体、互联网), and 八: 党内重大决策、重要干部任免 and matters touching members' vital interests
are published only inside the party, or first inside the party and then outside it. `audiences` names each
audience with its channels (the one with 网站 is the public: the site and the public board); `order` lists
the stages the rules require: {first: 党内, then: 社会, days: 3, types: [...], items: [...]} — every notice of
these types or under these catalog items is published to `first` at least `days` days before `then`.
A notice records its earlier stages in `stages` (audience and date); its `published` is its public date.
A notice that skipped a stage, or took it too late, is withheld from the later audience (publication.py).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Iterator

from ...i18n import N_, _
from ...content.records import as_date
from ...content.schedule import cn_date
from ...content.types import allowed_values

ID = "publish-stages"
TITLE = N_("Audiences in order")
SUMMARY = N_("Documents that go to one audience first (先党内、后党外) reach it, and only then, days later, the next "
             "(党务政务公开工作制度 五、八). `audiences` names each audience with its channels (the one with 网站 is the public);"
             " `order` lists the stages required, e.g. {first: 党内, then: 社会, days: 3, items: [...]}. A notice "
             "records its earlier stages in `stages`; one that skipped a stage, or took it too late, is not "
             "published to the later audience.")
DEFAULTS = {"severity": "error", "audiences": {}, "order": []}
WEBSITE = "网站"  # the channel that makes an audience the public: the site and its posters are for it
INTERNAL_BOARD = "对内公开栏"  # an audience reached by it has its stage's sheets on the internal board


def parameter_schemas() -> dict:
    stage = {"type": "object", "additionalProperties": False, "required": ["first", "then"],
             "properties": {"first": {"type": "string", "minLength": 1, "description": "先公开的对象，例如：党内。"},
                            "then": {"type": "string", "minLength": 1, "description": "后公开的对象，例如：社会。"},
                            "days": {"type": "integer", "minimum": 0, "maximum": 366, "description": "至少相隔的天数。"},
                            "types": {"type": "array", "items": {"enum": allowed_values("notice", "type")},
                                      "description": "适用的公示公告类型。"},
                            "items": {"type": "array", "items": {"type": "string"}, "description": "适用的公开事项编号。"}}}
    return {"audiences": {"additionalProperties": {"type": "array", "minItems": 1, "items": {"type": "string"}}},
            "order": {"type": "array", "items": stage}}


@dataclass(frozen=True)
class Problem:
    first: str
    then: str | None  # the audience the notice is withheld from; None: every audience
    keys: tuple
    message: str
    hint: str


def public_audience(params: dict) -> str | None:
    """The audience the site and the public board serve: the one whose channels include the website."""
    return next((name for name, channels in params["audiences"].items() if WEBSITE in channels), None)


def internal_audiences(params: dict) -> list[str]:
    """The audiences the internal board (对内公开栏) serves."""
    return [name for name, channels in params["audiences"].items() if INTERNAL_BOARD in channels]


def stage_dates(notice) -> dict[str, dt.date]:
    """Each audience the notice names in `stages`, with the day it reached it."""
    return {stage["audience"]: as_date(stage["date"]) for stage in notice.get("stages") or []}


def applies(entry: dict, notice) -> bool:
    return notice.notice_type in entry.get("types", []) or any(i in entry.get("items", []) for i in notice.catalog_ids)


def problems(notice, params: dict) -> Iterator[Problem]:
    """The stages this notice skipped or took too late, each with the audience it is withheld from."""
    public = public_audience(params)
    dates = stage_dates(notice)
    keys = ("stages",) if notice.get("stages") else ("published",)
    for name in dates:
        if name not in params["audiences"]:
            guess = difflib.get_close_matches(name, list(params["audiences"]), n=1)
            yield Problem(name, None, ("stages",), _("the stage '{audience}' names no audience of the rules").format(audience=name),
                          _("did you mean '{guess}'?").format(guess=guess[0]) if guess else
                          _("use one of: {values}").format(values=", ".join(params["audiences"]) or "—"))
    for entry in params["order"]:
        if not applies(entry, notice):
            continue
        first, then, days = entry["first"], entry["then"], entry.get("days", 0)
        later = notice.published if then == public else dates.get(then)
        if later is None:
            continue
        earlier = dates.get(first)
        if earlier is None:
            yield Problem(first, then, keys,
                          _("a {notice_type} goes to {first} first and to {then} at least {days} day(s) later, and this"
                            " one records no {first} stage").format(notice_type=notice.notice_type, first=first,
                                                                    then=then, days=days),
                          _("publish it to {first} first and record it under stages (audience: {first}, date), at least"
                            " {days} day(s) before {date}").format(first=first, days=days, date=cn_date(later)))
        elif (later - earlier).days < days:
            yield Problem(first, then, keys,
                          _("published to {then} {later}, only {gap} day(s) after {first} ({earlier}); the rules require"
                            " {days}").format(then=then, later=cn_date(later), gap=(later - earlier).days, first=first,
                                              earlier=cn_date(earlier), days=days),
                          _("publish it to {then} on {date} or later").format(
                              then=then, date=cn_date(earlier + dt.timedelta(days=days))))


def later_audience_of(params: dict, notice, finding) -> str | None:
    """The audience a finding of this rule keeps the notice from (publication.py asks), None for every one."""
    found = [p for p in problems(notice, params) if notice.line(*p.keys) == finding.line]
    return found[0].then if found else None


def check(ctx):
    audiences = ctx.params["audiences"]
    settings = ctx.content.one("rules")
    for index, entry in enumerate(ctx.params["order"]):
        for key in ("first", "then"):
            if entry[key] not in audiences and settings is not None:
                yield ctx.at(settings.file, settings.line("rules", ID, "order", index, key),
                             _("the order names the audience '{audience}', which audiences does not list")
                             .format(audience=entry[key]),
                             _("use one of: {values}").format(values=", ".join(audiences) or "—"))
    for notice in ctx.content.of("notice"):
        for problem in problems(notice, ctx.params):
            yield ctx.finding(notice, problem.keys, problem.message, problem.hint)
