"""Messages in the reader's language, from gettext catalogs under generator/locale.

Clerks are the users, so Chinese is the default; developers choose English with `gongkai --lang en`
or GONGKAI_LANG=en. The English text in the code is the msgid; `make messages` extracts it into
generator/locale/zh_CN/LC_MESSAGES/gongkai.po, where the Chinese is written, and compiles the .mo
that ships with the package. The language is looked up each time a message is made, so one process
can answer in either language.
"""

from __future__ import annotations

import contextvars
import gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "gongkai"
LOCALE_DIR = Path(__file__).parent / "locale"
ENV = "GONGKAI_LANG"
DEFAULT = "zh"
LOCALES = {"zh": "zh_CN", "en": None}  # None: the msgids themselves are the English text

_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar("gongkai_language", default=None)


def language() -> str:
    """The language of the next message: --lang, else GONGKAI_LANG, else Chinese."""
    chosen = _chosen.get() or os.environ.get(ENV, "")
    return chosen if chosen in LOCALES else DEFAULT


def choose(lang: str) -> contextvars.Token:
    """Answer in `lang` until the returned token is passed to `restore`."""
    return _chosen.set(lang)


def restore(token: contextvars.Token) -> None:
    _chosen.reset(token)


@cache
def _catalog(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    locale = LOCALES[lang]
    if locale is None:
        return gettext.NullTranslations()
    # No fallback: a missing catalog is a broken install, and English output would hide it.
    return gettext.translation(domain, LOCALE_DIR, languages=[locale])


def _(message: str) -> str:
    return _catalog(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalog(language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a text for extraction where it is defined; it is translated with `_` where it is shown."""
    return message


CLICK_DOMAIN = "click"
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "_termui_impl",
                 "shell_completion")


def translate_click() -> None:
    """Click's own words ("Error: Missing option", "[default: zh]") in the reader's language too.

    Click looks its texts up with the standard library's gettext, bound into each of its modules when they are
    imported, in a domain it does not ship; these names are pointed at our translation of Click's messages
    (generator/locale/zh_CN/LC_MESSAGES/click.po, extracted from the installed Click by `make messages`)."""
    import importlib

    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = lambda message: _catalog(language(), CLICK_DOMAIN).gettext(message)
        if hasattr(module, "ngettext"):
            module.ngettext = lambda singular, plural, n: _catalog(language(), CLICK_DOMAIN).ngettext(singular, plural, n)
