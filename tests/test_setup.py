"""The set-up the README's two commands run: system packages by what is being done."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _as_a_clerk_without_rights(tmp_path: Path) -> dict:
    """A PATH where nothing is installed, the user is not root, and sudo asks for a password no one can type."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in {"id": "echo 1000", "dpkg-query": "exit 1", "sudo": "exit 1", "apt-get": "touch \"$0.ran\"; exit 1"}.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"}


def test_without_root_the_build_set_up_stops_with_the_one_command_to_run(tmp_path):
    env = _as_a_clerk_without_rights(tmp_path)
    result = subprocess.run(["bash", "scripts/system-deps.sh", "site"], cwd=ROOT, env=env, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    command = "sudo apt-get update && sudo apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0"
    assert command in result.stderr, result.stderr
    # A build needs a font, not a browser: the tests' packages are not asked for.
    assert "chromium" not in result.stderr and "poppler" not in result.stderr
    assert not (tmp_path / "bin/apt-get.ran").exists()


def test_the_tests_set_up_asks_for_the_browser_and_pdf_readers_too(tmp_path):
    result = subprocess.run(["bash", "scripts/system-deps.sh", "test"], cwd=ROOT, env=_as_a_clerk_without_rights(tmp_path),
                            capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "fonts-noto-cjk" in result.stderr and "chromium chromium-driver zbar-tools poppler-utils" in result.stderr


def test_make_site_installs_what_a_build_needs_and_no_more():
    site = subprocess.run(["make", "-n", "site"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "scripts/system-deps.sh site" in site and "system-deps.sh test" not in site
    test = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "scripts/system-deps.sh test" in test
