"""Every link to the office's own site leads to a page or file the site has (a dead link is never published).

A link is judged whatever form it is written in: a Markdown file (`x.md`, relative to the document's page
in the site's tree), a site path (`/notices/2026/x/`), a relative address (`../x/`) or the site's full
address (`https://…/notices/2026/x/`). Links to other sites are not judged, nor, in a county, links to the
portal's pages or into another office's section, which this office's build cannot see (and whose cache entry would
go stale with them). The posters' PDFs are made while the site builds and the theme's files come with it, so a link into
posters/ or assets/ is only checked to stay inside it.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ...i18n import N_, _
from ...content.addresses import ASSET_DIR, POSTER_DIR, address_of, page_of, site_addresses
from ...content.county import OFFICES, RESERVED
from .raw_html import ATTRIBUTE, AUTOLINK, INLINE_LINK, REFERENCE, TAG

ID = "dead-link"
TITLE = N_("Dead link")
SUMMARY = N_("Every link to a page of the office's own site leads to a page or file the site has; a document with "
             "a dead link is not published. Every way of writing a link is judged: a Markdown file name, a site "
             "path, a relative address or the site's full address. Links to other sites are not judged, nor, in a "
             "county, links to the portal's pages or to another office's.")
DEFAULTS = {"severity": "error"}
PAGE_KINDS = ("service", "regulation", "notice", "report")
CONTENT_FOLDERS = {"notices", "calendar", OFFICES}  # reserved because an office's content has them, not the portal


def link_targets(text: str):
    if "]" not in text and "<" not in text:  # every form of link holds one of them: most texts hold neither
        return
    for pattern in (INLINE_LINK, REFERENCE, AUTOLINK):
        for found in pattern.finditer(text):
            yield found.group(1)
    for tag in TAG.finditer(text):
        for attribute in ATTRIBUTE.finditer(tag.group(2)):
            if attribute.group(1).lower() in ("href", "src"):
                yield attribute.group(2) or attribute.group(3) or ""


def site_path(target: str, page: str | None, site_url: str) -> str | None:
    """The address on this site a link leads to, or None for another site, an anchor or a mail address.

    `page` is the linking document's path in the site's tree; without one, relative links are not judged.
    """
    link, site = urlsplit(target.strip()), urlsplit(site_url)
    base = site.path if site.path.endswith("/") else site.path + "/"
    if link.scheme in ("http", "https"):
        if link.netloc.lower() != site.netloc.lower():
            return None
        path = link.path or "/"
    elif link.scheme or link.netloc or not link.path:
        return None
    elif link.path.startswith("/"):
        path = link.path
    elif page is None:
        return None
    else:  # as the browser reads it from the page's address, or the engine from the page's Markdown file
        folder = posixpath.dirname(page) if link.path.endswith(".md") else address_of(page)
        joined = posixpath.normpath(posixpath.join("/", folder, link.path))
        path = base + joined.lstrip("/") + ("/" if link.path.endswith("/") and joined != "/" else "")
    path = unquote(path)
    if not path.startswith(base):
        return path  # outside the site's own folder: from the root, unlike the addresses of its pages
    relative = path[len(base):]
    if relative.endswith(".md"):
        return address_of(relative)
    return relative[: -len("index.html")] if relative.endswith("index.html") else relative


def check(ctx):
    office = ctx.content.office
    addresses = site_addresses(ctx.content)
    elsewhere = _other_sections(ctx.content)
    made_as_it_builds = (f"{POSTER_DIR}/", f"{ASSET_DIR}/")
    pages = {r.file: page_of(r) for kind in PAGE_KINDS for r in ctx.content.of(kind)}
    for file, line, text in ctx.parsed_texts():
        for target in link_targets(text):
            # No address when the county file that gives it is refused (its own finding says why): absolute links
            # are then judged as another site's.
            site_url = office.get("site_url") or ""
            address = site_path(target, pages.get(file), site_url)
            hint = _section_hint(target, site_url, addresses)  # outside the section, but meant inside it
            if hint is None and (address is None or known(address, addresses, made_as_it_builds)
                                 or address.startswith("/") and address.split("/")[1] in elsewhere):
                continue
            yield ctx.at(file, line, _("the link '{target}' leads to no page of this site").format(target=target),
                         hint or _("link to a page the site has (see 如何链接到另一份文件 in docs/content-guide.md), or"
                                   " remove the link if the page was removed"))


def _other_sections(content) -> frozenset[str]:
    """In a county, the first folder of every address outside the office's section that its build cannot judge:
    the portal's own pages ("" for its home) and the other offices' sections. The offices are the county's folders
    (the partition cache's key holds their names)."""
    if content.county is None:
        return frozenset()
    offices = Path(content.root).resolve().parent
    return RESERVED - CONTENT_FOLDERS | {""} | {folder.name for folder in offices.iterdir()
                                               if (folder / "office.yaml").is_file()}


def known(address: str, addresses, made_as_it_builds: tuple[str, ...]) -> bool:
    return address in addresses or f"{address}/" in addresses or address.startswith(made_as_it_builds)


def _section_hint(target: str, site_url: str, addresses) -> str | None:
    """A path from the root written as on an office's own site (/notices/…), where the office is a section of the
    county's portal (/rfb/notices/…): the address it meant, when that page exists."""
    base = urlsplit(site_url).path.rstrip("/") + "/"
    if base == "/" or not target.startswith("/") or target.startswith(("//", base)) or target == "/":  # the portal's
        return None
    meant = base + target.lstrip("/")
    if not known(site_path(meant, None, site_url) or "", addresses, ()):
        return None
    return _("in the county's portal this office's pages begin with {base}: write {meant}").format(base=base,
                                                                                                   meant=meant)
