"""Quarterly scan results: SQLite by default, PostgreSQL through the same SQLAlchemy Core code."""
from .schema import SCHEMA_VERSION
from .store import (KINDS, QuarterResults, Rectification, ScanRun, Store, StoreError, StoreLockedError,
                    StoreSchemaError, Unit, UnitResult, as_unit, deadline_note_zh, deadline_rule_zh, default_deadline, open_store,
                    parse_quarter, quarter_label, quarter_of, quarter_start, rectification_deadline, renumbered)

__all__ = [
    "KINDS", "SCHEMA_VERSION", "QuarterResults", "Rectification", "ScanRun", "Store", "StoreError",
    "StoreLockedError", "StoreSchemaError", "Unit", "UnitResult", "as_unit", "deadline_note_zh", "deadline_rule_zh", "default_deadline", "open_store",
    "parse_quarter", "quarter_label", "quarter_of", "quarter_start", "rectification_deadline", "renumbered",
]
