"""The alert tests build hand-worked books with the queries' `build` fixture."""

from tests.queries.conftest import build  # noqa: F401  (a fixture, used by name)
