"""Check stage: every rule is a small module under generator/checks/rules/ that yields findings.

A rule module has ID, TITLE (its name for a reader, e.g. a section chief
reading a pull request's annotations; a msgid), SUMMARY (what it asks, for the
clerks' field reference docs/fields.md; a msgid, as the module's docstring is
the code's, in English), DEFAULTS (its parameters,
from the office's own regulations, plus `severity`) and check(ctx). The office overrides
parameters in content/rules.yaml; the as-of date is a parameter too, so a
check run is reproducible on any day.
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib
import pkgutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Iterator

from ..content.attachment_reader import READABLE
from ..content.attachments import attachment_texts
from ..content.folder import Listing
from ..content.load import CONTENT_SUFFIXES
from ..content.records import Record
from ..content.schedule import applies_from, item_schedule
from ..content.types import all_types
from ..content.workdays import WorkCalendar
from ..findings import ERROR, WARNING, Finding
from ..i18n import _
from ..normalize import strings
from . import rules as rules_package
from .rules import periodic_overdue
from .validate import Content



@cache
def all_rules() -> tuple[ModuleType, ...]:
    modules = [importlib.import_module(f"{rules_package.__name__}.{m.name}") for m in pkgutil.iter_modules(rules_package.__path__)]
    return tuple(sorted((m for m in modules if hasattr(m, "ID")), key=lambda m: m.ID))


@dataclass
class CheckContext:
    content: Content
    calendar: WorkCalendar
    as_of: dt.date
    rule_id: str
    params: dict
    shared: dict = field(default_factory=dict)  # what one run computes once for all its rules
    only: frozenset[str] | None = None  # a pull request's changed files: scans read just these

    def finding(self, record: Record, keys: tuple, message: str, hint: str, severity: str | None = None) -> Finding:
        return Finding(record.file, record.line(*keys), self.rule_id, message, hint,
                       severity=severity or self.params["severity"])

    def at(self, file: str, line: int, message: str, hint: str, severity: str | None = None) -> Finding:
        return Finding(file, line, self.rule_id, message, hint, severity=severity or self.params["severity"])

    def content_files(self) -> list[tuple[Path, str, str]]:
        """Every content file as text, whether or not it loaded: scans must see broken files too."""
        if "files" not in self.shared:  # read once per run, for every scanning rule
            self.shared["files"] = _content_files(self.content.listing or Listing(self.content.root), self.only)
        return self.shared["files"]

    def parsed_texts(self) -> list[tuple[str, int, str]]:
        """(file, line, text) for every string value of every loaded file and every line of a Markdown body.

        The scans read these as well as the raw files: a YAML escape ("机\\u5BC6") or a line continuation
        only becomes the text that is published once it is parsed.
        """
        if "texts" not in self.shared:
            records = [r for kind_records in self.content.records.values() for r in kind_records]
            # An office in a county shows the county file on every page (footer, header): it is read with its own.
            documents = {id(r.doc): r.doc for r in records + ([self.content.county] if self.content.county else [])}
            texts = []
            for doc in sorted(documents.values(), key=lambda d: d.rel):
                if self.only is not None and doc.rel not in self.only:
                    continue
                texts.extend(document_texts(doc))
            self.shared["texts"] = texts
        return self.shared["texts"]

    def yaml_values(self) -> list[tuple[str, int, str]]:
        """parsed_texts() without Markdown bodies and CSV cells, which the raw text already holds line for line:
        what a scan of the raw files must read again, parsed, to see YAML escapes and continuations."""
        if "yaml_values" not in self.shared:
            self.shared["yaml_values"] = [text for text in self.parsed_texts()
                                          if not text[0].endswith(".csv") and text[1] < self._body_line(text[0])]
        return self.shared["yaml_values"]

    def _body_line(self, rel: str) -> int:
        if "body_lines" not in self.shared:
            self.shared["body_lines"] = {r.doc.rel: (r.doc.body_line if r.doc.body else 1 << 30)
                                         for records in self.content.records.values() for r in records}
        return self.shared["body_lines"].get(rel, 1 << 30)

    def unknown_catalog_items(self, parameter: str) -> Iterator[Finding]:
        """A finding at its line in rules.yaml for each key of a parameter that names no catalog item: a misspelt
        item id would silently leave the item it meant unchecked."""
        settings = self.content.one("rules")
        known = sorted(item.id for item in self.content.of("catalog"))
        for item_id in self.params[parameter]:
            if item_id in known or settings is None:
                continue
            guess = difflib.get_close_matches(item_id, known, n=1)
            yield Finding(settings.file, settings.line("rules", self.rule_id, parameter, item_id), self.rule_id,
                          _("rule '{rule_id}' names catalog item '{item}' in {parameter}, but catalog.yaml has no such"
                            " item").format(rule_id=self.rule_id, item=item_id, parameter=parameter),
                          _("did you mean '{guess}'?").format(guess=guess[0]) if guess
                          else _("use one of: {values}").format(values=", ".join(known)),
                          severity=self.params["severity"])

    def unknown_years(self, record: Record, keys: tuple, start: dt.date, end: dt.date) -> Iterator[Finding]:
        """A warning for each year a computation crossed that nobody has declared."""
        for year in self.calendar.unknown_between(start, end):
            yield Finding(record.file, record.line(*keys), "calendar-unknown-year",
                          _("the dates {start} to {end} run into {year}, whose official holidays are not known "
                            "yet; Monday to Friday were counted as working days")
                          .format(start=start, end=end, year=year),
                          _("declare {year} in {path} from the State Council's holiday notice")
                          .format(year=year, path=(self.content.root / f"calendar/{year}.yaml").as_posix()),
                          severity=WARNING)


def document_texts(doc) -> list[tuple[str, int, str]]:
    """(file, line, text) for every string value of one document and every line of its Markdown body."""
    return [(doc.rel, doc.line_of(path), text) for path, text in strings(doc.data)] + [
        (doc.rel, doc.body_line + number, line) for number, line in enumerate(doc.body.split("\n")) if line]


def line_at(text: str, index: int) -> int:
    """The line number (from 1) of a position in a text."""
    return text.count("\n", 0, index) + 1


def _content_files(listing: Listing, only: frozenset[str] | None) -> list[tuple[Path, str, str]]:
    found = []
    for path in listing.paths:
        rel = listing.rel(path)
        if path.suffix in CONTENT_SUFFIXES and (only is None or rel in only) and listing.readable(path):
            if rel in listing.texts:  # as the loader read it: each file is read once
                found.append((path, rel, listing.texts[rel]))
                continue
            try:
                found.append((path, rel, path.read_text(encoding="utf-8-sig")))
            except (OSError, UnicodeDecodeError):
                continue  # the loader reports unreadable files
    return found + attachment_texts(listing, only)  # what an attachment holds is published too: the scans read it like the rest


def is_safety_rule(rule_id: str) -> bool:
    """A rule whose errors stop every public output; only the code's default sets its severity."""
    return any(rule.ID == rule_id and getattr(rule, "BLOCKS_BUILD", False) for rule in all_rules())


def stops_a_build(finding: Finding) -> bool:
    """An error that keeps an output from being written: anything but the findings of the rules that only report."""
    return finding.severity == ERROR and not any(rule.ID == finding.code and not getattr(rule, "BLOCKS_BUILD", False)
                                                 for rule in all_rules())


def rule_params(content: Content) -> tuple[dict[str, dict], list[Finding]]:
    """Each rule's parameters: its defaults overridden by content/rules.yaml, with every bad key reported."""
    params = {rule.ID: dict(rule.DEFAULTS, severity=rule.DEFAULTS.get("severity", ERROR)) for rule in all_rules()}
    settings = content.one("rules")
    if settings is None:
        return params, []
    findings = []
    for rule_id, overrides in (settings.get("rules") or {}).items():
        if rule_id not in params:
            guess = difflib.get_close_matches(rule_id, params, n=1)
            findings.append(Finding(settings.file, settings.line("rules", rule_id), "rules-file",
                                    _("unknown rule '{rule_id}'").format(rule_id=rule_id),
                                    _("did you mean '{guess}'?").format(guess=guess[0]) if guess
                                    else _("see the rule list in docs/fields.md")))
            continue
        for key, value in overrides.items():
            if key == "severity" and is_safety_rule(rule_id) and value != ERROR:
                findings.append(Finding(settings.file, settings.line("rules", rule_id, key), "rules-file",
                                        _("'{rule}' is a safety rule: its severity cannot be changed").format(rule=rule_id),
                                        _("delete this line; content that breaks a safety rule is never published")))
            elif key not in params[rule_id]:
                findings.append(Finding(settings.file, settings.line("rules", rule_id, key), "rules-file",
                                        _("rule '{rule_id}' has no parameter '{key}'")
                                        .format(rule_id=rule_id, key=key),
                                        _("use one of: {values}").format(values=", ".join(params[rule_id]))))
            elif key != "severity" and type(value) is not type(params[rule_id][key]):
                findings.append(Finding(settings.file, settings.line("rules", rule_id, key), "rules-file",
                                        _("'{key}' of rule '{rule_id}' should be like {params!r}, not {value!r}")
                                        .format(key=key, rule_id=rule_id, params=params[rule_id][key], value=value),
                                        _("write a value of the same kind as the default")))
            else:
                params[rule_id][key] = value
    return params, findings


def run_checks(content: Content, as_of: dt.date, calendar: WorkCalendar | None = None,
               blocking_only: bool = False, changed: set[str] | None = None, others_only: bool = False) -> list[Finding]:
    """All rules (gongkai check), or only those whose errors must stop a build (privacy, secrecy, unsafe HTML).

    With `changed` (content files a pull request touches), the findings are those in the changed files and in
    the files that refer to them, and the text scans read only the changed files; a change to what every
    rule reads (office, catalog, rules, calendar) or a deleted file still checks everything.
    """
    if content.listing is None:  # no content folder was read (the loader's finding says why): nothing to judge
        return []
    calendar = calendar or WorkCalendar.from_content(content)
    params, findings = rule_params(content)
    broken = ("office" if content.office is None or not content.complete("office")
              else "catalog" if not content.complete("catalog") else None)
    if broken and not blocking_only:
        findings.append(_rules_skipped(content, broken))
    only = None if changed is None or touches_everything(content, changed) else frozenset(changed)
    shared: dict = {}
    for rule in all_rules():
        blocks = getattr(rule, "BLOCKS_BUILD", False)
        if params[rule.ID]["severity"] == "off" or (blocking_only and not blocks) or (others_only and blocks):
            continue
        if broken and not getattr(rule, "WITHOUT_OFFICE", False):
            continue  # it reads office.yaml or the catalog, whose validation findings say what to fix first
        findings.extend(rule.check(CheckContext(content, calendar, as_of, rule.ID, params[rule.ID], shared, only)))
    if only is not None:
        scope = files_referring_to(content, only) | only
        findings = [f for f in findings if f.file in scope]
    return sorted(set(findings))


def _rules_skipped(content: Content, kind: str) -> Finding:
    """Said once where the office's other rules could not run: the scans of every text (personal data, classified
    markings, unsafe code, internal text) still ran, so the clerk knows which findings are still to come."""
    file = next((t.pattern for t in all_types() if t.kind == kind), f"{kind}.yaml")
    return Finding(file, 1, "rules-skipped",
                   _("only the safety scans were run for this office: the other rules read {file}, which has errors")
                   .format(file=file),
                   _("fix the errors of {file} first, then run check again for the rest").format(file=file),
                   severity=WARNING)


OFFICE_WIDE = {"office", "catalog", "rules", "calendar"}  # kinds the rules read for every record


def touches_everything(content: Content, changed: set[str]) -> bool:
    office_wide = [t.pattern for t in all_types() if t.kind in OFFICE_WIDE]
    return any(not (content.root / rel).is_file() or any(PurePosixPath(rel).match(p) for p in office_wide)
               for rel in changed)


def files_referring_to(content: Content, files: frozenset[str]) -> set[str]:
    """Files whose records name a record defined in one of `files`."""
    records = [record for kind_records in content.records.values() for record in kind_records]
    named = {(record.kind, record.id) for record in records if record.file in files}
    return {record.file for record in records if any((ref.kind, ref.id) in named for ref in record.references())}


def catalog_schedules(content: Content, as_of: dt.date, calendar: WorkCalendar | None = None) -> list[tuple]:
    """Each catalog item with its schedule, using the same grace period the periodic rule judges by."""
    calendar = calendar or WorkCalendar.from_content(content)
    params = rule_params(content)[0]["periodic-overdue"]
    return [(item, item_schedule(item, content.records_for(item), calendar, as_of, periodic_overdue.grace(params, item),
                                 applies_from(item, content.office)))
            for item in content.of("catalog")]


def changed_since(content_dir: Path, revision: str) -> tuple[set[str] | None, str]:
    """Content files changed since a git revision (working tree included), relative to the content folder.

    Returns None and the reason when git cannot tell, so that the caller checks everything instead.
    """
    command = ["git", "diff", "--name-only", "--relative", "-z", revision, "--", "."]
    try:
        result = subprocess.run(command, cwd=content_dir, capture_output=True, text=True)
    except OSError as error:
        return None, _("git cannot be run ({problem})").format(problem=error.strerror)
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()
        return None, detail[0] if detail else _("git diff {revision} failed").format(revision=revision)
    # A clerk's new file is not in git's diff until it is added: untracked files count as changed too.
    untracked = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "-z", "--", "."], cwd=content_dir,
                               capture_output=True, text=True).stdout
    names = result.stdout.split("\0") + untracked.split("\0")
    return {name for name in names if Path(name).suffix.lower() in CONTENT_SUFFIXES | READABLE}, ""
