"""Labels of departments on the users page and of the rectification ledger (整改台账)."""

from __future__ import annotations

from dashboard.i18n.analytics import zh_en

RECTIFICATION: dict[str, dict[str, str]] = zh_en(
    {
        # departments of users (用户管理)
        "users.department": ("所属部门", "Department"),
        "users.no_department": ("（无部门）", "(no department)"),
        "users.set_department": ("设置部门", "Set department"),
        "users.err.unknown_department": (
            "未知部门：{department}；可选：{choices}。",
            "Unknown department {department}; choose from {choices}.",
        ),
        "col.department": ("部门", "Department"),
    }
)
