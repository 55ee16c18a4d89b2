"""Monitoring the model in force: discrimination, calibration and stability per scored month-end.

The figures come from `queries.model_monitoring` (aggregated in the database); stability is PSI
against the training reference the card keeps (`early_warning.reference`): of the score at every
scored month-end, and of each feature at one month-end (counted by the build while scoring, in
`ew_feature_bins`, or offline from the month-end's feature statement). A card written before
references were stored has none: stability is then said to be unavailable, in words, and the
other figures are shown. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from early_warning.reference import CATEGORICAL, NUMERIC, of_card, psi_from_counts
from early_warning.registry import Registry, RegistryError
from queries.filters import Filters
from queries.model_monitoring import (
    FeatureBins,
    computed_feature_bins,
    performance,
    score_bins,
)

# The usual reading of a PSI: below 0.1 stable, 0.1–0.25 watch, above 0.25 shifted.
PSI_WATCH, PSI_SHIFT = 0.10, 0.25
CARD_FIELDS: tuple[str, ...] = (
    "version",
    "status",
    "purpose",
    "limits",
    "trained_by",
    "trained_at",
    "approved_by",
    "approved_at",
)


@dataclass(frozen=True)
class ModelInForce:
    """The approved version the build scores with, its card and its training reference."""

    version: str
    card: dict[str, Any]

    @property
    def reference(self) -> dict[str, Any] | None:
        """The card's training reference; None for a card written before it was stored."""
        return of_card(self.card)


def model_in_force(root: Path) -> ModelInForce | None:
    """The latest approved version under `root` with its card; None when none is approved (or
    the folder cannot be read as a registry)."""
    registry = Registry(root)
    try:
        version = registry.in_force()
        return None if version is None else ModelInForce(version, registry.card(version))
    except (RegistryError, OSError, ValueError, KeyError):
        return None


def psi_band(value: float | None) -> str | None:
    """ "stable", "watch" or "shifted" for a PSI (None when there is none)."""
    if value is None or pd.isna(value):
        return None
    return "shifted" if value > PSI_SHIFT else "watch" if value > PSI_WATCH else "stable"


def score_stability(
    engine: Engine, filters: Filters, version: str, reference: Mapping[str, Any]
) -> pd.DataFrame:
    """Per scored month-end: rows scored and PSI of the score against the training deciles."""
    ref = reference["score"]
    edges = tuple(float(e) for e in ref["edges"])
    counted = score_bins(engine, filters, version=version, edges=edges)
    return psi_by_month(counted, ref)


def psi_by_month(counted: pd.DataFrame, ref: Mapping[str, Any]) -> pd.DataFrame:
    """PSI per month-end of rows counted per bin (`month_end`, `bin`, `rows`) against `ref`."""
    out = []
    size = len(ref["edges"]) + 2  # the bins, then missing (never for a score)
    for month, part in counted.groupby("month_end", sort=True):
        counts = np.zeros(size)
        for b, n in zip(part["bin"], part["rows"], strict=True):
            counts[int(b)] += int(n)
        psi = psi_from_counts(ref, counts)
        out.append({"month_end": month, "rows": int(counts.sum()), "psi": psi})
    frame = pd.DataFrame(out, columns=["month_end", "rows", "psi"])
    frame["psi_band"] = [psi_band(v) for v in frame["psi"]]
    return _nones(frame)


def feature_spec(reference: Mapping[str, Any]) -> FeatureBins:
    """The reference's features as `queries.model_monitoring.computed_feature_bins` takes them."""
    spec = []
    for name, ref in sorted(reference["features"].items()):
        if ref["kind"] == NUMERIC:
            spec.append((name, NUMERIC, tuple(float(e) for e in ref["edges"])))
        elif ref["kind"] == CATEGORICAL:
            spec.append((name, CATEGORICAL, tuple(str(v) for v in ref["values"])))
    return tuple(spec)


def feature_stability_from(counted: pd.DataFrame, reference: Mapping[str, Any]) -> pd.DataFrame:
    """PSI of each feature of the reference from its rows counted per bin, largest first; a
    feature the month-end's statement no longer has is listed with no PSI."""
    rows = []
    for name, ref in reference["features"].items():
        part = counted[counted["feature"] == name]
        if part.empty:
            rows.append({"feature": name, "rows": None, "psi": None})
            continue
        counts = part.sort_values("bin")["rows"].to_numpy(dtype=np.float64)
        rows.append(
            {"feature": name, "rows": int(counts.sum()), "psi": psi_from_counts(ref, counts)}
        )
    frame = pd.DataFrame(rows, columns=["feature", "rows", "psi"])
    frame["psi_band"] = [psi_band(v) for v in frame["psi"]]
    order = frame["psi"].astype(float).fillna(-1.0)
    frame = (
        frame.assign(_o=order)
        .sort_values(["_o", "feature"], ascending=[False, True])
        .drop(columns="_o")
        .reset_index(drop=True)
    )
    return _nones(frame)


def _nones(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing cells as None (a PSI or a count that is not there), typed cells kept."""
    return frame.astype(object).where(frame.notna(), None)


def feature_stability(
    engine: Engine, filters: Filters, reference: Mapping[str, Any]
) -> pd.DataFrame:
    """PSI of each feature at the filters' month-end against its training bins, computed from
    that month-end's feature statement (the cost of scoring one month-end): for a month-end the
    build did not score; the page reads the build's counts (`ew_feature_bins`)."""
    counted = computed_feature_bins(engine, filters, features=feature_spec(reference))
    return feature_stability_from(counted, reference)


def latest_known(frame: pd.DataFrame) -> dict[str, Any] | None:
    """The row of `performance` for the latest month-end whose outcome is known, with an AUC."""
    if frame.empty:
        return None
    known = frame[frame["outcome_known"].astype(bool) & frame["auc"].notna()]
    return None if known.empty else known.iloc[-1].to_dict()


def latest_psi(engine: Engine, filters: Filters, model: ModelInForce) -> dict[str, Any] | None:
    """The score PSI at the filters' month-end (None without a reference or scores there)."""
    if model.reference is None:
        return None
    month = Filters(as_of=filters.as_of)
    table = score_stability(engine, month, model.version, model.reference)
    at = table[[pd.Timestamp(m).date() == filters.as_of for m in table["month_end"]]]
    return None if at.empty or at.iloc[0]["psi"] is None else at.iloc[0].to_dict()


def latest_auc(engine: Engine, filters: Filters, version: str) -> dict[str, Any] | None:
    """The AUC of the latest month-end up to the filters' whose 6-month outcome is known."""
    return latest_known(performance(engine, Filters(as_of=filters.as_of), version=version))
