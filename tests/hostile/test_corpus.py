"""Every case of the hostile-input corpus (corpus.py) through every public output.

Refused: the site build and `gongkai posters --board public` both stop with a finding at the case's file and
line, and write nothing. Neutralised: the same script payloads built with the source check switched off (only
here, in the test: no office setting can do it) reach the engine and the poster sheets, and Chromium runs none
of them on any page or sheet, and finds no event attribute, script: address, frame or object in them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOTICE, OFFICE, SERVICE
from corpus import PRIVATE, SCRIPT
from generator.publish import gate
from generator.publish.build import build
from generator.checks.check import stops_a_build
from generator.checks import publication
from generator.cli import main
from site_support import chromium, serve

AS_OF = dt.date(2025, 10, 10)  # the fixture notices run from 2025-09-26: their sheets are on the public board
COMPLAINTS_HEADER = "id,received,channel,category,summary,result,closed,published,illustrative\n"


def in_notice_body(payload: str) -> tuple[dict, str, range]:
    lines = payload.count("\n")
    return {"notices/2025/gonggao-1.md": NOTICE.replace("公告正文。", payload)}, "notices/2025/gonggao-1.md", range(20, 21 + lines)


def in_service_title(payload: str) -> tuple[dict, str, range]:
    text = SERVICE.replace("title: 测试审批", "title: " + json.dumps("测试审批" + payload, ensure_ascii=False))
    return {"services/shenpi.yaml": text}, "services/shenpi.yaml", range(2, 3)


def in_office_address(payload: str) -> tuple[dict, str, range]:
    text = OFFICE.replace("address: 示例县人民路1号", "address: " + json.dumps("示例县" + payload, ensure_ascii=False))
    return {"office.yaml": text}, "office.yaml", range(4, 5)


def in_register_cell(payload: str) -> tuple[dict, str, range]:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(
        ["1", "2025-05-06", "电话", "现场协调类", "来电反映：" + payload, "已协调。", "2025-05-06", "2025-07-01", "true"])
    return {"registers/complaints.csv": COMPLAINTS_HEADER + buffer.getvalue()}, "registers/complaints.csv", range(2, 3 + payload.count("\n"))


PLACES = [in_notice_body, in_service_title, in_office_address, in_register_cell]
CASES = ([(place, payload) for payload in SCRIPT for place in PLACES if "\n" not in payload or place is in_notice_body]
         + [(place, text) for text in PRIVATE for place in (in_notice_body, in_service_title, in_register_cell)])


@pytest.mark.parametrize("place, payload", CASES, ids=[f"{place.__name__}-{index}" for index, (place, _) in enumerate(CASES)])
def test_each_case_is_refused_with_its_file_and_line_by_every_output(office, tmp_path, place, payload):
    files, file, lines = place(payload)
    root = office(files)
    findings = [f for f in build(root, tmp_path / "site", AS_OF) if f.severity == "error"]
    assert any(f.file == file and f.line in lines for f in findings), [str(f) for f in findings]
    assert not (tmp_path / "site").exists()
    result = CliRunner().invoke(main, ["posters", str(root), "--as-of", AS_OF.isoformat(), "--out", str(tmp_path / "posters")])
    assert result.exit_code == 1 and any(f"{file}:{line}:" in result.output for line in lines), result.output
    assert not (tmp_path / "posters").exists()


# --- neutralised: the same payloads with the source check off, in a browser ---------------------------------

def hostile_office(office) -> Path:
    """One office holding every script payload: a notice each (title and text), and the YAML and CSV places."""
    files: dict = {}
    for place in (in_service_title, in_office_address, in_register_cell):
        files.update(place(SCRIPT[0])[0])
    for index, payload in enumerate(SCRIPT):
        # In the title too, unless a long unbreakable word in it would stop the sheet (an error of its own).
        title = f"公告{index}" + (payload.replace("\n", " ") if max(map(len, payload.split())) <= 24 else "")
        notice = (NOTICE.replace("id: gonggao-1", f"id: x{index}")
                  .replace("title: 测试公告", "title: " + json.dumps(title, ensure_ascii=False))
                  .replace("2025-00002", f"2025-1{index:04d}").replace("公告正文。", payload))
        files[f"notices/2025/x{index}.md"] = notice
    return office(files)


FIND_UNSAFE = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    const tag = element.tagName.toLowerCase();
    if (['iframe', 'object', 'embed', 'frame'].includes(tag)) found.push(tag);
    if (tag === 'script' && /gkxss|xss\\.rocks/.test(element.textContent + ' ' + element.src)) found.push('script: ' + element.src);
    for (const attribute of element.attributes) {
      if (/^on/i.test(attribute.name)) found.push(tag + ' ' + attribute.name);
      if (/^(href|src|action|formaction|xlink:href|data|background)$/i.test(attribute.name)) {
        let address;
        try { address = new URL(attribute.value, document.baseURI); } catch (error) { continue; }
        const image = tag === 'img' && /^data:image\\//i.test(attribute.value.trim());
        if (['javascript:', 'vbscript:'].includes(address.protocol) || (address.protocol === 'data:' && !image))
          found.push(tag + ' ' + attribute.name + '=' + attribute.value);
      }
    }
  }
  return found;
}"""


def test_no_payload_runs_in_chromium_on_any_page_or_sheet_even_past_the_source_check(office, tmp_path, monkeypatch):
    checked = gate.check_content
    monkeypatch.setattr(gate, "check_content",
                        lambda *args: [f for f in checked(*args) if f.code != "raw-html"])
    # Every notice published, even one the rules would keep back (a payload's link that leads nowhere is a dead link):
    # the sanitiser must hold for each payload on its own.
    monkeypatch.setattr(publication, "decide_all", lambda content, as_of, *rest: publication.Decision(as_of))
    site = tmp_path / "site"
    findings = [str(f) for f in build(hostile_office(office), site, AS_OF) if stops_a_build(f)]
    assert findings == [] and site.is_dir()  # (rules that only report, such as dead-link, still say their piece)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    sheets = [p for p in pages if p.startswith("posters/notice-x")]
    assert len(sheets) == len(SCRIPT) and "services/shenpi/index.html" in pages
    base, server = serve(site)
    dialogs, unsafe = [], {}
    try:
        with chromium() as browser:
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append((page.url, dialog.message)), dialog.dismiss()))
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
            for path in pages:
                page.goto(base + path, wait_until="load")
                page.wait_for_timeout(50)  # an onerror fires just after load
                found = page.evaluate(FIND_UNSAFE)
                if found:
                    unsafe[path] = found
    finally:
        server.shutdown()
    assert dialogs == [] and unsafe == {}
