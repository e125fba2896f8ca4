"""Write stage: outputs appear whole or not at all.

Everything is written into a staging folder beside the target and swapped
in at the very end in one atomic exchange, so a failed, interrupted or killed
build leaves the previous site exactly as it was. A folder that is or holds
the content, the repository or the working directory is never the target.
A build given no cache folder has a temporary one (cache_folder).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from ..i18n import N_, _

STAGING_PREFIX = ".gongkai-staging-"
LOCK_FILE = ".gongkai-lock"  # Windows locks a file, not a folder: file_lock makes this one in the folder


def write_files(files: dict[str, bytes], root: Path) -> None:
    """Write a tree of files; refuse any path that would land outside root."""
    for rel, data in sorted(files.items()):
        posix = PurePosixPath(rel)
        if posix.is_absolute() or ".." in posix.parts:
            raise ValueError(f"refusing to write outside the output folder: {rel}")
        path = root.joinpath(*posix.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)  # a new file, never written through a hard link into a kept tree (asof.dated)
        path.write_bytes(data)


def write_new_files(files: Iterable[tuple[str, bytes]], root: Path) -> None:
    """Files (path, bytes) the build makes by the hundred thousand (the search index) into a folder of its own that
    it has just created: each created afresh, never over a file or through a link (FileExistsError), and each
    folder made once. write_files' look at every path cost a third of writing a county's index."""
    made: set[str] = set()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for rel, data in files:
        folder, _, _name = rel.rpartition("/")
        if folder not in made:
            root.joinpath(*PurePosixPath(folder).parts).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        handle = os.open(root.joinpath(*PurePosixPath(rel).parts), flags, 0o644)
        with os.fdopen(handle, "wb") as file:
            file.write(data)


class OutputRefused(ValueError):
    """The output folder given (or the cache folder) would destroy something that is not a previous output."""

    def __init__(self, message: str, option: str = "--out"):
        super().__init__(message)
        self.option = option


class DiskFull(Exception):
    """The disk filled up while writing (ENOSPC): said in the reader's language, where and how much, instead of an
    internal error listing the files that could not be copied. The previous output stays as it was."""


@contextlib.contextmanager
def disk_full_said(out_dir: Path, content_dir: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        full = _full_folder(error)
        if full is None:
            raise
        folder = next((p for p in (full, *full.parents) if p.is_dir()), out_dir.resolve().parent)
        # A new site is written beside the old one before it replaces it: about the old one's size is needed again.
        needed = _size(out_dir) or _size(content_dir)
        raise DiskFull(_("the disk is full: nothing more could be written in {folder} ({free} free) — this build needs"
                         " about {needed} more; free some space there (or give --out on another disk) and build again;"
                         " {out}/ stays as it was").format(folder=folder, free=_megabytes(shutil.disk_usage(folder).free),
                                                          needed=_megabytes(needed), out=out_dir)) from None


def _full_folder(error: OSError) -> Path | None:
    """The folder a write failed in for lack of space, or None if the error is something else. shutil.copytree
    gathers its failures as (source, target, why) in one shutil.Error."""
    if error.errno == errno.ENOSPC:
        return Path(error.filename).parent if error.filename else Path(tempfile.gettempdir())
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list):
        for item in error.args[0]:
            if isinstance(item, tuple) and len(item) == 3 and f"[Errno {errno.ENOSPC}]" in str(item[2]):
                return Path(item[1]).parent
    return None


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file() and not p.is_symlink()) \
        if Path(folder).is_dir() else 0


def _megabytes(size: int) -> str:
    return f"{max(size, 1) / 1024 / 1024:.1f} MB"


class Interrupted(KeyboardInterrupt):
    """A signal (TERM, HUP, INT) asked the process to end: unwound like Ctrl-C, so every cleanup runs."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def refuse_unsafe_output(target: Path, content_dir: Path) -> None:
    """Swapping a folder in replaces the whole folder: refuse one that holds what must not be lost.

    That is the content folder, the repository it lives in and the working directory, whether the output
    folder is one of them or contains one of them; an output inside the content folder would become content.
    """
    target, content = Path(target).resolve(), Path(content_dir).resolve()
    protected = {N_("the content folder"): content, N_("the working directory"): Path.cwd().resolve()}
    for start in (content, Path.cwd().resolve()):
        repository = next((folder for folder in (start, *start.parents) if (folder / ".git").exists()), None)
        if repository is not None:
            protected.setdefault(N_("the repository"), repository)
    for name, folder in sorted(protected.items(), key=lambda item: target != item[1]):  # "is" before "contains"
        if target == folder or target in folder.parents:
            refusal = (_("the output folder {target} is {what} ({folder}); building there would delete it — give a folder"
                         " of its own, e.g. --out site") if target == folder else
                       _("the output folder {target} contains {what} ({folder}); building there would delete it — give a"
                         " folder of its own, e.g. --out site"))
            raise OutputRefused(refusal.format(target=target, what=_(name), folder=folder))
    if content in target.parents:
        raise OutputRefused(_("the output folder {target} is inside the content folder ({content}) — give a folder"
                              " outside it, e.g. --out site").format(target=target, content=content))


def refuse_unsafe_cache(cache: Path, content_dir: Path, out_dir: Path) -> None:
    """A build removes what it does not recognise in its cache's office folders: refuse a cache that is or holds the
    content folder, the working directory or the repository, or that lies in the content folder or the output
    folder (which a build replaces whole)."""
    cache, content, out = Path(cache).resolve(), Path(content_dir).resolve(), Path(out_dir).resolve()
    repository = next((folder for folder in (content, *content.parents) if (folder / ".git").exists()), None)
    for folder in filter(None, (content, Path.cwd().resolve(), repository)):
        if cache == folder or cache in folder.parents:
            raise OutputRefused(_("the cache folder {cache} is or contains {folder}; a build removes what it does not"
                                  " recognise there — give a folder of its own, e.g. --cache build/partitions")
                                .format(cache=cache, folder=folder), "--cache")
    for folder in (content, out):
        if cache == folder or folder in cache.parents:
            raise OutputRefused(_("the cache folder {cache} is or lies inside {folder}; a build removes what it does not"
                                  " recognise there — give a folder of its own, e.g. --cache build/partitions")
                                .format(cache=cache, folder=folder), "--cache")


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold ending signals back while the output is swapped or cleaned, so it is never left half done.

    They are blocked, not ignored: one that arrives meanwhile is delivered afterwards and still ends the process.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, ENDING_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def ending_signals_interrupt() -> Iterator[None]:
    """TERM and HUP unwind the build like Ctrl-C does, so workers are stopped and staging folders removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, _frame):
        raise Interrupted(signum)

    previous = {signum: signal.signal(signum, interrupt) for signum in ENDING_SIGNALS if signum != signal.SIGINT}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One build at a time writes beside this folder's outputs; the others wait their turn."""
    with file_lock(folder):
        yield


@contextlib.contextmanager
def file_lock(path: Path, shared: bool = False, wait: bool = True) -> Iterator[bool]:
    """An advisory lock on path (a folder, or a lock file made if missing); yields whether it was taken.

    Shared locks (builds reading a partition cache) exclude an exclusive one (a build removing old entries), which
    with wait=False steps around the others instead of waiting. POSIX locks a folder itself, so nothing is left
    behind; Windows has no shared locks and cannot lock a folder: there every lock is exclusive, on a file in it.
    """
    path = Path(path)
    try:
        import fcntl
    except ImportError:
        yield from _windows_lock(path / LOCK_FILE if path.is_dir() else path, wait)
        return
    descriptor = os.open(path, os.O_RDONLY | (0 if path.is_dir() else os.O_CREAT), 0o644)
    try:
        try:
            fcntl.flock(descriptor, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)  # closing releases the lock


def _windows_lock(path: Path, wait: bool) -> Iterator[bool]:
    import msvcrt  # noqa: PLC0415 - Windows only

    with open(path, "a+b") as file:
        file.seek(0)  # msvcrt locks bytes from the current position
        while True:
            try:
                msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
                break
            except OSError:
                if not wait:
                    yield False
                    return
                time.sleep(0.2)
        try:
            yield True
        finally:
            file.seek(0)
            msvcrt.locking(file.fileno(), msvcrt.LK_UNLCK, 1)


def _staging_prefix(target: Path) -> str:
    return f"{STAGING_PREFIX}{target.name}-"


def _recover(target: Path) -> None:
    """Undo what a killed build left: restore the previous output if the swap was cut, remove stale staging."""
    for left in sorted(target.parent.glob(f"{_staging_prefix(target)}*")):
        if left.name.startswith(f"{_staging_prefix(target)}old-") and not target.exists():
            os.replace(left, target)
        else:
            shutil.rmtree(left, ignore_errors=True)


@contextlib.contextmanager
def staging(target: Path, content_dir: Path) -> Iterator[Path]:
    """A scratch folder on the target's file system, removed whatever happens; one build per target at a time."""
    refuse_unsafe_output(target, content_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    with ending_signals_interrupt(), locked(target.parent):
        with uninterrupted():
            _recover(target)
            folder = Path(tempfile.mkdtemp(prefix=_staging_prefix(target), dir=target.parent))
        try:
            yield folder
        finally:
            with uninterrupted():
                shutil.rmtree(folder, ignore_errors=True)


def swap_in(new: Path, target: Path) -> None:
    """Replace target by new in one step, so a reader or a kill sees the old tree or the new one, never neither."""
    with uninterrupted():
        if not target.exists():
            os.replace(new, target)
            return
        if _exchange(new, target):
            shutil.rmtree(new, ignore_errors=True)  # new now holds the old tree
            return
        # No atomic exchange on this system: two renames, and a build killed between them is undone by _recover.
        old = target.with_name(f"{_staging_prefix(target)}old-{os.getpid()}")
        os.replace(target, old)
        os.replace(new, target)
        shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False where that does not exist."""
    if not sys.platform.startswith("linux"):  # elsewhere there is no such call (on Windows CDLL(None) is a TypeError)
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), rename_exchange) == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(number, os.strerror(number), str(b))


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


TEMPORARY = "gongkai-partitions-"


@contextlib.contextmanager
def cache_folder(cache: Path | None) -> Iterator[Path]:
    """The cache given (--cache), or a temporary one for this build alone (a county's without --cache, a county of
    one's always)."""
    if cache is not None:
        Path(cache).mkdir(parents=True, exist_ok=True)
        yield Path(cache).resolve()
        return
    with temporary_folder(TEMPORARY) as folder:
        yield folder


@contextlib.contextmanager
def temporary_folder(prefix: str) -> Iterator[Path]:
    """A new folder in the temporary folder, locked while it is used and removed after; what killed builds left
    there under the same prefix is removed first."""
    _remove_left_behind(Path(tempfile.gettempdir()), prefix)
    with tempfile.TemporaryDirectory(prefix=prefix) as folder, file_lock(Path(folder)):
        yield Path(folder)


# A build makes its folder and then locks it: in between, another build starting must not take the new folder
# for a dead one (under load that gap was long enough for builds side by side to delete each other's partitions).
LEFT_BEHIND_AFTER_S = 600


def _remove_left_behind(temporary: Path, prefix: str) -> None:
    """What a killed build (kill -9, a power cut) left in the temporary folder: each build holds a lock on its own
    folder while it runs, so one that can be locked, and is older than a build's start, has nobody left to remove it."""
    for left in temporary.glob(f"{prefix}*"):
        with contextlib.suppress(OSError):
            status = left.lstat()
            if not stat.S_ISDIR(status.st_mode) or time.time() - status.st_mtime < LEFT_BEHIND_AFTER_S:
                continue
            with file_lock(left, wait=False) as unused:
                pass
            if unused:  # removed once unlocked: Windows cannot remove a lock file while it is open
                shutil.rmtree(left, ignore_errors=True)
