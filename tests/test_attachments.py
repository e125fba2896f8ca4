"""Attachments: published beside their document's page, listed with format and size, and scanned like the text."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
import re
from pathlib import Path

import pytest
from pypdf.annotations import FreeText
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from weasyprint import HTML

from conftest import NOTICE
from generator.publish.build import build
from generator.checks.check import run_checks
from generator.checks.rules.personal_data import valid_resident_id
from generator.checks.validate import load_content

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


def test_a_link_to_an_attachment_leads_to_it(office, tmp_path):
    """A link to the attachment's address on the site is no dead link: the notice is published, the link with it."""
    root = office({"notices/2025/gonggao-1.md": ATTACHED.replace("公告正文。", "预算见[附件](/notices/2025/gonggao-1/yusuan.pdf)。")})
    pdf(root / "notices/2025/gonggao-1/yusuan.pdf", "临海市人民防空办公室2025年部门预算")
    site = tmp_path / "site"
    assert errors_of(build(root, site, AS_OF, search=False)) == []
    page = (site / "notices/2025/gonggao-1/index.html").read_text(encoding="utf-8")
    assert '<a href="/notices/2025/gonggao-1/yusuan.pdf">附件</a>' in page
    assert (site / "notices/2025/gonggao-1/yusuan.pdf").is_file()


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


def test_a_notice_notepad_saved_as_md_txt_is_told_to_be_renamed_not_to_be_an_attachment(office):
    root = office()
    (root / "notices/2025/gonggao-2.md.txt").write_text((root / "notices/2025/gonggao-1.md").read_text("utf-8"), "utf-8")
    _, findings = load_content(root)
    assert [(f.file, f.severity, f.text) for f in findings] == [(
        "notices/2025/gonggao-2.md.txt", "error", "the file's name ends in .txt, so it is not read (Notepad added .txt when it"
        " was saved) — rename it to gonggao-2.md: in File Explorer, tick 查看 › 文件扩展名 to see the .txt")]


# --- read whole, or refused by name (issue 24) ------------------------------------------------------------------

def attached(*files: str, alt: bool = False) -> str:
    items = "".join(f"  - file: {json.dumps(f, ensure_ascii=False)}\n    title: 附件{i}\n" + ("    alt: 示意图\n" if alt else "")
                    for i, f in enumerate(files))
    return NOTICE.replace("---\n\n公告正文。", f"attachments:\n{items}---\n\n公告正文。")


def findings_of(root: Path, code: str) -> list[tuple[str, int, str]]:
    content, findings = load_content(root)
    if code in ("personal-data", "classified-marking"):
        findings = run_checks(content, AS_OF)
    return [(f.file, f.line, f.message) for f in findings if f.code == code and f.severity == "error"]


def rewritten(path: Path, change) -> None:
    """The PDF at path, changed by change(writer) with pypdf."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=path)
    change(writer)
    with open(path, "wb") as file:
        writer.write(file)


def office_with(office, name: str, alt: bool = False) -> tuple[Path, Path]:
    root = office({"notices/2025/gonggao-1.md": attached(f"gonggao-1/{name}", alt=alt)})
    path = root / "notices/2025/gonggao-1" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return root, path


def test_an_encrypted_pdf_is_refused_by_name_even_with_an_empty_password(office, tmp_path):
    root, path = office_with(office, "yusuan.pdf")
    pdf(path, f"经办人身份证号 {RESIDENT_ID} 机密★")
    rewritten(path, lambda writer: writer.encrypt(user_password="", owner_password="restrict", permissions_flag=4))
    assert findings_of(root, "attachment-unreadable") == [
        ("notices/2025/gonggao-1.md", 19, "the attachment 'notices/2025/gonggao-1/yusuan.pdf' cannot be published: it"
                                          " is encrypted or protected by a password, so its text cannot be read in full")]
    assert ("notices/2025/gonggao-1.md", "attachment-unreadable") in errors_of(build(root, tmp_path / "site", AS_OF, search=False))
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("change", [
    lambda writer: writer.add_metadata({"/Author": f"经办人{RESIDENT_ID}"}),
    lambda writer: writer.add_metadata({"/Keywords": "联系人手机13912345678"}),
    lambda writer: writer.add_annotation(0, FreeText(text=f"身份证 {RESIDENT_ID}", rect=(50, 550, 200, 650))),
    lambda writer: writer.add_outline_item(title=f"附：{RESIDENT_ID}", page_number=0),
], ids=["metadata-author", "metadata-keywords", "annotation", "bookmark"])
def test_an_id_in_a_pdfs_metadata_annotations_or_bookmarks_is_found(office, change):
    root, path = office_with(office, "yusuan.pdf")
    pdf(path, "2025年部门预算")
    rewritten(path, change)
    found = findings_of(root, "personal-data")
    assert [file for file, _, _ in found] == ["notices/2025/gonggao-1/yusuan.pdf"] and RESIDENT_ID not in found[0][2]


def test_an_id_in_a_pdf_form_field_is_found(office):
    root, path = office_with(office, "biao.pdf")
    HTML(string=f'<html lang="zh"><body><p>申请表</p><input name="sfz" value="{RESIDENT_ID}"></body></html>').write_pdf(
        path, pdf_forms=True)
    assert [file for file, _, _ in findings_of(root, "personal-data")] == ["notices/2025/gonggao-1/biao.pdf"]


def test_a_marking_in_a_pdfs_metadata_is_found(office):
    root, path = office_with(office, "yusuan.pdf")
    pdf(path, "2025年部门预算")
    rewritten(path, lambda writer: writer.add_metadata({"/Subject": "机密★一年"}))
    assert [file for file, _, _ in findings_of(root, "classified-marking")] == ["notices/2025/gonggao-1/yusuan.pdf"]


@pytest.mark.parametrize("change, reason", [
    (lambda writer: writer._root_object.update({NameObject("/OpenAction"): DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('gkxss');")})}),
     "it contains JavaScript or other actions that run when it is opened"),
    (lambda writer: writer.add_attachment("名单.xlsx", b"PK"), "it carries embedded files (名单.xlsx)"),
    (lambda writer: writer.add_attachment(f"{RESIDENT_ID}.xlsx", b"PK"), "it carries embedded files (110***********002X.xlsx)"),
])
def test_a_pdf_with_javascript_or_embedded_files_is_refused(office, change, reason):
    root, path = office_with(office, "yusuan.pdf")
    pdf(path, "2025年部门预算")
    rewritten(path, change)
    assert findings_of(root, "attachment-unreadable") == [
        ("notices/2025/gonggao-1.md", 19, f"the attachment 'notices/2025/gonggao-1/yusuan.pdf' cannot be published: {reason}")]


@pytest.mark.parametrize("name, reason", [
    ("yusuan.pdf", "its content is not a PDF file, whatever its name says"),
    ("yusuan.docx", "its content is not a DOCX file, whatever its name says"),
    ("tu.png", "its content is not a PNG file, whatever its name says"),
    ("yusuan.doc", "the old binary Office or WPS format cannot be read in full by the safety check"),
])
def test_a_page_named_as_a_document_is_refused(office, name, reason):
    root, path = office_with(office, name, alt=True)
    path.write_text("<html><body><script>alert('gkxss')</script></body></html>", encoding="utf-8")
    assert findings_of(root, "attachment-unreadable") == [
        ("notices/2025/gonggao-1.md", 19, f"the attachment 'notices/2025/gonggao-1/{name}' cannot be published: {reason}")]


@pytest.mark.parametrize("name, data", [
    ("yusuan.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100),
    ("tu.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 100),
    ("tu.jpg", b"\xff\xd8\xff\xe0" + b"\x00garbage" * 100),
    ("yusuan.docx", b"PK\x03\x04" + b"\x00garbage" * 100),
])
def test_a_damaged_file_is_refused(office, name, data):
    root, path = office_with(office, name, alt=True)
    path.write_bytes(data)
    assert [m.split(": ", 1)[1] for _, _, m in findings_of(root, "attachment-unreadable")] == [
        "it is damaged and cannot be opened"]


def office_file(path: Path, parts: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="x"/>')
        for name, text in parts.items():
            package.writestr(name, text)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize("name, parts", [
    ("yusuan.docx", {"word/document.xml": f'<w:document {W}><w:body><w:p><w:r><w:t>身份证号1101051949</w:t></w:r>'
                                          f'<w:r><w:rPr><w:b/></w:rPr><w:t>1231002X</w:t></w:r></w:p></w:body></w:document>'}),
    ("yusuan.docx", {"word/document.xml": f"<w:document {W}><w:body><w:p><w:r><w:t>预算</w:t></w:r></w:p></w:body></w:document>",
                     "docProps/core.xml": f"<cp:coreProperties><dc:creator>{RESIDENT_ID}</dc:creator><cp:revision>2</cp:revision></cp:coreProperties>"}),
    ("yusuan.docx", {"word/document.xml": f"<w:document {W}><w:body><w:p><w:r><w:t>详见链接</w:t></w:r></w:p></w:body></w:document>",
                     "word/_rels/document.xml.rels": f'<Relationships><Relationship Id="r1" Target="https://example.org/?sfz={RESIDENT_ID}" TargetMode="External"/></Relationships>'}),
    ("mingdan.xlsx", {"xl/sharedStrings.xml": f"<sst><si><t>张三</t></si><si><t>{RESIDENT_ID}</t></si></sst>"}),
    ("mingdan.xlsx", {"xl/worksheets/sheet1.xml": "<worksheet><sheetData><row><c r='A1'><v>2</v></c><c r='B1'><v>13912345678</v></c></row></sheetData></worksheet>"}),
])
def test_an_id_or_mobile_in_a_docx_or_xlsx_is_found(office, name, parts):
    root, path = office_with(office, name)
    office_file(path, parts)
    found = findings_of(root, "personal-data")
    assert [file for file, _, _ in found] == [f"notices/2025/gonggao-1/{name}"], found


@pytest.mark.parametrize("part", ["word/vbaProject.bin", "word/embeddings/oleObject1.bin"])
def test_a_docx_with_macros_or_embedded_objects_is_refused(office, part):
    root, path = office_with(office, "yusuan.docx")
    office_file(path, {"word/document.xml": f"<w:document {W}/>", part: "x"})
    assert [m.split(": ", 1)[1] for _, _, m in findings_of(root, "attachment-unreadable")] == [
        "it contains macros or embedded objects"]


def jpeg_with_metadata(path: Path, comment: str) -> None:
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways, shown upright
    exif[0x9C9C] = comment.encode("utf-16-le")  # Windows' 备注, where a phone or a clerk writes
    exif.get_ifd(0x8825).update({1: "N", 2: (28.0, 51.0, 0.0), 3: "E", 4: (121.0, 8.0, 0.0)})
    Image.new("RGB", (40, 20), (200, 30, 30)).save(path, "JPEG", exif=exif.tobytes(), comment="拍摄：综合科")


def test_a_mobile_in_a_photos_exif_is_found(office):
    root, path = office_with(office, "xianchang.jpg", alt=True)
    jpeg_with_metadata(path, "联系人13912345678")
    found = findings_of(root, "personal-data")
    assert [(file, message) for file, _, message in found] == [
        ("notices/2025/gonggao-1/xianchang.jpg", "a private mobile number (139****5678) must not be published")]


def test_a_photo_is_published_without_its_gps_and_metadata_but_upright(office, tmp_path):
    from PIL import Image

    root, path = office_with(office, "xianchang.jpg", alt=True)
    jpeg_with_metadata(path, "现场照片")
    site = tmp_path / "site"
    assert errors_of(build(root, site, AS_OF, search=False)) == []
    published = site / "notices/2025/gonggao-1/xianchang.jpg"
    with Image.open(published) as image, Image.open(path) as original:
        exif = image.getexif()
        assert dict(exif) == {0x0112: 6} and not exif.get_ifd(0x8825) and "comment" not in image.info
        assert image.tobytes() == original.tobytes()  # the picture itself untouched


@pytest.mark.parametrize("kind", ["PNG", "GIF", "WEBP"])
def test_other_images_lose_their_text_metadata(office, tmp_path, kind):
    from PIL import Image, PngImagePlugin

    name = f"tu.{kind.lower()}"
    root, path = office_with(office, name, alt=True)
    image = Image.new("RGB", (20, 20), (10, 120, 200))
    if kind == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("Comment", "联系人13912345678")
        image.save(path, kind, pnginfo=info)
    elif kind == "GIF":
        image.save(path, kind, comment="联系人13912345678")
    else:
        image.save(path, kind, xmp="<x:xmpmeta>联系人13912345678</x:xmpmeta>".encode())
    assert [file for file, _, _ in findings_of(root, "personal-data")] == [f"notices/2025/gonggao-1/{name}"]
    path.write_bytes(path.read_bytes())  # the same file, read again below for what is published
    from generator.content import attachment_reader

    stripped = attachment_reader.strip(path.read_bytes(), path.suffix)
    assert b"13912345678" not in stripped and "13912345678".encode("utf-16-le") not in stripped
    with Image.open(io.BytesIO(stripped)) as published, Image.open(path) as original:
        assert published.convert("RGB").tobytes() == original.convert("RGB").tobytes()


# --- attachment paths stay in their notice's folder -------------------------------------------------------------

def test_a_path_climbing_into_internal_is_refused(office):
    root = office({"notices/2025/gonggao-1.md": attached("../../internal/neibu.pdf")})
    pdf(root / "internal/neibu.pdf", "内部")
    assert findings_of(root, "attachment-path") == [
        ("notices/2025/gonggao-1.md", 19, "the attachment 'internal/neibu.pdf' is in internal/, which is never published")]


def test_a_path_out_of_the_notices_folder_is_refused(office):
    root = office({"notices/2025/gonggao-1.md": attached("../../services/yusuan.pdf")})
    pdf(root / "services/yusuan.pdf", "预算")
    assert findings_of(root, "attachment-path") == [
        ("notices/2025/gonggao-1.md", 19, "the attachment 'services/yusuan.pdf' is outside the folder of its document (notices/2025/)")]


def test_a_link_to_an_internal_file_is_refused(office, tmp_path):
    root, path = office_with(office, "yusuan.pdf")
    pdf(root / "internal/neibu.pdf", f"内部 {RESIDENT_ID}")
    path.symlink_to(root / "internal/neibu.pdf")
    assert findings_of(root, "attachment-path") == [
        ("notices/2025/gonggao-1.md", 19, "the attachment 'notices/2025/gonggao-1/yusuan.pdf' is a link to another file")]
    assert not (tmp_path / "site").exists() and errors_of(build(root, tmp_path / "site", AS_OF, search=False))


def test_a_name_with_a_right_to_left_override_is_refused(office):
    name = "budget\u202efdp.docx"
    root, path = office_with(office, name)
    office_file(path, {"word/document.xml": f"<w:document {W}/>"})
    assert findings_of(root, "attachment-path") == [
        ("notices/2025/gonggao-1.md", 19, "the attachment's name 'notices/2025/gonggao-1/budget<U+202E>fdp.docx' holds an"
                                          " invisible character (U+202E) that can make it read as another name")]


def test_two_attachments_published_under_one_name_are_refused(office):
    root = office({"notices/2025/gonggao-1.md": attached("gonggao-1/a/x.pdf", "gonggao-1/b/X.pdf")})
    pdf(root / "notices/2025/gonggao-1/a/x.pdf", "第一份")
    pdf(root / "notices/2025/gonggao-1/b/X.pdf", "第二份")
    assert findings_of(root, "attachment-path") == [
        ("notices/2025/gonggao-1.md", 21, "'notices/2025/gonggao-1/b/X.pdf' and 'notices/2025/gonggao-1/a/x.pdf' would"
                                          " both be published as 'X.pdf': the second would replace the first")]


def test_an_attachment_written_the_windows_way_is_told_to_use_a_slash(office):
    root = office({"notices/2025/gonggao-1.md": ATTACHED.replace("gonggao-1/yusuan.pdf", "gonggao-1\\yusuan.pdf")})
    pdf(root / "notices/2025/gonggao-1/yusuan.pdf", "预算")
    _, findings = load_content(root)
    assert [(f.file, f.text) for f in findings if f.severity == "error"] == [(
        "notices/2025/gonggao-1.md", "the attachment 'gonggao-1\\yusuan.pdf' is written with a backslash (\\) — write"
        " / between a folder and a file name: gonggao-1/yusuan.pdf")]
