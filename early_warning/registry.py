"""The model registry: one folder per version with its model card and its fitted models.

A version is trained and *proposed* by one person (`postloan model train`) and *approved* by a
second (`postloan model promote`, maker-checker: the approver must differ from the trainer);
the approved version in force is the latest approved one. `card.json` holds the version, who
trained and approved it and when, the training data's fingerprint and window, the features, the
scorecard's bins and coefficients, the backtest's measures and the card text (purpose, data,
limits). `models.pkl` holds the fitted scorecard and challenger; its SHA-256 is in the card and
checked before it is read, so a changed or swapped file is refused rather than loaded. The folder
is written only by `postloan model train`; it is not a place for files from elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warehouse.settings import ROOT, Settings

PROPOSED, APPROVED = "proposed", "approved"
CARD, MODELS = "card.json", "models.pkl"
VERSION = re.compile(r"ew-\d{4}")


DEFAULT_ROOT = Path("data") / "models"


def registry_root(settings: Settings) -> Path:
    """The registry folder of the `early_warning.registry` setting (default `data/models`); a
    relative path is under the project folder, wherever the command runs."""
    path = Path(str(settings["early_warning.registry"] or DEFAULT_ROOT))
    return path if path.is_absolute() else ROOT / path


class RegistryError(ValueError):
    """A registry act that is not allowed (unknown version, same person, wrong state)."""


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Registry:
    """The versions under one folder (default `data/models`)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def versions(self) -> list[str]:
        """Every version, oldest first."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if VERSION.fullmatch(p.name))

    def card(self, version: str) -> dict[str, Any]:
        """The model card of `version`."""
        path = self._folder(version) / CARD
        return json.loads(path.read_text(encoding="utf-8"))

    def propose(self, models: dict[str, Any], card: dict[str, Any], actor: str) -> str:
        """Store fitted `models` with their `card` as a new proposed version; returns it."""
        taken = [int(v[3:]) for v in self.versions()]
        version = f"ew-{max(taken, default=0) + 1:04d}"
        folder = self.root / version
        folder.mkdir(parents=True, exist_ok=False)
        blob = pickle.dumps(models, protocol=pickle.HIGHEST_PROTOCOL)
        (folder / MODELS).write_bytes(blob)
        full = {
            **card,
            "version": version,
            "status": PROPOSED,
            "trained_by": actor,
            "trained_at": _now(),
            "approved_by": None,
            "approved_at": None,
            "models_sha256": hashlib.sha256(blob).hexdigest(),
        }
        self._write(version, full)
        return version

    def approve(self, version: str, actor: str) -> dict[str, Any]:
        """Approve a proposed version by a second person; returns its card."""
        card = self.card(version)
        if card["status"] != PROPOSED:
            raise RegistryError(f"{version} is {card['status']}, not proposed")
        if actor == card["trained_by"]:
            raise RegistryError(
                f"{version} was trained by {actor}; a second person must approve it"
            )
        card.update(status=APPROVED, approved_by=actor, approved_at=_now())
        self._write(version, card)
        return card

    def in_force(self) -> str | None:
        """The latest approved version, None when none is."""
        approved = [v for v in self.versions() if self.card(v)["status"] == APPROVED]
        return approved[-1] if approved else None

    def load(self, version: str) -> dict[str, Any]:
        """The fitted models of `version`, after checking their file against the card."""
        card = self.card(version)
        blob = (self._folder(version) / MODELS).read_bytes()
        if hashlib.sha256(blob).hexdigest() != card["models_sha256"]:
            raise RegistryError(f"{version}: {MODELS} does not match its card; not loaded")
        # The digest above ties the file to the card the registry wrote.
        return pickle.loads(blob)  # noqa: S301

    def _folder(self, version: str) -> Path:
        if not VERSION.fullmatch(version) or not (self.root / version).is_dir():
            raise RegistryError(f"no model version {version!r} in {self.root}")
        return self.root / version

    def _write(self, version: str, card: dict[str, Any]) -> None:
        path = self.root / version / CARD
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(card, ensure_ascii=False, indent=2, default=str), "utf-8")
        tmp.replace(path)
