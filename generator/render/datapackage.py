"""Render stage for open data: a Frictionless data package of CSV tables.

Tables that are CSV in the content keep their own table schema from
schemas/; the catalog and the service guides are flattened into tables
whose column titles come from their JSON Schemas, so the words stay the same
everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from ..checks.validate import Content
from ..content import annual_report
from ..content.addresses import DATA_DIR, report_table
from ..content.types import by_kind
from . import csvfile

@dataclass(frozen=True)
class Register:
    kind: str
    title: str
    intro: str
    file: str

    @property
    def table_schema(self) -> dict:
        return by_kind(self.kind).load_schema()

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [(f["name"], f["title"]) for f in self.table_schema["fields"] if f["name"] != "illustrative"]


REGISTERS = (
    Register("complaint", "投诉和意见建议办理结果",
             "投诉和意见建议按季度公开办理结果，不公开投诉人的个人信息。", "complaints.csv"),
    Register("inspection", "监督检查和考核记录",
             "政务公开领导小组每年监督检查不少于{inspections}次、考核不少于{assessments}次。", "inspections.csv"),
)


def _columns(properties: dict, names: list[str], types: dict[str, str] | None = None) -> dict:
    """A table schema whose column titles and descriptions are the JSON Schema's."""
    fields = []
    for name in names:
        prop = properties.get(name, {})
        fields.append({"name": name, "title": prop.get("title", name), "description": prop.get("description", ""),
                       "type": (types or {}).get(name, "string")})
    return {"fields": fields, "primaryKey": ["id"]}


CATALOG_COLUMNS = ["id", "title", "category", "elements", "basis", "time_limit", "owner", "channels",
                   "audience", "mode", "cadence"]
SERVICE_COLUMNS = ["id", "title", "index_no", "category", "catalog", "statutory", "pledged", "fee", "result",
                   "owner", "person", "phone", "place", "hours", "published"]


def _catalog_properties() -> dict:
    return by_kind("catalog").load_schema()["properties"]["items"]["items"]["properties"]


def _service_row(service) -> dict:
    fee = "不收费" if service.get("fee").get("free") else csvfile.LIST_SEPARATOR.join(service.fee_ids)
    return {**service.data, "statutory": service.statutory_days, "pledged": service.pledged_days, "fee": fee}


def _service_schema() -> dict:
    properties = by_kind("service").load_schema()["properties"]
    schema = _columns(properties, SERVICE_COLUMNS, {"statutory": "integer", "pledged": "integer", "published": "date"})
    titles = {"statutory": "法定时限（工作日）", "pledged": "承诺时限（工作日）", "fee": "收费"}
    for column in schema["fields"]:
        column["title"] = titles.get(column["name"], column["title"])
    return schema


REPORT_SCHEMA = {"fields": [
    {"name": "section", "title": "部分", "description": "年报的部分，例如：三、收到和处理政府信息公开申请情况。", "type": "string"},
    {"name": "row", "title": "行", "description": "表格的行，使用年报格式的原文。", "type": "string"},
    {"name": "column", "title": "列", "description": "表格的列，使用年报格式的原文。", "type": "string"},
    {"name": "value", "title": "数值", "description": "件数；收费金额单位为万元。", "type": "number"}]}


def _report_rows(report) -> list[dict]:
    rows = []
    for name, (issued, repealed, in_force) in report.documents.items():
        for column, value in (("本年制发件数", issued), ("本年废止件数", repealed), ("现行有效件数", in_force)):
            rows.append({"section": "二、主动公开政府信息情况", "row": name, "column": column, "value": value})
    for kind, value in report.decisions.items():
        rows.append({"section": "二、主动公开政府信息情况", "row": kind, "column": "本年处理决定数量", "value": value})
    rows.append({"section": "二、主动公开政府信息情况", "row": "行政事业性收费", "column": "本年收费金额（单位：万元）",
                 "value": report.fees_wan_yuan})
    section = "三、收到和处理政府信息公开申请情况"
    for applicant, column in report.requests.items():
        rows.append({"section": section, "row": "一、本年新收政府信息公开申请数量", "column": applicant, "value": column.new})
        rows.append({"section": section, "row": "二、上年结转政府信息公开申请数量", "column": applicant, "value": column.carried_over})
        for outcome, count in sorted(column.outcomes.items()):
            rows.append({"section": section, "row": f"三、本年度办理结果：{outcome}", "column": applicant, "value": count})
        rows.append({"section": section, "row": "三、本年度办理结果：总计", "column": applicant, "value": column.handled})
        rows.append({"section": section, "row": "四、结转下年度继续办理", "column": applicant, "value": column.carried_forward})
    for kind, results in report.reviews.items():
        for result, value in results.items():
            rows.append({"section": "四、政府信息公开行政复议、行政诉讼情况", "row": kind, "column": result, "value": value})
    return rows


def _report_table(content: Content, report) -> tuple:
    year = report.get("year")
    rows = _report_rows(annual_report.compute(content, year))
    return (f"annual-report-{year}", f"{year}年政府信息公开工作年度报告", report_table(year), REPORT_SCHEMA, rows)


def render_data(content: Content, as_of: dt.date) -> tuple[dict[str, bytes], list[dict]]:
    """The files under data/ and a summary of each resource for the data page."""
    office = content.office
    tables = [
        ("catalog", "公开事项目录", "catalog.csv", _columns(_catalog_properties(), CATALOG_COLUMNS),
         [i.data for i in content.of("catalog") if not i.internal]),
        ("services", "办事指南", "services.csv", _service_schema(),
         [_service_row(s) for s in sorted(content.of("service"), key=lambda s: s.id)]),
        ("fees", "收费标准", "fees.csv", by_kind("fee").load_schema(), [f.data for f in content.of("fee")]),
        *[(r.kind + "s", r.title, r.file, r.table_schema, [x.data for x in content.of(r.kind)]) for r in REGISTERS],
    ]
    tables += [_report_table(content, report) for report in sorted(content.of("report"), key=lambda r: r.id)]
    files: dict[str, bytes] = {}
    resources = []
    for name, title, path, schema, rows in tables:
        table_schema = {key: value for key, value in schema.items() if key not in ("$schema", "title", "description")}
        files[f"{DATA_DIR}/{path}"] = csvfile.table(table_schema["fields"], rows)
        resources.append({**csvfile.resource(name, title, path, table_schema), "rows": len(rows)})
    package = {
        "name": "gongkai-open-data",
        "title": f"{office.get('name')}政府信息公开数据",
        "publisher": office.get("name"),
        "created": f"{as_of.isoformat()}T00:00:00+08:00",
        "homepage": office.get("site_url"),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "resources": [{k: v for k, v in r.items() if k != "rows"} for r in resources],
    }
    files[f"{DATA_DIR}/datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files, resources
