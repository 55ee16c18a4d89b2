"""Problems found in an extract: where (file, row, column) and what, and how the CLI prints them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from warehouse.extract_text import printable

# Problems listed per check (per file and column); the rest are counted in one closing line so a
# badly broken 40-million-row file cannot exhaust memory.
CAP = 1000


@dataclass(frozen=True)
class Problem:
    """One problem in an extract.

    `file` is the CSV file name (`contracts.csv`) or `book.xlsx:contracts` for a sheet; `row` is
    the line in that file with the header as row 1 (None for a whole file or column); `column` is
    the column name ("" when the problem is not about one column).
    """

    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        """`file:row:column: message`, control characters from the extract written as escapes."""
        where = [self.file]
        if self.row is not None:
            where.append(str(self.row))
        if self.column:
            where.append(self.column)
        return printable(f"{':'.join(where)}: {self.message}")


class ExtractError(Exception):
    """The extract has problems; nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(problems, key=_sort_key)
        super().__init__(f"{len(self.problems)} problem(s) in the extract")


def _sort_key(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, -1 if p.row is None else p.row, p.column, p.message)


def format_problems(problems: Iterable[Problem], limit: int = 200) -> str:
    """The problems as `file:row:column: message` lines, sorted, at most `limit` of them."""
    ordered = sorted(problems, key=_sort_key)
    lines = [str(p) for p in ordered[:limit]]
    if len(ordered) > limit:
        lines.append(f"... and {len(ordered) - limit} more")
    return "\n".join(lines)
