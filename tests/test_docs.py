"""Docs that cannot drift: the guide's examples build a valid office, the field reference is current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from generator.tools import fielddocs
from generator.content.types import all_types
from generator.checks.validate import load_content

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLE = re.compile(r'^```\w+ title="content/(?P<path>[^"]+)"\n(?P<text>.*?)^```$', re.S | re.M)


def guide_examples() -> dict[str, str]:
    return {m["path"]: m["text"] for m in EXAMPLE.finditer((DOCS / "content-guide.md").read_text(encoding="utf-8"))}


def test_guide_examples_make_a_valid_office(tmp_path):
    for rel, text in guide_examples().items():
        if rel == "county.yaml":  # the county's file: the next test's county holds it
            continue
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    content, findings = load_content(tmp_path)
    assert [str(f) for f in findings] == []
    assert content.office.get("name") == "示例县人民防空办公室"


def test_guide_has_an_example_of_every_content_type():
    examples = guide_examples()
    missing = [t.kind for t in all_types() if not any(Path(rel).match(t.pattern) for rel in examples)]
    assert missing == []


def test_field_reference_is_current():
    assert (DOCS / "fields.md").read_text(encoding="utf-8") == fielddocs.render(), (
        "docs/fields.md is out of date: run python -m generator.tools.fielddocs > docs/fields.md")


def test_the_rules_schema_lists_every_rule_and_parameter():
    import json

    committed = json.loads((DOCS.parent / "schemas/rules.schema.json").read_text(encoding="utf-8"))
    assert committed == fielddocs.rules_schema(), (
        "schemas/rules.schema.json is out of date: run python -m generator.tools.fielddocs --rules-schema > schemas/rules.schema.json")


def test_guide_examples_make_a_valid_office_of_a_county_as_the_guide_says(tmp_path):
    """新增一个部门: the office's files in offices/<id>/, office.yaml without site_url, the calendar the county's."""
    from conftest import write_county

    examples = guide_examples()
    county = write_county(tmp_path / "content", {}, county_file=examples.pop("county.yaml"))
    guide = (DOCS / "content-guide.md").read_text(encoding="utf-8")
    assert "content/offices/nyj/office.yaml" in guide and "不写 `site_url`" in guide
    for rel, text in examples.items():
        if rel == "office.yaml":  # the two keys the guide says an office in a county does not write
            text = re.sub(r"^site_url:.*\n|^registration:\n(  .*\n)+", "", text, flags=re.M)
        path = county / (rel if rel.startswith("calendar/") else f"offices/nyj/{rel}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    content, findings = load_content(county / "offices" / "nyj")
    assert [str(f) for f in findings] == []
    assert content.office.get("site_url") == "https://www.example.gov.cn/nyj/"


def test_every_content_file_the_messages_name_is_described_in_the_guide():
    """Validate's hints say 见 docs/content-guide.md 中的“<label>”: the clerk searches the guide for that name, and the
    county's file has a section of its own under it."""
    from generator.content.county import COUNTY_TYPE

    guide = (DOCS / "content-guide.md").read_text(encoding="utf-8")
    assert [t.label for t in all_types() if t.label not in guide] == []
    headings = re.findall(r"^#+ (.*)$", guide, re.M)
    assert [h for h in headings if COUNTY_TYPE.label in h and "county.yaml" in h]


def test_the_guide_lists_the_reserved_office_ids_the_tool_refuses():
    from generator.content.county import RESERVED

    guide = (DOCS / "content-guide.md").read_text(encoding="utf-8")
    listed = re.search(r"不能用门户自己的网页和文件夹名：(.*?)。", guide, re.S)[1]
    assert sorted(re.sub(r"\s", "", listed).split("、")) == sorted(RESERVED)


def test_the_schema_lines_the_guide_gives_an_office_in_a_county_lead_to_the_schemas():
    """新增一个部门 step 2: an office's files sit two folders deeper than section 2's (offices/<id>/)."""
    guide = (DOCS / "content-guide.md").read_text(encoding="utf-8")
    step = guide[guide.index("部门文件夹里的文件比第二节的示例多"):]
    assert step.startswith("部门文件夹里的文件比第二节的示例多两层")
    office = DOCS.parent / "content/offices/nyj"
    given = dict(re.findall(r"`([\w/编号.]+)` 写\s*`\$schema=([^`]+)`", step[:600]))
    assert set(given) == {"office.yaml", "services/编号.yaml"}
    for rel, reference in given.items():
        assert (office / rel).parent.joinpath(reference).resolve().is_file(), (rel, reference)
    examples = guide_examples()
    for rel in ("office.yaml", "services/rfgc-chubu-sheji.yaml"):
        section_two = re.search(r"\$schema=(\S+)", examples[rel])[1]
        in_county = given[rel.replace("rfgc-chubu-sheji", "编号")]
        assert in_county == "../../" + section_two


def test_the_rules_are_described_in_chinese():
    """docs/fields.md is the clerks' page: each rule's 说明 is its SUMMARY in Chinese, not the module's English docstring."""
    rules = fielddocs.render().split("## 检查规则 {#rules}")[1]
    rows = [line.split(" | ")[1] for line in rules.splitlines() if line.startswith("| `")]
    assert len(rows) > 20
    english = [re.sub(r"`[^`]*`", "", row) for row in rows]
    assert [row for row in english if re.search(r"[A-Za-z]+(?:[ ,]+[A-Za-z]+){2,}", row)] == []


def test_the_readmes_check_report_is_what_check_prints():
    """The README shows a clerk the report of a day when something is due: it must be the one check gives."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The check report on a day when something is due"):]
    command = re.search(r"`\.venv/bin/gongkai (check [^`]+)`", section)[1].split()
    shown = re.search(r"```text\n(.*?)```", section, re.S)[1]
    printed = subprocess.run([sys.executable, "-m", "generator", "--lang", "zh", *command], cwd=ROOT,
                             capture_output=True, text=True, encoding="utf-8")
    assert printed.returncode == 1 and printed.stdout == shown, printed.stdout + printed.stderr
