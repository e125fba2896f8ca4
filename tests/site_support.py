"""Shared fixtures for the website tests: one build of the example office, served over HTTP, and Chromium."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import socket
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 25)  # zhongda-2026-01 is open (2026-11-20 to 2026-12-03); all else has ended
CHROMIUM = "/usr/bin/chromium"
# axe with WCAG 2.2's target size (2.5.8, at least 24 × 24 CSS px) on: axe-core leaves that rule off by default.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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


def serve(folder: Path):
    """Serve a folder on a free loopback port; returns (base URL, server)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@contextlib.contextmanager
def nginx(folder: Path, work: Path):
    """Serve a folder with nginx on a free loopback port as README's server block does (gzip, the site's own 404,
    revalidated caching); yields the base URL. `work` holds its configuration, logs and temporary files."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    work.mkdir(parents=True, exist_ok=True)
    temp = " ".join(f"{kind}_temp_path {work};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # Started as root, nginx's workers would run as nobody, who cannot read a test's temporary folder.
    user = "user root; " if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(f"""{user}daemon off; pid {work}/nginx.pid; error_log {work}/error.log; worker_processes 1;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types; access_log off; {temp}
  server {{
    listen 127.0.0.1:{port}; root {folder.resolve()}; charset utf-8; error_page 404 /404.html;
    gzip on; gzip_types text/css application/javascript application/json application/xml application/rss+xml image/svg+xml;
    location / {{ try_files $uri $uri/ =404; add_header Cache-Control "no-cache"; }}
  }}
}}
""", encoding="utf-8")
    process = subprocess.Popen(["/usr/sbin/nginx", "-c", str(work / "nginx.conf"), "-p", str(work)])
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.1):
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait()
