"""Warehouse: the one MetaData, engines, extract loading, the month-end build, the demo book."""
