"""Cached loaders: the only path from pages to `queries/` and the portal store."""
