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
    findings = build(ROOT / "content", out, AS_OF, engine)
    assert [f for f in findings if f.severity == "error"] == []
    return out


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(folder: Path):
    """Serve a folder on a free loopback port; returns (base URL, server)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server
