"""Each office of a county is its own department, with its own 统一社会信用代码: a copied office folder would show one
department twice on the portal, with the same 索引号 on two pages. The code, not the name, is what identifies a
department (a renamed bureau keeps its code), and a copied folder always carries it along."""

from __future__ import annotations

from ...content.county import OFFICES, county_root_of, load_county, office_id_of
from ...content.load import load_yaml
from ...findings import ContentError
from ...i18n import N_, _

ID = "duplicate-office"
TITLE = N_("Each office its own credit code")
SUMMARY = N_("No two offices of a county have the same 统一社会信用代码 (a copied office folder).")
DEFAULTS = {"severity": "error"}

SAME = N_("{at} gives the same 统一社会信用代码 ({value}): the portal would show one department twice")


def check(ctx):
    office, county_root = ctx.content.office, county_root_of(ctx.content.root)
    if county_root is None:  # a single office has no other to be
        return
    county, _findings = load_county(county_root)
    own = office_id_of(ctx.content.root)
    for other in (office_id for office_id in county.offices if office_id != own):
        rel = f"{OFFICES}/{other}/office.yaml"
        try:
            doc = load_yaml(county.office_dir(other) / "office.yaml", rel)
        except ContentError:  # its own validation says what is wrong with it
            continue
        if not isinstance(doc.data, dict):
            continue
        code = office.get("credit_code")
        if code and code == doc.data.get("credit_code"):
            yield ctx.finding(office, ("credit_code",),
                              _(SAME).format(at=f"{rel}:{doc.line_of(('credit_code',))}", value=code),
                              _("a new department needs its own name and code: edit office.yaml (docs/"
                                "content-guide.md, 新增一个部门)"))
