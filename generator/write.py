"""Write stage: outputs appear whole or not at all.

Everything is written into a staging folder beside the target and swapped
in with renames at the very end, so a failed or interrupted build leaves the
previous site exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path, PurePosixPath
from typing import Iterator

STAGING_PREFIX = ".gongkai-staging-"


def write_files(files: dict[str, bytes], root: Path) -> None:
    """Write a tree of files; refuse any path that would land outside root."""
    for rel, data in sorted(files.items()):
        posix = PurePosixPath(rel)
        if posix.is_absolute() or ".." in posix.parts:
            raise ValueError(f"refusing to write outside the output folder: {rel}")
        path = root.joinpath(*posix.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C back while the output is swapped or cleaned, so it is never left half done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A scratch folder on the target's file system, removed whatever happens."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target.parent))
    try:
        yield folder
    finally:
        with uninterrupted():
            shutil.rmtree(folder, ignore_errors=True)


def swap_in(new: Path, target: Path) -> None:
    """Replace target by new with two renames; the old tree is removed afterwards."""
    with uninterrupted():
        old = None
        if target.exists():
            old = target.with_name(f"{STAGING_PREFIX}old-{os.getpid()}-{target.name}")
            os.replace(target, old)
        os.replace(new, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def sync_files(files: dict[str, bytes], root: Path) -> bool:
    """Make root hold exactly these files, touching only what changed (a live preview watches it)."""
    changed = False
    for rel, data in files.items():
        path = root.joinpath(*PurePosixPath(rel).parts)
        if not path.exists() or path.read_bytes() != data:
            write_files({rel: data}, root)
            changed = True
    wanted = {root.joinpath(*PurePosixPath(rel).parts) for rel in files}
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
            changed = True
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed
