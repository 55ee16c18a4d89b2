"""The build's progress counts every step against one total from its first line to its last, so
a user watching a long load sees how far it is (before: "41/41" was followed by "42/57")."""

from __future__ import annotations

import re

from tests.warehouse.extract_edits import FIXTURE
from warehouse.load import load_extract
from warehouse.settings import load_settings


def test_build_progress_numbers_every_step_against_one_total(db_url: str) -> None:
    lines: list[str] = []
    load_extract(FIXTURE, db_url, load_settings(), progress=lines.append)
    steps = [m for m in (re.match(r"build (\d+)/(\d+): ", x) for x in lines) if m]
    totals = {int(m.group(2)) for m in steps}
    assert len(totals) == 1
    assert [int(m.group(1)) for m in steps] == list(range(1, totals.pop() + 1))
