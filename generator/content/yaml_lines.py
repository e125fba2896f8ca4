"""A YAML mistake in a clerk's words, on the line a clerk must look at: read from the text, since the parser often
stops a line after the mistake, where nothing is wrong."""

from __future__ import annotations

import re

from ..findings import ContentError
from ..i18n import N_, _
from ..normalize import UNSEEN, code_point


def syntax_error(error, text: str, first_line: int) -> ContentError:
    """The clerk's mistake behind libyaml's marked error, at the line to look at."""
    # A quote or bracket left open is found lines below it, where the text or the next field begins: the clerk must
    # look where it was opened.
    unclosed = error.context in OPENED and error.context_mark
    mark = error.context_mark if unclosed else error.problem_mark or error.context_mark
    line = mark.line + first_line if mark else first_line
    lines = text.split("\n")
    for named in (_full_width_colon, _outdented_key, _items_under_empty_list, _colon_without_space, _unseen_space,
                  _text_after_quote):
        found = named(lines, line - first_line, first_line, error.problem or "")
        if found:
            return found
    return ContentError(line, _("YAML syntax error: {problem}").format(
        problem=yaml_problem(error.problem or error.context or "")),
        _("check the indentation, the colon after each key and matching quotes on this line"))


OPENED = ("while scanning a quoted scalar", "while parsing a flow sequence", "while parsing a flow mapping")


def _line(lines: list[str], index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""


def _field_line_before(lines: list[str], index: int) -> int | None:
    """The last line before `index` that holds more than a comment."""
    return next((i for i in range(min(index, len(lines)) - 1, -1, -1)
                 if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)


FULL_WIDTH_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*：")


def _full_width_colon(lines: list[str], index: int, first_line: int, problem: str) -> ContentError | None:
    """The last line up to the parser's that starts with a field name and a full-width colon: the parser stumbles a
    line later, where it finds the colon it missed."""
    found = next(((i, m.group(1)) for i in range(min(index, len(lines) - 1), -1, -1)
                  if (m := FULL_WIDTH_KEY.match(lines[i]))), None)
    if found is None:
        return None
    return ContentError(found[0] + first_line, _("a full-width colon (：) after the field name '{key}': YAML reads the"
                                                 " line as text, not as a field").format(key=found[1]),
                        _("write the field name, an ASCII colon and a space: {key}: …").format(key=found[1]))


KEY_WITH_VALUE = re.compile(r"^( *)(?:- +)?([A-Za-z_][A-Za-z0-9_]*): +[^#\s]")


def _outdented_key(lines: list[str], index: int, first_line: int, problem: str) -> ContentError | None:
    """A field written with its value, when the next line is indented more than it: a field moved left out of its
    group (`phone:` under `supervisor:`) ends the group, and the line after it, still indented, is read as the rest of
    its value until its colon, where the parser stops."""
    if not problem.startswith(MAPPING_HERE) or not 0 < index < len(lines):
        return None
    before = _field_line_before(lines, index)
    found = KEY_WITH_VALUE.match(lines[before]) if before is not None else None
    if not found or len(lines[index]) - len(lines[index].lstrip(" ")) <= len(found.group(1)):
        return None
    key, following = found.group(2), index + first_line
    return ContentError(before + first_line, _("YAML syntax error: the line after the field '{key}' (line {next}) is"
                                               " indented more than it, so YAML reads that line as part of the value"
                                               " of '{key}'").format(key=key, next=following),
                        _("indent '{key}' and line {next} like the other fields of their group (with spaces)")
                        .format(key=key, next=following))


EMPTY_LIST = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):\s*\[\s*\]\s*(?:#.*)?$")


def _items_under_empty_list(lines: list[str], index: int, first_line: int, problem: str) -> ContentError | None:
    """A list item under 'approvals: []': the items of an example uncommented below an empty list."""
    if not _line(lines, index).lstrip().startswith("- "):
        return None
    before = _field_line_before(lines, index)
    found = EMPTY_LIST.match(lines[before]) if before is not None else None
    if not found:
        return None
    return ContentError(before + first_line, _("'{key}: []' says the list is empty, so the items under it cannot be"
                                               " read").format(key=found.group(1)),
                        _("delete the [] after '{key}:'").format(key=found.group(1)))


NO_SPACE_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):(?=[^\s:/])")


def _colon_without_space(lines: list[str], index: int, first_line: int, problem: str) -> ContentError | None:
    """The parser's line or the one before it starting with a field name and a colon with no space after it
    (title:2026年 is text to YAML, and the parser stops a line later)."""
    found = next(((i, m.group(1)) for i in (index, index - 1) if (m := NO_SPACE_KEY.match(_line(lines, i)))), None)
    if found is None:
        return None
    return ContentError(found[0] + first_line, _("no space after the colon of '{key}': YAML reads the line as text,"
                                                 " not as a field").format(key=found[1]),
                        _("write a space after the colon: {key}: …").format(key=found[1]))


def _unseen_space(lines: list[str], index: int, first_line: int, problem: str) -> ContentError | None:
    """The parser's line or the one before it holding a character that cannot be seen: a no-break space after a
    colon, pasted from a web page, makes 'published:\u00a02026-09-08' text, not a field."""
    found = next(((i, m.group()) for i in (index, index - 1) if (m := UNSEEN.search(_line(lines, i)))), None)
    if found is None:
        return None
    return ContentError(found[0] + first_line, _("the line holds a character that cannot be seen ({character}), where"
                                                 " YAML needs an ordinary space or nothing").format(
                                                     character=code_point(found[1])),
                        _("delete it (it is often pasted from a web page or Word) and type an ordinary space after the"
                          " colon"))


QUOTED_THEN_TEXT = re.compile(r"""^\s*(?:-\s+)?([^\s:#'"][^:#]*?):\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')[ \t]*[^\s#]""")


def _text_after_quote(lines: list[str], index: int, first_line: int, problem: str) -> ContentError | None:
    """A quoted value with more text after its closing quote (标题: "通知" 附件), on the parser's line: libyaml calls it
    a missing key."""
    found = QUOTED_THEN_TEXT.match(_line(lines, index))
    if not found:
        return None
    return ContentError(index + first_line, _("text after the closing quote of '{key}': YAML takes only what is inside"
                                              " the quotes as the value").format(key=found.group(1)),
                        _("put the whole value inside the quotes, or delete the text after them"))


# The YAML parser's words for every problem libyaml names (its scanner.c and parser.c), said in a clerk's: never the
# parser's English, which would reach the Chinese message as it is.
MAPPING_HERE = "mapping values are not allowed"
_COLON = N_("a colon where none may stand (a value holding ': ' needs quotes around it)")
_FENCE = N_("a line '---' or '...' inside the file, where YAML stops reading fields (delete that line, and the second"
            " copy of the fields after it if the file was pasted twice: a file holds one set of fields)")
_TAG = N_("a value that starts with '!' (put the value in quotes)")
_DIRECTIVE = N_("a line that starts with '%' (delete it, or put the value in quotes)")
_HEX = N_("a \\x, \\u or \\U inside double quotes without its hexadecimal digits (write the character itself, or"
          " use single quotes)")
_YAML_PROBLEMS = {
    MAPPING_HERE: _COLON,
    "found unexpected ':'": _COLON,
    "did not find expected ',' or ']'": N_("a list in square brackets [ ] that is not closed, or whose items are not"
                                          " separated by commas (a value starting with '[' needs quotes)"),
    "did not find expected ',' or '}'": N_("a group in curly brackets that is not closed, or whose items are not"
                                          " separated by commas (a value starting with a curly bracket needs quotes)"),
    "but found another document": _FENCE,
    "did not find expected <document start>": _FENCE,
    "found unexpected document indicator": _FENCE,
    "did not find expected alphabetic or numeric character": N_("a value that starts with '&' or '*' (put the value in"
                                                                " quotes)"),
    "did not find the expected '>'": _TAG,
    "did not find expected '!'": _TAG,
    "did not find expected tag URI": _TAG,
    "did not find URI escaped octet": _TAG,
    "found undefined tag handle": _TAG,
    "found unknown directive name": _DIRECTIVE,
    "could not find expected directive name": _DIRECTIVE,
    "found duplicate %": _DIRECTIVE,
    "did not find expected version number": _DIRECTIVE,
    "found extremely long version number": _DIRECTIVE,
    "found incompatible YAML document": _DIRECTIVE,
    "did not find expected digit or '.' character": _DIRECTIVE,
    "did not find expected whitespace": _DIRECTIVE,
    "found an indentation indicator equal to 0": N_("a value that starts with '|' or '>' and other text after it (put"
                                                    " the value in quotes)"),
    "did not find expected comment or line break": N_("other text after '|' or '>' at the start of a value, or after a"
                                                      " line starting with '%' (put the value in quotes)"),
    "did not find expected hexdecimal number": _HEX,
    "found invalid Unicode character escape code": _HEX,
    "mapping keys are not allowed": N_("a line that starts with '? ' (put the value in quotes)"),
    "exceeded maximum nesting depth": N_("the YAML is nested too deeply"),
    "did not find expected key": N_("a line not indented like the fields around it"),
    "did not find expected '-' indicator": N_("a list item that does not start with '- ' at the list's indentation"),
    "could not find expected ':'": N_("a field name without its colon"),
    "found character that cannot start any token": N_("a character that cannot start a value here (a tab: indent with"
                                                       " spaces; '@', '`' or '%' at a value's start: put the value in"
                                                       " quotes)"),
    "found a tab character": N_("a tab used for indentation (indent with spaces)"),
    "found unexpected end of stream": N_("the file ends inside a quoted value (a quote is not closed)"),
    "found unknown escape character": N_("a backslash inside double quotes that YAML does not know"),
    "did not find expected node content": N_("a field or list item without the value it needs"),
    "block sequence entries are not allowed": N_("a list item where a value was expected (check the indentation)"),
}


def yaml_problem(problem: str) -> str:
    return next((_(said) for words, said in _YAML_PROBLEMS.items() if problem.startswith(words)),
                _("YAML cannot read the text here"))
