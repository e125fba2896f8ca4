"""No personal data beyond what a notice needs (不得侵犯公民个人隐私权; 党务政务公开工作制度 九).

Resident ID numbers (18 digits with a valid check digit, or the old 15
digits with a birth date), bank card numbers (Luhn-valid), mobile numbers
that are not one of the office's published phones (also written +86…,
0086…, (139)…, 139.1234.5678 or in Chinese numerals, 一三九…), passport
and 港澳通行证 numbers, landlines said to be a home's and e-mail addresses
at personal mail services are errors anywhere in the content: YAML
values, Markdown text, CSV cells and comments alike. The text is read as a
reader sees it: full-width digits, entities, grouping spaces or dashes,
Markdown emphasis, YAML escapes and letters just before a number do not
hide it; and as a reader can copy it: attribute values (title, alt, src),
link addresses with their tel:, mailto: and query strings. The message
masks the number; it never repeats it.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from functools import lru_cache

from stdnum import luhn, numdb
from stdnum.cn import ric

from ...i18n import N_, _
from ...normalize import RUN, SEPARATORS, mask, readings, strings

ID = "personal-data"
TITLE = N_("Personal data")
SUMMARY = N_("No personal data beyond what a notice needs (不得侵犯公民个人隐私权；党务政务公开工作制度 九). Resident ID numbers, bank "
             "card numbers, mobile numbers that are not one of the office's published phones, passport and 港澳通行证 "
             "numbers, home landlines and personal e-mail addresses are errors anywhere in the content, however "
             "they are written (full-width digits, spaces or dashes between groups, +86, Chinese numerals) and "
             "wherever (text, tables, comments, link addresses). The message masks the number.")
DEFAULTS = {"severity": "error"}
BLOCKS_BUILD = True
WITHOUT_OFFICE = True  # reads only the files' text: runs even while office.yaml or the catalog is broken

MOBILE = re.compile(r"1[3-9]\d{9}")
# Each pattern opens with a lookahead naming the characters a match starts with, so the regex engine passes over the
# rest quickly; opening with a lookbehind, it tried the whole pattern at every character (four times slower).
PASSPORT = re.compile(r"(?=[EG护])(?:(?<![A-Za-z0-9])(?:E[A-HJ-NP-Z]?\d{7,8}|G\d{8})(?![A-Za-z0-9])"
                      r"|护照[^A-Za-z0-9\n]{0,6}([A-Z]{1,2}\d{7,8}))")
# 往来港澳通行证: C and eight characters (C12345678, CA1234567); 回乡证 H/M and eight or ten digits; or any such
# letters and digits after the word.
TRAVEL_PERMIT = re.compile(r"(?=[C通回])(?:(?<![A-Za-z0-9])C[0-9A-HJ-NP-Z]\d{7}(?![A-Za-z0-9])"
                           r"|(?:通行证|回乡证)[^A-Za-z0-9\n]{0,8}([A-Z]{1,2}\d{7,10})(?![0-9]))")
HOME_WORDS = ("家庭", "住宅", "宅电", "家里", "私人")
HOME_PHONE = re.compile(rf"(?:{'|'.join(HOME_WORDS)})[^0-9\n]{{0,6}}(0\d{{2,3}}[ \-]?\d{{7,8}})(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@([A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,4})")
PERSONAL_MAIL = {"qq.com", "vip.qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn",
                 "sohu.com", "139.com", "189.cn", "wo.cn", "aliyun.com", "gmail.com", "hotmail.com", "outlook.com",
                 "live.com", "yahoo.com", "icloud.com"}
MOBILE_KIND = N_("a private mobile number")
# A line of these characters reads as it is written in every way that matters here: none is or becomes (NFKC, an
# entity, a %-escape) a digit or @, and every number and address this rule finds has one. A line of Chinese prose
# often holds a full-width （） or ：, which DISGUISE names, and needs no second reading for them.
PLAIN_LINE = re.compile(r"[\x00-\x24\x27-\x2f\x3a-\x3f\x41-\x7f\u00b7\u2014\u2018\u2019\u201c\u201d\u2026\u3000-\u3002"
                        r"\u3008-\u3011\u3014-\u301f\u4e00-\u9fff\uff01-\uff04\uff07-\uff0f\uff1a-\uff1f]*")
DISGUISE = re.compile(r"[&<*_~`\[\u00a0\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                      r"\u2060-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\uff08\uff09\uff0b\uff0d\uff0e\uff10-\uff19\uff20-\uff5a]")
CUE = re.compile(r"[\d@&%]")  # a line holds none of these: nothing to find, nothing to decode
# Digits as Chinese numerals (一三九一二三四五六七八, 幺 for 1 as it is read aloud): only a run of eleven or more
# is read as a number, so 一二三 and 十五 stay words.
CHINESE_DIGITS = str.maketrans("〇零○一幺壹二贰三叁四肆五伍六陆七柒八捌九玖", "00011122334455667788" + "99")
CHINESE_RUN = re.compile(r"[〇零○一幺壹二贰三叁四肆五伍六陆七柒八捌九玖](?:[ \-.]?[〇零○一幺壹二贰三叁四肆五伍六陆七柒八捌九玖]){10,}")


def valid_resident_id(number: str) -> bool:
    """18 digits (the last may be X) with the national standard's check digit and a real birth date."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit() or ric.calc_check_digit(number) != number[17]:
        return False
    return _date(number[6:14])


def valid_old_resident_id(number: str) -> bool:
    """The first generation's 15 digits: a known place, then the birth date without the century."""
    if len(number) != 15 or not number.isdigit() or not _date("19" + number[6:12]):
        return False
    return any(properties for _, properties in numdb.get("cn/loc").info(number[:6]))  # stdnum's list of places


def _date(text: str) -> bool:
    try:
        return dt.date(1900, 1, 1) <= dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False


def luhn_valid(digits: str) -> bool:
    return luhn.is_valid(digits)


def found_in(text: str, public_phones: frozenset[str], public_mail: set[str]):
    """(offset, what, masked) for each piece of personal data in a text (a whole file, or one value), the offset
    being that of the line it is on. Nothing found spans lines, so a file is searched whole (searched line by line,
    it was the costliest rule of `check`); only a line a reader reads otherwise than it is written (entities,
    %-escapes, full-width forms) is read on its own, as a reader reads it."""
    if CHINESE_RUN.search(text):  # a digit for each numeral: every offset stays
        text = CHINESE_RUN.sub(lambda run: run.group().translate(CHINESE_DIGITS), text)
    if not CUE.search(text):
        return
    read_apart = set()
    if DISGUISE.search(text) or "%" in text:
        start = 0
        for line in text.split("\n"):
            if (DISGUISE.search(line) or "%" in line) and not PLAIN_LINE.fullmatch(line):
                read_apart.add(start)
                for reading in readings(line):
                    for _at, what, masked in _found_in(reading, public_phones, public_mail):
                        yield start, what, masked
            start += len(line) + 1
    for at, what, masked in _found_in(text, public_phones, public_mail):
        start = text.rfind("\n", 0, at) + 1
        if start not in read_apart:
            yield start, what, masked


def _found_in(text: str, public_phones: frozenset[str], public_mail: set[str]):
    for run in RUN.finditer(text):
        for what, masked in _numbers(run.group(), public_phones):
            yield run.start(), what, masked
    # Each pattern only where the letters or words it starts with are (a pattern tried at every character of every
    # line was most of the scan).
    if "E" in text or "G" in text or "护照" in text:
        for match in PASSPORT.finditer(text):
            yield match.start(), N_("a passport number"), mask(match.group(1) or match.group())
    if "C" in text or "通行证" in text or "回乡证" in text:
        for match in TRAVEL_PERMIT.finditer(text):
            yield match.start(), N_("a travel permit number"), mask(match.group(1) or match.group())
    if any(word in text for word in HOME_WORDS):
        for match in HOME_PHONE.finditer(text):
            yield match.start(), N_("a home phone number"), mask(re.sub(r"\D", "", match.group(1)))
    if "@" in text:
        for match in EMAIL.finditer(text):
            if match.group(1).lower() in PERSONAL_MAIL and match.group().lower() not in public_mail:
                yield match.start(), N_("a personal e-mail address"), mask(match.group())


@lru_cache(maxsize=4096)  # an office's own numbers (its phones, its serial numbers) recur in every notice
def _numbers(run: str, public_phones: frozenset[str]) -> list[tuple[str, str]]:
    """(what, masked) for the personal numbers in a run of digits."""
    tokens = [t for t in SEPARATORS.split(run) if t]
    whole = "".join(tokens)  # one number in groups, or several numbers side by side
    found = []
    for candidate in [whole] if _number_kind(whole, public_phones) else dict.fromkeys(tokens):
        what = _number_kind(candidate, public_phones)
        if what:
            found.append((what, mask(_national(candidate) if what == MOBILE_KIND else candidate.upper())))
    return found


def _national(digits: str) -> str:
    """A mobile number without its country code (+86, 0086)."""
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
            return digits[len(prefix):]
    return digits


def _number_kind(candidate: str, public_phones: frozenset[str]) -> str:
    if valid_resident_id(candidate) or valid_old_resident_id(candidate):
        return N_("a resident ID number")
    if not candidate.isdigit():
        return ""
    mobile = _national(candidate)
    if MOBILE.fullmatch(mobile):
        return "" if mobile in public_phones else MOBILE_KIND
    if 16 <= len(candidate) <= 19 and luhn_valid(candidate):
        return N_("a bank card number")
    return ""


def check(ctx):
    office = ctx.content.office
    public_phones = frozenset(re.sub(r"\D", "", p)[-11:] for p in office.public_phones) if office else frozenset()
    public_mail = {text.lower() for _, text in strings(office.data)} if office else set()
    reported = set()
    for _path, rel, text in ctx.content_files():  # the raw text: comments too, and the line a value is on
        for at, what, masked in found_in(text, public_phones, public_mail):
            reported.add((rel, masked))
            yield _finding(ctx, rel, text.count("\n", 0, at) + 1, what, masked)
    in_value: dict[str, list] = {}  # an office's name, phone and types recur in every notice: each text read once
    for rel, number, text in ctx.yaml_values():  # the parsed values: what YAML escapes and continuations make
        if text not in in_value:
            in_value[text] = [(what, masked) for _at, what, masked in found_in(text, public_phones, public_mail)]
        for what, masked in in_value[text]:
            if (rel, masked) not in reported:
                reported.add((rel, masked))
                yield _finding(ctx, rel, number, what, masked)


def _finding(ctx, rel: str, line: int, what: str, masked: str):
    return ctx.at(rel, line, _("{what} ({masked}) must not be published").format(what=_(what), masked=masked),
                  _advice(rel))


def _advice(rel: str) -> str:
    """What to do, said for the file it is in: a notice names people, an office's page names its own phones."""
    if rel.startswith("notices/"):
        return _("remove it; a notice may name a person but never their ID, card, passport, private phone or e-mail")
    if posixpath.basename(rel) == "office.yaml":
        return _("remove it; office.yaml is published as it is: a phone the public may call is written under phones:"
                 " (or as a section's phone:), never a person's ID, card, passport, private phone or e-mail")
    return _("remove it; a published file may name a person but never their ID, card, passport, private phone or"
             " e-mail")
