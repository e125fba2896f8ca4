"""CPU seconds per build stage, for the benchmarks (bench/county.py) to say where a build's time goes.

Opt-in: with GONGKAI_TIMINGS=FILE in the environment, every process of a build (the main one, each office's
worker, the process laying out PDFs beside the engine) appends one JSON line to FILE each time a stage
function returns: {"stage", "cpu_s", "pid"}. A stage's seconds are its own process's CPU time minus that of
the stages it calls (each second is counted once, under the innermost stage), plus, for the engine, the CPU
time of the command it runs. `totals(FILE)` sums them per stage. Unset, a stage costs one look at the
environment, and nothing a build writes changes either way.
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections import defaultdict
from pathlib import Path

ENV = "GONGKAI_TIMINGS"
STAGES = ("load", "checks", "render", "engine", "scan", "pdfs", "search", "cache", "merge")
# For each stage running in this process, innermost last: the CPU seconds of the stages it called so far.
_running: list[float] = []


def stage(name: str, commands: bool = False):
    """Count the decorated function's CPU time under `name`; `commands`: also that of the commands it runs and
    waits for (the site engine), which the process's own time does not hold."""
    assert name in STAGES, name

    def decorate(function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            path = os.environ.get(ENV)
            if not path:
                return function(*args, **kwargs)
            own, waited = time.process_time(), _children()
            _running.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                own = time.process_time() - own
                inner = _running.pop()
                if _running:
                    _running[-1] += own
                spent = own - inner + (_children() - waited if commands else 0.0)
                line = json.dumps({"stage": name, "cpu_s": round(spent, 4), "pid": os.getpid()}) + "\n"
                descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                try:  # one write of a short line with O_APPEND: processes writing at once do not mix their lines
                    os.write(descriptor, line.encode("ascii"))
                finally:
                    os.close(descriptor)

        return timed

    return decorate


def _children() -> float:
    """CPU seconds of this process's children that have ended and been waited for."""
    times = os.times()
    return times.children_user + times.children_system


def totals(path: Path) -> dict:
    """{"stages": {stage: CPU seconds summed over every process}, "processes": how many processes reported}."""
    seconds: dict[str, float] = defaultdict(float)
    processes = set()
    for line in Path(path).read_text(encoding="ascii").splitlines():
        record = json.loads(line)
        seconds[record["stage"]] += record["cpu_s"]
        processes.add(record["pid"])
    return {"stages": {name: round(seconds[name], 2) for name in STAGES if name in seconds},
            "processes": len(processes)}
