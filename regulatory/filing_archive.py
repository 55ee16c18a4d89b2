"""The archive of submitted workbooks: exact bytes, SHA-256 checked on every read.

Summary workbooks (small) are kept as bytes in the portal database; the loan-level detail (large)
goes to a content-addressed file `<archive>/<sha[:2]>/<sha>.xlsx`, written beside its final name
and renamed into place, never overwritten. Either way a download re-computes the SHA-256 and
refuses bytes that no longer match what was filed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from warehouse.engine import duckdb_path, is_duckdb
from warehouse.portal.filings import filing_archive
from warehouse.settings import ROOT

CHUNK = 1 << 20


class ArchiveCorrupt(RuntimeError):
    """The archived bytes no longer match the SHA-256 recorded when they were filed."""


@dataclass(frozen=True)
class ArchivedFile:
    """A filed workbook as downloaded: name, bytes and the SHA-256 they were checked against."""

    version_id: int
    file_name: str
    sha256: str
    content: bytes


def archive_dir(warehouse_url: str) -> Path:
    """Where big filed workbooks go: $POSTLOAN_ARCHIVE_DIR, else `archive/` beside the warehouse."""
    override = os.environ.get("POSTLOAN_ARCHIVE_DIR")
    if override:
        return Path(override)
    path = duckdb_path(warehouse_url) if is_duckdb(warehouse_url) else None
    return (path.parent if path is not None else ROOT / "data") / "archive"


def sha256_bytes(content: bytes) -> str:
    """The hex SHA-256 of `content`."""
    return hashlib.sha256(content).hexdigest()


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of the file at `path`, read in chunks (bounded memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def stored_name(sha256: str, suffix: str) -> str:
    """The content-addressed relative path of a file with this hash."""
    return f"{sha256[:2]}/{sha256}{suffix}"


def store_file(source: Path, directory: Path) -> tuple[str, str, int]:
    """Copy `source` into the content-addressed archive; (relative path, sha256, size)."""
    sha = sha256_file(source)
    relative = stored_name(sha, source.suffix or ".xlsx")
    target = directory / relative
    if target.exists() and sha256_file(target) == sha:
        return relative, sha, target.stat().st_size
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    shutil.copyfile(source, partial)
    if sha256_file(partial) != sha:
        partial.unlink()
        raise ArchiveCorrupt(f"{source} changed while it was being archived")
    partial.chmod(0o444)
    partial.replace(target)
    return relative, sha, target.stat().st_size


def read_archived(engine: Engine, version_id: int, directory: Path) -> ArchivedFile:
    """The filed bytes of a submitted version, checked against their SHA-256."""
    ar = filing_archive
    with engine.connect() as conn:
        row = conn.execute(sa.select(ar).where(ar.c.version_id == version_id)).mappings().first()
    if row is None:
        raise LookupError(f"version {version_id} has not been submitted")
    if row["content"] is not None:
        content = bytes(row["content"])
    else:
        path = directory / str(row["stored_path"])
        if not path.exists():
            raise ArchiveCorrupt(f"archived file {path} is missing")
        content = path.read_bytes()
    if sha256_bytes(content) != row["sha256"]:
        raise ArchiveCorrupt(
            f"archived workbook of version {version_id} does not match its SHA-256 {row['sha256']}"
        )
    return ArchivedFile(version_id, str(row["file_name"]), str(row["sha256"]), content)
