"""Helpers for the attack replays: the app's own database, officers with fresh names, AppTest
sessions (logged in through the real form), a client address of our choosing, download buttons
whose `data` callables we can call as the browser would, and the CLI as a subprocess."""

from __future__ import annotations


import os
import random
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from steunwijzer import applications, auth, funds
from steunwijzer.config import get_settings
from steunwijzer.store import Database
from tests.app.conftest import APP
from tests.factories import send

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password"


def random_address() -> str:
    """An address no other test uses (the app's database is shared by the test session)."""
    return "10." + ".".join(str(random.randrange(256)) for _ in range(3))


def app_database():
    """The database the app under AppTest uses, with the demo catalogue (for a fixture to yield from)."""
    db = Database(get_settings().sqlalchemy_url)
    db.migrate()
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def app_db():
    yield from app_database()


@pytest.fixture
def make_officer(app_db):
    """make_officer(admin=False, funds=None) → a fresh username with PASSWORD."""

    def _make(admin: bool = False, fund_ids: list[str] | None = None) -> str:
        name = f"sec-{uuid.uuid4().hex[:10]}"
        with app_db.session() as s:
            auth.add_officer(s, name, PASSWORD, is_admin=admin, fund_ids=fund_ids or [], actor="test")
        return name

    return _make


@pytest.fixture
def submitted_app(app_db):
    """submitted_app(fund_id=...) → (application id, resume code) of a sent application."""

    def _make(fund_id: str = "initiatievenfonds-voorbeeld", group: str = "Buurtkeuken") -> tuple[int, str]:
        key = get_settings().resolved_secret_key()
        with app_db.session() as s:
            app, code = applications.start(s, fund_id, "nl", key)
            applications.save_answer(s, app.id, "group_name", group, language="nl")
            applications.save_answer(s, app.id, "amount_asked", Decimal("900"), language="nl")
            send(s, app.id)
        return app.id, code

    return _make


@pytest.fixture
def client_address(monkeypatch):
    """Pretend the browser connects from an address of our choosing (AppTest has none):
    returns a setter; each test starts from its own address."""
    import ui.client

    current = {"ip": random_address()}
    monkeypatch.setattr(ui.client, "client_address", lambda: current["ip"])

    def _set(ip: str) -> str:
        current["ip"] = ip
        return ip

    _set.current = current
    return _set


def new_session(page: str | None = None, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["locale"] = "nl"
    for k, v in (state or {}).items():
        at.session_state[k] = v
    if page:
        at.switch_page(page)
    return at.run()


def log_in(page: str, username: str, password: str = PASSWORD, state: dict | None = None) -> AppTest:
    """A fresh browser session that logs in through the real login form."""
    at = new_session(page, state)
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


@pytest.fixture
def downloads(monkeypatch):
    """Every st.download_button the pages draw, as {label: data}; `data` is what the browser
    makes the server call on a click (a callable is built only then)."""
    import streamlit as st

    from streamlit.delta_generator import DeltaGenerator

    seen: dict[str, object] = {}
    original = st.download_button
    original_method = DeltaGenerator.download_button

    def recording(label, data, *args, **kwargs):
        seen[label] = data
        return original(label, data, *args, **kwargs)

    def recording_method(self, label, data, *args, **kwargs):  # buttons drawn in columns and popovers
        seen[label] = data
        return original_method(self, label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    monkeypatch.setattr(DeltaGenerator, "download_button", recording_method)
    return seen


def run_cli(*args: str, data_dir: Path, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STEUNWIJZER_")}
    environment["STEUNWIJZER_DATA_DIR"] = str(data_dir)
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "steunwijzer", *args], cwd=ROOT, env=environment, input=stdin,
                          capture_output=True, text=True, timeout=120)


def later(seconds: float):
    """time.time() as it will be `seconds` from now (for idle and lifetime checks)."""
    now = time.time()
    return lambda: now + seconds
