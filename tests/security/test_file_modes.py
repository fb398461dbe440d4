"""Issue 12 item 9: the data folder is 0700 and the database, its WAL, secret.key and the model
cache files are 0600, created with those modes even under the usual umask 022.

Replay: they were created world-readable (0644 files in a 0755 folder)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from steunwijzer.config import Settings
from steunwijzer.store import open_database
from tests.security.conftest import PASSWORD, run_cli


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_database_wal_and_key_are_private(tmp_path, usual_umask):
    data = tmp_path / "data"
    settings = Settings(data_dir=data, secret_key=None)
    db = open_database(settings)
    with db.engine.connect() as conn:  # an open connection keeps the WAL and shared-memory files
        conn.execute(text("INSERT INTO audit_log (at, actor, action, detail) VALUES (CURRENT_TIMESTAMP, 't', 't', '{}')"))
        conn.commit()
        files = {p.name: mode(p) for p in data.iterdir()}
    settings.resolved_secret_key()
    db.dispose()
    assert mode(data) == 0o700
    assert {"steunwijzer.sqlite", "steunwijzer.sqlite-wal", "steunwijzer.sqlite-shm"} <= set(files)
    assert set(files.values()) == {0o600}, files
    assert mode(data / "secret.key") == 0o600


def test_the_command_line_creates_them_private_too(tmp_path):
    data = tmp_path / "data"
    done = run_cli("officer", "add", "anna", "--password-stdin", data_dir=data, stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert mode(data) == 0o700
    assert {p.name: mode(p) for p in data.iterdir()} == {"steunwijzer.sqlite": 0o600}


def test_an_older_install_is_tightened(tmp_path, usual_umask):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "steunwijzer.sqlite").touch(mode=0o644)
    (data / "secret.key").write_text("an old key")
    settings = Settings(data_dir=data, secret_key=None)
    open_database(settings).dispose()
    assert settings.resolved_secret_key() == b"an old key"
    assert mode(data) == 0o700 and mode(data / "steunwijzer.sqlite") == 0o600 and mode(data / "secret.key") == 0o600


def test_the_model_cache_is_private(tmp_path, usual_umask):
    from steunwijzer.speech import model

    folder = model.bundled_model_folder(tmp_path / "models")
    assert mode(tmp_path / "models") == 0o700 and mode(folder) == 0o700
    files = {p.name: mode(p) for p in folder.iterdir()}
    assert "model.bin" in files and set(files.values()) == {0o600}, files
