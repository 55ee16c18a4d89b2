"""The sidebar search box (AppTest): on every signed-in page for dossier roles, scoped, masked,
escaped, and each match a link that opens the dossier.

The warehouse is `tests.queries.search_book` (A and C in SH, B in BJ; answers in its docstring).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest

from tests.dashboard.analytics_app import assert_clean, build_analytics_warehouse, open_page
from tests.dashboard.app_fixtures import app_on, built_duckdb
from tests.queries.search_book import search_book

SEARCH = "postloan.search"


@pytest.fixture(scope="module")
def search_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB warehouse holding the built search book and one load record."""
    return built_duckdb(
        tmp_path_factory, "search", lambda url: build_analytics_warehouse(url, search_book())
    )


@pytest.fixture
def app(search_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at the search warehouse with empty Streamlit caches."""
    yield from app_on(search_url, monkeypatch)


def _search(page: str, text: str, **kwargs) -> tuple[object, list[tuple[str, dict]]]:
    at = open_page(page, **kwargs)
    at.sidebar.text_input(key=SEARCH).set_value(text).run()
    assert_clean(at)
    found = [
        (link.proto.label, parse_qs(link.proto.query_string))
        for link in at.sidebar.get("page_link")
        if link.proto.page == "dossier" and "contract=" in link.proto.query_string
    ]
    return at, found


def test_committee_finds_by_id_number_and_the_link_opens_the_dossier(app: str) -> None:
    """risk_committee: A by its lessee's ID number, name unmasked; the link's params open A."""
    _, found = _search("at_risk", "110101199001011234", roles=("risk_committee",))
    assert [(label, params["contract"]) for label, params in found] == [("A · 张三丰", ["A"])]
    at = open_page("dossier", {k: v[0] for k, v in found[0][1].items()}, roles=("risk_committee",))
    assert_clean(at)
    assert not at.error
    assert any("张三丰" in h.value for h in at.subheader)


def test_executive_cannot_search_personal_data_and_sees_names_masked(app: str) -> None:
    """executive: an ID number or an individual's name finds nothing; by contract number the
    individual's name is masked (张**)."""
    for text in ("110101199001011234", "张三丰"):
        at, found = _search("overview", text, roles=("executive",))
        assert found == []
        assert any("未找到匹配的合同" in c.value for c in at.sidebar.caption)
    _, found = _search("overview", "c", roles=("executive",))
    assert [label for label, _ in found] == [r"C · 1\*\*\*\*\*\*"]


def test_branch_scoped_user_finds_only_their_branches(app: str) -> None:
    """A member scoped to SH never finds B (BJ), by number or by name."""
    for text in ("b", "华东"):
        _, found = _search("at_risk", text, roles=("risk_committee",), branches=("SH",))
        assert found == []
    _, found = _search("at_risk", "华东", roles=("risk_committee",))
    assert [params["contract"] for _, params in found] == [["B"]]


def test_markup_and_wildcards_stay_inert(app: str) -> None:
    """The corporate name's markdown link and emphasis show escaped; '%_' finds C alone."""
    _, found = _search("at_risk", "华东", roles=("risk_committee",))
    label = found[0][0]
    assert r"\[链接\]\(http://evil\.example\)" in label and r"\*有限公司\*" in label
    _, found = _search("at_risk", "%_", roles=("risk_committee",))
    assert [params["contract"] for _, params in found] == [["C"]]


def test_admin_has_no_search_box(app: str) -> None:
    """admin may not open dossiers: no box in the sidebar."""
    at = open_page("users", roles=("admin",))
    assert not [w for w in at.sidebar.text_input if w.key == SEARCH]
