"""What a save through the form editor may not do: take a number a broken file holds, undo another tab's save, carry
personal data or unsafe HTML into the clone, trap the clerk with an upload it will not save, or leave an attachment
behind when the number changes. The real editor server, as in test_editor.py, whose helpers these are."""

from __future__ import annotations

from test_editor import OFFICE, _call, _serve, _token, editor_address, office_repo  # noqa: F401 (fixtures)

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
