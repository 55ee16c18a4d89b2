"""LibreOffice headless as an independent client: convert a workbook to CSV, one file per sheet.

Each conversion uses its own profile directory, so parallel runs never share one. A missing
`soffice` fails the test (never a skip): `make system-deps` installs libreoffice-calc-nogui.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

# Filter options: comma, double quote, UTF-8, from row 1, …, last token -1 = every sheet to its
# own file named <stem>-<sheet>.csv (LibreOffice 7.2+).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def soffice() -> str:
    """The soffice executable; fails the test when LibreOffice is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail("LibreOffice (soffice) is required: run `make system-deps`", pytrace=False)
    return found


def sheets_as_csv(workbook: Path, work: Path) -> dict[str, list[list[str]]]:
    """Every sheet of `workbook` as LibreOffice reads it: sheet name -> rows of cell texts."""
    out = work / "lo-out"
    out.mkdir(parents=True, exist_ok=True)
    profile = (work / "lo-profile").resolve().as_uri()
    done = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            CSV_FILTER,
            "--outdir",
            str(out),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    sheets = {}
    for path in sorted(out.glob(f"{workbook.stem}-*.csv")):
        name = path.stem[len(workbook.stem) + 1 :]
        with path.open(encoding="utf-8", newline="") as fh:
            sheets[name] = list(csv.reader(fh))
    assert sheets, f"LibreOffice wrote no CSV: {done.stdout} {done.stderr}"
    return sheets
