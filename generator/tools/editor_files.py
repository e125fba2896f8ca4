"""The files the form editor reads and writes, as its local server (editor_server.py) hands them over: paths
relative to the repository and confined to the office's content folder (never through `..`, a link out, or
`.git`); a save keeps each file's form (editor_save.py) and is whole or not there; creating never replaces a file
that exists; on Gitea/Forgejo a save becomes a pull request (editor_forge.py) instead of a file here.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from pathlib import Path, PurePosixPath

from ..checks.unsaved import unsaved_findings
from ..checks.validate import load_content
from ..content.load import load_markdown, load_yaml
from ..content.types import all_types, by_kind
from ..findings import ContentError
from ..i18n import _
from .editor import _body, _resolved
from .editor_forge import Forge, ForgeError
from .editor_save import safe_upload_name, saved_text, table_csv, table_json
from .scaffold import next_id, next_index_no, schema_reference


class Refused(Exception):
    """A request the editor does not carry out; the message (Chinese for the clerk) says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Files:
    """The office's files as the editor may see them: paths relative to the repository, confined to `allowed`."""

    def __init__(self, repository: Path, allowed: Path, forge: Forge | None = None):
        self.repository = repository.resolve()
        self.allowed = allowed.resolve()
        self.forge = forge  # Gitea/Forgejo: saves become pull requests there (editor_forge.py), not files here
        self.pending: dict[str, bytes] = {}  # what this session proposed, read back as saved until it is merged

    def schema_line(self, rel: str, kind: str | None) -> str:
        """The `$schema` line a new file starts with, as `gongkai new` writes it (none for a kind it does not know)."""
        try:
            schema = by_kind(kind).schema
        except (KeyError, StopIteration, TypeError, ValueError):
            return ""
        inside = self.resolve(rel).relative_to(self.allowed).as_posix()
        return f"# yaml-language-server: $schema={schema_reference(self.allowed, inside, schema)}"

    def resolve(self, rel: object) -> Path:
        if not isinstance(rel, str) or not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel:
            raise Refused(403, _("the editor refuses this path: {path}").format(path=rel))
        parts = Path(rel).parts
        if ".." in parts or any(part.lower() == ".git" for part in parts):
            raise Refused(403, _("the editor refuses this path: {path}").format(path=rel))
        path = self.repository / rel
        real = path.resolve()  # a link is followed here, and refused when it leads out of the office
        if real != self.allowed and self.allowed not in real.parents:
            raise Refused(403, _("the editor writes only into the office's content folder, not {path}").format(path=rel))
        return path

    def rel(self, path: Path) -> str:
        return path.relative_to(self.repository).as_posix()

    def entries(self, paths: list[str]) -> list[dict]:
        found = []
        for rel in paths:
            path = self.resolve(rel)
            try:
                data = self.pending[rel] if rel in self.pending else path.read_bytes()
            except OSError:
                found.append({"data": None, "file": {"path": rel, "id": None}})
                continue
            text = data.decode("utf-8", errors="replace")
            if (schema := self.table_schema(rel)) is not None:
                text = table_json(text, schema)
            found.append({"data": text, "file": {"path": rel, "id": _sha(data)}})
        return found

    def _hash_now(self, rel: str) -> str | None:
        """The hash of the file as entries() hands it out now (what this session proposed, else the clone's)."""
        if rel in self.pending:
            return _sha(self.pending[rel])
        path = self.resolve(rel)
        return _sha(path.read_bytes()) if path.is_file() else None

    def table_schema(self, rel: str) -> dict | None:
        """The table schema of a CSV file of the office (fees, a register), which the editor shows as a form."""
        inside = self.resolve(rel).relative_to(self.allowed).as_posix()
        for content_type in all_types():
            if content_type.format == "csv" and content_type.pattern == inside:
                return content_type.load_schema()
        return None

    def listing(self, folder: str, extension: str, depth: int) -> list[str]:
        root = self.resolve(folder)

        def walk(directory: Path, depth: int) -> list[str]:
            if depth <= 0 or not directory.is_dir():
                return []
            found = []
            for child in sorted(directory.iterdir()):
                if child.name.startswith("."):
                    continue
                if child.is_dir():
                    found += walk(child, depth - 1)
                elif child.name.endswith(extension) and child.resolve().is_relative_to(self.allowed):
                    found.append(self.rel(child))
            return found

        listed = walk(root, depth)
        prefix = self.rel(root) + "/"
        return listed + sorted(rel for rel in self.pending if rel.startswith(prefix) and rel.endswith(extension)
                               and rel not in listed and len(Path(rel[len(prefix):]).parts) <= depth)

    def media(self, rel: str) -> dict:
        data = self.pending[rel] if rel in self.pending else self.resolve(rel).read_bytes()
        return {"id": _sha(data), "content": base64.b64encode(data).decode("ascii"), "encoding": "base64",
                "path": rel, "name": Path(rel).name}

    def write(self, rel: str, data: bytes) -> None:
        path = self.resolve(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.saving")
        temporary.write_bytes(data)
        temporary.replace(path)  # never half a file: a clerk's work is whole or not there

    def upload_checked(self, rel: str) -> None:
        if safe_upload_name(rel):
            raise Refused(422, _("a file's name must say what it is (e.g. 疏散基地标识设置方案.pdf), not “{name}”: rename it "
                                 "on your computer, without \\ / : * ? \" < > | # %, and upload it again")
                          .format(name=Path(rel).name))

    def _original(self, rel: str) -> tuple[bytes | None, str | None]:
        """The file as it stands before this save (on the forge: on its base branch), and its forge blob id."""
        if rel in self.pending:
            return self.pending[rel], None
        if self.forge is not None:
            return self.forge.original(rel)
        path = self.resolve(rel)
        return (path.read_bytes() if path.exists() else None), None

    def persist_entry(self, params: dict) -> dict[str, str]:
        """Save an entry (and its uploads); returns each saved file's new hash, which the page sends with its next
        save of it (a form that saves twice is no other tab)."""
        files = params.get("dataFiles") or [params.get("entry")]
        options = params.get("options") or {}
        assets = self._named_uploads(files, params.get("assets") or [])
        planned = []
        for entry in files:
            if not isinstance(entry, dict) or not isinstance(entry.get("raw"), str):
                raise Refused(422, _("the editor sent an entry it cannot save"))
            target = entry.get("newPath") or entry["path"]
            self.resolve(target)
            existing, sha = self._original(target)
            if options.get("newEntry") or entry.get("newPath"):
                if existing is not None:  # before anything is written: nothing of the existing file is lost
                    raise Refused(409, _("{path} already exists, and saving would replace it — reload the page (F5) to "
                                         "get the next number, or give this entry another number")
                                  .format(path=target))
            elif (loaded := (params.get("loaded") or {}).get(entry["path"])) and loaded != self._hash_now(entry["path"]):
                # the form loaded the file before another save of it (another tab, a colleague): saving the form's
                # values would silently undo that save
                # Reopened, Decap offers the form's local backup, which holds the values from before that save:
                # restored, it would undo that save as surely (the hash is then the new file's).
                raise Refused(409, _("someone (or another tab of the editor) has changed and saved {path} since this "
                                     "form opened it, and saving now would undo that change, so nothing was saved: copy "
                                     "your changes, reopen the entry (reload the page, F5; if the editor then offers a "
                                     "local backup, cancel: it holds the form from before that save), put them in again "
                                     "and save")
                              .format(path=entry["path"]))
            original = existing.decode("utf-8") if existing is not None else None
            if (schema := self.table_schema(target)) is not None:
                text = table_csv(original, entry["raw"], schema)
            else:
                text = saved_text(original, entry["raw"], self.schema_line(target, options.get("collectionName")))
            planned.append((entry, target, text.encode("utf-8"), sha))
        self.refuse_unsafe([(target, data.decode("utf-8"), options.get("collectionName"))
                            for _entry, target, data, _blob in planned])
        for asset in assets:
            self.resolve(asset.get("path"))
            self.upload_checked(asset["path"])
        uploads = [(asset["path"], base64.b64decode(asset["content"])) for asset in assets]
        if self.forge is not None:
            self.propose([(target, data, sha) for _entry, target, data, sha in planned]
                         + [(rel, data, self._original(rel)[1]) for rel, data in uploads])
            return {target: _sha(data) for _entry, target, data, _blob in planned}
        for entry, target, data, _blob in planned:
            self.write(target, data)
            if entry.get("newPath") and entry["newPath"] != entry["path"]:
                self.resolve(entry["path"]).unlink(missing_ok=True)  # the file alone, never its neighbours
        for rel, data in uploads:
            self.write(rel, data)
        return {target: _sha(data) for _entry, target, data, _blob in planned}

    def _named_uploads(self, files: list, assets: list) -> list[dict]:
        """The uploads the saved entry names. Decap sends along every file uploaded in the form, also one the clerk
        has removed again, which is left out here, not written (nor its name refused). An upload in the entry's own
        folder that the entry names under another folder, which belongs to no saved document, is the same file: Decap
        stores an upload by the entry's number at the save, but leaves the path the form wrote when the clerk
        uploaded it before changing 文件编号; the entry is made to name it where it is stored."""
        kept = []
        for asset in assets:
            path = PurePosixPath(str(asset.get("path") or "")) if isinstance(asset, dict) else PurePosixPath()
            named = f"{path.parent.name}/{path.name}"
            for entry in (entry for entry in files if isinstance(entry, dict) and isinstance(entry.get("raw"), str)):
                target = PurePosixPath(entry.get("newPath") or entry.get("path") or "")
                if named in entry["raw"]:
                    kept.append(asset)
                    break
                if path.parent != target.parent / target.stem:
                    continue
                elsewhere = re.search(rf"(?<![^\s'\"])([^\s'\"/]+)/{re.escape(path.name)}(?=$|[\s'\"])", entry["raw"], re.M)
                if elsewhere and not self._saved_document(str(target.parent / (elsewhere.group(1) + target.suffix))):
                    entry["raw"] = entry["raw"].replace(elsewhere.group(), elsewhere.group().replace(
                        f"{elsewhere.group(1)}/", f"{path.parent.name}/", 1))
                    kept.append(asset)
                    break
        return kept

    def _saved_document(self, rel: str) -> bool:
        return rel in self.pending or self.resolve(rel).is_file()

    def refuse_unsafe(self, texts: list[tuple[str, str, str | None]]) -> None:
        """Before anything is written: a text `gongkai check` would refuse for personal data, a classified marking,
        unsafe web code or internal text is not saved, since once saved it stays in git history (and on the code
        host, in a branch). The message is check's, with the form's field it is in; the form keeps its text."""
        content = None
        for target, text, kind in texts:
            inside = (self.repository / target).relative_to(self.allowed).as_posix()
            doc = None
            try:
                if inside.endswith(".md"):
                    doc = load_markdown(self.repository / target, inside, text)
                elif inside.endswith((".yaml", ".yml")):
                    doc = load_yaml(self.repository / target, inside, text)
            except ContentError:
                pass  # not parsed: its raw lines are read all the same, and validation names what is wrong
            content = content or load_content(self.allowed)[0]
            # the safety rules read no date: today's is as good as any
            for finding in unsaved_findings(content, inside, text, doc, dt.date.today())[:1]:
                raise Refused(422, _("“{field}” ({file}, line {line}): {message} — {hint}. Nothing was saved: correct it "
                                     "in the form and save again").format(
                    field=self._field_at(doc, kind, finding.line), file=target, line=finding.line,
                    message=finding.message, hint=finding.hint))

    @staticmethod
    def _field_at(doc, kind: str | None, line: int) -> str:
        """The form's label of the field a line of the file belongs to (the body's, below the front matter)."""
        if doc is not None and doc.body and line >= doc.body_line:
            return _body(kind)["label"]
        keys = sorted((path for path, at in (doc.lines.items() if doc is not None else ()) if at == line and path),
                      key=len)
        try:
            return _resolved(by_kind(kind).load_schema())["properties"][keys[0][0]]["title"]
        except (IndexError, KeyError, StopIteration, TypeError, ValueError):
            return keys[0][0] if keys else _("the file")

    def propose(self, files: list[tuple[str, bytes, str | None]]) -> None:
        try:
            self.forge.propose(files, _("Form editor: {files}").format(files=", ".join(rel for rel, _d, _s in files)))
        except ForgeError as error:
            raise Refused(502, str(error)) from None
        self.pending.update((rel, data) for rel, data, _sha in files)

    def free_numbers(self, kind: str, data: dict) -> list[tuple[list, str]]:
        """What a new entry's numbers become when another file took them since the page was opened (the page's
        defaults are the next numbers then): the next free id of its series and the next index number, with its
        attachments moved along to the folder of the new id. Each change is (where in the entry, new value)."""
        content, _findings = load_content(self.allowed)
        changes = []
        # A number is taken by every file there is, whatever its errors (the loaded content leaves a broken file
        # out), and by what this session proposed on the forge, which is not in the clone yet: the file's name and
        # the `id:` and `index_no:` it has written, read as text.
        try:
            folder = self.allowed / Path(by_kind(kind).pattern).parts[0]
        except (KeyError, StopIteration, TypeError, ValueError):
            folder = None
        written = {self.rel(path): path.read_bytes() for path in self.allowed.rglob("*")
                   if path.suffix in (".md", ".yaml", ".yml") and path.is_file()
                   and not any(part.startswith(".") for part in path.relative_to(self.allowed).parts)}
        texts = {rel: data.decode("utf-8", errors="replace") for rel, data in (written | self.pending).items()}
        in_folder = [rel for rel in texts if folder is not None and (self.repository / rel).is_relative_to(folder)]
        ids = {record.id for record in content.of(kind)} | {Path(rel).stem for rel in in_folder}
        ids |= {match for rel in in_folder for match in re.findall(r"^id: *['\"]?([^'\"\s]+)", texts[rel], re.M)}
        record_id = data.get("id")
        if record_id in ids and (series := re.fullmatch(r"(.+)-\d+", str(record_id))):
            new_id = next_id(ids, series.group(1))
            changes.append((["id"], new_id))
            for index, item in enumerate(data.get("attachments") or []):
                if isinstance(item, dict) and str(item.get("file") or "").startswith(f"{record_id}/"):
                    changes.append((["attachments", index, "file"], new_id + item["file"][len(record_id):]))
        index_no = str(data.get("index_no") or "")
        taken = {str(record.get("index_no")) for records in content.records.values() for record in records}
        taken |= {match for text in texts.values() for match in re.findall(r"^index_no: *['\"]?([^'\"\s]+)", text, re.M)}
        if index_no in taken and (year := re.search(r"/(\d{4})-\d+$", index_no)):
            changes.append((["index_no"], next_index_no(content, int(year.group(1)), taken)))
        return changes

    def delete(self, rel: str) -> None:
        if self.forge is not None:  # a file leaves the site through a reviewed pull request, opened by hand
            raise Refused(422, _("on the code host, a file is deleted through a pull request: delete it in your clone "
                                 "and open one, or ask your technician"))
        path = self.resolve(rel)
        if path.is_file():
            path.unlink()
