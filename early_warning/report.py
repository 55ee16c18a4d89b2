"""The backtest as Markdown, written into docs/early-warning.md between two markers.

Pure rendering (`render`): a `Backtest` in, text out; `write_section` replaces the text between
`BEGIN` and `END` in a file (appending them the first time), leaving the rest of the file as is.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from early_warning.backtest import Backtest, Scores
from early_warning.reasons import reason_text
from warehouse.months import month_end_of

BEGIN = "<!-- backtest: written by `postloan model evaluate`; do not edit by hand -->"
END = "<!-- end of backtest -->"
TITLES = {"scorecard": "scorecard (champion)", "lightgbm": "LightGBM (challenger)"}


def _n(x: float, digits: int = 3) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _pct(x: float) -> str:
    return "—" if math.isnan(x) else f"{100 * x:.1f}%"


def _month(idx: int) -> str:
    return f"{month_end_of(idx):%Y-%m}"


def _scores_row(label: str, s: Scores) -> str:
    rate = s.defaults / s.rows if s.rows else math.nan
    return (
        f"| {label} | {s.rows:,} | {s.defaults:,} | {_n(s.auc)} | {_n(s.ks)} | {_n(s.gini)} | "
        f"{_n(s.brier, 4)} | {_pct(s.mean_predicted)} | {_pct(rate)} | {_pct(s.top_capture)} |"
    )


def _deciles(table: pd.DataFrame) -> list[str]:
    lines = ["| decile | rows | defaults | predicted | observed |", "|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(
            f"| {r.group} | {r.rows:,} | {int(r.defaults):,} | {_pct(r.predicted)} | "
            f"{_pct(r.observed)} |"
        )
    return lines


def render(bt: Backtest, source: str, seconds: float | None = None) -> str:
    """The backtest section of docs/early-warning.md."""
    w = bt.window
    rate = bt.train_defaults / bt.train_rows if bt.train_rows else math.nan
    out = [
        BEGIN,
        "## Backtest on the demo book",
        "",
        f"Written by `postloan model evaluate` from {source}, built to {_month(w.built_to)}. "
        f"Training: the month-ends up to {_month(w.train_last)} ({bt.train_rows:,} "
        f"contract-months, {bt.train_defaults:,} defaults, {_pct(rate)}); test: "
        f"{_month(w.test_first)} … {_month(w.test_last)}, month-ends no training row saw "
        "(not even as an outcome).",
        "",
        "| model, rows | rows | defaults | AUC | KS | Gini | Brier | mean predicted | observed "
        "| top-decile capture |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in bt.runs:
        title = TITLES.get(r.name, r.name)
        out.append(_scores_row(f"{title}, test", r.test))
        out.append(_scores_row(f"{title}, test at DPD 0", r.dpd0))
        out.append(_scores_row(f"{title}, training", r.train))
    fit = ", ".join(f"{TITLES.get(r.name, r.name)} {r.seconds:.0f} s" for r in bt.runs)
    out += ["", f"Fitting time: {fit}" + (f"; whole run {seconds:.0f} s." if seconds else ".")]
    for r in bt.runs:
        out += ["", f"### {TITLES.get(r.name, r.name)}: observed vs predicted by decile (test)", ""]
        out += _deciles(r.test.deciles)
    if not bt.lead.empty:
        out += [
            "",
            "### Lead time",
            "",
            "Contracts first over 30 or 90 DPD (or written off) at a month-end whose six "
            "month-ends before were all scored; lead = months from the first of those at which "
            "the contract was flagged (0: not flagged). The score flags its riskiest tenth (the "
            "training scores' 90th centile), or as many rows as the watch rules flag; the watch "
            "rules are the committee's current ones. The look-back is 6 month-ends, so 6 is the "
            "longest lead measured.",
            "",
            "| first | flagged by | contracts | flagged before | median lead | ≥ 3 months ahead "
            "| rows flagged |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in bt.lead.itertuples():
            name, _, rest = r.flagger.partition(" at ")
            flagger = TITLES.get(name, name) + (f" at {rest}" if rest else "")
            out.append(
                f"| {r.event} | {flagger} | {r.events:,} | "
                f"{_pct(r.flagged)} | {_n(r.median_lead, 1)} | {_pct(r.lead_3)} | "
                f"{_pct(r.flag_rate)} |"
            )
    out += ["", "### Stability", "", "PSI of the score, each test month against training:", ""]
    months = sorted({m for r in bt.runs for m in r.score_psi})
    out.append("| model | " + " | ".join(_month(m) for m in months) + " |")
    out.append("|---|" + "---|" * len(months))
    for r in bt.runs:
        cells = " | ".join(_n(r.score_psi.get(m, math.nan)) for m in months)
        out.append(f"| {TITLES.get(r.name, r.name)} | {cells} |")
    above = int((bt.feature_psi > 0.25).sum())
    watch = int(((bt.feature_psi > 0.1) & (bt.feature_psi <= 0.25)).sum())
    out += [
        "",
        f"PSI of each feature, test against training: {above} above 0.25 (shifted), {watch} "
        "between 0.1 and 0.25 (watch); the ten largest:",
        "",
        "| feature | PSI |",
        "|---|---|",
    ]
    out += [f"| `{f}` | {_n(v)} |" for f, v in bt.feature_psi.head(10).items()]
    out += ["", "### Reasons", "", "The first reason most often given on the test rows:", ""]
    out += ["| model | reason | 原因 | rows |", "|---|---|---|---|"]
    for r in bt.runs:
        for key, count in r.reasons.head(5).items():
            out.append(
                f"| {TITLES.get(r.name, r.name)} | {reason_text(key, 'en')} | "
                f"{reason_text(key, 'zh')} | {count:,} |"
            )
    if not bt.scorecard_table.empty:
        t = bt.scorecard_table
        out += ["", "### The scorecard's features", ""]
        out += ["| feature | bins | term range (log-odds) |", "|---|---|---|"]
        for f, g in t.groupby("feature", sort=False):
            out.append(f"| `{f}` | {len(g)} | {g.term.min():.2f} … {g.term.max():.2f} |")
    out += [*bt.notes, END]
    return "\n".join(out) + "\n"


def write_section(path: Path, section: str) -> None:
    """Replace the text between `BEGIN` and `END` in `path` with `section` (or append it)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")
