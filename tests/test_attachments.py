"""Attachments: published beside their document's page, listed with format and size, and scanned like the text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from weasyprint import HTML

from conftest import NOTICE
from generator.build import build
from generator.check import run_checks
from generator.rules.personal_data import valid_resident_id
from generator.validate import load_content

AS_OF = dt.date(2025, 10, 10)
RESIDENT_ID = "11010519491231002X"
ATTACHED = NOTICE.replace("---\n\n公告正文。", """\
attachments:
  - file: gonggao-1/yusuan.pdf
    title: 2025年部门预算
---

公告正文。""")


def pdf(path: Path, text: str) -> None:
    """A real PDF with a Chinese font, as an office's budget would be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=f'<html lang="zh"><body style="font-family: Noto Sans CJK SC"><p>{text}</p></body></html>').write_pdf(path)


def errors_of(findings):
    return [(f.file, f.code) for f in findings if f.severity == "error"]


def test_a_notice_with_a_pdf_attachment_builds_and_lists_it(office, tmp_path):
    root = office({"notices/2025/gonggao-1.md": ATTACHED})
    pdf(root / "notices/2025/gonggao-1/yusuan.pdf", "临海市人民防空办公室2025年部门预算")
    site = tmp_path / "site"
    assert errors_of(build(root, site, AS_OF, search=False)) == []
    published = site / "notices/2025/gonggao-1/yusuan.pdf"
    assert published.read_bytes() == (root / "notices/2025/gonggao-1/yusuan.pdf").read_bytes()
    page = (site / "notices/2025/gonggao-1/index.html").read_text(encoding="utf-8")
    listed = re.search(r'<a href="yusuan.pdf">2025年部门预算</a>（PDF，(\d+) KB）', page)
    assert listed and abs(int(listed.group(1)) - published.stat().st_size / 1024) <= 0.5


def test_an_id_number_inside_the_pdf_is_refused(office, tmp_path):
    assert valid_resident_id(RESIDENT_ID)
    root = office({"notices/2025/gonggao-1.md": ATTACHED})
    pdf(root / "notices/2025/gonggao-1/yusuan.pdf", f"经办人身份证号 {RESIDENT_ID}")
    content, findings = load_content(root)
    assert errors_of(findings) == []
    found = [f for f in run_checks(content, AS_OF) if f.code == "personal-data"]
    assert [(f.file, f.severity) for f in found] == [("notices/2025/gonggao-1/yusuan.pdf", "error")]
    assert RESIDENT_ID not in found[0].message  # masked, never repeated
    site = tmp_path / "site"
    assert ("notices/2025/gonggao-1/yusuan.pdf", "personal-data") in errors_of(build(root, site, AS_OF, search=False))
    assert not site.exists()


def test_a_classified_marking_inside_the_pdf_is_refused(office):
    root = office({"notices/2025/gonggao-1.md": ATTACHED})
    pdf(root / "notices/2025/gonggao-1/yusuan.pdf", "机密★10年 预算说明")
    content, _ = load_content(root)
    assert [f.file for f in run_checks(content, AS_OF) if f.code == "classified-marking"] == [
        "notices/2025/gonggao-1/yusuan.pdf"]


@pytest.mark.parametrize("attachment, rule", [
    ("  - file: gonggao-1/missing.pdf\n    title: 缺失的文件\n", "attachment-missing"),
    ("  - file: ../../../../etc/passwd.pdf\n    title: 外面的文件\n", "attachment-missing"),
    ("  - file: gonggao-1/tu.png\n    title: 示意图\n", "attachment-alt"),
    ("  - file: gonggao-1/run.exe\n    title: 程序\n", "attachment-format"),
])
def test_attachment_problems_are_reported_at_their_line(office, attachment, rule):
    root = office({"notices/2025/gonggao-1.md": NOTICE.replace("---\n\n公告正文。", f"attachments:\n{attachment}---\n\n公告正文。")})
    (root / "notices/2025/gonggao-1").mkdir(parents=True)
    (root / "notices/2025/gonggao-1/tu.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "notices/2025/gonggao-1/run.exe").write_bytes(b"MZ")
    _, findings = load_content(root)
    found = [f for f in findings if f.code == rule]
    assert [(f.file, f.line, f.severity) for f in found] == [("notices/2025/gonggao-1.md", 19, "error")]


def test_a_file_nothing_claims_is_reported(office):
    root = office()
    pdf(root / "notices/2025/yusuan.pdf", "预算")
    _, findings = load_content(root)
    assert [(f.file, f.code, f.severity) for f in findings] == [("notices/2025/yusuan.pdf", "unknown-file", "warning")]
