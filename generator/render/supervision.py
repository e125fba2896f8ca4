"""The supervisor's view (政务公开办): every office's state on the as-of date, as a page, a table and 考核表.

Under 政府网站发展指引 the county's 政务公开办 supervises every department's
openness and scores it (考核). What it reads is what the offices' own rules
judge, computed by the rules' own functions (periodic-overdue's schedule,
annual-report-due, complaint-deadline, inspection-frequency) with each
office's parameters from its rules.yaml, so the page can never disagree with
`gongkai check`. The facts are taken in the office's partition (office_facts,
part of the summary the cache keeps), and so are its 考核表 PDFs; the portal
build only lays the summaries out as one page and one open-data table.

Internal items (对内公开) never reach the portal, not even by title: a
periodic item with audience 内部 is left out of the counts, and the office's
facts and sheets pass the same leak scan as its own pages.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from html import escape
from pathlib import Path

from ..checks import leakscan
from ..checks.check import catalog_schedules, rule_params
from ..checks.publication import SCHEDULED
from ..checks.rules import annual_report_due, complaint_deadline, inspection_frequency
from ..content.schedule import cn_date
from ..content.workdays import WorkCalendar
from .. import timings
from . import csvfile
from .posters import PdfReuse, Sheet, _env as poster_env, print_sheet
from .pages import environment, page_text, relpath

PAGE = "supervision/index.md"
SHEETS = "supervision/kaohe"  # the portal folder of the 考核表 PDFs: <office>-<year>.pdf
SHEET_FOLDER = "kaohe"  # where a partition keeps its own: <year>.pdf
TABLE, OVERDUE_TABLE = "supervision.csv", "supervision-overdue.csv"
SHOWN_OVERDUE = 8  # periods listed on a 考核表 before "等N期": a list that cannot fit a page is a refused sheet
# 考核内容, as 政务公开工作考核与奖惩制度 三 and 政务公开考核制度 四 word them; the measured facts go beside the first three.
KAOHE_ITEMS = ("（一）具体办事程序、步骤和方式、方法公开和执行情况", "（二）履行承诺及办事效率情况",
               "（三）政务公开监管制度落实情况", "（四）办事纪律和廉政勤政制度执行情况",
               "（五）违规违纪行为的追究处置情况", "（六）上级机关规定的其它考核内容")
GRADES = ("优秀", "良好", "合格", "不合格")
OFF = "off"  # a rule's severity when the office's rules.yaml turns it off


# --- in the office's partition ---------------------------------------------------------------------------------

def office_facts(content, as_of: dt.date, decision=None) -> dict:
    """What the 政务公开办 measures of one office, as plain data for the partition's cached summary; `decision`:
    the build's (publication.py), whose withheld documents are counted — waiting for their day, or for a fix."""
    calendar = WorkCalendar.from_content(content)
    params = rule_params(content)[0]
    overdue = [{"item": item.id, "title": item.title, "cadence": item.cadence, "period_end": end.isoformat(),
                "due": due.isoformat()}
               for item, schedule in catalog_schedules(content, as_of, calendar)
               if not item.internal and content.complete_for(item) for end, due in schedule.missed]
    answers = complaint_deadline.answers(content, as_of, params[complaint_deadline.ID])
    inspections = params[inspection_frequency.ID]
    if inspections["severity"] == OFF:  # its rules ask for none (a 党支部, say); a report and periods are owed regardless
        inspections = dict(inspections, inspections_per_year=0, assessments_per_year=0)
    tallies = inspection_frequency.tallies(content, as_of, inspections)
    needs = {inspection_frequency.INSPECTION: inspections["inspections_per_year"],
             inspection_frequency.ASSESSMENT: inspections["assessments_per_year"]}
    years = []
    for year in sorted({t.year for t in tallies} | {as_of.year}):
        report = annual_report_due.report_due(content, as_of, params[annual_report_due.ID], year - 1)
        received = [a for a in answers if a.received.year == year]
        kinds = {kind: inspection_frequency.Tally(year, kind, 0, needed, year < as_of.year)
                 for kind, needed in needs.items()} | {t.kind: t for t in tallies if t.year == year}
        years.append({
            "year": year,
            "report": {"year": report.year, "deadline": report.deadline.isoformat(), "status": report.status,
                       "published": report.report.published.isoformat() if report.report else None},
            "complaints": {"received": len(received),
                           **{status: sum(1 for a in received if a.status == status)
                              for status in (complaint_deadline.IN_TIME, complaint_deadline.LATE,
                                             complaint_deadline.OVERDUE, complaint_deadline.PENDING)}},
            "inspections": {"held": kinds[inspection_frequency.INSPECTION].held,
                            "needed": kinds[inspection_frequency.INSPECTION].needed,
                            "complete": kinds[inspection_frequency.INSPECTION].complete},
            "assessments": {"held": kinds[inspection_frequency.ASSESSMENT].held,
                            "needed": kinds[inspection_frequency.ASSESSMENT].needed},
        })
    scheduled = [reasons for reasons in (decision.withheld.values() if decision else ())
                 if all(reason.code == SCHEDULED for reason in reasons)]
    withheld = len(decision.withheld) - len(scheduled) if decision else 0
    return {"overdue": overdue, "answer_days": params[complaint_deadline.ID]["answer_days"],
            "withheld": withheld, "scheduled": len(scheduled),
            "complaints_overdue": sum(1 for a in answers if a.status == complaint_deadline.OVERDUE), "years": years}


@timings.stage("pdfs")
def office_sheets(content, summary: dict, as_of: dt.date,
                  reuse: PdfReuse | None = None) -> tuple[dict[str, bytes], list, PdfReuse | None]:
    """Each year's 考核表 as <year>.pdf, the leak findings that keep them and the summary off the portal, and `reuse`
    with this build's records (posters.PdfReuse)."""
    county = content.county
    supervisor = county.get("supervisor")["name"] if county is not None else ""
    sheets, texts = {}, {"summary.json": json.dumps(summary, ensure_ascii=False).encode("utf-8")}
    for year in summary["supervision"]["years"]:
        body = poster_env().get_template("kaohe.html.j2").render(
            office=content.office, year=year, facts=summary["supervision"], supervisor=supervisor, as_of=as_of,
            items=KAOHE_ITEMS, grades=GRADES, shown=SHOWN_OVERDUE,
            overdue=[o for o in summary["supervision"]["overdue"] if o["due"].startswith(f"{year['year']}-")])
        sheet = Sheet(f"kaohe-{year['year']}", f"{year['year']}年度政务公开工作考核表", "kaohe", body, as_of)
        html, pdf, _pages = print_sheet(sheet, content.office, "A4", as_of, reuse,
                                         f"{SHEET_FOLDER}/{year['year']}.pdf")
        texts[f"{SHEET_FOLDER}/{year['year']}.html"] = html.encode("utf-8")
        sheets[f"{year['year']}.pdf"] = pdf
    return sheets, leakscan.scan(content, texts), reuse


def place_sheets(partition_folder: Path, office: str, site: Path) -> None:
    """A partition's 考核表 into the portal's folder of them, named by office and year."""
    target = site / SHEETS
    for pdf in sorted((partition_folder / SHEET_FOLDER).glob("*.pdf")):
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{office}-{pdf.name}").write_bytes(pdf.read_bytes())


# --- in the portal build ---------------------------------------------------------------------------------------

def rows(summaries: list[dict], as_of: dt.date) -> tuple[list[dict], list[dict]]:
    """One row per office (the page's table and supervision.csv) and one per missed period (supervision-overdue.csv)."""
    offices, overdue = [], []
    for summary in summaries:
        facts = summary["supervision"]
        this_year = facts["years"][-1]
        last_year = next((y for y in facts["years"] if y["year"] == as_of.year - 1), None)
        offices.append({
            "office": summary["id"], "name": summary["name"], "as_of": as_of.isoformat(),
            "overdue_periods": len(facts["overdue"]), "open_notices": len(summary["open_notices"]),
            "withheld": facts["withheld"], "scheduled": facts["scheduled"],
            "report_year": this_year["report"]["year"], "report_status": this_year["report"]["status"],
            "report_published": this_year["report"]["published"] or "",
            "complaints_year": this_year["year"], "complaints_received": this_year["complaints"]["received"],
            "complaints_in_time": this_year["complaints"][complaint_deadline.IN_TIME],
            "complaints_late": this_year["complaints"][complaint_deadline.LATE],
            "complaints_pending": this_year["complaints"][complaint_deadline.PENDING],
            "complaints_overdue": facts["complaints_overdue"], "answer_days": facts["answer_days"],
            **_held("last_year", last_year), **_held("this_year", this_year),
        })
        overdue += [{"office": summary["id"], "name": summary["name"], **o} for o in facts["overdue"]]
    return offices, overdue


def _held(prefix: str, year: dict | None) -> dict:
    def count(kind: str, key: str):
        return year[kind][key] if year else ""

    return {f"{prefix}": year["year"] if year else "",
            f"{prefix}_inspections": count("inspections", "held"), f"{prefix}_inspections_required": count("inspections", "needed"),
            f"{prefix}_assessments": count("assessments", "held"), f"{prefix}_assessments_required": count("assessments", "needed")}


OFFICE_FIELDS = (
    ("office", "部门代号", "string"), ("name", "部门", "string"), ("as_of", "统计日期", "date"),
    ("overdue_periods", "定期公开逾期期数", "integer"), ("open_notices", "正在公示", "integer"),
    ("withheld", "待改正未发布", "integer"), ("scheduled", "定时发布（未到日期）", "integer"),
    ("report_year", "年报年度", "integer"), ("report_status", "年报报送情况", "string"),
    ("report_published", "年报发布日期", "date"),
    ("complaints_year", "投诉受理年度", "integer"), ("complaints_received", "本年受理投诉", "integer"),
    ("complaints_in_time", "按期办结", "integer"), ("complaints_late", "超期办结", "integer"),
    ("complaints_pending", "办理中", "integer"), ("complaints_overdue", "超期未办结（各年）", "integer"),
    ("answer_days", "办结时限（日）", "integer"),
    ("last_year", "上年度", "integer"), ("last_year_inspections", "上年度监督检查次数", "integer"),
    ("last_year_inspections_required", "上年度监督检查应有次数", "integer"),
    ("last_year_assessments", "上年度考核次数", "integer"), ("last_year_assessments_required", "上年度考核应有次数", "integer"),
    ("this_year", "本年度", "integer"), ("this_year_inspections", "本年度监督检查次数", "integer"),
    ("this_year_inspections_required", "本年度监督检查应有次数", "integer"),
    ("this_year_assessments", "本年度考核次数", "integer"), ("this_year_assessments_required", "本年度考核应有次数", "integer"),
)
OVERDUE_FIELDS = (
    ("office", "部门代号", "string"), ("name", "部门", "string"), ("item", "事项编号", "string"),
    ("title", "公开事项", "string"), ("cadence", "公开频次", "string"), ("period_end", "所属期间截止日", "date"),
    ("due", "应公开日期", "date"),
)
STATUS_VALUES = (annual_report_due.ON_TIME, annual_report_due.LATE, annual_report_due.MISSING,
                 annual_report_due.NOT_YET, annual_report_due.NOT_ASKED)


def _schema(fields: tuple, key: list[str]) -> dict:
    columns = [{"name": name, "title": title, "type": kind} for name, title, kind in fields]
    for column in columns:
        if column["name"] == "report_status":
            column["constraints"] = {"enum": list(STATUS_VALUES)}
    return {"fields": columns, "primaryKey": key}


def render(county, summaries: list[dict], as_of: dt.date) -> dict[str, bytes]:
    """The supervisor's page and the portal's open-data package (docs tree paths → bytes)."""
    offices, overdue = rows(summaries, as_of)
    record = county.record
    tables = [("supervision", f"各部门政务公开情况（{as_of.isoformat()}）", TABLE, _schema(OFFICE_FIELDS, ["office"]), offices),
              ("supervision-overdue", "定期公开事项逾期明细", OVERDUE_TABLE,
               _schema(OVERDUE_FIELDS, ["office", "item", "period_end"]), overdue)]
    package = {
        "name": "gongkai-county-supervision", "title": f"{record.get('name')}：政务公开监督数据",
        "publisher": record.get("supervisor")["name"], "created": f"{as_of.isoformat()}T00:00:00+08:00",
        "homepage": record.get("portal_url"),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "resources": [csvfile.resource(name, title, path, schema) for name, title, path, schema, _data in tables],
    }
    files = {f"data/{path}": csvfile.table(schema["fields"], data) for _name, _title, path, schema, data in tables}
    files["data/datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def rel(target: str) -> str:
        return relpath(target, posixpath.dirname(PAGE)) + ("/" if target.endswith("/") else "")

    sheets = [(s["name"], [(y["year"], f"{SHEETS}/{s['id']}-{y['year']}.pdf") for y in s["supervision"]["years"]])
              for s in summaries]
    head = {"title": "政务公开监督", "description": escape(f"{record.get('name')}：各部门政务公开情况和考核表"),
            "hide": ["toc"]}  # found by search like every public page
    body = environment().get_template("portal_supervision.md.j2").render(
        county=record, offices=offices, overdue=overdue, sheets=sheets, as_of=as_of, rel=rel, cn_date=cn_date,
        tables=(TABLE, OVERDUE_TABLE))
    files[PAGE] = page_text(head, body).encode("utf-8")
    return files
