"""`gongkai serve`: the preview rebuilds when a content file changes, and shows only what the build would publish."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from conftest import INSPECTIONS, NOTICE, SERVICE, write_tree
from generator import i18n
from site_support import free_port
from test_i18n import english_words
from test_publication import APPROVED, APPROVED_ITEM, RULES, notice


def fetch(url: str, want: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            text = urllib.request.urlopen(url, timeout=2).read().decode("utf-8")
            if want in text:
                return text
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{want!r} never appeared at {url}")


def test_preview_rebuilds_when_content_changes_and_speaks_chinese(office, tmp_path):
    """The preview follows an edit; what it prints, the engine's lines included, is Chinese (the default language),
    a notice's link written from the site's root among them."""
    root = office({"notices/2025/gonggao-1.md": NOTICE.replace("公告正文。", "办法见[测试审批](/services/shenpi/)。")})
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != i18n.ENV}
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(root), "--as-of", "2025-10-01",
                                "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env, start_new_session=True)  # its own group, as a terminal gives it
    try:
        url = f"http://127.0.0.1:{port}/services/shenpi/"
        fetch(url, "测试审批")
        (root / "services/shenpi.yaml").write_text(SERVICE.replace("title: 测试审批", "title: 改过的审批"), encoding="utf-8")
        fetch(url, "改过的审批")
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl+C reaches gongkai and the server it started
        output = process.communicate(timeout=10)[0]
    assert f"预览网址：http://127.0.0.1:{port}/" in output and "有文件改动了" in output and "正在停止预览" in output
    assert f"正在关注内容文件夹里的改动：{root}" in output and "build/" not in output  # the engine's own files are not the clerk's
    assert not english_words(output), output


def test_preview_of_a_folder_with_a_space_in_its_path_and_stopping_gongkai_stops_the_server(office, tmp_path):
    """The server is gongkai's child (Windows has no real exec: a path with a space split in two there)."""
    root = office()
    spaced = root.rename(tmp_path / "政务 公开")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(spaced), "--as-of", "2025-10-01",
                                "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        fetch(f"http://127.0.0.1:{port}/services/shenpi/", "测试审批")
    finally:
        process.terminate()
        process.wait(timeout=20)
    with socket.socket() as sock:  # nothing listens on the port any more: the server stopped with gongkai
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # connections closing (TIME_WAIT) do not count
        sock.bind(("127.0.0.1", port))


# -- the preview publishes what the build would: what a rule withholds is on no page, list or feed -----------------

AS_OF = "2025-11-25"
ORDINARY = "按时发布的公告"
WITHHELD = {  # title: (file, text)
    "下月才发布的公告": ("notices/2025/weilai.md", notice("weilai", "下月才发布的公告", "2025-12-10")),
    "未经审批的公告": ("notices/2025/weipi.md", notice("weipi", "未经审批的公告", "2025-11-20", item="zhongyao")),
    "链接失效的公告": ("notices/2025/silian.md",
                notice("silian", "链接失效的公告", "2025-11-20", body="详见[另一份公告](/notices/2025/meiyou/)。")),
    "跳过党内的任前公示": ("notices/2025/renmian.md",
                  notice("renmian", "跳过党内的任前公示", "2025-11-20", notice_type="人事公示", approvals=APPROVED)),
}


@contextlib.contextmanager
def preview(root, cwd, output: list[str]):
    """`gongkai serve` on root as of AS_OF, yielding its address once it shows the ordinary notice; on the way out
    it is stopped with Ctrl+C and what it printed is appended to `output`."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(root), "--as-of", AS_OF,
                                "--port", str(port)], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    try:
        fetch(f"http://127.0.0.1:{port}/notices/2025/anshi/", ORDINARY, seconds=60)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        output.append(process.communicate(timeout=20)[0])


def network_address() -> str | None:
    """This machine's address on its network (no packet is sent), or None on a machine without one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("10.255.255.255", 1))
        except OSError:
            return None
        address = sock.getsockname()[0]
    return None if address.startswith("127.") else address


def status(url: str) -> int:
    try:
        return urllib.request.urlopen(url, timeout=5).status
    except urllib.error.HTTPError as error:
        return error.code


def until(check, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the preview never changed"
        time.sleep(0.3)


def page_text(browser, url: str) -> tuple[int, str]:
    """The page's status and text, without the preview's panel of withheld documents."""
    return page_and_panel(browser, url)[:2]


def page_and_panel(browser, url: str) -> tuple[int, str, str]:
    """The page's status, its text without the preview's panel, and the panel's text once shown ("" if none)."""
    page = browser.new_page()
    try:
        response = page.goto(url)
        panel = page.locator("#gk-preview-withheld")
        page.wait_for_selector("#gk-preview-withheld[data-read]", state="attached")
        text = panel.inner_text() if panel.is_visible() else ""
        panel.evaluate_all("panels => panels.forEach(panel => panel.remove())")
        return response.status, page.inner_text("body"), text
    finally:
        page.close()


def test_the_preview_shows_only_what_the_site_publishes_and_names_each_withheld_document(office, tmp_path, browser):
    root = office({"catalog.yaml": APPROVED_ITEM, "rules.yaml": RULES,
                   "notices/2025/anshi.md": notice("anshi", ORDINARY, "2025-11-20")} | dict(WITHHELD.values()))
    output = []
    with preview(root, tmp_path, output) as address:
        for path in ("", "notices/"):  # the home page's latest items and the notices' list: the rest is shown
            shown, text = page_text(browser, address + path)
            assert shown == 200 and ORDINARY in text, path
            assert not [title for title in WITHHELD if title in text], path
        for title, (file, _text) in WITHHELD.items():
            page = "notices/2025/" + file.rsplit("/", 1)[1].removesuffix(".md") + "/"
            shown, text, panel = page_and_panel(browser, address + page)
            assert shown == 404 and title not in text, page
            # where the clerk looks for it, the preview says why it is not there, as the terminal does
            assert "4 document(s) not published this time" in panel and f"{root}/{file}:" in panel, panel
        panel = page_and_panel(browser, address)[2]
        assert panel.startswith("Shown in this preview only: 4 document(s)") and "the daily build of 2025年12月10日 publishes it" in panel
        if network_address():  # the preview is for this computer alone: nothing answers on its network address
            with socket.socket() as probe:
                probe.settimeout(5)
                assert probe.connect_ex((network_address(), int(address.rsplit(":", 1)[1].strip("/")))) != 0
        for feed in ("feed.xml", "sitemap.xml"):
            text = urllib.request.urlopen(address + feed, timeout=5).read().decode("utf-8")
            assert not [name for name in ("weilai", "weipi", "silian", "renmian", *WITHHELD) if name in text], feed
    printed = output[0]
    assert "4 document(s) not published this time (everything else is):" in printed, printed
    for file, _text in WITHHELD.values():
        assert f"{root}/{file}:" in printed and "not published:" in printed.split(f"{root}/{file}:", 1)[1], file
    assert "the daily build of 2025年12月10日 publishes it" in printed
    assert "add approvals:" in printed and "the first build after the fix publishes it" in printed  # the rule's advice


def test_a_notice_withheld_by_an_edit_leaves_the_running_preview_and_returns_with_the_fix(office, tmp_path, browser):
    approved = notice("weipi", "审批过的公告", "2025-11-20", item="zhongyao", approvals=APPROVED)
    root = office({"catalog.yaml": APPROVED_ITEM, "notices/2025/anshi.md": notice("anshi", ORDINARY, "2025-11-20"),
                   "notices/2025/weipi.md": approved})
    output = []
    with preview(root, tmp_path, output) as address:
        assert "审批过的公告" in page_text(browser, address + "notices/")[1]
        assert page_and_panel(browser, address + "services/shenpi/")[2] == ""  # nothing withheld, no panel
        write_tree(root, {"notices/2025/weipi.md": approved.replace(APPROVED, "")})  # its approval deleted
        until(lambda: status(address + "notices/2025/weipi/") == 404)
        until(lambda: "审批过的公告" not in page_text(browser, address + "notices/")[1])
        assert ORDINARY in page_text(browser, address + "notices/")[1]
        # a page the rebuild left as it was lists it too
        assert "notices/2025/weipi.md:4: not published" in page_and_panel(browser, address + "services/shenpi/")[2]
        write_tree(root, {"notices/2025/weipi.md": approved})
        until(lambda: "审批过的公告" in page_text(browser, address + "notices/2025/weipi/")[1])
        assert page_and_panel(browser, address + "services/shenpi/")[2] == ""
    assert "1 document(s) not published this time" in output[0], output[0]
    assert "notices/2025/weipi.md:4: not published: a 通知公告 needs a recorded approval" in output[0]


# -- content the preview cannot show: every problem at once, and said as such in the terminal and on the page ------

GBK_REGISTER = INSPECTIONS.replace("无问题", "无问题，已整改").encode("gbk")  # saved by Excel on a Chinese Windows
MOBILE = "联系人手机13905761234。"
WITH_MOBILE = notice("shouji", "留了手机号的公告", "2025-11-20", body=MOBILE)
REFUSED = "the preview was not updated: fix these problems first"


def test_a_preview_that_cannot_start_lists_every_problem_and_says_it_did_not_start(office, tmp_path):
    """A format error (validation) hides no error of the safety rules, as in `gongkai check`."""
    root = office({"notices/2025/shouji.md": WITH_MOBILE})
    (root / "registers/inspections.csv").write_bytes(GBK_REGISTER)
    started = subprocess.run([sys.executable, "-m", "generator", "serve", str(root), "--as-of", AS_OF,
                              "--port", str(free_port())], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert started.returncode == 1
    assert f"{root}/registers/inspections.csv:2:" in started.stdout, started.stdout
    assert f"{root}/notices/2025/shouji.md:20:" in started.stdout, started.stdout
    assert "2 error(s)" in started.stdout
    assert f"the preview did not start: fix the problems above, then run gongkai serve {root} again" in started.stderr


def test_an_edit_the_preview_cannot_show_is_said_in_the_terminal_and_on_the_page_with_every_problem(
        office, tmp_path, browser):
    """The last good pages stay, and nothing says they were updated: the terminal and the panel at the foot of the
    page say the preview was not updated and list every problem of every file at once; the fix shows the edit."""
    root = office({"notices/2025/anshi.md": notice("anshi", ORDINARY, "2025-11-20")})
    output = []
    with preview(root, tmp_path, output) as address:
        (root / "registers/inspections.csv").write_bytes(GBK_REGISTER)
        write_tree(root, {"notices/2025/shouji.md": WITH_MOBILE})
        until(lambda: "shouji.md" in page_and_panel(browser, address + "notices/")[2])
        text, panel = page_and_panel(browser, address + "notices/")[1:]
        assert panel.startswith(REFUSED), panel
        assert f"{root}/registers/inspections.csv:2:" in panel and f"{root}/notices/2025/shouji.md:20:" in panel, panel
        assert ORDINARY in text and "留了手机号的公告" not in text
        write_tree(root, {"notices/2025/shouji.md": WITH_MOBILE.replace(MOBILE, "公告正文。"),
                          "registers/inspections.csv": INSPECTIONS})
        until(lambda: "留了手机号的公告" in page_text(browser, address + "notices/")[1])
        until(lambda: page_and_panel(browser, address + "notices/")[2] == "")  # the panel is written last
    rebuilds = output[0].split("building the preview…")
    refused = [rebuild for rebuild in rebuilds if REFUSED in rebuild]
    assert refused and f"{root}/notices/2025/shouji.md:20:" in refused[-1], output[0]
    assert f"{root}/registers/inspections.csv:2:" in refused[-1], output[0]
    for rebuild in refused:  # the browser reloads to show the problems, but its page is not the edit's
        assert "showing the new pages" not in rebuild and "preview built in" not in rebuild, rebuild
        assert "the pages in the browser have not changed" in rebuild, rebuild
    assert "showing the new pages in the browser" in output[0].rsplit(REFUSED, 1)[1]  # the fix's
