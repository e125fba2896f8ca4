"""The form editor (网页编辑): Decap CMS in a real Chromium, in local mode against a copy of the example office."""

from __future__ import annotations

import base64
import contextlib
import difflib
import hashlib
import functools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from playwright.sync_api import expect
from weasyprint import HTML

from generator.publish.build import build
from generator.tools.editor import DECAP_DIST, bundle_files, editor_config, editor_page
from generator.tools.editor_forge import Forge
from generator.tools.editor_files import Files
from generator.tools.editor_server import QuietServer, editor_server
from generator.publish.write import write_files
from generator.content.attachment_reader import OLD_BINARY
from generator.content.types import all_types
from generator.checks.validate import load_content
from site_support import AS_OF, ROOT, FakeApi, chromium

NEW_NOTICE = "notices/2026/zhongda-2026-02.md"
TITLE = "关于人防指挥所改造方案的公示"
PARTS = ["一、基本情况", "二、必要性和可行性说明", "三、统计数据和调查分析", "四、论证经过",
         "五、法律分析意见", "六、收集反馈信息的渠道", "七、其他需要公示的内容"]

needs_decap = pytest.mark.skipif(not DECAP_DIST.exists(), reason="Decap CMS is installed by make test (npm ci in tools/decap)")


def test_config_has_a_field_for_every_schema_property():
    """A property added to a schema appears in the editor without anyone editing the configuration."""
    content, _ = load_content(ROOT / "content/offices/rfb")
    config = editor_config(content, "content", AS_OF)
    collections = {c["name"]: c for c in config["collections"]}
    for kind in ("notice", "service", "regulation", "pledges", "catalog", "office"):
        content_type = next(t for t in all_types() if t.kind == kind)
        schema = content_type.load_schema()
        fields = collections[kind]["fields"] if "fields" in collections[kind] else collections[kind]["files"][0]["fields"]
        names = {f["name"] for f in fields}
        assert set(schema.get("properties", {})) <= names, kind
        for field in fields:
            prop = schema.get("properties", {}).get(field["name"])
            if prop:
                assert field["label"] == prop["title"]
                assert field["required"] == (field["name"] in schema.get("required", []))
    notice = {f["name"]: f for f in collections["notice"]["fields"]}
    assert notice["type"]["options"] == ["重大事项公示", "听证公告", "人事公示", "党务公开", "通知公告"]
    assert notice["first_day"]["widget"] == "gongkai-date"  # typed or picked; a wrong date is named as one
    assert notice["hearing"]["fields"][0]["required"] is False  # an optional object cannot demand its parts


def test_every_list_of_entries_labels_an_empty_one_in_chinese():
    """Decap labels a collapsed list entry by its first field, and one still empty 'No by' or 'No file' in English:
    every list of entries (approvals, attachments, a catalog's items …) gives its own label, 未填写 when empty."""
    content, _ = load_content(ROOT / "content/offices/rfb")

    def lists(fields):
        for field in fields:
            if field.get("widget") == "list" and "fields" in field:
                yield field
            yield from lists(field.get("fields", []))

    config = editor_config(content, "content", AS_OF, local=True)
    found = [field for collection in config["collections"]
             for fields in [collection.get("fields", [])] + [f["fields"] for f in collection.get("files", [])]
             for field in lists(fields)]
    assert {"approvals", "attachments", "items", "rows"} <= {field["name"] for field in found}
    for field in found:
        first = field["fields"][0]["name"]
        assert field["summary"].startswith("{{fields." + first), field["name"]
        assert field["name"] == "rows" or "default('（未填写）')" in field["summary"], field["name"]


def test_a_new_notice_starts_like_gongkai_new_notice():
    content, _ = load_content(ROOT / "content/offices/rfb")
    notice = {f["name"]: f for f in editor_config(content, "content", AS_OF)["collections"][0]["fields"]}
    assert notice["index_no"]["default"] == "11331082MB1947351Y/2026-00008"  # the next one after the example's
    assert notice["id"]["default"] == "zhongda-2026-02"
    assert notice["period"]["default"] == {"working_days": 10}
    assert [line[3:] for line in notice["body"]["default"].splitlines() if line.startswith("## ")] == PARTS
    assert "国务院节假日安排" in notice["period"]["hint"]  # the editor cannot compute the end; it says where to see it


def _keys(schema: dict) -> set[str]:
    """Every property name of a schema, at any depth."""
    if isinstance(schema, list):
        return set().union(*map(_keys, schema)) if schema else set()
    if not isinstance(schema, dict):
        return set()
    return set(schema.get("properties", {})) | set().union(*map(_keys, schema.values()))


def test_field_help_names_fields_as_the_form_labels_them():
    """The help under a field speaks of other fields by their Chinese labels, never by the file's keys (working_days,
    published) or a rule's name (publish-stages), which a clerk in the form never sees; and the attachment field says
    which files the check refuses, as the content guide does."""
    content, _ = load_content(ROOT / "content/offices/rfb")
    keys = set().union(*(_keys(t.load_schema()) for t in all_types()), _keys(json.loads((ROOT / "schemas/rules.schema.json")
                                                                                          .read_text(encoding="utf-8"))))
    # short keys ("id", "fee") are words of examples too; a content kind is the value 内容来源 takes
    named = {key for key in keys if "_" in key or "-" in key or len(key) > 3} - {t.kind for t in all_types()}

    def hints(fields):
        for field in fields:
            yield field["label"], field.get("hint", "")
            yield from hints(field.get("fields", []) + ([field["field"]] if "field" in field else []))

    config = editor_config(content, "content", AS_OF, local=True)
    every = [hint for c in config["collections"] for fields in [c.get("fields", [])] + [f["fields"] for f in c.get("files", [])]
             for hint in hints(fields)]
    commands = re.compile(r"(make|gongkai) [a-z-]+")  # a command to type is written as typed
    assert [(label, word) for label, hint in every for word in re.findall(r"[a-z][a-z_-]+", commands.sub("", hint))
            if word in named] == []
    attachment = dict(every)["附件"]
    assert all(old in attachment for old in OLD_BINARY) and "WPS 等" not in attachment
    assert all(old in (ROOT / "docs/content-guide.md").read_text(encoding="utf-8") for old in OLD_BINARY)


def test_hosted_backends():
    """GitHub: each entry its own branch and pull request. Gitea/Forgejo: Decap has no editorial workflow there. An office
    in a county saves to the repository county.yaml names, whatever its own office.yaml says."""
    content, _ = load_content(ROOT / "content/offices/rfb")
    content.office.data["editor"] = {"backend": "github", "repo": "elsewhere/ignored"}
    content.county.data["editor"] = {"backend": "github", "repo": "linhai-rfb/gongkai"}
    config = editor_config(content, "content", AS_OF)
    assert config["backend"] == {"name": "github", "repo": "linhai-rfb/gongkai", "branch": "main"}
    assert config["publish_mode"] == "editorial_workflow"
    content.county.data["editor"] = {"backend": "gitea", "repo": "rfb/gongkai", "branch": "wangye-bianji",
                                     "base_url": "https://git.example.gov.cn/", "app_id": "abc"}
    config = editor_config(content, "content", AS_OF)
    assert config["backend"] == {"name": "gitea", "repo": "rfb/gongkai", "branch": "wangye-bianji",
                                 "base_url": "https://git.example.gov.cn", "api_root": "https://git.example.gov.cn/api/v1",
                                 "app_id": "abc"}
    assert "publish_mode" not in config


OFFICE = "content/offices/rfb"  # the example office, in its county, in the clone the clerk works in


@pytest.fixture
def office_repo(tmp_path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


@contextlib.contextmanager
def _serve(office_repo, tmp_path, forge=None):
    """`gongkai editor` in this process for a with block, which gets its address: the page made from the office's
    files at each visit, the API on them."""
    static = tmp_path / "static"
    write_files(bundle_files(), static)
    server = editor_server(static, Files(office_repo, office_repo / OFFICE, forge), 0,
                           lambda: editor_page(office_repo / OFFICE, AS_OF), lang="zh")  # a clerk's editor
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser():
    """A browser of each test's own (conftest's lasts a module): these tests leave their editor pages open."""
    with chromium() as browser:
        yield browser


VIEWPORT = {"width": 1280, "height": 900}


def _open(browser, address: str, collection: str = "notice", new: bool = True, context=None, login: bool = True,
          answer=lambda dialog: dialog.accept()):
    """`context`: a browser profile of the test's own (its IndexedDB, where Decap keeps unsaved work), else a new one;
    `login`: False in a profile already logged in; `answer`: what the clerk answers Decap's questions."""
    page = (context or browser.new_context(viewport=VIEWPORT)).new_page()
    page.on("dialog", answer)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    page.goto(f"{address}/admin/#/collections/{collection}" + ("/new" if new else ""))
    if login:
        page.get_by_role("button", name="登录").click()
    return page, outside


@pytest.fixture
def editor_address(office_repo, tmp_path):
    with _serve(office_repo, tmp_path) as address:
        yield address


@pytest.fixture
def editor(editor_address, browser):
    """The editor in local mode against the copy of the office, on a new 公示公告."""
    page, outside = _open(browser, editor_address)
    expect(page.get_by_text("正在集合“公示公告”中编写")).to_be_visible(timeout=30_000)
    yield page
    assert outside == []  # nothing from a CDN: offices run on intranets


def _choose(page, label: str, option: str) -> None:
    """A list to choose from (Decap's select): open the last one so labelled, click the option."""
    page.get_by_label(label, exact=True).last.click()
    page.get_by_text(option, exact=True).last.click()


def _fill_date(page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).fill(value)


def _publish(page) -> None:
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()


@needs_decap
def test_a_clerk_publishes_a_major_decision_notice_through_the_form(editor, office_repo, tmp_path):
    page = editor
    page.get_by_label("标题", exact=True).fill(TITLE)
    for label in ("成文日期", "发布日期", "公示第一天"):
        _fill_date(page, label, AS_OF.isoformat())
    page.get_by_role("button", name="新增审批记录").click()
    page.get_by_label("审批人或会议", exact=True).fill("主任办公会")
    _fill_date(page, "审批日期", AS_OF.isoformat())
    # The seven headings are already there: under each, the clerk replaces （待填写） with the part's text.
    placeholder = page.locator("[contenteditable=true]").last.get_by_text("（待填写）")
    for number in range(1, len(PARTS) + 1):
        placeholder.first.click(click_count=3)
        page.keyboard.insert_text(f"改造方案第{number}部分的说明。")
    expect(placeholder).to_have_count(0)
    # An attachment, uploaded through the editor's media library: it is saved beside the notice.
    budget = tmp_path / "疏散基地标识设置方案.pdf"  # a Chinese name is kept, never cut down to a hidden ".pdf"
    HTML(string='<p style="font-family: Noto Sans CJK SC">人防指挥所改造方案概算</p>').write_pdf(budget)
    page.get_by_role("button", name="新增附件").click()
    page.get_by_label("附件名称", exact=True).fill("改造方案概算")
    page.get_by_role("button", name="选择文件").click()
    page.locator("input[type=file]").set_input_files(budget)
    page.get_by_role("button", name="选用已选中项目").click()
    _publish(page)
    notice = office_repo / OFFICE / NEW_NOTICE
    expect(page.get_by_role("button", name="已发布")).to_be_visible(timeout=30_000)
    written = notice.read_text(encoding="utf-8")
    assert f"title: {TITLE}" in written and "index_no: 11331082MB1947351Y/2026-00008" in written
    assert '""' not in written  # an optional field left empty is left out, not written as an empty text
    assert "## 一、基本情况\n\n改造方案第1部分的说明。" in written and "## 七、其他需要公示的内容" in written

    _, findings = load_content(office_repo / OFFICE)
    assert [f for f in findings if f.severity == "error"] == []
    site = tmp_path / "rebuilt"
    assert [f for f in build(office_repo / OFFICE, site, AS_OF, search=False) if f.severity == "error"] == []
    page_html = (site / "notices" / "2026" / "zhongda-2026-02" / "index.html").read_text(encoding="utf-8")
    assert TITLE in page_html and "改造方案第7部分的说明" in page_html
    assert (office_repo / OFFICE / "notices/2026/zhongda-2026-02/疏散基地标识设置方案.pdf").read_bytes() == budget.read_bytes()
    assert "file: zhongda-2026-02/疏散基地标识设置方案.pdf" in written
    assert re.search(r'<a href="[^"]+">改造方案概算</a>（PDF', page_html)
    assert (site / "notices/2026/zhongda-2026-02/疏散基地标识设置方案.pdf").exists()


@needs_decap
def test_the_editor_refuses_a_notice_without_its_title_in_chinese(editor, office_repo):
    page = editor
    for label in ("成文日期", "发布日期", "公示第一天"):
        _fill_date(page, label, AS_OF.isoformat())
    _publish(page)
    expect(page.get_by_text("“标题”是必填项")).to_be_visible()
    assert not (office_repo / OFFICE / NEW_NOTICE).exists()


@needs_decap
def test_the_editor_does_not_say_one_field_is_missing_when_several_are(editor, office_repo):
    page = editor
    _publish(page)  # title and the three dates left empty
    for label in ("标题", "成文日期", "发布日期", "公示第一天"):
        expect(page.get_by_text(f"“{label}”是必填项")).to_be_visible()
    expect(page.get_by_text("还有必填项没有填写：请按标红的提示逐项填好，再保存")).to_be_visible()
    expect(page.get_by_text("你漏掉了一个必填项", exact=False)).to_have_count(0)
    assert not (office_repo / OFFICE / NEW_NOTICE).exists()


@needs_decap
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_one_command_starts_the_local_editor_and_stopping_it_stops_its_server(office_repo, stop):
    command = [sys.executable, "-m", "generator", "editor", str(office_repo / OFFICE), "--port", "0",
               "--as-of", AS_OF.isoformat()]
    cli = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        address = re.search(r"http://127\.0\.0\.1:\d+/admin/", cli.stdout.readline()).group()
        page = urllib.request.urlopen(address, timeout=10).read().decode("utf-8")
        assert "网页编辑" in page and '"zhongda-2026-02"' in page
        # a notice saved meanwhile: the next visit of the editor offers the next number, not the same one again
        subprocess.run([sys.executable, "-m", "generator", "new", "notice", str(office_repo / OFFICE), "--title", TITLE,
                        "--type", "重大事项公示", "--first-day", AS_OF.isoformat(), "--as-of", AS_OF.isoformat()],
                       check=True, capture_output=True, cwd=ROOT)
        page = urllib.request.urlopen(address, timeout=10).read().decode("utf-8")
        assert '"zhongda-2026-03"' in page and '"zhongda-2026-02"' not in page
        token = re.search(r'name="gongkai-editor-token" content="([^"]+)"', page).group(1)
        info = urllib.request.Request(address.replace("/admin/", f"/api/v1?token={token}"), data=b'{"action": "info"}',
                                      headers={"Content-Type": "application/json"})
        assert json.loads(urllib.request.urlopen(info, timeout=10).read())["repo"] == "repo"  # the clone's folder
    finally:
        cli.send_signal(stop)
        cli.wait(timeout=30)
    assert cli.returncode == 0


def test_a_port_in_use_is_said_in_chinese_not_as_a_traceback(office_repo):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        for command in ("editor", "serve"):
            result = subprocess.run([sys.executable, "-m", "generator", "--lang", "zh", command,
                                     str(office_repo / OFFICE), "--port", port],
                                    capture_output=True, text=True, cwd=ROOT, timeout=120)
            assert result.returncode == 1
            assert f"端口 {port} 已被占用" in result.stderr and "Traceback" not in result.stderr


def _token(address: str) -> str:
    page = urllib.request.urlopen(f"{address}/admin/", timeout=30).read().decode("utf-8")
    return re.search(r'name="gongkai-editor-token" content="([^"]+)"', page).group(1)


def _call(address: str, body: dict, token: str, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(f"{address}/api/v1?token={token}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _write(path: str) -> dict:
    return {"action": "persistMedia", "params": {"branch": "main", "asset": {
        "path": path, "content": "W2NvcmVdCglmc21vbml0b3IgPSB0b3VjaCAvdG1wL3B3bmVk", "encoding": "base64"}}}


@needs_decap
def test_a_page_of_another_site_cannot_use_the_editor(editor_address, office_repo, tmp_path, browser):
    """A page elsewhere (here: another port of this machine) sends what a browser sends without asking: a text/plain
    POST, and a JSON one, writing .git/config; neither is carried out."""
    git_config = (office_repo / ".git/config").read_bytes()
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "index.html").write_text(f"""<!doctype html><meta charset="utf-8"><script>
      const body = JSON.stringify({json.dumps(_write(".git/config"))});
      window.results = Promise.all([
        fetch("{editor_address}/api/v1", {{method: "POST", mode: "no-cors", headers: {{"Content-Type": "text/plain"}}, body}})
          .then(r => "sent " + r.type, e => "refused"),
        fetch("{editor_address}/api/v1", {{method: "POST", headers: {{"Content-Type": "application/json"}}, body}})
          .then(r => r.text(), e => "refused"),
        fetch("{editor_address}/admin/").then(r => r.text(), e => "refused"),
      ]);
    </script>""", encoding="utf-8")
    other = QuietServer(("127.0.0.1", 0), functools.partial(SimpleHTTPRequestHandler, directory=str(hostile)))
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{other.server_address[1]}/index.html")
        no_cors, with_json, read_page = page.evaluate("window.results")
    finally:
        other.shutdown()
        other.server_close()
    assert no_cors == "sent opaque"  # the browser sent it: the editor itself must refuse it
    assert with_json == "refused" and read_page == "refused"  # no CORS: the page can neither ask nor read
    assert (office_repo / ".git/config").read_bytes() == git_config


@needs_decap
def test_the_editor_answers_only_its_own_page_and_only_inside_the_office(editor_address, office_repo):
    token = _token(editor_address)
    port = editor_address.rsplit(":", 1)[1]
    inside = f"{OFFICE}/attachments/shuoming.pdf"
    # each safeguard alone refuses: the request is otherwise the page's own
    assert _call(editor_address, _write(inside), "not-the-token")[0] == 403
    assert _call(editor_address, _write(inside), token, {"Host": f"rebound.example:{port}"})[0] == 421  # DNS rebinding
    assert _call(editor_address, _write(inside), token, {"Origin": "http://127.0.0.1:1"})[0] == 403
    assert _call(editor_address, _write(inside), token, {"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert _call(editor_address, _write(inside), token, {"Content-Type": "text/plain"})[0] == 415
    for path in (".git/config", f"{OFFICE}/.git/config", "Makefile", "content/county.yaml", f"{OFFICE}/../../county.yaml",
                 "/etc/passwd", ".github/workflows/publish.yml"):
        status, answer = _call(editor_address, _write(path), token)
        assert status == 403 and "Traceback" not in json.dumps(answer), path
    status, answer = _call(editor_address, {"action": "getEntry", "params": {"branch": "main", "path": "content/county.yaml"}}, token)
    assert status == 403 and "content/county.yaml" in answer["error"]
    assert not (office_repo / "Makefile").exists()
    with pytest.raises(urllib.error.HTTPError) as refused:  # a rebinding name cannot read the page and its token
        urllib.request.urlopen(urllib.request.Request(f"{editor_address}/admin/", headers={"Host": f"rebound.example:{port}"}))
    assert refused.value.code == 421
    # the page's own request, with its token, is carried out
    assert _call(editor_address, _write(inside), token, {"Origin": editor_address, "Sec-Fetch-Site": "same-origin"})[0] == 200
    assert (office_repo / inside).exists()


def _fill_minimal_notice(page, title: str) -> None:
    page.get_by_label("标题", exact=True).fill(title)
    for label in ("成文日期", "发布日期", "公示第一天"):
        _fill_date(page, label, AS_OF.isoformat())


def _backup_kept(page, key: str, words: str) -> None:
    """Wait until Decap has put the unsaved form, with `words`, into the browser's IndexedDB (2 s after the last key)."""
    for _ in range(60):
        if page.evaluate("""([key, words]) => new Promise(done => {
          const open = indexedDB.open("localforage");
          open.onsuccess = () => {
            const read = open.result.transaction("keyvaluepairs").objectStore("keyvaluepairs").get(key);
            read.onsuccess = () => done(!!read.result && read.result.raw.includes(words));
            read.onerror = () => done(false);
          };
          open.onerror = () => done(false);
        })""", [key, words]):
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"Decap kept no backup {key} with {words}")


@needs_decap
@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_work_left_unsaved_comes_back_when_the_clerk_accepts_the_backup(editor_address, browser, existing):
    """The clerk types into a notice, new or opened from the list, and closes the tab without saving; reopened the same
    way, Decap offers the backup it kept, and accepting it brings back every word typed (not the template, nor the file
    as saved)."""
    context = browser.new_context(viewport=VIEWPORT)
    asked = []
    context.on("page", lambda page: page.on("dialog", lambda dialog: asked.append(dialog.message)))

    saved = "关于临海市防空警报设施布局调整方案的公示"

    def open_it(login):  # from the list, as a clerk does
        page, _outside = _open(browser, editor_address, "notice", new=False, context=context, login=login)
        page.get_by_text(saved if existing else "＋ 公示公告").click()
        return page

    page = open_it(login=True)
    expect(page.get_by_label("标题", exact=True)).to_have_value(saved if existing else "", timeout=30_000)
    title, number, words = "关于人防警报试鸣的公告", "临人防〔2026〕9号", "人防警报试鸣安排如下。"
    page.get_by_label("标题", exact=True).fill(title)
    page.get_by_label(re.compile("^文号")).fill(number)
    page.locator("[contenteditable=true]").last.get_by_text("（待填写）" if not existing else "一、基本情况").first.click()
    page.keyboard.press("End")
    page.keyboard.insert_text(words)
    _backup_kept(page, "backup.notice" + (".2026/zhongda-2026-01" if existing else ""), words)
    page.close()

    page = open_it(login=False)
    expect(page.get_by_label("标题", exact=True)).to_have_value(title, timeout=30_000)
    assert asked == ["发现了一个对应此内容的本地备份，你要加载它吗？"]
    page.wait_for_timeout(3000)  # whatever else loads meanwhile (the entry, the list) leaves the restored form alone
    expect(page.get_by_label("标题", exact=True)).to_have_value(title)
    expect(page.get_by_label(re.compile("^文号"))).to_have_value(number)
    expect(page.locator("[contenteditable=true]").last).to_contain_text(words)


@needs_decap
@pytest.mark.parametrize("image", ["https://www.gov.cn/images/logo.png", "images/logo.png", "file:///C:/Users/a/image001.png"],
                         ids=["web", "relative", "word"])
def test_a_pasted_image_is_left_out_and_the_words_kept(editor, image):
    """Web content or Word text pasted into the rich-text body: its words are kept, its image left out with a word in
    Chinese on attachments, its script and handlers dropped; the editor goes on working."""
    page = editor
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("[contenteditable=true]").last.get_by_text("（待填写）").first.click(click_count=3)
    page.evaluate("""html => navigator.clipboard.write([new ClipboardItem({
      "text/html": new Blob([html], {type: "text/html"}), "text/plain": new Blob(["警报试鸣图片"], {type: "text/plain"})})])""",
                  f'<p><img src="{image}" onerror="window.hurt=1">警报试鸣<a href="javascript:window.hurt=1">图片</a></p>'
                  '<script>window.hurt=1</script>')
    page.keyboard.press("Control+V")
    expect(page.get_by_role("status").filter(has_text="图片请用“附件”上传")).to_be_visible()
    body = page.locator("[contenteditable=true]").last
    expect(body).to_contain_text("警报试鸣图片")
    assert body.locator("img").count() == 0 and page.evaluate("window.hurt") is None
    expect(page.get_by_text("程序发生了一个错误")).to_have_count(0)
    page.get_by_label("标题", exact=True).fill(TITLE)  # the form still answers
    expect(page.get_by_label("标题", exact=True)).to_have_value(TITLE)


@needs_decap
def test_publish_then_new_twice_makes_two_notices(editor, office_repo):
    """Numbers taken after the form was opened (here by `gongkai new notice` meanwhile) and 发布，然后新建内容 twice:
    each notice takes the next free numbers, none replaces another."""
    subprocess.run([sys.executable, "-m", "generator", "new", "notice", str(office_repo / OFFICE), "--title", "另一位同事的公示",
                    "--type", "重大事项公示", "--first-day", AS_OF.isoformat(), "--as-of", AS_OF.isoformat()],
                   check=True, capture_output=True, cwd=ROOT)
    page = editor
    notices = office_repo / OFFICE / "notices/2026"
    meanwhile = (notices / "zhongda-2026-02.md").read_text(encoding="utf-8")
    for title in (TITLE, "关于人防工程维护管理办法的公示"):
        _fill_minimal_notice(page, title)
        page.get_by_role("button", name="发布").first.click()
        page.get_by_text("发布，然后新建内容").click()
        # the page opens anew, its form empty
        page.wait_for_load_state("load")
        expect(page.get_by_label("标题", exact=True)).to_have_value("", timeout=30_000)
        expect(page.get_by_text("正在集合“公示公告”中编写")).to_be_visible(timeout=30_000)
    assert (notices / "zhongda-2026-02.md").read_text(encoding="utf-8") == meanwhile
    first, second = (notices / "zhongda-2026-03.md").read_text(encoding="utf-8"), (notices / "zhongda-2026-04.md").read_text(encoding="utf-8")
    assert f"title: {TITLE}" in first and "index_no: 11331082MB1947351Y/2026-00009" in first
    assert "title: 关于人防工程维护管理办法的公示" in second and "index_no: 11331082MB1947351Y/2026-00010" in second
    assert "id: zhongda-2026-04" in second
    # a new file starts as one from `gongkai new` does, with its $schema line
    assert first.startswith("---\n# yaml-language-server: $schema=../../../../../schemas/notice.schema.json\nid: zhongda-2026-03\n")
    _, findings = load_content(office_repo / OFFICE)
    assert [f for f in findings if f.severity == "error"] == []


@needs_decap
def test_creating_never_replaces_a_file(editor_address, office_repo):
    """Whatever the page sends, a new entry at a taken path is refused before anything (its upload too) is written."""
    token = _token(editor_address)
    existing = f"{OFFICE}/notices/2026/zhongda-2026-01.md"
    before = (office_repo / existing).read_bytes()
    status, answer = _call(editor_address, {"action": "persistEntry", "params": {
        "branch": "main", "dataFiles": [{"path": existing, "slug": "2026/zhongda-2026-01", "raw": "---\ntitle: 新\n---\n"}],
        "assets": [{"path": f"{OFFICE}/notices/2026/zhongda-2026-01/a.pdf", "content": "JVBERi0=", "encoding": "base64"}],
        "options": {"newEntry": True, "collectionName": "notice"}}}, token)
    assert status == 409 and "已经存在" in answer["error"] and "刷新页面" in answer["error"]
    assert (office_repo / existing).read_bytes() == before
    assert not (office_repo / OFFICE / "notices/2026/zhongda-2026-01/a.pdf").exists()


def _diff(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@needs_decap
def test_a_resave_changes_only_what_the_clerk_changed(office_repo, tmp_path, browser):
    """A notice from `gongkai new` (its $schema line, its comments, the computed 公示期) re-saved with a new title;
    an example notice re-saved with an optional field emptied: each file differs by exactly that."""
    subprocess.run([sys.executable, "-m", "generator", "new", "notice", str(office_repo / OFFICE), "--title", TITLE,
                    "--type", "重大事项公示", "--first-day", AS_OF.isoformat(), "--as-of", AS_OF.isoformat()],
                   check=True, capture_output=True, cwd=ROOT)
    made, example = office_repo / OFFICE / NEW_NOTICE, office_repo / OFFICE / "notices/2026/tongzhi-2026-01.md"
    before_made, before_example = made.read_text(encoding="utf-8"), example.read_text(encoding="utf-8")
    with _serve(office_repo, tmp_path) as address:
        page, _outside = _open(browser, address, "notice/entries/2026/zhongda-2026-02", new=False)
        page.get_by_label("标题", exact=True).fill("关于人防指挥所改造方案（修订）的公示")
        _publish(page)
        expect(page.get_by_text("内容已保存").first).to_be_visible(timeout=30_000)
        page, _outside = _open(browser, address, "notice/entries/2026/tongzhi-2026-01", new=False)
        page.get_by_label(re.compile("^示例说明")).fill("")  # an optional field: its label says （可选）
        _publish(page)
        expect(page.get_by_text("内容已保存").first).to_be_visible(timeout=30_000)
    assert _diff(before_made, made.read_text(encoding="utf-8")) == [
        f"-title: {TITLE}", "+title: 关于人防指挥所改造方案（修订）的公示"]
    assert _diff(before_example, example.read_text(encoding="utf-8")) == ["-illustrative: 试鸣时间和日期是示例。"]
    _, findings = load_content(office_repo / OFFICE)
    assert [f for f in findings if f.severity == "error"] == []


@needs_decap
def test_a_wrong_date_is_called_a_wrong_date(editor, office_repo):
    page = editor
    page.get_by_label("标题", exact=True).fill(TITLE)
    _fill_date(page, "成文日期", "2026-02-30")
    _fill_date(page, "发布日期", "2026/11/25")
    _publish(page)
    expect(page.get_by_text("“成文日期”的 2026-02-30 不是日历上的一天")).to_be_visible()
    expect(page.get_by_text("“发布日期”的日期格式不对：日期一律写成 2025-09-26")).to_be_visible()
    expect(page.get_by_text("“公示第一天”是必填项")).to_be_visible()  # left empty: that one is required
    assert not (office_repo / OFFICE / NEW_NOTICE).exists()
    _fill_date(page, "成文日期", "2026-11-24")
    _fill_date(page, "发布日期", AS_OF.isoformat())
    # the clerk's own day, from the button beside 公示第一天
    page.get_by_label("公示第一天", exact=True).locator("xpath=..").get_by_role("button", name="今天").click()
    _publish(page)
    expect(page.get_by_role("button", name="已发布")).to_be_visible(timeout=30_000)
    written = (office_repo / OFFICE / NEW_NOTICE).read_text(encoding="utf-8")
    assert "written: 2026-11-24\n" in written and f"published: {AS_OF.isoformat()}\n" in written  # dates, unquoted
    assert re.search(r"\nfirst_day: \d{4}-\d{2}-\d{2}\n", written)


@needs_decap
def test_a_broken_file_is_shown_in_chinese_and_the_rest_still_opens(office_repo, tmp_path, browser):
    """A file the validation refuses (here an emptied optional field) and one that is not even YAML: the page lists
    both in Chinese with file and line, and the editor opens; the first is fixed in the editor itself."""
    office = office_repo / OFFICE
    broken = office / "notices/2026/renshi-2026-01.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("topic: 人事\n", "topic: 人事\ncovers: \"\"\n"),
                      encoding="utf-8")
    unreadable = office / "notices/2025/tingzheng-2025-01.md"
    unreadable.write_text(unreadable.read_text(encoding="utf-8").replace("title: ", "title: [", 1), encoding="utf-8")
    with _serve(office_repo, tmp_path) as address:
        page, _outside = _open(browser, address, "notice", new=False)
        problems = page.locator("#gongkai-problems")
        expect(problems).to_contain_text("以下文件有错误")
        expect(problems).to_contain_text(f"{OFFICE}/notices/2026/renshi-2026-01.md:")
        expect(problems).to_contain_text("定期公开的信息属于哪一期")
        expect(problems).to_contain_text(f"{OFFICE}/notices/2025/tingzheng-2025-01.md:")
        expect(page.get_by_text("综合科科长拟任人选公示")).to_be_visible(timeout=30_000)  # the list still opens
        page.get_by_text("综合科科长拟任人选公示").click()
        expect(page.get_by_label("标题", exact=True)).to_have_value("综合科科长拟任人选公示", timeout=30_000)
        page.get_by_label(re.compile("^所属期间")).fill("2026-Q2")  # as the message says: which period it belongs to
        _publish(page)
        expect(page.get_by_text("内容已保存").first).to_be_visible(timeout=30_000)
        page.reload()
        expect(page.locator("#gongkai-problems")).not_to_contain_text("renshi-2026-01.md")
        expect(page.locator("#gongkai-problems")).to_contain_text("tingzheng-2025-01.md")
    assert "topic: 人事\ncovers: 2026-Q2\n" in broken.read_text(encoding="utf-8")


@needs_decap
def test_a_notice_the_build_would_not_publish_is_named_on_the_editor_page(office_repo, tmp_path, browser):
    """A save here only writes the folder, whatever Decap's 发布 says: a notice the build of the day withholds (here
    its approval deleted) is listed on the page in Chinese, with why and what to do, until a save fixes it."""
    notice = office_repo / OFFICE / "notices/2026/zhongda-2026-01.md"
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text.replace(text[text.index("approvals:\n"):text.index("feedback:\n")], ""), encoding="utf-8")
    with _serve(office_repo, tmp_path) as address:
        page, _outside = _open(browser, address, "notice", new=False)
        withheld = page.locator("#gongkai-withheld")
        expect(withheld).to_contain_text("本次有 1 份文件未发布")
        expect(withheld).to_contain_text(f"{OFFICE}/notices/2026/zhongda-2026-01.md:")
        expect(withheld).to_contain_text("未发布：重大事项公示公开前必须有审批记录 — 添加 approvals：写明主任办公会的审批和日期")  # the rule's advice
        expect(withheld).to_contain_text("改正后的下一次构建即发布")
        title = "关于临海市防空警报设施布局调整方案的公示"
        page.get_by_text(title).click()  # the editor works as ever: the clerk records the approval in the form
        expect(page.get_by_label("标题", exact=True)).to_have_value(title, timeout=30_000)
        page.get_by_role("button", name="新增审批记录").click()
        page.get_by_label("审批人或会议", exact=True).fill("主任办公会")
        _fill_date(page, "审批日期", "2026-11-18")
        _publish(page)
        expect(page.get_by_text("内容已保存").first).to_be_visible(timeout=30_000)
        expect(page.locator("#gongkai-withheld")).to_have_count(0)  # at once, without reloading the page
    assert "approvals:\n  - by: 主任办公会\n    date: 2026-11-18\n" in notice.read_text(encoding="utf-8")


@needs_decap
def test_a_fee_is_changed_and_a_request_recorded_through_the_form(editor_address, office_repo, browser):
    """Fees and registers stay CSV files; the editor shows them as forms: a changed amount changes that cell alone, a
    recorded 依申请公开 request is one more row, and no clerk opens a CSV file."""
    fees, requests = office_repo / OFFICE / "fees.csv", office_repo / OFFICE / "registers/requests.csv"
    before_fees, before_requests = fees.read_text(encoding="utf-8"), requests.read_text(encoding="utf-8")
    page, _outside = _open(browser, editor_address, "tables/entries/fee", new=False)
    # the row, folded under its id and name, opens by its arrow
    page.get_by_text(re.compile("^yidi-jianshe-yi　")).locator("xpath=..").get_by_role("button").first.click()
    page.get_by_label("收费标准", exact=True).first.fill("1600")
    _publish(page)
    expect(page.get_by_text("内容已保存").first).to_be_visible(timeout=30_000)
    assert _diff(before_fees, fees.read_text(encoding="utf-8")) == [
        "-" + before_fees.splitlines()[1], "+" + before_fees.splitlines()[1].replace(",1500,", ",1600,")]

    page, _outside = _open(browser, editor_address, "tables/entries/request", new=False)
    page.get_by_role("button", name="新增一行").click()
    page.get_by_label("申请编号", exact=True).last.fill("2026-001")
    page.get_by_label("收到日期", exact=True).last.fill("2026-11-20")
    _choose(page, "申请人情况", "商业企业")
    _publish(page)
    expect(page.get_by_text("内容已保存").first).to_be_visible(timeout=30_000)
    assert _diff(before_requests, requests.read_text(encoding="utf-8")) == ["+2026-001,2026-11-20,商业企业,,,,false"]
    _, findings = load_content(office_repo / OFFICE)
    assert [f for f in findings if f.severity == "error"] == []
    assert sum(1 for r in load_content(office_repo / OFFICE)[0].of("request") if r.id == "2026-001") == 1


class FakeForge(FakeApi):
    """Exactly the Gitea/Forgejo API v1 calls the editor makes: a file on the base branch, one commit onto a new
    branch (ChangeFiles), a pull request. Its base branch is the clone's working tree; every call is recorded."""
    repo: Path
    calls: list

    def do_GET(self) -> None:
        address = urllib.parse.urlsplit(self.path)
        prefix = "/api/v1/repos/rfb/gongkai/contents/"
        self.calls.append(("GET", address.path, None, self.headers.get("Authorization")))
        path = self.repo / urllib.parse.unquote(address.path[len(prefix):])
        if not address.path.startswith(prefix) or urllib.parse.parse_qs(address.query).get("ref") != ["main"]:
            self._answer(400, {"message": "unexpected call"})
        elif not path.is_file():
            self._answer(404, {"message": "not found"})
        else:
            data = path.read_bytes()
            self._answer(200, {"content": base64.b64encode(data).decode(), "encoding": "base64",
                               "sha": hashlib.sha1(data).hexdigest()})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls.append(("POST", self.path, body, self.headers.get("Authorization")))
        if self.path == "/api/v1/repos/rfb/gongkai/contents":
            self._answer(201, {"commit": {"sha": "c0ffee"}})
        elif self.path == "/api/v1/repos/rfb/gongkai/pulls":
            self._answer(201, {"number": 7, "html_url": "http://forge.example/rfb/gongkai/pulls/7"})
        else:
            self._answer(404, {"message": "unexpected call"})


@needs_decap
def test_on_gitea_a_save_is_a_branch_and_a_pull_request(office_repo, tmp_path, browser):
    """Hosted on Gitea/Forgejo: publishing a notice through the form makes a branch off main with the notice and a pull
    request from it to main; nothing is committed to main, nothing written into the clone."""
    calls = []
    forge_server = QuietServer(("127.0.0.1", 0), type("Forge", (FakeForge,), {"repo": office_repo, "calls": calls}))
    threading.Thread(target=forge_server.serve_forever, daemon=True).start()
    forge = Forge(f"http://127.0.0.1:{forge_server.server_address[1]}", "rfb/gongkai", "clerk-token")
    try:
        with _serve(office_repo, tmp_path, forge) as address:
            page, _outside = _open(browser, address)
            expect(page.get_by_text("正在集合“公示公告”中编写")).to_be_visible(timeout=30_000)
            _fill_minimal_notice(page, TITLE)
            page.get_by_role("button", name="发布").first.click()
            page.get_by_text("发布，然后新建内容").click()
            page.wait_for_load_state("load")
            expect(page.get_by_label("标题", exact=True)).to_have_value("", timeout=30_000)
            # the clone has not the first one yet: the second still takes the next numbers, in a pull request of its own
            _fill_minimal_notice(page, "关于人防工程维护管理办法的公示")
            _publish(page)
            expect(page.get_by_role("button", name="已发布")).to_be_visible(timeout=30_000)
    finally:
        forge_server.shutdown()
        forge_server.server_close()
    posts = [(path, body) for method, path, body, _auth in calls if method == "POST"]
    assert [path for path, _body in posts] == ["/api/v1/repos/rfb/gongkai/contents", "/api/v1/repos/rfb/gongkai/pulls"] * 2
    second = posts[2][1]
    assert second["new_branch"] != posts[0][1]["new_branch"] and posts[3][1]["head"] == second["new_branch"]
    assert [f["path"] for f in second["files"]] == [f"{OFFICE}/notices/2026/zhongda-2026-03.md"]
    assert "index_no: 11331082MB1947351Y/2026-00009" in base64.b64decode(second["files"][0]["content"]).decode("utf-8")
    commit, pull = posts[0][1], posts[1][1]
    assert commit["branch"] == "main" and commit["new_branch"].startswith("wangye-bianji/")  # a branch of its own
    assert [(f["operation"], f["path"]) for f in commit["files"]] == [("create", f"{OFFICE}/{NEW_NOTICE}")]
    text = base64.b64decode(commit["files"][0]["content"]).decode("utf-8")
    assert text.startswith("---\n# yaml-language-server: $schema=") and f"title: {TITLE}" in text
    assert pull["base"] == "main" and pull["head"] == commit["new_branch"]
    assert all(auth == "token clerk-token" for *_rest, auth in calls)
    assert not (office_repo / OFFICE / NEW_NOTICE).exists()  # the clone is left as it was


def test_gongkai_editor_says_where_saves_go_on_gitea(office_repo):
    """county.yaml names a Gitea/Forgejo repository (every office's): with the clerk's token the command says saves
    become pull requests there; without one it says how to get there, and saves go into the clone."""
    county_yaml = office_repo / "content/county.yaml"
    county_yaml.write_text(county_yaml.read_text(encoding="utf-8") + "editor:\n  backend: gitea\n  repo: linhai/gongkai\n"
                           "  base_url: https://git.example.gov.cn\n  app_id: abc\n", encoding="utf-8")
    command = [sys.executable, "-m", "generator", "--lang", "zh", "editor", str(office_repo / OFFICE), "--port", "0",
               "--as-of", AS_OF.isoformat()]
    for token, expected in (("clerk-token", "每次保存都在 https://git.example.gov.cn 上成为一个分支和一个 pull request"),
                            ("", "GONGKAI_FORGE_TOKEN")):
        cli = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                               env={**os.environ, "GONGKAI_FORGE_TOKEN": token})
        try:
            if token:
                assert "http://127.0.0.1:" in cli.stdout.readline()
                assert expected in cli.stdout.readline()
            else:
                assert expected in cli.stderr.readline()
        finally:
            cli.send_signal(signal.SIGTERM)
            cli.wait(timeout=30)
