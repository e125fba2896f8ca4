"""Render stage, last step for HTML: every piece of HTML made from content passes an allowlist sanitiser.

nh3 (the Python binding of the Rust crate ammonia) rebuilds the HTML from
a real HTML5 parse, keeping only the tags and attributes listed here and
links to http, https, mailto and tel addresses (and relative ones). So no
script, style, frame or object, no event attribute and no javascript: link
survives, however it was spelled: an entity, a comment trick, a Markdown
reference link or a template value.

The source check (rule raw-html) stays, to tell a clerk the file and line;
this is what holds when a spelling gets past it.

Posters: the HTML made from a notice's or report's Markdown is cleaned
before it goes into the sheet. Website: the engine (mkdocs or Zensical)
turns the generated Markdown into pages, so the content part of each built
page is cleaned after the engine, between two markers the theme puts
around it; the theme's own frame (navigation, search, scripts) is not
content and is kept. Values that go into the frame (titles, site name,
footer) are escaped before the engine sees them (site.py).
"""

from __future__ import annotations

from pathlib import Path

import markdown
import nh3

from ..findings import Finding
from ..i18n import _

BEGIN, END = "<!--gk-content-->", "<!--/gk-content-->"  # written by generator/render/theme around page.content
UNMARKED = {"404.html"}
POSTERS = "posters/"  # the sheets' HTML, beside their PDFs (site.POSTER_DIR)

_TEXT = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
         "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "mark", "ol", "p", "pre", "s", "small",
         "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"}
_FORMS = {"form", "input", "label", "select", "option", "button", "noscript"}  # the site's own search boxes
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "role", "hidden"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "scope", "align", "style"},  # scope: the report tables' group headers
    "span": {"data-first", "data-last"},  # a notice's period, for gongkai.js to show 正在公示 on the reader's day
    "form": {"action", "data-bundle", "data-root"},
    "input": {"name", "type", "placeholder", "value"},
    "select": {"name"},
    "option": {"value", "selected"},  # an office's search page has the office chosen
    "button": {"type"},
    "label": {"for"},
}
_BLANKS = " \t\r\f"  # with the line break, the white space HTML collapses
_CLEANER_OPTIONS = dict(url_schemes={"http", "https", "mailto", "tel"}, link_rel=None, strip_comments=True,
                        filter_style_properties={"text-align"}, clean_content_tags={"script", "style"})


def clean(html: str, forms: bool = False) -> str:
    """HTML with nothing but the allowed tags, attributes and addresses."""
    tags = _TEXT | _FORMS if forms else _TEXT
    attributes = {tag: names for tag, names in _ATTRIBUTES.items() if tag == "*" or tag in tags}
    return nh3.clean(html, tags=tags, attributes=attributes, **_CLEANER_OPTIONS)


def markdown_html(text: str) -> str:
    """A content Markdown text as clean HTML, for the posters and the report PDFs."""
    return clean(markdown.markdown(text, extensions=["tables"]))


def clean_page(page: str, marked: bool = True) -> str | None:
    """A built page with its content part cleaned, the markers removed and the theme's frame around it without its
    indentation; None if they are not one pair.

    `marked`: the page must have its content part marked (every page the engine makes from a Markdown file),
    so that a theme which lost the markers fails the build instead of leaving the text uncleaned.
    """
    begins, ends = page.count(BEGIN), page.count(END)
    if begins == ends == 0 and not marked:
        return page
    start, stop = page.find(BEGIN), page.find(END)
    if begins != 1 or ends != 1 or stop < start:
        return None
    return (unindented(page[:start]) + clean(page[start + len(BEGIN):stop], forms=True)
            + unindented(page[stop + len(END):]))


def unindented(frame: str) -> str:
    """The theme's frame with each run of white space that holds a line break made one line break.

    The theme's templates are indented for their authors: a notice page carried more blanks than text. Such a run
    renders as one space wherever the frame has text (it has no <pre> or <textarea>), so the page's bytes are what
    a reader sees; the content part keeps its own spacing. Line by line, not a regular expression: one that may
    start at any blank was two thirds of cleaning a page."""
    lines = frame.split("\n")
    if len(lines) == 1:
        return frame
    inner = (line.strip(_BLANKS) for line in lines[1:-1])
    return "\n".join([lines[0].rstrip(_BLANKS), *filter(None, inner), lines[-1].lstrip(_BLANKS)])


def clean_pages(site: Path) -> list[Finding]:
    """Clean the content part of every built page in place; a page whose markers are not one pair is refused."""
    findings = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        # Not from Markdown: the engine's 404 page (theme only) and the poster sheets (cleaned when made).
        cleaned = clean_page(path.read_text(encoding="utf-8"), marked=rel not in UNMARKED and not rel.startswith(POSTERS))
        if cleaned is None:
            findings.append(Finding(f"site/{rel}", 1, "raw-html",
                                    _("the page's text is not marked exactly once for the HTML sanitiser, so it cannot be cleaned"),
                                    _("remove HTML comments (<!-- … -->) from the content this page is made from;"
                                      " if there are none, the theme lost its markers (generator/render/theme/partials/content.html)")))
        else:
            path.write_text(cleaned, encoding="utf-8")
    return findings
