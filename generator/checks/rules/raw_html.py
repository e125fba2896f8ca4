"""Raw HTML is limited to a few simple formatting tags, and links go only to http(s), mailto and tel addresses.

Every text is read: Markdown bodies and every value of every YAML and CSV
file, since templates put those into pages too. A `<` that starts anything
but an allowed tag written plainly (comments, CDATA, unknown tags or
attributes, unquoted values) is refused, so no trick of an HTML parser
matters. Link addresses are judged as a browser reads them: entities
decoded, control characters and spaces removed, in inline links,
reference definitions, autolinks and tag attributes alike. The built pages
are cleaned by an HTML sanitiser as well (generator/render/sanitize.py); this rule
is what names the file and line.
"""

from __future__ import annotations

import re

from ...i18n import N_, _
from ...normalize import CONTROL, url_scheme, visible

ID = "raw-html"
TITLE = N_("Unsafe web code")
SUMMARY = N_("Raw HTML is limited to a few simple formatting tags, and links go only to http(s), mailto and tel "
             "addresses: scripts, frames, event attributes and HTML comments are refused. Every text is read, "
             "Markdown bodies and every value of every YAML and CSV file, and a link address as a browser reads "
             "it.")
DEFAULTS = {"severity": "error"}
BLOCKS_BUILD = True
WITHOUT_OFFICE = True  # reads only the files' text: runs even while office.yaml or the catalog is broken

ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
                "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "mark", "ol", "p", "pre", "s",
                "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"}
ALLOWED_ATTRIBUTES = {"href", "src", "alt", "title", "colspan", "rowspan", "class", "lang", "width", "height"}
SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}

# Value lengths are bounded and stop at the next < or line end, so a line of ten thousand "<a " is read once.
_ATTRIBUTE = r"""\s+([A-Za-z][\w:.-]{0,40})(?:\s*=\s*(?:"([^"<>\n]{0,2000})"|'([^'<>\n]{0,2000})'))?"""
TAG = re.compile(rf"</?([A-Za-z][A-Za-z0-9]{{0,20}})((?:{_ATTRIBUTE}){{0,20}})\s*/?>")
ATTRIBUTE = re.compile(_ATTRIBUTE)
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]{0,2000}|[^\s<>@]{1,200}@[^\s<>@]{1,200})>")
OPENER = re.compile(r"<[A-Za-z!?/]")
INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]{0,2000})")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]\n]{1,1000}\]:\s*<?(\S{1,2000})", re.M)
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # invisible; they hide a link's scheme and break the feed
SCHEME_WORD = re.compile(r"(javascript|vbscript|livescript)\s*:", re.I)


def problems(text: str) -> list[str]:
    """Each unsafe piece of a text, in words."""
    found = list(_problems(text))
    if not found and _may_spell_a_scheme(text) and SCHEME_WORD.search(CONTROL.sub("", visible(text))):
        found.append(_("a javascript: address is not allowed"))  # a link form none of the patterns know
    return list(dict.fromkeys(found))


# What NFKC makes a ':' of, and a 't' (every scheme word ends in one): a text holding neither of one, nor an
# entity, cannot spell such an address however it is normalised, and is spared normalising (most of this rule's
# time). tests/test_safety.py derives both from unicodedata.
COLON = re.compile("[:\u2a74\ufe13\ufe55\uff1a]")
LETTER_T = re.compile("[tT\u1d40\u1d57\u209c\u2121\u2122\u24af\u24c9\u24e3\u3250\u32cf\u3394\u33cf\ufb05\ufb06"
                      "\uff34\uff54\U0001d413\U0001d42d\U0001d447\U0001d461\U0001d47b\U0001d495\U0001d4af"
                      "\U0001d4c9\U0001d4e3\U0001d4fd\U0001d517\U0001d531\U0001d54b\U0001d565\U0001d57f"
                      "\U0001d599\U0001d5b3\U0001d5cd\U0001d5e7\U0001d601\U0001d61b\U0001d635\U0001d64f"
                      "\U0001d669\U0001d683\U0001d69d\U0001f123\U0001f143]")


def _may_spell_a_scheme(text: str) -> bool:
    return "&" in text or (COLON.search(text) is not None and LETTER_T.search(text) is not None)


# Every problem _problems() names starts at one of these: a text without any has none.
CUE = re.compile(r"[<\]\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _problems(text: str):
    if not CUE.search(text):
        return
    control = CONTROL_CHARACTER.search(text)
    if control:
        yield _("a control character (U+{code:04X}) is not allowed").format(code=ord(control.group()))
    for opener in OPENER.finditer(text):
        start = opener.start()
        if AUTOLINK.match(text, start):
            continue  # <https://…> and <name@example.org>, judged below with the other addresses
        tag = TAG.match(text, start)
        if tag is None:
            yield _("raw HTML that is not a simple formatting tag (comments, scripts and the like) is not allowed")
            continue
        if tag.group(1).lower() not in ALLOWED_TAGS:
            yield _("the HTML tag <{tag}> is not allowed").format(tag=tag.group(1).lower())
        for attribute in ATTRIBUTE.finditer(tag.group(2)):
            name = attribute.group(1).lower()
            if name.startswith("on"):
                yield _("the event-handler attribute {name}= is not allowed").format(name=name)
            elif name not in ALLOWED_ATTRIBUTES and not name.startswith("aria-"):
                yield _("the attribute {name}= is not allowed").format(name=name)
            elif name in ("href", "src") and url_scheme(attribute.group(2) or attribute.group(3) or "") not in SAFE_SCHEMES:
                yield _("a {scheme}: address is not allowed").format(scheme=url_scheme(attribute.group(2) or attribute.group(3)))
    for pattern in (INLINE_LINK, REFERENCE, AUTOLINK):
        for address in pattern.finditer(text):
            scheme = url_scheme(address.group(1))
            if scheme not in SAFE_SCHEMES:
                yield _("a link to a {scheme}: address is not allowed").format(scheme=scheme)


def check(ctx):
    judged: dict[str, list[str]] = {}  # values recur in every notice (the office, the types): each judged once
    for file, line, text in ctx.parsed_texts():
        if text not in judged:
            judged[text] = problems(text)
        for problem in judged[text]:
            yield ctx.at(file, line, problem,
                         _("write plain text or Markdown; only simple formatting tags and links to http(s), mailto"
                           " and tel addresses are allowed (see docs/content-guide.md)"))
