"""The editor's local mode: decap-server writes into the clerk's own clone, and one address serves both.

The editor page and its requests to decap-server share one origin (http://127.0.0.1:PORT), so the
same admin/ that the published site carries works here unchanged: admin/index.html points the local
mode at the page's own /api/v1, which this server hands on to decap-server on a loopback port.
"""

from __future__ import annotations

import errno
import functools
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from .editor import DECAP_DIST, DECAP_SERVER, LOCAL_API
from .i18n import _


class EditorServerError(Exception):
    """The local editor cannot start; the message says what to do."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require_decap() -> str:
    """Node.js, and Decap CMS with its local server as `make editor` installs them; returns the node program."""
    node = shutil.which("node")
    if node is None or not DECAP_SERVER.exists() or not DECAP_DIST.exists():
        raise EditorServerError(_("the form editor's local server is not installed — run `make editor` (it needs Node.js)"))
    return node


def start_decap_server(repository: Path) -> tuple[subprocess.Popen, int]:
    """decap-server in file mode: entries are written into the working tree, to be committed as usual."""
    node = require_decap()
    port = free_port()
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs", "LOG_LEVEL": "warn",
           "GIT_REPO_DIRECTORY": str(repository)}
    process = subprocess.Popen([node, str(DECAP_SERVER)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EditorServerError(_("the form editor's local server stopped: {detail} — run it again; if it persists, "
                                      "send this message to your technician")
                                    .format(detail=process.stderr.read().decode(errors="replace").strip()))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise EditorServerError(_("the form editor's local server did not start within 30 seconds — run it again; if it "
                              "persists, send this message to your technician"))


class _Handler(SimpleHTTPRequestHandler):
    api_port = 0
    fresh_page: Callable[[], bytes] | None = None

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        # The editor's defaults (the next id and index number) are worked out from the files as they are now, so a
        # clerk who saved one notice and reloads the page starts the next one at the next number, not the same one.
        if self.fresh_page is None or self.path.split("?")[0] not in ("/admin/", "/admin/index.html"):
            super().do_GET()
            return
        page = self.fresh_page()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def do_POST(self) -> None:
        if self.path.split("?")[0] != LOCAL_API:
            self.send_error(404)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        request = urllib.request.Request(f"http://127.0.0.1:{self.api_port}{LOCAL_API}", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                status, data = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, data = error.code, error.read()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def editor_server(folder: Path, api_port: int, port: int,
                  fresh_page: Callable[[], bytes] | None = None) -> ThreadingHTTPServer:
    """Serve the folder holding admin/ and pass the editor's local-mode requests to decap-server.

    `fresh_page`, when given, writes admin/index.html anew for every visit (its defaults follow the files)."""
    handler = type("EditorHandler", (_Handler,), {"api_port": api_port,
                                                   "fresh_page": staticmethod(fresh_page) if fresh_page else None})
    try:
        return ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(folder)))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise EditorServerError(port_in_use(port)) from None
        raise


def port_in_use(port: int) -> str:
    return _("port {port} is already in use (perhaps the editor or the preview is already running) — close that "
             "window, or choose another port, e.g. --port {other}").format(port=port, other=port + 1)


def check_port_free(port: int) -> None:
    """Say in the clerk's words that the port is taken, before a server fails on it with a traceback."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise EditorServerError(port_in_use(port)) from None
            raise
