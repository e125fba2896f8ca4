"""Check stage: one publication decision per document, on the as-of date, that every output obeys.

A document is withheld when it may not be public on the as-of date: its `published` date is still to come
(scheduled publishing: the daily build of that day publishes it), or a rule that guards publication reports
an error in its file (approvals missing, by the wrong body or dated after publication; a dead link; a stage
of its audiences skipped). The rules themselves judge; this module only maps their findings onto documents,
so the build and `gongkai check` can never disagree. Whatever refers to a withheld document (a link, a
`replaced_by`, a pledge naming a service) is withheld with it: nothing is published with a hole in it.

Withheld never means deleted: the file stays, the build names it with what to do, and the first build after
the fix publishes it. The safety rules are not decided here: their errors still refuse the whole build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ..content.schedule import cn_date
from ..findings import ERROR, WITHHELD, Finding
from ..i18n import _
from .check import CheckContext, rule_params, run_checks
from .rules import dead_link, publish_stages

DOCUMENT_KINDS = ("notice", "regulation", "report", "service")
# The rules whose errors keep a document off every output (or, for publish-stages, off the later audience).
GUARDS = ("approvals", "dead-link", "draft-text", "publish-stages", "restricted-marking")
SCHEDULED = "scheduled"
PUBLIC = ""  # the audience of the site and the public board, whatever the rules call it


@dataclass(frozen=True)
class Reason:
    code: str  # SCHEDULED, a rule's id, or "withheld-reference"
    line: int
    message: str
    hint: str
    audience: str | None = None  # withheld from this audience only; PUBLIC: from the public; None: from every audience


@dataclass
class Decision:
    """For each withheld record (kind, id), why; everything not named here is published."""

    as_of: dt.date
    withheld: dict[tuple[str, str], list[Reason]] = field(default_factory=dict)
    files: dict[tuple[str, str], str] = field(default_factory=dict)

    def published(self, record, audience: str | None = None) -> bool:
        """Whether a record is out on the as-of date, to the public (audience None) or to one audience."""
        reasons = self.withheld.get((record.kind, record.id), ())
        return not any(r.audience is None or r.audience == (audience or PUBLIC) for r in reasons)

    def scheduled_only(self, record) -> bool:
        """Withheld only because its day is still to come: approved and sound, its sheets may be printed ahead."""
        reasons = self.withheld.get((record.kind, record.id), ())
        return bool(reasons) and all(reason.code == SCHEDULED for reason in reasons)

    def public(self, content):
        """The content as the public outputs see it: the same folder, without what is withheld from the public."""
        records = defaultdict(list, {kind: [r for r in records if self.published(r)]
                                     for kind, records in content.records.items()})
        return dataclasses.replace(content, records=records)

    def findings(self) -> list[Finding]:
        """One line per withheld document for the build's report (severity WITHHELD: not an error of `check`)."""
        found = []
        for key, reasons in self.withheld.items():
            for reason in reasons:
                message = (_("not published to {audience}: {reason}").format(audience=reason.audience, reason=reason.message)
                           if reason.audience else _("not published: {reason}").format(reason=reason.message))
                found.append(Finding(self.files[key], reason.line, "withheld", message, reason.hint, severity=WITHHELD))
        return sorted(found)


def decide_all(content, as_of: dt.date, calendar, findings: list[Finding]) -> Decision:
    """The build's one decision: the rules' findings mapped onto documents, then what links to them."""
    return settle(content, as_of, calendar, decide(content, as_of, findings))


def decide_here(content, as_of: dt.date, calendar) -> Decision:
    """The build's decision for a command that shows the content outside a build (the preview, the local editor),
    from the rules run here."""
    return decide_all(content, as_of, calendar, run_checks(content, as_of, calendar, others_only=True))


def decide(content, as_of: dt.date, findings: list[Finding]) -> Decision:
    """The decision for every record, from the rules' findings on the full content (a build's `judge`)."""
    stages = rule_params(content)[0][publish_stages.ID]
    public_audience = publish_stages.public_audience(stages)
    decision = Decision(as_of)
    documents = {r.file: r for kind in DOCUMENT_KINDS for r in content.of(kind)}
    for record in documents.values():
        if record.published and record.published > as_of:
            _withhold(decision, record, Reason(
                SCHEDULED, record.line("published"),
                _("its publication date {date} is still to come").format(date=cn_date(record.published)),
                _("nothing to do: the daily build of {date} publishes it; to publish it earlier, change 'published'")
                .format(date=cn_date(record.published)), PUBLIC))
    for finding in findings:
        record = documents.get(finding.file)
        if record is None or finding.code not in GUARDS or finding.severity != ERROR:
            continue
        audience = None  # every audience: an unapproved document or a dead link is nobody's
        if finding.code == "publish-stages":
            later = publish_stages.later_audience_of(stages, record, finding)
            audience = PUBLIC if later is not None and later == public_audience else later
        # The error's own advice: where the withheld line is printed without check's (posters, the preview), it
        # still says what to do.
        hint = (_("{advice}; the first build after the fix publishes it").format(advice=finding.hint.rstrip("。."))
                if finding.hint else _("fix what the error at this line says; the first build after the fix"
                                       " publishes it"))
        _withhold(decision, record, Reason(finding.code, finding.line, finding.message.rstrip("。."), hint, audience))
    _withhold_what_refers(content, decision)
    return decision


def settle(content, as_of: dt.date, calendar, decision: Decision) -> Decision:
    """Withhold what links to a withheld document: the dead-link rule, run again on the public view, says which."""
    params = rule_params(content)[0][dead_link.ID]
    while decision.withheld and params["severity"] != "off":
        view = decision.public(content)
        documents = {r.file: r for kind in DOCUMENT_KINDS for r in view.of(kind)}
        before = len(decision.withheld)
        for finding in dead_link.check(CheckContext(view, calendar, as_of, dead_link.ID, params)):
            record = documents.get(finding.file)
            if record is not None:
                _withhold(decision, record, Reason("withheld-reference", finding.line,
                                                   _("it links to a document that is not published yet ({detail})")
                                                   .format(detail=finding.message),
                                                   _("it is published with the document it links to, or remove the link"),
                                                   PUBLIC))
        _withhold_what_refers(content, decision)
        if len(decision.withheld) == before:
            break
    return decision


def _withhold_what_refers(content, decision: Decision) -> None:
    """Records naming a withheld record (a replaced_by, a pledge's service, a hearing's decision) go with it."""
    changed = True
    while changed:
        changed = False
        for records in content.records.values():
            for record in records:
                if not decision.published(record):
                    continue
                for ref in record.references():
                    if (ref.kind, ref.id) in decision.withheld and not decision.published(content.get(ref.kind, ref.id)):
                        _withhold(decision, record, Reason(
                            "withheld-reference", record.line(*ref.at),
                            _("it names {kind} '{id}', which is not published").format(kind=ref.kind, id=ref.id),
                            _("it is published with '{id}'; to publish it now, remove the reference").format(id=ref.id),
                            PUBLIC))
                        changed = True
                        break


def _withhold(decision: Decision, record, reason: Reason) -> None:
    key = (record.kind, record.id)
    decision.files[key] = record.file
    reasons = decision.withheld.setdefault(key, [])
    if reason not in reasons:
        reasons.append(reason)

