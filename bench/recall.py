"""Does the search find what is on the pages? Recall, rank of exact titles and bytes per query, in Chromium.

Builds the example office and, with --notices, the synthetic office of bench.py with that many notices; then, from
pages picked with a fixed seed, takes words as a reader sees them (the browser's innerText of the page's searchable
part: runs of two to six Han characters from random places) and each page's full title, and asks the site's own
search code (assets/searchcore.js) in Chromium. (The text is read with scripts off: hints a script adds for the
reader, such as "表格较宽" under a wide table, are not the page's content.) A word is found when its page is among the results that hold the
whole query; a title should put its page first. Bytes are what a fresh browser fetches for the search page and the
query's results (gzip-compressed, as a web server sends text).

    .venv/bin/python bench/recall.py --notices 10000 --json bench/recall.json

The ranking benchmark (--ranking): the reader queries of bench/queries.yaml on the example county, each with the page
the reader wants; how many put it first and how many in the top 3.

    .venv/bin/python bench/recall.py --ranking --json bench/recall.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

QUERIES = ROOT / "bench/queries.yaml"
HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
SEED = 20261126
RANK = """async ([query, root]) => {
  const { Index } = await import(new URL("assets/searchcore.js", root).href);
  window.gkIndex = window.gkIndex || new Index(new URL("gk-search/", root));
  return await window.gkIndex.search(query);
}"""


def searchable_pages(site: Path) -> list[str]:
    """The addresses of the built pages the build marks as searchable."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        if b"data-search-body" in path.read_bytes():
            relative = path.relative_to(site).as_posix()
            urls.append(relative[: -len("index.html")] if relative.endswith("index.html") else relative)
    return urls


def sample_queries(page, base_url: str, urls: list[str], words_per_page: int, rng: random.Random) -> list[tuple]:
    """(kind, query, url): words from each page's visible text, and each page's title."""
    queries = []
    for url in urls:
        page.goto(base_url + url)
        text = page.inner_text("[data-search-body]")
        title = page.inner_text("[data-search-body] h1").strip()
        queries.append(("title", title, url))
        runs = HAN_RUN.findall(text)
        for _ in range(words_per_page if runs else 0):
            run = rng.choice(runs)
            length = rng.randint(2, min(6, len(run)))
            start = rng.randint(0, len(run) - length)
            queries.append(("word", run[start:start + length], url))
    return queries


def ask(page, site: Path, base_url: str, queries: list[tuple]) -> list[dict]:
    """Each query through the site's search code; the rank of the query's page, or None when not found."""
    page.goto(base_url + "search/")
    addresses: dict[int, str] = {}
    results = []
    for kind, query, url in queries:
        found = page.evaluate(RANK, [query, base_url])
        ranked = []
        for number in found["pages"][: found["whole"]]:
            if number not in addresses:
                data = json.loads((site / "gk-search" / "p" / f"{number}.json").read_text(encoding="utf-8"))
                addresses[number] = data["url"]
            ranked.append(addresses[number])
        results.append({"kind": kind, "query": query, "url": url,
                        "rank": ranked.index(url) + 1 if url in ranked else None})
    return results


def load_queries(path: Path = QUERIES) -> list[dict]:
    """The reader queries of the ranking benchmark: [{query, page}], the page's address from the site's root."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def rank_queries(page, site: Path, base_url: str, queries: list[dict]) -> list[dict]:
    """Each reader query through the site's search code in Chromium: where its expected page ranks among every result
    shown (None: not shown at all)."""
    page.goto(base_url + "search/")
    addresses: dict[int, str] = {}
    results = []
    for item in queries:
        found = page.evaluate(RANK, [item["query"], base_url])
        ranked = []
        for number in found["pages"]:
            if number not in addresses:
                data = json.loads((site / "gk-search" / "p" / f"{number}.json").read_text(encoding="utf-8"))
                addresses[number] = data["url"]
            ranked.append(addresses[number])
        results.append({**item, "rank": ranked.index(item["page"]) + 1 if item["page"] in ranked else None,
                        "first": ranked[:3]})
    return results


def ranking(site: Path) -> dict:
    """The ranking benchmark on a built example county: hits at rank 1 and in the top 3."""
    from playwright.sync_api import sync_playwright
    from site_support import CHROMIUM, CHROMIUM_ARGS, serve

    base_url, server = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            results = rank_queries(browser.new_page(), site, base_url, load_queries())
            browser.close()
    finally:
        server.shutdown()
    return {"queries": len(results), "first": sum(r["rank"] == 1 for r in results),
            "top3": sum(r["rank"] is not None and r["rank"] <= 3 for r in results),
            "not_first": [f"{r['query']} → {r['page']} (rank {r['rank']}; first: {', '.join(r['first'])})"
                          for r in results if r["rank"] != 1]}


def bytes_per_query(browser, base_url: str, queries: list[str]) -> list[dict]:
    """What a fresh browser fetches to show a query's first results: all of it, and the index's share."""
    measured = []
    for query in queries:
        page = browser.new_page()
        fetched: list[tuple[str, bytes]] = []
        page.on("response", lambda response: fetched.append((response.url, response.body())) if response.ok else None)
        page.goto(base_url + "search/?q=" + query)
        page.wait_for_function("document.getElementById('gk-search-status').textContent"
                               " && !document.getElementById('gk-search-status').textContent.startsWith('正在')")
        page.wait_for_load_state("networkidle")
        sizes = [(url, len(gzip.compress(body, 9, mtime=0))) for url, body in fetched]
        measured.append({"query": query, "total": sum(size for _, size in sizes),
                         "index": sum(size for url, size in sizes if "/gk-search/" in url)})
        page.close()
    return measured


def measure(site: Path, pages: int | None, words_per_page: int, byte_queries: int) -> dict:
    from playwright.sync_api import sync_playwright
    from site_support import CHROMIUM, CHROMIUM_ARGS, serve

    rng = random.Random(SEED)
    urls = searchable_pages(site)
    if pages and len(urls) > pages:
        urls = sorted(rng.sample(urls, pages))
    base_url, server = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # The text as served: without the reader-side hints scripts add (such as "表格较宽" under a wide table).
            reader = browser.new_context(java_script_enabled=False)
            queries = sample_queries(reader.new_page(), base_url, urls, words_per_page, rng)
            reader.close()
            page = browser.new_page()
            results = ask(page, site, base_url, queries)
            chosen = rng.sample(queries, min(byte_queries, len(queries)))
            sizes = bytes_per_query(browser, base_url, ["人防"] + [query for _, query, _ in chosen])
            browser.close()
    finally:
        server.shutdown()
    words = [r for r in results if r["kind"] == "word"]
    titles = [r for r in results if r["kind"] == "title"]
    return {
        "pages_sampled": len(urls),
        "words": len(words),
        "word_recall": sum(r["rank"] is not None for r in words) / len(words),
        "missed_words": [f"{r['query']} ({r['url']})" for r in words if r["rank"] is None][:20],
        "titles": len(titles),
        "titles_first": sum(r["rank"] == 1 for r in titles),
        "worst_title_rank": max((r["rank"] or 10**9) for r in titles),
        "titles_not_first": [f"{r['query']} (rank {r['rank']})" for r in titles if r["rank"] != 1][:20],
        "first_search_bytes": sizes[0]["total"],
        "query_total_bytes_median": statistics.median(s["total"] for s in sizes[1:]),
        "query_total_bytes_max": max(s["total"] for s in sizes[1:]),
        "query_index_bytes_median": statistics.median(s["index"] for s in sizes[1:]),
        "query_index_bytes_max": max(s["index"] for s in sizes[1:]),
    }


def build(content: Path, out: Path) -> Path:
    command = [sys.executable, "-m", "generator", "build", str(content), "--as-of", "2026-11-25", "--out", str(out)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"the build failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return out


def line(name: str, row: dict) -> str:
    return (f"| {name} | {row['pages_sampled']:,} | {row['words']:,} | {row['word_recall']:.1%} | "
            f"{row['titles_first']:,} of {row['titles']:,} | {row['worst_title_rank']} | "
            f"{row['first_search_bytes'] / 1024:.0f} | {row['query_index_bytes_median'] / 1024:.1f} / "
            f"{row['query_index_bytes_max'] / 1024:.1f} | {row['query_total_bytes_median'] / 1024:.0f} / "
            f"{row['query_total_bytes_max'] / 1024:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, nargs="*", default=[], help="also the synthetic office of this size")
    parser.add_argument("--pages", type=int, default=300, help="pages sampled from a large site")
    parser.add_argument("--words", type=int, default=3, help="words sampled from each page")
    parser.add_argument("--byte-queries", type=int, default=40, help="queries whose downloads are measured")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument("--ranking", action="store_true",
                        help="only the ranking benchmark: bench/queries.yaml on the example county")
    args = parser.parse_args()
    if args.ranking:
        with tempfile.TemporaryDirectory(prefix="gongkai-ranking-") as tmp:
            result = ranking(build(ROOT / "content", Path(tmp) / "site"))
        print(f"{result['queries']} reader queries: {result['first']} at rank 1 "
              f"({result['first'] / result['queries']:.0%}), {result['top3']} in the top 3 "
              f"({result['top3'] / result['queries']:.0%})")
        print("\n".join(result["not_first"]))
        if args.json:
            measured = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
            args.json.write_text(json.dumps({**measured, "ranking": result}, ensure_ascii=False, indent=2) + "\n",
                                 encoding="utf-8")
        return
    from bench import make_office  # bench/bench.py, beside this file

    rows = {}
    with tempfile.TemporaryDirectory(prefix="gongkai-recall-") as tmp:
        work = Path(tmp)
        sites = [("example", ROOT / "content")] + [(f"{n:,} notices", None) for n in args.notices]
        for (name, content), count in zip(sites, [None, *args.notices]):
            if content is None:
                content = make_office(work / name, count)
            site = build(content, work / name / "site")
            rows[name] = measure(site, args.pages, args.words, args.byte_queries)
            print(line(name, rows[name]), file=sys.stderr, flush=True)
            if args.json:
                args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("| site | pages sampled | words | word recall | titles at rank 1 | worst title rank | first search KB |"
          " index KB per query (median / max) | all KB per query (median / max) |")
    print("|" + " --- |" * 9)
    for name, row in rows.items():
        print(line(name, row))


if __name__ == "__main__":
    main()
