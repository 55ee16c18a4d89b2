"""A built warehouse for the analytics page tests, and helpers to drive the app with AppTest.

The book is `tests.queries.books.portfolio_book` (figures worked out in its docstring), built
to 2024-06-30 with a load record. Hand-checked figures the pages must show:
- June (the default as-of): open = A only, outstanding 5,000 = 0.50 万元, A at DPD 112 (M4,
  substandard), so NPL ratio and 30+ rate are 100.00%.
- May: A 5,000 (M3, special_mention) + B 12,000 (M4, substandard) = 1.70 万元 over 2 contracts;
  NPL ratio 12,000 ÷ 17,000 = 70.59%.
- March: A 5,000 + B 12,000 + C 1,500 = 1.85 万元 over 3; product sale_leaseback: C, 0.15 万元.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qs

from streamlit.testing.v1 import AppTest

from tests.load_record import record_load
from tests.queries.books import portfolio_book
from tests.signin import sign_in
from tests.warehouse.book import Book, build_book

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
AS_OF = date(2024, 6, 30)


def build_analytics_warehouse(url: str, book: Book | None = None) -> None:
    """Build the portfolio book (or `book`) to June 2024 at `url` and record a load for it."""
    build_book(url, book or portfolio_book(), AS_OF.isoformat())
    record_load(
        url,
        as_of=AS_OF,
        # stored naive UTC, as the loader records it: 10:00 in Beijing
        loaded_at=datetime(2024, 7, 1, 2, 0, tzinfo=UTC).replace(tzinfo=None),
        institution="测试融资租赁有限公司",
        source="book",
        sha256="0" * 64,
        contracts=3,
        build_seconds=0.1,
    )


def open_page(
    page: str,
    params: dict[str, str | list[str]] | None = None,
    *,
    roles: tuple[str, ...] = ("executive",),
    branches: tuple[str, ...] | None = None,
) -> AppTest:
    """Sign in with `roles` (and branch scope), run the app, switch to `pages/<page>.py`."""
    at = AppTest.from_file(str(APP), default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    sign_in(at, roles=roles, branches=branches)
    at.run()
    return at.switch_page(f"../pages/{page}.py").run()


def metrics(at: AppTest) -> dict[str, str]:
    """Metric label (before the basis) -> shown value."""
    return {m.label.split(" · ")[0]: m.value for m in at.metric}


def links(at: AppTest) -> list[str]:
    """Labels of the page links drawn in the main area."""
    return [el.proto.label for el in at.main.get("page_link")]


def assert_clean(at: AppTest) -> None:
    """No exception element and no error message on the page."""
    assert not at.exception, [e.value for e in at.exception]


def link_params(at: AppTest, label: str) -> dict[str, list[str]]:
    """The query params of the first main-area page link labelled `label`."""

    for el in at.main.get("page_link"):
        if el.proto.label == label:
            return parse_qs(el.proto.query_string)
    raise AssertionError(f"no link {label!r} among {links(at)}")


def table_text(at: AppTest) -> str:
    """Every shown dataframe cell as one text blob."""
    return "\n".join(df.value.astype(str).to_csv() for df in at.dataframe)
