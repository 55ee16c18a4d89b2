"""The segment columns (`warehouse.schema.SEGMENT_COLUMNS`) as SQL text for the build steps.

The build copies the segments onto the mart and every summary; spelling the list here from the
schema's one tuple keeps the steps and the tables in step when a segment is added.
"""

from __future__ import annotations

from warehouse.schema import SEGMENT_COLUMNS


def segment_list(alias: str = "") -> str:
    """The segment columns comma-separated, each as `alias.name` when an alias is given."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(f"{prefix}{name}" for name in SEGMENT_COLUMNS)


SEGMENTS = segment_list()
