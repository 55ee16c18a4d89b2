"""The departments that own work (tasks and rectification items): codes and their names.

The codes live with the table that stores them (`warehouse.portal.departments`, so the portal
store can refuse an unknown one without importing this layer); this module is where the rest of
the project reads them, with their names: Chinese first, English as the switch.
"""

from __future__ import annotations

from warehouse.portal.departments import DEPARTMENTS, check_department, is_department

__all__ = ["DEPARTMENTS", "check_department", "department_name", "is_department"]


def department_name(code: str | None, lang: str = "zh") -> str:
    """The department's name in `lang` ("zh" or "en"); an unknown code is shown as given."""
    if code is None:
        return ""
    names = DEPARTMENTS.get(code)
    if names is None:
        return code
    return names[1] if lang == "en" else names[0]
