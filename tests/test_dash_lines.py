"""Rule dash-lines: a '---' that ends the front matter early, starts a second one, or underlines a line into a heading."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import markdown
import pytest
import yaml

from conftest import NOTICE
from generator.checks.check import run_checks
from generator.checks.validate import load_content

REL = "notices/2025/gonggao-1.md"
BODY_LINE = 20  # NOTICE's body, after its 18 lines of front matter and a blank line
SCHEMA_LINE = "# yaml-language-server: $schema=../../../schemas/notice.schema.json"
ENGINE = Path(__file__).resolve().parent.parent / "generator/render/mkdocs.yml"


def dash_lines(root):
    content, problems = load_content(root)
    return problems, [(f.severity, f.line, f.message) for f in run_checks(content, dt.date(2025, 10, 20))
                      if f.code == "dash-lines"]


def test_a_notice_pasted_twice_is_an_error_at_its_second_front_matter(office):
    with_schema_line = NOTICE.replace("---\n", f"---\n{SCHEMA_LINE}\n", 1)
    problems, found = dash_lines(office({REL: with_schema_line + with_schema_line}))
    assert [str(p) for p in problems] == []  # the first block is whole: validate sees nothing wrong
    # One finding, not also a heading under 公告正文。 or under the second block's last field.
    assert found == [("error", 22, "a second front matter block begins at line 22 (was the file pasted twice?): its"
                                   " fields would be published on the page as text")]


def test_a_second_block_is_known_by_its_fields_without_the_schema_line(office):
    second = "公告正文。\n\n---\nid: gonggao-1\ntitle: 测试公告\n---\n"
    _problems, found = dash_lines(office({REL: NOTICE.replace("公告正文。", second)}))
    assert [line for _severity, line, _message in found] == [BODY_LINE + 2]


def test_a_stray_dash_line_among_the_fields_is_named_where_it_stands(office):
    lines = NOTICE.split("\n")
    stray = lines[:10] + ["---"] + lines[10:]  # after mode: catalog, first_day, period and feedback fall into the text
    problems, found = dash_lines(office({REL: "\n".join(stray)}))
    assert sorted(p.message.split(" (")[0] for p in problems if p.file == REL) == [
        "missing field 'catalog'", "missing field 'feedback'", "missing field 'first_day'", "missing field 'period'"]
    # The real closing '---', right under the last field, is part of what the finding says: no heading warning.
    assert found == [("error", 11, "the front matter ends at line 11, and the fields after it are read as text")]


def test_text_after_a_dividing_line_is_not_taken_for_fields(office):
    _problems, found = dash_lines(office({REL: NOTICE.replace("公告正文。", "公告正文。\n\n---\n\n联系人: 张三\n")}))
    assert found == []


def engine_html(body: str) -> str:
    """The body as the build's Markdown (generator/render/mkdocs.yml's extensions) renders it."""
    extensions = yaml.safe_load(ENGINE.read_text(encoding="utf-8"))["markdown_extensions"]
    return markdown.markdown(body, extensions=[e if isinstance(e, str) else next(iter(e)) for e in extensions])


@pytest.mark.parametrize("body, heading", [
    ("第一段。\n\n第二段。\n---\n\n第三段。", "第二段。"),
    ("一段文字。\n===", "一段文字。"),
    ("- 一个条目\n---", "- 一个条目"),
    ("# 标题\n第一段。\n---", "第一段。"),
    ("一段文字。\n\n---\n\n第二段。", None),  # a dividing line
    ("第一行\n第二行\n---", None),  # Python-Markdown underlines a block's first line only
    ("一段文字。\n***", None),
    ("一段文字。\n___", None),
    ("一段文字。\n   ---", None),
    ("# 标题\n---", None),
    ("```\n代码\n---\n```", None),
    ("```\n一行\n```\n\n---", None),
])
def test_a_dash_line_under_text_is_a_warning_exactly_where_the_page_shows_a_heading(office, body, heading):
    _problems, found = dash_lines(office({REL: NOTICE.replace("公告正文。", body)}))
    html = engine_html(body)
    written = [line.lstrip("#").strip() for line in body.split("\n") if line.startswith("#")]
    underlined = [text for text in re.findall(r"<h[1-6][^>]*>(.*?)</h", html) if text not in written]
    assert underlined == ([heading] if heading else []), html
    if heading is None:
        assert found == []
        return
    lines = body.split("\n")
    mark = lines.index(heading) + 1
    assert found == [("warning", BODY_LINE + mark, f"the '{lines[mark]}' line right under line {BODY_LINE + mark - 1}"
                                                   f" makes that line a heading on the page: {heading}")]


def test_the_example_county_has_no_stray_dash_lines():
    content_root = Path(__file__).resolve().parent.parent / "content/offices"
    for office_root in sorted(content_root.iterdir()):
        assert dash_lines(office_root)[1] == [], office_root.name
