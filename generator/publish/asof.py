"""The site engine builds an office's pages as of one fixed day; the as-of date is written in afterwards.

Most of an office's pages do not change from one day to the next, but a few
always name the as-of date (公开事项目录 and 公开栏张贴材料 "截至…", the feed, the
data package, the engine's own sitemap). So that the engine's output can be
kept and taken again on a later day, every spelling of the as-of date in the
engine's text input is replaced by that of FIXED, the engine is told that
FIXED is its day, and FIXED's spellings in its output are replaced by the
as-of date's. A build the next day whose input, so changed, is the same
(no status, period or publication changed) then takes the kept output
instead of running the engine (section.build_section, partitions.py). Every
build takes this path, so a build from a cache and one from nothing give the
same bytes.

Text that already holds FIXED's year could not be told apart from it: such
an input, or an output that still holds the year after the swap (the engine
wrote the day in some other spelling), is built with the as-of date itself.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import shutil
from pathlib import Path

from ..content.schedule import cn_date

FIXED = dt.date(1970, 1, 1)  # the engine's day: SOURCE_DATE_EPOCH=0
_YEAR = str(FIXED.year).encode()
TEXT = (".md", ".html", ".xml", ".json", ".csv", ".txt")  # what may spell a date; images and PDFs are left alone


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def spellings(day: dt.date) -> list[bytes]:
    """How the pages, feeds and data spell a day: 2026年11月25日, 2026-11-25 (also in timestamps), and the feed's
    Wed, 25 Nov 2026 (in English whatever the locale, as RFC 822 has it)."""
    return [cn_date(day).encode(), day.isoformat().encode(),
            f"{_DAYS[day.weekday()]}, {day.day:02d} {_MONTHS[day.month - 1]} {day.year}".encode()]


def _swap(data: bytes, old: dt.date, new: dt.date) -> bytes:
    for before, after in zip(spellings(old), spellings(new)):
        data = data.replace(before, after)
    return data


def undated(docs: dict[str, bytes], settings: bytes, as_of: dt.date) -> dict[str, bytes] | None:
    """The engine's input with FIXED for the as-of date, or None when the input holds FIXED's year already, or a
    file's name spells the as-of date (a link to it would be swapped with the text)."""
    names = "\n".join(docs).encode()
    if _YEAR in settings or any(_YEAR in data for rel, data in docs.items() if rel.endswith(TEXT)) \
            or any(spelling in names for spelling in spellings(as_of)):
        return None
    return {rel: _swap(data, as_of, FIXED) if rel.endswith(TEXT) else data for rel, data in docs.items()}


def key(salt: bytes, engine: str, docs: dict[str, bytes], settings: bytes) -> str:
    """What the engine's output is made from: the code and engine versions (salt), the engine, its input."""
    return key_of_digests(salt, engine, {rel: hashlib.sha256(data).digest() for rel, data in docs.items()}, settings)


def key_of_digests(salt: bytes, engine: str, digests: dict[str, bytes], settings: bytes) -> str:
    """key, from the SHA-256 of each file of the input (a cache entry's manifest holds them)."""
    digest = hashlib.sha256(salt + b"\0" + engine.encode() + b"\0" + settings)
    for rel in sorted(digests):
        digest.update(b"\0" + rel.encode() + b"\0" + digests[rel])
    return digest.hexdigest()


def dated(built: Path, site: Path, as_of: dt.date) -> bool:
    """The engine's output in built (made as of FIXED) into site as of as_of: a file the swap changes is written
    anew (a .gz beside it compressed again), every other one is a hard link where the file system allows; False
    (nothing written) when FIXED's year is still in a text file after the swap."""
    written = {}
    for path in sorted(built.rglob("*")):
        rel = path.relative_to(built).as_posix()
        if path.is_file() and rel.endswith(TEXT):
            data = path.read_bytes()
            if _YEAR in data:
                new = _swap(data, FIXED, as_of)
                if _YEAR in new:
                    return False
                written[rel] = new
    for rel in [rel for rel in written if (built / f"{rel}.gz").is_file()]:
        written[f"{rel}.gz"] = gzip.compress(written[rel], mtime=0)
    shutil.copytree(built, site, copy_function=link)
    for rel, data in written.items():
        target = site / rel
        target.unlink()
        target.write_bytes(data)
    return True


def link(source: str, target: str) -> None:
    """A hard link (a kept output is never written to), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
