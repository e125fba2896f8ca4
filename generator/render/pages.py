"""What every page of a docs tree is made with, in the office's site, the county's portal and the supervisor's
page alike: the site templates and their filters, a page's front matter, addresses from one page to another, and
the tree the pages are collected in. The site engine turns the tree into HTML."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..content.schedule import cn_date

TEMPLATES = Path(__file__).resolve().parent / "templates"

# relpath makes both paths absolute from the working directory, where "../x" from "/" is "/x": addresses inside the
# site are taken from a root of their own, deep enough for any "..", so a build from "/" writes the same links.
_SITE_ROOT = "/" + "/".join(["_"] * 16)


@cache  # ten thousand notice pages in a dozen folders ask the same few questions
def relpath(target: str, start: str) -> str:
    """The address of target (a path inside the site) from the folder start, whatever the working directory."""
    return posixpath.relpath(posixpath.join(_SITE_ROOT, target), posixpath.join(_SITE_ROOT, start))


def front_matter(data: dict) -> str:
    """A page's front matter as one line of JSON, which is YAML too: dumping YAML took half the rendering time.

    The line breaks YAML knows beyond JSON's (NEL, LS, PS) are escaped, so that a title keeps them as they are.
    """
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def page_text(front: dict, body: str) -> str:
    """A Markdown page: its front matter, then the rendered template."""
    return "---\n" + front_matter(front) + "\n---\n\n" + body.strip() + "\n"


@dataclass
class SiteTree:
    files: dict[str, bytes] = field(default_factory=dict)
    nav: list = field(default_factory=list)

    def add(self, path: str, text: str) -> None:
        if path in self.files:
            raise ValueError(f"two pages render to {path}")
        self.files[path] = text.encode("utf-8")


@cache
def environment() -> Environment:
    """The templates of templates/site/, for the site's, the portal's and the supervisor's pages."""
    env = Environment(loader=FileSystemLoader(TEMPLATES / "site"), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    env.filters.update(cn_date=cn_date, money=_money, cell=_cell)
    return env


def _money(value) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value}"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return cn_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).replace("|", "｜").replace("\n", " ")
