"""Bad and outsized input: every one gets a message with its file and line, never an internal error."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NOTICE, SERVICE
from generator.publish.build import build
from generator.checks.validate import load_content
from test_rules import COMPLAINTS

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 10, 10)
REGISTER = "registers/complaints.csv"


def located(root) -> list[tuple[str, int, str]]:
    _, findings = load_content(root)
    return [(f.file, f.line, f.message) for f in findings if f.severity == "error"]


def test_a_csv_saved_as_gbk_is_refused_with_how_to_save_it(office):
    root = office()
    (root / REGISTER).write_bytes(COMPLAINTS.format(published="2025-07-01").encode("gb18030"))
    assert located(root) == [(REGISTER, 2, "the file is saved in GBK/GB18030 (the Chinese Windows default), not UTF-8")]
    _, findings = load_content(root)
    assert "CSV UTF-8" in findings[0].hint


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_file_saved_as_utf16_is_refused_with_how_to_save_it(office, encoding):
    """Notepad's “Unicode” and PowerShell's `>`: with a BOM or without, never read as GBK or as garbage."""
    root = office()
    (root / REGISTER).write_bytes(COMPLAINTS.format(published="2025-07-01").encode(encoding))
    (root / "services/shenpi.yaml").write_bytes(SERVICE.encode(encoding))
    assert located(root) == [(REGISTER, 1, "the file is saved in UTF-16 (Windows' “Unicode”), not UTF-8"),
                             ("services/shenpi.yaml", 1, "the file is saved in UTF-16 (Windows' “Unicode”), not UTF-8")]


def test_a_workbook_given_a_csv_name_is_called_a_workbook_not_utf16(office):
    """A fresh-eyes clerk's Excel file saved as complaints.csv was told to save it as UTF-8 in Notepad."""
    import io
    import zipfile

    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as workbook:  # what Excel's .xlsx (and WPS's .et) is: a zip of XML parts
        workbook.writestr("[Content_Types].xml", "<Types/>")
        workbook.writestr("xl/workbook.xml", "<workbook/>")
    root = office()
    (root / REGISTER).write_bytes(xlsx.getvalue())
    (root / "registers/requests.csv").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an .xls
    _, findings = load_content(root)
    assert {(f.file, f.line, f.text) for f in findings} == {
        (name, 1, "the file is an Excel or WPS workbook, not text — open it in Excel or WPS and save it as"
                  " “CSV UTF-8（逗号分隔）” under this name") for name in (REGISTER, "registers/requests.csv")}


def test_a_bom_and_windows_line_endings_are_read(office):
    root = office()
    for name in (REGISTER, "services/shenpi.yaml", "notices/2025/gonggao-1.md"):
        text = (root / name).read_text(encoding="utf-8") if name != REGISTER else COMPLAINTS.format(published="2025-07-01")
        (root / name).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    content, findings = load_content(root)
    assert [f for f in findings if f.severity == "error"] == []
    assert content.get("service", "shenpi").data["title"] == "测试审批" and content.of("complaint")


@pytest.mark.parametrize("name", ["notices/2025/gonggao-1.MD", "services/shenpi.YAML", "registers/complaints.CSV"])
def test_a_content_file_with_its_extension_in_capitals_is_named_not_dropped(office, name, tmp_path):
    """Linux's glob does not see 通知.MD and Windows' does: the build would lack what the clerk's preview shows."""
    root = office()
    lower = root / (name.rsplit(".", 1)[0] + "." + name.rsplit(".", 1)[1].lower())
    if lower.exists():
        lower.rename(root / name)
    else:
        (root / name).write_text(COMPLAINTS.format(published="2025-07-01"), encoding="utf-8")
    errors = [(f.file, f.message, f.hint) for f in load_content(root)[1] if f.code == "file-name"]
    suffix = "." + name.rsplit(".", 1)[1]
    assert errors == [(name, f"the file's extension {suffix} is in capitals, so the file is not read",
                       f"rename it to {Path(lower.name)}")]
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(root), "--as-of", "2025-10-10", "--out",
                             str(tmp_path / "site")], capture_output=True, text=True)
    assert result.returncode == 1 and name in result.stdout and not (tmp_path / "site").exists()


def test_one_invalid_byte_is_named_at_its_line(office):
    root = office()
    text = COMPLAINTS.format(published="2025-07-01").encode("utf-8")
    (root / REGISTER).write_bytes(text.replace("窗口".encode(), b"\xff\xfe", 1))
    assert located(root) == [(REGISTER, 2, "the file is not UTF-8 text: a byte on this line is not a character")]


@pytest.mark.parametrize("line, message", [
    ("result: !!binary aGVsbG8=", "the YAML tag !!binary is not supported"),
    ("result: !!set {a, b}", "the YAML tag !!set is not supported"),
    ("published: !!timestamp 2025-01-06", "the YAML tag !!timestamp is not supported"),
    ("result: " + "9" * 5000, "the number has more than 18 digits"),
    ("published: 9999-12-30", "'published (发布日期)' is 9999-12-30, outside the years 1900 to 2199"),
    ("title: " + "长" * 8000, "'title (事项名称)' is 8000 characters long, more than the 200 allowed"),
])
def test_tags_huge_numbers_extreme_dates_and_long_titles(office, line, message):
    key = line.split(":")[0]
    text = "".join(line + "\n" if old.startswith(f"{key}:") else old + "\n" for old in SERVICE.splitlines())
    number = next(i for i, old in enumerate(SERVICE.splitlines(), 1) if old.startswith(f"{key}:"))
    assert located(office({"services/shenpi.yaml": text})) == [("services/shenpi.yaml", number, message)]


def test_a_notice_period_has_a_bound(office):
    root = office({"notices/2025/gonggao-1.md": NOTICE.replace("working_days: 10", "working_days: 100000000")})
    assert located(root) == [("notices/2025/gonggao-1.md", 14, "'period.working_days (工作日数)' is 100000000, more than the 250 allowed")]


def test_an_as_of_date_out_of_range_is_a_usage_error(office):
    result = subprocess.run([sys.executable, "-m", "generator", "check", str(office()), "--as-of", "0001-01-01"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "'0001-01-01' is outside the years 1900 to 2199" in result.stderr
    assert "internal error" not in result.stderr


def test_a_sheet_that_cannot_fit_is_named_at_its_notice(office, tmp_path, monkeypatch):
    from generator.render.pdfengine import PosterError

    def refuse(sheets, *args):  # as the layout refuses an element that cannot be split across pages
        raise PosterError("sheet 'notice-gonggao-1' does not fit its page 1 — shorten that part", sheet=sheets[-1].slug)

    monkeypatch.setattr("generator.publish.section.website_print_files", refuse)  # runs in the forked process all the same
    findings = build(office(), tmp_path / "site", AS_OF, search=False)
    assert [(f.file, f.line, f.code) for f in findings if f.severity == "error"] == [
        ("notices/2025/gonggao-1.md", 20, "poster")]  # the first line of the notice's text
    assert not (tmp_path / "site").exists()


FEES = ("id,name,unit,amount,basis,approved_by,effective,published,note,illustrative\n"
        "gongben,工本费,元/件,3126.40,浙价费〔2016〕209号,浙江省物价局,2016-12-01,2025-01-06,,true\n")


def test_money_is_printed_as_written_and_no_fees_says_so(office):
    from generator.render.datapackage import render_data
    from generator.render.site import render_site
    from generator.content.workdays import WorkCalendar

    def outputs(root):
        content, _ = load_content(root)
        site = render_site(content, WorkCalendar.from_content(content), AS_OF)
        return site.files["fees/index.md"].decode(), render_data(content, AS_OF)[0]["data/fees.csv"].decode()

    page, data = outputs(office({"fees.csv": FEES}))
    assert "| 3126.40 元/件 |" in page and ",3126.40," in data
    page, _ = outputs(office({"fees.csv": None}))
    assert "本机关无收费项目。" in page and "| 收费项目 |" not in page


def test_the_credit_code_is_checked_with_its_check_character(office):
    from conftest import OFFICE

    root = office({"office.yaml": OFFICE.replace("11331082MB1947351Y", "11331082MB1947351X")})
    assert ("office.yaml", 3, "统一社会信用代码 11331082MB1947351X is not valid: its check character does not match") in located(root)
    assert located(office({"office.yaml": OFFICE})) == []


def test_the_leading_group_has_a_place_for_its_duties_and_procedures(office):
    from conftest import OFFICE
    from generator.render.site import render_site
    from generator.content.workdays import WorkCalendar

    group = OFFICE.replace("  office_section: zonghe\n", "  office_section: zonghe\n  duties: [审核重要公开内容。]\n"
                                                         "  procedures: [每季度召开一次会议。]\n")
    content, findings = load_content(office({"office.yaml": group}))
    assert findings == []
    guide = render_site(content, WorkCalendar.from_content(content), AS_OF).files["guide/index.md"].decode()
    assert "**领导小组职责**" in guide and "1. 审核重要公开内容。" in guide and "1. 每季度召开一次会议。" in guide


def test_older_index_numbers_on_the_organisation_code_are_an_office_setting(office):
    from conftest import OFFICE

    old = NOTICE.replace("index_no: 11331082MB1947351Y/2025-00002", "index_no: 00253012-3/2014-00002")
    assert [m for _, _, m in located(office({"notices/2025/gonggao-1.md": old}))] == [
        "索引号 00253012-3/2014-00002 does not start with the office's 统一社会信用代码"]
    setting = OFFICE.replace("updated: 2025-01-06", "index_prefixes: [00253012-3]\nupdated: 2025-01-06")
    assert located(office({"notices/2025/gonggao-1.md": old, "office.yaml": setting})) == []


def test_zensical_asked_for_and_not_installed_is_a_chinese_message_not_an_internal_error(office, tmp_path, monkeypatch):
    from click.testing import CliRunner

    import generator.publish.engine
    from generator.cli import main

    monkeypatch.setattr(generator.publish.engine, "_zensical", lambda: None)  # neither beside this Python nor on the PATH
    result = CliRunner().invoke(main, ["--lang", "zh", "build", str(office()), "--engine", "zensical", "--as-of",
                                       "2025-10-10", "--out", str(tmp_path / "site")])
    assert result.exit_code == 1, result.output
    assert "网站生成程序 Zensical 没有安装" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "site").exists()


def _numbers(schema, where: str = "") -> list[tuple[str, dict]]:
    """Every number's schema in a schema, with where it is."""
    if isinstance(schema, dict):
        found = [(where, schema)] if schema.get("type") in ("integer", "number") else []
        return found + [hit for key, value in schema.items() for hit in _numbers(value, f"{where}/{key}")]
    if isinstance(schema, list):
        return [hit for index, value in enumerate(schema) for hit in _numbers(value, f"{where}/{index}")]
    return []


def test_every_number_in_rules_yaml_has_a_bound():
    import json

    schema = json.loads((ROOT / "schemas/rules.schema.json").read_text(encoding="utf-8"))
    numbers = _numbers(schema)
    assert len(numbers) > 10
    assert [where for where, number in numbers if "maximum" not in number or "minimum" not in number] == []


@pytest.mark.parametrize("rules, line", [
    ("rules:\n  periodic-overdue:\n    grace_working_days: 1000000000\n", 3),
    ("rules:\n  annual-report-due:\n    deadline_month: 13\n", 3),
    ("rules:\n  periodic-overdue:\n    grace_by_cadence:\n      每月: 99999999\n", 4)])
def test_a_huge_number_in_rules_yaml_is_refused_by_validate_at_its_line(office, rules, line):
    root = office({"rules.yaml": rules})
    result = subprocess.run([sys.executable, "-m", "generator", "check", str(root), "--as-of", AS_OF.isoformat()],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1 and "internal error" not in result.stderr
    assert [(file, where) for file, where, _message in located(root)] == [("rules.yaml", line)]


def test_a_deadline_on_a_day_its_month_lacks_is_the_month_s_last_day(office):
    root = office({"rules.yaml": "rules:\n  annual-report-due:\n    deadline_month: 2\n    deadline_day: 31\n"})
    result = subprocess.run([sys.executable, "-m", "generator", "check", str(root), "--as-of", AS_OF.isoformat()],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert "internal error" not in result.stderr and result.returncode in (0, 1), result.stderr
