"""What is wrong with a CSV table's header and cells, said with the column's Chinese title and what to do."""

from __future__ import annotations

import datetime as dt
import re

from ..findings import Finding, titled
from ..i18n import N_, _


def header_finding(rel: str, error) -> Finding:
    label = " ".join(str(getattr(error, "label", "")).split())[:40]
    expected = getattr(error, "field_name", "")
    message = (_("column {number} is headed '{label}', expected '{expected}'") if expected
               else _("column {number} is headed '{label}'"))
    return Finding(rel, 1, "table-header", message.format(number=getattr(error, "field_number", "?"), label=label,
                                                          expected=expected),
                   _("make the first row exactly the column names of the table schema"))


def trailing_blank_columns(errors, field_count: int) -> list[int]:
    """The numbers of the untitled columns after the table's own, when they are the header's only fault."""
    numbers = sorted(getattr(error, "field_number", 0) for error in errors)
    untitled = all(error.type in ("extra-label", "blank-label") and not str(getattr(error, "label", "")).strip()
                   for error in errors)
    return numbers if errors and untitled and numbers == list(range(field_count + 1, numbers[-1] + 1)) else []


def blank_columns_finding(rel: str, numbers: list[int], filled: list[int]) -> Finding:
    columns = f"{numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])
    if filled:
        return Finding(rel, 1, "table-header",
                       _("the column(s) {columns} at the end have no title, but line {line} has values in them").format(
                           columns=columns, line=filled[0]),
                       _("move those values into the table's own columns, then delete the columns without a title"))
    return Finding(rel, 1, "table-header", _("the column(s) {columns} at the end have no title and are empty").format(
        columns=columns), _("delete the empty columns at the end: in Excel or WPS select them by their letters,"
                            " right-click and choose 删除 (删除列), then save as CSV UTF-8 again"))


_FIELD_TYPE_WORDS = {"date": N_("date (YYYY-MM-DD)"), "number": N_("number"), "integer": N_("whole number"),
                     "boolean": N_("true or false")}


def cell_message(error, fields: dict[str, dict]) -> str:
    field_name = getattr(error, "field_name", "")
    cell = getattr(error, "cell", "")
    column = titled(field_name, fields.get(field_name, {}).get("title"))  # received（收到日期）
    allowed = fields.get(field_name, {}).get("constraints", {}).get("enum")
    if error.type == "constraint-error" and allowed:  # Frictionless's own note is English and quotes a Python list
        return _("column '{column}' value '{cell}' is not one of the allowed values: {allowed}").format(
            column=column, cell=cell, allowed="、".join(map(str, allowed)))
    if error.type == "constraint-error" and cell in ("", None) and fields.get(field_name, {}).get(
            "constraints", {}).get("required"):  # Frictionless: 'constraint "required" is "True"'
        return _("column '{column}' is empty on this row, but every row needs a value there").format(column=column)
    if error.type == "type-error":
        field_type = fields.get(field_name, {}).get("type", "string")
        return _("column '{column}' value '{cell}' is not a {type}").format(
            column=column, cell=cell, type=_(_FIELD_TYPE_WORDS[field_type]) if field_type in _FIELD_TYPE_WORDS
            else field_type)
    if error.type == "unique-error":
        return _("column '{column}' value '{cell}' is used by an earlier row too").format(column=column, cell=cell)
    if field_name:
        return _("column '{column}' value '{cell}': {note}").format(column=column, cell=cell, note=error.note)
    return error.message


_CELL_HINTS = {
    "type-error": N_("write the value in the column's format (dates as YYYY-MM-DD, numbers without units)"),
    "constraint-error": N_("fill the cell with an allowed value (see the table schema in schemas/)"),
    "missing-cell": N_("add the missing cells so the row has every column"),
    "extra-cell": N_("remove the extra cells or quote a value that contains a comma"),
    "primary-key": N_("give each row its own id"),
    "unique-error": N_("give each row its own value in this column"),
}
_OTHER_CELL_HINT = N_("correct this row")


# A date as Excel and WPS show it once they have taken the cell for a date: 2026/11/12, 2026.11.12, 2026年11月12日.
OTHER_DATE = re.compile(r"^\s*(\d{4})\s*[/.年-]\s*(\d{1,2})\s*[/.月-]\s*(\d{1,2})\s*日?\s*$")


def cell_hint(error, fields: dict[str, dict]) -> str:
    found = OTHER_DATE.match(str(getattr(error, "cell", "")))
    if error.type == "type-error" and found and fields.get(getattr(error, "field_name", ""), {}).get("type") == "date":
        try:
            iso = dt.date(*map(int, found.groups())).isoformat()
        except ValueError:  # 2026-02-30: in the column's format, but no such day
            return _("there is no such day in the calendar: check the month and the day")
        return _("write it as {date}; Excel and WPS rewrite dates in their own way: set the column's cell format to"
                 " 文本 (text), then type the dates again").format(date=iso)
    return _(_CELL_HINTS.get(error.type, _OTHER_CELL_HINT))
