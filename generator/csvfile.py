"""Every CSV file the project publishes is written here, by one writer, so every one opens safely in a spreadsheet.

A cell that starts with = + - @, a tab or a carriage return (or their full-width forms, ＝ ＋ － ＠, which a
Chinese input method types and spreadsheets read as the same) is run by Excel and WPS as a formula:
=HYPERLINK(…) sends the reader to any address. Such a text cell gets a leading ', as OWASP's advice on CSV
injection says; the spreadsheet shows the text and runs nothing. Numbers are written as numbers (a -5 stays
a number for `frictionless validate`), dates as YYYY-MM-DD, lists joined with ；; rows end in CRLF.

The open-data package (datapackage.py) and the supervisor's tables (supervision.py) both call table().
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from typing import Iterable, Mapping, Sequence

LIST_SEPARATOR = "；"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """The text, with a leading ' if a spreadsheet would run it as a formula."""
    first = unicodedata.normalize("NFKC", text[:1])  # ＝ ﹦ ＋ － ＠ are = + - @ to a spreadsheet too
    return "'" + text if text.startswith(FORMULA_STARTS) or first.startswith(FORMULA_STARTS) else text


def cell(value) -> str:
    """One cell's text: text cells made inert, other values in the form a table schema reads."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return inert(LIST_SEPARATOR.join(str(item) for item in value))
    return inert(value) if isinstance(value, str) else str(value)


def table(fields: Sequence[Mapping], rows: Iterable[Mapping]) -> bytes:
    """A CSV file: a header of the table schema's field names, then each row's cells in the fields' order."""
    names = [field["name"] for field in fields]
    buffer = io.StringIO()
    # RFC 4180's CRLF: the csv module then quotes a cell holding a lone \r too, which "\n" alone leaves bare.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([cell(row.get(name)) for name in names] for row in rows)
    return buffer.getvalue().encode("utf-8")
