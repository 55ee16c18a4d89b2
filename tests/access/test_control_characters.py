"""A control character from outside is stored as given and shown inert everywhere.

The attack: a failed sign-in as `evil\\x01user` (no account needed) or a dossier link
`?contract=A%01B` writes the text into the append-only trail; the audit page, its .xlsx and .csv
export and the committee-pack PDF must still open, showing the character as `␁` (U+2401).
"""

from __future__ import annotations

import csv
import io

import pandas as pd
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboard.dossier.pack_pdf import PackText, dossier_pdf
from dashboard.downloads.export import to_csv, to_xlsx
from queries.inert_text import csv_text, pdf_text, visible
from tests.access.access_app import APP, audit_rows, download, open_page
from tests.access.apptest import shows_sign_in_form, submit_sign_in
from tests.file_cells import csv_records, read_table

EVIL = "evil\x01user"
SHOWN = "evil\u2401user"


def _open_audit(params: dict[str, str] | None = None) -> AppTest:
    at = open_page("audit.py", params, username="cc.compliance", roles=("compliance",))
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_failed_sign_in_with_a_control_character_leaves_the_audit_page_working(
    access, served
) -> None:
    """Through the real form: the row keeps the raw name; page, .xlsx and .csv show `␁`."""
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at = submit_sign_in(at, EVIL, "not-a-password-at-all")
    assert shows_sign_in_form(at)
    assert [r["action"] for r in audit_rows(access) if r["actor"] == EVIL] == ["sign_in_failed"]

    at = _open_audit()
    shown = at.dataframe[0].value
    assert SHOWN in list(shown["操作人"])
    assert not any("\x01" in str(v) for v in shown.to_numpy().ravel())

    _, xlsx = download(at, served, "dl_xlsx_audit_trail")
    _, head, rows = read_table(xlsx)  # below the header block
    actor = head.index("actor")
    assert SHOWN in [r[actor] for r in rows]
    _, data = download(at, served, "dl_csv_audit_trail")
    actors = [r["actor"] for r in csv_records(data)]
    assert SHOWN in actors and EVIL not in actors


def test_the_audit_page_filters_on_a_control_character_actor(access, served) -> None:
    """The actor filter from the URL holds the raw name and finds the row; the file opens."""
    submit_sign_in(AppTest.from_file(str(APP), default_timeout=90).run(), EVIL, "x" * 12)
    at = _open_audit({"actor": EVIL})
    assert set(at.dataframe[0].value["操作人"]) == {SHOWN}
    _, xlsx = download(at, served, "dl_xlsx_audit_trail")
    assert load_workbook(io.BytesIO(xlsx)).active.max_row >= 2


def test_a_dossier_link_with_a_control_character_is_stored_and_shown_inert(access, served) -> None:
    """`/dossier?contract=A%01B`: not found, audited as given, the audit page still opens."""
    at = open_page(
        "dossier.py", {"contract": "A\x01B"}, username="cc.risk", roles=("risk_committee",)
    )
    assert not at.exception, [e.value for e in at.exception]
    views = [r["target"] for r in audit_rows(access, "dossier_view") if r["actor"] == "cc.risk"]
    assert views == ["A\x01B"]
    at = open_page("audit.py", {"actor": "cc.risk"}, username="cc.admin", roles=("admin",))
    assert not at.exception, [e.value for e in at.exception]
    assert list(at.dataframe[0].value["对象"]) == ["A\u2401B"]
    _, xlsx = download(at, served, "dl_xlsx_audit_trail")
    _, head, rows = read_table(xlsx)
    assert rows[0][head.index("target")] == "A\u2401B"


def test_every_control_character_survives_xlsx_csv_and_pdf() -> None:
    """Each C0 control (and DEL) in a cell, a header and a formula-like text: files open."""
    controls = "".join(chr(c) for c in [*range(32), 127])
    frame = pd.DataFrame({f"h{controls}": [controls, "=1+1\x01", "-\x02", "<b>&\x03"]})
    ws = load_workbook(io.BytesIO(to_xlsx(frame))).active
    values = [c.value for c in ws["A"]]
    assert values[1] == visible(controls).replace("\r", "\n")  # XML reads CR as LF
    assert all(c.data_type == "s" for c in ws["A"])
    assert ws["A3"].value == "=1+1\u2401" and ws["A3"].quotePrefix
    text = to_csv(frame).decode("utf-8-sig")
    cells = [r[0] for r in csv.reader(io.StringIO(text))]
    assert cells[2:] == ["'=1+1\u2401", "'-\u2402", "<b>&\u2403"]
    assert csv_text("@x") == "'@x"
    assert pdf_text("<b>&\x03\n") == "&lt;b&gt;&amp;\u2403<br/>"
    words = PackText("t", "empty", "{page}/{pages}", "yes", "no", "{shown}/{rows}")
    pack = dossier_pdf(
        {"contract": "A\x01B"},
        pd.DataFrame({"name\x02": ["x\x01y"]}),
        {"section \x05": frame, "long": pd.DataFrame({"t": [("word\x01" * 60) + "\n<i>"]})},
        reveal=True,
        text=words,
        embed_font=False,
    )
    assert pack.data.startswith(b"%PDF")
