"""Validate stage: schemas first, then ids and references across files.

Every schema error becomes one Finding at the line of the value it is about,
in words a clerk can act on. Records are built only from documents that
passed their schema, so later stages may trust the fields they read.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from stdnum.cn import uscc

from ..content import attachments
from ..content.county import county_calendar, county_root_of, county_seen_from, office_example, office_id_of
from ..content.folder import Listing, load_all
from ..content.load import readable
from ..content.records import Record
from ..content.schema import schema_findings, unseen_hint
from ..content.types import all_types
from ..findings import ERROR, WARNING, Finding
from ..i18n import N_, _
from .. import timings


ANY = "*"  # a file of this kind failed and its ids cannot be known: refs to the kind are not judged


@dataclass
class Content:
    """Everything one office publishes, as typed records grouped by kind."""

    root: Path
    records: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    # What failed validation is left out of the records; what it might have held keeps the rules from judging
    # absence on a guess: the kinds that lost a file, and the catalog items such a file may have filled.
    failed_kinds: set[str] = field(default_factory=set)
    failed_items: set[str] = field(default_factory=set)
    county: Record | None = None  # the county file around an office folder (county.py), None for a single office
    listing: Listing | None = None  # the folder's paths, walked once, and the texts the loader read, for the scans

    def of(self, kind: str) -> list:
        return self.records.get(kind, [])

    def get(self, kind: str, record_id: str):
        return next((r for r in self.of(kind) if r.id == record_id), None)

    def one(self, kind: str):
        found = self.of(kind)
        return found[0] if found else None

    @property
    def office(self):
        return self.one("office")

    def complete(self, kind: str) -> bool:
        """Whether every file of this kind passed validation, so that what is missing is really missing."""
        return kind not in self.failed_kinds

    def complete_for(self, item) -> bool:
        """Whether the records that fill a catalog item are all known (no file that might fill it failed)."""
        if item.get("source"):
            return self.complete(item.get("source"))
        return ANY not in self.failed_items and item.id not in self.failed_items

    def records_for(self, item) -> list:
        """The records that fill a catalog item: a whole kind (`source`) or the files that name it."""
        if item.get("source"):
            return self.of(item.get("source"))
        return [r for records in self.records.values() for r in records if item.id in r.catalog_ids]


def _office_around(path: Path) -> Path | None:
    """The office folder that holds `path`, when `path` is not an office's or a county's folder itself."""
    if (path / "office.yaml").is_file() or (path.is_dir() and office_example(path)) or not path.exists():
        return None
    return next((folder for folder in list(path.parents)[:4] if (folder / "office.yaml").is_file()), None)


@timings.stage("load")
def load_content(root: Path) -> tuple[Content, list[Finding]]:
    """Load and validate a content folder; the findings say everything wrong with it."""
    root = Path(root)
    content = Content(root)
    around = _office_around(root)
    if around is not None:  # a file, or a folder inside an office (notices/): office.yaml would be called missing
        return content, [Finding("", 1, "no-content", _("this is a file or a folder inside the office {office}, not"
                                                        " the office's folder").format(office=around),
                                 _("give the office's folder: {office}").format(office=around))]
    if not root.is_dir():
        return content, [Finding("", 1, "no-content", _("the content folder does not exist"),
                                 _("give the path of the office's content folder, e.g. content"))]
    if example := office_example(root):
        return content, [Finding("", 1, "no-content", _("this is a county's folder, not one office's"),
                                 _("give an office's folder, e.g. {example} (validate, check and build also take the"
                                   " county's)").format(example=example))]
    content.listing = Listing(root)
    documents, findings = load_all(root, all_types(), listing=content.listing)
    county_root = county_root_of(root)
    if county_root:
        # The county's calendar/ is every office's: an office's own would make two 2027s, or a year for one office only
        own = [doc for content_type, doc in documents if content_type.kind == "calendar"]
        documents = [(t, doc) for t, doc in documents if t.kind != "calendar"]
        findings += [Finding(doc.rel, 1, "county-office", _("an office in a county keeps no calendar of its own"),
                             _("the county's calendar/ holds the holidays for every office: move this file there if"
                               " the county lacks its year, else delete it")) for doc in own]
        calendars, calendar_findings = county_calendar(root, county_root)
        documents, findings = documents + calendars, findings + calendar_findings
    broken: dict[str, set[str]] = defaultdict(set)  # ids of files that exist but failed, so refs to them stay quiet
    for content_type, doc in documents:
        problems = schema_findings(content_type, doc)
        findings.extend(problems)
        if problems:
            broken[content_type.kind].add(Path(doc.rel).stem)
            if isinstance(doc.data, dict) and content_type.id_key in doc.data:
                broken[content_type.kind].add(str(doc.data[content_type.id_key]))
        else:
            for record in content_type.records(doc):
                content.records[content_type.kind].append(record)
    for rel in {f.file for f in findings}:
        for content_type in all_types():
            if Path(rel).match(content_type.pattern):
                broken[content_type.kind].add(Path(rel).stem)
                if not content_type.one_record_per_file:
                    broken[content_type.kind].add(ANY)
    for content_type in all_types():
        failed = content_type.kind in broken or (content_type.required and not content.of(content_type.kind))
        if failed:
            for kind in content_type.provides:
                broken[kind].add(ANY)
    findings.extend(_singleton_findings(documents, {finding.file.lower() for finding in findings}))
    findings.extend(_identity_findings(content))
    findings.extend(_reference_findings(content, broken))
    findings.extend(attachments.validate(content, content.listing))
    _set_aside_failed(content, documents, findings)
    findings.extend(_place_in_county(content, county_root))
    return content, sorted(set(findings))


def _place_in_county(content: Content, county_root: Path | None) -> list[Finding]:
    """An office in a county is published at the portal's address for it; a single office names its own."""
    office = content.office
    if county_root:
        content.county = county_seen_from(content.root, county_root)
        if not office:
            return []
        unused = [Finding(office.file, office.line(key), "county-office",
                          _("'{key}' is not used by an office in a county: the portal gives every office its address"
                            " and footer").format(key=key), _("delete these lines; county.yaml holds them"),
                          severity=WARNING) for key in ("site_url", "registration") if key in office.data]
        if "editor" in office.data:
            unused.append(Finding(office.file, office.line("editor"), "county-office",
                                  _("'editor' is not used by an office in a county: the county has one form editor, at"
                                    " the portal's /admin/, for every office"),
                                  _("move these lines to county.yaml, which names the repository for all offices"),
                                  severity=WARNING))
        if content.county:
            office.data["site_url"] = f"{content.county.get('portal_url')}{office_id_of(content.root)}/"
        return unused
    if office and not office.get("site_url"):
        return [Finding(office.file, office.line(), "schema", _("an office that publishes its own site needs 'site_url'"),
                        _("write the site's full address (https://…/), or move the office into a county's "
                          "offices/ folder, where the portal gives it its address"))]
    return []


def _set_aside_failed(content: Content, documents, findings: list[Finding]) -> None:
    """Leave the records of every file with an error out, so the rules judge the rest and never a broken file."""
    failed = {f.file for f in findings if f.severity == ERROR}
    if not failed:
        return
    loaded = {doc.rel: doc for _, doc in documents}
    for rel in failed:
        for content_type in all_types():
            if Path(rel).match(content_type.pattern):
                content.failed_kinds.add(content_type.kind)
        data = loaded[rel].data if rel in loaded else None
        if not isinstance(data, dict):  # unreadable: the item it names is read from its text, else it may be any
            content.failed_items.update(_catalog_named_in(content.root, rel) or {ANY})
            continue
        named = data.get("catalog") or []
        content.failed_items.update([named] if isinstance(named, str) else [str(n) for n in named if n])
    for kind, records in content.records.items():
        content.records[kind] = [r for r in records if r.file not in failed]


_CATALOG_LINE = re.compile(r"^catalog:[ \t]*['\"]?([a-z][a-z0-9-]*)['\"]?[ \t]*$", re.M)


def _catalog_named_in(root: Path, rel: str) -> set[str]:
    """The catalog item a file that cannot be parsed names on a line of its own, if it does."""
    path = root / rel
    if not readable(path, root):  # a link out of the folder is never opened
        return set()
    try:
        return set(_CATALOG_LINE.findall(path.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return set()


# --- files and ids ----------------------------------------------------------

def _singleton_findings(documents, named: set[str]) -> list[Finding]:
    """A required file that is missing; not one that is there but could not be read (a GBK office.yaml, an
    office.YAML), whose own finding says what to do."""
    findings = []
    loaded = {content_type.kind for content_type, _ in documents}
    for content_type in all_types():
        if content_type.required and content_type.kind not in loaded and content_type.pattern.lower() not in named:
            findings.append(Finding(content_type.pattern, 1, "missing-file",
                                    _("there is no {pattern} ({label})").format(pattern=content_type.pattern,
                                                                               label=content_type.label),
                                    _("create {pattern}; see docs/content-guide.md").format(pattern=content_type.pattern)))
    return findings


def _identity_findings(content: Content) -> list[Finding]:
    findings = []
    for kind, records in content.records.items():
        findings.extend(_duplicates(records, lambda r: r.id, "id",
                                    _("two {kind} records share the id").format(kind=kind_word(kind))))
    for content_type in all_types():
        if content_type.one_record_per_file and not content_type.singleton:
            for record in content.of(content_type.kind):
                if record.id != Path(record.file).stem:
                    findings.append(Finding(record.file, record.line(content_type.id_key), "id-filename",
                                            _("the id '{id}' differs from the file name '{name}'")
                                            .format(id=record.id, name=Path(record.file).name),
                                            _("name the file {id}{suffix}, or make the id match the file name")
                                            .format(id=record.id, suffix=Path(record.file).suffix)))
    documents = [r for records in content.records.values() for r in records if r.get("index_no")]
    findings.extend(_duplicates(documents, lambda r: r.get("index_no"), "index_no",
                                _("two documents share the index number (索引号)")))
    office = content.office
    if office and not uscc.is_valid(office.get("credit_code")):  # its last character checks the other seventeen
        findings.append(Finding(office.file, office.line("credit_code"), "credit-code",
                                _("统一社会信用代码 {code} is not valid: its check character does not match")
                                .format(code=office.get("credit_code")),
                                _("copy the code from the office's registration certificate (登记证书) again")))
    if office:
        for record in documents:
            prefixes = [office.get("credit_code"), *(office.get("index_prefixes") or [])]
            if not any(record.get("index_no").startswith(prefix + "/") for prefix in prefixes):
                findings.append(Finding(record.file, record.line("index_no"), "index-number",
                                        _("索引号 {index_no} does not start with the office's 统一社会信用代码")
                                        .format(index_no=record.get("index_no")),
                                        _("write it as {credit_code}/YYYY-NNNNN; if that is not this office's code (a"
                                          " copied office folder), correct credit_code in office.yaml first")
                                        .format(credit_code=office.get("credit_code"))))
            issuer = record.get("issuer")
            if issuer is not None and issuer != office.get("name"):
                findings.append(Finding(record.file, record.line("issuer"), "issuer-name",
                                        _("发布机构 '{issuer}' is not the office's full name").format(issuer=issuer),
                                        _("write the full name '{name}', never an abbreviation; if that is not this"
                                          " office's name (a copied office folder), correct name in office.yaml first")
                                        .format(name=office.get("name"))))
    return findings


def _duplicates(records, key, field_name, message) -> list[Finding]:
    first_seen: dict = {}
    findings = []
    for record in records:
        value = key(record)
        if value in first_seen:
            first = first_seen[value]
            findings.append(Finding(record.file, record.line(field_name), "duplicate-id",
                                    _("{message} '{value}' (also at {file}:{line})")
                                    .format(message=message, value=value, file=first.file, line=first.line(field_name)),
                                    _("give each one its own value")))
        else:
            first_seen[value] = record
    return findings


def _reference_findings(content: Content, broken: dict[str, set[str]]) -> list[Finding]:
    known: dict[str, set[str]] = defaultdict(set)
    for kind, records in content.records.items():
        for record in records:
            known[kind].add(record.id)
            for provided in getattr(record, "provides", lambda: [])():
                known[provided.kind].add(provided.id)
    findings = []
    for records in content.records.values():
        for record in records:
            for ref in record.references():
                if ref.id in known[ref.kind] or ref.id in broken[ref.kind] or ANY in broken[ref.kind]:
                    continue
                guess = difflib.get_close_matches(ref.id, sorted(known[ref.kind]), n=1)
                hint = _("did you mean '{guess}'?").format(guess=guess[0]) if guess else (
                    _("use one of: {values}").format(values=", ".join(sorted(known[ref.kind]))) if known[ref.kind]
                    else _("add the {kind} first").format(kind=kind_word(ref.kind)))
                findings.append(Finding(record.file, record.line(*ref.at), "dangling-reference",
                                        _("unknown {kind} '{id}'").format(kind=kind_word(ref.kind), id=ref.id),
                                        unseen_hint(ref.id) or hint))
    return findings


# A kind of record as a word in a message: the kinds' names are the English words, translated like any other.
_KIND_WORDS = {"section": N_("section"), "catalog": N_("catalog"), "fee": N_("fee"), "service": N_("service"),
               "notice": N_("notice"), "regulation": N_("regulation"), "complaint": N_("complaint"),
               "decision": N_("decision"), "income": N_("income"), "inspection": N_("inspection"),
               "internal": N_("internal"), "report": N_("report"), "request": N_("request"), "review": N_("review"),
               "calendar": N_("calendar")}


def kind_word(kind: str) -> str:
    return _(_KIND_WORDS[kind]) if kind in _KIND_WORDS else kind
