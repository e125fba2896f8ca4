"""Issue 24's attacks, planted in a copy of the whole example county: `gongkai check` refuses each at its file and
line, and the leak scan finds an internal item's title in an attribute or an address of the rendered section."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from pypdf.annotations import FreeText
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from weasyprint import HTML

from generator.publish import gate
from generator.render.site import render_site
from generator.checks.validate import load_content
from generator.content.workdays import WorkCalendar

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-26"
OFFICE = "offices/rfb"
RESIDENT_ID = "11010519491231002X"
INTERNAL_TITLE = "2026年第三季度车辆维修和办公用品费用开支情况"  # content/offices/rfb/internal/neibu-feiyong-2026q3.yaml

# Each line of a notice's text, and the rule that must stop it.
TEXT = [
    (f'<span title="{RESIDENT_ID}">经办人</span>', "personal-data"),
    (f'<a href="https://example.org/" title="身份证{RESIDENT_ID}">详情</a>', "personal-data"),
    (f'<img src="/p/{RESIDENT_ID}.png" alt="照片">', "personal-data"),
    ('<abbr title="13912345678">联系人</abbr>', "personal-data"),
    (f"[详情](https://example.org/q?sfz={RESIDENT_ID})", "personal-data"),
    ("[拨打电话](tel:13912345678)", "personal-data"),
    ('<span title="机密★">说明</span>', "classified-marking"),
    ("联系人手机一三九一二三四五六七八", "personal-data"),
    ("港澳通行证 C12345678", "personal-data"),
    (f"身份证号ID{RESIDENT_ID}", "personal-data"),
    ("机密", "classified-marking"),
    ("★机密 内容", "classified-marking"),
    ("机密（★）", "classified-marking"),
    ("机\\密★", "classified-marking"),
    ("秘密 十年", "classified-marking"),
]
LEAKS = [f'<span title="{INTERNAL_TITLE}">附表</span>', f"[附表](https://example.org/?t={INTERNAL_TITLE})"]


def pdf(path: Path, text: str, change=None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=f'<html lang="zh"><body style="font-family: Noto Sans CJK SC"><p>{text}</p></body></html>').write_pdf(path)
    if change:
        writer = PdfWriter(clone_from=path)
        change(writer)
        with open(path, "wb") as file:
            writer.write(file)


def javascript(writer) -> None:
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})


def plant_attachments(folder: Path, office: Path) -> list[tuple[str, str]]:
    """Files in the notice's folder (tongzhi-2026-01/), and (name as the notice writes it, rule) for each."""
    files = folder / "tongzhi-2026-01"
    pdf(files / "jiami.pdf", f"经办人身份证号 {RESIDENT_ID} 机密★",
        lambda w: w.encrypt(user_password="", owner_password="restrict", permissions_flag=4))
    pdf(files / "shuxing.pdf", "预算", lambda w: w.add_metadata({"/Author": f"经办人{RESIDENT_ID}"}))
    pdf(files / "pizhu.pdf", "预算", lambda w: w.add_annotation(0, FreeText(text="手机13912345678", rect=(50, 550, 200, 650))))
    HTML(string=f'<html lang="zh"><body><p>表</p><input name="sfz" value="{RESIDENT_ID}"></body></html>').write_pdf(
        files / "biaodan.pdf", pdf_forms=True)
    pdf(files / "neiqian.pdf", "预算", lambda w: w.add_attachment("名单.xlsx", b"PK"))
    pdf(files / "jiaoben.pdf", "预算", javascript)
    exif = Image.Exif()
    exif[0x9C9C] = "联系人13912345678".encode("utf-16-le")
    exif.get_ifd(0x8825).update({1: "N", 2: (28.0, 51.0, 0.0), 3: "E", 4: (121.0, 8.0, 0.0)})
    Image.new("RGB", (40, 20), (200, 30, 30)).save(files / "xianchang.jpg", "JPEG", exif=exif.tobytes())
    with zipfile.ZipFile(files / "mingdan.docx", "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", f"<w:document><w:body><w:p><w:r><w:t>身份证号{RESIDENT_ID}</w:t></w:r></w:p></w:body></w:document>")
    (files / "wangye.pdf").write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    (files / "wangye.doc").write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    pdf(office / "internal/neibu.pdf", "内部")
    (files / "lianjie.pdf").symlink_to(office / "internal/neibu.pdf")
    with zipfile.ZipFile(files / "budget\u202efdp.docx", "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    pdf(files / "a/x.pdf", "第一份")
    pdf(files / "b/x.pdf", "第二份")
    return [("tongzhi-2026-01/jiami.pdf", "attachment-unreadable"),
            ("tongzhi-2026-01/shuxing.pdf", "personal-data"), ("tongzhi-2026-01/pizhu.pdf", "personal-data"),
            ("tongzhi-2026-01/biaodan.pdf", "personal-data"), ("tongzhi-2026-01/neiqian.pdf", "attachment-unreadable"),
            ("tongzhi-2026-01/jiaoben.pdf", "attachment-unreadable"), ("tongzhi-2026-01/xianchang.jpg", "personal-data"),
            ("tongzhi-2026-01/mingdan.docx", "personal-data"), ("tongzhi-2026-01/wangye.pdf", "attachment-unreadable"),
            ("tongzhi-2026-01/wangye.doc", "attachment-unreadable"), ("../../internal/neibu.pdf", "attachment-path"),
            ("tongzhi-2026-01/lianjie.pdf", "attachment-path"), ("tongzhi-2026-01/budget\u202efdp.docx", "attachment-path"),
            ("tongzhi-2026-01/a/x.pdf", ""), ("tongzhi-2026-01/b/x.pdf", "attachment-path")]


def check(county: Path) -> set[tuple[str, int, str]]:
    result = subprocess.run([sys.executable, "-m", "generator", "check", str(county), "--as-of", AS_OF, "--format", "json"],
                            capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in result.stderr and result.stdout.startswith("["), result.stdout[-2000:] + result.stderr
    return {(Path(f["file"]).relative_to(county).as_posix(), f["line"], f["rule"])
            for f in json.loads(result.stdout) if f["severity"] == "error"}


def test_every_attack_planted_in_the_example_county_is_refused_at_its_line(tmp_path):
    county = tmp_path / "content"
    shutil.copytree(ROOT / "content", county)
    office = county / OFFICE
    notices = office / "notices/2026"
    text_notice = notices / "renshi-2026-01.md"
    body = text_notice.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "\n\n".join(line for line, _ in TEXT) + "\n"
    text_notice.write_text(body, encoding="utf-8")
    lines = body.split("\n")
    expected = {(f"{OFFICE}/notices/2026/renshi-2026-01.md", lines.index(line) + 1, rule) for line, rule in TEXT}

    planted = plant_attachments(notices, office)
    attachment_notice = notices / "tongzhi-2026-01.md"
    head, rest = attachment_notice.read_text(encoding="utf-8").split("\n---\n", 1)
    items = "".join(f"  - file: {json.dumps(name, ensure_ascii=False)}\n    title: 附件{index}\n"
                    + ("    alt: 现场照片\n" if name.endswith(".jpg") else "") for index, (name, _) in enumerate(planted))
    text = f"{head}\nattachments:\n{items}---\n{rest}"
    attachment_notice.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    for name, rule in planted:
        if not rule:
            continue
        where = f"{OFFICE}/notices/2026/" + (name if rule in ("personal-data", "classified-marking") else "tongzhi-2026-01.md")
        line = lines.index(f"  - file: {json.dumps(name, ensure_ascii=False)}") + 1
        expected.add((where, line if where.endswith(".md") else None, rule))

    county_file = county / "county.yaml"
    values = county_file.read_text(encoding="utf-8")
    values = values.replace("portal_url: https://www.linhai.example.gov.cn/",
                            'portal_url: "https://www.linhai.example.gov.cn/\\"onfocus=\\"alert(1)\\"/"')
    values = values.replace("  email: zwgk@linhai.example.gov.cn", "  email: 'zwgk\"onfocus=\"alert(1)@linhai.example.gov.cn'")
    county_file.write_text(values, encoding="utf-8")
    lines = values.split("\n")
    expected |= {("county.yaml", next(i for i, l in enumerate(lines, 1) if l.startswith(key)), "schema")
                 for key in ("portal_url:", "  email:")}

    found = check(county)
    missing = {e for e in expected if not any(f[0] == e[0] and f[2] == e[2] and (e[1] is None or f[1] == e[1])
                                              for f in found)}
    assert missing == set(), sorted(found)


def test_an_internal_title_in_an_attribute_or_address_of_the_example_office_is_a_leak(tmp_path):
    county = tmp_path / "content"
    shutil.copytree(ROOT / "content", county)
    notice = county / OFFICE / "notices/2026/renshi-2026-01.md"
    for leak in LEAKS:
        notice.write_text(notice.read_text(encoding="utf-8") + "\n\n" + leak + "\n", encoding="utf-8")
        content, _ = load_content(county / OFFICE)
        site = render_site(content, WorkCalendar.from_content(content), dt.date.fromisoformat(AS_OF))
        found = gate.check_output(content, site.files)
        assert [f.file for f in found] == ["internal/neibu-feiyong-2026q3.yaml"], leak
        notice.write_text(notice.read_text(encoding="utf-8").replace("\n\n" + leak + "\n", ""), encoding="utf-8")
