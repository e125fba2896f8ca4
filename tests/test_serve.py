"""`gongkai serve`: the preview rebuilds when a content file changes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import SERVICE
from generator import i18n
from test_i18n import english_words


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    """The preview follows an edit; what it prints, the engine's lines included, is Chinese (the default language)."""
    root = office()
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
