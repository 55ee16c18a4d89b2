"""Data checks: GX suites as code over the warehouse, a runner and a store for the runs.

`run_checks(engine, as_of=None, progress=None) -> CheckRun` runs every check of
`suites.all_checks()`; `store.save_run(url, run)` records it. Nothing here imports Streamlit.
"""
