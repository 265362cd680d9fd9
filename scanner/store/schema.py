"""The store's tables (SQLAlchemy 2 Core), the same for SQLite and PostgreSQL.

Version history (``meta.schema_version``):

1. scans, units, results, rectifications.

A scan of one kind (``sites`` or ``accounts``) for one quarter is a row of ``scans``; its
registry rows are ``units`` (``seq`` keeps the registry's order, which is the report's
region order) and its per-unit verdicts are ``results``.  Only one ``complete`` scan per
quarter and kind exists at a time: finishing a re-scan deletes the previous one in the
same transaction.  A ``running`` scan is one that was interrupted or is in progress.
"""
from __future__ import annotations

from sqlalchemy import (Column, ForeignKey, ForeignKeyConstraint, Index, Integer, MetaData, String, Table,
                        Text, UniqueConstraint)

SCHEMA_VERSION = 1

metadata = MetaData()

meta = Table(
    "govscan_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

scans = Table(
    "scans", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("quarter", String(8), nullable=False),  # 2022Q2
    Column("kind", String(16), nullable=False),  # sites | accounts
    Column("status", String(16), nullable=False),  # running | complete
    Column("as_of", String(10), nullable=False),
    Column("since", String(10), nullable=False),
    Column("registry_digest", String(64), nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("summary", Text),  # JSON: skip counts and reasons, tool version
    Index("ix_scans_quarter_kind", "quarter", "kind", "status"),
    sqlite_autoincrement=True,  # never reuse a scan id: a stale ScanRun must not write into a new scan
)

units = Table(
    "units", metadata,
    Column("scan_id", Integer, ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True),
    Column("code", String(32), primary_key=True),
    Column("seq", Integer, nullable=False),  # position in the registry
    Column("line", Integer),  # line number in the registry file
    Column("region", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("sponsor", Text, nullable=False, default=""),  # 主办单位
    Column("platform", Text, nullable=False, default=""),  # 账号类型 (accounts)
    Column("host", Text, nullable=False, default=""),
    Column("url", Text, nullable=False, default=""),
    Column("extra", Text),  # JSON: the registry's extra columns
)

results = Table(
    "results", metadata,
    Column("scan_id", Integer, primary_key=True),
    Column("code", String(32), primary_key=True),
    Column("verdict", String(8), nullable=False),  # pass | fail
    Column("problems", Text, nullable=False),  # JSON list of labels in the notice's words
    Column("findings", Text, nullable=False),  # JSON list of finding dicts
    Column("record", Text, nullable=False),  # JSON: the whole record as the scan produced it
    Column("saved_at", String(32), nullable=False),
    ForeignKeyConstraint(["scan_id", "code"], ["units.scan_id", "units.code"], ondelete="CASCADE"),
)

rectifications = Table(
    "rectifications", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("quarter", String(8), nullable=False),  # the quarter the problem was found in
    Column("kind", String(16), nullable=False),
    Column("code", String(32), nullable=False),
    Column("problem", Text, nullable=False),
    Column("region", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("deadline", String(10), nullable=False),
    Column("status", String(16), nullable=False),  # open | rectified | delisted (gone from the checking registry)
    Column("checked_quarter", String(8)),  # the later scan that last checked it
    Column("checked_as_of", String(10)),
    Column("rectified_on", String(10)),
    UniqueConstraint("quarter", "kind", "code", "problem", name="uq_rectification"),
)
