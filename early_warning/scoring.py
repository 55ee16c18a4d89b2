"""The build's early-warning step: the approved version scores the performing contracts.

`score_build` is the `warehouse.marts.ew_scores.Scorer` that `postloan load` and `postloan build`
hand to the build. It finds the version in force in the registry of the `early_warning.registry`
setting, loads it (its file checked against the card's SHA-256), checks that the warehouse still
computes every feature it uses, and scores the last `early_warning.score_months` month-ends with
the champion (the scorecard) and its three reasons — the same `predict` and `reasons` that
`postloan model score` applies (`early_warning.train.score`) — counting the same feature rows per
bin of the card's training reference (`early_warning.reference.feature_bin_rows`) for 模型监控.
No approved version, a file that fails its check or cannot be read, or a feature the warehouse
lost: nothing is written, one line says why, and the registry is left as it was (the approved
version stays the one in force).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy.engine import Connection

from early_warning.data import NotEnoughData, typed
from early_warning.reference import CATEGORICAL, feature_bin_rows, of_card
from early_warning.registry import Registry, RegistryError, registry_root
from early_warning.train import check_features
from queries import model_monitoring
from queries.filters import Filters
from warehouse.marts import ew_scores
from warehouse.marts.ew_features import FEATURES, KEY_COLUMNS
from warehouse.settings import Settings


class Prepared:
    """The typed rows (`early_warning.data.typed`) of the chunk last seen: the champion and the
    bin counter read the same chunk of features, converted once."""

    def __init__(self) -> None:
        self._raw: pd.DataFrame | None = None
        self._rows: pd.DataFrame | None = None

    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The typed rows of `frame`."""
        if frame is not self._raw or self._rows is None:
            self._raw, self._rows = frame, typed(frame)
        return self._rows


def apply_champion(
    models: dict[str, Any], prepare: Callable[[pd.DataFrame], pd.DataFrame] = typed
) -> ew_scores.Apply:
    """The function that turns a feature frame into the champion's score and three reasons."""
    champion = models["scorecard"]

    def apply(frame: pd.DataFrame) -> pd.DataFrame:
        rows = prepare(frame)
        reasons = champion.reason_columns(rows, len(ew_scores.REASONS))
        out = pd.DataFrame({"score": champion.predict(rows)}, index=rows.index)
        for name, keys in zip(ew_scores.REASONS, reasons, strict=True):
            out[name] = keys
        return out

    return apply


def bin_counter(
    card: dict[str, Any], prepare: Callable[[pd.DataFrame], pd.DataFrame] = typed
) -> ew_scores.CountBins | None:
    """The function that counts a feature frame per bin of the card's training reference (None:
    a card written before references were kept): numbers as the typed rows hold them (float64,
    as SQL's cast to double), segments as read (a missing segment stays missing, in no bin)."""
    reference = of_card(card)
    features = (reference or {}).get("features")
    if not features:
        return None

    def count(frame: pd.DataFrame) -> pd.DataFrame:
        rows = prepare(frame)
        columns = {"month_idx": rows["month_idx"]}
        for name, ref in features.items():
            source = frame if ref["kind"] == CATEGORICAL else rows
            if name in source.columns:
                columns[name] = source[name]
        return feature_bin_rows(pd.DataFrame(columns, copy=False), features)

    return count


def _refused(version: str | None, why: str) -> ew_scores.Scoring:
    return ew_scores.Scoring(ew_scores.REFUSED, version, detail=why)


def store_monitoring(
    conn: Connection, version: str, as_of: date, card: dict[str, Any] | None = None
) -> None:
    """Replace 模型监控's stored figures with `version`'s at the build's as-of, every scored and
    carried-over month-end (`queries.model_monitoring.store_figures`, run in the database); the
    score's bins only when `card` keeps a training reference."""
    for table in model_monitoring.FIGURE_TABLES:
        table.create(conn, checkfirst=True)  # a warehouse built before them
        conn.execute(table.delete())
    reference = of_card(card) if card is not None else None
    edges = None if reference is None else tuple(float(e) for e in reference["score"]["edges"])
    for stmt in model_monitoring.store_figures(Filters(as_of=as_of), version, edges):
        conn.execute(stmt)


def score_build(conn: Connection, settings: Settings, as_of: date) -> ew_scores.Scoring:
    """Score the build in `conn` with the approved version, or say in words why not."""
    began = time.perf_counter()
    root = registry_root(settings)
    registry = Registry(root)
    try:
        version = registry.in_force()
    except (RegistryError, OSError, ValueError, KeyError) as exc:
        return _refused(None, f"the model registry {root} cannot be read ({exc})")
    if version is None:
        return ew_scores.Scoring(ew_scores.NO_MODEL, detail=f"no approved model version in {root}")
    keep = f"; {version} stays the approved version, the scores are empty until it is fixed"
    try:
        models = registry.load(version)
        prepare = Prepared()
        card = registry.card(version)
        counter = bin_counter(card, prepare)
    except Exception as exc:  # any unreadable model file is refused, never fatal
        return _refused(version, f"{exc}{keep}")
    try:
        check_features(models, {*FEATURES, *KEY_COLUMNS})
    except NotEnoughData as exc:
        return _refused(version, f"{exc}{keep}")
    except (KeyError, AttributeError, TypeError) as exc:
        return _refused(version, f"{version} is not a model this build can use ({exc!r}){keep}")
    first, last = ew_scores.months_to_score(conn, settings, as_of)
    try:
        done, rows, kept, kept_rows = ew_scores.score_months(
            conn, first, last, version, apply_champion(models, prepare), counter
        )
    except ew_scores.ModelFailed as exc:
        return _refused(version, f"{version} could not score ({exc}){keep}")
    store_monitoring(conn, version, as_of, card)
    seconds = time.perf_counter() - began
    return ew_scores.scored(version, done, rows, seconds, kept, kept_rows)
