"""Docs that cannot drift: the guide's examples build a valid office, the field reference is current."""

from __future__ import annotations

import re
from pathlib import Path

from generator.tools import fielddocs
from generator.content.types import all_types
from generator.checks.validate import load_content

DOCS = Path(__file__).resolve().parent.parent / "docs"
EXAMPLE = re.compile(r'^```\w+ title="content/(?P<path>[^"]+)"\n(?P<text>.*?)^```$', re.S | re.M)


def guide_examples() -> dict[str, str]:
    return {m["path"]: m["text"] for m in EXAMPLE.finditer((DOCS / "content-guide.md").read_text(encoding="utf-8"))}


def test_guide_examples_make_a_valid_office(tmp_path):
    for rel, text in guide_examples().items():
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

    county = write_county(tmp_path / "content", {})
    guide = (DOCS / "content-guide.md").read_text(encoding="utf-8")
    assert "content/offices/nyj/office.yaml" in guide and "不写 `site_url`" in guide
    for rel, text in guide_examples().items():
        if rel == "office.yaml":  # the two keys the guide says an office in a county does not write
            text = re.sub(r"^site_url:.*\n|^registration:\n(  .*\n)+", "", text, flags=re.M)
        path = county / (rel if rel.startswith("calendar/") else f"offices/nyj/{rel}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    content, findings = load_content(county / "offices" / "nyj")
    assert [str(f) for f in findings] == []
    assert content.office.get("site_url") == "https://www.example.gov.cn/nyj/"
