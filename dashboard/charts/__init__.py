"""Plotly figure builders (pure: DataFrame in, figure out)."""
