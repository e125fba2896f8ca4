"""The site's search index: Pagefind, made byte-for-byte reproducible.

Pagefind writes a chunked index a reader fetches piece by piece. Its filter
lists (栏目, 类型, 年份) come out in a random order on each run, which
changes their chunk names and the entry file, so two builds of the same
content would differ. After indexing, the filter chunks and the metadata
file are rewritten in sorted order and renamed after their new contents.
Pages are handed to Pagefind in the order of their paths, since its own walk
numbers them in the order the file system lists a folder (tmpfs and ext4
differ). Everything else Pagefind writes is already deterministic.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cbor2

from .i18n import _

SIGNATURE = b"pagefind_dcd"


def build_index(site: Path) -> str | None:
    """Index the built site; returns an error message, or None.

    The pages are given to Pagefind one by one in the order of their paths: Pagefind's own walk numbers them in
    the order the file system lists them, which differs between file systems, and so would the index's bytes.
    """
    try:  # in a thread of its own: the caller may be running an event loop already (a browser test does)
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, _index_in_order(site)).result()
    except Exception as error:  # noqa: BLE001 - Pagefind's service reports any failure as an exception
        detail = str(error).strip().splitlines()
        return detail[-1] if detail else _("no output")
    canonicalize(site / "pagefind")
    return None


async def _index_in_order(site: Path) -> None:
    from pagefind.index import PagefindIndex

    async with PagefindIndex(config={"force_language": "zh", "output_path": str(site / "pagefind")}) as index:
        for page in sorted(site.rglob("*.html"), key=lambda path: path.relative_to(site).as_posix()):
            url = "/" + page.relative_to(site).as_posix()
            await index.add_html_file(content=page.read_text(encoding="utf-8"),
                                      url=url[: -len("index.html")] if url.endswith("/index.html") else url)


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
