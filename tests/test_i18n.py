"""Clerks read Chinese: every message the code can print has a translation in the shipped catalog."""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from conftest import CATALOG, INTERNAL, INTERNAL_CATALOG_ITEM, NOTICE, SERVICE
from generator import cli, i18n
from generator.checks.check import all_rules, run_checks
from generator.tools.editor import editor_config
from generator.checks.report import title_of
from generator.checks.validate import load_content
from generator.content.load import parse_yaml
from generator.findings import ContentError
from test_rules import COMPLAINTS, HEARING, MAJOR, QUARTERLY

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "generator/locale/zh_CN/LC_MESSAGES/gongkai.po"
MO = PO.with_suffix(".mo")


def extracted() -> dict[str, set[str]]:
    """msgid -> the modules it appears in, as `make messages` extracts them (babel.cfg: every .py)."""
    found: dict[str, set[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(ROOT / "generator",
                                                                            [("**.py", "python")]):
        for msgid in message if isinstance(message, tuple) else (message,):
            found.setdefault(msgid, set()).add(filename)
    return found


def catalog():
    with PO.open("rb") as po:
        return read_po(po)


def test_every_message_in_the_code_has_a_chinese_translation():
    po = catalog()
    missing = sorted(f"{sorted(files)[0]}: {msgid!r}" for msgid, files in extracted().items()
                     if not (po.get(msgid) and po.get(msgid).string and not po.get(msgid).fuzzy))
    assert not missing, "run `make messages` and write the Chinese in gongkai.po for:\n" + "\n".join(missing)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_translations_keep_every_placeholder():
    wrong = [message.id for message in catalog() if message.id and message.string
             and fields(message.id) != fields(message.string)]
    assert not wrong


def test_compiled_catalog_is_the_current_po():
    with MO.open("rb") as mo:
        compiled = {m.id: m.string for m in read_mo(mo) if m.id}
    assert compiled == {m.id: m.string for m in catalog() if m.id and m.string and not m.fuzzy}, \
        "gongkai.mo is older than gongkai.po: run `make messages`"


def test_language_is_chosen_when_the_message_is_made(monkeypatch):
    monkeypatch.setenv(i18n.ENV, "zh")
    assert i18n._("wrote {path}") == "已写入 {path}"
    token = i18n.choose("en")
    try:
        assert i18n._("wrote {path}") == "wrote {path}"
    finally:
        i18n.restore(token)
    monkeypatch.delenv(i18n.ENV)
    assert i18n.language() == "zh"  # clerks are the users


def gongkai(*args: str, lang: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != i18n.ENV}
    if lang:
        env[i18n.ENV] = lang
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=ROOT, env=env)


@pytest.fixture
def broken(office):
    return office({"services/shenpi.yaml": SERVICE.replace("owner: zonghe", "owner: zonhge")})


def test_validate_speaks_chinese_by_default_and_names_the_folder_given(broken):
    result = gongkai("validate", str(broken))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{broken}/services/shenpi.yaml:22: 没有编号为“zonhge”的科室 — 是不是“zonghe”？",
                                          "1 个错误，0 个提醒"]


def test_lang_en_or_the_environment_gives_english(broken):
    for result in (gongkai("--lang", "en", "validate", str(broken)), gongkai("validate", str(broken), lang="en")):
        assert result.stdout.splitlines() == [f"{broken}/services/shenpi.yaml:22: unknown section 'zonhge' — did you mean"
                                              " 'zonghe'?", "1 error(s), 0 warning(s)"]


def test_help_is_chinese_by_default():
    result = gongkai("--help")
    assert "检查每个内容文件的格式是否正确" in result.stdout
    assert result.stdout.startswith("用法：") and "选项" in result.stdout and "显示这段说明并退出" in result.stdout
    assert "公示期的第一天" in gongkai("new", "notice", "--help").stdout
    assert "Check that every content file" in gongkai("--lang", "en", "--help").stdout


# English a clerk may meet and cannot be spared (README, 界面语言): names of programs, formats, encodings and forges,
# an environment variable, the date form, the key Ctrl and an example office id.
ALLOWED_ENGLISH = {"gongkai", "Gongkai", "GONGKAI_LANG", "HTML", "PDF", "JSON", "git", "mv", "GitHub", "Gitea", "Forgejo",
                   "CODEOWNERS", "UTF-8", "UTF-16", "GBK", "PowerShell", "cmd", "YYYY-MM-DD", "Ctrl", "rfb"}


def english_words(text: str, typed: set[str] = frozenset()) -> set[str]:
    """English words (two letters or more) in text a clerk reads, beyond what is typed as it is (option names and
    values, command names), code in backticks, quoted paths, and paths, file names and addresses."""
    text = re.sub(r"`[^`]*`|'[^']*'", " ", text)
    text = re.sub(r"\S*[/.]\S*", " ", text)
    return {word for word in re.findall(r"-{0,2}[A-Za-z][A-Za-z0-9_-]+", text)
            if word not in typed and word.lstrip("-") not in typed and word not in ALLOWED_ENGLISH}


def commands(group: click.Group, path: tuple[str, ...] = ()):
    yield path, group
    for name, command in sorted(group.commands.items()):
        yield from commands(command, path + (name,)) if isinstance(command, click.Group) else [(path + (name,), command)]


@pytest.mark.parametrize("path", [path for path, _command in commands(cli.main)], ids=" ".join)
def test_every_help_is_chinese_but_for_what_is_typed(path):
    """Usage line, placeholders, option help, defaults: no English but what the clerk types as it is."""
    env = {k: v for k, v in os.environ.items() if k != i18n.ENV}  # the default language
    result = subprocess.run([str(Path(sys.executable).parent / "gongkai"), *path, "--help"], capture_output=True,
                            text=True, env=env)
    assert result.returncode == 0 and result.stdout.startswith(f"用法：gongkai {' '.join(path)}".rstrip() + " ")
    assert not english_words(result.stdout, typed_words()), result.stdout


def typed_words() -> set[str]:
    """What a clerk types as it is, which a help may quote: every command's name, option, choice and default."""
    typed = {"-h", "--help"}
    for path, command in commands(cli.main):
        typed |= set(path)
        for param in command.params:
            names = param.opts + param.secondary_opts
            typed |= set(names) | {name.lstrip("-") for name in names}  # a flag's default shows as its name
            typed |= set(map(str, getattr(param.type, "choices", ())))
            typed |= {str(param.default)} if isinstance(param.default, (str, Path)) else set()
    return typed


def test_the_editors_help_names_what_a_clerk_knows_not_files():
    """The form editor's hints and descriptions (from the schemas) say 机构概况 or 公开事项目录, not office.yaml."""
    content, _ = load_content(ROOT / "content/offices/rfb")
    config = editor_config(content, "content/offices/rfb", dt.date(2026, 11, 25))

    def texts(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from [value] if key in ("hint", "description") and isinstance(value, str) else texts(value)
        elif isinstance(node, list):
            for item in node:
                yield from texts(item)

    helps = list(texts(config))
    assert len(helps) > 100
    assert not [text for text in helps if re.search(r"\.(yaml|yml|csv|md)\b|front matter|Markdown", text)]


# --- every rule's findings ------------------------------------------------------------------------------------

MESSAGE_ARGUMENTS = {  # callables whose arguments at these positions (or keywords) are texts people read
    "Finding": ((3, 4), ("message", "hint")), "ContentError": ((1, 2), ("message", "hint")),
    "finding": ((2, 3), ("message", "hint")), "at": ((2, 3), ("message", "hint")),
    "PosterError": ((0,), ()), "ScaffoldError": ((0,), ()), "OutputRefused": ((0,), ()),
    "echo": ((0,), ()), "BadParameter": ((0,), ()), "ClickException": ((0,), ()),
}
MARKERS = {"_", "N_", "ngettext"}


def unmarked_texts(path: Path) -> list[str]:
    """English written straight into a message argument, where the catalog cannot see it."""
    found = []

    def visit(node):
        if isinstance(node, ast.IfExp):
            visit(node.body), visit(node.orelse)
        elif isinstance(node, ast.BinOp):
            visit(node.left), visit(node.right)
        elif isinstance(node, (ast.Constant, ast.JoinedStr)):
            parts = node.values if isinstance(node, ast.JoinedStr) else [node]  # only the literal parts count
            words = "".join(v.value for v in parts if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if re.search(r"[A-Za-z]{2,}", words.replace("gongkai:", "")):  # the program's name needs no translation
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.get_source_segment(source, node)[:60]}")

    source = path.read_text(encoding="utf-8")
    for call in ast.walk(ast.parse(source)):
        if not isinstance(call, ast.Call):
            continue
        name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
        if name not in MESSAGE_ARGUMENTS:
            continue
        positions, keywords = MESSAGE_ARGUMENTS[name]
        for node in [call.args[i] for i in positions if i < len(call.args)] + \
                    [k.value for k in call.keywords if k.arg in keywords]:
            visit(node)
    return found


def test_no_message_is_written_past_the_catalog():
    unmarked = [text for path in sorted((ROOT / "generator").rglob("*.py")) for text in unmarked_texts(path)]
    assert not unmarked, "wrap these in _() (see README, 界面语言):\n" + "\n".join(unmarked)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.ID)
def test_every_rule_has_its_messages_in_chinese(rule):
    """Each rule's own findings are in the catalog and translated (a rule may also reuse check.py's helpers)."""
    po = catalog()
    mine = [msgid for msgid, files in extracted().items() if Path(rule.__file__).name in {Path(f).name for f in files}
            and any(Path(f).parent.name == "rules" for f in files)]
    assert mine, f"{rule.ID} has no marked message"
    assert all(po.get(msgid) and po.get(msgid).string for msgid in mine)


def finding_codes(path: Path) -> set[str]:
    """The codes a module gives its findings: Finding(file, line, code, …) and ContentError(…, code=…)."""
    codes = set()
    for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = getattr(call, "func", None) and (getattr(call.func, "id", None) or getattr(call.func, "attr", None))
        if name not in ("Finding", "ContentError"):
            continue
        if name == "Finding":  # a starred argument stands for the file and the line: Finding(*origin, "poster", …)
            position = 2 - sum(isinstance(arg, ast.Starred) for arg in call.args[:2])
            if position < len(call.args) and isinstance(call.args[position], ast.Constant):
                codes.add(call.args[position].value)
        codes |= {k.value.value for k in call.keywords if k.arg == "code" and isinstance(k.value, ast.Constant)}
    return codes


def test_every_finding_is_named_in_chinese_for_the_reviewer():
    """A pull request's annotation and summary name a finding by its rule's or its problem's title, never its code."""
    codes = {code for path in (ROOT / "generator").rglob("*.py") for code in finding_codes(path)}
    codes |= {rule.ID for rule in all_rules()}
    assert {"syntax", "schema", "table-cell", "poster", "draft-text"} <= codes  # the scan finds them where they are
    token = i18n.choose("zh")
    try:
        titles = {code: title_of(code) for code in codes}
    finally:
        i18n.restore(token)
    unnamed = sorted(code for code, title in titles.items() if not re.fullmatch(r"[\u4e00-\u9fff、（）]+", title))
    assert not unnamed, "give these a TITLE (a rule) or an entry in findings.TITLES, translated: " + ", ".join(unnamed)
    assert len(set(titles.values())) == len(titles), "two codes share a title"


PLANTED = {  # one office breaking as many rules as one office can
    "services/shenpi.yaml": SERVICE.replace("person: 综合科科长", "person: 待填写").replace("pledged: 2", "pledged: 25"),
    "notices/2025/zhongda-1.md": MAJOR.replace("working_days: 10", "working_days: 9")
    .replace("approvals:\n  - by: 主任办公会\n    date: 2025-09-24\n", "").replace("## 五、法律分析意见\n", "")
    + "\n待填写\n\n联系人身份证 11010519491231002X。\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n"
    + "\n[办事指南](/services/meiyou/)\n",
    "notices/2025/tingzheng-1.md": HEARING.replace("decision: zhongda-1\n", "").replace("published: 2025-10-22", "published: 2025-09-20"),
    "notices/2025/gonggao-1.md": NOTICE.replace("written: 2025-09-25", "written: 2025-12-31")
    .replace("published: 2025-09-26", "published: 2026-01-30").replace("first_day: 2025-09-26", "first_day: 2026-01-30")
    .replace("catalog: gonggao", "catalog: neibu"),
    "notices/2026/tongzhi-1.md": NOTICE.replace("id: gonggao-1", "id: tongzhi-1").replace("2025-00002", "2026-00009")
    .replace("first_day: 2025-09-26", "first_day: 2026-12-28").replace("公告正文。", "第三季度车辆维修费用公开。"),
    "internal/neibu-1.yaml": INTERNAL,
    "registers/requests.csv": "id,received,applicant,outcome,answered,extended,illustrative\n1,2025-09-01,自然人,,,,true\n",
    "regulations/mimi.md": "---\nid: mimi\ntitle: 机密★文件\n---\n\n机密★一年\n\n内部资料\n---\nid: mimi\n---\n",  # pasted twice
    "registers/inspections.csv": "id,date,type,scope,result,illustrative\n2024-1,2024-06-10,监督检查,全办,无问题,true\n",
    "registers/complaints.csv": COMPLAINTS.format(published="") + "2025-2,2025-06-01,电话,现场协调类,等候时间长。,办理中。,,,true\n",
    "calendar/2025.yaml": "year: 2025\nsource: 通知\nholidays: []\nworkdays: []\n",
    "rules.yaml": "rules:\n  publish-stages:\n    audiences: {党内: [党员大会], 社会: [网站]}\n"
                  "    order: [{first: 党内, then: 社会, days: 3, types: [听证公告]}]\n",
    "catalog.yaml": QUARTERLY + CATALOG.split("items:\n")[1].replace("id: jigou", "id: zhidu").split("  - id: xuke")[0]
    .replace("    source: office\n", "") + INTERNAL_CATALOG_ITEM,
}
# report-consistency needs a whole year of registers (its messages are checked in the catalog above); duplicate-office
# needs a county of two offices (tests/test_duplicate_office.py reads it in Chinese).
STATIC_ONLY = {"report-consistency", "duplicate-office"}


def test_findings_of_a_planted_office_read_in_chinese(office):
    content, _problems = load_content(office(PLANTED))
    token = i18n.choose("zh")
    try:
        found = run_checks(content, dt.date(2026, 2, 10))
    finally:
        i18n.restore(token)
    assert {f.code for f in found} >= {rule.ID for rule in all_rules()} - STATIC_ONLY | {"calendar-unknown-year"}
    english = [str(f) for f in found if re.search(r"\b(the|is|a|must|not|was)\b", f.text)]
    assert not english


def test_a_missing_content_folder_is_named_once_as_given(tmp_path):
    missing = tmp_path / "neibu"
    assert gongkai("--lang", "en", "validate", str(missing)).stdout.splitlines()[0] == \
        f"{missing}:1: the content folder does not exist — give the path of the office's content folder, e.g. content"


def test_new_notice_speaks_chinese_and_points_into_the_folder_given(office):
    root = office()
    result = gongkai("new", "notice", str(root), "--title", "年末公告", "--type", "通知公告", "--first-day", "2026-12-28",
                     "--as-of", "2026-12-20")
    assert result.returncode == 0, result.stderr
    assert f"已写入 {root}/notices/2026/tongzhi-2026-01.md" in result.stdout
    assert "公示期：自 2026年12月28日" in result.stdout
    assert f"请按国务院通知填写 {root}/calendar/2027.yaml" in result.stdout


def test_the_parsers_own_words_reach_the_clerk_in_chinese(office):
    """A tab in YAML and a value outside a register column's list are the two slips the parsers word in English."""
    root = office({"pledges.yaml": "items:\n\t- 首问负责\n",
                   "registers/complaints.csv": "id,received,channel,category,summary,result,closed,published,illustrative\n"
                                               "2025-001,2025-10-09,微信,意见反映类,事由,结果,2025-10-10,,\n"})
    lines = gongkai("validate", str(root)).stdout.splitlines()
    assert f"{root}/pledges.yaml:2: YAML 格式错误：这里有一个不能作为值开头的字符（制表符：请用空格缩进；值以“@”“`”或“%”开头：" \
           "请给整个值加引号） — " \
           "请检查这一行的缩进、字段名后面的冒号，以及引号是否成对" in lines
    assert any(line.startswith(f"{root}/registers/complaints.csv:2: “channel（渠道）”列的值“微信”不在允许的值里：现场、电话")
               for line in lines), lines
    assert any(line.startswith(f"{root}/registers/complaints.csv:2: 这一行“illustrative（示例数据）”列是空的，每一行都必须填写")
               for line in lines), lines


@pytest.mark.parametrize("text, line, words", [
    ('title: "通知" 附件\nx: 1\n', 1, "字段“title”的值在后引号之后还有文字"),
    ('x: 1\ntitle: "通知\ny: 2\nz: 3\n', 2, "有一个引号没有配对"),
    ("x: 1\ntitle:2026年通知\ny: 2\n", 2, "字段名“title”的冒号后面没有空格"),
    ("title: 1\n---\ntitle: 2\n", 2, "文件中间有一行“---”或“...”"),
    ("title: 1\n...\nx: 2\n", 3, "文件中间有一行“---”或“...”"),
    ("title: [通知\nx: 1\n", 1, "方括号 [ ] 里的列表没有闭合"),
    ("title: {a: 1\nx: 1\n", 1, "花括号里的内容没有闭合"),
    ("x: 1\ntitle: &通知\n", 2, "值以“&”或“*”开头"),
    ("title: !<通知\n", 1, "值以“!”开头"),
    ("%通知\ntitle: 1\n", 1, "以“%”开头"),
    ("title: >通知\n", 1, "值开头的“|”或“>”后面"),
    ('title: "\\u12"\n', 1, "后面缺少十六进制数字"),
    ("x: 1\ntitle: 通\x07知\n", 2, "文字中有 YAML 不接受的字符：U+0007"),
])
def test_every_yaml_slip_is_told_in_chinese_on_its_line(text, line, words):
    """libyaml words each problem in English; none of it reaches a clerk (it did, inside the Chinese sentence)."""
    token = i18n.choose("zh")
    try:
        with pytest.raises(ContentError) as raised:
            parse_yaml(text)
    finally:
        i18n.restore(token)
    said = raised.value.message + raised.value.hint
    assert raised.value.line == line and words in said
    assert not re.findall(r"[A-Za-z]{2,}", said.replace("YAML", "").replace("title", "")), said


# --- Click's own words ----------------------------------------------------------------------------------------

CLICK_PO = PO.with_name("click.po")


def test_every_word_click_can_print_has_a_chinese_translation():
    """Extracted from the installed Click, so an upgrade that adds a message fails here until `make messages`."""
    import click

    with CLICK_PO.open("rb") as po:
        translated = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_po(po) if m.id and not m.fuzzy}
    words = {message if isinstance(message, str) else message[0]
             for _, _, message, _, _ in extract_from_dir(Path(click.__file__).parent, [("**.py", "python")])}
    assert sorted(w for w in words if not translated.get(w)) == []
    def pairs(messages):  # plural entries come as lists from one reader and tuples from the other
        return {tuple(m.id) if not isinstance(m.id, str) else m.id: tuple(m.string) if not isinstance(m.string, str)
                else m.string for m in messages if m.id and m.string}

    with CLICK_PO.with_suffix(".mo").open("rb") as mo, CLICK_PO.open("rb") as po:
        assert pairs(read_mo(mo)) == pairs(read_po(po)), "click.mo is stale: run `make messages`"


def test_a_mistyped_option_is_answered_in_chinese_and_in_english_on_request(office):
    root = office()
    result = gongkai("check", str(root), "--format", "nosuch")
    assert result.returncode == 2
    assert "错误：'--format' 的值不对：'nosuch' 不在可选的值里：'text', 'json', 'github'。" in result.stderr
    assert "运行“" in result.stderr and "Error" not in result.stderr and "Try" not in result.stderr
    english = gongkai("--lang", "en", "check", str(root), "--format", "nosuch")
    assert "Error: Invalid value for '--format': 'nosuch' is not one of 'text', 'json', 'github'." in english.stderr
    assert "[默认：text]" in gongkai("check", "--help").stdout
