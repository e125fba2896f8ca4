"""What a text means rather than how it was typed, for the safety scans.

A clerk's input method types full-width digits, Word inserts soft hyphens
and zero-width spaces, and Markdown or HTML can hide a word inside
emphasis, an entity or a link. The scans compare the text a reader sees:
entities decoded (&#23494; is 密), Unicode NFKC (１３８ is 138, 機 stays
機), invisible format characters removed, tags and Markdown emphasis and
link addresses dropped. Each function keeps lines apart, so a finding
still has its line.

What a reader can copy is more than the words: a title="…" shown on
hover, an image's alt and src, a link's address with its tel:, mailto: or
query string. readings() gives the words and, beside them, the whole text
with its markup and %-escapes decoded, so a scan reads both.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

INVISIBLE = re.compile(r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                       r"\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
TAG = re.compile(r"<[^<>\n]{0,400}>")
MARKDOWN_LINK = re.compile(r"!?\[([^\[\]\n]{0,400})\]\([^()\n]{0,400}\)")
EMPHASIS = re.compile(r"[*_~`]+")
CONTROL = re.compile(r"[\x00-\x20\x7f]+")


# What a clerk cannot see in a value pasted from a web page or Word, and YAML does not take for a space: no-break
# and other typographic spaces, zero-width and direction marks. Named by code point, since each shows as nothing.
UNSEEN = re.compile(r"[\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]")


def code_point(character: str | int) -> str:
    """U+00A0, as a character map names a character: the character itself often shows as nothing."""
    return f"U+{character if isinstance(character, int) else ord(character):04X}"


def unseen(text) -> str:
    """The code points of what cannot be seen in a text ("U+00A0 U+200B"), or ""."""
    return " ".join(dict.fromkeys(map(code_point, UNSEEN.findall(text)))) if isinstance(text, str) else ""


def visible(text: str) -> str:
    """Entities decoded, NFKC, invisible characters gone: the characters a reader sees."""
    return INVISIBLE.sub("", nfkc(html.unescape(text)))


# Chinese text is full of full-width forms (，：（）１Ａ and the ideographic space), and one of them sends NFKC
# through the whole text on its slow path: most of the safety scans' time. A character replaced by its own NFKC
# decomposes as it did, so the text's NFKC is the same, and what is left is mostly normal already, which NFKC
# sees at a glance.
_WIDTH_FORMS = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in (0x3000, *range(0xFF01, 0xFFEF))}
_WIDTH_FORMS = {form: normal for form, normal in _WIDTH_FORMS.items() if form != normal}
_WIDTH_FORM = re.compile("[" + re.escape("".join(_WIDTH_FORMS)) + "]")


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), faster on Chinese text."""
    if not text.isascii():
        for form in set(_WIDTH_FORM.findall(text)):  # a few kinds, many times each
            text = text.replace(form, _WIDTH_FORMS[form])
    return unicodedata.normalize("NFKC", text)


def plain(text: str) -> str:
    """visible(), and without tags, Markdown emphasis or link addresses: the words a reader reads."""
    return _words_of(visible(text))


def _words_of(seen: str) -> str:
    return EMPHASIS.sub("", MARKDOWN_LINK.sub(r"\1", TAG.sub("", seen)))


def readings(text: str) -> list[str]:
    """The words a reader reads (plain), and the visible text with its tags, attributes and addresses kept."""
    seen = visible(text)  # normalising is most of a scan's cost: once per text when it holds no %-escape
    marked = visible(unquote(text)) if "%" in text else seen
    words = _words_of(seen)
    return [words] if words == marked else [words, marked]


def url_scheme(url: str) -> str:
    """The scheme a browser would see in an address: entities decoded, control characters and spaces dropped."""
    cleaned = CONTROL.sub("", html.unescape(url.replace("\\", ""))).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else ""


def strings(value, path: tuple = ()):
    """(key path, text) for every string inside a parsed YAML or CSV value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, path + (index,))


# --- masking: a message that quotes a value never repeats a number in it ---

# Digits in groups, as people write them: 331082 19900300 0018, 139-1234-5678, (139)1234.5678, +86 139…
# Letters may touch a number (身份证号ID110105…, tel:138…); only digits around a run make it another number.
# The lookahead names the characters a run starts with, so the regex engine skips to them; starting with the
# lookbehind, it tried the pattern at every character of every text (most of the personal-data scan).
RUN = re.compile(r"(?=[+(\d])(?<![0-9])\+?\(?\d(?:(?:[ .\-]|\) ?)?\d){9,}(?:[ .\-]?[Xx])?(?![0-9])")
SEPARATORS = re.compile(r"[ .\-()+]")


def mask(number: str) -> str:
    """Enough to find the place again, never enough to use: 138****5678, E*******78, z***@qq.com."""
    if "@" in number:
        name, domain = number.split("@", 1)
        return f"{name[:1]}***@{domain}"
    if len(number) <= 10:
        return number[:1] + "*" * (len(number) - 3) + number[-2:]
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def masked_text(text: str) -> str:
    """The text with every long run of digits masked: for messages that quote a value (schema, table cells)."""
    def masked(run: re.Match) -> str:
        digits = SEPARATORS.sub("", run.group()).upper()
        opening = run.group()[: len(run.group()) - len(run.group().lstrip("+("))]  # "(" of the text around it stays
        return opening + mask(digits) if len(digits) >= 11 else run.group()

    return RUN.sub(masked, text)
