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
