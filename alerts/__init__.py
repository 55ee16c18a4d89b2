"""Alerts: the rules that watch the figures the dashboard shows, and the state each alert is in.

`rules` is the registry (data, thresholds from the settings), `evaluate` reads each rule's figure
through the same `queries` functions the pages call, and `state` decides, from one observation
after another, when an alert fires, stays quiet and resolves (grace period and hysteresis). The
portal store keeps the alerts (`warehouse.portal.alerts`). Nothing here imports Streamlit.
"""
