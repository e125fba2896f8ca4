"""Load stage: each file under content/ becomes a Document that remembers lines (folder.py reads the folder whole).

PyYAML's node marks know where every key and value stands; we keep them in
a map from key path to line so that later stages can point at the exact
line of a wrong value. Dates stay strings here: the schema checks their
format (so 2025-02-30 is reported, not silently crashed on), and the typed
records parse them afterwards.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..findings import ContentError, Finding
from ..i18n import _
from ..normalize import code_point, masked_text
from .attachment_reader import matches
from .table_messages import (blank_columns_finding, cell_hint, cell_message, header_finding, missing_cells_finding,
                             title_row_finding, trailing_blank_columns)
from .yaml_lines import syntax_error

KeyPath = tuple


@dataclass
class Document:
    """One content file as parsed data plus where each value came from."""

    rel: str  # path relative to the content folder, with forward slashes
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1

    def line_of(self, path: KeyPath = ()) -> int:
        """The line of the value at `path`, or of its nearest known parent."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when present: ten times faster
    """Safe YAML where dates and times stay text, for the schema to judge."""


_OWN = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _OWN]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# YAML 1.1 reads yes/no/on/off as booleans ("severity: off" would become False); only true/false are.
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
# YAML 1.1's numbers but its base 60: "hours: 8:30" would be the number 510.
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"), list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN))$"), list("-+0123456789."))


_MAP, _SEQ, _STR = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_PLAIN = {_MAP, _SEQ, _STR, _INT, "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
MAX_DIGITS = 18  # a count, an amount or a year; a longer run of digits is an identifier, written as text


def _build(loader, node, path: KeyPath, lines: dict, first_line: int, seen_nodes: set) -> Any:
    """The node's value, noting the line of every key and value on the way (one pass instead of two)."""
    # An alias reuses a node; following it would let a few lines expand into millions of values.
    if id(node) in seen_nodes:
        raise ContentError(node.start_mark.line + first_line, _("YAML anchors and aliases (&, *) are not supported"),
                           _("write each value out in full"), code="syntax")
    seen_nodes.add(id(node))
    lines[path] = node.start_mark.line + first_line
    if node.tag not in _PLAIN:  # !!binary, !!set, !!timestamp …: values no content type holds
        raise ContentError(lines[path], _("the YAML tag {tag} is not supported").format(tag=node.tag.replace("tag:yaml.org,2002:", "!!")),
                           _("remove the tag and write the value plainly (text in quotes if need be)"), code="syntax")
    if node.tag == _INT and len(node.value.lstrip("+-0_")) > MAX_DIGITS:
        raise ContentError(lines[path], _("the number has more than {digits} digits").format(digits=MAX_DIGITS),
                           _("a number this long is an identifier: put it in quotes"), code="syntax")
    if node.tag == _STR:
        return node.value
    if node.tag == _MAP:
        data: dict[str, Any] = {}
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            key_line = key_node.start_mark.line + first_line
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR or not key:
                raise ContentError(key_line, _("a field name must be text, not {key!r}").format(key=key),
                                   _("write a field name, a colon and a space, then the value (name: value)"), code="syntax")
            if key in seen:
                raise ContentError(
                    key_line,
                    _("key '{key}' appears twice (first on line {seen})").format(key=key, seen=seen[key]),
                    _("keep one of them; the second would silently replace the first"),
                    code="duplicate-key",
                )
            seen[key] = key_line
            data[key] = _build(loader, value_node, path + (key,), lines, first_line, seen_nodes)
            lines[path + (key,)] = key_line
        return data
    if node.tag == _SEQ:
        return [_build(loader, item, path + (index,), lines, first_line, seen_nodes) for index, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)  # numbers, true/false, null and explicitly tagged values


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, dict[KeyPath, int]]:
    """Parse one YAML document; raise ContentError with a line on bad syntax."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as error:
        raise _refused_character(error, text, first_line) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {(): first_line}
        lines: dict[KeyPath, int] = {}
        return _build(loader, node, (), lines, first_line, set()), lines
    except yaml.MarkedYAMLError as error:
        raise syntax_error(error, text, first_line) from None
    except yaml.reader.ReaderError as error:  # the reader checks the text as the parser reaches it, not only at first
        raise _refused_character(error, text, first_line) from None
    except yaml.YAMLError:  # none is known to reach here: libyaml's own are marked, the reader's caught above
        raise ContentError(first_line, _("YAML cannot read this file"),
                           _("check the file from its first line: the indentation (with spaces), the colon after each"
                             " key and matching quotes")) from None
    except RecursionError:
        raise ContentError(first_line, _("the YAML is nested too deeply"), _("write the values as a flat list of fields")) from None
    finally:
        loader.dispose()


def _refused_character(error, text: str, first_line: int) -> ContentError:
    """A control character (or an invalid one) the YAML reader refuses, on its line."""
    return ContentError(first_line + text[: getattr(error, "position", 0)].count("\n"),
                        _("the text contains a character YAML does not accept: {character}")
                        .format(character=_code_point(getattr(error, "character", None))),
                        _("delete that character (it is often pasted invisibly from another program)"))


def _code_point(character) -> str:
    """libyaml gives the refused character as a number, PyYAML's reader as a character: either named U+0007."""
    return code_point(character) if isinstance(character, int) or (isinstance(character, str) and len(character) == 1) \
        else "?"


def load_yaml(path: Path, rel: str, text: str | None = None) -> Document:
    """`text`: the file's text when already read (read_text)."""
    data, lines = parse_yaml(read_text(path) if text is None else text)
    return Document(rel, data, lines)


FENCE = "---"


def load_markdown(path: Path, rel: str, text: str | None = None) -> Document:
    """A Markdown file opens with a YAML front matter block between --- lines."""
    text = read_text(path) if text is None else text
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(
            1,
            _("the file does not start with a front matter block"),
            _("put a line '---', the fields (title, dates, …), and another '---' at the top"),
            code="front-matter",
        )
    end = front_matter_end(lines)
    if end is None:
        raise ContentError(
            1,
            _("the front matter block is never closed"),
            _("add a line '---' after the last field"),
            code="front-matter",
        )
    data, index = parse_yaml("\n".join(lines[1:end]), first_line=2)
    rest = lines[end + 1 :]
    blank = next((i for i, line in enumerate(rest) if line.strip()), len(rest))
    body = "\n".join(rest[blank:]).rstrip("\n") + "\n"
    return Document(rel, data, index, body=body, body_line=end + 2 + blank)


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the '---' line that closes the front matter the first line opens: the first '---' after it,
    wherever the clerk meant the block to end. None without both."""
    if not lines or lines[0].strip() != FENCE:
        return None
    return next((i for i in range(1, len(lines)) if lines[i].strip() == FENCE), None)


WORKBOOKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # .xlsx/.et (a zip), .xls (an OLE file)


def read_text(path: Path) -> str:
    """A file a clerk saved, as text: UTF-8 with or without a BOM, any line endings. UTF-16 (Notepad's “Unicode”,
    PowerShell's `>`) and GBK/GB18030 (Chinese Windows' default, WPS and Excel) are refused with the line and what
    to do, never read as mojibake. Whatever reads a clerk's file reads it through here."""
    data = path.read_bytes()
    if data.startswith(WORKBOOKS):  # an Excel or WPS workbook given a text file's name: no encoding would read it
        raise ContentError(1, _("the file is an Excel or WPS workbook, not text"),
                           _("open it in Excel or WPS and save it as “CSV UTF-8（逗号分隔）” under this name")
                           if path.suffix.lower() == ".csv" else _("save the text in Notepad under this name"),
                           code="encoding")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\0" in data:
        raise ContentError(1, _("the file is saved in UTF-16 (Windows' “Unicode”), not UTF-8"),
                           _("save it again as UTF-8: in Notepad choose 另存为 and the encoding UTF-8"), code="encoding")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            raise ContentError(line, _("the file is not UTF-8 text: a byte on this line is not a character"),
                               _("save it again as UTF-8, or retype this line"), code="encoding") from None
        # WPS and Excel on Chinese Windows save "CSV" and text in GBK; read silently, it would be mojibake elsewhere.
        how = (_("save it again as UTF-8: in WPS or Excel choose “CSV UTF-8（逗号分隔）”, in an editor"
                 " choose the encoding UTF-8") if path.suffix.lower() == ".csv" else
               _("save it again as UTF-8: in Notepad choose 另存为 and the encoding UTF-8"))
        raise ContentError(line, _("the file is saved in GBK/GB18030 (the Chinese Windows default), not UTF-8"), how,
                           code="encoding") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_csv(path: Path, rel: str, table_schema: dict, text: str | None = None) -> tuple[Document, list[Finding]]:
    """Read a CSV table through its Frictionless table schema.

    Frictionless casts each cell and checks constraints; we keep the typed
    rows that are valid and turn every cell error into a Finding on the
    CSV's physical line.
    """
    from frictionless import Resource, Schema

    text = read_text(path) if text is None else text  # an encoding problem named with its line, before Frictionless
    if not text.strip():  # Frictionless reads an emptied file as a table without rows, and says nothing
        return Document(rel, [], {(): 1}), [Finding(rel, 1, "table-header", _("the file is empty"), _(
            "if it was emptied by mistake, take its last version back (git restore); a table with no rows yet still"
            " has its first row: {names}").format(names=",".join(f["name"] for f in table_schema["fields"])))]
    resource = Resource(path=str(path), schema=Schema.from_descriptor(table_schema), format="csv", encoding="utf-8")
    fields = {f["name"]: f for f in table_schema["fields"]}
    findings: list[Finding] = []
    rows: list[dict] = []
    lines: dict[KeyPath, int] = {(): 1}
    with resource:
        # Excel and WPS save columns a clerk once touched as empty ones at the end: said as such, and the cells
        # read all the same, so that every problem of the file is named in one run.
        blank = trailing_blank_columns(resource.header.errors, len(fields))
        if not blank:
            titles = resource.header.errors and title_row_finding(rel, list(resource.header.labels), fields)
            findings += [titles] if titles else [header_finding(rel, error) for error in resource.header.errors]
            if resource.header.errors:
                return Document(rel, [], lines), findings
        filled = []
        for row in resource.row_stream:
            filled += [row.row_number] if any(cell not in (None, "") for cell in row.cells[len(fields):]) else []
            if row.errors:
                types = {error.type for error in row.errors}
                missing = {error.field_name for error in row.errors if error.type == "missing-cell"}
                for error in row.errors:
                    if error.type == "primary-key" and types & {"unique-error", "blank-row"}:
                        continue  # the same duplicate, already said by the column's unique constraint, or no row
                    if getattr(error, "field_name", None) in missing:
                        continue  # a cell the row does not have: said once for the row, below
                    findings.append(Finding(rel, row.row_number, "table-cell",
                                            masked_text(cell_message(error, fields)), cell_hint(error, fields)))
                if missing:
                    findings.append(missing_cells_finding(rel, row.row_number, [f for f in fields if f in missing],
                                                          fields))
                continue
            lines[(len(rows),)] = row.row_number
            rows.append(row.to_dict())
    if blank:  # the table's rows are used only once its header is right
        findings.insert(0, blank_columns_finding(rel, blank, filled))
        return Document(rel, [], lines), findings
    return Document(rel, rows, lines), findings


def inside(path: Path, top: Path) -> bool:
    target = path.resolve()
    return target.is_relative_to(top) and (target.is_file() or target.is_dir())


def readable(path: Path, root: Path) -> bool:
    """A content file the pipeline may open: a regular file inside root, even when reached through a link.

    Every reader of content asks this one question (the loader, the scans, the attachments, the county's badge,
    the partition cache's key), so a link out of the content folder is never followed."""
    plain = _plain_file_under(path, root)
    if plain is not None:
        return plain
    return path.is_file() and inside(path, root.resolve())


def _plain_file_under(path: Path, root: Path) -> bool | None:
    """Whether a path named below root through no link is a regular file; None when that cannot be told so simply
    (a link, '..' or another folder on the way, or Windows, whose junctions are no links to lstat).

    Without a link between root and the file, the file is inside root wherever root itself resolves to: a few
    lstat calls instead of resolving both paths whole (that was a third of validating 10,000 notices)."""
    top, name = os.fspath(root), os.fspath(path)
    if os.name == "nt":
        return None
    if top in ("", "."):
        if os.path.isabs(name):
            return None
        top, rest = ".", name
    else:
        prefix = top.rstrip(os.sep) + os.sep
        if not name.startswith(prefix):
            return None
        rest = name[len(prefix):]
    parts = rest.split(os.sep)
    if any(part in ("", ".", "..") for part in parts):
        return None
    mode = 0
    try:
        for depth in range(1, len(parts) + 1):
            mode = os.lstat(os.path.join(top, *parts[:depth])).st_mode
            if stat.S_ISLNK(mode):
                return None
    except OSError:
        return None
    return stat.S_ISREG(mode)


def is_what_its_name_says(path: Path) -> bool:
    """A file whose extension names a format the site reads begins as that format does (an HTML page named
    badge.png is not an image); a file of any other extension is not judged here."""
    with open(path, "rb") as file:
        return matches(file.read(16), path.suffix.lower())


CONTENT_SUFFIXES = {".yaml", ".yml", ".md", ".csv"}
