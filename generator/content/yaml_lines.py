"""Where a YAML mistake is, when the parser stops after it: the line a clerk must look at, read from the text."""

from __future__ import annotations

import re


FULL_WIDTH_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*：")


def full_width_colon(text: str, first_line: int, error_line: int) -> tuple[int, str] | None:
    """The last line up to the parser's error that starts with a field name and a full-width colon, and the name."""
    found = None
    for number, line in enumerate(text.split("\n")[: error_line - first_line + 1], first_line):
        match = FULL_WIDTH_KEY.match(line)
        if match:
            found = (number, match.group(1))
    return found


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
