"""The annual open-government-information report (国办公开办函〔2021〕30号 format).

Every number is counted from the content: regulations and normative
documents by their validity, decisions and fees from their registers,
requests and reviews from theirs. Row and column labels are the format's own
words (shared/reference/annual-report-format.md). The narrative parts come
from content/reports/<year>.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..findings import Finding
from ..i18n import _
from .records import as_date

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
PROACTIVE_DOCUMENTS = ("规章", "行政规范性文件")
OUTCOME_GROUPS = (
    ("（一）予以公开", ("予以公开",)),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开",)),
    ("（三）不予公开", ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
                   "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项")),
    ("（四）无法提供", ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确")),
    ("（五）不予处理", ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                   "要求行政机关确认或重新出具已获取信息")),
    ("（六）其他处理", ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                   "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他")),
)
REVIEW_KINDS = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
REVIEW_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
NARRATIVE = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


def outcome_key(group: str, item: str) -> str:
    """The register's spelling of an outcome: '予以公开', or '不予公开/属于国家秘密'."""
    head = group.split("）", 1)[1].split("（")[0]
    return head if item == head else f"{head}/{item}"


@dataclass
class RequestColumn:
    new: int = 0
    carried_over: int = 0
    outcomes: Counter = field(default_factory=Counter)
    carried_forward: int = 0

    @property
    def handled(self) -> int:
        return sum(self.outcomes.values())


@dataclass
class AnnualReport:
    year: int
    documents: dict[str, tuple[int, int, int]]  # 规章/行政规范性文件 -> issued, repealed, in force
    decisions: dict[str, int]
    fees_wan_yuan: float
    requests: dict[str, RequestColumn]  # by applicant, plus 总计
    reviews: dict[str, dict[str, int]]
    narrative: dict[str, str]


def _documents(content, year: int) -> dict[str, tuple[int, int, int]]:
    end = dt.date(year, 12, 31)
    counts = {}
    for category in PROACTIVE_DOCUMENTS:
        records = [r for r in content.of("regulation") if r.get("category") == category]
        issued = sum(1 for r in records if r.published and r.published.year == year)
        repealed = [r for r in records if r.validity == "废止" and as_date(r.get("validity")["since"]).year == year]
        in_force = sum(1 for r in records if r.published and r.published <= end
                       and (r.validity == "有效" or as_date(r.get("validity")["since"]) > end))
        counts[category] = (issued, len(repealed), in_force)
    return counts


def _requests(content, year: int) -> dict[str, RequestColumn]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    columns = {applicant: RequestColumn() for applicant in (*APPLICANTS, "总计")}
    for row in content.of("request"):
        received, answered = row.get("received"), row.get("answered")
        if received > end or (answered and answered < start):
            continue
        for column in (columns[row.get("applicant")], columns["总计"]):
            if received >= start:
                column.new += 1
            else:
                column.carried_over += 1
            if answered and answered <= end:
                column.outcomes[row.get("outcome")] += 1
            else:
                column.carried_forward += 1
    return columns


def _reviews(content, year: int) -> dict[str, dict[str, int]]:
    end = dt.date(year, 12, 31)
    table = {kind: dict.fromkeys(REVIEW_RESULTS, 0) for kind in REVIEW_KINDS}
    for row in content.of("review"):
        if row.get("filed").year != year:
            continue
        closed = row.get("closed")
        result = row.get("result") if closed and closed <= end else "尚未审结"
        table[row.get("kind")][result] += 1
        table[row.get("kind")]["总计"] += 1
    return table


def _narrative(report) -> dict[str, str]:
    sections: dict[str, list[str]] = defaultdict(list)
    current = None
    for line in report.body.splitlines():
        if line.startswith("## "):
            current = next((title for title in NARRATIVE if title[2:4] in line), line[3:].strip())
            continue
        if current:
            sections[current].append(line)
    return {title: "\n".join(sections.get(title, [])).strip() for title in NARRATIVE}


def compute(content, year: int) -> AnnualReport:
    decisions = Counter(r.get("kind") for r in content.of("decision") if r.get("date").year == year)
    income = sum(r.get("amount") for r in content.of("income") if r.get("date").year == year)
    report = content.get("report", str(year))
    return AnnualReport(
        year=year,
        documents=_documents(content, year),
        decisions={kind: decisions.get(kind, 0) for kind in ("行政许可", "行政处罚", "行政强制")},
        fees_wan_yuan=round(float(income) / 10000, 4),
        requests=_requests(content, year),
        reviews=_reviews(content, year),
        narrative=_narrative(report) if report else dict.fromkeys(NARRATIVE, ""),
    )


def consistency(content, year: int) -> list[Finding]:
    """What would break the format's rule (new + carried over = handled + carried forward, in every
    column): an outcome without its date, an answer before the request, and a carried-over figure that
    does not match the one last year's report published. A request listed twice is already refused by
    the register's unique ids; counting from single rows keeps the rest true."""
    findings = []
    file = "registers/requests.csv"
    for row in content.of("request"):
        line = row.line()
        if bool(row.get("outcome")) != bool(row.get("answered")):
            findings.append(Finding(file, line, "report-consistency",
                                    (_("request {id} has an outcome but no answer date") if row.get("outcome")
                                     else _("request {id} has an answer date but no outcome")).format(id=row.id),
                                    _("fill both the outcome and the answer date, or neither while it is open")))
        if row.get("answered") and row.get("answered") < row.get("received"):
            findings.append(Finding(file, line, "report-consistency",
                                    _("request {id} is answered before it was received").format(id=row.id),
                                    _("correct the dates")))
    columns = _requests(content, year)
    report = content.get("report", str(year))
    declared = report.get("carried_over") if report else None
    if declared:
        for applicant, number in declared.items():
            if columns[applicant].carried_over != number:
                findings.append(Finding(report.file, report.line("carried_over", applicant), "report-consistency",
                                        _("last year's report carried {number} {applicant} request(s) forward, but "
                                          "the register has {carried_over} open at the start of {year}")
                                        .format(number=number, applicant=applicant,
                                                carried_over=columns[applicant].carried_over, year=year),
                                        _("add or correct the register rows for requests received before this year")))
    return findings
