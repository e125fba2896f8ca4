"""The site's search index: every Han character and pair of characters, chunked, built from the pages as built.

Chinese has no spaces, and a word segmenter cuts a page and a query in
different places: Pagefind 1.5.2 (measured, see README) found neither 听证
nor the exact title 综合科科长拟任人选公示 on the example office. Indexing
every character and every pair of adjacent characters needs no segmenter: a
query of n characters is its n-1 pairs, and every page that holds the query
holds all of them. The same tokens are made here and in the browser
(generator/render/assets/searchcore.js), so the two cannot disagree.

Layout of the `gk-search/` folder (plain JSON, which web servers compress):
- `meta.json`: the number of pages and of shards, the number of the first list
  page, and the filter lists' files;
- `s/<n>.json`: one shard of the token lists, chosen by a hash of the token, so a
  query fetches one small file per token; each token maps to the pages whose text
  holds it and, separately, the pages whose heading holds it: the title (with the
  title's length, so an exact title ranks first) or the labels a reader names a
  page by without their being in its text (its office's name, its type; length 0);
- `p/<id>.json`: one page's address, title, type, date and text, fetched only for
  the results shown;
- `f/<n>.json`: the pages of one filter value (栏目, 类型, 年份), fetched only
  when a reader chooses that filter.

Pages are numbered in a fixed order (documents: undated pages such as the fees,
then newest first; then list pages such as the catalog), so a list of page
numbers ranks documents before lists and recent documents first, and the same
content builds the same bytes.
"""

from __future__ import annotations

import base64
import itertools
import json
import operator
import re
import sys
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from lxml import etree

from .. import timings
from ..normalize import nfkc

FOLDER = "gk-search"
BODY, FILTER, META = "data-search-body", "data-search-filter", "data-search-meta"
_BODY_TAG = f"<div {BODY}>".encode()  # as the theme writes it (theme/main.html)
_TYPECODE = "i"  # how arrays hold the postings' numbers (page numbers, title lengths): signed, 32 bits
SHARD_TARGET = 24_000  # bytes of JSON per shard, before compression: a few KB on the wire
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # the same ranges as searchcore.js
_RUNS = re.compile(f"[{HAN}]+|[a-z0-9]+")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_BLOCKS = {"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption",
           "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
           "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
_INVISIBLE = {"script", "style", "noscript", "template"}
_HEAD = {"gk-meta", "gk-period"}  # the document's head: indexed, but not what a result's excerpt shows
# lxml's plain HTML parser, reading the bytes as UTF-8 (the engine writes every page so): lxml.html's, which gives
# each element its class of HTML methods, took half the time of reading a page.
_PARSER = etree.HTMLParser(encoding="utf-8")


def tokens(text: str) -> set[str]:
    """Every Han character and adjacent pair, and every run of Latin letters or digits, of a normalised text."""
    found: set[str] = set()
    for run in _RUNS.findall(nfkc(text).lower()):
        if run[0].isascii():
            found.add(run)
        else:
            found.update(run)
            found.update(map(operator.add, run, run[1:]))  # the pairs
    return found


def shard_of(token: str, shards: int) -> int:
    """FNV-1a over the token's UTF-16 code units, as JavaScript sees a string."""
    value = 0x811C9DC5
    units = token.encode("utf-16-le")
    for i in range(0, len(units), 2):
        value ^= units[i] | (units[i + 1] << 8)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value % shards


@dataclass
class Page:
    url: str
    title: str
    kind: str = ""
    date: str = ""
    head: str = ""  # the metadata block's text
    text: str = ""  # the page's own text, for excerpts
    filters: list[tuple[str, str]] = field(default_factory=list)
    office: str = ""  # the office whose page it is, which a reader names it by ("畜牧兽医局收费标准")
    list: bool = False  # a list of other pages (the catalog, the posters), ranked below the documents

    @property
    def order(self):
        match = _DATE.search(self.date)
        return (self.list, *((1, tuple(-int(n) for n in match.groups())) if match else (0, ())), self.url)

    @property
    def labels(self) -> list[str]:
        """What counts as if it were in the page's heading: its office and its type (in a county, the office's short
        name, its type: 市畜牧兽医局 · 通知公告)."""
        return [label for label in (self.office, *self.kind.split(" · ")) if label]


def _text(element, parts: list[str], head: list[str]) -> None:
    """The visible text, with a line break where a block ends (as a browser shows it); the head apart."""
    if element.tag in _INVISIBLE or element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return
    into = head if _HEAD & set((element.get("class") or "").split()) else parts
    block = element.tag in _BLOCKS
    if block:
        into.append("\n")
    if element.text:
        into.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            _text(child, into, head)
        if child.tail:
            into.append(child.tail)
    if block:
        into.append("\n")


def _clean(parts: list[str]) -> str:
    return re.sub(r"\s*\n\s*", "\n", re.sub(r"[ \t\r\f\v\u3000]+", " ", "".join(parts))).strip()


def read_page(raw: bytes, url: str) -> Page | None:
    """The searchable part of one built page, or None when the page opts out (home, archives, search)."""
    body = _body(raw)
    if body is None:
        return None
    filters, meta = [], {}
    for span in body.iterfind(f".//*[@{FILTER}]"):
        name, _, value = span.get(FILTER).partition(":")
        filters.append((name, value))
    for span in body.iterfind(f".//*[@{META}]"):
        name, _, value = span.get(META).partition(":")
        meta[name] = value
    h1 = body.find(".//h1")
    title = "".join(h1.itertext()).strip() if h1 is not None else (
        etree.fromstring(raw, _PARSER).findtext(".//title") or url).split(" - ")[0].strip()
    parts: list[str] = []
    head: list[str] = []
    _text(body, parts, head)
    text = _clean(parts)
    if text.startswith(title):
        text = text[len(title):].lstrip()
    return Page(url, title, meta.get("kind", ""), meta.get("date", ""), _clean(head), text, sorted(set(filters)),
                meta.get("office", ""), meta.get("list") == "1")


def _body(raw: bytes):
    """The element whose text is indexed, or None. Parsed from where the theme opens it: the header and navigation
    before it are two thirds of a page's bytes, and were four fifths of the time of reading a page."""
    if BODY.encode() not in raw:
        return None
    start = raw.find(_BODY_TAG)
    body = etree.fromstring(raw[start:], _PARSER).find(f".//*[@{BODY}]") if start >= 0 else None
    return etree.fromstring(raw, _PARSER).find(f".//*[@{BODY}]") if body is None else body


@timings.stage("search")
def read_site(site: Path) -> list[Page]:
    return sorted(filter(None, (read_page(raw, url) for url, raw in site_pages(site))), key=lambda p: p.order)


def site_pages(site: Path) -> Iterator[tuple[str, bytes]]:
    """Each built page's address in the site and its bytes, but the 404 page's."""
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative != "404.html":
            yield relative.removesuffix("index.html"), path.read_bytes()


def file_of(url: str) -> str:
    """The file a page's address (site_pages) is served from."""
    return url + "index.html" if url.endswith("/") or not url else url


def _deltas(numbers: list[int]) -> list[int]:
    return list(map(operator.sub, numbers, itertools.chain((0,), numbers)))


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass
class Postings:
    """The index data of a run of pages, numbered 0, 1, … in the run's order: what index_files makes of each page's
    text, kept with an office's partition so that a build re-indexes only the partitions that changed. Each list
    is in ascending page number."""

    body: dict[str, list[int]] = field(default_factory=dict)  # token → the pages whose text or heading holds it
    heading: dict[str, list[int]] = field(default_factory=dict)  # token → page, length, page, length, …
    filters: dict[str, list[int]] = field(default_factory=dict)  # "name:value" → its pages

    def __getstate__(self) -> dict:
        """Sent to another process (from an office's worker to the build) as arrays of machine integers, not lists
        of Python ints (36 bytes a number where 4): at 40 offices of 2,500 notices the build held 2.2 GB once it had
        every office's, 0.8 GB so, and merging the index peaked at 1.7 GB where 3.0. What reads them takes either."""
        return {name: {key: array(_TYPECODE, numbers) for key, numbers in table.items()}
                for name, table in vars(self).items()}

    def to_plain(self) -> dict:
        """For a cache entry's JSON: each list as the base64 of its numbers, four bytes each, little-endian. Read as
        JSON numbers, an office's 1.2 million were most of checking its cached entry (0.17 of 0.24 CPU s), which
        every build does for every office."""
        return {name: {key: _packed(numbers) for key, numbers in table.items()} for name, table in vars(self).items()}

    @classmethod
    def from_plain(cls, raw: dict) -> "Postings":
        """What to_plain gave, as arrays; ValueError, TypeError or AttributeError for anything else."""
        return cls(**{name: {key: _unpacked(text) for key, text in table.items()} for name, table in raw.items()})

    def fits(self, pages: int) -> bool:
        """Every list ascending and every number one of the run's pages: a cache entry's postings are input too."""
        return all(_ascending(numbers, pages) for numbers in (*self.body.values(), *self.filters.values())) and all(
            len(pairs) % 2 == 0 and _ascending(pairs[0::2], pages) for pairs in self.heading.values())


def _packed(numbers) -> str:
    packed = array(_TYPECODE, numbers)
    if sys.byteorder == "big":
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def _unpacked(text: str) -> array:
    numbers = array(_TYPECODE)
    numbers.frombytes(base64.b64decode(text, validate=True))  # ValueError for a length no number fits
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


def _ascending(numbers: array, pages: int) -> bool:
    """Distinct page numbers of the run in ascending order. Hundreds of thousands of numbers an office, checked on
    every build that takes it from the cache: the comparisons in C."""
    return (isinstance(numbers, array) and all(map(operator.lt, numbers, itertools.islice(numbers, 1, None)))
            and (not numbers or (numbers[0] >= 0 and numbers[-1] < pages)))


@timings.stage("search")
def postings(pages: list[Page]) -> Postings:
    """The index data of pages in the order given."""
    found = Postings()
    for number, page in enumerate(pages):
        for token in tokens("\n".join((page.title, *page.labels, page.head, page.text))):
            found.body.setdefault(token, []).append(number)
        title_length = len(nfkc(page.title))
        in_title = tokens(page.title)
        heading = dict.fromkeys(in_title, title_length)
        # A token only a label holds: minus the length of the shortest label holding it, so that 畜牧兽医局 finds the
        # 市畜牧兽医局 before the 市畜牧兽医局机关党支部 (the longest first, each shorter one overwriting it).
        for label in sorted(page.labels, key=len, reverse=True):
            heading.update(dict.fromkeys(tokens(label) - in_title, -len(nfkc(label))))
        for token, length in sorted(heading.items()):
            found.heading.setdefault(token, []).extend((number, length))
        for name, value in page.filters:
            found.filters.setdefault(f"{name}:{value}", []).append(number)
    return found


@timings.stage("search")
def index_files(pages: list[Page]) -> dict[str, bytes]:
    """Every file of the index, keyed by its path under the index folder; pages in their order (Page.order)."""
    return dict(merged_index_files([(pages, postings(pages))]))


def merged_index_files(runs: list[tuple[list[Page], Postings]]) -> Iterator[tuple[str, bytes]]:
    """The index of all the runs' pages together (each run in Page.order, with its postings), the same bytes as
    index_files of all their pages: the pages are numbered in Page.order across the runs, which keeps each run's
    own order, so each run's lists map into the whole's and only need merging. Each file is given as soon as it is
    made, to be written and let go: a county's index is hundreds of MB."""
    order = sorted((page.order, run, number) for run, (pages, _) in enumerate(runs) for number, page in enumerate(pages))
    renumbered = [[0] * len(pages) for pages, _ in runs]
    for whole, (_, run, number) in enumerate(order):
        renumbered[run][number] = whole
    pages = [runs[run][0][number] for _, run, number in order]
    body: dict[str, list[array]] = {}
    title: dict[str, list[array]] = {}
    filters: dict[str, list[array]] = {}
    # Renumbered as arrays (4 bytes a number, where a list of ints takes 36) until each token is encoded: a county's
    # are tens of millions of numbers.
    for (_, found), numbers in zip(runs, renumbered):
        whole = numbers.__getitem__
        for token, members in found.body.items():
            body.setdefault(token, []).append(array(_TYPECODE, map(whole, members)))
        for token, pairs in found.heading.items():
            renumbered_pairs = array(_TYPECODE, pairs)
            renumbered_pairs[0::2] = array(_TYPECODE, map(whole, pairs[0::2]))
            title.setdefault(token, []).append(renumbered_pairs)
        for pair, members in found.filters.items():
            filters.setdefault(pair, []).append(array(_TYPECODE, map(whole, members)))
    for number, page in enumerate(pages):
        yield f"p/{number}.json", _dump({"url": page.url, "title": page.title, "kind": page.kind, "date": page.date,
                                         "text": page.text or page.head})
    entries = {}  # token → its entry as JSON, without the braces of the object it is a member of
    for token in sorted(body):  # each token's lists let go once encoded: a county's are hundreds of MB
        pairs = _merged_pairs(title.pop(token, []))
        numbers = _deltas(pairs[0::2])
        entries[token] = _dump({token: [_deltas(_merged(body.pop(token))),
                                        [x for pair in zip(numbers, pairs[1::2]) for x in pair]]})[1:-1]
    size = sum(len(entry) + 2 for entry in entries.values())
    shards = 1
    while size / shards > SHARD_TARGET:
        shards *= 2
    split: list[list[bytes]] = [[] for _ in range(shards)]
    for token, entry in entries.items():
        split[shard_of(token, shards)].append(entry)
    for number, members in enumerate(split):  # the bytes _dump gives the shard's object: each entry encoded once
        yield f"s/{number}.json", b"{" + b",".join(members) + b"}"
    filter_files: dict[str, dict[str, str]] = {}
    for number, (pair, members) in enumerate(sorted(filters.items(), key=lambda item: tuple(item[0].split(":", 1)))):
        yield f"f/{number}.json", _dump(_deltas(_merged(members)))
        name, _, value = pair.partition(":")
        filter_files.setdefault(name, {})[value] = f"f/{number}.json"
    lists = next((number for number, page in enumerate(pages) if page.list), len(pages))
    yield "meta.json", _dump({"pages": len(pages), "shards": shards, "lists": lists, "filters": filter_files})


def _merged(lists: list[array]) -> list[int] | array:
    """Ascending lists of distinct numbers as one (a sort of sorted runs is a merge)."""
    return lists[0] if len(lists) == 1 else sorted(itertools.chain.from_iterable(lists))


def _merged_pairs(lists: list[array]) -> list[int] | array:
    """Flat (number, length) lists, each ascending by number, as one."""
    if len(lists) <= 1:
        return lists[0] if lists else []
    return [x for pair in sorted(pair for pairs in lists for pair in zip(pairs[0::2], pairs[1::2])) for x in pair]
