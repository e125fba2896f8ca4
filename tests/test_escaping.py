"""One escaping rule for every value that reaches HTML: the template engine escapes it, or its schema refuses it.

Values of county.yaml and office.yaml were written into the theme's attributes as they were: a quote in the
portal's address opened a script on every page of the county, on load and on focus.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import COUNTY, NOTICE, OFFICE, write_county
from generator.publish.build import build
from generator.content.county import COUNTY_TYPE, load_county
from generator.content.load import load_yaml
from generator.content.types import by_kind
from generator.content.schema import schema_findings
from site_support import chromium, serve

AS_OF = dt.date(2025, 10, 10)
GENERATOR = Path(__file__).resolve().parents[1] / "generator"
BREAKOUT = "\"autofocus onfocus=alert(9)//'"  # out of a "…" attribute, then of a '…' one


def test_every_template_environment_autoescapes():
    """Every jinja2 Environment the generator makes, wherever it is made, is built with autoescape=True."""
    found = []
    for path in sorted(GENERATOR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Environment":
                autoescape = next((k.value for k in node.keywords if k.arg == "autoescape"), None)
                found.append((path.relative_to(GENERATOR).as_posix(), node.lineno,
                              isinstance(autoescape, ast.Constant) and autoescape.value is True))
    assert len(found) >= 3  # the site's pages, the poster sheets, the files `gongkai new` writes
    assert [(file, line) for file, line, on in found if not on] == []


REFERENCES = {"catalog.0", "leaders.0.sections.0", "leading_group.leader", "leading_group.office_section"}  # ids


def hostile(text: str, content_type, rel: str, tmp_path: Path) -> tuple[str, list[str]]:
    """The YAML file with the breakout appended to every text value its schema still accepts (ids that other
    fields name aside), and those values."""
    data = yaml.safe_load(text)

    def accepted(candidate) -> bool:
        path = tmp_path / "probe.yaml"
        path.write_text(yaml.safe_dump(candidate, allow_unicode=True), encoding="utf-8")
        return not schema_findings(content_type, load_yaml(path, rel))

    def leaves(value, keys=()):
        if isinstance(value, str):
            yield keys
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from leaves(item, keys + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from leaves(item, keys + (index,))

    changed = []
    for keys in [k for k in leaves(data) if ".".join(map(str, k)) not in REFERENCES]:
        *parents, last = keys
        holder = data
        for key in parents:
            holder = holder[key]
        before = holder[last]
        holder[last] = before + BREAKOUT
        if accepted(data):
            changed.append(".".join(map(str, keys)))
        else:
            holder[last] = before
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False), changed


class Attributes(HTMLParser):
    """Every attribute name of every element, as a browser's parser splits them."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.names.update(f"{tag} {name}" for name, _value in attrs)


@pytest.mark.parametrize("field, value", [
    ("portal_url", "https://www.example.gov.cn/\"onfocus=\"alert(1)\"autofocus=\"/"),
    ("portal_url", "http://www.example.gov.cn/"),
    ("portal_url", "https://www.example.gov.cn/a b/"),
    ("portal_url", "https://www.example.gov.cn/<x>/"),
    ("portal_url", "javascript:alert(1)//x/"),
    ("correction.email", "a\"onfocus=\"alert(1)\"@example.gov.cn"),
    ("correction.email", "zwgk@example.gov.cn<script>"),
    ("correction.url", "https://zfwzgl.www.gov.cn/\"onfocus=\"alert(1)"),
    ("supervisor.email", "zwgk'@example.gov.cn"),
])
def test_an_address_or_e_mail_of_the_wrong_form_is_refused_at_its_line(tmp_path, field, value):
    data = yaml.safe_load(COUNTY)
    *parents, last = field.split(".")
    holder = data
    for key in parents:
        holder = holder[key]
    holder[last] = value
    root = write_county(tmp_path / "content", {"jia": {}}, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    _, findings = load_county(root)
    assert [(f.file, f.code, f.message.split(" has")[0]) for f in findings] == [("county.yaml", "schema", f"'{field}'")]


def test_office_addresses_of_the_wrong_form_are_refused(tmp_path):
    office = OFFICE.replace("site_url: https://test.example.org/", 'site_url: "https://test.example.org/\'x"')
    office = office.replace("updated: 2025-01-06", "email: '\"x@example.org'\nupdated: 2025-01-06")
    path = tmp_path / "office.yaml"
    path.write_text(office, encoding="utf-8")
    findings = schema_findings(by_kind("office"), load_yaml(path, "office.yaml"))
    assert sorted(f.message.split(" has")[0] for f in findings) == ["'email'", "'site_url'"]


def test_hostile_values_in_every_county_and_office_field_stay_text_on_every_page(tmp_path):
    county, in_county = hostile(COUNTY, COUNTY_TYPE, "county.yaml", tmp_path)
    office, in_office = hostile(OFFICE.replace("site_url: https://test.example.org/\n", ""), by_kind("office"),
                                "office.yaml", tmp_path)
    assert {"name", "sponsor", "operator", "registration.police", "registration.icp", "supervisor.name"} <= set(in_county)
    assert {"name", "address", "office_hours", "leaders.0.name", "sections.0.name"} <= set(in_office)
    notice = NOTICE.replace("issuer: 示例县测试办公室", "issuer: " + json.dumps("示例县测试办公室" + BREAKOUT))
    root = write_county(tmp_path / "content", {"jia": {"office.yaml": office, "notices/2025/gonggao-1.md": notice}}, county)
    site = tmp_path / "site"
    findings = [str(f) for f in build(root, site, AS_OF) if f.severity == "error"]
    assert findings == [] and site.is_dir()
    pages = sorted(site.rglob("*.html"))
    injected = {}
    for page in pages:
        parser = Attributes()
        parser.feed(page.read_text(encoding="utf-8"))
        bad = {name for name in parser.names if name.split()[1] in ("onfocus", "onmouseover", "autofocus")}
        if bad:
            injected[page.relative_to(site).as_posix()] = sorted(bad)
    assert len(pages) > 20 and injected == {}
    base, server = serve(site)
    dialogs = []
    try:
        with chromium() as browser:
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(page.url), dialog.dismiss()))
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
            for path in ("404.html", "index.html", "departments/", "openness/", "correction/", "supervision/",
                         "jia/", "jia/404.html", "jia/guide/", "jia/services/shenpi/"):
                page.goto(base + path, wait_until="load")
                for _ in range(12):  # every link in the header, the menus and the footer takes the focus once
                    page.keyboard.press("Tab")
                page.wait_for_timeout(50)
    finally:
        server.shutdown()
    assert dialogs == []
    footer = (site / "index.html").read_text(encoding="utf-8").split('class="md-copyright gk-footer"')[1]
    assert "主办单位：示例县人民政府办公室&#34;autofocus onfocus=alert(9)//&#39;" in footer.replace("&quot;", "&#34;").replace("&#x27;", "&#39;")
