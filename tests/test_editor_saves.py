"""What a save through the form editor may not do: take a number a broken file holds, undo another tab's save, carry
personal data or unsafe HTML into the clone, trap the clerk with an upload it will not save, or leave an attachment
behind when the number changes. The real editor server, as in test_editor.py, whose helpers these are."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_editor import (OFFICE, _call, _open, _publish, _token, browser, editor_address,  # noqa: F401 (fixtures)
                         editor, needs_decap, office_repo, TITLE)
from site_support import AS_OF

from generator.checks.validate import load_content

CREDIT = "11331082MB1947351Y"


def test_a_broken_notice_keeps_its_numbers(editor_address, office_repo):
    """A notice saved with a .docx renamed 会议纪要.pdf is a file with an error, which the loaded content leaves out:
    its id and index number are taken all the same, and a new notice offered them takes the next ones."""
    notices = office_repo / OFFICE / "notices/2026"
    text = (notices / "zhongda-2026-01.md").read_text(encoding="utf-8")
    broken = (text.replace("id: zhongda-2026-01", "id: zhongda-2026-02")
              .replace(f"{CREDIT}/2026-00006", f"{CREDIT}/2026-00008")
              .replace("validity:", "attachments:\n  - title: 会议纪要\n    file: zhongda-2026-02/会议纪要.pdf\nvalidity:"))
    (notices / "zhongda-2026-02.md").write_text(broken, encoding="utf-8")
    (notices / "zhongda-2026-02").mkdir()
    (notices / "zhongda-2026-02/会议纪要.pdf").write_bytes(b"PK\x03\x04word/document.xml")  # a .docx, renamed
    token = _token(editor_address)
    status, changes = _call(editor_address, {"action": "freeNumbers", "params": {"collection": "notice", "data": {
        "id": "zhongda-2026-02", "index_no": f"{CREDIT}/2026-00008",
        "attachments": [{"title": "方案", "file": "zhongda-2026-02/方案.pdf"}]}}}, token)
    assert status == 200
    assert changes == [[["id"], "zhongda-2026-03"], [["attachments", 0, "file"], "zhongda-2026-03/方案.pdf"],
                       [["index_no"], f"{CREDIT}/2026-00009"]]


def _save(address: str, token: str, path: str, raw: str, new: bool = False, assets: list | None = None):
    return _call(address, {"action": "persistEntry", "params": {
        "branch": "main", "dataFiles": [{"path": path, "slug": Path(path).stem, "raw": raw}], "assets": assets or [],
        "options": {"collectionName": "notice", **({"newEntry": True} if new else {})}}}, token)


# the clerk's editor speaks Chinese (test_editor's _serve): check's messages, as its catalog words them
@pytest.mark.parametrize("pasted, said", [
    ("申请人身份证号11010519491231002X。", "居民身份证号码（110***********002X）不得公开"),
    ("联系人手机13912345678。", "私人手机号码（139****5678）不得公开"),
    ("<script>alert(1)</script>", "不允许使用 HTML 标签 <script>"),
    ('<iframe src="https://example.org/"></iframe>', "不允许使用 HTML 标签 <iframe>"),
    ("[详情](javascript:alert(1))", "不允许链接到 javascript: 开头的地址"),
    ("机密★一年", "内容中出现了密级标志（机密★）"),
], ids=["resident-id", "mobile", "script", "iframe", "javascript", "classified"])
def test_a_save_carrying_what_check_refuses_is_not_written(editor_address, office_repo, pasted, said):
    """What `gongkai check` stops a build for never reaches the clone (and its git history): the save is refused
    before anything is written, with check's own message, the form's field it is in and what to do."""
    rel = f"{OFFICE}/notices/2026/zhongda-2026-01.md"
    before = (office_repo / rel).read_bytes()
    token = _token(editor_address)
    status, answer = _save(editor_address, token, rel, before.decode("utf-8") + f"\n{pasted}\n")
    assert status == 422 and said in answer["error"], answer
    assert answer["error"].startswith("“公示内容”")  # the form's field, named as the form labels it
    assert (office_repo / rel).read_bytes() == before
    # as Decap writes a title: quoted where YAML needs it
    status, answer = _save(editor_address, token, rel, re.sub(
        r"^title: (.*)$", lambda title: "title: " + json.dumps(pasted + title.group(1), ensure_ascii=False),
        before.decode("utf-8"), count=1, flags=re.M))
    assert status == 422 and said in answer["error"] and answer["error"].startswith("“标题”"), answer
    assert (office_repo / rel).read_bytes() == before


@needs_decap
def test_two_tabs_on_one_notice_do_not_undo_each_others_save(editor_address, office_repo, browser):
    """Tab B opened the notice before tab A saved its 文号: B's save is refused in Chinese, saying what to do, its form
    keeps B's text, and A's 文号 stays. A tab saving twice in a row is no other tab: both its saves are written."""
    notice = office_repo / OFFICE / "notices/2026/zhongda-2026-01.md"
    entry = "notice/entries/2026/zhongda-2026-01"
    tabs = [_open(browser, editor_address, entry, new=False)[0] for _ in range(2)]
    for tab in tabs:
        expect(tab.get_by_label("标题", exact=True)).to_have_value(re.compile("防空警报"), timeout=30_000)
    first, second = tabs
    first.get_by_label(re.compile("^文号")).fill("临人防〔2026〕5号")
    _publish(first)
    expect(first.get_by_text("内容已保存").first).to_be_visible(timeout=30_000)
    second.get_by_label("标题", exact=True).fill("关于防空警报设施布局调整方案（修订）的公示")
    _publish(second)
    expect(second.get_by_text("另一个标签页")).to_be_visible(timeout=30_000)
    # Reopened, the offered backup holds the form from before A's save: the clerk is told to decline it.
    expect(second.get_by_text(re.compile("本地备份”，请点“取消”"))).to_be_visible()
    expect(second.get_by_label("标题", exact=True)).to_have_value("关于防空警报设施布局调整方案（修订）的公示")
    saved = notice.read_text(encoding="utf-8")
    assert "doc_number: 临人防〔2026〕5号" in saved and "（修订）" not in saved
    expect(first.get_by_text("内容已保存")).to_have_count(0, timeout=30_000)  # the first save's notice has gone
    first.get_by_label(re.compile("^文号")).clear()
    first.get_by_label(re.compile("^文号")).fill("临人防〔2026〕6号")
    _publish(first)
    expect(first.get_by_text("内容已保存").first).to_be_visible(timeout=30_000)
    assert "doc_number: 临人防〔2026〕6号\n" in notice.read_text(encoding="utf-8")


@needs_decap
def test_a_backup_restored_after_another_tabs_save_is_refused_not_saved_over_it(editor_address, office_repo, browser):
    """Tab B's save is refused because tab A saved first; B reloads, and Decap offers B's local backup, which holds
    the form from before A's save. Restored, its save is refused again (A's 文号 stays); declined, the form shows
    A's save, and B's change made there is saved beside it."""
    notice = office_repo / OFFICE / "notices/2026/zhongda-2026-01.md"
    entry = "notice/entries/2026/zhongda-2026-01"
    restore = [True]  # how the clerk answers Decap's offer of the backup
    first = _open(browser, editor_address, entry, new=False)[0]
    second = _open(browser, editor_address, entry, new=False,
                   answer=lambda dialog: dialog.accept() if restore[0] or dialog.type == "beforeunload"
                   else dialog.dismiss())[0]
    for tab in (first, second):
        expect(tab.get_by_label("标题", exact=True)).to_have_value(re.compile("防空警报"), timeout=30_000)
    first.get_by_label(re.compile("^文号")).fill("临人防〔2026〕5号")
    _publish(first)
    expect(first.get_by_text("内容已保存").first).to_be_visible(timeout=30_000)
    revised = "关于防空警报设施布局调整方案（修订）的公示"
    second.get_by_label("标题", exact=True).fill(revised)
    _publish(second)
    expect(second.get_by_text("另一个标签页")).to_be_visible(timeout=30_000)
    second.wait_for_timeout(2500)  # Decap keeps the form's backup a moment after each change
    second.reload(wait_until="commit")  # Decap asks before it leaves the unsaved form, and again once reloaded
    expect(second.get_by_label("标题", exact=True)).to_have_value(revised, timeout=30_000)  # the backup, restored
    _publish(second)
    expect(second.get_by_text("另一个标签页")).to_be_visible(timeout=30_000)
    assert "doc_number: 临人防〔2026〕5号" in notice.read_text(encoding="utf-8")
    restore[0] = False
    second.reload(wait_until="commit")  # Decap asks before it leaves the unsaved form, and again once reloaded
    expect(second.get_by_label("标题", exact=True)).not_to_have_value(revised, timeout=30_000)
    second.get_by_label("标题", exact=True).fill(revised)
    _publish(second)
    expect(second.get_by_text("内容已保存").first).to_be_visible(timeout=30_000)
    saved = notice.read_text(encoding="utf-8")
    assert "doc_number: 临人防〔2026〕5号" in saved and f"title: {revised}" in saved


@needs_decap
def test_an_upload_the_save_would_refuse_is_refused_as_it_is_chosen(editor, office_repo, tmp_path):
    """A file named only `.pdf`: refused in Chinese as the clerk chooses it, so it never enters the draft, and the
    notice then saves; before, only the save was refused, and removing the attachment from the form did not help."""
    page, said = editor, []
    page.on("dialog", lambda dialog: said.append(dialog.message))
    hidden = tmp_path / ".pdf"
    hidden.write_bytes(b"%PDF-1.4\n")
    page.get_by_label("标题", exact=True).fill(TITLE)
    for label in ("成文日期", "发布日期", "公示第一天"):
        page.get_by_label(label, exact=True).fill(AS_OF.isoformat())
    page.get_by_role("button", name="新增附件").click()
    page.get_by_label("附件名称", exact=True).fill("方案")
    page.get_by_role("button", name="选择文件").click()
    page.locator("input[type=file]").set_input_files(hidden)
    expect(page.get_by_text("未找到资源")).to_be_visible()  # not in the media library, nor in the draft
    for _wait in range(100):  # the refusal comes as a dialog once the editor's server has answered
        if said:
            break
        page.wait_for_timeout(100)
    assert said and "文件名要说明是什么文件" in said[0] and "“.pdf”" in said[0], said
    named = tmp_path / "方案.pdf"  # the clerk renames the file and uploads it again
    named.write_bytes(b"%PDF-1.4\n")
    page.locator("input[type=file]").set_input_files(named)
    page.get_by_role("button", name="选用已选中项目").click()
    _publish(page)
    expect(page.get_by_role("button", name="已发布")).to_be_visible(timeout=30_000)
    saved = office_repo / OFFICE / "notices/2026/zhongda-2026-02.md"
    assert "file: zhongda-2026-02/方案.pdf" in saved.read_text(encoding="utf-8")
    assert (office_repo / OFFICE / "notices/2026/zhongda-2026-02/方案.pdf").is_file()
    assert not list((office_repo / OFFICE).rglob(".pdf"))


def test_only_a_name_decap_keeps_and_the_save_refuses_is_refused_as_it_is_chosen(editor_address):
    """Decap turns what a name may not hold into "-" before it uploads (odd#name.pdf is saved as odd-name.pdf): such
    a name is no reason to refuse the choice; a name that is only an extension is."""
    token = _token(editor_address)
    assert _call(editor_address, {"action": "checkUploads", "params": {"names": ["odd#name.pdf", "方案 2.pdf"]}},
                 token)[0] == 200
    status, answer = _call(editor_address, {"action": "checkUploads", "params": {"names": ["方案.pdf", ".pdf"]}}, token)
    assert status == 422 and "“.pdf”" in answer["error"]


def test_an_upload_removed_from_the_form_is_not_written(editor_address, office_repo):
    """Decap sends along an upload the clerk removed from the form again: it is left out, not refused for its name."""
    token = _token(editor_address)
    rel = f"{OFFICE}/notices/2026/zhongda-2026-02.md"
    raw = (office_repo / OFFICE / "notices/2026/zhongda-2026-01.md").read_text(encoding="utf-8").replace(
        "zhongda-2026-01", "zhongda-2026-02").replace(f"{CREDIT}/2026-00006", f"{CREDIT}/2026-00008")
    status, answer = _save(editor_address, token, rel, raw, new=True, assets=[
        {"path": f"{OFFICE}/notices/2026/zhongda-2026-02/.pdf", "content": "JVBERi0=", "encoding": "base64"}])
    assert status == 200, answer
    assert (office_repo / rel).is_file() and not (office_repo / OFFICE / "notices/2026/zhongda-2026-02/.pdf").exists()


def test_an_upload_follows_a_changed_number(editor_address, office_repo):
    """Uploaded while the form said zhongda-2026-02, saved as fangan-2026-01: the file is stored in the entry's own
    folder, and the entry names it there (the old number's folder belongs to no saved document)."""
    token = _token(editor_address)
    rel = f"{OFFICE}/notices/2026/fangan-2026-01.md"
    raw = (office_repo / OFFICE / "notices/2026/zhongda-2026-01.md").read_text(encoding="utf-8").replace(
        "id: zhongda-2026-01", "id: fangan-2026-01").replace(f"{CREDIT}/2026-00006", f"{CREDIT}/2026-00008").replace(
        "validity:", "attachments:\n  - title: 方案\n    file: zhongda-2026-02/方案.pdf\nvalidity:")
    status, answer = _save(editor_address, token, rel, raw, new=True, assets=[
        {"path": f"{OFFICE}/notices/2026/fangan-2026-01/方案.pdf", "content": "JVBERi0=", "encoding": "base64"}])
    assert status == 200, answer
    assert (office_repo / OFFICE / "notices/2026/fangan-2026-01/方案.pdf").read_bytes() == b"%PDF-"
    assert "    file: fangan-2026-01/方案.pdf\n" in (office_repo / rel).read_text(encoding="utf-8")


def test_an_attachment_in_another_documents_folder_is_called_so(office_repo):
    """A notice naming a file in the folder of another notice: validate says so and where the file belongs, not that
    it is outside the content folder."""
    notices = office_repo / OFFICE / "notices/2026"
    text = (notices / "zhongda-2026-01.md").read_text(encoding="utf-8")
    (notices / "tongzhi-2026-01").mkdir(exist_ok=True)
    (notices / "tongzhi-2026-01/方案.pdf").write_bytes(b"%PDF-1.4\n")
    (notices / "zhongda-2026-01.md").write_text(text.replace(
        "validity:", "attachments:\n  - title: 方案\n    file: tongzhi-2026-01/方案.pdf\nvalidity:"), encoding="utf-8")
    _, findings = load_content(office_repo / OFFICE)
    found = [(f.file, f.text) for f in findings if f.file == "notices/2026/zhongda-2026-01.md" and f.severity == "error"]
    assert found == [("notices/2026/zhongda-2026-01.md",
                      "the attachment 'notices/2026/tongzhi-2026-01/方案.pdf' is in the folder of another document "
                      "(notices/2026/tongzhi-2026-01.md), not of this one — keep a document's attachments in its own "
                      "folder notices/2026/zhongda-2026-01/: move the file there and write zhongda-2026-01/方案.pdf here "
                      "(in the form editor: upload it again)")], found


@needs_decap
def test_a_title_of_spaces_is_refused_by_the_form(editor, office_repo):
    """Full-width spaces look like a title in the form and publish a blank notice: the form says so in Chinese."""
    page = editor
    page.get_by_label("标题", exact=True).fill("　　")
    for label in ("成文日期", "发布日期", "公示第一天"):
        page.get_by_label(label, exact=True).fill(AS_OF.isoformat())
    _publish(page)
    expect(page.get_by_text("不能只有空格，请写上文字。")).to_be_visible()
    assert not (office_repo / OFFICE / "notices/2026/zhongda-2026-02.md").exists()


@needs_decap
def test_a_pasted_id_number_is_refused_and_the_form_keeps_the_text(editor, office_repo):
    """A clerk pastes an ID number into the body and presses 立即发布: the editor says in Chinese what check would say
    and in which field, nothing is written, and the text is still in the form to be corrected."""
    page = editor
    page.get_by_label("标题", exact=True).fill(TITLE)
    for label in ("成文日期", "发布日期", "公示第一天"):
        page.get_by_label(label, exact=True).fill(AS_OF.isoformat())
    body = page.locator("[contenteditable=true]").last
    body.get_by_text("（待填写）").first.click(click_count=3)
    page.keyboard.insert_text("申请人身份证号11010519491231002X。")
    _publish(page)
    said = page.get_by_text(re.compile("“公示内容”.*居民身份证号码（110\\*+002X）不得公开"))
    expect(said).to_be_visible(timeout=30_000)
    expect(said).not_to_contain_text("API_ERROR")  # Decap's English name of the error is not put before the words
    expect(body).to_contain_text("11010519491231002X")
    assert not (office_repo / OFFICE / "notices/2026/zhongda-2026-02.md").exists()
