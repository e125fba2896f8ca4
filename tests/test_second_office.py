"""A second office, written from the content guide alone as a clerk would: a 机关党支部 under the seed's
党务政务公开工作制度 (公开前报经书记审核，重要事项支委会审批; 党务公开至少一周; 定期公开). Violations a clerk
might make are planted in it; each is found at its file and line, and the clean office has no finding."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from conftest import catalog_item, notice_text, write_tree

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 25)
CODE = "11331082MB1947351Y"

OFFICE = f"""\
name: 示例县机关党支部
short_name: 机关党支部
credit_code: {CODE}
address: 示例县人民路8号
office_hours: 工作日 8:30-17:00
site_url: https://dangzhibu.example.org/
phones:
  consultation: 0576-8888001
  complaint: 0576-8888002
  supervision: 0576-8888003
channels:
  - type: 电话
    value: 0576-8888002
duties: [负责机关党员的教育、管理和监督。]
leaders:
  - name: 王书记
    title: 支部书记
    duties: 主持支部全面工作。
    sections: [zuzhi]
sections:
  - id: zuzhi
    name: 组织委员办公室
    duties: [负责党员发展、党费收缴和党务公开。]
    phone: 0576-8888001
leading_group:
  leader: 王书记
  members: [李委员]
  office_section: zuzhi
catalog: [zhineng]
applies_from: 2026-01-01
updated: 2026-01-05
"""

CATALOG = ("items:\n"
           + catalog_item("zhineng", "支部职责", "职责, 委员分工", "党务政务公开工作制度 三", time_limit="20个工作日内",
                          owner="zuzhi", channels="网站, 公开栏", source="office")
           + catalog_item("dangfei", "党费收缴和使用情况", "收缴, 使用", "党务政务公开工作制度 四", time_limit="每季度",
                          owner="zuzhi", channels="网站, 公开栏", cadence="每季度", needs_approval="true")
           + catalog_item("dangwu", "党务公开事项", "公开内容", "党务政务公开工作制度 七", owner="zuzhi",
                          channels="网站, 公开栏"))


def notice(number: int, title: str, published: str, *, catalog: str, days: int = 7, by: str = "支委会",
           covers: str | None = None, body: str = "公开内容见正文。") -> str:
    return notice_text(f"dangwu-2026-{number:02d}", title, notice_type="党务公开", credit_code=CODE,
                       serial=f"2026-{number:05d}", issuer="示例县机关党支部", written=published, published=published,
                       topic="党务", catalog=catalog, covers=covers, period=f"days: {days}",
                       more=f"approvals:\n  - by: {by}\n    date: {published}\n", phone="0576-8888002", body=body)


CLEAN = {
    "office.yaml": OFFICE,
    "catalog.yaml": CATALOG,
    "notices/2026/dangwu-2026-01.md": notice(1, "2026年第一季度党费收缴情况", "2026-04-10", catalog="dangfei"),
    "notices/2026/dangwu-2026-02.md": notice(2, "2026年第二季度党费收缴情况", "2026-07-09", catalog="dangfei"),
    "notices/2026/dangwu-2026-03.md": notice(3, "2026年第三季度党费收缴情况", "2026-10-15", catalog="dangfei"),
    "notices/2026/dangwu-2026-04.md": notice(
        4, "关于发展党员的公示", "2026-11-02", catalog="dangwu",
        body="见[第三季度党费收缴情况](dangwu-2026-03.md)和[支部职责](/duties/)。\n\n反馈电话 0576-8888002。"),
}

PLANTED = {
    # Q2 and Q3 never published: two missed periods, the third quarter's report still to come.
    "notices/2026/dangwu-2026-02.md": None,
    "notices/2026/dangwu-2026-03.md": None,
    # Approved by someone the rules do not name; a week's openness cut to five days; a private mobile; a dead link.
    "notices/2026/dangwu-2026-04.md": notice(
        4, "关于发展党员的公示", "2026-11-02", catalog="dangwu", days=5, by="某某",
        body="见[第三季度党费收缴情况](dangwu-2026-03.md)和[支部职责](/duties/)。\n\n联系人手机 13812345678。"),
    # A stray tab in another notice: that file is refused, the rest is still judged.
    "notices/2026/dangwu-2026-05.md": notice(5, "关于评议结果的公示", "2026-11-20", catalog="dangwu").replace(
        "  - by:", "\t- by:"),
}


def check(root: Path) -> list[tuple[str, int, str]]:
    result = subprocess.run([sys.executable, "-m", "generator", "check", str(root), "--as-of", AS_OF.isoformat(),
                             "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return sorted((f["file"].removeprefix(f"{root}/"), f["line"], f["rule"]) for f in json.loads(result.stdout))


def test_the_clean_office_has_no_finding(tmp_path):
    assert check(write_tree(tmp_path / "dangzhibu", CLEAN)) == []


def test_every_planted_violation_is_found_at_its_file_and_line(tmp_path):
    root = write_tree(tmp_path / "dangzhibu", {**CLEAN, **PLANTED})
    found = check(root)
    dead = "notices/2026/dangwu-2026-04.md"
    assert found == sorted([
        ("catalog.yaml", 22, "periodic-overdue"),  # the second quarter, due 2026-07-28
        ("catalog.yaml", 22, "periodic-overdue"),  # the third quarter, due 2026-11-03
        (dead, 13, "notice-period"),
        (dead, 15, "approvals"),
        (dead, 23, "dead-link"),
        (dead, 25, "personal-data"),
        ("notices/2026/dangwu-2026-05.md", 16, "syntax"),
    ]), found
