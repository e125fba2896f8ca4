"""The processes that build and check a county's offices: a dead one is a message, an interrupted run leaves none."""

from __future__ import annotations

import os
import signal
import time

import pytest

from generator.content.county import WorkerDied, map_offices


def _die(_office):
    os._exit(3)  # as a worker the kernel killed for memory would: no exception, no result


def _sleep_and_say(folder, office):
    (folder / office).write_text(str(os.getpid()))
    time.sleep(20)
    (folder / f"{office}.finished").touch()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_worker_that_dies_is_a_finding_not_a_traceback():
    with pytest.raises(WorkerDied) as died:
        map_offices(_die, [("aa",), ("bb",)], jobs=2)
    finding = died.value.finding()
    assert (finding.file, finding.code) == ("offices", "worker") and "memory" in finding.hint


def test_an_interrupted_run_leaves_no_worker_building_for_nobody(tmp_path):
    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(3)
    try:
        with pytest.raises(KeyboardInterrupt):
            map_offices(_sleep_and_say, [(tmp_path, "aa"), (tmp_path, "bb")], jobs=2)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    pids = [int((tmp_path / office).read_text()) for office in ("aa", "bb")]
    assert not [pid for pid in pids if _alive(pid)]
    assert not list(tmp_path.glob("*.finished"))  # stopped, not waited for
