"""Load client and replica tests: real `streamlit run` processes (and Debian's nginx), no browser.
The load client is bench/bench_load.py, imported here so that the benchmark cannot rot."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import bench_load  # noqa: E402


def run_async(coro):
    """asyncio.run in a thread of its own: in the whole suite Playwright's sync API (the e2e
    tests' session-wide browser) keeps an event loop running in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def submitted_applications(env: dict, prefix: str) -> list:
    """The applications in the app's database whose group name starts with `prefix`."""
    from steunwijzer.store import AnswerRow, ApplicationRow, Database

    db = Database(f"sqlite:///{Path(env['STEUNWIJZER_DATA_DIR']) / 'steunwijzer.sqlite'}")
    try:
        with db.session() as s:
            rows = s.scalars(select(ApplicationRow).where(ApplicationRow.group_name.like(prefix + "%"))).all()
            return [(row, s.scalars(select(AnswerRow).where(AnswerRow.application_id == row.id)).all()) for row in rows]
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def app_env():
    return bench_load.prepare_data_dir()
