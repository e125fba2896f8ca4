"""A Markdown file has one front matter block, at its top: a '---' line anywhere else changes the published page.

The loader ends the front matter at the first '---' after the top one (load.front_matter_end), so a stray '---'
among the fields leaves the fields after it in the text, where validate only sees them missing (at the top of the
file). A '---' followed by fields in the text (the file pasted twice) publishes them as a paragraph. A '---' or
'===' right under a line of text underlines it into a heading, as Python-Markdown (the build's) reads it: only a
line that begins a block, so a longer paragraph above a '---' keeps it as a dividing line, and a '---' after a
blank line is one. The raw text is read, not the records: a file whose fields were cut off failed its schema and
has no record.
"""

from __future__ import annotations

import re
from functools import cache

from ...content.load import FENCE, front_matter_end
from ...content.schema import field_names
from ...content.types import all_types
from ...findings import WARNING
from ...i18n import N_, _

ID = "dash-lines"
TITLE = N_("Front matter and dividing lines")
SUMMARY = N_("A Markdown file has one front matter block, at its top. A '---' line in the text followed by fields "
             "(a second block: the file pasted twice), or a stray '---' among the fields that ends the block early, "
             "is an error: the fields would be published as text. A '---' or '===' line right under a line of text "
             "makes that line a heading: a warning (a dividing line needs a blank line before it). Lines in code "
             "blocks are not read.")
DEFAULTS = {"severity": "error"}
WITHOUT_OFFICE = True  # reads only the files' text: runs even while office.yaml or the catalog is broken

UNDERLINE = re.compile(r"(?:=+|-+) *")  # Python-Markdown's setext heading underline: not indented
RULE = re.compile(r" {0,3}([-*_])(?: *\1){2,}[ \t]*")  # a dividing line, which ends a block like an underline
CODE_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
NOT_TEXT = re.compile(r"\s*$| {4}|\t|#|!!!|<")  # blank, indented code, a heading, an admonition, HTML
FIELD = re.compile(r"([A-Za-z_][\w-]*):(?:\s|$)")
SCHEMA_LINE = "# yaml-language-server:"  # what `gongkai new` writes first in every front matter


def check(ctx):
    for _path, rel, text in ctx.content_files():
        if rel.endswith(".md"):
            yield from _findings(ctx, rel, text.split("\n"))


def _findings(ctx, rel: str, lines: list[str]):
    end = front_matter_end(lines)
    if end is None:
        return  # the loader names a file without front matter, or with one never closed
    if _fields_follow(lines, end):
        yield _early_end(ctx, rel, end)
        end = _block_end(lines, end)
    code = _in_code(lines, end + 1)
    index = end + 1
    while index < len(lines):
        outside = index not in code
        if outside and lines[index].strip() == FENCE and _fields_follow(lines, index):
            yield _second_block(ctx, rel, index)
            index = _block_end(lines, index)
        elif outside and UNDERLINE.fullmatch(lines[index]) and _underlines(lines, index, end, code):
            yield _heading(ctx, rel, lines, index)
        index += 1


def _early_end(ctx, rel: str, index: int):
    return ctx.at(rel, index + 1, _("the front matter ends at line {line}, and the fields after it are read as text")
                  .format(line=index + 1),
                  _("delete that '---': the front matter ends at the '---' after its last field"))


def _second_block(ctx, rel: str, index: int):
    return ctx.at(rel, index + 1, _("a second front matter block begins at line {line} (was the file pasted twice?):"
                                    " its fields would be published on the page as text").format(line=index + 1),
                  _("delete it: this '---', the fields under it and the '---' after them, and the text after it too"
                    " if it repeats the text above"))


def _heading(ctx, rel: str, lines: list[str], index: int):
    return ctx.at(rel, index + 1, _("the '{mark}' line right under line {above} makes that line a heading on the page:"
                                    " {text}").format(mark=lines[index].strip(), above=index,
                                                      text=lines[index - 1].strip()[:30]),
                  _("for a dividing line, leave a blank line and write '---'; for a heading, delete this line and"
                    " write '## ' before the heading's text"), severity=WARNING)


@cache
def _fields() -> frozenset[str]:
    """What a line of front matter begins with: a field of a Markdown file (a notice's, a regulation's, a report's)."""
    return frozenset(name for t in all_types() if t.format == "markdown" for name in field_names(t))


def _fields_follow(lines: list[str], index: int) -> bool:
    """Whether the first line with text after `index` is one of front matter."""
    following = next((line for line in lines[index + 1:] if line.strip()), "")
    field = FIELD.match(following)
    return following.startswith(SCHEMA_LINE) or (field is not None and field.group(1) in _fields())


def _block_end(lines: list[str], index: int) -> int:
    """The '---' that closes a block of fields opened at `index` (the last line, if none does)."""
    return next((i for i in range(index + 1, len(lines)) if lines[i].strip() == FENCE), len(lines) - 1)


def _in_code(lines: list[str], start: int) -> set[int]:
    """The indices of the lines of fenced code blocks (``` or ~~~), their fences included."""
    inside: set[int] = set()
    fence = None
    for index in range(start, len(lines)):
        if fence is None:
            opening = CODE_FENCE.match(lines[index])
            fence = opening.group(1) if opening else None
        elif re.fullmatch(rf" {{0,3}}{fence[0]}{{{len(fence)},}} *", lines[index]):
            inside.add(index)
            fence = None
            continue
        if fence is not None:
            inside.add(index)
    return inside


def _underlines(lines: list[str], index: int, top: int, code: set[int]) -> bool:
    """Whether the line above `index` is a line of text that begins a block: the one a setext underline heads."""
    above = index - 1
    if above <= top or above in code or NOT_TEXT.match(lines[above]) or _ends_block(lines[above]):
        return False
    before = lines[above - 1]
    return above - 1 == top or above - 1 in code or not before.strip() or before.startswith("#") or _ends_block(before)


def _ends_block(line: str) -> bool:
    return UNDERLINE.fullmatch(line) is not None or RULE.fullmatch(line) is not None
