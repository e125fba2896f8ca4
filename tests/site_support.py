"""Shared fixtures for the website tests: one build of the example office, served over HTTP, and Chromium."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import posixpath
import re
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import sync_playwright

from generator.publish.build import build
from generator.tools.editor_server import QuietServer

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 25)  # zhongda-2026-01 is open (2026-11-20 to 2026-12-03); all else has ended
CHROMIUM = "/usr/bin/chromium"
# axe with WCAG 2.2's target size (2.5.8, at least 24 × 24 CSS px) on: axe-core leaves that rule off by default.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def chromium():
    """Debian's Chromium, driven through Playwright (its own download does not work here), for a with block."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def broken_links(site: Path, address: str) -> list[str]:
    """Every href and src of the site's pages that leads to no file of it (`address`: the site's own, whose full
    links count as internal): "page: link"."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        for href in re.findall(r'(?:href|src)="([^"]*)"', page.read_text(encoding="utf-8")):
            link = urlsplit(href.replace("&amp;", "&"))
            if link.scheme or link.netloc or not link.path:
                if not href.startswith(address):
                    continue
                link = urlsplit(href[len(address) - 1:])
            path = posixpath.normpath(posixpath.join(posixpath.dirname("/" + rel), unquote(link.path)))
            target = site / path.lstrip("/")
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{rel}: {href}")
    return broken


def build_example(out: Path, engine: str = "mkdocs") -> Path:
    findings = build(ROOT / "content/offices/rfb", out, AS_OF, engine)
    assert [f for f in findings if f.severity == "error"] == []
    return out


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def send_error(self, code, message=None, explain=None) -> None:
        """A missing page gets the site's own 404.html, as GitHub Pages and most web servers are set up to do; under
        an office's folder of the county portal, that office's (README: `error_page` prefixed with /rfb)."""
        folder = Path(self.directory) / self.path.lstrip("/").split("/")[0]
        page = folder / "404.html" if self.path.count("/") > 1 and (folder / "404.html").exists() else \
            Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class FakeApi(BaseHTTPRequestHandler):
    """A stand-in for a forge's REST API on 127.0.0.1 (a subclass has its calls): it answers in JSON, logs nothing."""

    def log_message(self, *args) -> None:
        pass

    def _answer(self, status: int, value) -> None:
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(folder: Path):
    """Serve a folder on a free loopback port; returns (base URL, server)."""
    server = QuietServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server



NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_CONF = ROOT / "deploy/nginx/gongkai.conf"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_configuration(folder: Path, root: Path, port: int) -> Path:
    """What Debian's nginx.conf gives the file (mime.types and a default type inside `http`), the file beside it,
    and this test's port and web root in its `listen` and `root` lines."""
    shutil.copy("/etc/nginx/mime.types", folder / "mime.types")
    text = NGINX_CONF.read_text(encoding="utf-8")
    assert text.count("    listen 80;\n") == 1 and text.count("    root /var/www/gongkai;") == 1
    text = text.replace("    listen 80;\n", f"    listen 127.0.0.1:{port};\n")
    (folder / "gongkai.conf").write_text(text.replace("root /var/www/gongkai;", f'root "{root}";'), encoding="utf-8")
    (folder / "nginx.conf").write_text(f"""pid {folder}/nginx.pid;
master_process off;
error_log {folder}/error.log;
events {{}}
http {{
    include mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include gongkai.conf;
}}
""", encoding="utf-8")
    return folder / "nginx.conf"


def start_nginx(root: Path, folder: Path) -> tuple[str, subprocess.Popen]:
    """nginx serving the web root `root` with deploy/nginx/gongkai.conf as shipped, its files in `folder`; returns
    its base URL (no trailing slash) and its process, which the caller ends."""
    port = free_port()
    return run_nginx(nginx_configuration(folder, root, port), folder, port)


def run_nginx(configuration: Path, folder: Path, port: int, *directives: str) -> tuple[str, subprocess.Popen]:
    """nginx in the foreground with `configuration` (and global `directives`), once it listens on `port`."""
    process = subprocess.Popen([NGINX, "-e", "stderr", "-p", str(folder), "-c", str(configuration),
                                "-g", " ".join(("daemon off;", *directives))], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return f"http://127.0.0.1:{port}", process
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.05)
    process.kill()
    raise AssertionError("nginx did not start")


@contextlib.contextmanager
def nginx(root: Path, folder: Path):
    """start_nginx for the length of a with block; yields the base URL with its trailing slash."""
    base, process = start_nginx(root, folder)
    try:
        yield base + "/"
    finally:
        process.terminate()
        process.wait(timeout=10)
