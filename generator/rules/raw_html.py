"""Raw HTML in Markdown is limited to a safe list (no scripts, frames, event handlers or javascript: links)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

ID = "raw-html"
DEFAULTS = {"severity": "error"}
BLOCKS_BUILD = True

ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
                "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "mark", "ol", "p", "pre", "s",
                "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"}
ALLOWED_ATTRIBUTES = {"href", "src", "alt", "title", "colspan", "rowspan", "class", "id", "lang", "width", "height"}
UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.I)
MARKDOWN_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data)\s*:|<\s*(javascript|vbscript)\s*:", re.I)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        if tag not in ALLOWED_TAGS:
            self.problems.append((line, f"the HTML tag <{tag}> is not allowed"))
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append((line, f"the event-handler attribute {name}= is not allowed"))
            elif name not in ALLOWED_ATTRIBUTES and not name.startswith("aria-"):
                self.problems.append((line, f"the attribute {name}= is not allowed"))
            elif name in ("href", "src") and value and UNSAFE_URL.match(value):
                self.problems.append((line, f"a {value.split(':')[0].strip().lower()}: address is not allowed"))

    handle_startendtag = handle_starttag


def check(ctx):
    for kind in ("notice", "regulation"):
        for record in ctx.content.of(kind):
            parser = _Tags()
            parser.feed(record.body)
            parser.close()
            offset = record.doc.body_line - 1
            for line, problem in parser.problems:
                yield ctx.at(record.file, offset + line, problem,
                             "write plain Markdown; only simple formatting tags are allowed (see docs/content-guide.md)")
            for number, line in enumerate(record.body.splitlines(), 1):
                if MARKDOWN_LINK.search(line):
                    yield ctx.at(record.file, offset + number, "a link to a javascript: or data: address is not allowed",
                                 "link only to http(s) addresses or to other pages of the site")
