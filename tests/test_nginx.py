"""The web server, for real: the example county built, copied by the Forgejo workflow's deploy steps into a web
root, and served by nginx with deploy/nginx/gongkai.conf as shipped (only its `listen` and `root` lines are
pointed at this test's port and folder)."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from site_support import AS_OF, NGINX, NGINX_CONF as CONF, chromium, free_port, nginx, run_nginx, start_nginx
from test_workflows import FORGEJO, run_step

ROOT = Path(__file__).resolve().parent.parent
needs_decap = pytest.mark.skipif(not (ROOT / "tools/decap/node_modules/decap-cms/dist").is_dir(),
                                 reason="Decap CMS is installed by make test (npm ci in tools/decap)")
DEPLOY = "Copy the site to the web server"
DEPLOY_CHECK = "Check that the web server serves this build"


def test_the_shipped_file_passes_nginx_t_as_the_readme_checks_it(tmp_path):
    """The README's lines for checking the file alone, run as they stand (as root, which nginx -t needs)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**Checking the file alone.**"):]
    start = section.index("```sh\n") + len("```sh\n")
    lines = section[start:section.index("```", start)]
    if os.geteuid() == 0:
        lines = lines.replace("sudo ", "")
    env = {**os.environ, "TMPDIR": str(tmp_path), "PATH": f"{Path(NGINX).parent}:{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-e", "-c", lines], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0 and "test is successful" in result.stderr, result.stderr
    assert "[warn]" not in result.stderr, result.stderr
    # Alone, as the trial first tried it: the README says what nginx answers.
    alone = subprocess.run([NGINX, "-t", "-c", str(CONF)], capture_output=True, text=True)
    assert alone.returncode != 0 and '"server" directive is not allowed here' in alone.stderr
    assert '"server" directive is not allowed here' in readme


def test_the_readme_quotes_the_shipped_file():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```nginx\n" + CONF.read_text(encoding="utf-8") + "```" in readme


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    """The county built as `make site` builds it, deployed by Forgejo's publish steps into www/, served by nginx;
    yields (get, run the deploy check against a web root)."""
    from generator.publish.build import build

    work = tmp_path_factory.mktemp("runner")
    findings = build(ROOT / "content", work / "site", AS_OF)  # as the CLI builds it: county.yaml names no editor
    assert [f for f in findings if f.severity == "error"] == []
    for name in ("Makefile", "scripts"):
        (work / name).symlink_to(ROOT / name)
    www = tmp_path_factory.mktemp("www") / "政务 公开"  # a root with a space: the conf's root line quotes it
    deployed = run_step(FORGEJO, "publish.yml", DEPLOY, work, {"vars": {"DEPLOY_TO": str(www), "DEPLOY_KNOWN_HOSTS": ""},
                                                               "secrets": {"DEPLOY_SSH_KEY": ""}})
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    (www / "outside").symlink_to("/etc/passwd")  # a link the build never makes; nginx must not follow it

    servers = []

    def serve(root: Path) -> str:
        base, process = start_nginx(root, tmp_path_factory.mktemp("nginx"))
        servers.append(process)
        return base

    base = serve(www)

    def get(path: str, headers: dict | None = None):
        connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=10)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()

    def check(url: str):
        return run_step(FORGEJO, "publish.yml", DEPLOY_CHECK, work, {"vars": {"DEPLOY_URL": url}})

    yield get, check, serve, base, www
    for process in servers:
        process.terminate()
        process.wait(timeout=10)


def test_home_page_and_an_office_section(web):
    get, *_ = web
    status, headers, body = get("/")
    assert status == 200 and "临海市人民政府门户网站" in body.decode("utf-8")
    assert headers["content-type"] == "text/html; charset=utf-8" and headers["cache-control"] == "no-cache"
    status, _, body = get("/rfb/")
    assert status == 200 and "人民防空办公室" in body.decode("utf-8")


def test_a_missing_page_is_404_with_the_chinese_page(web):
    get, *_ = web
    status, headers, body = get("/rfb/notices/no-such-notice/")
    assert status == 404 and headers["content-type"] == "text/html; charset=utf-8"
    assert "找不到" in body.decode("utf-8") or "不存在" in body.decode("utf-8")


@pytest.mark.parametrize("path", ["/", "/assets/search.js", "/gk-search/meta.json", "/sitemap.xml", "/feed.xml"])
def test_text_is_gzipped(web, path):
    get, *_ = web
    status, headers, body = get(path, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip", headers
    assert gzip.decompress(body) and "Accept-Encoding" in headers.get("vary", "")


def test_search_chunks_revalidate_and_hashed_assets_are_kept_for_a_year(web):
    get, *_ = web
    status, headers, _ = get("/gk-search/f/0.json")
    assert status == 200 and headers["cache-control"] == "no-cache"
    status, _, body = get("/rfb/")
    # An office's section loads the portal's one copy of the theme's files.
    [bundle] = re.findall(r'src="((?:\.\./)*assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js)"', body.decode("utf-8"))
    assert urljoin("/rfb/", bundle).startswith("/assets/")
    status, headers, _ = get(urljoin("/rfb/", bundle))
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    status, headers, _ = get("/assets/search.js")  # no hash in its name: it is revalidated
    assert status == 200 and headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path, expected", [
    ("/rfb/posters/all.pdf", "application/pdf"),
    ("/rfb/data/complaints.csv", "text/csv; charset=utf-8"),
    ("/rfb/data/datapackage.json", "application/json; charset=utf-8"),
    ("/sitemap.xml", "text/xml; charset=utf-8"),
    ("/sitemap.xml.gz", "application/gzip"),  # what search engines read a compressed sitemap as
    ("/rfb/sitemap.xml.gz", "application/gzip"),
])
def test_types_and_charsets_of_the_downloads(web, path, expected):
    get, *_ = web
    status, headers, _ = get(path)
    assert status == 200 and headers["content-type"] == expected


def test_a_deep_link_without_its_slash_is_redirected_on_the_same_address(web):
    get, *_ = web
    status, headers, _ = get("/rfb/notices")
    assert status == 301 and headers["location"] == "/rfb/notices/"
    assert get("/rfb/notices/")[0] == 200


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/rfb/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/outside",
                                  "/rfb/..%2f..%2f..%2fetc/passwd"])
def test_nothing_outside_the_root_is_served(web, path):
    get, *_ = web
    status, _, body = get(path)
    assert status in (400, 403, 404) and b"root:" not in body


def test_no_editor_under_a_public_address(web):
    get, *_ = web
    for office in ("rfb", "xmsy", "xmsy-dzb"):
        status, _, body = get(f"/{office}/admin/")
        assert status == 404 and b"decap" not in body.lower()
    assert get("/admin/")[0] == 404  # the example county configures no hosted editor


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    """A county whose county.yaml names its repository (hosted mode), built by `gongkai build` and served by nginx."""
    from conftest import COUNTY, write_county

    folder = tmp_path_factory.mktemp("hosted")
    root = write_county(folder / "content", county_file=COUNTY + "editor:\n  backend: github\n  repo: county/gongkai\n")
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(root), "--as-of", AS_OF.isoformat(),
                             "--out", str(folder / "site")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    with nginx(folder / "site", tmp_path_factory.mktemp("nginx")) as base:
        yield base.rstrip("/")


@needs_decap
def test_a_hosted_county_serves_one_editor_at_the_portal_and_none_under_an_office(hosted):
    def get(path):
        with urllib.request.urlopen(hosted + path) as response:
            return response.status, response.headers["content-type"], response.read()

    status, kind, body = get("/admin/")
    assert status == 200 and kind == "text/html; charset=utf-8" and b"decap-cms.js" in body and b"county/gongkai" in body
    assert get("/admin/decap-cms.js")[0] == 200
    for office in ("jia", "yi"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            get(f"/{office}/admin/")
        assert refused.value.code == 404


@needs_decap
def test_the_published_editor_loads_its_configuration_with_nothing_from_outside(hosted):
    """In Chromium, from nginx: Decap accepts the county's configuration (a wrong one shows 配置错误 instead of the
    login) and asks nothing of any other address; given an in-memory repository in place of GitHub (the page's
    own configuration otherwise), it lists every office's collections by the office's name."""
    with chromium() as browser:
        page = browser.new_page()
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((hosted + "/", "data:", "blob:"))
                else None)
        page.goto(hosted + "/admin/")
        expect(page.get_by_role("button", name="使用 GitHub 登录")).to_be_visible(timeout=30_000)
        assert page.get_by_text("配置错误").count() == 0
        names = page.evaluate("settings.collections.map(c => c.label)")
        assert [name for name in names if name.endswith("·公示公告")] == ["jia办·公示公告", "yi办·公示公告"]

        def in_memory(route):
            text = route.fetch().text().replace('"name": "github"', '"name": "test-repo"')
            route.fulfill(body=text, headers={"content-type": "text/html; charset=utf-8"})

        page.route(hosted + "/admin/", in_memory)
        page.reload()
        page.get_by_role("button", name="登录").click()
        for label in ("jia办·公示公告", "jia办·机构概况", "yi办·公示公告", "yi办·服务承诺"):
            expect(page.get_by_role("link", name=label)).to_be_visible(timeout=30_000)
        assert outside == []


def test_the_deploy_check_passes_on_the_server_that_serves_the_build_and_fails_elsewhere(web, tmp_path):
    _, check, serve, base, _ = web
    served = check(base)
    assert served.returncode == 0, served.stdout + served.stderr
    # The deploy went into a folder the web server does not serve (a runner's throwaway container), or another
    # server block answered: the server answers, with another page, and the check says what may be wrong.
    (tmp_path / "old").mkdir()
    (tmp_path / "old/index.html").write_text("<p>上一版</p>", encoding="utf-8")
    stale = check(serve(tmp_path / "old"))
    assert stale.returncode != 0, stale.stdout + stale.stderr
    assert "index.html answered (HTTP 200), but not with the index.html just built" in stale.stderr
    assert "another server block answered" in stale.stderr and "DEPLOY_TO" in stale.stderr
    # Nothing listens there: the check says so rather than blame the copy.
    nobody = check(f"http://127.0.0.1:{free_port()}/")
    assert nobody.returncode != 0 and "nothing answered at http://127.0.0.1:" in nobody.stderr, nobody.stderr
    unset = check("")
    assert unset.returncode != 0 and "DEPLOY_URL" in unset.stderr


@contextlib.contextmanager
def debians_nginx(folder: Path, www: Path, default_site: bool):
    """nginx as Debian installs it, the shipped file put in conf.d/ as the README says, Debian's own
    sites-enabled/default left in place or removed. Moved for the test: /etc/nginx, the pid file, the logs and the
    temporary folders into `folder` (an unprivileged test cannot write Debian's), port 80 to a free port on
    127.0.0.1 in both blocks alike (so the default server is chosen as on port 80), and the root to `www`."""
    port = free_port()
    etc = folder / "etc"
    shutil.copytree("/etc/nginx", etc)  # the links of sites-enabled/ and modules-enabled/ become their files
    conf = (etc / "nginx.conf").read_text(encoding="utf-8")
    conf = re.sub(r"(?m)^user .*\n", "", conf).replace("/etc/nginx/", f"{etc}/").replace("/var/log/nginx/", f"{folder}/")
    (etc / "nginx.conf").write_text(conf.replace("pid /run/nginx.pid;", f"pid {folder}/nginx.pid;"), encoding="utf-8")
    (etc / "conf.d/temp.conf").write_text("".join(f"{kind}_temp_path {folder}/{kind};\n" for kind in
                                                  ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")), encoding="utf-8")
    shipped = CONF.read_text(encoding="utf-8").replace("    listen 80;\n", f"    listen 127.0.0.1:{port};\n")
    (etc / "conf.d/gongkai.conf").write_text(shipped.replace("root /var/www/gongkai;", f'root "{www}";'), encoding="utf-8")
    default = etc / "sites-enabled/default"
    if default_site:
        text = default.read_text(encoding="utf-8")
        assert "\tlisten 80 default_server;\n" in text
        text = text.replace("\tlisten 80 default_server;\n", f"\tlisten 127.0.0.1:{port} default_server;\n")
        default.write_text(text.replace("\tlisten [::]:80 default_server;\n", ""), encoding="utf-8")
    else:
        default.unlink()  # the README's step: Debian's own page on port 80 goes
    base, process = run_nginx(etc / "nginx.conf", folder, port, "master_process off;")
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.skipif(not Path("/etc/nginx/sites-enabled/default").exists(), reason="Debian's nginx package is not installed")
def test_on_debians_nginx_127_0_0_1_reaches_the_site_once_debians_own_site_is_removed(web, tmp_path):
    get, check, _, _, www = web
    with debians_nginx(tmp_path / "default", www, default_site=True) as base:
        other = check(base)  # Debian's "Welcome to nginx" answers: the check names the likely cause
        assert other.returncode != 0 and "another server block answered" in other.stderr, other.stdout + other.stderr
        # The README's look at what the site's own block answers: a request naming its host.
        connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=10)
        connection.request("GET", "/", headers={"Host": "www.linhai.example.gov.cn"})
        assert "临海市人民政府门户网站" in connection.getresponse().read().decode("utf-8")
    with debians_nginx(tmp_path / "removed", www, default_site=False) as base:
        served = check(base)
        assert served.returncode == 0, served.stdout + served.stderr


def test_the_deploys_mark_on_its_folder_is_not_served(web):
    get, *_, www = web
    assert (www / ".gongkai-deployed").is_file()  # the deploy step left it: the folder is a deploy's own
    status, _, body = get("/.gongkai-deployed")
    assert status == 404 and "Gongkai site" not in body.decode("utf-8")


@pytest.mark.parametrize("path", ["/gk-search/", "/gk-search/f/", "/rfb/assets/"])
def test_a_folder_without_a_page_is_not_found_with_the_chinese_page(web, path):
    get, *_ = web
    status, headers, body = get(path)
    assert status == 404 and headers["content-type"] == "text/html; charset=utf-8", (path, status)
    assert "找不到" in body.decode("utf-8") or "不存在" in body.decode("utf-8")
