"""Shared fixtures for the website tests: one build of the example office, served over HTTP, and Chromium."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 25)  # zhongda-2026-01 is open (2026-11-20 to 2026-12-03); all else has ended
CHROMIUM = "/usr/bin/chromium"
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
