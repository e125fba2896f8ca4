"""The form editor (网页编辑): Decap CMS in a real Chromium, in local mode against a copy of the example office."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from weasyprint import HTML

from generator.build import build
from generator.editor import DECAP_DIST, editor_config
from generator.editor_server import editor_server, start_decap_server
from generator.types import all_types
from generator.validate import load_content
from site_support import AS_OF, CHROMIUM, CHROMIUM_ARGS, ROOT

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
    assert notice["first_day"]["widget"] == "datetime" and notice["first_day"]["format"] == "YYYY-MM-DD"
    assert notice["hearing"]["fields"][0]["required"] is False  # an optional object cannot demand its parts


def test_a_new_notice_starts_like_gongkai_new_notice():
    content, _ = load_content(ROOT / "content/offices/rfb")
    notice = {f["name"]: f for f in editor_config(content, "content", AS_OF)["collections"][0]["fields"]}
    assert notice["index_no"]["default"] == "11331082MB1947351Y/2026-00008"  # the next one after the example's
    assert notice["id"]["default"] == "zhongda-2026-02"
    assert notice["period"]["default"] == {"working_days": 10}
    assert [line[3:] for line in notice["body"]["default"].splitlines() if line.startswith("## ")] == PARTS
    assert "国务院节假日安排" in notice["period"]["hint"]  # the editor cannot compute the end; it says where to see it


def test_hosted_backends():
    """GitHub: each entry its own branch and pull request. Gitea/Forgejo: Decap has no editorial workflow there."""
    content, _ = load_content(ROOT / "content/offices/rfb")
    content.office.data["editor"] = {"backend": "github", "repo": "linhai-rfb/gongkai"}
    config = editor_config(content, "content", AS_OF)
    assert config["backend"] == {"name": "github", "repo": "linhai-rfb/gongkai", "branch": "main"}
    assert config["publish_mode"] == "editorial_workflow"
    content.office.data["editor"] = {"backend": "gitea", "repo": "rfb/gongkai", "branch": "wangye-bianji",
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


@pytest.fixture
def editor(office_repo, tmp_path):
    """The editor served from the built example site, in local mode against the copy of the office."""
    site = tmp_path / "site"
    assert [f for f in build(office_repo / OFFICE, site, AS_OF, search=False, editor_folder=OFFICE)
            if f.severity == "error"] == []
    process, api_port = start_decap_server(office_repo)
    server = editor_server(site, api_port, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("dialog", lambda dialog: dialog.accept())
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/admin/#/collections/notice/new")
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_text("正在集合“公示公告”中编写")).to_be_visible(timeout=30_000)
        yield page
        assert outside == []  # nothing from a CDN: offices run on intranets
        browser.close()
    server.shutdown()
    process.terminate()
    process.wait()


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
    budget = tmp_path / "gaizao-fangan.pdf"
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
    assert (office_repo / OFFICE / "notices/2026/zhongda-2026-02/gaizao-fangan.pdf").read_bytes() == budget.read_bytes()
    assert "file: zhongda-2026-02/gaizao-fangan.pdf" in written
    assert '<a href="gaizao-fangan.pdf">改造方案概算</a>（PDF' in page_html
    assert (site / "notices/2026/zhongda-2026-02/gaizao-fangan.pdf").exists()


@needs_decap
def test_the_editor_refuses_a_notice_without_its_title_in_chinese(editor, office_repo):
    page = editor
    for label in ("成文日期", "发布日期", "公示第一天"):
        _fill_date(page, label, AS_OF.isoformat())
    _publish(page)
    expect(page.get_by_text("“标题”是必填项")).to_be_visible()
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
        info = urllib.request.Request(address.replace("/admin/", "/api/v1"), data=b'{"action": "info"}',
                                      headers={"Content-Type": "application/json"})
        assert json.loads(urllib.request.urlopen(info, timeout=10).read())["repo"] == "repo"  # the clone's folder
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(cli.pid)], capture_output=True, text=True).stdout.split()
        assert children  # decap-server
    finally:
        cli.send_signal(stop)
        cli.wait(timeout=30)
    assert all(not Path(f"/proc/{pid}").exists() for pid in children)


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
