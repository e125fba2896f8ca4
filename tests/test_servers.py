"""The loopback HTTP servers (the form editor's, and the tests' own) print nothing when a browser leaves mid-answer,
and still print a real error: the test log shows what matters."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest

from generator.tools.editor_server import QuietServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/broken":
            raise ValueError("a real error")
        self.send_response(200)
        self.end_headers()
        for _ in range(200):  # long enough that the client is gone before it ends
            self.wfile.write(b"x" * 65536)
            time.sleep(0.001)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    server = QuietServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _ask(server, path: str, leave: bool) -> None:
    with socket.create_connection(server.server_address) as client:
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        if leave:  # a reset, not a polite close: as a tab closed mid-download
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            return
        client.recv(1024)


def _settled(capfd) -> str:
    time.sleep(1)  # the handler's thread finds the client gone on its next write
    return capfd.readouterr().err


def test_a_client_that_leaves_mid_answer_prints_nothing(server, capfd):
    for _ in range(3):
        _ask(server, "/", leave=True)
    assert _settled(capfd) == ""


def test_a_real_error_is_still_printed(server, capfd):
    _ask(server, "/broken", leave=False)
    err = _settled(capfd)
    assert "Traceback" in err and "ValueError: a real error" in err
