"""How a county portal's build grows with offices × notices, for both site engines.

Generates a county (the example county's county.yaml and calendars, N copies
of the example office as offices/b01…, M notices in total spread evenly over
them, fixed seeds: the same arguments give the same files), then measures,
each as its own process, for each engine on the same county:

- a full build with an empty partition cache (`gongkai build --cache DIR`), with the CPU seconds of each of
  its stages (load, checks, render, engine, scan, pdfs, search, cache, merge: generator/timings.py) summed over
  its processes;
- the engine alone on the very Markdown that build gave it (each office's tree as its cache entry keeps it, and
  the portal's), so the overhead ratio, full build CPU ÷ engine-only CPU, comes from one run;
- the same build after one notice's text changes in one office (the others come from the cache);
- `gongkai validate` and `gongkai check` of the whole county;
- the bytes a reader downloads for the portal's home page and for a first search.

Memory is the whole process tree's: the build's worker processes and their
engines run at once, so the peak of any one process understates it. A sampler
sums every descendant's proportional set size (PSS: pages shared after a fork
count once, split between the sharers) every 0.2 s; the largest single process
(its maximum resident set, from the kernel) is reported beside it.

    .venv/bin/python bench/county.py --offices 4 --notices 2000 --json bench/county-4x2000.json
    .venv/bin/python bench/county.py --offices 40 --notices 100000 --json bench/county-40x100000.json
    .venv/bin/python bench/county.py --table bench/county-4x2000.json   # the README's tables
    .venv/bin/python bench/county.py --keep DIR --no-checks --engines zensical   # the county of an earlier --keep DIR
    .venv/bin/python bench/county.py --keep DIR --engines mkdocs --index-pages 100000   # the search index alone
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

from stdnum.cn import uscc

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import AS_OF, ROOT, downloads, folder_size, notice_text  # noqa: E402
from generator import timings  # noqa: E402

EXAMPLE_OFFICE = ROOT / "content/offices/rfb"


def make_county(folder: Path, offices: int, notices: int) -> Path:
    """A county of `offices` offices holding `notices` generated notices in all (the first offices one more
    when they do not divide evenly), each office with its own name and seed."""
    county = folder / "county"
    county.mkdir(parents=True)
    shutil.copy2(ROOT / "content/county.yaml", county / "county.yaml")
    shutil.copytree(ROOT / "content/calendar", county / "calendar")
    name = re.search(r"^name: (.+)$", (EXAMPLE_OFFICE / "office.yaml").read_text(encoding="utf-8"), re.M).group(1)
    for number in range(1, offices + 1):
        office = county / "offices" / f"b{number:02d}"
        shutil.copytree(EXAMPLE_OFFICE, office)
        own_name = f"临海市第{number}部门"
        for path in office.rglob("*"):  # the office's own name wherever the example names itself (发布机构 included)
            if path.suffix in (".yaml", ".md", ".csv"):
                path.write_text(path.read_text(encoding="utf-8").replace(name, own_name), encoding="utf-8")
        (office / "office.yaml").write_text(own_department(
            (office / "office.yaml").read_text(encoding="utf-8"), number), encoding="utf-8")
        rng, serials = random.Random(20261125 + number), {}
        for index in range(notices // offices + (number <= notices % offices)):
            rel, text = notice_text(rng, index, serials)
            path = office / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text.replace(name, own_name), encoding="utf-8")
    return county


def own_department(office_yaml: str, number: int) -> str:
    """The example's office.yaml as the number-th department's: its own short name and 统一社会信用代码 (the rule
    duplicate-office refuses a copied one); the generated 索引号 keep the example's code as an older prefix."""
    old_code = re.search(r"^credit_code: (.+)$", office_yaml, re.M).group(1)
    code = f"11331082MB{number:07d}"
    code += uscc.calc_check_digit(code)
    office_yaml = re.sub(r"^credit_code: .+$", f"credit_code: {code}\nindex_prefixes: [{old_code}]", office_yaml,
                         count=1, flags=re.M)
    return re.sub(r"^short_name: .+$", f"short_name: 临海市部门{number}", office_yaml, count=1, flags=re.M)


def change_one_notice(county: Path) -> Path:
    """One notice of the first office (the last by path) gets one more sentence, as a clerk's correction would."""
    notice = max((county / "offices/b01/notices").rglob("*-*-*.md"))
    notice.write_text(notice.read_text(encoding="utf-8") + "\n本公示内容已于今日更正。\n", encoding="utf-8")
    return notice


def _tree(root: int) -> list[int]:
    """root and all its descendants now alive."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(command: list[str], cwd: Path, ok=(0,), env: dict | None = None) -> dict:
    """Wall seconds; CPU seconds of the whole tree (on a shared machine wall time grows with the load, CPU
    time much less: CPU seconds / cores bounds the wall time of an idle machine from below); the process
    tree's peak PSS sum (MB); the largest single process's peak RSS (MB); the machine's load average (1 minute) at
    its lowest and highest while the command ran."""
    wrapper = [sys.executable, "-c", (  # as bench.py: reaps the whole tree, so RUSAGE_CHILDREN covers every descendant
        "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]).returncode; "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(u.ru_maxrss, u.ru_utime + u.ru_stime, file=sys.stderr); sys.exit(r)"), *command]
    start = time.perf_counter()
    process = subprocess.Popen(wrapper, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, **(env or {})})
    peak, loads, done = [0], [os.getloadavg()[0]], threading.Event()

    def sample():
        while not done.wait(0.2):
            peak[0] = max(peak[0], sum(_pss_kb(pid) for pid in _tree(process.pid)))
            loads.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read().decode()
    _, status, _usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) not in ok:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
    largest, cpu = stderr.strip().splitlines()[-1].split()
    return {"s": round(seconds, 2), "cpu_s": round(float(cpu), 1), "tree_peak_mb": peak[0] // 1024,
            "process_peak_mb": int(largest) // 1024, "load_min": round(min(loads), 1), "load_max": round(max(loads), 1)}


def timed_build(command: list[str], cwd: Path, record: Path) -> dict:
    """timed(), and the build's own account of its stages: CPU seconds each (summed over its processes), "other"
    the rest of the tree's (Python start-up and imports, the worker pool), and each one's share of the whole; and
    the stages' CPU seconds in the main process alone (the portal, the merge, the search index: what no other
    core shares)."""
    record.unlink(missing_ok=True)
    result = timed(command, cwd, ok=(0, 1), env={timings.ENV: str(record)})
    account = timings.totals(record)
    stages = account["stages"]
    stages["other"] = round(result["cpu_s"] - sum(stages.values()), 2)
    lines = [json.loads(line) for line in record.read_text(encoding="ascii").splitlines()]
    main = next(line["pid"] for line in lines if line["stage"] == "merge")  # build() itself, in the main process
    return {**result, "stages": stages, "stage_share": {name: round(cpu / result["cpu_s"], 3) for name, cpu in stages.items()},
            "processes": account["processes"],
            "main_process_cpu_s": round(sum(line["cpu_s"] for line in lines if line["pid"] == main), 1)}


def engine_only(county: Path, cache: Path, scratch: Path, engine: str) -> dict:
    """The site engine alone, run as the build runs it, on the Markdown the build gave it: each office's tree as its
    cache entry keeps it (mkdocs.yml, docs/, the theme), and the portal's pages rendered again from the offices'
    cached summaries (the same bytes the build rendered: a build is deterministic). One engine after the other, so
    the CPU seconds add up; wall seconds are theirs summed."""
    from generator.content.county import load_county
    from generator.publish.engine import EngineInput, engine_command, write_engine_input
    from generator.publish.cache import ENTRY
    from generator.render.portal import render_portal
    from generator.render.site import ENGINE_SETTINGS, THEME_DIR

    shutil.rmtree(scratch, ignore_errors=True)
    loaded, _ = load_county(county)
    entries = [next(p for p in (cache / office).iterdir() if (p / ENTRY).is_file()) for office in loaded.offices]
    folders = []
    for office, entry in zip(loaded.offices, entries):
        keep = {"mkdocs.yml", "docs", THEME_DIR}
        folders.append(shutil.copytree(entry, scratch / office, copy_function=os.link,
                                       ignore=lambda where, names, top=entry: [n for n in names if Path(where) == top
                                                                              and n not in keep]))
    summaries = [json.loads((entry / ENTRY).read_bytes())["partition"]["summary"] for entry in entries]
    docs, settings = render_portal(loaded, summaries, AS_OF, ENGINE_SETTINGS)
    (scratch / "portal").mkdir(parents=True)
    write_engine_input(EngineInput(docs, settings, [], {}), scratch / "portal")
    folders.append(scratch / "portal")
    runs = [timed(engine_command(engine, folder / "mkdocs.yml"), folder) for folder in folders]
    return {"s": round(sum(r["s"] for r in runs), 2), "cpu_s": round(sum(r["cpu_s"] for r in runs), 1),
            "process_peak_mb": max(r["process_peak_mb"] for r in runs), "runs": len(runs),
            "html_pages": sum(1 for folder in folders for _ in (folder / "site").rglob("*.html"))}


def measure(county: Path, work: Path, engine: str, gongkai: list[str]) -> dict:
    as_of = ["--as-of", AS_OF.isoformat()]
    cache, site = work / f"cache-{engine}", work / f"site-{engine}"
    shutil.rmtree(cache, ignore_errors=True)  # a full build starts from nothing, also on a kept folder
    build = [*gongkai, "build", str(county), *as_of, "--engine", engine, "--cache", str(cache), "--out", str(site), "--no-editor"]
    row: dict = {"engine": engine, "load": os.getloadavg()[0]}
    row["full_build"] = timed_build(build, work, work / f"timings-{engine}-full.jsonl")
    row["site_bytes"], row["html_pages"] = folder_size(site)
    row["html_bytes"] = sum(p.stat().st_size for p in site.rglob("*.html"))
    row["engine_only"] = engine_only(county, cache, work / f"engine-only-{engine}", engine)
    row["overhead_ratio"] = round(row["full_build"]["cpu_s"] / row["engine_only"]["cpu_s"], 2)
    row["cpu_ms_per_page"] = round(1000 * row["full_build"]["cpu_s"] / row["html_pages"], 1)
    row["engine_cpu_ms_per_page"] = round(1000 * row["engine_only"]["cpu_s"] / row["html_pages"], 1)
    row["html_bytes_per_page"] = row["html_bytes"] // row["html_pages"]
    row["bytes_per_page"] = row["site_bytes"] // row["html_pages"]
    row.update(downloads(site))
    changed = change_one_notice(county)
    row["one_notice_build"] = timed_build(build, work, work / f"timings-{engine}-one-notice.jsonl")
    changed.write_text(changed.read_text(encoding="utf-8").removesuffix("\n本公示内容已于今日更正。\n"), encoding="utf-8")
    row["one_notice_share"] = round(row["one_notice_build"]["cpu_s"] / row["full_build"]["cpu_s"], 3)
    row["load_after"] = os.getloadavg()[0]
    return row


def measure_index(cache: Path, pages: int) -> dict:
    """The county's search index alone over about `pages` pages, merged as a build merges it: each office's pages
    and postings from a partition cache (the partition.json files a --keep run left), whole partitions repeated
    under other addresses until there are that many. A one-notice rebuild merges every office's postings, so this
    is its part that grows with the whole county."""
    import resource

    from generator.render import searchindex
    from generator.publish.cache import Partition

    found = [Partition.from_plain(json.loads(path.read_bytes())["partition"])
             for path in sorted(cache.glob("*/*/partition.json"))]  # the entry: the partition and its files' digests
    runs, count = [], 0
    while count < pages:
        for partition in found:
            runs.append(([replace(page, url=f"c{len(runs)}/{page.url}") for page in partition.pages], partition.postings))
            count += len(partition.pages)
    start, cpu = time.perf_counter(), time.process_time()
    sizes = [len(data) for _name, data in searchindex.merged_index_files(runs)]  # each let go, as the build writes it
    return {"pages": count, "from_pages": sum(len(p.pages) for p in found), "s": round(time.perf_counter() - start, 1),
            "cpu_s": round(time.process_time() - cpu, 1), "files": len(sizes),
            "bytes": sum(sizes), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def tables(results: list[dict]) -> str:
    """Markdown tables of results (bench/county-OxN.json): the builds, their stages' shares, the checks."""
    def county(result):
        return f"{result['machine']['offices']} × {result['machine']['notices']:,}"

    def load(run):
        return f"{run['load_min']:.0f}–{run['load_max']:.0f}" if "load_min" in run else "?"

    lines = ["| county | engine | full build CPU s | wall s (load) | CPU ms per page | engine alone CPU s | overhead ratio"
             " | one notice changed CPU s | share of full | wall s (load) | tree peak MB | pages | HTML KB per page"
             " | all KB per page | home KB | first search KB |", "|" + " --- |" * 16]
    for result in results:
        for row in result["rows"]:
            full, one = row["full_build"], row["one_notice_build"]
            lines.append(
                f"| {county(result)} | {row['engine']} | {full['cpu_s']:.1f} | {full['s']:.0f} ({load(full)})"
                f" | {row['cpu_ms_per_page']:.1f} | {row['engine_only']['cpu_s']:.1f} | {row['overhead_ratio']:.2f}"
                f" | {one['cpu_s']:.1f} | {row['one_notice_share']:.0%} | {one['s']:.0f} ({load(one)})"
                f" | {full['tree_peak_mb']:,} | {row['html_pages']:,} | {row['html_bytes_per_page'] / 1024:.1f}"
                f" | {row['bytes_per_page'] / 1024:.1f} | {row['home_page'] / 1024:.0f} | {row['first_search'] / 1024:.0f} |")
    names = [*timings.STAGES, "other"]
    lines += ["", "| county | engine | build | " + " | ".join(names) + " |", "|" + " --- |" * (3 + len(names))]
    for result in results:
        for row in result["rows"]:
            for title, run in (("full", row["full_build"]), ("one notice", row["one_notice_build"])):
                lines.append(f"| {county(result)} | {row['engine']} | {title} | " + " | ".join(
                    f"{run['stages'].get(name, 0):.1f} ({run['stage_share'].get(name, 0):.0%})" for name in names) + " |")
    lines += ["", "| county | validate CPU s | wall s (load) | check CPU s | wall s (load) | peak MB |", "|" + " --- |" * 6]
    for result in results:
        if "checks" in result:
            validate, check = result["checks"]["validate"], result["checks"]["check"]
            lines.append(f"| {county(result)} | {validate['cpu_s']:.1f} | {validate['s']:.0f} ({load(validate)})"
                         f" | {check['cpu_s']:.1f} | {check['s']:.0f} ({load(check)}) | {check['tree_peak_mb']:,} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=4)
    parser.add_argument("--notices", type=int, default=2000, help="in all, spread evenly over the offices")
    parser.add_argument("--engines", nargs="+", default=["mkdocs"], choices=["mkdocs", "zensical"])
    parser.add_argument("--keep", type=Path, help="generate the county here and keep it (and the sites); a folder"
                        " that holds one already is measured again as it is")
    parser.add_argument("--no-checks", action="store_true", help="measure the builds only")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument("--index-pages", type=int, metavar="N", help="instead: time the search index's merge alone over"
                        " about N pages taken from the partition cache --keep DIR/cache-ENGINE of an earlier run")
    parser.add_argument("--table", type=Path, nargs="+", metavar="JSON", help="instead: print the README's tables of"
                        " these results")
    args = parser.parse_args()
    if args.table:
        print(tables([json.loads(path.read_text(encoding="utf-8")) for path in args.table]))
        return
    if args.index_pages:
        print(json.dumps(measure_index(args.keep / f"cache-{args.engines[0]}", args.index_pages)))
        return
    gongkai = [sys.executable, "-m", "generator"]
    meta = {"as_of": AS_OF.isoformat(), "cpus": os.cpu_count(), "python": sys.version.split()[0],
            "offices": args.offices, "notices": args.notices, "command": " ".join(sys.argv),
            "commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                     text=True).stdout.strip(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    with tempfile.TemporaryDirectory(prefix="gongkai-county-") as tmp:
        work = args.keep or Path(tmp)
        start = time.perf_counter()
        reuse = (work / "county").is_dir()  # --keep of an earlier run: the same county, measured again
        county = work / "county" if reuse else make_county(work, args.offices, args.notices)
        meta["generate_s"] = round(time.perf_counter() - start, 1)
        meta["county_files"] = sum(1 for p in county.rglob("*") if p.is_file())
        print(json.dumps(meta, ensure_ascii=False), file=sys.stderr, flush=True)
        result = {"machine": meta, "rows": []}
        if not args.no_checks:
            checks = {"load": os.getloadavg()[0]}
            checks["validate"] = timed([*gongkai, "validate", str(county)], work, ok=(0, 1))
            checks["check"] = timed([*gongkai, "check", str(county), "--as-of", AS_OF.isoformat()], work, ok=(0, 1))
            result["checks"] = checks
            print(json.dumps(checks), file=sys.stderr, flush=True)
        for engine in args.engines:
            result["rows"].append(measure(county, work, engine, gongkai))
            print(json.dumps(result["rows"][-1]), file=sys.stderr, flush=True)
            if args.json:
                args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
