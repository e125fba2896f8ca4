"""What every page carries around its text, portal and sections alike: the top bar (theme partial gk-nav.html)
and the footer (partials/copyright.html), for an office's section in a county's portal and for a single office,
which is its own portal. The office's site (site.py) and the portal's pages (portal.py) both take them from here."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import quote

COLUMNS = (("政府信息公开指南", "guide/"), ("政府信息公开制度", "regulations/"), ("法定主动公开内容", "duties/"),
           ("政府信息公开年报", "reports/"))
# The top bar of every page (theme partial gk-nav.html): the portal's columns, addresses from the portal's root, and
# on an office's pages that office's own columns, addresses from its section's root.
PORTAL_NAV = (("首页", ""), ("政府信息公开", "openness/"), ("部门", "departments/"), ("政务公开监督", "supervision/"),
              ("全文检索", "search/"))
SECTION_NAV = (("本部门首页", ""), *COLUMNS[:3], ("公示公告", "notices/"), COLUMNS[3], ("监督投诉", "supervision/"),
               ("全文检索", "search/"))
CORRECTION_PAGE = "correction/"  # the portal's 网站纠错 page, when county.yaml names no 纠错 platform address
# The pages every government site links from its footer (政府网站发展指引): 联系我们, 网站地图 and the 无障碍声明; a
# county's portal has them at its root, and so has a single office's site.
CONTACT_PAGE, SITEMAP_PAGE, ACCESSIBILITY_PAGE = "contact/", "sitemap/", "accessibility/"
# The national 我为政府网站找错 platform, to which every site with a 网站标识码 links its 纠错 (as government sites do).
NATIONAL_CORRECTION = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={site_code}&url={url}"
BADGE_FOLDER = "badge"  # the 党政机关网站标识 image, copied from the county folder to the portal's root


def county_extra(record, section: bool = False) -> dict:
    """What the theme's top bar and footer show on every page of the portal, or (`section`) of an office's section
    in it: the county's names, 备案 numbers and 纠错 link, escaped, since the theme writes them as they are. `root`
    leads from the site being built to the portal's root."""
    correction = record.get("correction")
    facts = _footer_facts(record.get("name"), record.get("sponsor"), record.get("operator"),
                          record.get("registration") or {}, root="../" if section else "",
                          correction_url=correction.get("url") or national_correction(record),
                          correction_page="" if correction.get("url") else CORRECTION_PAGE,
                          badge=f"{BADGE_FOLDER}/{record.get('badge')}" if record.get("badge") else "")
    return {"county": facts, "gk_nav": [list(item) for item in PORTAL_NAV],
            "gk_section": [list(item) for item in SECTION_NAV] if section else []}


def office_extra(office) -> dict:
    """The same for a single office, which is its own portal: it hosts and runs its site, and its 监督投诉 page
    holds the numbers a reader reports a mistake to."""
    return {"county": _footer_facts(office.get("name"), office.get("name"), office.get("name"),
                                    office.get("registration") or {}, root="",
                                    correction_url=national_correction(office, office.get("site_url")),
                                    correction_page="supervision/", badge=""),
            "gk_nav": [], "gk_section": [list(item) for item in SECTION_NAV]}


def national_correction(record, url: str | None = None) -> str:
    """The 纠错 address on the national platform for a site with a 网站标识码 (the page it is reported from being the
    site's home page: the same link on every page keeps the pages' bytes independent of one another); else ""."""
    site_code = (record.get("registration") or {}).get("site_code")
    if not site_code:
        return ""
    return NATIONAL_CORRECTION.format(site_code=quote(str(site_code), safe=""),
                                      url=quote(url or record.get("portal_url") or "", safe=""))


def _footer_facts(name, sponsor, operator, registration, **links) -> dict:
    police = registration.get("police", "")
    return {key: escape(str(value)) for key, value in {
        "name": name, "sponsor": sponsor, "operator": operator, "site_code": registration.get("site_code", ""),
        "icp": registration.get("icp", ""), "police": police, "police_code": "".join(re.findall(r"[0-9]", police)),
        "contact_page": CONTACT_PAGE, "sitemap_page": SITEMAP_PAGE, "accessibility_page": ACCESSIBILITY_PAGE,
        **links}.items()}
