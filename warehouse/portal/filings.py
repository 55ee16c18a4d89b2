"""Portal tables of the filing workflow: versions, events, validations, explanations, archive.

Every table is append-only (database triggers refuse UPDATE and DELETE): a version's state is the
`to_state` of its latest event, an explanation is superseded by a later row for the same rule,
and an archived workbook can never be changed once written. `filing_events.seq` is unique per
version, so two people moving the same version at once cannot both succeed.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.portal import append_only, portal_metadata

filing_versions = append_only(
    sa.Table(
        "filing_versions",
        portal_metadata,
        sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_code", sa.String(32), nullable=False),
        sa.Column("period", sa.Date, nullable=False, comment="period end"),
        sa.Column("version", sa.Integer, nullable=False, comment="1, 2, … per report and period"),
        sa.Column("kind", sa.String(16), nullable=False, comment="original | correction"),
        sa.Column("reason", sa.Text, nullable=False, default="", comment="why corrected"),
        sa.Column("supersedes", sa.Integer, nullable=True, comment="version_id corrected"),
        sa.Column("created_at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("created_by", sa.String(64), nullable=False, comment="the preparer (maker)"),
        sa.Column("load_id", sa.Integer, nullable=True, comment="load the figures come from"),
        sa.Column("data_sha256", sa.String(64), nullable=True, comment="that load's sha256"),
        sa.Column("cells", sa.Text, nullable=False, comment="JSON: cell code -> exact value"),
        sa.UniqueConstraint("report_code", "period", "version", name="uq_filing_version"),
        comment="one row per version of a report for a period (append-only)",
    )
)

filing_events = append_only(
    sa.Table(
        "filing_events",
        portal_metadata,
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False, comment="1, 2, … per version"),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=True, comment="null on creation"),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False, default=""),
        sa.UniqueConstraint("version_id", "seq", name="uq_filing_event_seq"),
        comment="one row per state change of a filing version (append-only)",
    )
)

filing_validations = append_only(
    sa.Table(
        "filing_validations",
        portal_metadata,
        sa.Column("validation_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("blocking", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("findings", sa.Text, nullable=False, comment="JSON list of findings"),
        comment="one row per validation run of a version (append-only)",
    )
)

filing_explanations = append_only(
    sa.Table(
        "filing_explanations",
        portal_metadata,
        sa.Column("explanation_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        comment="the preparer's explanation of a warning; the latest per rule counts",
    )
)

filing_archive = append_only(
    sa.Table(
        "filing_archive",
        portal_metadata,
        sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("submitted_at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("submitted_by", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, comment="of the exact bytes filed"),
        sa.Column("size", sa.BigInteger, nullable=False, comment="bytes"),
        sa.Column("content", sa.LargeBinary, nullable=True, comment="summary workbooks"),
        sa.Column("stored_path", sa.Text, nullable=True, comment="content-addressed file"),
        sa.Column("load_id", sa.Integer, nullable=True),
        sa.Column("data_sha256", sa.String(64), nullable=True, comment="data fingerprint"),
        sa.Column("program_version", sa.String(32), nullable=False),
        comment="the exact workbook of each submitted version (append-only)",
    )
)
