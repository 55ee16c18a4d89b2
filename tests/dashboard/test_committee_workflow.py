"""Committee workflow (AppTest): one proposal per double submit, withdraw, the open tab kept,
refusals in the user's language, and 待我复核 on the at-risk page leading to the dossier.

The watch book (`tests.queries.risk_books`, every contract in branch SH); the signed-in member is
`tester`; other members' proposals are written straight into the portal store.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.dashboard import risk_app
from tests.dashboard.analytics_app import assert_clean, open_page
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.decisions import committee_decisions, propose_class

# The fixtures of risk_app, used by name below.
risk_url, risk = risk_app.risk_url, risk_app.risk
COMMITTEE = ("risk_committee",)
AS_OF = date(2024, 6, 30)


@pytest.fixture
def store(risk: str) -> Iterator[Engine]:
    """The portal store of the risk warehouse."""
    engine = portal_engine(portal_url(risk))
    yield engine
    engine.dispose()


def _kinds(store: Engine, contract: str) -> list[tuple[str, str]]:
    d = committee_decisions
    stmt = sa.select(d.c.kind, d.c.actor).where(d.c.contract_id == contract)
    with store.connect() as conn:
        return [tuple(r) for r in conn.execute(stmt.order_by(d.c.decision_id)).all()]


def _propose_form(at, reason: str = "main customer lost"):
    at.radio(key="rk_kind").set_value("propose_class").run()
    at.text_area(key="rk_reason").set_value(reason)
    return at


def _proposal_by(store: Engine, actor: str, contract: str, current: str = "normal") -> int:
    return propose_class(
        store,
        actor=actor,
        roles=frozenset(COMMITTEE),
        contract_id=contract,
        risk_class="substandard",
        current_class=current,
        reason="<b>=1+1</b>",
        as_of=AS_OF,
    )


def test_a_double_submit_records_one_proposal(risk: str, store: Engine) -> None:
    """Pressing 提交决议 again after a proposal is saved: the form was emptied, so nothing is
    recorded; submitting the very same proposal again gives the same id, still one row."""
    at = _propose_form(open_page("dossier", {"contract": "D1"}, roles=COMMITTEE))
    at.button(key="rk_submit").click().run()
    assert_clean(at)
    saved = [s.value for s in at.success]
    assert len(saved) == 1 and "已记录决议" in saved[0]
    assert at.text_area(key="rk_reason").value == ""
    at.button(key="rk_submit").click().run()
    assert [e.value for e in at.error] == ["未能记录：请填写理由。"]
    _propose_form(at).button(key="rk_submit").click().run()
    assert not at.error
    assert [s.value for s in at.success] == saved  # the same decision number
    assert _kinds(store, "D1") == [("propose_class", "tester")]


def test_a_recorded_action_empties_the_form(risk: str, store: Engine) -> None:
    """After an action is recorded, its fields are empty: a second press records nothing."""
    at = open_page("dossier", {"contract": "CL"}, roles=COMMITTEE)
    at.radio(key="rk_kind").set_value("action").run()
    at.text_input(key="rk_action").set_value("site visit")
    at.text_input(key="rk_owner").set_value("wang.wu")
    at.button(key="rk_submit").click().run()
    assert_clean(at)
    at.button(key="rk_submit").click().run()
    assert [e.value for e in at.error] == ["未能记录：请填写处置措施。"]
    assert _kinds(store, "CL") == [("action", "tester")]


def test_the_decisions_tab_stays_open_after_submitting(risk: str) -> None:
    """The tabs keep their state (key `rk_tab`): after the rerun that records a decision, the
    committee tab is still the open one."""
    at = open_page("dossier", {"contract": "SG"}, roles=COMMITTEE)
    at.session_state["rk_tab"] = "委员会决议"
    at.run()
    at.text_area(key="rk_reason").set_value("court case")
    at.button(key="rk_submit").click().run()
    assert_clean(at)
    assert any("已记录决议" in s.value for s in at.success)
    assert at.session_state["rk_tab"] == "委员会决议"
    tabs = next(b for b in at.main.children.values() if b.type == "tab_container")
    assert tabs.proto.tab_container.default_tab_index == 8  # what the browser shows open


@pytest.mark.parametrize(
    ("lang", "message"),
    [("zh", "未能记录：请填写理由。"), ("en", "Not recorded: A reason is required.")],
)
def test_a_refusal_is_in_the_users_language(risk: str, lang: str, message: str) -> None:
    """A proposal without a reason is refused with the catalogue's words, not the store's."""
    at = _propose_form(open_page("dossier", {"contract": "IO", "lang": lang}, roles=COMMITTEE), "")
    at.button(key="rk_submit").click().run()
    assert [e.value for e in at.error] == [message]


def test_a_second_open_proposal_is_refused_in_chinese(risk: str, store: Engine) -> None:
    """alice's proposal on OK is open: tester's different one is refused, naming alice's."""
    pid = _proposal_by(store, "alice", "OK")
    at = open_page("dossier", {"contract": "OK"}, roles=COMMITTEE)
    _propose_form(at).selectbox(key="rk_class").set_value("doubtful")
    at.button(key="rk_submit").click().run()
    assert [e.value for e in at.error] == [
        f"未能记录：该合同已有待复核的提议 #{pid}，请先复核或撤回。"
    ]
    assert _kinds(store, "OK") == [("propose_class", "alice")]


def test_the_proposer_withdraws_their_open_proposal(risk: str, store: Engine) -> None:
    """tester's own proposal offers 撤回 (no approve); pressing it records an audited withdraw."""
    pid = _proposal_by(store, "tester", "IA")
    at = open_page("dossier", {"contract": "IA"}, roles=COMMITTEE)
    keys = {b.key for b in at.button}
    assert f"rk_withdraw_{pid}" in keys and f"rk_approve_{pid}" not in keys
    at.button(key=f"rk_withdraw_{pid}").click().run()
    assert_clean(at)
    assert any(f"已撤回提议 #{pid}" in s.value for s in at.success)
    assert _kinds(store, "IA") == [("propose_class", "tester"), ("withdraw", "tester")]


def _queue(at) -> tuple[str, list[tuple[str, str]]]:
    """The 待我复核 expander's label and its links (label, query string)."""
    expander = next(e for e in at.expander if e.label.startswith("待我复核"))
    return expander.label, [
        (link.proto.label, link.proto.query_string) for link in expander.get("page_link")
    ]


def test_awaiting_my_review_lists_others_open_proposals(risk: str, store: Engine) -> None:
    """bob's open proposal on PB is listed for tester with a dossier link; tester's own on FD is
    not; a member scoped to BJ sees none (every contract is in SH); the link's dossier offers
    tester the approval, which records it."""
    bob = _proposal_by(store, "bob", "PB")
    _proposal_by(store, "tester", "FD")
    at = open_page("at_risk", roles=COMMITTEE)
    assert_clean(at)
    _, links = _queue(at)
    listed = [(text, query) for text, query in links if f"#{bob}" in text]
    assert len(listed) == 1 and "PB" in listed[0][0] and "contract=PB" in listed[0][1]
    assert not [text for text, _ in links if "FD" in text]
    scoped = open_page("at_risk", roles=COMMITTEE, branches=("BJ",))
    assert _queue(scoped)[0] == "待我复核（0）"
    dossier = open_page("dossier", {"contract": "PB"}, roles=COMMITTEE)
    dossier.button(key=f"rk_approve_{bob}").click().run()
    assert_clean(dossier)
    assert _kinds(store, "PB") == [("propose_class", "bob"), ("approve", "tester")]


def test_executives_have_no_review_queue(risk: str) -> None:
    """Only risk-committee members review: an executive's at-risk page has no 待我复核."""
    at = open_page("at_risk", roles=("executive",))
    assert_clean(at)
    assert not [e for e in at.expander if e.label.startswith("待我复核")]
