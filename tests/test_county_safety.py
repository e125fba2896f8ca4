"""A county build on a shared machine, attacked as a poisoned cache, a slip of the keyboard, a link, a signal or a
full disk would attack it: each is refused or survived with a message, and the site is one build's or the old one."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from conftest import COUNTY, write_county
from generator.content.county import load_county, office_id_allowed
from test_county import AS_OF, gongkai, tree
from test_portal import tiny_png

def _county_with_badge(tmp_path: Path) -> Path:
    return write_county(tmp_path / "county", {"aa": {}}, COUNTY.replace("updated:", "badge: badge.png\nupdated:"))


# -- names ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["correction", "badge", "aa\n", "aa\tbb", "aa\x1b"])
def test_an_office_folder_named_like_a_portal_page_or_with_a_control_character_is_refused(tmp_path, name):
    county = write_county(tmp_path / "county", {"aa": {}, name: {}})
    result = gongkai("validate", county)
    shown = repr(name)[1:-1]
    assert result.returncode == 1
    assert f"{county}/offices/{shown}:1: '{shown}' cannot name an office's folder" in result.stdout
    codeowners = gongkai("codeowners", county)  # no CODEOWNERS is written, and no line of its output is the name's
    assert codeowners.returncode == 1
    assert all(line.startswith(f"{county}/offices/") for line in codeowners.stdout.splitlines()[:-1])


def test_every_top_level_name_the_portal_writes_is_refused_as_an_office_folder(tmp_path):
    county = _county_with_badge(tmp_path)
    (county / "badge.png").write_bytes(tiny_png())
    result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    written = {entry.name for entry in (tmp_path / "site").iterdir()} - {"aa"}
    assert "correction" in written and "badge" in written
    assert [name for name in sorted(written) if office_id_allowed(name)] == []


def test_a_portal_page_reserves_its_name_at_build_time_even_unlisted(tmp_path, monkeypatch):
    # A new portal page whose name nobody added to county.RESERVED: the build still refuses the office it would meet.
    from generator.content import county as county_module
    from generator.publish.build import build

    monkeypatch.setattr(county_module, "RESERVED", frozenset())
    county = write_county(tmp_path / "county", {"aa": {}, "departments": {}})
    findings = build(county, tmp_path / "site", dt.date.fromisoformat(AS_OF), jobs=1)
    assert [(f.file, f.code) for f in findings if f.severity == "error"] == [("offices/departments", "office-folder")]
    assert not (tmp_path / "site").exists()


# -- links and the badge -------------------------------------------------------------------------------------------


def test_a_badge_that_links_out_of_the_county_folder_is_never_read(tmp_path):
    county = _county_with_badge(tmp_path)
    secret = tmp_path / "secret.png"
    secret.write_bytes(tiny_png())  # even an image: what lies outside the county folder is not the county's
    (county / "badge.png").symlink_to(secret)
    result = gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "site")
    assert result.returncode == 1 and "county.yaml:" in result.stdout and "the badge 'badge.png' is not in the county" \
        in result.stdout
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("data", [b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\0" * 20, b""])
def test_a_badge_that_is_not_the_image_its_name_says_is_refused(tmp_path, data):
    county = _county_with_badge(tmp_path)
    (county / "badge.png").write_bytes(data)
    result = gongkai("validate", county)
    assert result.returncode == 1 and "the badge 'badge.png' is not the image its name says" in result.stdout


def test_an_office_folder_or_county_file_that_links_out_is_never_read(tmp_path):
    county = write_county(tmp_path / "county", {"aa": {}})
    elsewhere = write_county(tmp_path / "elsewhere", {"bb": {}})
    (county / "offices/bb").symlink_to(elsewhere / "offices/bb")
    result = gongkai("validate", county)
    assert result.returncode == 1 and f"{county}/offices/bb:1: this is a link to something outside" in result.stdout
    (county / "county.yaml").unlink()
    (county / "county.yaml").symlink_to(elsewhere / "county.yaml")
    assert load_county(county)[0].record is None
