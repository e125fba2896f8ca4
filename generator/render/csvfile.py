"""Every CSV file the project publishes is written here, by one writer, so every one opens safely in a spreadsheet.

A cell that starts with = + - @, a tab or a carriage return (or their full-width forms, ＝ ＋ － ＠, which a
Chinese input method types and spreadsheets read as the same) is run by Excel and WPS as a formula:
=HYPERLINK(…) sends the reader to any address. Such a text cell gets a leading ', as OWASP's advice on CSV
injection says; the spreadsheet shows the text and runs nothing. Numbers are written as numbers (a -5 stays
a number for `frictionless validate`), dates as YYYY-MM-DD, yes and no as 是 and 否, lists joined with ；; rows
end in CRLF.

Opened in Excel or WPS on a Chinese Windows PC, a CSV without a byte-order mark is read in the PC's own code page
(GBK) and its Chinese turns to 涓存捣…: every file starts with the UTF-8 BOM. Its first row is the columns' Chinese
titles, which the spreadsheet shows at the top. The field names a program uses stay English and stable: row 2 is
the header of names, and the data package's dialect says so (row 1 a comment, row 2 the header), so `frictionless
validate` checks each column's name where it stands, and a table with no rows yet is still a table (a file whose
only row is a comment is "empty" to frictionless, and a new office's registers start empty) (README, "Open data").

The open-data package (datapackage.py) and the supervisor's tables (supervision.py) both call table() and resource().
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from typing import Iterable, Mapping, Sequence

LIST_SEPARATOR = "；"
YES, NO = "是", "否"
BOM = "\ufeff"
# Row 1 holds the titles for people, row 2 the schema's names for programs (Table Dialect 2.0).
DIALECT = {"headerRows": [2], "commentRows": [1]}
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
        return YES if value else NO
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return inert(LIST_SEPARATOR.join(str(item) for item in value))
    return inert(value) if isinstance(value, str) else str(value)


def table(fields: Sequence[Mapping], rows: Iterable[Mapping]) -> bytes:
    """A CSV file: the BOM, the field titles, the field names, then each row's cells in the fields' order."""
    names = [field["name"] for field in fields]
    buffer = io.StringIO()
    # RFC 4180's CRLF: the csv module then quotes a cell holding a lone \r too, which "\n" alone leaves bare.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([field["title"] for field in fields])
    writer.writerow(names)
    writer.writerows([cell(row.get(name)) for name in names] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def resource(name: str, title: str, path: str, schema: Mapping) -> dict:
    """The data package's entry for a file table() wrote with this schema: its dialect, and 是/否 as booleans."""
    fields = [{**field, "trueValues": [YES], "falseValues": [NO]} if field.get("type") == "boolean" else dict(field)
              for field in schema["fields"]]
    return {"name": name, "title": title, "path": path, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "dialect": DIALECT, "schema": {**schema, "fields": fields}}
