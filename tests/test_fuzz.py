"""Random and mutated content never crashes the loader: it yields records or clear `path:line:` messages."""

from __future__ import annotations

import datetime as dt
import re
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, NOTICE, SERVICE, write_tree
from generator.checks.check import run_checks
from generator.checks.validate import load_content

MESSAGE = re.compile(r"^[^\s:]+:\d+: \S.* — \S")
FEES = ("id,name,unit,amount,basis,approved_by,effective,published,note,illustrative\n"
        "gongben,工本费,元/本,5,浙价费〔2016〕1号,浙江省物价局,2016-12-01,2017-01-01,,true\n")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])


def mutate(text: str, edits) -> str:
    chars = list(text)
    for position, action, char in edits:
        if not chars:
            break
        index = position % len(chars)
        if action == 0:
            del chars[index]
        elif action == 1:
            chars.insert(index, char)
        else:
            chars[index] = char
    return "".join(chars)


EDITS = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=2),
                           st.sampled_from(list(":-[]{}#&*!|>'\"\n ,〔〕0123456789x\t—") + ["2025-02-30", "---"])),
                 min_size=1, max_size=8)


def assert_clear(root):
    content, findings = load_content(root)
    for finding in findings:
        assert MESSAGE.match(str(finding)), str(finding)
    if not any(f.severity == "error" for f in findings):
        run_checks(content, dt.date(2025, 10, 10))


def fresh(tmp_path, name, overrides):
    root = tmp_path / name
    shutil.rmtree(root, ignore_errors=True)
    write_tree(root, MINIMAL)
    return write_tree(root, overrides)


@FUZZ
@given(edits=EDITS)
def test_mutated_service_yaml(tmp_path, edits):
    assert_clear(fresh(tmp_path, "service", {"services/shenpi.yaml": mutate(SERVICE, edits)}))


@FUZZ
@given(edits=EDITS)
def test_mutated_front_matter_and_body(tmp_path, edits):
    assert_clear(fresh(tmp_path, "notice", {"notices/2025/gonggao-1.md": mutate(NOTICE, edits)}))


@FUZZ
@given(edits=EDITS)
def test_mutated_csv(tmp_path, edits):
    assert_clear(fresh(tmp_path, "csv", {"fees.csv": mutate(FEES, edits)}))


@FUZZ
@given(text=st.text(max_size=300))
def test_random_text_as_yaml_and_markdown(tmp_path, text):
    assert_clear(fresh(tmp_path, "random", {"services/shenpi.yaml": text, "notices/2025/gonggao-1.md": text}))


def test_alias_bombs_are_refused_quickly(office):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    _, findings = load_content(office({"services/shenpi.yaml": bomb}))
    assert [str(f) for f in findings] == [
        "services/shenpi.yaml:1: YAML anchors and aliases (&, *) are not supported — write each value out in full"]


def test_deep_nesting_is_refused(office):
    _, findings = load_content(office({"services/shenpi.yaml": "a: " + "[" * 2000 + "]" * 2000 + "\n"}))
    assert [f.code for f in findings] == ["syntax"] and "nested too deeply" in findings[0].message
