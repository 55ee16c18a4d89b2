"""The early-warning score: which performing contracts will be 90+ DPD within 6 months, and why.

`data` reads the month-end features (`warehouse.marts.ew_features`), `scorecard` is the
explainable champion (monotone WoE bins + logistic regression), `challenger` the gradient-boosted
tree model with monotone constraints, `metrics` the discrimination, calibration and stability
measures, `backtest` the out-of-time evaluation and `report` its page in docs/early-warning.md.
No Streamlit here; optbinning, scikit-learn and LightGBM are imported only when a model is fitted
or used, so importing this package is cheap.
"""
