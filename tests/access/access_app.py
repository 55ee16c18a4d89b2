"""A warehouse with personal data and hostile text, and helpers to catch the files pages serve.

The book (built to 2024-06-30 with one load record), worked by hand:
- A: lessee LA, individual, 张三丰, ID 110101199001011234; branch BJ; 6 × 1,000 due the 10th from
  2024-02-10, pays only 02-10. June: outstanding 5,000, oldest unpaid 03-10, DPD 112.
- B: lessee LB, corporate, 上海某某物流有限公司, USCC 91310000MA1K00000X; branch
  `=HYPERLINK("http://evil.example","x")`, asset category `@SUM(1+1)`; 6 × 2,000 due the 20th
  from 2024-02-20, never pays. June: outstanding 12,000, oldest unpaid 02-20, DPD 131.
- C: lessee LC, individual, named `+cmd|' /C calc'!A0`, ID `-1+1`; branch SH; 3 × 500 from
  2024-04-05, pays 1,500 on 04-05, so it is closed in June.
Contracts past due in June (`threshold=0`): B (12,000) then A (5,000), largest first.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.dashboard.app_fixtures import built_duckdb
from tests.load_record import record_load
from tests.signin import sign_in
from tests.warehouse.book import Book, build_book, monthly
from warehouse.engine import create_warehouse_engine
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
AS_OF = "2024-06-30"
HYPERLINK = '=HYPERLINK("http://evil.example","x")'
INDIVIDUAL_NAME = "张三丰"
INDIVIDUAL_ID = "110101199001011234"
CORPORATE_NAME = "上海某某物流有限公司"
CORPORATE_ID = "91310000MA1K00000X"
FORMULA_NAME = "+cmd|' /C calc'!A0"


def access_book() -> Book:
    """The three contracts of the module docstring."""
    b = Book()
    b.contract("A", "2024-01-10", monthly("2024-02-10", 6, "1000"))
    b.pay("A", "2024-02-10", "1000")
    b.contract("B", "2024-01-20", monthly("2024-02-20", 6, "2000"))
    b.contract("C", "2024-03-05", monthly("2024-04-05", 3, "500"))
    b.pay("C", "2024-04-05", "1500")
    people = {
        "LA": (INDIVIDUAL_NAME, "individual", INDIVIDUAL_ID),
        "LB": (CORPORATE_NAME, "corporate", CORPORATE_ID),
        "LC": (FORMULA_NAME, "individual", "-1+1"),
    }
    for lessee in b.lessees:
        lessee["name"], lessee["lessee_type"], lessee["id_number"] = people[lessee["lessee_id"]]
    places = {"A": ("BJ", "truck"), "B": (HYPERLINK, "@SUM(1+1)"), "C": ("SH", "truck")}
    for contract in b.contracts:
        contract["branch"], contract["asset_category"] = places[contract["contract_id"]]
    return b


def build_access_warehouse(url: str) -> None:
    """Build the book at `url` and record a load for it."""
    build_book(url, access_book(), AS_OF)
    record_load(
        url,
        as_of=datetime(2024, 6, 30, tzinfo=UTC).date(),
        loaded_at=datetime(2024, 7, 1, 2, 0, tzinfo=UTC).replace(tzinfo=None),
        institution="测试融资租赁有限公司",
        source="book",
        sha256="0" * 64,
        contracts=3,
        build_seconds=0.1,
    )


def warehouse_fingerprint(url: str) -> dict[str, int]:
    """Row count of every warehouse table: proof that nothing was written or dropped.

    Read-only, like the app's own engine (DuckDB refuses two configurations in one process).
    """
    engine = create_warehouse_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            return {
                n: int(conn.execute(sa.select(sa.func.count()).select_from(sa.table(n))).scalar())
                for n in sorted(names)
            }
    finally:
        engine.dispose()


class Served(dict):
    """Files a page offers, by file id: bytes already served, or the button's on-click callable.

    Reading a value runs a callable once (what Streamlit does on the click: it builds the file
    and writes the audit row) and keeps its bytes.
    """

    def __getitem__(self, file_id: str) -> bytes:
        value = super().__getitem__(file_id)
        if callable(value):
            value = value()
            self[file_id] = value
        return value

    def values(self):  # type: ignore[override]
        return [self[k] for k in list(self.keys())]

    def items(self):  # type: ignore[override]
        return [(k, self[k]) for k in list(self.keys())]


def capture_served(monkeypatch: pytest.MonkeyPatch) -> Served:
    """Every file a page hands to Streamlit's media store from now on, by file id (URL stem),
    and every download button's on-click callable, by its deferred file id."""
    files = Served()
    original = MemoryMediaFileStorage.load_and_get_id
    deferred = MediaFileManager.add_deferred

    def keep(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files.setdefault(file_id, self._files_by_id[file_id].content)
        return file_id

    def keep_callable(self, data_callable, *args, **kwargs):  # type: ignore[no-untyped-def]
        file_id = deferred(self, data_callable, *args, **kwargs)
        files[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    monkeypatch.setattr(MediaFileManager, "add_deferred", keep_callable)
    return files


def download(at: AppTest, served: dict[str, bytes], key: str) -> tuple[object, bytes]:
    """The download button whose key is `key` (`dl_xlsx_contracts`) and the bytes it serves.

    A button built on the click is clicked here: its callable runs (and writes its audit row)."""
    for button in at.get("download_button"):
        if button.id.endswith(key):
            file_id = button.proto.deferred_file_id or Path(button.proto.url).stem
            return button, served[file_id]
    raise AssertionError(f"no download button {key!r}")


def audit_rows(url: str, action: str | None = None) -> list[dict]:
    """The audit trail of warehouse `url`'s portal store, oldest first."""
    engine = portal_engine(portal_url(url))
    try:
        stmt = sa.select(audit_events).order_by(audit_events.c.event_id)
        if action is not None:
            stmt = stmt.where(audit_events.c.action == action)
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]
    finally:
        engine.dispose()


def open_page(
    page: str,
    params: dict[str, str | list[str]] | None = None,
    *,
    username: str = "tester",
    roles: tuple[str, ...] = ("executive",),
    branches: tuple[str, ...] | None = None,
) -> AppTest:
    """Sign in as `username` with `roles`, run the app, switch to `pages/<page>` with `params`."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    sign_in(at, username=username, roles=roles, branches=branches)
    at.run()
    return at.switch_page(f"../pages/{page}").run()


def shown_text(at: AppTest) -> str:
    """Everything the page shows as text: tables, markdown, captions, metrics, alerts."""
    parts = [df.value.astype(str).to_csv() for df in at.dataframe]
    parts += [str(getattr(el, "value", "")) for el in at.markdown]
    parts += [str(el.value) for el in (*at.caption, *at.info, *at.warning, *at.error)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [str(getattr(t, "value", "")) for t in at.table]
    return "\n".join(parts)


def module_warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB warehouse holding the access book and one load record (for a module fixture)."""
    return built_duckdb(tmp_path_factory, "access", build_access_warehouse)
