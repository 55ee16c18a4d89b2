"""Every refusal of a task act is said in Chinese and English, with its values filled in."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.i18n.catalogue import CATALOGUE
from dashboard.views.task_forms import words
from tasks.outcomes import TaskError

ROOT = Path(__file__).resolve().parents[2]


def test_every_refusal_code_has_words_in_both_languages() -> None:
    codes = set()
    for name in ("tasks/actions.py", "tasks/outcomes.py"):
        source = (ROOT / name).read_text(encoding="utf-8")
        codes |= set(re.findall(r'TaskError\(\s*"([a-z_]+)"', source))
    assert {"stale", "department", "branch", "contact_rules", "amount"} <= codes
    missing = sorted(c for c in codes if set(CATALOGUE.get(f"tk.err.{c}", {})) != {"zh", "en"})
    assert not missing


def test_a_refusal_names_the_department_field_and_flags_in_words() -> None:
    said = words(TaskError("department", "x", task=1, department="legal"), "zh")
    assert said == "该任务属于法务部，不是您所在部门，未做任何更改。"
    said = words(TaskError("missing", "x", field="case_number"), "en")
    assert said == "Fill in “Case number”."
    flags = ["outside_window", "over_daily_cap"]
    said = words(TaskError("contact_rules", "x", flags=flags, earlier=3), "zh")
    assert said.startswith(
        "该次联系不符合催收合规要求（联系时间超出允许时段、超过每日联系次数上限）"
    )
