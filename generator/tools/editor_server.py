"""The editor's local mode: the form editor's page and the files it reads and writes, on this computer only.

Decap CMS's local mode talks to a small server (the protocol of decap-server, `POST /api/v1` with an
`action`). decap-server itself answers any page of any site, writes anywhere in the clone (`.git/config`
too) and, behind another Host name (DNS rebinding), lets a foreign page read what it answers. This server
speaks the same protocol, and answers only the editor's own page:
- it listens on 127.0.0.1 only, and answers only requests addressed to 127.0.0.1 or localhost at its port
  (a rebinding name is refused);
- an API call must come from the page's own origin (`Origin`, and `Sec-Fetch-Site` where the browser sends it),
  be JSON (a foreign page cannot send that without a preflight, which is never granted), and carry the
  session's token, which is written into the editor's page only;
- it reads and writes only inside the office's content folder (the media folder is inside it), never a
  path through `..`, a link out, or `.git`.
The files themselves, and how a save keeps each file's form, are editor_files.py's.
"""

from __future__ import annotations

import base64
import errno
import functools
import hmac
import json
import secrets
import socket
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from ..i18n import _, choose, language
from .editor import DECAP_DIST, LOCAL_API
from .editor_files import Files, Refused
from .editor_save import safe_upload_name

TOKEN_META = "gongkai-editor-token"
LOOPBACK = "127.0.0.1"


class EditorServerError(Exception):
    """The local editor cannot start; the message says what to do."""


def require_decap() -> None:
    """Decap CMS as `make editor` installs it."""
    if not DECAP_DIST.exists():
        raise EditorServerError(_("the form editor is not installed — run `make editor`"))


class QuietServer(ThreadingHTTPServer):
    """A loopback HTTP server that prints nothing when a browser leaves mid-answer (a closed tab, a reload, a test
    that has what it came for): that is no error, and its traceback only buries the messages that matter. The tests'
    servers are this one too."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipe, ConnectionReset, ConnectionAborted
            super().handle_error(request, client_address)


class EditorHandler(SimpleHTTPRequestHandler):
    files: Files
    token: str
    page: Callable[[], bytes]
    language: str

    def log_message(self, *args) -> None:
        pass

    def handle(self) -> None:
        choose(self.language)  # each request in a thread of its own: in the language of the command that started it
        super().handle()

    def _origins(self) -> set[str]:
        port = self.server.server_address[1]
        return {f"{LOOPBACK}:{port}", f"localhost:{port}"}

    def _host_ok(self) -> bool:
        """The name the browser used: a foreign name pointed at 127.0.0.1 (DNS rebinding) is not this editor's."""
        return (self.headers.get("Host") or "").lower() in self._origins()

    def _refuse(self, status: int, message: str) -> None:
        data = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if not self._host_ok():
            self._refuse(421, _("this address is not the form editor's"))
            return
        path = urlsplit(self.path).path
        if path in ("/admin/", "/admin/index.html"):
            # The defaults (the next id and index number) and the list of broken files follow the files as they are
            # now, so each visit makes the page anew; the token goes into this page alone.
            page = self.page().replace(b"<head>", f'<head>\n  <meta name="{TOKEN_META}" content="{self.token}">'
                                       .encode("ascii"), 1)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
            return
        if not path.startswith("/admin/"):
            self.send_error(404)
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        self.send_error(405)

    def do_POST(self) -> None:
        try:
            answer = self._api()
        except Refused as refused:
            self._refuse(refused.status, str(refused))
            return
        except (OSError, ValueError, KeyError, TypeError) as error:
            self._refuse(500, _("the editor could not do this: {detail}").format(detail=error))
            return
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _api(self):
        address = urlsplit(self.path)
        if address.path != LOCAL_API:
            raise Refused(404, _("the editor has no such address"))
        if not self._host_ok():
            raise Refused(421, _("this address is not the form editor's"))
        origin = self.headers.get("Origin")
        if origin is not None and origin.lower() not in {f"http://{host}" for host in self._origins()}:
            raise Refused(403, _("the editor answers only its own page"))
        if self.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
            raise Refused(403, _("the editor answers only its own page"))
        if (self.headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            raise Refused(415, _("the editor accepts only JSON"))
        token = (parse_qs(address.query).get("token") or [""])[0]
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            raise Refused(403, _("the editor answers only its own page — reload it (F5)"))
        length = int(self.headers.get("Content-Length") or 0)
        request = json.loads(self.rfile.read(length) or b"{}")
        return self._action(request.get("action"), request.get("params") or {})

    def _action(self, action: str, params: dict):
        files = self.files
        if action == "info":
            return {"repo": files.repository.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            return files.entries(files.listing(params["folder"], params.get("extension") or "", int(params["depth"])))
        if action == "entriesByFiles":
            return files.entries([f.get("path") for f in params["files"]])
        if action == "getEntry":
            return files.entries([params["path"]])[0]
        if action == "persistEntry":
            return {"message": "entry persisted", "hashes": files.persist_entry(params)}
        if action == "getMedia":
            return [files.media(rel) for rel in files.listing(params["mediaFolder"], "", 1)]
        if action == "getMediaFile":
            return files.media(params["path"])
        if action == "persistMedia":
            asset = params["asset"]
            files.resolve(asset.get("path"))
            files.upload_checked(asset["path"])
            data = base64.b64decode(asset["content"])
            if files.forge is not None:
                files.propose([(asset["path"], data, files._original(asset["path"])[1])])
            else:
                files.write(asset["path"], data)
            return files.media(asset["path"])
        if action == "checkUploads":
            # editor.js, as the clerk chooses files to upload. Decap itself then turns the characters a name may not
            # hold into "-" (odd#name.pdf is uploaded as odd-name.pdf), but keeps a name that is only an extension,
            # which the save would refuse
            for name in params["names"]:
                if safe_upload_name(str(name)) == "hidden":
                    files.upload_checked(str(name))
            return {"message": "ok"}
        if action == "deleteFile":
            files.delete(params["path"])
            return {"message": "deleted"}
        if action == "deleteFiles":
            for rel in params["paths"]:
                files.resolve(rel)
            for rel in params["paths"]:
                files.delete(rel)
            return {"message": "deleted"}
        if action == "getDeployPreview":
            return None
        if action == "freeNumbers":
            return files.free_numbers(params.get("collection"), params.get("data") or {})
        raise Refused(422, _("the editor has no such action"))


def editor_server(folder: Path, files: Files, port: int, page: Callable[[], bytes] | None = None,
                  lang: str | None = None) -> QuietServer:
    """Serve admin/ from `folder` (its index.html made by `page` at each visit when given) and the editor's API
    on `files`, on 127.0.0.1:`port` (0: any free port)."""
    if page is None:
        page = (Path(folder) / "admin" / "index.html").read_bytes
    handler = type("Handler", (EditorHandler,), {"files": files, "token": secrets.token_urlsafe(32),
                                                 "page": staticmethod(page), "language": lang or language()})
    try:
        return QuietServer((LOOPBACK, port), functools.partial(handler, directory=str(folder)))
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
            probe.bind((LOOPBACK, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise EditorServerError(port_in_use(port)) from None
            raise

