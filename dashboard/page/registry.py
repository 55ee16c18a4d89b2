"""The registry of dashboard pages: one entry per script under `pages/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"


EVERYONE: frozenset[str] = frozenset({"executive", "risk_committee", "compliance", "admin"})
ANALYSTS: frozenset[str] = frozenset({"executive", "risk_committee", "compliance"})
ADMIN_COMPLIANCE: frozenset[str] = frozenset({"admin", "compliance"})
# The at-risk list serves the committee; executives read it (no admin: no business need).
RISK_READERS: frozenset[str] = frozenset({"risk_committee", "executive"})
# The early-warning model's monitoring: its users, and admin who keeps the model up.
MODEL_READERS: frozenset[str] = frozenset({"risk_committee", "executive", "admin"})


@dataclass(frozen=True)
class PageSpec:
    """A page: its script, title key, icon, the roles it serves and whether it opens first."""

    script: str
    title_key: str
    icon: str
    roles: frozenset[str] = ANALYSTS
    default: bool = False

    @property
    def path(self) -> Path:
        """Absolute path of the page script."""
        return PAGES_DIR / self.script


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home.py", "page.home", ":material/home:", EVERYONE, default=True),
    PageSpec("overview.py", "page.overview", ":material/dashboard:"),
    PageSpec("overdue.py", "page.overdue", ":material/warning:"),
    PageSpec("vintage.py", "page.vintage", ":material/stacked_line_chart:"),
    PageSpec("migration.py", "page.migration", ":material/swap_vert:"),
    PageSpec("contracts.py", "page.contracts", ":material/list_alt:"),
    PageSpec("collections.py", "page.collections", ":material/support_agent:"),
    PageSpec("early_warning.py", "page.early_warning", ":material/notifications_active:"),
    # Admin's alerts are the model's (model.psi, model.auc): the inbox is everyone's.
    PageSpec("alerts.py", "page.alerts", ":material/notifications:", EVERYONE),
    PageSpec("tasks.py", "page.tasks", ":material/checklist:", EVERYONE),
    PageSpec("at_risk.py", "page.at_risk", ":material/crisis_alert:", RISK_READERS),
    PageSpec("dossier.py", "page.dossier", ":material/folder_open:"),
    PageSpec(
        "model_monitoring.py", "page.model_monitoring", ":material/monitoring:", MODEL_READERS
    ),
    PageSpec("audit.py", "page.audit", ":material/policy:", frozenset({"admin", "compliance"})),
    PageSpec("filing.py", "page.filing", ":material/assignment:", frozenset({"compliance"})),
    PageSpec("rectification.py", "page.rectification", ":material/task_alt:", EVERYONE),
    PageSpec("data_quality.py", "page.data_quality", ":material/fact_check:", ADMIN_COMPLIANCE),
    PageSpec("users.py", "page.users", ":material/manage_accounts:", frozenset({"admin"})),
    PageSpec("task_strategy.py", "page.task_strategy", ":material/rule:", frozenset({"admin"})),
    PageSpec("subscriptions.py", "page.subscriptions", ":material/mail:", EVERYONE),
)


def page_spec(script: str) -> PageSpec:
    """The registry entry of `script` (ValueError if it is not a registered page)."""
    for spec in PAGES:
        if spec.script == script:
            return spec
    raise ValueError(f"unregistered page {script!r}")


def page_path(script: str) -> str:
    """The absolute path of a registered page script, as st.page_link / st.switch_page take it."""
    if script not in {p.script for p in PAGES}:
        raise ValueError(f"unregistered page {script!r}")
    return str(PAGES_DIR / script)
