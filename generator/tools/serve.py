"""Live preview: `mkdocs serve` on the generated tree, with a hook that re-renders it from content/.

`gongkai serve` writes build/mkdocs.yml and starts mkdocs serve, watching the
content folder. Before every rebuild the hook below renders the content
again and updates only the Markdown files that changed. Content with errors
is refused: the last good pages stay, and the terminal and a panel at the foot
of every page say that the preview was not updated, with every problem of every
file at once.

The preview shows what the build would publish on the as-of date: the build's
own decision (checks/publication.py) leaves out every withheld document, and
each is printed with why and what to do, in the build's words, and listed in
a panel at the foot of every page of the preview.

The hook is only a trigger: rendering is the generator's own code, so the
preview works the same way whichever engine builds the published site.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from mkdocs.structure.files import File

from ..checks.publication import decide_here
from ..checks.report import error_lines, withheld_lines
from ..checks.validate import load_content
from ..content.workdays import WorkCalendar, beijing_today
from ..findings import WITHHELD, errors
from ..i18n import N_, _
from ..publish import gate
from ..publish.write import sync_files
from ..render import sanitize
from ..render.site import POSTER_DIR, THEME, THEME_DIR, engine_config, render_site
from .editor import PANEL_STYLE

log = logging.getLogger("mkdocs.gongkai")
CONTENT_ENV, AS_OF_ENV = "GONGKAI_CONTENT", "GONGKAI_AS_OF"
# The preview's own: the panel's heading and lines at its last rebuild, the documents withheld or, when it refused the
# content, the problems to fix first.
WITHHELD_FILE = "gk-preview-withheld.json"
# At the foot of every page of the preview, read from WITHHELD_FILE when the page opens: a --dirty rebuild leaves the
# pages it does not rebuild as they were, so the list cannot be in their text.
PANEL = """<aside id="gk-preview-withheld" role="status" hidden style="STYLE"></aside>
<script>
fetch(ADDRESS, {cache: "no-store"}).then(function (answer) { return answer.ok ? answer.json() : []; })
  .then(function (lines) {
    var panel = document.getElementById("gk-preview-withheld");
    panel.dataset.read = "";  // the list is read (and may be empty)
    if (!lines.length) return;
    var heading = document.createElement("strong"), list = document.createElement("ul");
    heading.textContent = lines[0];
    lines.slice(1).forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    panel.append(heading, list);
    panel.hidden = false;
    document.body.style.paddingBottom = panel.offsetHeight + "px";  // the page's foot can still be scrolled into view
  });
</script>
"""


def render_into(content_dir: Path, docs_dir: Path, as_of: dt.date):
    """Render into docs_dir what the build would publish on as_of; returns ((nav, office) or None, findings): what
    stopped it, or what it reports, the withheld documents among them."""
    content, findings = load_content(content_dir)
    calendar = WorkCalendar.from_content(content)
    # on every file that passed validation, as `check` does: a broken file hides no other file's problem
    findings += gate.check_content(content, as_of, calendar)
    if errors(findings):
        return None, findings
    decision = decide_here(content, as_of, calendar)
    tree = render_site(decision.public(content), calendar, as_of)
    findings += gate.check_output(content, tree.files)
    if errors(findings):
        return None, findings
    sync_files(tree.files, docs_dir)
    return (tree.nav, content.office), findings + decision.findings()


def write_preview_config(content_dir: Path, build_dir: Path, base_config: Path, as_of: dt.date):
    rendered, findings = render_into(content_dir, build_dir / "docs", as_of)
    if rendered is None:
        return None, findings
    nav, office = rendered
    shutil.copytree(THEME, build_dir / THEME_DIR, dirs_exist_ok=True)
    settings = engine_config(yaml.safe_load(base_config.read_text(encoding="utf-8")), office, nav, "docs", "site")
    settings["hooks"] = [str(Path(__file__).resolve().with_name("preview_hook.py"))]
    settings["strict"] = False  # a half-written file while typing must not stop the preview
    config = build_dir / "mkdocs.yml"
    config.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config, findings


# The engine's own log lines a clerk meets in the preview, in the clerk's language (mkdocs 1.6's words; a line not
# listed here is shown as the engine wrote it). None: a line about the preview's own choices, which asks nothing of
# the clerk: the --dirty rebuild, links to the bulletin-board sheets, which the preview does not lay out, and links
# written from the site's root, which the rules judge.
BUILDING = r"Building documentation\.\.\."  # the first line of every rebuild
ENGINE_LINES = (
    (BUILDING, N_("building the preview…")),
    (r"Cleaning site directory", N_("clearing the previous preview")),
    (r"Documentation built in (?P<seconds>[\d.]+) seconds", N_("preview built in {seconds} seconds")),
    # the engine also watches its own build/ files, which are not the clerk's: the content folder is named alone
    (r"Watching paths for changes: .*", N_("watching the content folder for changes: {content}")),
    (r"Serving on (?P<url>\S+)(?: and opening it in a browser)?",
     N_("the preview is at {url} — open it in the browser; Ctrl+C stops it")),
    (r"Detected file changes", N_("a file changed")),
    (r"Reloading browsers", N_("showing the new pages in the browser")),
    (r"Browser connected: (?P<url>\S+)", N_("a browser opened {url}")),
    (r"Shutting down\.\.\.", N_("stopping the preview…")),
    (r"A 'dirty' build is being performed.*", None),
    # a link written from the site's root, which the engine leaves to the server: the dead-link rule has judged it,
    # and a document whose link leads nowhere is withheld and named
    (r"Doc file '[^']*' contains an absolute link '[^']*', it was left as is\..*", None),
    (r"Doc file '[^']*' contains a link '[^']*', but the target '" + POSTER_DIR + r"/[^']*' is not found.*", None),
    (r"Doc file '(?P<page>[^']*)' contains a link '(?P<link>[^']*)', but the target '(?P<target>[^']*)' is not found.*",
     N_("{page}: the link {link} leads to no page or file ({target})")),
)
# After a rebuild the hook refused, the engine still ends it and reloads the browser, whose panel then lists the
# problems; its lines saying the pages were built and updated would be untrue.
AFTER_REFUSAL = (
    (r"Documentation built in .*", None),
    (r"Reloading browsers", N_("the pages in the browser have not changed: the problems are listed at their foot")),
)
REFUSED = "gk_refused"  # an attribute of the hook's log line that says the rebuild was refused
ENGINE_LEVELS = {"INFO": N_("info"), "WARNING": N_("warning"), "ERROR": N_("error")}
_TIME = r"(?P<time>\[\d\d:\d\d:\d\d\] )?"  # the engine's server stamps some lines with the time


def _compiled(lines) -> list[tuple[re.Pattern, str | None]]:
    return [(re.compile(_TIME + pattern + "$", re.S), message) for pattern, message in lines]


class EngineLog(logging.Filter):
    """Puts the engine's known log lines into the clerk's language and leaves out those about the preview itself;
    after the hook refused a rebuild, until the next one starts, says the browser's pages have not changed."""

    patterns = _compiled(ENGINE_LINES)
    refused_patterns = _compiled(AFTER_REFUSAL) + patterns
    building = re.compile(_TIME + BUILDING + "$")
    refused = False

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if hasattr(record, REFUSED):
            self.refused = True
        elif self.building.match(text):  # a new rebuild, which the hook has yet to judge
            self.refused = False
        for pattern, message in self.refused_patterns if self.refused else self.patterns:
            if match := pattern.match(text):
                if message is None:
                    return False
                fields = {k: v for k, v in match.groupdict().items() if k != "time"}
                fields["content"] = os.environ.get(CONTENT_ENV, "")
                record.msg, record.args = (match.group("time") or "") + _(message).format(**fields), ()
                break
        record.levelname = _(ENGINE_LEVELS[record.levelname]) if record.levelname in ENGINE_LEVELS else record.levelname
        return True


def on_startup(command, dirty) -> None:
    """mkdocs hook, called once its logging is set up and before the first build: the engine's lines in Chinese."""
    for handler in logging.getLogger("mkdocs").handlers:
        handler.addFilter(EngineLog())


def on_pre_build(config) -> None:
    """mkdocs hook: re-render the content before each rebuild of the preview."""
    content_dir = os.environ.get(CONTENT_ENV)
    if not content_dir:
        return
    as_of = dt.date.fromisoformat(os.environ.get(AS_OF_ENV) or beijing_today().isoformat())
    docs = Path(config["docs_dir"])
    before = _files_in(docs)
    rendered, findings = render_into(Path(content_dir), docs, as_of)
    if rendered is None:  # the engine still ends the rebuild and reloads the browser: its panel says so
        refusal = _("the preview was not updated: fix these problems first")
        log.error(refusal, extra={REFUSED: True})
        config["extra"]["gk_panel"] = [refusal, *error_lines(findings, f"{content_dir}/")]
    for finding in findings:
        if finding.severity != WITHHELD:
            (log.error if finding.severity == "error" else log.warning)(f"{content_dir}/{finding}")
    withheld = withheld_lines(findings, f"{content_dir}/")  # the build's own words
    for line in withheld:
        log.warning(line)
    if rendered is not None:
        config["nav"] = rendered[0]
        config["extra"]["gk_panel"] = ([_("Shown in this preview only: ") + withheld[0], *withheld[1:]]
                                       if withheld else [])
        # A --dirty rebuild only adds and replaces: what a removed file made (the page of a document withheld
        # since the last rebuild) would still be served.
        for gone in before - _files_in(docs):
            Path(File(gone, config["docs_dir"], config["site_dir"], config["use_directory_urls"]).abs_dest_path
                 ).unlink(missing_ok=True)


def _files_in(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def on_post_build(config) -> None:
    """mkdocs hook: what the pages' panel lists."""
    if "gk_panel" in config["extra"]:
        Path(config["site_dir"], WITHHELD_FILE).write_text(json.dumps(config["extra"]["gk_panel"], ensure_ascii=False),
                                                           encoding="utf-8")


def on_post_page(output: str, page, config) -> str:
    """mkdocs hook: clean the page's text as the published build does (gate.clean_site), then add the panel."""
    cleaned = sanitize.clean_page(output)
    if cleaned is None:
        log.error(_("{page}: the page's text holds a marker of the page layout and is not shown")
                  .format(page=page.file.src_path))
        return "<!DOCTYPE html><title>gongkai</title><p>此页内容含有页面布局标记，未显示。"
    return _with_panel(cleaned, config)


def on_post_template(output: str, template_name: str, config) -> str:
    """mkdocs hook: the panel on the page not found too, which is where the address of a withheld document leads."""
    return _with_panel(output, config) if template_name == "404.html" else output


def _with_panel(page: str, config) -> str:
    address = urlsplit(config["site_url"] or "/").path + WITHHELD_FILE  # the preview's own address, e.g. /rfb/…
    panel = PANEL.replace("STYLE", PANEL_STYLE).replace("ADDRESS", json.dumps(address))
    return page.replace("</body>", panel + "</body>", 1)
