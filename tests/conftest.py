"""Shared fixtures. Tests use synthetic data only: the ID numbers are the standard's
example (GB 11643: 11010519491231002X) or generated with a valid checksum; the phone
numbers are fictitious."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

os.environ.setdefault("COLUMNS", "120")


@pytest.fixture(scope="session")
def settings():
    from scanner.settings import Settings

    return Settings.load(as_of=dt.date(2022, 6, 20))


@pytest.fixture(scope="session")
def reviewer(settings):
    from scanner.pipeline import Reviewer

    return Reviewer(settings)


@pytest.fixture
def cli_runner():
    from typer.testing import CliRunner

    return CliRunner()


def valid_resident_id(prefix17: str) -> str:
    """Complete 17 digits with the GB 11643 check character."""
    from scanner.checks.pii.cn_resident_id import id_check_char

    return prefix17 + id_check_char(prefix17)


# In CI the services are installed by `make test` (scripts/start-postgres.sh,
# scripts/ci-setup-web.sh): there a test that skips for want of one must fail, or a broken
# set-up would pass silently.  GOVSCAN_REQUIRE lists the markers that may not skip.
_REQUIRED = {m.strip() for m in os.environ.get("GOVSCAN_REQUIRE", "").split(",") if m.strip()}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _REQUIRED:
        required = [m for m in _REQUIRED if item.get_closest_marker(m)]
        if required:
            report.outcome = "failed"
            report.longrepr = f"{item.nodeid}: skipped, but GOVSCAN_REQUIRE says {', '.join(required)} must run: {report.longrepr}"
