"""Every CSV the project publishes opens in a spreadsheet without running anything (generator/render/csvfile.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from frictionless import Package

from generator.render import csvfile

FIELDS = [{"name": "text", "title": "文字", "type": "string"}, {"name": "amount", "title": "金额", "type": "number"},
          {"name": "day", "title": "日期", "type": "date"}]


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def rows_by_name(data: bytes, fields) -> list[dict[str, str]]:
    """A table as a program reads it without the data package: row 1 (the Chinese titles) skipped, row 2 the names."""
    _titles, names, *rows = cells(data)
    assert names == [field["name"] for field in fields]
    return [dict(zip(names, row)) for row in rows]


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","点击")', "+1+1", "-1+1", "@SUM(A1)", "\t=1+1",
                                  "\r=1+1", "＝HYPERLINK(\"http://evil.example\")", "＋1", "－1", "＠SUM(A1)", "﹦1+1"])
def test_a_cell_a_spreadsheet_would_run_starts_with_a_quote(text):
    assert cells(csvfile.table(FIELDS, [{"text": text}]))[2][0] == "'" + text


@pytest.mark.parametrize("text", ["临政办发〔2026〕12号", "'=已是文本", " =前有空格", "电话：0576-1234560", ""])
def test_ordinary_text_is_written_as_it_is(text):
    assert cells(csvfile.table(FIELDS, [{"text": text}]))[2][0] == text


def test_numbers_dates_lists_and_empty_cells_keep_their_form():
    data = csvfile.table(FIELDS, [{"text": ["=甲", "乙"], "amount": Decimal("-5.5"), "day": dt.date(2026, 1, 2)},
                                  {"amount": -3}])
    assert cells(data) == [["文字", "金额", "日期"], ["text", "amount", "day"], ["'=甲；乙", "-5.5", "2026-01-02"], ["", "-3", ""]]


def test_excel_on_a_chinese_pc_reads_utf_8_and_shows_the_titles_as_the_header():
    """Without the byte-order mark Excel reads a CSV in the PC's code page, GBK: 临海 would show as 涓存捣."""
    data = csvfile.table(FIELDS, [{"text": "临海", "amount": 1}])
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 3 and b"\n" not in data.replace(b"\r\n", b"")
    assert data[3:].decode("gbk", errors="replace") != data[3:].decode("utf-8")  # what the BOM saves the reader from
    assert cells(data)[0] == ["文字", "金额", "日期"]


def test_a_program_reads_the_english_names_and_the_values_through_the_data_package(tmp_path):
    """frictionless, as any Data Package reader, takes row 1 as a comment and row 2 as the schema's names."""
    fields = [*FIELDS, {"name": "sample", "title": "示例数据", "type": "boolean"}]
    (tmp_path / "t.csv").write_bytes(csvfile.table(fields, [{"text": "=1", "amount": -5, "day": dt.date(2026, 1, 2),
                                                             "sample": True}]))
    package = {"name": "t", "resources": [csvfile.resource("t", "表", "t.csv", {"fields": fields})]}
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", "--json",
                             str(tmp_path / "datapackage.json")], capture_output=True, text=True)
    assert json.loads(result.stdout)["valid"] is True, result.stdout[-2000:]
    [row] = Package(str(tmp_path / "datapackage.json")).get_resource("t").read_rows()
    assert dict(row) == {"text": "'=1", "amount": -5, "day": dt.date(2026, 1, 2), "sample": True}
    assert cells((tmp_path / "t.csv").read_bytes())[2][3] == "是"
    assert rows_by_name((tmp_path / "t.csv").read_bytes(), fields) == [
        {"text": "'=1", "amount": "-5", "day": "2026-01-02", "sample": "是"}]


def test_a_table_with_no_rows_yet_is_a_valid_table(tmp_path):
    """A new office's registers are empty, and so is the supervisor's overdue list on a good day."""
    (tmp_path / "t.csv").write_bytes(csvfile.table(FIELDS, []))
    package = {"name": "t", "resources": [csvfile.resource("t", "表", "t.csv", {"fields": FIELDS})]}
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", "--json",
                             str(tmp_path / "datapackage.json")], capture_output=True, text=True)
    assert json.loads(result.stdout)["valid"] is True, result.stdout[-2000:]
    assert cells((tmp_path / "t.csv").read_bytes()) == [["文字", "金额", "日期"], ["text", "amount", "day"]]


def test_a_column_out_of_place_is_caught_by_its_name(tmp_path):
    """The header of names is checked against the schema, so a table written in another order is not read silently."""
    (tmp_path / "t.csv").write_bytes(csvfile.table(FIELDS[::-1], [{"text": "甲", "amount": 1, "day": dt.date(2026, 1, 2)}]))
    package = {"name": "t", "resources": [csvfile.resource("t", "表", "t.csv", {"fields": FIELDS})]}
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", "--json",
                             str(tmp_path / "datapackage.json")], capture_output=True, text=True)
    assert json.loads(result.stdout)["valid"] is False
