"""Store backends for tests: SQLite always, PostgreSQL when GOVSCAN_TEST_PG holds a URL
(``export GOVSCAN_TEST_PG="$(bash scripts/start-postgres.sh)"``).  PostgreSQL cases carry the
``postgres`` marker; the store's tables in that database are dropped before each test."""
from __future__ import annotations

import os

import pytest

PG_URL = os.environ.get("GOVSCAN_TEST_PG")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def reset_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    from scanner.store.schema import metadata
    from scanner.store.store import normalize_url

    engine = create_engine(normalize_url(url)[0])
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS not_ours"))
    engine.dispose()


def store_target(backend: str, tmp_path) -> str:
    """A fresh, empty store location for ``backend``."""
    if backend == "sqlite":
        return str(tmp_path / "store" / "govscan.db")
    if not PG_URL:
        pytest.skip("GOVSCAN_TEST_PG not set (run scripts/start-postgres.sh)")
    reset_pg(PG_URL)
    return PG_URL
