"""A copied office folder is caught: two offices of one county with the same 统一社会信用代码 would show one
department twice on the portal, with the same 索引号."""

from __future__ import annotations

import shutil

from conftest import write_county
from test_county import AS_OF, gongkai


def test_a_copied_office_folder_is_an_error_naming_both_office_files(tmp_path):
    county = write_county(tmp_path / "county", {"aa": {}})
    shutil.copytree(county / "offices/aa", county / "offices/bb")
    result = gongkai("check", county, "--as-of", AS_OF)
    assert result.returncode == 1
    for own, other in (("aa", "bb"), ("bb", "aa")):
        assert f"offices/{own}/office.yaml:3: offices/{other}/office.yaml:3 gives the same 统一社会信用代码" \
               " (11331082MB1947351Y)" in result.stdout, result.stdout
    assert "a new department needs its own name and code: edit office.yaml" in result.stdout


def test_a_clerk_reads_the_copied_office_in_chinese(tmp_path, monkeypatch):
    county = write_county(tmp_path / "county", {"aa": {}})
    shutil.copytree(county / "offices/aa", county / "offices/bb")
    monkeypatch.setenv("GONGKAI_LANG", "zh")
    result = gongkai("check", county, "--as-of", AS_OF)
    assert result.returncode == 1
    assert "offices/bb/office.yaml:3: offices/aa/office.yaml:3 写的统一社会信用代码（11331082MB1947351Y）与此相同" \
           in result.stdout, result.stdout
    assert "新部门要有自己的全称和统一社会信用代码：改 office.yaml" in result.stdout
