"""A refused county build reports every office's errors, the same on every run, as `check` counts them: every
office is gated before any office's engine starts, so no office's findings depend on which finished first."""

from __future__ import annotations

from conftest import NOTICE, write_county
from test_county import AS_OF, gongkai


def test_a_refused_county_build_reports_every_office_s_errors_the_same_on_every_run(tmp_path):
    leaked = NOTICE.replace("公告正文。", "联系人身份证号11010519491231002X。")
    county = write_county(tmp_path / "county", {"aa": {}, "bb": {"notices/2025/gonggao-1.md": leaked}, "cc": {},
                                                "dd": {}})
    gbk = county / "offices/cc/office.yaml"
    gbk.write_bytes(gbk.read_text(encoding="utf-8").encode("gbk"))
    (tmp_path / "site").mkdir()
    (tmp_path / "site/index.html").write_text("previous")
    runs = [gongkai("build", county, "--as-of", AS_OF, "--no-editor", "--out", tmp_path / "site")
            for _ in range(4)]
    assert [run.returncode for run in runs] == [1] * 4
    assert len({run.stdout for run in runs}) == 1, [run.stdout for run in runs]
    out = runs[0].stdout
    assert "offices/bb/notices/2025/gonggao-1.md:20:" in out and "offices/cc/office.yaml:1:" in out, out
    assert "not built" not in out and "offices:1:" not in out  # no made-up line counted as an error
    check = gongkai("check", county, "--as-of", AS_OF)
    assert out.splitlines()[-1] == check.stdout.splitlines()[-1]  # the same counts of errors and warnings
    assert (tmp_path / "site/index.html").read_text() == "previous" and sorted((tmp_path / "site").iterdir()) == \
        [tmp_path / "site/index.html"]
