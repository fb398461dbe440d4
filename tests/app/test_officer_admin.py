"""The Administration page: change, disable, enable, new password, unlock — each in the audit log."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from steunwijzer import auth
from steunwijzer.i18n import gettext_for
from steunwijzer.store import AuditRow
from tests.security.conftest import app_database, log_in

nl = gettext_for("nl")
PAGE = "pages/8_officer_admin.py"
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def app_db():
    yield from app_database()


@pytest.fixture
def people(app_db):
    admin, officer = f"adm-{uuid.uuid4().hex[:8]}", f"off-{uuid.uuid4().hex[:8]}"
    with app_db.session() as s:
        auth.add_officer(s, admin, PASSWORD, is_admin=True)
        auth.add_officer(s, officer, PASSWORD)
    return admin, officer


def choose(at, username):
    at.selectbox(key="admin_officer").select(username).run()
    return at


def submit(at, label):
    [b for b in at.button if b.label == nl(label)][0].click().run()
    assert not at.exception
    return at


def audit_lines(db, actor):
    with db.session() as s:
        return [(r.action, r.detail.get("officer")) for r in s.scalars(select(AuditRow).where(AuditRow.actor == actor))]


def test_change_role_funds_name_and_title(app_db, people):
    admin, officer = people
    at = choose(log_in(PAGE, admin), officer)
    form = [t for t in at.text_input if t.label == nl("Full name")][0]
    form.input("Ole Jansen")
    [t for t in at.text_input if t.label == nl("Job title")][0].input("Subsidieadviseur")
    [c for c in at.checkbox if c.label == nl("Administrator")][0].check()
    [m for m in at.multiselect if m.label == nl("Funds (empty: all funds)")][0].select("initiatievenfonds-voorbeeld")
    submit(at, "Save the changes")
    with app_db.session() as s:
        o = auth.get_officer_any(s, officer)
    assert (o.full_name, o.job_title, o.is_admin, o.fund_ids) == ("Ole Jansen", "Subsidieadviseur", True, ["initiatievenfonds-voorbeeld"])
    assert ("officer.change", officer) in audit_lines(app_db, admin)


def test_disable_and_enable(app_db, people):
    admin, officer = people
    at = choose(log_in(PAGE, admin), officer)
    [c for c in at.checkbox if c.label == nl("Account active (can log in)")][0].uncheck()
    submit(at, "Save the changes")
    with app_db.session() as s:
        assert not auth.get_officer_any(s, officer).active
    assert log_in("pages/5_officer_queue.py", officer).error[0].value == nl("Username or password is not correct.")
    at = choose(at, officer)
    [c for c in at.checkbox if c.label == nl("Account active (can log in)")][0].check()
    submit(at, "Save the changes")
    assert [a for a, who in audit_lines(app_db, admin) if who == officer][-2:] == ["officer.disable", "officer.enable"]


def test_the_last_administrator_cannot_switch_herself_off(app_db, people):
    admin, _ = people
    with app_db.session() as s:  # leave exactly one active administrator: this one
        for o in auth.list_officers(s):
            if o.is_admin and o.username != admin:
                auth.set_active(s, o.username, False, actor="test")
    try:
        at = choose(log_in(PAGE, admin), admin)
        [c for c in at.checkbox if c.label == nl("Account active (can log in)")][0].uncheck()
        submit(at, "Save the changes")
        assert at.error[0].value == nl("The last active administrator cannot be disabled or lose the administrator role.")
        with app_db.session() as s:
            assert auth.get_officer_any(s, admin).active
    finally:
        with app_db.session() as s:
            for o in auth.list_officers(s, include_inactive=True):
                if o.is_admin and not o.active:
                    auth.set_active(s, o.username, True, actor="test")


def test_new_password_and_unlock(app_db, people):
    admin, officer = people
    for _ in range(auth.LOGIN_FAILURES_ALLOWED + 1):
        log_in("pages/5_officer_queue.py", officer, "not the password!")
    at = choose(log_in(PAGE, admin), officer)
    assert nl("This account is locked after too many wrong passwords.") in [w.value for w in at.warning]
    [t for t in at.text_input if t.label == nl("New password (at least 12 characters)")][0].input("a fresh long password")
    submit(at, "Set a new password")
    assert at.success[0].value == nl("The new password is set.")
    submit(at, "Unlock")
    assert nl("This account is locked after too many wrong passwords.") not in [w.value for w in at.warning]
    assert log_in("pages/5_officer_queue.py", officer, "a fresh long password").title[0].value == nl("Applications")
    lines = audit_lines(app_db, admin)
    assert ("officer.set_password", officer) in lines and ("officer.unlock", officer) in lines
