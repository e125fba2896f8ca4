"""Clerks read Chinese: every message the code can print has a translation in the shipped catalog."""

from __future__ import annotations

import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from conftest import SERVICE
from generator import i18n

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
    assert result.stdout.splitlines() == [f"{broken}/services/shenpi.yaml:22: unknown section 'zonhge' — did you mean 'zonghe'?",
                                          "1 个错误，0 个提醒"]


def test_lang_en_or_the_environment_gives_english(broken):
    for result in (gongkai("--lang", "en", "validate", str(broken)), gongkai("validate", str(broken), lang="en")):
        assert result.stdout.splitlines()[-1] == "1 error(s), 0 warning(s)"


def test_help_is_chinese_by_default():
    result = gongkai("--help")
    assert "检查每个内容文件的格式是否正确" in result.stdout
    assert "Check that every content file" in gongkai("--lang", "en", "--help").stdout
