"""Tiny fixture offices, written into tmp_path from dicts of file texts."""

from __future__ import annotations

import os
import signal
import textwrap
from pathlib import Path

import pytest
from stdnum.cn import uscc

# Tests read messages in English, the msgids, here and in every subprocess they start; the Chinese
# catalog is tested by tests/test_i18n.py, which chooses zh explicitly.
os.environ["GONGKAI_LANG"] = "en"

# A suite started as a background job of a non-interactive shell (nohup …  &, some CI runners) inherits SIGINT
# ignored, and every process it starts would too: the tests that press Ctrl+C on a build, serve or editor need it
# delivered, as a terminal delivers it. Caught here, it is the default again in every program the tests run.
signal.signal(signal.SIGINT, signal.default_int_handler)

OFFICE_CODE = "11331082MB1947351Y"  # a county's offices after the first have their own
OFFICE = """\
name: 示例县测试办公室
short_name: 测试办
credit_code: 11331082MB1947351Y
address: 示例县人民路1号
office_hours: 工作日 8:30-17:00
site_url: https://test.example.org/
phones:
  consultation: 0576-1234560
  complaint: 0576-1234561
  supervision: 0576-1234562
channels:
  - type: 电话
    value: 0576-1234561
duties: [负责测试工作。]
leaders:
  - name: 甲
    title: 主任
    duties: 主持全面工作。
    sections: [zonghe]
sections:
  - id: zonghe
    name: 综合科
    duties: [负责政务公开。]
    phone: 0576-1234561
leading_group:
  leader: 甲
  members: [乙]
  office_section: zonghe
catalog: [jigou]
updated: 2025-01-06
"""


def catalog_item(item_id: str, title: str, elements: str, basis: str, *, time_limit: str = "随时",
                 channels: str = "网站", audience: str = "社会公众", cadence: str = "随时", owner: str = "zonghe",
                 **more: str) -> str:
    """One item of a catalog.yaml, its fields in the order clerks write them (findings' line numbers count on it):
    elements and channels are the insides of their [lists]; `more`, fields after cadence (as YAML values)."""
    fields = {"id": item_id, "title": title, "elements": f"[{elements}]", "basis": basis, "time_limit": time_limit,
              "owner": owner, "channels": f"[{channels}]", "audience": audience, "mode": "主动公开", "cadence": cadence,
              **more}
    return "".join(("  - " if key == "id" else "    ") + f"{key}: {value}\n" for key, value in fields.items())


CATALOG = ("items:\n"
           + catalog_item("jigou", "机构职能", "职责", "制度 二", time_limit="20个工作日内", source="office")
           + catalog_item("xuke", "办事指南", "指南", "制度 二", time_limit="20个工作日内")
           + catalog_item("gonggao", "公示公告", "公告", "制度 三", channels="网站, 公开栏"))

SERVICE = """\
id: shenpi
title: 测试审批
index_no: 11331082MB1947351Y/2025-00001
category: 行政许可
catalog: xuke
basis: [某法第一条]
conditions: [符合条件]
materials:
  - name: 申请表
    copies: 1
steps:
  - name: 受理
    detail: 当场受理。
  - name: 决定
    detail: 作出决定。
time_limit:
  statutory: 20
  pledged: 2
fee:
  free: true
result: 批准文件
owner: zonghe
person: 综合科科长
phone: 0576-1234560
place: 示例县人民路1号
hours: 工作日
published: 2025-01-06
"""


def notice_text(notice_id: str = "gonggao-1", title: str = "测试公告", *, notice_type: str = "通知公告",
                credit_code: str = "11331082MB1947351Y", serial: str = "2025-00002", issuer: str = "示例县测试办公室",
                written: str = "2025-09-25", published: str = "2025-09-26", topic: str = "综合政务",
                catalog: str = "gonggao", covers: str | None = None, period: str = "working_days: 10", more: str = "",
                phone: str = "0576-1234561", body: str = "公告正文。") -> str:
    """A notice under public notice from the day it is published: its front matter in the order clerks write it
    (findings' line numbers count on it), `more` the lines between its period and its feedback, then its body."""
    covered = f"covers: {covers}\n" if covers else ""
    return f"""\
---
id: {notice_id}
title: {title}
type: {notice_type}
index_no: {credit_code}/{serial}
issuer: {issuer}
written: {written}
published: {published}
topic: {topic}
mode: 主动公开
catalog: {catalog}
{covered}first_day: {published}
period:
  {period}
{more}feedback:
  - type: 电话
    value: {phone}
---

{body}
"""


NOTICE = notice_text()

# reports/2025.md: the office's annual report for 2025
REPORT = """\
---
id: "2025"
title: 2025年政府信息公开工作年度报告
year: 2025
index_no: 11331082MB1947351Y/2026-00001
issuer: 示例县测试办公室
written: 2026-01-15
published: 2026-01-20
topic: 综合政务
mode: 主动公开
catalog: gonggao
---

## 一、总体情况

总体情况。
"""

INSPECTIONS = """\
id,date,type,scope,result,illustrative
2024-1,2024-06-10,监督检查,全办,无问题,true
2024-2,2024-12-10,监督检查,全办,无问题,true
2024-3,2024-12-20,考核,全办,良好,true
"""

# append to CATALOG: an internal item, kept off every public output
INTERNAL_CATALOG_ITEM = catalog_item("neibu", "内部事项", "费用", "制度 五", channels="公开栏", audience="内部")

INTERNAL = """\
id: neibu-1
title: 第三季度车辆维修费用公开
category: 车辆费用
catalog: jigou
published: 2025-10-09
audience: 内部
columns: [项目, 金额]
rows:
  - [公务车辆保养维修（一号车）, 2360]
"""

MINIMAL = {
    "office.yaml": OFFICE,
    "catalog.yaml": CATALOG,
    "services/shenpi.yaml": SERVICE,
    "notices/2025/gonggao-1.md": NOTICE,
    "registers/inspections.csv": INSPECTIONS,
}


def write_tree(root: Path, files: dict[str, str | None]) -> Path:
    """Write files under root; a value of None deletes that file."""
    for rel, text in files.items():
        path = root / rel
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def browser():
    """site_support.chromium for the tests of one module: one browser, a fresh context or page for each test."""
    from site_support import chromium  # here: only the tests that use a browser load Playwright and the generator

    with chromium() as browser:
        yield browser


@pytest.fixture
def office(tmp_path):
    """A valid minimal office; call it with overrides to change or delete files."""

    def make(overrides: dict[str, str | None] | None = None) -> Path:
        root = tmp_path / "content"
        write_tree(root, MINIMAL)
        return write_tree(root, overrides or {})

    return make


COUNTY = """\
name: 示例县人民政府门户网站
short_name: 示例县
portal_url: https://www.example.gov.cn/
sponsor: 示例县人民政府办公室
operator: 示例县大数据发展中心
registration:
  icp: 浙ICP备00000000号
  police: 浙公网安备 33108202000000号
  site_code: "3310820000"
correction:
  phone: 0576-5110000
  email: zwgk@example.gov.cn
supervisor:
  name: 示例县人民政府办公室（政务公开办）
  phone: 0576-5110001
  reviewers: ["@county/zwgkb"]
updated: 2025-01-06
"""


def write_county(root: Path, offices: dict[str, dict[str, str | None]] | None = None, county_file: str = COUNTY) -> Path:
    """A county at root of minimal offices: {office id: overrides of that office's files} (default: offices jia and
    yi), and the county file's text. Each office has no site_url of its own and is named by its id and 办 (jia办)."""
    write_tree(root, {"county.yaml": county_file})
    for number, (office, overrides) in enumerate(({"jia": {}, "yi": {}} if offices is None else offices).items()):
        office_file = OFFICE.replace("site_url: https://test.example.org/\n", "").replace("short_name: 测试办",
                                                                                         f"short_name: {office}办")
        write_tree(root / "offices" / office, {**MINIMAL, "office.yaml": office_file})
        write_tree(root / "offices" / office, overrides)
        if number:
            own_department(root / "offices" / office, number)
    return root


def own_department(folder: Path, number: int) -> None:
    """Every office after a county's first its own 统一社会信用代码, as the rule duplicate-office requires; the
    documents' 索引号 keep the shared code, which office.yaml lists as an older prefix (index_prefixes)."""
    code = f"11331082MB{number:07d}"
    code += uscc.calc_check_digit(code)
    office_file = folder / "office.yaml"
    if not office_file.is_file():  # a test's office without one
        return
    office_file.write_text(office_file.read_text(encoding="utf-8").replace(
        f"credit_code: {OFFICE_CODE}\n", f"credit_code: {code}\nindex_prefixes: [{OFFICE_CODE}]\n", 1), encoding="utf-8")


@pytest.fixture
def county(tmp_path):
    """conftest.write_county into tmp_path/content: call it with the offices (and the county file's text)."""

    def make(offices: dict[str, dict[str, str | None]] | None = None, county_file: str = COUNTY) -> Path:
        return write_county(tmp_path / "content", offices, county_file)

    return make
