"""The build's own account of its CPU time per stage (generator/timings.py), which bench/county.py reports as
each stage's share: every second counted once, under the innermost stage; the engine's command counted with it;
nothing written unless asked. A county build so timed is tests/test_county.py's."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from generator import timings


def burn(seconds: float) -> None:
    """Spend this much CPU time in this process, however busy the machine is."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


@timings.stage("search")
def inner() -> str:
    burn(0.15)
    return "inner"


@timings.stage("render")
def outer() -> str:
    burn(0.1)
    return inner() + " in outer"


@timings.stage("engine", commands=True)
def command() -> None:
    subprocess.run([sys.executable, "-c", "import time\nend = time.process_time() + 0.2\n"
                                          "while time.process_time() < end: pass"], check=True)


def test_a_stage_counts_its_own_time_and_not_that_of_the_stages_it_calls(tmp_path, monkeypatch):
    monkeypatch.setenv(timings.ENV, str(tmp_path / "timings.jsonl"))
    assert outer() == "inner in outer"
    stages = timings.totals(tmp_path / "timings.jsonl")["stages"]
    assert sorted(stages) == ["render", "search"]
    assert 0.1 <= stages["render"] < 0.14 and 0.15 <= stages["search"] < 0.19, stages


def test_the_engine_stage_counts_the_command_it_ran(tmp_path, monkeypatch):
    monkeypatch.setenv(timings.ENV, str(tmp_path / "timings.jsonl"))
    command()
    assert timings.totals(tmp_path / "timings.jsonl")["stages"]["engine"] >= 0.2


def test_unasked_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.delenv(timings.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert outer() == "inner in outer"
    assert list(tmp_path.iterdir()) == []


def test_only_the_stages_a_report_knows_are_counted():
    with pytest.raises(AssertionError):
        timings.stage("elsewhere")
