"""Safety: personal data, classified markings, internal leaks, unsafe HTML, atomic and reproducible builds."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from conftest import CATALOG, INTERNAL, INTERNAL_CATALOG_ITEM, NOTICE, OFFICE, SERVICE
from test_county_safety import _children
from generator.checks import leakscan
from generator.publish.build import build
from generator.publish.engine import in_background
from generator.checks.check import run_checks
from generator.render.pdfengine import PosterError
from generator.render.posters import render_pdf
from generator.checks.rules import internal_text, personal_data, raw_html
from generator.checks.rules.personal_data import luhn_valid, valid_resident_id
from generator.checks.validate import load_content
from generator.normalize import nfkc
from generator.content.load import readable
from generator.tools.editor_server import QuietServer

AS_OF = dt.date(2025, 10, 10)
RESIDENT_ID = "11010519491231002X"  # the check digit of the national standard's own example
BANK_CARD = "6222021234567890128"    # Luhn-valid, 19 digits


def rule_findings(root, rule):
    content, _ = load_content(root)
    return [(f.file, f.line, f.message) for f in run_checks(content, AS_OF) if f.code == rule]


def with_body(text: str) -> dict:
    return {"notices/2025/gonggao-1.md": NOTICE.replace("公告正文。", text)}


def test_check_digits():
    assert valid_resident_id(RESIDENT_ID) and not valid_resident_id("110105194912310021")
    assert luhn_valid(BANK_CARD) and not luhn_valid("6222021234567890127")


@pytest.mark.parametrize("text, expected", [
    (f"联系人身份证号{RESIDENT_ID}。", "a resident ID number (110***********002X) must not be published"),
    (f"退款账户 {BANK_CARD}", "a bank card number (622************0128) must not be published"),
    ("联系人手机 13812345678", "a private mobile number (138****5678) must not be published"),
    ("联系人手机 138-1234-5678", "a private mobile number (138****5678) must not be published"),
])
def test_personal_data_is_an_error_and_is_masked(office, text, expected):
    findings = rule_findings(office(with_body(text)), "personal-data")
    assert findings == [("notices/2025/gonggao-1.md", 20, expected)]
    assert all(digits not in findings[0][2] for digits in ("13812345678", RESIDENT_ID, BANK_CARD))


@pytest.mark.parametrize("text", [
    "身份证号110105194912310021（校验码不对，不是身份证号）",
    "索引号 11331082MB1947351Y/2025-00001，金额 12345678 元",
    "咨询电话 0576-1234560",
])
def test_ordinary_numbers_are_not_personal_data(office, text):
    assert rule_findings(office(with_body(text)), "personal-data") == []


def test_a_published_office_mobile_is_allowed(office):
    root = office({"office.yaml": OFFICE.replace("complaint: 0576-1234561", "complaint: \"13812345678\""),
                   **with_body("投诉请拨 13812345678")})
    assert rule_findings(root, "personal-data") == []


def test_personnel_notice_may_name_people_but_not_their_phone(office):
    personnel = NOTICE.replace("type: 通知公告", "type: 人事公示")
    ok = personnel.replace("公告正文。", "拟任命李静同志为综合科科长。")
    assert rule_findings(office({"notices/2025/gonggao-1.md": ok}), "personal-data") == []
    bad = personnel.replace("公告正文。", "拟任命李静同志（电话13912345678）为综合科科长。")
    assert rule_findings(office({"notices/2025/gonggao-1.md": bad}), "personal-data") == [
        ("notices/2025/gonggao-1.md", 20, "a private mobile number (139****5678) must not be published")]


def test_personal_data_in_a_csv_cell(office):
    csv = ("id,received,channel,category,summary,result,closed,published,illustrative\n"
           "1,2025-05-06,电话,现场协调类,来电人13812345678反映等候时间长。,已协调。,2025-05-06,2025-07-01,true\n")
    assert rule_findings(office({"registers/complaints.csv": csv}), "personal-data") == [
        ("registers/complaints.csv", 2, "a private mobile number (138****5678) must not be published")]


def test_the_scans_shortcut_to_nfkc_gives_nfkc_itself():
    """The scans replace full-width forms before NFKC (the slow path otherwise): the result must be NFKC's own, also
    where a form meets a combining mark or a half-width katakana its voicing mark."""
    forms = [chr(code) for code in (0x3000, *range(0xFF01, 0xFFEF))]
    marks = ["\u0301", "\u0327", "\u0338", "\u3099", "\u309a"]
    pairs = [first + second for form in forms for mark in marks for first, second in ((form, mark), (mark, form))]
    rng = random.Random(30)
    mixed = ["".join(rng.choice(forms + marks + ["机", "密", "a", "<", "ｶ", "ﾊ", "\u00ad"]) for _ in range(rng.randint(1, 12)))
             for _ in range(3000)]
    assert [text for text in forms + pairs + mixed if nfkc(text) != unicodedata.normalize("NFKC", text)] == []


@pytest.mark.parametrize("marking", ["秘密★", "机密★一年", "绝 密 ★", "秘\u3000密☆", "机密＊"])
def test_classified_markings_are_found(office, marking):
    assert rule_findings(office(with_body(f"{marking} 文件内容")), "classified-marking") == [
        ("notices/2025/gonggao-1.md", 20, f"a classified marking ({marking.replace(' ', '').replace(chr(0x3000), '')[:2]}★) is in the content")]


@pytest.mark.parametrize("marking, level", [
    ("机&#23494;★", "机"), ("绝密&#9733;", "绝"), ("机\u00ad密★", "机"), ("机\u200b密★", "机"), ("机密∗", "机"),
    ("机密﹡", "机"), ("机密⋆", "机"), ("机密✱", "机"), ("机密\uf0ab", "机"), ("機密★", "机"), ("絕密★", "绝"),
    ("机**密**★", "机"), ("密级：机密", "机"), ("<b>秘</b>密★", "秘"),
])
def test_classified_markings_are_found_however_they_are_typed(office, marking, level):
    assert rule_findings(office(with_body(f"{marking} 文件内容")), "classified-marking") == [
        ("notices/2025/gonggao-1.md", 20, f"a classified marking ({level}密★) is in the content")]


def test_a_classified_marking_made_by_a_yaml_escape_is_found(office):
    root = office({"services/shenpi.yaml": SERVICE.replace("result: 批准文件", 'result: "机\\u5BC6★ 批准文件"')})
    assert rule_findings(root, "classified-marking") == [
        ("services/shenpi.yaml", 21, "a classified marking (机密★) is in the content")]


def test_the_word_secret_alone_is_not_a_marking(office):
    assert rule_findings(office(with_body("党的秘密事项不列入公开内容。")), "classified-marking") == []


@pytest.mark.parametrize("html, problem", [
    ("<script>alert(1)</script>", "the HTML tag <script> is not allowed"),
    ('<iframe src="https://example.org"></iframe>', "the HTML tag <iframe> is not allowed"),
    ('<span onclick="steal()">点击</span>', "the event-handler attribute onclick= is not allowed"),
    ('<a href="javascript:alert(1)">链接</a>', "a javascript: address is not allowed"),
    ("[链接](javascript:alert(1))", "a link to a javascript: address is not allowed"),
    ("<!-- --!><script>alert(1)</script> -->",
     "raw HTML that is not a simple formatting tag (comments, scripts and the like) is not allowed"),
    ("<![CDATA[ x ><img src=x onerror=alert(1)> ]]>",
     "raw HTML that is not a simple formatting tag (comments, scripts and the like) is not allowed"),
    ("[r]: javascript:alert(1)", "a link to a javascript: address is not allowed"),
    ("[链接](&#106;avascript:alert(1))", "a link to a javascript: address is not allowed"),
    ("[链接](javascript&colon;alert(1))", "a link to a javascript: address is not allowed"),
    ("[链接](java&#9;script:alert(1))", "a link to a javascript: address is not allowed"),
    ("[链接](\x01javascript:alert(1))", "a control character (U+0001) is not allowed"),
    ("[链接](javascript：alert(1))", "a javascript: address is not allowed"),
    ("[链接](ｊａｖａｓｃｒｉｐｔ:alert(1))", "a javascript: address is not allowed"),
    ("[链接](javascrip\U0001d42d︓alert(1))", "a javascript: address is not allowed"),
])
def test_unsafe_html_is_an_error_with_its_line(office, html, problem):
    findings = rule_findings(office(with_body(f"第一段。\n\n{html}")), "raw-html")
    assert findings[0] == ("notices/2025/gonggao-1.md", 22, problem) and {f[:2] for f in findings} == {findings[0][:2]}


def test_the_raw_html_rule_normalises_every_text_that_could_spell_a_javascript_address():
    """A text is normalised only when it holds something NFKC makes a ':' of and something it makes a 't' of (or an
    entity): both sets must be all such characters of this Python's Unicode."""
    normal = [(character, unicodedata.normalize("NFKC", character)) for character in map(chr, range(0x110000))]
    assert {c for c, n in normal if ":" in n} == {c for c, _ in normal if raw_html.COLON.match(c)}
    assert {c for c, n in normal if re.search("t", n, re.I)} == {c for c, _ in normal if raw_html.LETTER_T.match(c)}


def test_the_internal_text_rule_normalises_every_text_that_could_spell_an_internal_ideograph():
    """A file is compared word by word only when it holds every ideograph of an internal text, or something that can
    spell an ideograph otherwise: every character NFKC makes one of must be among those."""
    ideograph, spells = internal_text.IDEOGRAPH, internal_text.SPELLS_IDEOGRAPHS
    assert not [c for c in map(chr, range(0x110000)) if ideograph.match(c) and unicodedata.decomposition(c)]
    assert [c for c in map(chr, range(0x110000)) if not ideograph.match(c) and not spells.match(c)
            and ideograph.search(unicodedata.normalize("NFKD", c))] == []


def test_the_personal_data_rule_reads_apart_every_line_that_could_read_as_a_number():
    """A line of PLAIN_LINE's characters is not read apart (entities, NFKC): none of them may be, or become, a digit,
    @, & or %, or a number or address dressed in them would pass."""
    plain = [chr(code) for code in range(0x110000) if personal_data.PLAIN_LINE.fullmatch(chr(code))]
    assert "（" in plain and "密" in plain and "_" in plain  # what Chinese lines are made of is spared the work
    assert [c for c in plain if re.search(r"[\d@&%]", unicodedata.normalize("NFKC", c))] == []


def test_links_in_yaml_fields_and_csv_cells_are_judged_too(office):
    csv = ("id,received,channel,category,summary,result,closed,published,illustrative\n"
           "1,2025-05-06,电话,现场协调类,[详情](javascript:alert(1)),已协调。,2025-05-06,2025-07-01,true\n")
    root = office({"services/shenpi.yaml": SERVICE.replace("result: 批准文件", 'result: "<img src=x onerror=alert(1)>"'),
                   "registers/complaints.csv": csv})
    assert [(file, line) for file, line, _ in rule_findings(root, "raw-html")] == [
        ("registers/complaints.csv", 2), ("services/shenpi.yaml", 21)]


def test_simple_formatting_html_is_allowed(office):
    assert rule_findings(office(with_body('<strong>注意</strong>：<a href="https://example.org">详见</a>')), "raw-html") == []


# --- builds -------------------------------------------------------------------

def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def errors_of(findings):
    return [str(f) for f in findings if f.severity == "error"]


def test_building_twice_gives_identical_bytes(office, tmp_path):
    root = office()
    assert errors_of(build(root, tmp_path / "one", AS_OF)) == []
    time.sleep(1.1)
    assert errors_of(build(root, tmp_path / "elsewhere" / "two", AS_OF)) == []
    assert tree(tmp_path / "one") == tree(tmp_path / "elsewhere" / "two")
    assert any(name.endswith(".pdf") for name in tree(tmp_path / "one"))


def test_a_failing_build_leaves_the_previous_site_untouched(office, tmp_path):
    root, site = office(), tmp_path / "site"
    assert errors_of(build(root, site, AS_OF)) == []
    before = tree(site)
    (root / "internal").mkdir()
    (root / "internal/neibu-1.yaml").write_text(INTERNAL, encoding="utf-8")
    leaked = NOTICE.replace("公告正文。", "公务车辆保养维修（一号车）已完成。")
    (root / "notices/2025/gonggao-1.md").write_text(leaked, encoding="utf-8")
    findings = errors_of(build(root, site, AS_OF))
    assert findings == ["notices/2025/gonggao-1.md:20: this repeats the text '公务车辆保养维修（一号车）' of internal item"
                        " 'neibu-1' (internal/neibu-1.yaml), which goes only on the internal board — remove the copied"
                        " text from this public file"]
    assert tree(site) == before
    assert not list(tmp_path.glob(".gongkai-staging-*"))


def test_a_classified_marking_blocks_the_build(office, tmp_path):
    root, site = office(with_body("机密★ 内容")), tmp_path / "site"
    assert errors_of(build(root, site, AS_OF)) == [
        "notices/2025/gonggao-1.md:20: a classified marking (机密★) is in the content — remove this file from the change"
        " at once and report it to the confidentiality officer; classified material never goes into the repository"]
    assert not site.exists()


def test_the_leak_scan_catches_text_planted_in_the_output(office, tmp_path):
    root = office({"internal/neibu-1.yaml": INTERNAL})
    content, _ = load_content(root)
    public = {"notices/index.md": "<p>公务车辆\u200b保养维修（一号车）</p>".encode(), "clean.md": "综合科 良好".encode()}
    assert [(f.file, f.line, f.code) for f in leakscan.scan(content, public)] == [("internal/neibu-1.yaml", 9, "internal-leak")]


def _engine_running(pid: int) -> bool:
    """Whether a process below pid runs the site engine (Linux's /proc; elsewhere, after two seconds)."""
    if not Path("/proc/self/task").is_dir():
        time.sleep(2.0)
        return True
    for child in _children(pid):
        try:
            if b"mkdocs" in Path(f"/proc/{child}/cmdline").read_bytes():
                return True
        except OSError:
            pass
    return False


def test_interrupting_a_build_leaves_the_previous_site_untouched(office, tmp_path):
    root, site = office(), tmp_path / "site"
    assert errors_of(build(root, site, AS_OF)) == []
    before = tree(site)
    (root / "notices/2025/gonggao-1.md").write_text(NOTICE.replace("测试公告", "改过的公告"), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", str(root), "--as-of", AS_OF.isoformat(),
                                "--out", str(site)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Past loading, inside the engine: a fixed wait outran the whole build once builds got quicker
    deadline = time.monotonic() + 60
    while not _engine_running(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    # Exit status 130, or ended by SIGINT itself (-2): a shell reports both as 130, "interrupted".
    assert process.returncode in (130, -signal.SIGINT), stderr
    assert "interrupted; nothing was changed" in stderr and "Traceback" not in stderr
    assert tree(site) == before
    assert not list(tmp_path.glob(".gongkai-staging-*"))


def test_a_print_job_that_dies_fails_the_build_instead_of_hanging_it():
    with in_background(os._exit, 3) as result:  # as if the kernel had killed it for memory
        with pytest.raises(PosterError, match="ended without a result"):
            result()


def test_a_sheet_that_cannot_be_printed_stops_the_build_with_its_message(office, tmp_path, monkeypatch):
    def refuse(*args):
        raise PosterError("sheet 'notice-gonggao-1' does not fit its page 1: an element cannot be split across pages"
                          " — shorten that part (a very long table cell or line) or print on A3")

    monkeypatch.setattr("generator.publish.section.website_print_files", refuse)  # runs in the forked process all the same
    site = tmp_path / "site"
    assert errors_of(build(office(), site, AS_OF)) == [
        ".:1: sheet 'notice-gonggao-1' does not fit its page 1: an element cannot be split across pages"
        " — shorten that part (a very long table cell or line) or print on A3"]
    assert not site.exists()


# --- the gate: no office setting, command or file trick gets past it ---------------

@pytest.mark.parametrize("rule", ["personal-data", "classified-marking", "raw-html"])
@pytest.mark.parametrize("severity", ["off", "warning"])
def test_rules_yaml_cannot_lower_a_safety_rule(office, tmp_path, rule, severity):
    root = office({"rules.yaml": f"rules:\n  {rule}:\n    severity: {severity}\n",
                   **with_body(f"联系人身份证号{RESIDENT_ID}，机密★，<script>alert(1)</script>")})
    content, problems = load_content(root)  # the rules schema allows a safety rule no severity but error
    assert [(f.file, f.line, f.code, f.severity) for f in problems] == [("rules.yaml", 3, "schema", "error")]
    findings = run_checks(content, AS_OF)
    assert {f.code for f in findings if f.severity == "error"} >= {"personal-data", "classified-marking", "raw-html"}
    assert errors_of(build(root, tmp_path / "site", AS_OF)) and not (tmp_path / "site").exists()


def posters_command(root: Path, out: Path, board: str = "public") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "posters", str(root), "--as-of", AS_OF.isoformat(),
                           "--board", board, "--out", str(out)], capture_output=True, text=True)


@pytest.mark.parametrize("body, expected", [
    (f"联系人身份证号{RESIDENT_ID}。", ":20: a resident ID number (110***********002X) must not be published"),
    ("机密★1年 内容", ":20: a classified marking (机密★) is in the content"),
])
def test_posters_for_the_public_board_pass_the_same_gate_as_the_build(office, tmp_path, body, expected):
    result = posters_command(office(with_body(body)), tmp_path / "posters")
    assert result.returncode == 1 and f"notices/2025/gonggao-1.md{expected}" in result.stdout
    assert RESIDENT_ID not in result.stdout + result.stderr
    assert not (tmp_path / "posters").exists()


def test_posters_refuse_internal_text_in_a_public_sheet(office, tmp_path):
    root = office({"internal/neibu-1.yaml": INTERNAL, **with_body("公务车辆保养维修（一号车）已完成。")})
    result = posters_command(root, tmp_path / "posters")
    assert result.returncode == 1 and "notices/2025/gonggao-1.md:20: this repeats the text" in result.stdout
    assert not (tmp_path / "posters").exists()
    # A safety rule's error stops every board until the public file is fixed, the internal one too.
    assert posters_command(root, tmp_path / "internal", board="internal").returncode == 1


@pytest.mark.parametrize("target", ["/etc/passwd", "/dev/zero"])
def test_a_link_out_of_the_content_folder_is_refused_and_never_read(office, tmp_path, target):
    root = office()
    (root / "registers/complaints.csv").symlink_to(target)
    content, findings = load_content(root)
    assert [(f.file, f.code, f.severity) for f in findings] == [("registers/complaints.csv", "symlink", "error")]
    result = subprocess.run([sys.executable, "-m", "generator", "check", str(root), "--as-of", AS_OF.isoformat()],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "root:" not in result.stdout + result.stderr


def test_a_formula_in_a_register_cell_is_published_as_text(office, tmp_path):
    csv = ("id,received,channel,category,summary,result,closed,published,illustrative\n"
           '1,2025-05-06,电话,现场协调类,"=HYPERLINK(""http://evil.example"",""点击"")",@SUM(1),2025-05-06,2025-07-01,true\n')
    site = tmp_path / "site"
    assert errors_of(build(office({"registers/complaints.csv": csv}), site, AS_OF)) == []
    published = (site / "data/complaints.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in published and ",'@SUM(1)," in published
    assert '"=HYPERLINK' not in published and ",=" not in published


def test_the_print_step_fetches_nothing_a_notice_names(office, tmp_path):
    import http.server
    import threading

    asked = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_error(404)

        def log_message(self, *args):
            pass

    server = QuietServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    body = f'<img src="http://127.0.0.1:{server.server_address[1]}/x.png" alt="图"> <img src="file:///dev/zero" alt="零">'
    try:  # the layout step on its own: it must hold even for HTML no rule has read
        render_pdf(f"<html><body><p>公告</p>{body}</body></html>", "sheet")
    finally:
        server.shutdown()
    assert asked == []
    result = posters_command(office(with_body(body)), tmp_path / "posters")
    assert result.returncode == 1 and "notices/2025/gonggao-1.md:20: a file: address is not allowed" in result.stdout


@pytest.mark.parametrize("text", [
    "联系人手机１３８１２３４５６７８",                   # full-width, as the Chinese input method types
    "身份证号 110105 19491231 002X", "身份证号110105\u00a019491231\u00a0002X", "身份证号 110105-19491231-002X",
    "原身份证号110105491231002",                          # the first generation's 15 digits
    "手机 +86 13812345678", "手机 008613812345678", "手机 (138)1234-5678", "手机 138.1234.5678",
    "手机 1381234&#53;678", "手机 138**1234**5678", "手机 <b>138</b>12345678",
    "护照号码 E12345678", "家庭电话 0576-85123456", "邮箱 zhangsan@qq.com",
])
def test_personal_data_is_found_however_it_is_typed(office, text):
    findings = rule_findings(office(with_body(text)), "personal-data")
    assert [(file, line) for file, line, _ in findings] == [("notices/2025/gonggao-1.md", 20)]
    assert "****" in findings[0][2] or "***@" in findings[0][2]


@pytest.mark.parametrize("value", ['"1381234\\x35678"', '"13812\\\n  345678"'])
def test_personal_data_rebuilt_by_a_yaml_escape_is_found(office, value):
    root = office({"services/shenpi.yaml": SERVICE.replace("person: 综合科科长", f"person: {value}")})
    assert rule_findings(root, "personal-data") == [
        ("services/shenpi.yaml", 23, "a private mobile number (138****5678) must not be published")]


def test_schema_and_table_messages_mask_an_id_number(office):
    csv = ("id,received,channel,category,summary,result,closed,published,illustrative\n"
           f"1,{RESIDENT_ID},电话,现场协调类,来电反映。,已协调。,2025-05-06,2025-07-01,true\n")
    root = office({"registers/complaints.csv": csv,
                   "services/shenpi.yaml": SERVICE.replace("published: 2025-01-06", f"published: '{RESIDENT_ID}'")})
    _, findings = load_content(root)
    messages = " ".join(f.message for f in findings)
    assert "110***********002X" in messages and RESIDENT_ID not in messages
    assert {f.file for f in findings} >= {"registers/complaints.csv", "services/shenpi.yaml"}


def test_a_public_notice_under_an_internal_catalog_item_is_refused(office, tmp_path):
    catalog = CATALOG + INTERNAL_CATALOG_ITEM
    root = office({"catalog.yaml": catalog, "notices/2025/gonggao-1.md": NOTICE.replace("catalog: gonggao", "catalog: neibu")})
    assert rule_findings(root, "internal-catalog") == [
        ("notices/2025/gonggao-1.md", 11, "this public notice is filed under the internal catalog item 'neibu' (内部事项)")]
    assert errors_of(build(root, tmp_path / "site", AS_OF)) and not (tmp_path / "site").exists()
    assert posters_command(root, tmp_path / "posters").returncode == 1


def test_an_internal_audience_on_a_public_document_says_where_internal_items_belong(office):
    root = office({"notices/2025/gonggao-1.md": NOTICE.replace("mode: 主动公开", "mode: 主动公开\naudience: 内部")})
    _, findings = load_content(root)
    assert [(f.file, f.line, f.code) for f in findings] == [("notices/2025/gonggao-1.md", 11, "schema")]
    assert "content/internal/" in findings[0].hint


TABLE_ITEM = INTERNAL.replace("rows:\n  - [公务车辆保养维修（一号车）, 2360]", "rows:\n  - [张三, 良好, 95]\n  - [李四, 合格, 80]")


@pytest.mark.parametrize("item, body", [
    (INTERNAL, "**公务车辆**保养维修（一号车）已完成。"),
    (INTERNAL, "公务车辆&#20445;养维修（一号车）已完成。"),
    (INTERNAL, "公务车辆保\u00ad养维修（一号车）已完成。"),
    (INTERNAL, "[公务车辆](https://example.org/)保养维修（一号车）已完成。"),
    (INTERNAL.replace("title: 第三季度车辆维修费用公开", 'title: "第三季度车辆\\"维修\\"费用 & 公开"'),
     '附：第三季度车辆"维修"费用 & 公开'),
    (TABLE_ITEM, "| 姓名 | 结果 | 分数 |\n| --- | --- | --- |\n| 张三 | 良好 | 95 |\n| 李四 | 合格 | 80 |"),
    (INTERNAL, "公务车辆保养维修（\u2f00号车）已完成。"),  # ⼀, the Kangxi radical, is 一 to NFKC
    (INTERNAL, "公务车辆%E4%BF%9D养维修（一号车）已完成。"),
])
def test_internal_text_is_found_however_it_is_dressed(office, tmp_path, item, body):
    root = office({"internal/neibu-1.yaml": item, **with_body(body)})
    findings = [f for f in build(root, tmp_path / "site", AS_OF) if f.code == "internal-text"]
    assert findings and {f.file for f in findings} == {"notices/2025/gonggao-1.md"}  # where the clerk can remove it
    assert not (tmp_path / "site").exists()
    content, _problems = load_content(root)
    assert {f.file for f in leakscan.scan(content, {"page.md": body.encode()})} == {"internal/neibu-1.yaml"}


def test_check_finds_a_sentence_copied_from_an_internal_sheet_at_the_public_file_and_line(office):
    body = "第一段。\n\n第三季度车辆维修费用公开如下，请知悉。\n"
    root = office({"internal/neibu-1.yaml": INTERNAL, **with_body(body)})
    result = subprocess.run([sys.executable, "-m", "generator", "check", str(root), "--as-of", AS_OF.isoformat()],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert (f"{root.as_posix()}/notices/2025/gonggao-1.md:22: this repeats the text '第三季度车辆维修费用公开' of internal"
            f" item 'neibu-1'") in result.stdout


def test_a_long_copied_text_is_quoted_as_cut_so_deleting_the_quote_alone_is_not_taken_for_enough(office):
    note = "车辆维修在市机关事务管理局指定修理厂进行，费用按季度汇总后报分管领导审核"
    internal = INTERNAL + f"note: {note}\n"
    root = office({"internal/neibu-1.yaml": internal, **with_body(f"第一段。\n\n{note}。\n")})
    messages = [f.message for f in run_checks(load_content(root)[0], AS_OF) if f.code == "internal-text"]
    assert messages == [f"this repeats the text '{note[:20]}…' of internal item 'neibu-1' (internal/neibu-1.yaml),"
                        " which goes only on the internal board"]


def test_short_internal_cells_alone_are_ordinary_words(office, tmp_path):
    root = office({"internal/neibu-1.yaml": TABLE_ITEM, **with_body("考核结果良好，张三同志表现突出。")})
    assert errors_of(build(root, tmp_path / "site", AS_OF)) == []


# --- what a reader can copy: attributes, addresses, and the variants a scan must know (issue 24) -----------------

@pytest.mark.parametrize("text, masked", [
    (f'<span title="{RESIDENT_ID}">张三</span>', "110***********002X"),
    (f'<a href="https://example.org/" title="身份证{RESIDENT_ID}">详情</a>', "110***********002X"),
    (f'<img src="/photos/{RESIDENT_ID}.png" alt="照片">', "110***********002X"),
    ('<abbr title="13912345678">联系人</abbr>', "139****5678"),
    (f"[详情](https://example.org/query?sfz={RESIDENT_ID}&x=1)", "110***********002X"),
    ("[详情](https://example.org/q?id=%31%31%30%31%30%35%31%39%34%39%31%32%33%31%30%30%32%58)", "110***********002X"),
    ('<a href="tel:13912345678">拨打</a>', "139****5678"),
    ("[拨打电话](tel:+86-139-1234-5678)", "139****5678"),
    ("联系人手机一三九一二三四五六七八", "139****5678"),
    ("手机 幺三九 一二三四 五六七八", "139****5678"),
    ("港澳通行证 C12345678", "C******78"),
    ("往来港澳通行证号码：CA1234567", "C******67"),
    (f"身份证号ID{RESIDENT_ID}", "110***********002X"),
    (f"sfz{RESIDENT_ID}", "110***********002X"),
])
def test_personal_data_in_attributes_addresses_and_variants_is_found(office, text, masked):
    findings = rule_findings(office(with_body(text)), "personal-data")
    assert [(file, line) for file, line, _ in findings] == [("notices/2025/gonggao-1.md", 20)]
    assert f"({masked})" in findings[0][2]


@pytest.mark.parametrize("text", [
    "咨询电话 0576-1234560，传真 0576-85123456",          # an office's landline
    "依据临政办发〔2026〕12号文件执行。",                   # a 文号
    "身份证号11010519491331003X（十三月，不是生日）",       # a valid check digit, an impossible birth date
    "退款账户 6222021234567890127",                       # a card number that fails Luhn
    "第一二三条、第四五六条", "附件一、二、三",             # Chinese numerals that are no number
    "索引号 11331082MB1947351Y/2025-00001",
    '<a href="https://example.org/notices/2025/">往年公告</a>',
])
def test_look_alikes_of_personal_data_pass(office, text):
    assert rule_findings(office(with_body(text)), "personal-data") == []


@pytest.mark.parametrize("text, level", [
    ('<span title="机密★一年">说明</span>', "机"), ("[详情](https://example.org/?m=机密★)", "机"),
    ("[详情](https://example.org/?m=%E6%9C%BA%E5%AF%86%E2%98%85)", "机"),
    ("机密", "机"), ("## 绝密", "绝"),                        # no star: the marking alone on its line
    ("★机密", "机"), ("☆秘密 内容", "秘"),                     # the star first
    ("机密（★）", "机"), ("机密[★]", "机"), ("绝密【★】", "绝"),  # the star in brackets
    ("机\\密★", "机"), ("机密\\*", "机"), ("秘\\*\\*密\\*\\*★", "秘"),  # Markdown backslashes
    ("秘密 十年", "秘"), ("机密一年", "机"), ("机密 6个月", "机"), ("绝密★长期", "绝"),  # the period in words
])
def test_classified_markings_in_attributes_addresses_and_variants_are_found(office, text, level):
    assert rule_findings(office(with_body(f"{text}\n\n正文。")), "classified-marking") == [
        ("notices/2025/gonggao-1.md", 20, f"a classified marking ({level}密★) is in the content")]


@pytest.mark.parametrize("text", ["党的秘密事项不列入公开内容。", "涉及国家秘密、商业秘密的不予公开。",
                                  "严防泄露国家机密。", "保守国家秘密2025年度工作总结", "本机密码箱由综合科保管。"])
def test_the_words_of_secrecy_are_not_a_marking(office, text):
    assert rule_findings(office(with_body(text)), "classified-marking") == []


@pytest.mark.parametrize("body", [
    '<span title="第三季度车辆维修费用公开">附表</span>',
    "[附表](https://example.org/?title=第三季度车辆维修费用公开)",
    "[附表](https://example.org/?t=%E7%AC%AC%E4%B8%89%E5%AD%A3%E5%BA%A6%E8%BD%A6%E8%BE%86%E7%BB%B4%E4%BF%AE%E8%B4%B9%E7%94%A8%E5%85%AC%E5%BC%80)",
    '<img src="/x.png" alt="公务车辆保养维修（一号车）">',
])
def test_an_internal_items_text_in_an_attribute_or_address_stops_the_build(office, tmp_path, body):
    root = office({"internal/neibu-1.yaml": INTERNAL, **with_body(body)})
    findings = [f for f in build(root, tmp_path / "site", AS_OF) if f.code in ("internal-text", "internal-leak")]
    assert [(f.code, f.file) for f in findings] == [("internal-text", "notices/2025/gonggao-1.md")]  # found by check
    assert not (tmp_path / "site").exists()


def test_a_file_is_read_only_inside_the_content_folder_however_the_path_reaches_it(tmp_path, monkeypatch):
    root = tmp_path / "content"
    (root / "notices/2025").mkdir(parents=True)
    (tmp_path / "outside.md").write_text("x", encoding="utf-8")
    (root / "notices/2025/a.md").write_text("x", encoding="utf-8")
    (root / "notices/2025/link-in.md").symlink_to(root / "notices/2025/a.md")
    (root / "notices/2025/link-out.md").symlink_to(tmp_path / "outside.md")
    (root / "notices/in").symlink_to(root / "notices/2025")
    (root / "notices/out").symlink_to(tmp_path)
    # The content folder named whole, from a folder inside it, and as "." (the commands' default): a link on the way
    # in is followed only to stay inside, whichever way the path is written.
    for cwd, base in ((tmp_path, root), (root / "notices", Path("..")), (root, Path("."))):
        monkeypatch.chdir(cwd)
        assert readable(base / "notices/2025/a.md", base)
        assert readable(base / "notices/2025/link-in.md", base) and readable(base / "notices/in/a.md", base)
        assert not readable(base / "notices/2025/link-out.md", base)
        assert not readable(base / "notices/out/outside.md", base)
        assert not readable(base / "notices/2025/../../../outside.md", base)
        assert not readable(base / "notices/2025", base) and not readable(base / "notices/2025/missing.md", base)


def test_personal_data_in_office_yaml_gets_advice_for_office_yaml(office):
    from generator.checks.check import run_checks

    root = office({"office.yaml": OFFICE.replace("    title: 主任\n", "    title: 主任  # 手机 13812345678\n")})
    content, _ = load_content(root)
    [finding] = [f for f in run_checks(content, AS_OF) if f.code == "personal-data"]
    assert (finding.file, finding.message) == ("office.yaml",
                                               "a private mobile number (138****5678) must not be published")
    assert "notice" not in finding.hint and "phones:" in finding.hint


def test_the_leak_scan_finds_an_internal_text_wherever_its_words_are_once_the_rest_is_removed():
    """The scan searches each file for a needle's characters with anything not a word among them, instead of
    removing that from every file first: the two must find the same, tags, entities, escapes and breaks included."""
    import html

    rng = random.Random(20261206)
    pieces = list("内部文件通知ab_-1 \n\u200b\t，。<>*&;#") + ["&amp;", "<b>", "**", "%E5%86%85", "&#x5185;"]
    for _ in range(8000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 60)))
        compared = leakscan.words("".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))))
        if compared:
            pattern = leakscan.spread(compared, leakscan.NON_WORD)
            assert (compared in leakscan.all_words(text)) == any(
                pattern.search(reading) for reading in leakscan.readings(html.unescape(text))), (text, compared)
        item_id = leakscan.BREAKS.sub("", "".join(rng.choice("ab-1 \u200b") for _ in range(rng.randrange(1, 6))))
        assert (item_id in leakscan.BREAKS.sub("", text)) == bool(
            leakscan.spread(item_id, leakscan.BREAKS).search(text)), (text, item_id)
