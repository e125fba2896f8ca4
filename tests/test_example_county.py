"""The example county (content/): its offices check clean on the build date, the 机关党支部's rules find what its
党务政务公开工作制度 forbids, and every file's editor schema link points at the project's schemas."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-26"
SCHEMA_LINK = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.M)


def gongkai(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def errors(county: Path) -> list[tuple[str, int, str]]:
    result = gongkai("check", str(county), "--as-of", AS_OF, "--format", "json")
    return sorted((Path(f["file"]).relative_to(county).as_posix(), f["line"], f["rule"])
                  for f in json.loads(result.stdout) if f["severity"] == "error")


def test_the_example_county_has_three_offices_and_no_error_on_the_build_date():
    offices = sorted(p.name for p in (ROOT / "content/offices").iterdir() if (p / "office.yaml").is_file())
    assert {"rfb", "xmsy", "xmsy-dzb"} <= set(offices)
    assert errors(ROOT / "content") == []


def test_the_party_branch_rules_find_a_short_openness_a_missing_committee_and_a_rarer_cadence(tmp_path):
    county = tmp_path / "content"
    shutil.copytree(ROOT / "content", county)
    branch = county / "offices/xmsy-dzb"

    def edit(rel: str, old: str, new: str):
        path = branch / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    # Five days under the 党费 item (a week is owed), a 重要事项 without the 支委会, the 党费 made yearly.
    edit("notices/2026/dangfei-2026-q1.md", "  days: 7\n", "  days: 5\n")
    edit("notices/2026/biaozhang-2026-01.md", "  - by: 支委会\n    date: 2026-06-30\n    note: 审核批准公开\n", "")
    edit("catalog.yaml", "    cadence: 每季度\n", "    cadence: 每年\n")
    assert errors(county) == [
        ("offices/xmsy-dzb/catalog.yaml", 143, "periodic-overdue"),
        ("offices/xmsy-dzb/notices/2026/biaozhang-2026-01.md", 17, "approvals"),
        ("offices/xmsy-dzb/notices/2026/dangfei-2026-q1.md", 16, "notice-period"),
    ]


def test_every_schema_link_and_a_new_notices_one_point_at_the_projects_schemas(tmp_path):
    for path in sorted((ROOT / "content").rglob("*")):
        if path.suffix in (".yaml", ".md") and (link := SCHEMA_LINK.search(path.read_text(encoding="utf-8"))):
            assert (path.parent / link.group(1)).resolve() == ROOT / "schemas" / Path(link.group(1)).name, path
    # A clerk's new notice in a county office: the link climbs out of offices/<id>/ too.
    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    result = gongkai("new", "notice", str(project / "content/offices/xmsy-dzb"), "--title", "2026年第四季度党费收缴情况",
                     "--type", "党务公开", "--first-day", "2027-01-08", "--catalog", "dangfei", "--as-of", "2027-01-06")
    assert result.returncode == 0, result.stderr
    [written] = (project / "content/offices/xmsy-dzb/notices/2027").glob("*.md")
    text = written.read_text(encoding="utf-8")
    link = SCHEMA_LINK.search(text).group(1)
    assert (written.parent / link).resolve() == project / "schemas/notice.schema.json"
    assert "  days: 7\n" in text  # the branch's rules give every notice under 党费 a week
