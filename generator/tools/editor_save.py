"""What a save from the form editor writes: the clerk's values, in the file's own form.

Decap serialises a whole entry anew, in its field order, without the `$schema` line, the comments
`gongkai new` wrote (the computed 公示期 among them) or the file's key order, and with every emptied
optional field as `""`. Here the saved values are merged into the original text instead (ruamel.yaml's
round trip): an unchanged value keeps its very characters, a changed one takes its place, a new one goes
after the key it follows in the form, and an empty one is left out. So a re-save differs from the file by
the edit alone, and a new file starts with its `$schema` line like one from `gongkai new`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import PurePosixPath

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict

FRONT = "---\n"
BOM = "\ufeff"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 10**9  # a long title stays on its line
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # as the example content and `gongkai new` indent
    return yaml


def _split(text: str) -> tuple[str, str | None]:
    """Front matter and body of a Markdown file (body None for a YAML file)."""
    if text.startswith(FRONT) and (end := text.find("\n" + FRONT, len(FRONT) - 1)) >= 0:
        return text[len(FRONT):end + 1], text[end + 1 + len(FRONT):]
    return text, None


def pruned(value):
    """The value without empty texts, lists and objects: an optional field the clerk emptied is left out."""
    if isinstance(value, dict):
        kept = {key: pruned(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if not _empty(item)}
    if isinstance(value, list):
        return [item for item in (pruned(item) for item in value) if not _empty(item)]
    if isinstance(value, str) and DATE.fullmatch(value):
        try:  # a date from the date picker, written as a date (unquoted), as `gongkai new` writes it
            return dt.date.fromisoformat(value)
        except ValueError:
            pass  # not a day of the calendar: validation names it
    if isinstance(value, str):
        return str(value)  # in Decap's quotes or not, written plain where YAML reads it back the same
    return value


def _empty(value) -> bool:
    return value is None or value == "" or (isinstance(value, (list, dict)) and not value)


def _same(old, new) -> bool:
    return not isinstance(old, (dict, list)) and not isinstance(new, (dict, list)) and str(old) == str(new)


def _merge_map(old: CommentedMap, new: dict) -> CommentedMap:
    for key in [key for key in old if key not in new or (_empty(pruned(new[key])) and not _empty(old[key]))]:
        del old[key]
    previous = None
    for key, value in new.items():
        value = pruned(value)
        if _empty(value):  # left out; or, where the file has it empty too (`approvals: []`), left as it is
            continue
        if key in old:
            # ruamel keeps an old value's quotes for a new one (`covers: ""` → `covers: "2026-Q2"`); not here
            ordereddict.__setitem__(old, key, _merge_value(old[key], value))
        else:  # after the key it follows in the form, so a file keeps the order it was written in
            position = list(old).index(previous) + 1 if previous in old else 0
            old.insert(position, key, value)
        previous = key
    return old


def _merge_value(old, new):
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        return _merge_map(old, new)
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        for index, item in enumerate(new):
            if index < len(old):
                list.__setitem__(old, index, _merge_value(old[index], item))
            else:
                old.append(item)
        del old[len(new):]
        return old
    return old if _same(old, new) else new


def _dump(data) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def saved_text(original: str | None, saved: str, schema_line: str) -> str:
    """The file to write: `saved` (Decap's text of the entry) merged into `original` (None for a new file)."""
    saved_front, saved_body = _split(saved)
    values = _yaml().load(saved_front) or {}
    if original is None:
        values = pruned(values)
        front = (f"{schema_line}\n" if schema_line else "") + (_dump(values) if values else "")
        body = saved_body
    else:
        old_front, old_body = _split(original)
        data = _yaml().load(old_front)
        front = _dump(_merge_map(data, values) if isinstance(data, CommentedMap) else pruned(values))
        # Decap may give the text back with other blank lines around it: an untouched body stays as it was
        body = old_body if old_body is not None and saved_body is not None and old_body.strip() == saved_body.strip() \
            else saved_body
    if saved_body is None:
        return front
    return f"{FRONT}{front}{FRONT}{body}"


def safe_upload_name(path: str) -> str | None:
    """The reason an uploaded file's name cannot be kept, or None: a name a clerk would not recognise (hidden,
    nothing before its extension) or one a web address or another computer would break on."""
    name = PurePosixPath(path).name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if not stem or stem.startswith(".") or name.startswith("."):
        return "hidden"
    if re.search(r'[\\/:*?"<>|#%\x00-\x1f]', name):
        return "characters"
    return None


# Fees and registers stay CSV files (the loader, the open data and the annual report read them as they are); the
# editor shows each as a form with a row per record. Decap reads the table as JSON ({"rows": [...]}, typed by the
# table schema) and gives JSON back, which is written as CSV again: unchanged rows keep their very characters.
def table_json(text: str, schema: dict) -> str:
    types = {field["name"]: field.get("type", "string") for field in schema["fields"]}
    rows = []
    for row in csv.DictReader(io.StringIO(text.removeprefix(BOM))):
        rows.append({name: _typed(value, types.get(name, "string")) for name, value in row.items()
                     if name is not None and value not in (None, "")})
    return json.dumps({"rows": rows}, ensure_ascii=False)


def _typed(value: str, kind: str):
    try:
        if kind == "boolean":
            return {"true": True, "false": False}.get(value.strip().lower(), value)
        if kind == "integer":
            return int(value)
        if kind == "number":
            number = float(value)
            return int(number) if number.is_integer() and "." not in value else number
    except ValueError:
        pass  # as written: validation names it
    return value


def table_csv(original: str | None, saved: str, schema: dict) -> str:
    """The table's CSV text with the form's rows; columns, byte-order mark and line ends as the file had them."""
    names = next(csv.reader(io.StringIO(original.removeprefix(BOM)))) if original else []
    names = names or [field["name"] for field in schema["fields"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if original and "\r\n" in original else "\n")
    writer.writerow(names)
    for row in json.loads(saved).get("rows") or []:
        writer.writerow([_cell(row.get(name)) for name in names])
    return (BOM if original and original.startswith(BOM) else "") + out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
