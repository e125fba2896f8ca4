"""A major-decision notice has all seven required parts (重大事项公示和听证制度 第七条).

Each part is a heading of the notice's text; a part is found when a
heading contains one of its key words.
"""

from __future__ import annotations

import re

from ...content.types.notice import MAJOR_DECISION
from ...i18n import N_, _

ID = "major-decision-parts"
TITLE = N_("Major-decision notice parts")
SUMMARY = N_("A major-decision notice has all seven required parts (重大事项公示和听证制度 第七条), each a heading of its text; "
             "a part is found when a heading holds one of its key words.")
DEFAULTS = {"severity": "error"}

# The headings as the content guide and `gongkai new notice` write them, each with the words that find it.
PART_HEADINGS = ("一、基本情况", "二、必要性和可行性说明", "三、统计数据和调查分析", "四、论证经过",
                 "五、法律分析意见", "六、收集反馈信息的渠道", "七、其他需要公示的内容")
PARTS = tuple(zip(PART_HEADINGS, (("基本情况",), ("必要性", "可行性"), ("统计数据", "调查分析"), ("论证",), ("法律分析",),
                                   ("反馈",), ("其他", "其它")), strict=True))
HEADING = re.compile(r"^#{2,4}\s+(.+?)\s*#*\s*$", re.M)


def check(ctx):
    for notice in ctx.content.of("notice"):
        if notice.notice_type != MAJOR_DECISION:
            continue
        headings = HEADING.findall(notice.body)
        for label, words in PARTS:
            if not any(word in heading for heading in headings for word in words):
                yield ctx.at(notice.file, notice.doc.body_line, _("the major-decision notice lacks part {label}")
                                                                .format(label=label),
                             _("add a heading such as '## {label}' with that part's text").format(label=label))
