"""How long a clerk waits for `gongkai serve` to show an edit, on an office of N notices.

Starts the preview on a synthetic office (bench.py's, same seed), waits for the
first page, then changes the title of one notice and measures until the new
title is served; the same for a second edit, since the first rebuild also pays
for warming up.

    .venv/bin/python bench/preview.py --notices 10000
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import AS_OF, make_office  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, text: str, limit: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        try:
            if text in urllib.request.urlopen(url, timeout=5).read().decode("utf-8"):
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{text!r} did not appear at {url} within {limit:.0f} s")


def measure(count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="gongkai-preview-") as tmp:
        content = make_office(Path(tmp), count)
        notice = sorted((content / "notices").rglob("*.md"))[-1]
        # an office of a county is previewed at its own address under the portal, as it is published
        url_path = f"{content.name}/notices/{notice.parent.name}/{notice.stem}/"
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(content), "--as-of", AS_OF.isoformat(),
                                   "--port", str(port)], cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        try:
            url = f"http://127.0.0.1:{port}/{url_path}"
            row = {"notices": count, "first_page_s": wait_for(url, "<h1", 1800)}
            for edit in ("first_edit_s", "second_edit_s"):
                text = notice.read_text(encoding="utf-8")
                marker = f"改过{edit}"
                notice.write_text(text.replace("title: ", f"title: {marker}", 1), encoding="utf-8")
                row[edit] = wait_for(url, marker, 1800)
            return row
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, nargs="+", default=[10000])
    args = parser.parse_args()
    for count in args.notices:
        print(json.dumps(measure(count)), flush=True)


if __name__ == "__main__":
    main()
