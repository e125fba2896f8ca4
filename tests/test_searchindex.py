"""The county's search index merged from each partition's postings is the index of all their pages, byte for byte."""

from __future__ import annotations

import json
import random
from array import array

import pytest

from generator.render.searchindex import (SHARD_TARGET, Page, Postings, index_files, merged_index_files, postings,
                                         read_page)

WORDS = ["人民防空", "听证会", "拟任人选", "公示", "收费标准", "政府信息公开", "行政许可", "畜牧兽医", "年度报告", "abc 2025"]


def _pages(office: str, seed: int, count: int) -> list[Page]:
    """An office's pages: dated notices interleaving with the other offices' by date, undated pages, lists."""
    rng = random.Random(seed)
    pages = []
    for number in range(count):
        date = f"2025年{rng.randint(1, 12)}月{rng.randint(1, 28)}日" if number % 5 else ""
        text = "。".join(rng.choice(WORDS) + str(rng.randint(0, 999)) for _ in range(rng.randint(5, 60)))
        pages.append(Page(f"{office}/p{number}/", rng.choice(WORDS) + f"第{number}号", f"{office}局 · 公示公告", date,
                          "发布机构：" + office, text,
                          sorted({("部门", office), ("年份", date[:5] or "无"), ("类型", rng.choice(WORDS[:3]))}),
                          office=office if number % 3 else "", list=number % 17 == 0))
    return sorted(pages, key=lambda page: page.order)


def test_postings_merged_across_partitions_give_the_bytes_of_one_index_over_every_page():
    runs = [_pages("门户", 1, 4), _pages("甲", 2, 300), _pages("乙", 3, 250), [], _pages("丙", 4, 1)]
    whole = index_files(sorted((page for run in runs for page in run), key=lambda page: page.order))
    merged = dict(merged_index_files([(run, postings(run)) for run in runs]))
    assert merged == whole
    meta = json.loads(whole["meta.json"])
    assert meta["pages"] == 555 and meta["shards"] > 1  # big enough that shards are split
    assert sum(map(len, (v for k, v in whole.items() if k.startswith("s/")))) > SHARD_TARGET


def test_postings_that_do_not_fit_their_pages_are_told_apart():
    run = _pages("甲", 2, 20)
    cached = Postings.from_plain(postings(run).to_plain())  # as a build reads them from its cache
    assert cached.fits(len(run))
    assert not cached.fits(len(run) - 1)  # a page number past the partition's pages
    token, numbers = next(iter(cached.body.items()))
    assert not _cached(Postings({token: numbers[::-1] if len(numbers) > 1 else [-1]})).fits(len(run))
    assert not _cached(Postings({token: [*numbers, numbers[-1]]})).fits(len(run))  # a page twice
    assert not _cached(Postings(heading={token: [0]})).fits(len(run))  # a page without its length
    assert not Postings({token: list(numbers)}).fits(len(run))  # JSON's lists are not what an entry holds


def test_postings_of_a_cache_entry_read_back_as_written_or_not_at_all():
    run = _pages("甲", 2, 20)
    found = postings(run)
    assert vars(Postings.from_plain(found.to_plain())) == {
        name: {token: array("i", numbers) for token, numbers in table.items()} for name, table in vars(found).items()}
    for junk in ({"body": {"公告": "AAE"}}, {"body": {"公告": [0, 1]}}, {"body": {"公告": "不是"}}, {"pages": {}}):
        with pytest.raises((ValueError, TypeError, AttributeError)):
            Postings.from_plain(junk)


def _cached(found: Postings) -> Postings:
    return Postings.from_plain(found.to_plain())


def test_a_page_is_read_from_its_indexed_part_as_the_whole_page_reads():
    head = ("<html><head><title>收费标准 - 临海市</title></head><body>"
            "<nav><a href='/' title='&lt;div data-search-body&gt;'>导航 &lt;div data-search-body&gt;</a></nav>")
    html = (head + "<main><div data-search-body><span data-search-meta='kind:通知公告'></span><h1>公告</h1>"
            "<p>正文<b>一</b></p></div></main><footer>页脚</footer></body></html>")
    page = read_page(html.encode(), "a/")
    assert (page.title, page.kind, page.text) == ("公告", "通知公告", "正文一")  # neither the navigation nor the footer
    assert read_page(html.replace("<h1>公告</h1>", "").encode(), "a/").title == "收费标准"  # no heading: its <title>
    # The marker in a page's text only (a notice named so, listed on the home page): nothing of it is indexed.
    assert read_page((head + "</body></html>").encode(), "") is None
