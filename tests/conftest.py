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
# The joined speech model (145 MB) is kept between test runs instead of in each temp data folder.
os.environ.setdefault("STEUNWIJZER_MODEL_CACHE", str(Path(tempfile.gettempdir()) / "steunwijzer-model-cache"))
os.environ.pop("STEUNWIJZER_DATABASE_URL", None)  # the app under test uses SQLite in the temp folder
os.chdir(ROOT)


# Storage tests run on SQLite, and also on PostgreSQL when scripts/test.sh started one.
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("STEUNWIJZER_TEST_DATABASE_URL") else [])


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """A fresh, migrated database."""
    from steunwijzer.store import Base, Database

    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'test.sqlite'}")
    else:
        database = Database(os.environ["STEUNWIJZER_TEST_DATABASE_URL"])
        Base.metadata.drop_all(database.engine)
        with database.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def app_data_dir() -> Path:
    return _DATA


# The real browser and the app server are shared by the journeys (tests/e2e) and the attack
# replays (tests/security): one Playwright per test run, since a second one in the same thread fails.
from tests.browser import browser, fake_voice_wav, page, server  # noqa: E402,F401
