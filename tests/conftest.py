"""Shared fixtures. Every test run gets its own data folder, so nothing touches ./data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_DATA = Path(tempfile.mkdtemp(prefix="steunwijzer-test-"))
os.environ["STEUNWIJZER_DATA_DIR"] = str(_DATA)
os.environ.setdefault("STEUNWIJZER_SECRET_KEY", "test-secret-key")
os.environ.pop("STEUNWIJZER_DATABASE_URL", None) if not os.environ.get("STEUNWIJZER_TEST_DATABASE_URL") else None
os.chdir(ROOT)


@pytest.fixture
def db(tmp_path):
    """A fresh, migrated database (SQLite by default; PostgreSQL when STEUNWIJZER_TEST_DATABASE_URL is set)."""
    from steunwijzer.store import Database

    url = os.environ.get("STEUNWIJZER_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite'}"
    database = Database(url)
    if not url.startswith("sqlite"):
        from steunwijzer.store import Base

        Base.metadata.drop_all(database.engine)
        with database.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def app_data_dir() -> Path:
    return _DATA
