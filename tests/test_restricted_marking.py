"""A document that marks itself for internal use is withheld, and says why; words in a sentence are no marking."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import NOTICE
from generator.checks.check import run_checks
from generator.checks.publication import decide
from generator.checks.validate import load_content

AS_OF = dt.date(2025, 10, 10)


def findings_and_decision(root):
    content, problems = load_content(root)
    assert problems == []
    found = [f for f in run_checks(content, AS_OF) if f.code == "restricted-marking"]
    return content, found, decide(content, AS_OF, found)


@pytest.mark.parametrize("text, marking", [
    ("内部资料　注意保密", "内部资料"),
    ("本文件仅供内部使用。", "仅供内部"),
    ("会议纪要（内部）", "（内部）"),
    ("内部★", "内部★"),
    ("**工作秘密**", "工作秘密"),
])
def test_a_notice_marked_for_internal_use_is_withheld_on_the_marking_line(office, text, marking):
    root = office({"notices/2025/gonggao-1.md": NOTICE.replace("公告正文。", f"公告正文。\n\n{text}\n")})
    content, found, decision = findings_and_decision(root)
    line = (root / "notices/2025/gonggao-1.md").read_text("utf-8").split("\n").index(text) + 1
    assert [(f.file, f.line, f.message) for f in found] == [
        ("notices/2025/gonggao-1.md", line, f"'{marking}' marks the text as not for the public")]
    assert not decision.published(content.get("notice", "gonggao-1"))


def test_words_in_a_sentence_and_internal_items_are_not_markings(office):
    root = office({"notices/2025/gonggao-1.md": NOTICE.replace(
        "公告正文。", "公告正文。加强内部控制和内部审计，做好内部管理。\n")})
    content, found, decision = findings_and_decision(root)
    assert found == [] and decision.published(content.get("notice", "gonggao-1"))
