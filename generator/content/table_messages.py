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


def title_row_finding(rel: str, labels: list, fields: dict[str, dict]) -> Finding | None:
    """The first row holds the columns' Chinese titles (收到日期, as a clerk heads a sheet in Excel), not their names."""
    titles = {str(field.get("title", "")).split("（")[0]: name for name, field in fields.items() if field.get("title")}
    named = [titles[label.strip()] for label in map(str, labels) if label.strip() in titles]
    if len(named) * 2 < len(fields):
        return None
    return Finding(rel, 1, "table-header", _("the first row holds the columns' Chinese titles ({titles}), not their"
                                             " names").format(titles="、".join(map(str, labels[:3])) + "…"),
                   _("the first row must be exactly: {names} (the content guide gives each column's meaning); delete"
                     " the row of titles if that row follows it, or write the names over it").format(
                       names=",".join(fields)))


def missing_cells_finding(rel: str, line: int, names: list[str], fields: dict[str, dict]) -> Finding:
    """One finding for a row cut short (a cell per missing column made six findings of one slip)."""
    columns = "、".join(titled(name, fields[name].get("title")) for name in names)
    hint = _CELL_HINTS["missing-cell"]
    return Finding(rel, line, "table-cell", _("this row has fewer cells than the table has columns: {columns} missing")
                   .format(columns=columns), _(hint))


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
    if error.type == "constraint-error":
        return _constraint_message(error, fields.get(field_name, {}), column, cell)
    # Frictionless's own message is English ('Row at position "2" has an extra value …'): never passed on.
    if error.type == "extra-cell":
        return _("this row has more cells than the table has columns: cell {number} holds '{cell}'").format(
            number=getattr(error, "field_number", "?"), cell=cell)
    if error.type == "blank-row":
        return _("this row is blank")
    if error.type == "primary-key":
        return _("this row's id is empty or used by an earlier row too")
    if field_name:
        return _("column '{column}' value '{cell}' is not allowed in this column").format(column=column, cell=cell)
    return _("this row does not fit the table's columns")


CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)" is "(.*)"$', re.S)
_CONSTRAINT_WORDS = {
    "minimum": N_("column '{column}' value '{cell}' is below the smallest allowed, {value}"),
    "maximum": N_("column '{column}' value '{cell}' is above the largest allowed, {value}"),
    "minLength": N_("column '{column}' value '{cell}' is shorter than {value} characters"),
    "maxLength": N_("column '{column}' value '{cell}' is longer than {value} characters"),
}


def _constraint_message(error, field: dict, column: str, cell) -> str:
    """A broken constraint in words (Frictionless says 'constraint "pattern" is "\\S+〔[0-9]{4}〕[0-9]+号"')."""
    found = CONSTRAINT_NOTE.match(str(getattr(error, "note", "")))
    name, value = found.groups() if found else ("", "")
    if name in _CONSTRAINT_WORDS:
        return _(_CONSTRAINT_WORDS[name]).format(column=column, cell=cell, value=value)
    if name == "pattern" and field.get("description"):
        return _("column '{column}' value '{cell}' is not written as the column needs: {description}").format(
            column=column, cell=cell, description=field["description"])
    return _("column '{column}' value '{cell}' is not allowed in this column").format(column=column, cell=cell)


_CELL_HINTS = {
    "type-error": N_("write the value in the column's format (dates as YYYY-MM-DD, numbers without units)"),
    "constraint-error": N_("fill the cell with an allowed value (see the table schema in schemas/)"),
    "missing-cell": N_("add the missing cells so the row has every column"),
    "extra-cell": N_("remove the extra cells or quote a value that contains a comma (Excel's 1,500 is two cells:"
                     " write 1500)"),
    "blank-row": N_("delete the blank row (Excel and WPS leave rows of commas alone at the end)"),
    "primary-key": N_("give each row its own id"),
    "unique-error": N_("give each row its own value in this column"),
}
_OTHER_CELL_HINT = N_("correct this row")


# A date as Excel and WPS show it once they have taken the cell for a date: 2026/11/12, 2026.11.12, 2026年11月12日.
OTHER_DATE = re.compile(r"^\s*(\d{4})\s*[/.年-]\s*(\d{1,2})\s*[/.月-]\s*(\d{1,2})\s*日?\s*$")


_NUMBER_HINT = N_("write the number alone: digits only, without a unit or a thousands comma (1500, not 1,500 元)")
_TYPE_HINTS = {  # what to write instead, said for the column's type: the date advice meant nothing under true/false
    "date": N_("write the date as YYYY-MM-DD, e.g. 2026-01-12"),
    "boolean": N_("write true or false (for 是, true; for 否, false)"),
    "integer": _NUMBER_HINT,
    "number": _NUMBER_HINT,
}


def cell_hint(error, fields: dict[str, dict]) -> str:
    found = OTHER_DATE.match(str(getattr(error, "cell", "")))
    field_type = fields.get(getattr(error, "field_name", ""), {}).get("type")
    if error.type == "type-error" and not found and field_type in _TYPE_HINTS:
        return _(_TYPE_HINTS[field_type])
    if error.type == "type-error" and found and field_type == "date":
        try:
            iso = dt.date(*map(int, found.groups())).isoformat()
        except ValueError:  # 2026-02-30: in the column's format, but no such day
            return _("there is no such day in the calendar: check the month and the day")
        return _("write it as {date}; Excel and WPS rewrite dates in their own way: set the column's cell format to"
                 " 文本 (text), then type the dates again").format(date=iso)
    return _(_CELL_HINTS.get(error.type, _OTHER_CELL_HINT))
