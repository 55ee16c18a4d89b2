"""queries.search: scope, what each role may match, LIKE escaping, hostile text, on DuckDB and
PostgreSQL (`db_url`), over `tests.queries.search_book` (answers in its docstring)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.engine import Engine

from queries.filters import Filters
from queries.search import MAX_RESULTS, clean_text, like_pattern, listed, search
from tests.queries.search_book import search_book
from tests.warehouse.book import build_book
from warehouse.engine import create_warehouse_engine

AS_OF = date(2024, 6, 30)
EVERY = Filters(as_of=AS_OF)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """The search book built to June 2024."""
    build_book(db_url, search_book(), "2024-06-30")
    engine = create_warehouse_engine(db_url)
    yield engine
    engine.dispose()


def _ids(engine: Engine, text: str, personal: bool = True, filters: Filters = EVERY) -> list[str]:
    return list(search(engine, filters, text=text, personal=personal)["contract_id"])


def test_contract_number_name_and_id_number_find_the_contract(engine: Engine) -> None:
    """A personal-data role: contract number (any case), part of a name, the whole ID number."""
    assert _ids(engine, "b") == ["B"]
    assert _ids(engine, "三丰") == ["A"]
    assert _ids(engine, "华东机械") == ["B"]
    assert _ids(engine, "110101199001011234") == ["A"]
    assert _ids(engine, "91310000ma1k000001") == ["B"]
    assert _ids(engine, "1101011990") == []  # part of an ID number is not enough
    row = search(engine, EVERY, text="三丰", personal=True).iloc[0]
    assert (row["lessee_name"], row["lessee_type"], row["branch"]) == ("张三丰", "individual", "SH")


def test_without_personal_data_no_id_number_and_no_individuals_name(engine: Engine) -> None:
    """Executive-like search: an individual's name or any ID number finds nothing; a corporate
    name and contract numbers still work."""
    assert _ids(engine, "张三丰", personal=False) == []
    assert _ids(engine, "李四", personal=False) == []
    assert _ids(engine, "110101199001011234", personal=False) == []
    assert _ids(engine, "91310000MA1K000001", personal=False) == []
    assert _ids(engine, "华东", personal=False) == ["B"]
    # "a": contract A exactly, then B by its corporate name (…evil.example…); exact match first
    assert _ids(engine, "a", personal=False) == ["A", "B"]


def test_branch_scope_limits_the_matches(engine: Engine) -> None:
    """Scoped to SH, B (BJ) is never found; an empty scope finds nothing."""
    sh = Filters(as_of=AS_OF, scope=("SH",))
    assert _ids(engine, "b", filters=sh) == []
    assert _ids(engine, "华东", filters=sh) == []
    assert _ids(engine, "c", filters=sh) == ["C"]
    assert _ids(engine, "c", filters=Filters(as_of=AS_OF, scope=())) == []
    assert list(listed(engine, sh, contract_ids=("A", "B", "NOPE"))["contract_id"]) == ["A"]


def test_like_wildcards_match_themselves(engine: Engine) -> None:
    """'%_' is in LC's name only; '__' and '%%' are in no name nor contract number."""
    assert like_pattern("a%b_c!") == "%a!%b!_c!!%"
    assert _ids(engine, "%_") == ["C"]
    assert _ids(engine, "__") == []
    assert _ids(engine, "%%") == []
    assert _ids(engine, "!") == []


def test_hostile_text_stays_inert(engine: Engine) -> None:
    """Control and format characters are dropped before matching; quotes, markup and formulas
    are plain text that matches nothing; long text is capped."""
    assert clean_text("\x00张\x1b三\u202e丰\n") == "张三丰"
    assert _ids(engine, "\x00张\x1b三\u202e丰\n") == ["A"]
    for hostile in ("' OR 1=1 --", "<script>alert(1)</script>", '=HYPERLINK("x")', "\x00\x07"):
        assert _ids(engine, hostile) == []
    assert len(clean_text("x" * 500)) == 64
    assert _ids(engine, "[链接](http://evil.example)") == ["B"]  # the stored text, as text


def test_results_are_capped(engine: Engine) -> None:
    """At most MAX_RESULTS + 1 rows (the extra says there are more)."""
    assert len(search(engine, EVERY, text="", personal=True)) == 0
    assert len(search(engine, EVERY, text="1", personal=True)) <= MAX_RESULTS + 1
