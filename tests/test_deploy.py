"""`make deploy` copies site/ with rsync --delete, which removes whatever its folder holds that the site does not:
it must go only into a folder of the site's own. Each test runs `make deploy` in a checkout of its own (the
Makefile and scripts/ linked in, a git repository as a clone is), so a refusal that failed would cost only
tmp_path. Where a refusal that failed could reach past tmp_path (/, a home folder), rsync is a stand-in that
copies nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from test_workflows import RUNNER_ENV

ROOT = Path(__file__).resolve().parent.parent
MARKER = ".gongkai-deployed"


def tree(folder: Path) -> dict[str, bytes | str]:
    """Everything under folder: each file's bytes, each link's target, each folder."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        found[name] = (f"-> {path.readlink()}" if path.is_symlink() else path.read_bytes() if path.is_file()
                       else "folder")
    return found


@pytest.fixture
def checkout(tmp_path):
    """A checkout of the repository with a built site in site/: pages a, b and the 404 page."""
    repo = tmp_path / "gongkai"
    repo.mkdir()
    for name in ("Makefile", "scripts"):
        (repo / name).symlink_to(ROOT / name)
    subprocess.run(["git", "init", "--quiet", str(repo)], check=True)
    (repo / "content").mkdir()
    (repo / "content/county.yaml").write_text("name: 临海市\n", encoding="utf-8")
    for page in ("index.html", "404.html", "a/index.html", "b/index.html"):
        (repo / "site" / page).parent.mkdir(parents=True, exist_ok=True)
        (repo / "site" / page).write_text(f"<p>{page}</p>", encoding="utf-8")
    return repo


def deploy(checkout: Path, target: str, env: dict | None = None, out: str = "site"):
    return subprocess.run(["make", "--no-print-directory", "deploy", f"DEPLOY_TO={target}", f"OUT={out}"],
                          cwd=checkout, env={**RUNNER_ENV, **(env or {})}, capture_output=True, text=True)


def test_a_folder_holding_other_sites_is_refused_and_left_as_it_was(checkout, tmp_path):
    www = tmp_path / "www"
    (www / "html").mkdir(parents=True)
    (www / "html/index.html").write_text("<p>Debian's own page</p>", encoding="utf-8")
    (www / "oa/index.php").parent.mkdir()
    (www / "oa/index.php").write_text("<?php // the office's OA system", encoding="utf-8")
    before = tree(www)
    refused = deploy(checkout, str(www))
    assert refused.returncode != 0
    assert f"refused DEPLOY_TO={www}" in refused.stderr and "html oa" in refused.stderr, refused.stderr
    assert "a folder of its own" in refused.stderr and "Nothing was copied or deleted" in refused.stderr
    assert tree(www) == before


@pytest.mark.parametrize("target, why", [
    (".", "it is the checkout"),
    ("..", "it holds the checkout"),
    ("content", "it lies inside the checkout"),
    ("site", "it lies inside the checkout"),
    ("www", "it lies inside the checkout"),  # a new folder, but inside the checkout
])
def test_the_checkout_and_folders_in_or_around_it_are_refused_and_left_as_they_were(checkout, tmp_path, target, why):
    before = tree(tmp_path)
    refused = deploy(checkout, target)
    assert refused.returncode != 0 and f"{why} {checkout}" in refused.stderr, refused.stderr
    assert tree(tmp_path) == before


def test_the_built_site_outside_the_checkout_is_refused(checkout, tmp_path):
    out = tmp_path / "built"
    (checkout / "site").rename(out)
    before = tree(tmp_path)
    for target, why in ((out, "it is the built site"), (out / "www", "it lies inside the built site")):
        refused = deploy(checkout, str(target), out=str(out))
        assert refused.returncode != 0 and f"{why} {out}" in refused.stderr, refused.stderr
    assert tree(tmp_path) == before


@pytest.fixture
def no_rsync(tmp_path):
    """A PATH whose rsync copies nothing and leaves a note that it was called."""
    stand_in = tmp_path / "bin"
    stand_in.mkdir()
    (stand_in / "rsync").write_text(f"#!/bin/sh\ntouch {tmp_path}/rsync-was-called\nexit 99\n", encoding="utf-8")
    (stand_in / "rsync").chmod(0o755)
    return {"PATH": f"{stand_in}:{RUNNER_ENV['PATH']}"}, tmp_path / "rsync-was-called"


@pytest.mark.parametrize("target, why", [("/", "the whole file system"), ("HOME", "it is or holds the home folder"),
                                         ("HOME/..", "it is or holds the home folder")])
def test_the_root_and_the_home_folder_are_refused(checkout, tmp_path, no_rsync, target, why):
    env, called = no_rsync
    home = tmp_path / "home/clerk"
    home.mkdir(parents=True)  # empty: only its being the home folder refuses it
    refused = deploy(checkout, target.replace("HOME", str(home)), {**env, "HOME": str(home)})
    assert refused.returncode != 0 and why in refused.stderr, refused.stderr
    assert not called.exists()


def test_the_first_deploy_goes_into_a_new_folder_and_the_next_prunes_the_pages_that_are_gone(checkout, tmp_path):
    www = tmp_path / "www/gongkai"
    first = deploy(checkout, str(www))
    assert first.returncode == 0, first.stderr
    assert sorted(tree(www)) == [MARKER, "404.html", "a", "a/index.html", "b", "b/index.html", "index.html"]
    # The next build has no page b and a new page c: the deploy goes into the marked folder and prunes b.
    (checkout / "site/b/index.html").unlink()
    (checkout / "site/b").rmdir()
    (checkout / "site/c").mkdir()
    (checkout / "site/c/index.html").write_text("<p>c</p>", encoding="utf-8")
    second = deploy(checkout, str(www))
    assert second.returncode == 0, second.stderr
    assert sorted(tree(www)) == [MARKER, "404.html", "a", "a/index.html", "c", "c/index.html", "index.html"]
    assert (www / "c/index.html").read_text(encoding="utf-8") == "<p>c</p>"


def test_an_empty_folder_is_a_new_one(checkout, tmp_path):
    www = tmp_path / "srv/政务 公开"  # made by the administrator, with nginx's root already naming it
    www.mkdir(parents=True)
    deployed = deploy(checkout, str(www))
    assert deployed.returncode == 0, deployed.stderr
    assert (www / MARKER).is_file() and (www / "a/index.html").is_file()


@pytest.fixture
def server(tmp_path):
    """An ssh that runs the remote command here, as the server's sshd would: the rsync at the far end is real."""
    stand_in = tmp_path / "ssh-bin"
    stand_in.mkdir()
    (stand_in / "ssh").write_text("""#!/bin/sh
while [ $# -gt 0 ]; do
  case "$1" in
    -i|-o|-l|-p) shift 2 ;;
    -*) shift ;;
    *) shift; break ;;
  esac
done
exec sh -c "$*"
""", encoding="utf-8")
    (stand_in / "ssh").chmod(0o755)
    return {"PATH": f"{stand_in}:{RUNNER_ENV['PATH']}", "DEPLOY_SSH_KEY": "key", "DEPLOY_KNOWN_HOSTS": "web ssh-ed25519 AAAA"}


def test_over_ssh_the_folder_on_the_server_is_checked_the_same_way(checkout, tmp_path, server):
    www = tmp_path / "server/www"
    (www / "html").mkdir(parents=True)
    (www / "html/index.html").write_text("<p>Debian's own page</p>", encoding="utf-8")
    before = tree(www)
    refused = deploy(checkout, f"deploy@web:{www}", server)
    assert refused.returncode != 0 and f"on deploy@web, touch {www}/{MARKER}" in refused.stderr, refused.stderr
    assert tree(www) == before
    for target in ("deploy@web:", "deploy@web:/", "deploy@web:~/"):
        refused = deploy(checkout, target, server)
        assert refused.returncode != 0 and "home folder or the server's /" in refused.stderr, refused.stderr

    site = www / "gongkai"
    first = deploy(checkout, f"deploy@web:{site}", server)
    assert first.returncode == 0, first.stderr
    assert sorted(tree(site)) == [MARKER, "404.html", "a", "a/index.html", "b", "b/index.html", "index.html"]
    (checkout / "site/b/index.html").unlink()
    second = deploy(checkout, f"deploy@web:{site}", server)
    assert second.returncode == 0, second.stderr
    assert sorted(tree(site)) == [MARKER, "404.html", "a", "a/index.html", "b", "index.html"]
