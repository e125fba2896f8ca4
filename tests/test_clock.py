"""The default as-of date is today in Beijing, whatever zone the machine's clock is set to.

The daily workflow fires at 00:10 Beijing time, 16:10 UTC on the day before; a build that took its date
from a UTC clock would be one day behind (a notice's first day with no sheet on the board).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.content.workdays import beijing_today

ROOT = Path(__file__).resolve().parent.parent
UTC = dt.timezone.utc
# The fixture notice's first day is 2025-09-26 (conftest.NOTICE).
DAILY_RUN = dt.datetime(2025, 9, 25, 16, 10, tzinfo=UTC)  # 00:10 on 2025-09-26 in Beijing


def test_beijing_day_begins_at_16_utc_the_day_before():
    assert beijing_today(DAILY_RUN) == dt.date(2025, 9, 26)
    assert beijing_today(DAILY_RUN - dt.timedelta(hours=1)) == dt.date(2025, 9, 25)
    # An instant given in another zone is the same instant: the machine's zone does not matter.
    assert beijing_today(DAILY_RUN.astimezone(dt.timezone(dt.timedelta(hours=-7)))) == dt.date(2025, 9, 26)


@pytest.mark.parametrize("now, sheet", [(DAILY_RUN, True), (DAILY_RUN - dt.timedelta(hours=1), False)])
def test_the_daily_run_prints_a_notice_on_its_first_day(office, tmp_path, now, sheet):
    """`gongkai posters` without --as-of, its clock pinned (the context object is the moment)."""
    out = tmp_path / "posters"
    result = CliRunner().invoke(main, ["posters", str(office()), "--out", str(out)], obj=now)
    assert result.exit_code == 0, result.output
    assert (out / "notice-gonggao-1.pdf").exists() == sheet, sorted(p.name for p in out.iterdir())


def test_make_leaves_the_date_to_gongkai_unless_one_is_given():
    """The Makefile (and so every workflow, which runs make) passes no date of the machine's own."""
    default = subprocess.run(["make", "-n", "site", "check"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "--as-of" not in default and not re.search(r"\d{4}-\d\d-\d\d", default), default
    given = subprocess.run(["make", "-n", "site", "AS_OF=2025-10-01"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "--as-of 2025-10-01" in given
