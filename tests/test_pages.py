"""What the generated pages promise a reader follows the office's own content, not the example office's."""

from __future__ import annotations

import datetime as dt

from generator.render.site import render_site
from generator.checks.validate import load_content
from generator.content.workdays import WorkCalendar

AS_OF = dt.date(2025, 11, 25)


def pages(root) -> dict[str, str]:
    content, findings = load_content(root)
    assert [f for f in findings if f.severity == "error"] == []
    return {path: data.decode() for path, data in render_site(content, WorkCalendar.from_content(content), AS_OF).files.items()
            if path.endswith(".md")}


def test_the_guide_names_only_the_channels_and_the_mailbox_the_office_has(office):
    guide = pages(office({}))["guide/index.md"]
    assert "公开的渠道有本网站、办公楼的政务公开栏。" in guide  # the channels the fixture's catalog names
    assert "便民手册" not in guide and "电子邮件" not in guide  # and it has no mailbox


def test_an_office_without_regulations_says_so_instead_of_an_empty_table(office):
    page = pages(office({}))["regulations/index.md"]
    assert "发布后在此列出" in page and "| 序号 |" not in page


def test_the_inspection_register_says_what_this_offices_rules_require(office):
    # One office's rules ask for three inspections a year, a 机关党支部's none: the page must not say 两次 for both.
    three = pages(office({"rules.yaml": "rules:\n  inspection-frequency:\n    inspections_per_year: 3\n"}))
    assert "每年监督检查不少于3次、考核不少于1次" in three["registers/inspections.md"]
    none = pages(office({"rules.yaml": "rules:\n  inspection-frequency:\n    severity: off\n"}))
    assert "不要求定期监督检查" in none["registers/inspections.md"]


def test_an_empty_register_says_so_instead_of_an_empty_table(office):
    page = pages(office({"registers/inspections.csv": None}))["registers/inspections.md"]
    assert "暂无记录" in page and "| --- |" not in page
