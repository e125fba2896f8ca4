"""The loader and validator: every broken input gets one exact `path:line:` message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL, NOTICE, SERVICE
from generator.checks.validate import load_content

ROOT = Path(__file__).resolve().parent.parent


def edit(text: str, old: str, new: str) -> str:
    assert old in text, f"fixture does not contain {old!r}"
    return text.replace(old, new, 1)


def messages(root: Path) -> list[str]:
    _, findings = load_content(root)
    return [str(f) for f in findings]


def test_minimal_office_is_valid(office):
    content, findings = load_content(office())
    assert findings == []
    assert [r.id for r in content.of("service")] == ["shenpi"]
    assert content.office.get("name") == "示例县测试办公室"


def test_records_remember_file_and_line(office):
    content, _ = load_content(office())
    service = content.get("service", "shenpi")
    assert service.file == "services/shenpi.yaml"
    assert service.line("owner") == SERVICE.splitlines().index("owner: zonghe") + 1
    assert service.line("steps", 1, "detail") == 15
    notice = content.get("notice", "gonggao-1")
    assert notice.line("first_day") == NOTICE.splitlines().index("first_day: 2025-09-26") + 1
    item = content.get("catalog", "xuke")
    assert (item.file, item.line("owner")) == ("catalog.yaml", 18)


BROKEN = {
    "yaml syntax": (
        {"services/shenpi.yaml": edit(SERVICE, "title: 测试审批", "title: [测试审批")},
        ["services/shenpi.yaml:2: YAML syntax error: a list in square brackets [ ] that is not closed, or whose items are"
         " not separated by commas (a value starting with '[' needs quotes)"
         " — check the indentation, the colon after each key and matching quotes on this line"],
    ),
    "missing required field": (
        {"services/shenpi.yaml": edit(SERVICE, "result: 批准文件\n", "")},
        ["services/shenpi.yaml:1: missing field 'result' (办理结果)"
         " — add 'result:' with its value (see 办事指南 in docs/content-guide.md)"],
    ),
    "wrong type": (
        {"services/shenpi.yaml": edit(SERVICE, "copies: 1", "copies: 一份")},
        ["services/shenpi.yaml:10: 'materials.0.copies (份数)' should be a whole number, not text ('一份')"
         " — write it as shown in the content guide"],
    ),
    "number where text is expected": (
        {"services/shenpi.yaml": edit(SERVICE, "phone: 0576-1234560", "phone: 1234560")},
        ["services/shenpi.yaml:24: 'phone (咨询电话)' should be text, not a whole number (1234560) — put the value in quotes"],
    ),
    "invalid date": (
        {"services/shenpi.yaml": edit(SERVICE, "published: 2025-01-06", "published: 2025-02-30")},
        ["services/shenpi.yaml:27: 'published (发布日期)' is not a valid date: '2025-02-30'"
         " — write a real date as YYYY-MM-DD, e.g. 2025-09-26"],
    ),
    "date with a stray character": (  # the compiled validator alone would let this one through
        {"services/shenpi.yaml": edit(SERVICE, "published: 2025-01-06", "published: 2025-0*-06")},
        ["services/shenpi.yaml:27: 'published (发布日期)' is not a valid date: '2025-0*-06'"
         " — write a real date as YYYY-MM-DD, e.g. 2025-09-26"],
    ),
    "dangling reference": (
        {"services/shenpi.yaml": edit(SERVICE, "owner: zonghe", "owner: zonhge")},
        ["services/shenpi.yaml:22: unknown section 'zonhge' — did you mean 'zonghe'?"],
    ),
    "service points at a missing fee": (
        {"services/shenpi.yaml": edit(SERVICE, "  free: true", "  fees: [gongben-fei]")},
        ["services/shenpi.yaml:20: unknown fee 'gongben-fei' — add the fee first"],
    ),
    "free and fees both": (  # jsonschema's English 'is valid under each of' never reaches a clerk
        {"services/shenpi.yaml": edit(SERVICE, "  free: true", "  free: true\n  fees: [gongben-fei]")},
        ["services/shenpi.yaml:19: 'fee (收费)' may hold only one of free, fees"
         " — keep the one that is true and delete the others"],
    ),
    "duplicate id": (
        {"catalog.yaml": MINIMAL["catalog.yaml"].replace("id: gonggao", "id: xuke")},
        ["catalog.yaml:23: two catalog records share the id 'xuke' (also at catalog.yaml:13) — give each one its own value",
         "notices/2025/gonggao-1.md:11: unknown catalog 'gonggao' — use one of: jigou, xuke"],
    ),
    "duplicate key": (
        {"services/shenpi.yaml": SERVICE + "title: 又一个标题\n"},
        ["services/shenpi.yaml:28: key 'title' appears twice (first on line 2)"
         " — keep one of them; the second would silently replace the first"],
    ),
    "unknown field": (
        {"services/shenpi.yaml": edit(SERVICE, "hours: 工作日", "hour: 工作日")},
        ["services/shenpi.yaml:1: missing field 'hours' (办理时间) — add 'hours:' with its value (see 办事指南 in docs/content-guide.md)",
         "services/shenpi.yaml:26: unknown field 'hour' — did you mean 'hours'?"],
    ),
    "value not in the list": (
        {"catalog.yaml": edit(MINIMAL["catalog.yaml"], "cadence: 随时", "cadence: 每周")},
        ["catalog.yaml:11: 'items.0.cadence (公开频次)' is '每周', which is not allowed — use one of: 每月, 每季度, 每半年, 每年, 逐段, 随时"],
    ),
    "a list where one value belongs, quoted as it was written": (
        {"catalog.yaml": edit(MINIMAL["catalog.yaml"], "cadence: 随时", "cadence: [随时, 每年]")},
        ["catalog.yaml:11: 'items.0.cadence (公开频次)' is '[随时, 每年]', which is not allowed — use one of: 每月, 每季度, 每半年, 每年, 逐段, 随时"],
    ),
    "front matter never closed": (
        {"notices/2025/gonggao-1.md": NOTICE.replace("---\n\n公告正文", "\n公告正文")},
        ["notices/2025/gonggao-1.md:1: the front matter block is never closed — add a line '---' after the last field"],
    ),
    "no front matter": (
        {"notices/2025/gonggao-1.md": "公告正文。\n"},
        ["notices/2025/gonggao-1.md:1: the file does not start with a front matter block"
         " — put a line '---', the fields (title, dates, …), and another '---' at the top"],
    ),
    "bad YAML inside front matter keeps the file's line numbers": (
        {"notices/2025/gonggao-1.md": edit(NOTICE, "topic: 综合政务", "topic: 综合政务: 其他")},
        ["notices/2025/gonggao-1.md:9: YAML syntax error: a colon where none may stand (a value holding ': ' needs quotes around it)"
         " — check the indentation, the colon after each key and matching quotes on this line"],
    ),
    "a full-width colon is named at its own line": (
        {"notices/2025/gonggao-1.md": edit(NOTICE, "topic: 综合政务", "topic：综合政务")},
        ["notices/2025/gonggao-1.md:9: a full-width colon (：) after the field name 'topic': YAML reads the line as"
         " text, not as a field — write the field name, an ASCII colon and a space: topic: …"],
    ),
    "a field moved out of its group is named at its own line, not at the next": (
        {"office.yaml": edit(MINIMAL["office.yaml"], "  complaint: 0576-1234561", "complaint: 0576-1234561")},
        ["office.yaml:9: YAML syntax error: the line after the field 'complaint' (line 10) is indented more than it,"
         " so YAML reads that line as part of the value of 'complaint'"
         " — indent 'complaint' and line 10 like the other fields of their group (with spaces)"],
    ),
    "a list item moved left in front matter is named at its own line": (
        {"notices/2025/gonggao-1.md": edit(NOTICE, "  - type: 电话", "- type: 电话")},
        ["notices/2025/gonggao-1.md:16: YAML syntax error: the line after the field 'type' (line 17) is indented more"
         " than it, so YAML reads that line as part of the value of 'type'"
         " — indent 'type' and line 17 like the other fields of their group (with spaces)"],
    ),
    "table cell of the wrong type": (
        {"fees.csv": "id,name,unit,amount,basis,approved_by,effective,published,note,illustrative\n"
                     "gongben,工本费,元/本,5,浙价费〔2016〕1号,浙江省物价局,2016-13-01,2017-01-01,,true\n"},
        ["fees.csv:2: column 'effective (执行日期)' value '2016-13-01' is not a date (YYYY-MM-DD)"
         " — there is no such day in the calendar: check the month and the day"],
    ),
    "not UTF-8": (
        {"services/shenpi.yaml": None, "services/bad.yaml": "id: bad\n"},
        [],
    ),
    "index number of another office": (
        {"services/shenpi.yaml": edit(SERVICE, "11331082MB1947351Y/2025-00001", "11331082MB1947352X/2025-00001")},
        ["services/shenpi.yaml:3: 索引号 11331082MB1947352X/2025-00001 does not start with the office's 统一社会信用代码"
         " — write it as 11331082MB1947351Y/YYYY-NNNNN; if that is not this office's code (a copied office folder),"
         " correct credit_code in office.yaml first"],
    ),
    "a title of half-width spaces": (
        {"notices/2025/gonggao-1.md": edit(NOTICE, "title: 测试公告", 'title: "   "')},
        ["notices/2025/gonggao-1.md:3: 'title (标题)' holds nothing but spaces, which show as a blank on the page"
         " — write it in words; spaces alone, half- or full-width, are not enough. 文件标题，不超过200个字。"],
    ),
    "a service named in full-width spaces": (
        {"services/shenpi.yaml": edit(SERVICE, "title: 测试审批", "title: 　　")},
        ["services/shenpi.yaml:2: 'title (事项名称)' holds nothing but spaces, which show as a blank on the page"
         " — write it in words; spaces alone, half- or full-width, are not enough. 例如：人民防空工程初步设计审查。"],
    ),
    "publisher abbreviated": (
        {"notices/2025/gonggao-1.md": edit(NOTICE, "issuer: 示例县测试办公室", "issuer: 测试办")},
        ["notices/2025/gonggao-1.md:6: 发布机构 '测试办' is not the office's full name"
         " — write the full name '示例县测试办公室', never an abbreviation; if that is not this office's name (a copied"
         " office folder), correct name in office.yaml first"],
    ),
}


@pytest.mark.parametrize("case", [c for c in BROKEN if c != "not UTF-8"])
def test_broken_content_gets_exact_messages(office, case):
    overrides, expected = BROKEN[case]
    assert messages(office(overrides)) == expected


def test_not_utf8_is_reported_with_its_line(office):
    root = office({"services/shenpi.yaml": None})
    (root / "services/shenpi.yaml").write_bytes("id: shenpi\ntitle: 测试\n".encode() + "名称: 审批\n".encode("gbk"))
    assert messages(root)[0] == (
        "services/shenpi.yaml:3: the file is saved in GBK/GB18030 (the Chinese Windows default), not UTF-8 — save it"
        " again as UTF-8: in Notepad choose 另存为 and the encoding UTF-8"
    )


@pytest.mark.parametrize("name", ["office.yaml", "office.YAML"])
def test_an_unreadable_office_profile_is_not_also_called_missing(office, name):
    """A GBK or upper-case office.yaml is there: its own finding says what to do, not 'there is no office.yaml'."""
    root = office({"office.yaml": None})
    (root / name).write_bytes("name: 测试局\n".encode("gbk"))
    found = messages(root)
    assert found and all(line.startswith(f"{name}:1: ") for line in found[:1])
    assert not [line for line in found if "there is no office.yaml" in line], found


def test_missing_office_profile(office):
    assert messages(office({"office.yaml": None}))[0] == (
        "office.yaml:1: there is no office.yaml (机构概况) — create office.yaml; see docs/content-guide.md"
    )


def test_stray_file_is_a_warning(office):
    _, findings = load_content(office({"notice-draft.md": "---\nid: x\n---\n"}))
    assert [(f.file, f.severity, f.code) for f in findings] == [("notice-draft.md", "warning", "unknown-file")]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_reports_all_problems_at_once_and_exits_1(office):
    root = office({
        "services/shenpi.yaml": edit(SERVICE, "owner: zonghe", "owner: zonhge"),
        "notices/2025/gonggao-1.md": "公告正文。\n",
    })
    result = run_cli("validate", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{root}/notices/2025/gonggao-1.md:1: the file does not start with a front matter block")
    assert lines[1] == f"{root}/services/shenpi.yaml:22: unknown section 'zonhge' — did you mean 'zonghe'?"
    assert lines[-1] == "2 error(s), 0 warning(s)"


def test_example_office_is_valid():
    result = run_cli("validate", "content")
    assert (result.returncode, result.stdout) == (0, "0 error(s), 0 warning(s)\n")


def test_a_field_moved_out_of_its_group_in_county_yaml_is_named_at_its_own_line(tmp_path):
    from conftest import COUNTY, write_county

    root = write_county(tmp_path / "county", county_file=COUNTY.replace("  phone: 0576-5110001", "phone: 0576-5110001"))
    result = subprocess.run([sys.executable, "-m", "generator", "validate", str(root)], capture_output=True, text=True)
    assert result.returncode == 1
    assert (f"{root}/county.yaml:15: YAML syntax error: the line after the field 'phone' (line 16) is indented more"
            " than it") in result.stdout, result.stdout


COMPLAINTS_HEADER = "id,received,channel,category,summary,result,closed,published,illustrative"


def test_a_csv_excel_saved_with_empty_columns_at_the_end_says_to_delete_them_and_its_bad_dates_at_once(office):
    csv = (f"{COMPLAINTS_HEADER},,,\n"
           "2025-001,2025/5/6,电话,现场协调类,反映等候时间长。,已协调。,2025-05-06,2025-07-01,true,,,\n"
           "2025-002,2025-05-07,电话,现场协调类,反映窗口无人。,已协调。,2025.5.8,2025-07-01,true,,,\n")
    _, findings = load_content(office({"registers/complaints.csv": csv}))
    assert [(f.file, f.line, f.text) for f in findings] == [
        ("registers/complaints.csv", 1, "the column(s) 10–12 at the end have no title and are empty — delete the empty"
         " columns at the end: in Excel or WPS select them by their letters, right-click and choose 删除 (删除列),"
         " then save as CSV UTF-8 again"),
        ("registers/complaints.csv", 2, "column 'received (收到日期)' value '2025/5/6' is not a date (YYYY-MM-DD) —"
         " write it as 2025-05-06; Excel and WPS rewrite dates in their own way: set the column's cell format to"
         " 文本 (text), then type the dates again"),
        ("registers/complaints.csv", 3, "column 'closed (办结日期)' value '2025.5.8' is not a date (YYYY-MM-DD) —"
         " write it as 2025-05-08; Excel and WPS rewrite dates in their own way: set the column's cell format to"
         " 文本 (text), then type the dates again")]


def test_values_in_an_untitled_column_are_not_called_empty(office):
    csv = (f"{COMPLAINTS_HEADER},\n"
           "2025-001,2025-05-06,电话,现场协调类,反映等候时间长。,已协调。,2025-05-06,2025-07-01,true,备注\n")
    _, findings = load_content(office({"registers/complaints.csv": csv}))
    assert [(f.line, f.message) for f in findings] == [
        (1, "the column(s) 10 at the end have no title, but line 2 has values in them")]


FEES_HEADER = "id,name,unit,amount,basis,approved_by,effective,published,note,illustrative"


def test_excel_slips_in_a_csv_are_said_in_the_clerks_words_not_the_table_librarys(office):
    """Frictionless words these in English ('Row at position "3" is completely blank', 'constraint "pattern" is
    …'), which reached the clerk inside the Chinese message."""
    fees = (f"{FEES_HEADER}\n"
            "gongben,工本费,元/本,1,500,浙价费〔2016〕1号,浙江省物价局,2016-12-01,2017-01-01,,true\n"
            "gongben-er,工本费,元/本,-5,浙价费2016-1号,浙江省物价局,2016-12-01,2017-01-01,,true\n")
    complaints = (f"{COMPLAINTS_HEADER}\n"
                  "2025-001,2025-05-06,电话,现场协调类,反映等候时间长。,已协调。,2025-05-06,2025-07-01,true\n"
                  ",,,,,,,,\n")
    _, findings = load_content(office({"fees.csv": fees, "registers/complaints.csv": complaints}))
    said = {(f.file, f.line, f.text) for f in findings}
    assert ("fees.csv", 2, "this row has more cells than the table has columns: cell 11 holds 'true' — remove the"
            " extra cells or quote a value that contains a comma (Excel's 1,500 is two cells: write 1500)") in said
    assert ("fees.csv", 3, "column 'amount (收费标准)' value '-5' is below the smallest allowed, 0 — fill the cell"
            " with an allowed value (see the table schema in schemas/)") in said
    assert ("fees.csv", 3, "column 'basis (批准文号)' value '浙价费2016-1号' is not written as the column needs:"
            " 省财政、物价部门的批准文件文号，使用六角括号〔〕。 — fill the cell with an allowed value (see the table"
            " schema in schemas/)") in said
    assert [(f.line, f.text) for f in findings if f.file == "registers/complaints.csv"] == [
        (3, "this row is blank — delete the blank row (Excel and WPS leave rows of commas alone at the end)")]
    assert not [text for _, _, text in said if "position" in text or 'constraint "' in text]


def test_a_character_pasted_from_a_web_page_that_cannot_be_seen_is_named_by_its_code_point(office):
    """'有效\\u3000' is not allowed, did you mean '有效'?' left a clerk looking at two identical words."""
    pasted = edit(edit(SERVICE, "published: 2025-01-06", "published: 2025-01-06\u00a0"), "title: 测试审批",
                  "\u200btitle: 测试审批")
    after_colon = edit(SERVICE, "category: 行政许可", "category:\u00a0行政许可")
    _, findings = load_content(office({"services/shenpi.yaml": pasted, "services/other.yaml": after_colon}))
    told = {(f.file, f.line, f.hint) for f in findings}
    unseen = "it holds a character that cannot be seen ({}), often pasted from a web page or Word: delete it, or type" \
             " the value again"
    assert ("services/shenpi.yaml", 2, unseen.format("U+200B")) in told
    assert ("services/shenpi.yaml", 27, unseen.format("U+00A0")) in told
    assert [(f.line, f.text) for f in findings if f.file == "services/other.yaml"] == [(
        4, "the line holds a character that cannot be seen (U+00A0), where YAML needs an ordinary space or nothing"
           " — delete it (it is often pasted from a web page or Word) and type an ordinary space after the colon")]


def test_fields_named_by_their_chinese_titles_are_each_told_their_field_name(office):
    """'标题: …' was 'unknown field' with a list of 24 English names, and only the first of two such fields was named."""
    service = edit(edit(SERVICE, "title: 测试审批", "事项名称: 测试审批"), "published: 2025-01-06", "发布日期: 2025-01-06")
    _, findings = load_content(office({"services/shenpi.yaml": service}))
    assert [(f.line, f.text) for f in findings if f.message.startswith("unknown")] == [
        (2, "unknown field '事项名称' — did you mean 'title (事项名称)'?"),
        (27, "unknown field '发布日期' — did you mean 'published (发布日期)'?")]


def test_a_full_width_colon_inside_a_group_is_named_not_only_the_group(office):
    notice = NOTICE.replace("  working_days: 10", "  working_days：10")
    assert "  working_days：10" in notice
    _, findings = load_content(office({"notices/2025/gonggao-1.md": notice}))
    assert [f.hint for f in findings] == ["a full-width colon (：) after 'working_days' makes the line text: write"
                                          " working_days: … with an ASCII colon and a space"]


def test_a_csv_headed_by_its_columns_chinese_titles_is_told_so_once_not_column_by_column(office):
    titles = "编号,收到日期,渠道,类别,事由,办理结果,办结日期,公开日期,示例数据"
    csv = (f"{titles}\n{COMPLAINTS_HEADER}\n"
           "2025-001,2025-05-06,电话,现场协调类,反映等候时间长。,已协调。,2025-05-06,2025-07-01,true\n")
    _, findings = load_content(office({"registers/complaints.csv": csv}))
    assert [(f.file, f.line, f.message) for f in findings] == [(
        "registers/complaints.csv", 1, "the first row holds the columns' Chinese titles (编号、收到日期、渠道…), not"
        " their names")]


def test_an_emptied_register_and_a_yes_in_a_true_false_column_are_told_what_to_write(office):
    """A fresh-eyes clerk's 0-byte register passed validate without a word; 是 under true/false got date advice."""
    csv = f"{COMPLAINTS_HEADER}\n2025-001,2025-05-06,电话,现场协调类,反映等候时间长。,已协调。,2025-05-06,2025-07-01,是\n"
    _, findings = load_content(office({"registers/complaints.csv": csv, "registers/requests.csv": ""}))
    assert [(f.file, f.line, f.text) for f in findings] == [
        ("registers/complaints.csv", 2, "column 'illustrative (示例数据)' value '是' is not a true or false — write true"
                                        " or false (for 是, true; for 否, false)"),
        ("registers/requests.csv", 1, "the file is empty — if it was emptied by mistake, take its last version back"
                                      " (git restore); a table with no rows yet still has its first row:"
                                      " id,received,applicant,outcome,answered,extended,illustrative")]


def test_a_time_written_plainly_is_text_not_a_number_in_base_60(office):
    """YAML 1.1 reads 8:30 as 510: 'hours (办理时间) should be text, not a whole number (510)' would puzzle anyone."""
    content, findings = load_content(office({"services/shenpi.yaml": edit(SERVICE, "hours: 工作日", "hours: 8:30")}))
    assert findings == [] and content.get("service", "shenpi").get("hours") == "8:30"


def test_the_second_trials_slips_are_each_told_what_to_write(office):
    """A fresh-eyes clerk's second trial: a unit after a number, a date in full-width digits, a title too long (said
    without its unit), a field named in Chinese (answered with 24 English names), a row cut short (six findings)."""
    service = edit(edit(edit(edit(SERVICE, "statutory: 20", "statutory: 20个工作日"), "published: 2025-01-06",
                              "published: ２０２５-01-06"), "title: 测试审批", "title: " + "长" * 201),
                   "hours: 工作日", "hours: 工作日\n发布人: 张三")
    short = f"{COMPLAINTS_HEADER}\n2025-001,2025-05-06,电话,现场协调类\n"
    _, findings = load_content(office({"services/shenpi.yaml": service, "registers/complaints.csv": short}))
    assert [(f.line, f.text) for f in findings if f.file == "services/shenpi.yaml"] == [
        (2, "'title (事项名称)' is 201 characters long, more than the 200 allowed — shorten it"),
        (17, "'time_limit.statutory (法定时限（工作日）)' should be a whole number, not text ('20个工作日') — write the"
             " number alone, without its unit: 20"),
        (27, "unknown field '发布人' — field names are written in English: the fields of this file are in"
             " docs/fields.md; delete it if it is not one of them"),
        (28, "'published (发布日期)' is not a valid date: '２０２５-01-06' — the date is typed in full-width digits:"
             " switch the input method to half-width (半角) and type it as YYYY-MM-DD")]
    assert [(f.line, f.text) for f in findings if f.file == "registers/complaints.csv"] == [
        (2, "this row has fewer cells than the table has columns: summary (事由)、result (办理结果)、closed (办结日期)、"
            "published (公开日期)、illustrative (示例数据) missing — add the missing cells so the row has every column")]


def test_a_number_below_its_least_a_full_width_phone_and_an_unseen_space_in_a_reference_are_named(office):
    """Three of the second trial's: 'days: 0' was told only that it did not have a notice's form; a phone in full-width
    digits was answered with the field's description; 'gong\\u200bgao' was 'did you mean gonggao?'."""
    notice = NOTICE.replace("working_days: 10", "working_days: 0")
    unseen = (NOTICE.replace("gonggao-1", "gonggao-2").replace("2025-00002", "2025-00003")
              .replace("catalog: gonggao", "catalog: gong\u200bgao"))
    service = edit(SERVICE, "phone: 0576-1234560", "phone: ０５７６－１２３４５６０")
    _, findings = load_content(office({"notices/2025/gonggao-1.md": notice, "notices/2025/gonggao-2.md": unseen,
                                       "services/shenpi.yaml": service}))
    told = {(f.file, f.text) for f in findings}
    assert ("notices/2025/gonggao-1.md", "'period.working_days (工作日数)' is 0, less than the 1 allowed — check the"
            " number") in told
    assert any(file == "services/shenpi.yaml" and "full-width digits" in text for file, text in told), told
    assert any("U+200B" in text for file, text in told if file == "notices/2025/gonggao-2.md"), told
