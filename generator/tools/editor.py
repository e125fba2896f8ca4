"""The form editor (网页编辑): a Decap CMS configuration written from schemas/.

Every field a clerk fills in the browser is a schema property: its Chinese title is the label, its
description the help, its enum a list to choose from, its `required` a field the editor insists on.
A new notice starts as `gongkai new notice` starts it — the same template, so the index number, the
catalog item and the seven parts of a 重大事项公示 are already there. What only the build can work out
(the end of the period on the official calendar, an index number taken meanwhile by another entry)
the checks on the pull request report.

The editor itself is Decap CMS, pinned in tools/decap/package-lock.json; its built bundle is copied
into the site under admin/, so nothing is fetched from a CDN.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import subprocess
from pathlib import Path


from ..checks.publication import decide_here
from ..checks.report import error_lines, withheld_lines
from ..checks.validate import Content, load_content
from ..content.county import OFFICES, load_county
from ..content.load import parse_yaml
from ..content.types import SCHEMA_DIR, by_kind
from ..content.types.notice import MAJOR_DECISION
from ..content.workdays import WorkCalendar
from ..i18n import _
from .decap_fixes import mended

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DECAP_DIST = PROJECT_ROOT / "tools" / "decap" / "node_modules" / "decap-cms" / "dist"
ADMIN_DIR = "admin"
TEMPLATES = Path(__file__).resolve().parent / "templates" / "admin"
LOCAL_API = "/api/v1"  # `gongkai editor` answers the editor's local-mode requests on the page's own address

# What the editor edits: kind → whether clerks add new files (else one file is edited); fees and registers, CSV
# tables, are TABLES below. Internal items never belong on a public web page, not even its editor; rules.yaml is
# for the office's technician.
# A holiday calendar (calendar/<year>.yaml) is declared once a year from the State Council's notice, by hand.
COLLECTIONS = {"notice": True, "service": True, "regulation": True, "pledges": False, "catalog": False,
               "office": False}
TABLES = ("fee", "request", "complaint", "review", "inspection", "decision", "income")  # CSV tables, as forms
PERIOD_HINT = ("公示期的结束日由网站按国务院节假日安排计算（网页编辑算不了），显示在公示页面上；"
               "保存后在项目文件夹里运行 .venv/bin/gongkai check content --changed-since HEAD（“本次修改公开的内容”一段写明"
               "公示期到哪天），或看 pull request 上的检查结果。")


def repository_root(content_dir: Path) -> Path:
    """The git clone the content folder belongs to (the folder above it when it is not in one)."""
    result = subprocess.run(["git", "-C", str(content_dir), "rev-parse", "--show-toplevel"],
                            capture_output=True, text=True)
    return Path(result.stdout.strip()).resolve() if result.returncode == 0 else Path(content_dir).resolve().parent


def content_folder(content_dir: Path) -> str:
    """The content folder as the editor names it: relative to the repository root."""
    return Path(content_dir).resolve().relative_to(repository_root(content_dir)).as_posix()


def hosted_settings(content: Content) -> dict:
    """The repository the hosted editor saves to ({} for none: local mode only). In a county, county.yaml's editor:
    for every office, since the county is one repository with one editor at the portal's /admin/; a single office's
    office.yaml names its own."""
    record = content.county if content.county is not None else content.office
    return (record.get("editor") if record else None) or {}


def editor_config(content: Content, folder: str, as_of: dt.date, local: bool = False) -> dict:
    """The Decap configuration for the content folder at `folder` (relative to the repository root); `local`: for
    `gongkai editor`, whose server also shows the CSV tables as forms."""
    return _config(hosted_settings(content), folder, [_collection(by_kind(kind), folder, creatable, content, as_of)
                                                      for kind, creatable in COLLECTIONS.items()]
                   + ([_tables(folder)] if local else []))


def _config(settings: dict, folder: str, collections: list[dict]) -> dict:
    config = {
        "locale": "zh_Hans",
        "backend": _backend(settings),
        "media_folder": f"{folder}/attachments",  # the media library's own uploads; a document must name them
        "public_folder": "attachments",
        "slug": {"encoding": "unicode", "clean_accents": False},  # an upload keeps its Chinese name
        "collections": collections,
    }
    if settings.get("backend") == "github":
        config["publish_mode"] = "editorial_workflow"  # each entry its own branch and pull request
    return config


def _backend(settings: dict) -> dict:
    """The hosted repository the published editor writes to; without one, only the local mode works."""
    if not settings:
        return {"name": "proxy", "proxy_url": f"http://localhost:8081{LOCAL_API}", "branch": "main"}
    backend = {"name": settings["backend"], "repo": settings["repo"], "branch": settings.get("branch", "main")}
    if settings["backend"] == "gitea":
        base = settings["base_url"].rstrip("/")
        backend |= {"base_url": base, "api_root": f"{base}/api/v1", "app_id": settings["app_id"]}
    elif settings.get("base_url"):
        backend["base_url"] = settings["base_url"]  # the OAuth helper for GitHub
    return backend


def _collection(content_type, folder: str, creatable: bool, content: Content, as_of: dt.date) -> dict:
    schema = _resolved(content_type.load_schema())
    fields = _fields(schema, _choices(content))
    label = schema.get("title", content_type.label)
    pattern = Path(content_type.pattern)
    if content_type.one_record_per_file and creatable:
        collection = {"name": content_type.kind, "label": label, "label_singular": label,
                      "description": schema.get("description", ""), "folder": f"{folder}/{pattern.parts[0]}",
                      "create": True, "extension": pattern.suffix.lstrip("."),
                      "format": "frontmatter" if content_type.format == "markdown" else "yaml",
                      "identifier_field": content_type.id_key, "summary": "{{title}}",
                      # uploads go into a folder named after the entry, beside it: <id>/<file>, as attachments name them
                      "media_folder": "{{slug}}", "public_folder": "{{slug}}", "fields": fields}
        body = _body(content_type.kind)
        if content_type.kind == "notice":
            # notices/<year>/<id>.md; Decap knows only the year it saves in (its date filter cannot be used in a
            # path, which it lower-cases), so a notice written in December for January sits in December's year;
            # any folder under notices/ is read alike
            collection["path"] = "{{year}}/{{slug}}"
            body["default"] = _start_like_new_notice(fields, content, as_of)
        if content_type.format == "markdown":
            collection["fields"] = fields + [body]
        return collection
    return {"name": content_type.kind, "label": label, "description": schema.get("description", ""),
            "files": [{"name": content_type.kind, "label": label, "file": f"{folder}/{content_type.pattern}",
                       "fields": fields}]}


def _tables(folder: str) -> dict:
    """Fees and registers: CSV files, each shown as a form with a row per record (the local editor hands them to Decap
    as JSON and writes them back as CSV, generator/tools/editor_save.py), so no clerk edits CSV by hand."""
    files = []
    for kind in TABLES:
        content_type = by_kind(kind)
        schema = content_type.load_schema()
        title = schema.get("title", content_type.label)
        columns = [_column(field) for field in schema["fields"]]
        files.append({"name": kind, "label": title, "file": f"{folder}/{content_type.pattern}", "fields": [
            {"name": "rows", "label": title, "label_singular": "一行", "widget": "list", "add_to_top": False,
             "collapsed": True, "summary": "{{fields.id}}　{{fields." + columns[1]["name"] + "}}",
             "hint": schema.get("description", ""), "fields": columns}]})
    return {"name": "tables", "label": "收费标准和登记簿", "format": "json", "files": files,
            "description": "收费标准和各登记簿，每条一行：新增一行、改正一行都在这里，不必打开表格文件。"}


def _row_summary(rows: list[dict]) -> str:
    """A collapsed entry of a list (an approval, an attachment) shown by its first two fields: without a summary,
    Decap labels an entry whose first field is still empty 'No by', 'No file' in English."""
    first, *rest = (row["name"] for row in rows)
    return "{{fields." + first + " | default('（未填写）')}}" + "".join("　{{fields." + name + "}}" for name in rest[:1])


def _column(field: dict) -> dict:
    """A table schema's column as a form field, the same way a JSON Schema property becomes one."""
    constraints = field.get("constraints", {})
    prop = {"title": field.get("title", field["name"]), "description": field.get("description", "")}
    prop |= {"enum": constraints["enum"]} if "enum" in constraints else {}
    prop |= {"pattern": constraints["pattern"]} if "pattern" in constraints else {}
    prop |= {"minimum": constraints["minimum"]} if "minimum" in constraints else {}
    kind = field.get("type", "string")
    prop |= {"format": "date", "type": "string"} if kind == "date" else {"type": kind}
    return _field(field["name"], prop, bool(constraints.get("required")), {})


def _choices(content: Content) -> dict[str, list[dict]]:
    """Fields that name another record, offered as a list of what exists (shown by title, saved as id)."""
    return {
        "catalog": [{"label": f"{item.get('title')}（{item.id}）", "value": item.id}
                    for item in content.of("catalog") if not item.internal],
        "owner": [{"label": section["name"], "value": section["id"]} for section in content.office.sections],
    }


def _resolved(schema: dict) -> dict:
    """The schema with its $ref (the common document metadata) folded in, the document's fields first."""
    if "$ref" not in schema:
        return schema
    base = _resolved(json.loads((SCHEMA_DIR / schema["$ref"]).read_text(encoding="utf-8")))
    return {**schema, "properties": {**base["properties"], **schema["properties"]},
            "required": list(dict.fromkeys(base.get("required", []) + schema.get("required", [])))}


def _fields(schema: dict, choices: dict, present: bool = True) -> list[dict]:
    """`present`: the object is always there. The fields an optional object requires (a hearing's date) cannot
    be required in the editor, which would then demand them of every entry; the validation asks for them."""
    required = set(schema.get("required", [])) if present else set()
    return [_field(name, prop, name in required, choices) for name, prop in schema.get("properties", {}).items()]


def _field(name: str, prop: dict, required: bool, choices: dict) -> dict:
    field = {"name": name, "label": prop.get("title", name), "required": required}
    if prop.get("description"):
        field["hint"] = prop["description"]
    kind = prop.get("type")
    items = prop.get("items") if isinstance(prop.get("items"), dict) else {}
    if "enum" in prop:
        field |= {"widget": "select", "options": prop["enum"]}
    elif name in choices and kind == "string":
        field |= {"widget": "select", "options": choices[name]}
    elif "enum" in items:
        field |= {"widget": "select", "multiple": True, "options": items["enum"]}
    elif prop.get("const") is True or kind == "boolean":
        field |= {"widget": "boolean", "default": False}
    elif kind == "object":
        field |= {"widget": "object", "collapsed": False, "fields": _fields(prop, choices, required)}
    elif kind == "array" and items.get("type") == "object":
        rows = _fields(items, choices)
        field |= {"widget": "list", "fields": rows, "add_to_top": False, "summary": _row_summary(rows)}
    elif kind == "array":
        field |= {"widget": "list", "field": _field("item", items, True, choices) | {"label": prop.get("title", name)}}
    elif kind in ("integer", "number"):
        field |= {"widget": "number", "value_type": "int" if kind == "integer" else "float"}
        if "minimum" in prop:
            field["min"] = prop["minimum"]
    elif prop.get("format") == "date":
        # typed or picked, and a wrong date is named as one (generator/tools/templates/admin/editor.js)
        field["widget"] = "gongkai-date"
    elif name == "file" and kind == "string":  # an attachment: uploaded through the media library
        field |= {"widget": "file", "choose_url": False}
    else:
        field["widget"] = "string"
        if prop.get("pattern") == r"\S":  # a title and the like: at least one visible character
            field["pattern"] = [prop["pattern"], f"不能只有空格，请写上文字。{prop.get('description', '')}"]
        elif "pattern" in prop:
            field["pattern"] = [prop["pattern"], f"格式不对。{prop.get('description', '')}"]
    if kind == "array" and prop.get("minItems"):
        field["min"] = prop["minItems"]
    return field


def _body(kind: str) -> dict:
    label = {"notice": "公示内容", "regulation": "制度全文"}.get(kind, "正文")
    return {"name": "body", "label": label, "widget": "markdown", "modes": ["rich_text", "raw"],
            "buttons": ["bold", "heading-two", "heading-three", "bulleted-list", "numbered-list", "link"],
            "editor_components": [], "sanitize_preview": True,
            "hint": "用工具栏的“H”按钮把一行设成标题来分节；不要粘贴身份证号、银行卡号、私人手机号。"}


def _start_like_new_notice(fields: list[dict], content: Content, as_of: dt.date) -> str:
    """Defaults from the same template as `gongkai new notice`, for a 重大事项公示; returns its text's start."""
    from .scaffold import ScaffoldError, new_notice

    try:
        made = new_notice(content, WorkCalendar.from_content(content), "待填写", MAJOR_DECISION, as_of, as_of)
    except ScaffoldError:  # no catalog item to file it under yet: the form starts empty, validation says what is missing
        return ""
    _, front, body = made.text.split("---\n", 2)
    data, _ = parse_yaml(front)
    dated = {"written", "published", "first_day"}  # left to the date picker: the day the clerk writes
    for field in fields:
        name = field["name"]
        if name in data and name not in dated and name != "title" and data[name] not in (None, []):
            field["default"] = data[name]
        if field.get("widget") == "object" and isinstance(data.get(name), dict):
            for sub in field["fields"]:
                if sub["name"] in data[name]:
                    sub["default"] = data[name][sub["name"]]
        if name == "period":
            field["hint"] = f"{field.get('hint', '')}{PERIOD_HINT}"
        if name in ("id", "index_no"):
            field["hint"] = (f"{field.get('hint', '')}已按现有文件编好下一个号；保存时若这个号已被别的文件占用"
                             "（例如同事刚新建了一条），在本机编辑时自动改用下一个空号。")
    return body.lstrip("\n")


def admin_page(config: dict, problems: list[str] = (), withheld: list[str] = ()) -> bytes:
    """admin/index.html with the configuration inside it, and listed above the editor the broken files, or else
    `withheld`: the build's lines on the documents it would not publish (report.withheld_lines)."""
    # In the page rather than in a config.yml beside it: Decap ignores a config file that its web server
    # does not label as YAML, and intranet servers seldom do.
    settings = json.dumps(config | {"load_config_file": False}, ensure_ascii=False, indent=1).replace("</", "<\\/")
    if problems:
        panel = _panel("gongkai-problems", _(
            "These files have errors, and the site is not built until they are fixed; the rest of the editor works —"
            " open the file in its list here, or in a text editor, and fix it:"), problems)
    else:
        panel = _panel("gongkai-withheld", withheld[0], withheld[1:]) if withheld else ""
    return INDEX_HTML.replace("SETTINGS", settings).replace("PROBLEMS", panel).encode("utf-8")


# A panel over the foot of the page, for what the clerk must know there (the preview's panel looks the same).
PANEL_STYLE = ("position:fixed;z-index:10000;left:0;right:0;bottom:0;max-height:35vh;overflow:auto;background:#fff4e5;"
               "border-top:3px solid #d9822b;padding:8px 16px;font:15px/1.6 sans-serif")


def _panel(name: str, heading: str, lines: list[str]) -> str:
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (f'<aside id="{name}" role="alert" style="{PANEL_STYLE}"><strong>{html.escape(heading)}</strong>'
            f'<ul style="margin:4px 0">{items}</ul></aside>')


def editor_page(content_dir: Path, as_of: dt.date) -> bytes:
    """The local editor's page for the content as it is now: a broken file is listed in it, never a blank page;
    so is each document that the build of `as_of` would not publish, with why and what to do (a notice saved here
    is only in the folder, whatever Decap's 发布 says)."""
    content, findings = load_content(content_dir)
    folder = content_folder(content_dir)
    problems = error_lines(findings, folder + "/")
    withheld = [] if problems else withheld_lines(
        decide_here(content, as_of, WorkCalendar.from_content(content)).findings(), folder + "/")
    return admin_page(editor_config(content, folder, as_of, local=True), problems, withheld)


def hosted_editor_config(root: Path, folder: str, as_of: dt.date) -> dict:
    """The published editor of any content folder loaded as a county, saving into the folder at `folder` (relative to
    the repository root). A county has one for all its offices, at the portal's /admin/: every office's collections,
    each named after its office's folder (rfb-notice) and labelled with its short name (人防办·公示公告), saving into
    offices/<id>/; a county of one's is its office's own."""
    county, _ = load_county(root)
    if not county.portal:
        return editor_config(load_content(root)[0], folder, as_of)
    collections = []
    for office in county.offices:
        content, _ = load_content(county.office_dir(office))
        short = content.office.get("short_name") if content.office else office
        collections += [collection | {"name": f"{office}-{collection['name']}", "label": f"{short}·{collection['label']}"}
                        for collection in editor_config(content, f"{folder}/{OFFICES}/{office}", as_of)["collections"]]
    return _config((county.record.get("editor") if county.record else None) or {}, folder, collections)


def published_editor_files(content_dir: Path, folder: str, as_of: dt.date) -> dict[str, bytes]:
    """The hosted editor as files of the site, once at its root's admin/: a county's for all its offices, a county of
    one's for its office (the CLI hands this to the build, which never imports the tools)."""
    return admin_files(hosted_editor_config(Path(content_dir), folder, as_of))


def admin_files(config: dict) -> dict[str, bytes]:
    """admin/index.html with the configuration inside it, and the Decap bundle, as files of the site."""
    return {f"{ADMIN_DIR}/index.html": admin_page(config)} | bundle_files()


def bundle_files() -> dict[str, bytes]:
    """Decap CMS's built bundle (mended where it loses work or breaks: decap_fixes) and the editor's own parts
    (generator/tools/templates/admin/), as files of admin/."""
    return {f"{ADMIN_DIR}/{path.name}": mended(path.name, path.read_bytes()) for path in sorted(DECAP_DIST.iterdir())
            if path.name in ("decap-cms.js", "cms.css") or path.name.endswith((".decap-cms.js", ".wasm"))} | {
        f"{ADMIN_DIR}/gongkai-editor.js": (TEMPLATES / "editor.js").read_bytes()}


# Local mode: when the page is opened on this computer through `gongkai editor`, the editor talks to it through
# the same address (LOCAL_API, named in editor.js); on the published site it uses the configured backend.
INDEX_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>网页编辑</title>
</head>
<body>
  PROBLEMS
  <script>window.CMS_MANUAL_INIT = true;</script>
  <script src="decap-cms.js"></script>
  <script src="gongkai-editor.js"></script>
  <script>
    var settings = SETTINGS;
    settings.local_backend = {url: gongkaiEditor.localApi};
    CMS.init({config: settings});
  </script>
</body>
</html>
"""
