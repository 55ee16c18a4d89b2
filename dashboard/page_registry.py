"""The registry of dashboard pages: one entry per script under `pages/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"


@dataclass(frozen=True)
class PageSpec:
    """A page: its script, catalogue key of its title, icon and whether it opens first."""

    script: str
    title_key: str
    icon: str
    default: bool = False

    @property
    def path(self) -> Path:
        """Absolute path of the page script."""
        return PAGES_DIR / self.script


PAGES: tuple[PageSpec, ...] = (PageSpec("home.py", "page.home", ":material/home:", default=True),)
