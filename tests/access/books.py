"""The dashboard tests' analytics book with contract B moved to a second branch.

`tests.queries.books.portfolio_book` (worked out in its docstring) puts every contract in branch
SH; here B is booked in branch BJ, so per branch (amounts in yuan):
- May 2024: SH = A 5,000 (1 open contract); BJ = B 12,000 (1 open contract); all = 17,000 (2).
- June 2024 (the as-of): SH = A 5,000 (1 open); BJ = B written off in June: nothing open, 0.
- March 2024: SH = A 5,000 + C 1,500 = 6,500 (2 open); BJ = B 12,000 (1 open).
An empty scope sees nothing at any month: 0 contracts, 0 yuan.
"""

from __future__ import annotations

from tests.dashboard.analytics_app import AS_OF, build_analytics_warehouse
from tests.queries.books import portfolio_book
from tests.warehouse.book import Book

__all__ = ["AS_OF", "branch_book", "build_branch_warehouse"]


def branch_book() -> Book:
    """`portfolio_book` with contract B in branch BJ (A and C stay in SH)."""
    book = portfolio_book()
    for contract in book.contracts:
        if contract["contract_id"] == "B":
            contract["branch"] = "BJ"
    return book


def build_branch_warehouse(url: str) -> None:
    """Build `branch_book` to June 2024 at `url` with a load record (as the dashboard tests do)."""
    build_analytics_warehouse(url, branch_book())
