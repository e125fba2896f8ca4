"""Every CSV the project publishes opens in a spreadsheet without running anything (generator/csvfile.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from generator import csvfile

FIELDS = [{"name": "text", "type": "string"}, {"name": "amount", "type": "number"}, {"name": "day", "type": "date"}]


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","点击")', "+1+1", "-1+1", "@SUM(A1)", "\t=1+1",
                                  "\r=1+1", "＝HYPERLINK(\"http://evil.example\")", "＋1", "－1", "＠SUM(A1)", "﹦1+1"])
def test_a_cell_a_spreadsheet_would_run_starts_with_a_quote(text):
    assert cells(csvfile.table(FIELDS, [{"text": text}]))[1][0] == "'" + text


@pytest.mark.parametrize("text", ["临政办发〔2026〕12号", "'=已是文本", " =前有空格", "电话：0576-1234560", ""])
def test_ordinary_text_is_written_as_it_is(text):
    assert cells(csvfile.table(FIELDS, [{"text": text}]))[1][0] == text


def test_numbers_dates_lists_and_empty_cells_keep_their_form():
    data = csvfile.table(FIELDS, [{"text": ["=甲", "乙"], "amount": Decimal("-5.5"), "day": dt.date(2026, 1, 2)},
                                  {"amount": -3}])
    assert cells(data) == [["text", "amount", "day"], ["'=甲；乙", "-5.5", "2026-01-02"], ["", "-3", ""]]
