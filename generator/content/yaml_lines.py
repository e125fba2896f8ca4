"""A YAML mistake in a clerk's words, on the line a clerk must look at (read from the text when the parser stops
after it)."""

from __future__ import annotations

import re

from ..i18n import N_, _
from ..normalize import UNSEEN


FULL_WIDTH_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*：")


def full_width_colon(text: str, first_line: int, error_line: int) -> tuple[int, str] | None:
    """The last line up to the parser's error that starts with a field name and a full-width colon, and the name."""
    found = None
    for number, line in enumerate(text.split("\n")[: error_line - first_line + 1], first_line):
        match = FULL_WIDTH_KEY.match(line)
        if match:
            found = (number, match.group(1))
    return found


NO_SPACE_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):(?=[^\s:/])")


def colon_without_space(text: str, first_line: int, error_line: int) -> tuple[int, str] | None:
    """The parser's line or the one before it, when it starts with a field name and a colon with no space after it
    (title:2026年 is text to YAML, and the parser stops a line later), and the name."""
    lines = text.split("\n")
    for index in (error_line - first_line, error_line - first_line - 1):
        match = NO_SPACE_KEY.match(lines[index]) if 0 <= index < len(lines) else None
        if match:
            return index + first_line, match.group(1)
    return None


KEY_WITH_VALUE = re.compile(r"^( *)(?:- +)?([A-Za-z_][A-Za-z0-9_]*): +[^#\s]")


def outdented_key(text: str, first_line: int, error_line: int) -> tuple[int, str] | None:
    """The line and name of a field written with its value, when the next line is indented more than it.

    A field moved left out of its group (`phone:` under `supervisor:`) ends the group; the line after it, still
    indented, is read as the rest of its value until its colon, where the parser stops a line after the mistake."""
    lines = text.split("\n")
    index = error_line - first_line
    if not 0 < index < len(lines):
        return None
    before = next((i for i in range(index - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")),
                  None)
    found = KEY_WITH_VALUE.match(lines[before]) if before is not None else None
    if found and len(lines[index]) - len(lines[index].lstrip(" ")) > len(found.group(1)):
        return before + first_line, found.group(2)
    return None


def unseen_space(text: str, first_line: int, error_line: int) -> tuple[int, str] | None:
    """The parser's line or the one before it, when it holds a character that cannot be seen, and the character: a
    no-break space after a colon, pasted from a web page, makes 'published:\u00a02026-09-08' text, not a field, and
    the parser stops a line later."""
    lines = text.split("\n")
    for index in (error_line - first_line, error_line - first_line - 1):
        match = UNSEEN.search(lines[index]) if 0 <= index < len(lines) else None
        if match:
            return index + first_line, f"U+{ord(match.group()):04X}"
    return None


QUOTED_THEN_TEXT = re.compile(r"""^\s*(?:-\s+)?([^\s:#'"][^:#]*?):\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')[ \t]*[^\s#]""")


def text_after_quote(text: str, first_line: int, error_line: int) -> str | None:
    """The field whose quoted value has more text after its closing quote (标题: "通知" 附件), on the parser's line."""
    lines = text.split("\n")
    index = error_line - first_line
    match = QUOTED_THEN_TEXT.match(lines[index]) if 0 <= index < len(lines) else None
    return match.group(1) if match else None


# The YAML parser's words for every problem libyaml names (its scanner.c and parser.c), said in a clerk's: never the
# parser's English, which would reach the Chinese message as it is.
MAPPING_HERE = "mapping values are not allowed"
_COLON = N_("a colon where none may stand (a value holding ': ' needs quotes around it)")
_FENCE = N_("a line '---' or '...' inside the file, where YAML stops reading fields (delete that line: a file holds"
            " one set of fields)")
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
                                                       " spaces; '@' or '`' at a value's start: put the value in"
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
