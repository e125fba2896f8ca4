"""The site's search index: Pagefind, made byte-for-byte reproducible.

Pagefind writes a chunked index a reader fetches piece by piece. Its filter
lists (栏目, 类型, 年份) come out in a random order on each run, which
changes their chunk names and the entry file, so two builds of the same
content would differ. After indexing, the filter chunks and the metadata
file are rewritten in sorted order and renamed after their new contents.
Everything else Pagefind writes is already deterministic.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import cbor2

from .i18n import _

SIGNATURE = b"pagefind_dcd"


def build_index(site: Path) -> str | None:
    """Index the built site; returns an error message, or None."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", "zh", "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        return detail[-1] if detail else _("no output")
    canonicalize(site / "pagefind")
    return None


def _read(path: Path):
    raw = gzip.decompress(path.read_bytes())
    return cbor2.loads(raw[raw.index(SIGNATURE) + len(SIGNATURE):])


def _write(folder: Path, prefix: str, suffix: str, data, digits: int) -> str:
    """Write a chunk named after its contents; returns the name Pagefind refers to it by."""
    packed = gzip.compress(SIGNATURE + cbor2.dumps(data), compresslevel=9, mtime=0)
    name = f"{prefix}{hashlib.sha256(packed).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(packed)
    return name


def canonicalize(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, chunk in sorted(meta[3]):
            chunk_path = bundle / "filter" / f"{chunk}.pf_filter"
            filter_name, values = _read(chunk_path)
            chunk_path.unlink()
            filters.append([name, _write(bundle / "filter", f"{language}_", ".pf_filter",
                                         [filter_name, sorted(values)], 7)])
        meta[3] = filters
        meta_path.unlink()
        info["hash"] = _write(bundle, f"pagefind.{language}_", ".pf_meta", meta, 10).removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
