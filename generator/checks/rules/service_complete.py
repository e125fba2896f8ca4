"""Every service guide has all its required parts, really filled in (政务公开工作制度 二; 一次性告知承诺)."""

from __future__ import annotations

import re

from ...i18n import N_, _

ID = "service-complete"
TITLE = N_("Service guide complete")
SUMMARY = N_("Every service guide has all its parts, really filled in (政务公开工作制度 二；一次性告知承诺): basis, conditions, "
             "materials, steps, time limit, fee, result, section, person, phone, place and hours, none holding "
             "placeholder text such as 待填写.")
DEFAULTS = {"severity": "error"}

PARTS = {"basis": "设定依据", "conditions": "办理条件", "materials": "申请材料", "steps": "办理流程",
         "time_limit": "办理时限", "fee": "收费", "result": "办理结果", "owner": "承办科室",
         "person": "办理责任人", "phone": "咨询电话", "place": "办理地点", "hours": "办理时间"}
PLACEHOLDER = re.compile(r"待填写|待补充|待定|TODO|TBD|XXX|xxx|……|\?\?|？？")


def _texts(value, path):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, path + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, path + (key,))


def check(ctx):
    for service in ctx.content.of("service"):
        for key, label in PARTS.items():
            value = service.get(key)
            if value in (None, "", [], {}):
                yield ctx.finding(service, (key,), _("the guide lacks its {label} ({key})")
                                                   .format(label=label, key=key),
                                  _("fill it in: a guide must tell the applicant everything at once (一次性告知)"))
                continue
            for path, text in _texts(value, (key,)):
                if PLACEHOLDER.search(text):
                    yield ctx.finding(service, path, _("{label} still holds a placeholder: '{text}'")
                                                     .format(label=label, text=text),
                                      _("replace it with the real text before publishing"))
