"""A small book for the contract search: names and ID numbers chosen to test masking and escaping.

`tests.access.books.branch_book` (A and C in branch SH, B in BJ) with these lessees:
- LA (contract A, SH): individual 张三丰, ID 110101199001011234;
- LB (contract B, BJ): corporate 华东机械[链接](http://evil.example)*有限公司*,
  ID 91310000MA1K000001;
- LC (contract C, SH): individual 100%_李四, ID 310101198001015678.
`%` and `_` appear only in LC's name, so a search for "%_" finds C alone when the wildcards are
escaped (unescaped, it would match every name); "__" finds nothing.
"""

from __future__ import annotations

from tests.access.books import branch_book
from tests.warehouse.book import Book

LESSEES = {
    "LA": ("张三丰", "individual", "110101199001011234"),
    "LB": ("华东机械[链接](http://evil.example)*有限公司*", "corporate", "91310000MA1K000001"),
    "LC": ("100%_李四", "individual", "310101198001015678"),
}


def search_book() -> Book:
    """`branch_book` with the lessees above."""
    book = branch_book()
    for lessee in book.lessees:
        name, kind, number = LESSEES[lessee["lessee_id"]]
        lessee.update(name=name, lessee_type=kind, id_number=number)
    return book
