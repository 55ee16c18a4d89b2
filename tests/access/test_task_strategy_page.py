"""任务策略 (AppTest): admin sees the strategy in force, saving needs a note and makes version 1
with the tables as shown; other roles are refused."""

from __future__ import annotations

from dashboard.i18n.catalogue import t
from tasks.strategy import from_settings, versions
from tests.access.apptest import open_as, refusal
from warehouse.portal import portal_engine, portal_url
from warehouse.settings import load_settings


def _save(at):
    next(b for b in at.button if b.label == t("ts.save", "zh")).click().run()
    return at


def test_admin_saves_the_shown_strategy_as_version_1_only_with_a_note(app_url: str) -> None:
    at = open_as("task_strategy.py", ("admin",), username="stadmin")
    assert not at.exception
    assert at.title[0].value == "任务策略"
    assert t("ts.in_force_settings", "zh") in [i.value for i in at.info]
    _save(at)
    assert t("ts.note_required", "zh") in [e.value for e in at.error]
    engine = portal_engine(portal_url(app_url))
    try:
        assert versions(engine) == []
        at.text_input(key="ts_note").input("按年度复核保存")
        _save(at)
        assert not at.exception
        [v] = versions(engine)
        assert (v.version, v.created_by, v.note) == (1, "stadmin", "按年度复核保存")
        from tasks.strategy import current

        saved, defaults = current(engine), from_settings(load_settings())
        assert (saved.bands, saved.triggers) == (defaults.bands, defaults.triggers)
    finally:
        engine.dispose()
    assert t("ts.saved", "zh", version=1) in [s.value for s in at.success]
    assert any(i.value.startswith("当前生效：第 1 版，stadmin") for i in at.info)


def test_only_admin_may_open_the_strategy(app_url: str) -> None:
    for role in ("executive", "risk_committee", "compliance"):
        at = open_as("task_strategy.py", (role,), username=f"st{role}")
        assert refusal(at) is not None, role
