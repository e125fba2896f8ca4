"""No personal data beyond what a notice needs (不得侵犯公民个人隐私权; 党务政务公开工作制度 九).

Resident ID numbers (18 digits with a valid check digit), bank card numbers
(Luhn-valid) and mobile numbers that are not one of the office's published
phones are errors anywhere in the content: YAML values, Markdown text, CSV
cells and comments alike. The message masks the number; it never repeats it.
"""

from __future__ import annotations

import re

from ..check import line_at
from ..i18n import N_, _

ID = "personal-data"
DEFAULTS = {"severity": "error"}
BLOCKS_BUILD = True

RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){15,18}(?![\d-])")
MOBILE = re.compile(r"(?<![\d-])1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![\d-])")
DIGIT_RUN = re.compile(r"\d[\d -]{9,}[\dXx]?")  # where any of the three can be: ten or more digits, spaces, dashes
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_resident_id(number: str) -> bool:
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def mask(number: str) -> str:
    digits = re.sub(r"\D", "", number) if not number[-1:].isalpha() else number
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def findings_in(text: str, public_phones: set[str]):
    """(line, what, masked number) for each piece of personal data in a file's text."""
    # The three patterns run only around long runs of digits, found by one cheap pass over the whole text.
    for run in DIGIT_RUN.finditer(text):
        piece = text[max(run.start() - 1, 0):run.end() + 1]  # a character either side for the patterns' boundaries
        line = line_at(text, run.start())
        ids = set()
        for match in RESIDENT_ID.finditer(piece):
            if valid_resident_id(match.group()):
                ids.add(match.group())
                yield line, N_("a resident ID number"), mask(match.group())
        for match in CARD.finditer(piece):
            digits = re.sub(r"\D", "", match.group())
            if digits not in ids and luhn_valid(digits):
                yield line, N_("a bank card number"), mask(digits)
        for match in MOBILE.finditer(piece):
            digits = re.sub(r"\D", "", match.group())
            if digits not in public_phones:
                yield line, N_("a private mobile number"), mask(digits)


def check(ctx):
    office = ctx.content.office
    public_phones = {re.sub(r"\D", "", p)[-11:] for p in office.public_phones} if office else set()
    for path, rel, text in ctx.content_files():
        for line, what, masked in findings_in(text, public_phones):
            yield ctx.at(rel, line, _("{what} ({masked}) must not be published").format(what=_(what), masked=masked),
                         _("remove it; a notice may name a person but never their ID, card or private phone number"))
