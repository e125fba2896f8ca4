"""Bulletin-board sheets: real PDFs with the asked page size, a Chinese font, the text and a readable QR code."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import pytest
import yaml
from pypdf import PdfReader

from conftest import INTERNAL, SERVICE, notice_text
from generator.render.pdfengine import PosterError
from generator.render.posters import Sheet, render_pdf, render_posters, sheet_html
from generator.checks.validate import load_content
from generator.content.workdays import WorkCalendar

AS_OF = dt.date(2025, 10, 10)  # the fixture notice runs 2025-09-26 to 2025-10-15
POINTS = {"A4": (595.28, 841.89), "A3": (841.89, 1190.55)}


def posters(root, board="public", size="A4", as_of=AS_OF):
    content, findings = load_content(root)
    assert [f for f in findings if f.severity == "error"] == []
    files, sheets = render_posters(content, WorkCalendar.from_content(content), as_of, board, size)
    return files, sheets


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def qr_on_last_page(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "qr.pdf"
    path.write_bytes(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(pages), "-l", str(pages), str(path), str(tmp_path / "page")], check=True)
    [png] = sorted(tmp_path.glob("page*.png"))
    result = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True)
    png.unlink()
    return result.stdout.strip()


@pytest.mark.parametrize("size", ["A4", "A3"])
def test_every_page_has_the_asked_size(office, size):
    files, _ = posters(office(), size=size)
    for name, data in files.items():
        if name.endswith(".pdf"):
            for page in PdfReader(io.BytesIO(data)).pages:
                assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == POINTS[size], name


def test_each_sheet_has_its_title_the_office_and_a_qr_code_to_its_page(office, tmp_path):
    files, sheets = posters(office())
    assert [s.slug for s in sheets] == ["duties", "service-shenpi", "supervision", "notice-gonggao-1"]
    for sheet in sheets:
        text = text_of(files[f"{sheet.slug}.pdf"], tmp_path)
        flat = "".join(text.split())
        assert "".join(sheet.title.split()) in flat and "示例县测试办公室" in flat, sheet.slug
        posted = "2025年9月26日" if sheet.period else "2025年10月10日"  # a notice went up on its first day
        assert f"张贴日期：{posted}" in flat, sheet.slug
        assert qr_on_last_page(files[f"{sheet.slug}.pdf"], tmp_path) == sheet.url
    assert sheets[1].url == "https://test.example.org/services/shenpi/"


def test_a_notice_sheet_prints_its_period_and_removal_date(office, tmp_path):
    files, _ = posters(office())
    flat = "".join(text_of(files["notice-gonggao-1.pdf"], tmp_path).split())
    assert "2025年9月26日至2025年10月15日" in flat and "共10个工作日" in flat
    assert "撤下日期：2025年10月16日" in flat
    # printed again on a later day of its period, it is the very same sheet, so the build can keep the first PDF
    later, _ = posters(office(), as_of=dt.date(2025, 10, 14))
    assert later["notice-gonggao-1.pdf"] == files["notice-gonggao-1.pdf"]


def test_a_notice_that_has_ended_gets_no_sheet(office):
    _, sheets = posters(office(), as_of=dt.date(2025, 10, 16))
    assert "notice-gonggao-1" not in [s.slug for s in sheets]


def test_a_long_procedure_continues_on_numbered_pages_with_nothing_lost(office, tmp_path):
    # twice the five steps of the example office's guides, each with a realistic paragraph
    steps = [{"name": f"第{i}步", "detail": f"步骤说明第{i}项：" + "工作人员审查申请材料并记录审查意见。"}
             for i in range(1, 11)]
    service = yaml.safe_load(SERVICE)
    service["steps"] = steps
    root = office({"services/shenpi.yaml": yaml.safe_dump(service, allow_unicode=True)})
    files, _ = posters(root)
    pdf = files["service-shenpi.pdf"]
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    flat = "".join(text_of(pdf, tmp_path).split())
    assert "第1页共2页" in flat and "第2页共2页" in flat
    for step in steps:
        assert f"步骤说明第{step['name'][1:-1]}项" in flat


def test_public_board_holds_no_internal_item_and_the_internal_board_holds_them(office, tmp_path):
    root = office({"internal/neibu-1.yaml": INTERNAL})
    public, _ = posters(root)
    assert not any("车辆维修" in "".join(text_of(data, tmp_path).split()) for name, data in public.items() if name.endswith(".pdf"))
    assert not any(b"neibu-1" in data or "公务车辆保养维修".encode() in data for data in public.values())
    internal, sheets = posters(root, board="internal")
    assert [s.slug for s in sheets] == ["internal-neibu-1"]
    flat = "".join(text_of(internal["internal-neibu-1.pdf"], tmp_path).split())
    assert "公务车辆保养维修（一号车）" in flat and "对内公开" in flat
    assert "张贴日期：2025年10月9日" in flat and AS_OF != dt.date(2025, 10, 9)  # the item's own date, not the day printed


def test_the_whole_set_is_one_pdf_with_a_cover(office, tmp_path):
    files, sheets = posters(office())
    merged = PdfReader(io.BytesIO(files["all.pdf"]))
    singles = sum(len(PdfReader(io.BytesIO(files[f"{s.slug}.pdf"])).pages) for s in sheets)
    assert len(merged.pages) == singles + 1
    cover = "".join(merged.pages[0].extract_text().split())
    assert all("".join(s.title.split()) in cover for s in sheets)


def test_the_whole_set_carries_its_chinese_font_once(office):
    """all.pdf is one print job, not the sheets' PDFs stapled together with a copy of the font in each: each sheet's
    font keeps its own widths and text, and all of them share one program per weight."""
    files, sheets = posters(office())
    merged = PdfReader(io.BytesIO(files["all.pdf"]))
    programs = {font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                .raw_get("/FontFile3").idnum for page in merged.pages
                for font in (page["/Resources"].get("/Font") or {}).get_object().values()}
    assert len(sheets) > 2 and len(programs) <= 2  # the regular and the bold weight, whatever the number of sheets
    assert len(files["all.pdf"]) < sum(len(files[f"{s.slug}.pdf"]) for s in sheets) / 2


def test_the_whole_set_prints_each_sheet_exactly_as_the_sheet_itself(office, tmp_path):
    """all.pdf joins the sheets' PDFs, each face's program embedded once (pdfjoin): every page after the cover looks,
    pixel for pixel, like that page of its sheet, and reads as it does: a rare character (堃, from the installed
    face), one no font has (📢), and a · where another sheet's list has • (one glyph) stay as each sheet has them."""
    root = office({"notices/2025/gonggao-1.md": notice_text(body="公告正文，联系人王堃、艾力·买买提📢。"),
                   "notices/2025/gonggao-2.md": notice_text("gonggao-2", "第二份公告", serial="2025-00003",
                                                            body="事项如下：\n\n- 第一项\n- 第二项\n")})
    files, sheets = posters(root)
    assert [s.slug for s in sheets][-2:] == ["notice-gonggao-1", "notice-gonggao-2"]

    def read(pdf: bytes, name: str) -> tuple[list[bytes], list[bytes]]:
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "40", "-gray", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True)
        text = subprocess.run(["pdftotext", str(tmp_path / f"{name}.pdf"), "-"], capture_output=True, check=True).stdout
        return [path.read_bytes() for path in sorted(tmp_path.glob(f"{name}-*.pgm"))], text.split(b"\f")[:-1]

    whole, whole_text = read(files["all.pdf"], "all")
    singles = [read(files[f"{s.slug}.pdf"], s.slug) for s in sheets]
    assert whole[1:] == [page for looks, _text in singles for page in looks]
    assert whole_text[1:] == [page for _looks, text in singles for page in text]
    assert "艾力·买买提".encode() in b"".join(whole_text) and "• 第一项".encode() in b"".join(whole_text)
    programs = {}
    for page in PdfReader(io.BytesIO(files["all.pdf"])).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            programs.setdefault(str(font["/BaseFont"]).partition("+")[2], set()).add(
                descriptor.get_object().raw_get("/FontFile3").idnum)
    assert len(programs) == 3 and all(len(ids) == 1 for ids in programs.values()), programs  # 2 print faces + 堃's
    widths = {}
    for page in PdfReader(io.BytesIO(files["all.pdf"])).pages:  # fonts of one name agree on every glyph's width
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            widths.setdefault(str(font["/BaseFont"]), set()).add(repr(font["/DescendantFonts"][0].get_object()["/W"]))
    assert all(len(arrays) == 1 for arrays in widths.values())
    assert len(files["all.pdf"]) < sum(len(files[f"{s.slug}.pdf"]) for s in sheets) / 2


def test_the_same_content_prints_the_same_bytes(office):
    assert posters(office())[0] == posters(office())[0]


def embedded_fonts(pdf: bytes) -> dict[str, int]:
    """Each embedded font's name and the bytes of its font program."""
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).get_object().values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                described = descendant.get_object()["/FontDescriptor"].get_object()
                program = next(described[key] for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in described)
                found[str(font["/BaseFont"]).split("+", 1)[-1]] = len(program.get_object().get_data())
    return found


def test_a_sheet_embeds_only_room_for_the_characters_it_prints(office):
    """The print face: Noto Sans CJK SC cut to everyday characters, so that a sheet's font no longer keeps room for
    all 65,535 glyphs of the installed face (about 800 KB a face before, for （），：；“” near its end)."""
    files, _sheets = posters(office())
    for name, data in files.items():
        if name.endswith(".pdf"):
            fonts = embedded_fonts(data)
            assert set(fonts) == {"Gongkai-Noto-Sans-CJK-SC", "Gongkai-Noto-Sans-CJK-SC-Bold"}, name
            assert max(fonts.values()) < 400_000, (name, fonts)


def test_a_character_outside_everyday_chinese_is_printed_from_the_installed_font(office, tmp_path):
    """堃 and 镕 are not in GB 2312, so not in the print face: they come from the installed face, not as empty boxes."""
    content, _findings = load_content(office())
    sheet = Sheet("rare", "关于王堃同志任职的公示", "public", "<p>朱镕基、李堃：常用字与生僻字混排。</p>", AS_OF)
    pdf, _pages = render_pdf(sheet_html(sheet, content.office, "A4", AS_OF), "rare")
    assert {"Noto-Sans-CJK-SC", "Gongkai-Noto-Sans-CJK-SC"} <= set(embedded_fonts(pdf))
    assert "朱镕基、李堃" in text_of(pdf, tmp_path)


def test_a_fresh_process_prints_the_same_bytes(office, tmp_path):
    """Each process cuts the print face again: the same sheets must come out byte for byte."""
    root, outputs = office(), []
    for run in ("one", "two"):
        out = tmp_path / run
        result = subprocess.run([sys.executable, "-m", "generator", "posters", str(root), "--as-of", "2025-10-10",
                                 "--out", str(out)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        outputs.append({path.name: path.read_bytes() for path in sorted(out.iterdir())})
    assert outputs[0] == outputs[1] and "all.pdf" in outputs[0]


def test_a_pdf_without_a_chinese_font_is_refused():
    with pytest.raises(PosterError, match="no Chinese font embedded.*fonts-noto-cjk"):
        render_pdf("<html><body style='font-family: DejaVu Sans'>Notice</body></html>", "latin-only")


def test_content_that_cannot_fit_a_page_is_refused():
    tall = "<html><body style='font-family: Noto Sans CJK SC'><div style='height: 400mm'>过高的内容</div></body></html>"
    with pytest.raises(PosterError, match="does not fit its page 1"):
        render_pdf(tall, "too-tall")


def test_the_posters_command_names_the_file_whose_sheet_is_too_wide(office, tmp_path):
    """As a build does: the notice and its line, that it is too wide (not too long), and nothing written."""
    root = office({"notices/2025/gonggao-1.md": notice_text(body="详见 https://example.gov.cn/" + "a" * 600)})
    result = subprocess.run([sys.executable, "-m", "generator", "posters", str(root), "--as-of", "2025-10-10",
                             "--out", str(tmp_path / "board")], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "notices/2025/gonggao-1.md:" in result.stdout and "is wider than its page 1" in result.stdout, result.stdout
    assert not (tmp_path / "board").exists()


def test_posters_command_writes_the_set(office, tmp_path):
    out = tmp_path / "board"
    result = subprocess.run([sys.executable, "-m", "generator", "posters", str(office()), "--as-of", "2025-10-10",
                             "--size", "A3", "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (out / "all.pdf").exists() and (out / "duties.html").exists()


@pytest.fixture(scope="module")
def example_posters():
    from site_support import AS_OF as SITE_AS_OF, ROOT

    content, findings = load_content(ROOT / "content/offices/rfb")
    assert [f for f in findings if f.severity == "error"] == []
    return render_posters(content, WorkCalendar.from_content(content), SITE_AS_OF, "public", "A4")


def test_no_sheet_of_the_example_ends_on_a_page_with_only_its_footer(example_posters, tmp_path):
    files, sheets = example_posters
    footer = ("张贴日期", "撤下日期", "咨询电话", "https://", "临海市人民防空办公室", "第")
    for sheet in sheets:
        pdf = files[f"{sheet.slug}.pdf"]
        for number in range(1, len(PdfReader(io.BytesIO(pdf)).pages) + 1):
            path = tmp_path / "page.pdf"
            path.write_bytes(pdf)
            text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
                                  capture_output=True, text=True, check=True).stdout
            body = [line for line in text.split("\n") if line.strip() and not line.strip().startswith(footer)]
            assert body, f"{sheet.slug}.pdf page {number} holds nothing but its footer"


def test_the_cover_counts_the_sheets_and_pages_that_follow(example_posters, tmp_path):
    files, sheets = example_posters
    pages = sum(len(PdfReader(io.BytesIO(files[f"{s.slug}.pdf"])).pages) for s in sheets)
    cover = len(PdfReader(io.BytesIO(files["all.pdf"])).pages) - pages
    assert cover >= 1
    text = "".join(text_of(files["all.pdf"], tmp_path).split())
    assert f"本套张贴材料共{len(sheets)}项、{pages}页（不含本目录）" in text


def test_the_fees_sheet_has_every_column_of_the_fees_page_and_clean_punctuation(example_posters, tmp_path):
    files, sheets = example_posters
    (tmp_path / "fees.pdf").write_bytes(files["fees.pdf"])
    raw = subprocess.run(["pdftotext", "-raw", str(tmp_path / "fees.pdf"), "-"], capture_output=True, text=True).stdout
    assert "收费项目 收费标准 批准文号 批准机关 执行日期 说明" in raw  # one header row: nothing cut, nothing wrapped
    assert "按应建防空地下室面积计收" in "".join(raw.split())
    for sheet in sheets:
        text = "".join(text_of(files[f"{sheet.slug}.pdf"], tmp_path).split())
        assert "。；" not in text and "；。" not in text, sheet.slug


@pytest.mark.parametrize("board, name", [("public", "政务公开栏"), ("internal", "对内公开栏")])
def test_the_posters_command_names_the_board_in_chinese(office, tmp_path, board, name):
    result = subprocess.run([sys.executable, "-m", "generator", "--lang", "zh", "posters", str(office()),
                             "--as-of", "2025-10-10", "--board", board, "--out", str(tmp_path / "board")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    said = result.stdout.strip().splitlines()[-1]
    assert name in said and board not in said, said
