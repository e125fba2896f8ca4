"""How Gongkai's cost grows with the number of notices.

Generates a synthetic office (the example office plus N notices of realistic
length, fixed seed), then measures each stage as its own process: validate,
check, a full build with and without the search index, the posters, and a
plain `mkdocs build` of the very same Markdown (so the generator's overhead is
a ratio measured in the same run). Also measures peak memory, site size and
the bytes a reader downloads for the home page and for a first search.

    .venv/bin/python bench/bench.py --sizes 100 1000 10000 --json bench/results.json
    .venv/bin/python bench/bench.py --register-mb 12.5 50   # a huge register: every scan must stay linear
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = dt.date(2026, 11, 25)
TYPES = [("通知公告", 0.55), ("人事公示", 0.2), ("党务公开", 0.1), ("重大事项公示", 0.1), ("听证公告", 0.05)]
PHRASES = ["根据《临海市人防办政务公开工作制度》", "为进一步改进机关工作作风", "增强办事透明度", "认真听取群众的建议和意见",
           "主动接受群众和社会的监督", "人民防空工程建设", "防空地下室易地建设", "防空警报设施", "人口疏散基地",
           "城市防空袭方案", "重要经济目标防护", "公示期间", "欢迎社会各界提出意见和建议", "经主任办公会研究",
           "现予公示", "联系电话0576-5115183", "承办科室", "综合科", "工程管理科", "指挥通信科", "资料齐全的",
           "在受理后2个工作日内办结", "一次性告知", "首问责任制", "限时办结", "廉洁自律", "收费标准",
           "省财政、物价部门批准", "行政许可事项", "办理程序", "办理结果"]
PARTS = ["一、基本情况", "二、必要性和可行性说明", "三、统计数据和调查分析", "四、论证经过", "五、法律分析意见",
         "六、收集反馈信息的渠道", "七、其他需要公示的内容"]
SLUGS = {"通知公告": "tongzhi", "人事公示": "renshi", "党务公开": "dangwu", "重大事项公示": "zhongda", "听证公告": "tingzheng"}
CATALOG = {"通知公告": "tongzhi-gonggao", "人事公示": "renshi-gongshi", "党务公开": "renshi-gongshi",
           "重大事项公示": "zhongda-shixiang", "听证公告": "tingzheng-gonggao"}


def paragraph(rng: random.Random, sentences: int) -> str:
    return "".join("，".join(rng.sample(PHRASES, rng.randint(3, 6))) + "。" for _ in range(sentences))


def notice_text(rng: random.Random, index: int, serials: dict[int, int]) -> tuple[str, str]:
    notice_type = rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
    first = AS_OF - dt.timedelta(days=rng.randint(0, 3650)) if index % 500 else AS_OF - dt.timedelta(days=2)
    year = first.year
    serials[year] = serials.get(year, 100) + 1
    record_id = f"{SLUGS[notice_type]}-{year}-{serials[year]:05d}"
    approver = {"重大事项公示": "主任办公会", "人事公示": "支委会", "党务公开": "支委会"}.get(notice_type)  # rules/approvals.py
    approvals = f"approvals:\n  - by: {approver}\n    date: {(first - dt.timedelta(days=2)).isoformat()}\n" if approver else ""
    period = {"重大事项公示": "working_days: 10", "人事公示": "days: 5", "党务公开": "days: 7"}.get(notice_type, "working_days: 5")
    body = ("\n\n".join(f"## {part}\n\n{paragraph(rng, 3)}" for part in PARTS) if notice_type == "重大事项公示"
            else "\n\n".join(paragraph(rng, 4) for _ in range(5)))
    extra = ""
    if notice_type == "听证公告":
        notice_type, extra = "通知公告", ""  # a hearing needs its decision; synthetic ones are plain announcements
    text = f"""---
id: {record_id}
title: 关于{rng.choice(PHRASES)}的{notice_type}（第{index}号）
type: {notice_type}
index_no: 11331082MB1947351Y/{year}-{serials[year]:05d}
issuer: 临海市人民防空办公室
written: {first.isoformat()}
published: {first.isoformat()}
topic: 综合政务
mode: 主动公开
catalog: {CATALOG[notice_type]}
first_day: {first.isoformat()}
period:
  {period}
{approvals}feedback:
  - type: 电话
    value: 0576-5115183
{extra}---

{body}
"""
    return f"notices/{year}/{record_id}.md", text


def make_office(folder: Path, count: int) -> Path:
    """The example county's first office with `count` notices more, inside its county (the calendars are the
    county's): the folder a clerk checks, previews and builds."""
    shutil.copytree(ROOT / "content", folder / "content")
    content = folder / "content" / "offices" / "rfb"
    rng = random.Random(20261125)
    serials: dict[int, int] = {}
    for index in range(count):
        rel, text = notice_text(rng, index, serials)
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content


def run(command: list[str], cwd: Path) -> tuple[float, int]:
    """Seconds and peak resident memory (MB) of one command, counting its child processes."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss // 1024


def peak_with_children(command: list[str], cwd: Path) -> tuple[float, int]:
    """Like run(), but through a wrapper so the peak of the engine's own child processes counts too."""
    wrapper = [sys.executable, "-c", (
        "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]).returncode; "
        "print(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss), file=sys.stderr); sys.exit(r)"), *command]
    start = time.perf_counter()
    result = subprocess.run(wrapper, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return seconds, int(result.stderr.strip().splitlines()[-1]) // 1024


def plain_mkdocs(content: Path, work: Path) -> float:
    """Render the same Markdown tree, then time mkdocs alone on it."""
    from generator.publish.engine import render_engine_input, write_engine_input
    from generator.render.site import ENGINE_SETTINGS
    from generator.checks.validate import load_content
    from generator.content.workdays import WorkCalendar

    loaded, _ = load_content(content)
    stage = work / "plain"
    stage.mkdir()
    write_engine_input(render_engine_input(loaded, WorkCalendar.from_content(loaded), AS_OF, ENGINE_SETTINGS), stage)
    seconds, _ = run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", "mkdocs.yml"], stage)
    return seconds


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), sum(1 for p in files if p.suffix == ".html")


def downloads(site: Path) -> dict[str, int]:
    """Bytes a reader's browser fetches (gzip-compressed as a web server sends text; fonts are system fonts)."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from site_support import CHROMIUM, CHROMIUM_ARGS, serve

    url, server = serve(site)
    result = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path, ready in (("home_page", "", "body"), ("first_search", "search/?q=人防", ".gk-search-result-link")):
                page = browser.new_page()
                fetched: list[bytes] = []
                page.on("response", lambda response: fetched.append(response.body()) if response.ok else None)
                page.goto(url + path)
                page.wait_for_selector(ready, state="attached", timeout=120000)
                page.wait_for_load_state("networkidle")
                result[name] = sum(len(gzip.compress(body, 9, mtime=0)) if not body[:2] == b"\x1f\x8b" else len(body)
                                   for body in fetched)
                result[name + "_raw"] = sum(len(body) for body in fetched)
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return result


def measure(count: int, gongkai: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        work = Path(tmp)
        content = make_office(work, count)
        as_of = ["--as-of", AS_OF.isoformat()]
        row: dict = {"notices": count}
        row["validate_s"], row["validate_mb"] = run([*gongkai, "validate", str(content)], work)
        row["check_s"], row["check_mb"] = run([*gongkai, "check", str(content), *as_of], work)
        row["build_s"], row["build_peak_mb"] = peak_with_children(
            [*gongkai, "build", str(content), *as_of, "--out", str(work / "site")], work)
        row["build_no_search_s"], _ = peak_with_children(
            [*gongkai, "build", str(content), *as_of, "--no-search", "--out", str(work / "site-plain")], work)
        row["posters_s"], _ = run([*gongkai, "posters", str(content), *as_of, "--out", str(work / "posters")], work)
        row["mkdocs_only_s"] = plain_mkdocs(content, work)
        row["overhead_ratio"] = (row["build_no_search_s"] - row["mkdocs_only_s"]) / row["mkdocs_only_s"]
        row["site_bytes"], row["html_pages"] = folder_size(work / "site")
        row["pages_per_s"] = row["html_pages"] / row["build_s"]
        row["largest_page_bytes"] = max(p.stat().st_size for p in (work / "site").rglob("*.html"))
        row.update(downloads(work / "site"))
        return row


def register_rows(rng: random.Random, megabytes: float):
    """Complaint rows of realistic text, numbers included (the scans read every digit), up to a size in MB."""
    header = "id,received,channel,category,summary,result,closed,published,illustrative\n"
    size, index = len(header.encode()), 0
    yield header
    while size < megabytes * (1 << 20):
        index += 1
        day = dt.date(2025, 1, 1) + dt.timedelta(days=index % 300)
        summary = paragraph(rng, 2).replace(",", "，") + f"涉及金额{rng.randint(100, 99999)}元，编号{rng.randint(10**9, 10**10)}。"
        row = (f"2025-{index},{day},电话,现场协调类,{summary},已办结，电话0576-5115183告知结果。,{day},"
               f"{day + dt.timedelta(days=30)},true\n")
        size += len(row.encode())
        yield row


def measure_register(megabytes: float, gongkai: list[str]) -> dict:
    """`gongkai check` on the example office with a complaints register of this size: every scan reads it."""
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        work = Path(tmp)
        content = make_office(work, 0)
        register = content / "registers/complaints.csv"
        with register.open("w", encoding="utf-8") as out:
            out.writelines(register_rows(random.Random(20261125), megabytes))
        seconds, peak = run([*gongkai, "check", str(content), "--as-of", AS_OF.isoformat()], work)
        size = register.stat().st_size / (1 << 20)
        return {"register_mb": round(size, 1), "check_s": seconds, "check_mb": peak, "s_per_mb": seconds / size}


COLUMNS = [("notices", "notices", "{:,}"), ("validate_s", "validate s", "{:.2f}"), ("check_s", "check s", "{:.2f}"),
           ("build_s", "build s", "{:.1f}"), ("build_no_search_s", "no search s", "{:.1f}"),
           ("mkdocs_only_s", "mkdocs only s", "{:.1f}"), ("overhead_ratio", "overhead", "{:.0%}"),
           ("posters_s", "posters s", "{:.1f}"), ("build_peak_mb", "peak MB", "{:,}"), ("html_pages", "pages", "{:,}"),
           ("pages_per_s", "pages/s", "{:.0f}"), ("site_bytes", "site MB", None), ("largest_page_bytes", "largest page KB", None),
           ("home_page", "home KB", None), ("first_search", "first search KB", None)]


def table(rows: list[dict]) -> str:
    def cell(row, key, fmt):
        value = row[key]
        if fmt is None:
            return f"{value / (1 << 20):.1f}" if key == "site_bytes" else f"{value / 1024:.0f}"
        return fmt.format(value)

    lines = ["| " + " | ".join(title for _, title, _ in COLUMNS) + " |", "|" + " --- |" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(row, key, fmt) for key, _, fmt in COLUMNS) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument("--register-mb", type=float, nargs="+", metavar="MB",
                        help="instead: check with a complaints register of these sizes (e.g. 12.5 50); linear scans"
                             " keep the seconds per MB the same")
    args = parser.parse_args()
    gongkai = [sys.executable, "-m", "generator"]
    if args.register_mb:
        for megabytes in args.register_mb:
            print(json.dumps(measure_register(megabytes, gongkai)), flush=True)
        return
    rows = []
    meta = {"as_of": AS_OF.isoformat(), "cpus": os.cpu_count(), "python": sys.version.split()[0]}
    for count in args.sizes:
        rows.append(measure(count, gongkai))
        print(table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)  # each size as soon as it is known
        if args.json:
            args.json.write_text(json.dumps({"machine": meta, "rows": rows}, ensure_ascii=False, indent=2) + "\n")
    print(table(rows))


if __name__ == "__main__":
    main()
