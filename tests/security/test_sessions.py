"""Issue 12 item 7 and issue 13 "Accounts": an officer session is checked against the database on
every click, ends after 30 idle minutes or 8 hours, and a download button checks it too.

Replays: an officer set inactive kept reading (permissions cached in the session); no absolute
lifetime; an idle default of 60 minutes; a download button that kept working after the idle limit."""

from __future__ import annotations

import time

import pytest

from steunwijzer import auth
from steunwijzer.config import Settings
from steunwijzer.errors import SessionEnded
from steunwijzer.i18n import gettext_for
from tests.security.conftest import later, log_in

nl = gettext_for("nl")
QUEUE = "pages/5_officer_queue.py"
REVIEW = "pages/6_officer_review.py"
LOGIN = nl("Log in for officers")


def headers(at) -> list[str]:
    return [h.value for h in at.header]


def test_defaults_are_thirty_idle_minutes_and_eight_hours():
    fields = Settings.model_fields
    assert fields["officer_session_minutes"].default == 30
    assert fields["officer_session_max_hours"].default == 8


def test_a_disabled_officer_is_out_at_the_next_click(app_db, make_officer, client_address):
    admin, name = make_officer(admin=True), make_officer()
    at = log_in(QUEUE, name)
    assert at.title[0].value == nl("Applications")
    with app_db.session() as s:
        auth.set_active(s, name, False, actor=admin)
    at.run()  # the next click
    assert headers(at) == [LOGIN] and not at.title
    assert at.info[0].value == nl("Your session has ended. Please log in again.")
    at = log_in(QUEUE, name)  # and cannot log in again
    assert at.error[0].value == nl("Username or password is not correct.")


def test_funds_taken_away_apply_at_the_next_click(app_db, make_officer, client_address, submitted_app):
    app_id, _ = submitted_app("initiatievenfonds-voorbeeld")
    admin, name = make_officer(admin=True), make_officer(fund_ids=["initiatievenfonds-voorbeeld"])
    at = log_in(REVIEW, name, state={"review_id": app_id})
    assert at.title[0].value.replace("\\", "").startswith(f"#{app_id}")
    with app_db.session() as s:
        auth.update_officer(s, name, admin, fund_ids=["a-fund-of-someone-else"])
    at.run()
    assert not at.title
    assert at.error[0].value == nl("This application does not exist or is not yours to see.")


def test_admin_role_taken_away_applies_at_the_next_click(app_db, make_officer, client_address):
    name, other = make_officer(admin=True), make_officer(admin=True)
    at = log_in("pages/8_officer_admin.py", name)
    assert at.title[0].value == nl("Administration")
    with app_db.session() as s:
        auth.update_officer(s, name, other, is_admin=False)
    at.run()
    assert at.error[0].value == nl("Only administrators can open this page.")


@pytest.mark.parametrize("since, seen, message", [
    (8 * 3600 + 60, 0, nl.ngettext("You were logged out because you were logged in for {hours} hour. Please log in again.", "You were logged out because you were logged in for {hours} hours. Please log in again.", 8).format(hours=8)),
    (31 * 60, 31 * 60, nl("You were logged out because you were inactive for a while.")),
])
def test_sessions_end_when_too_old_or_idle(make_officer, client_address, since, seen, message):
    at = log_in(QUEUE, make_officer())
    assert at.title[0].value == nl("Applications")
    at.session_state["officer_since"] = time.time() - since
    at.session_state["officer_seen"] = time.time() - seen
    at.run()
    assert headers(at) == [LOGIN] and at.info[0].value == message


def test_a_download_button_checks_the_session_when_clicked(app_db, make_officer, client_address, submitted_app, downloads,
                                                           monkeypatch):
    app_id, _ = submitted_app()
    name = make_officer()
    at = log_in(REVIEW, name, state={"review_id": app_id})
    build = downloads[nl("Download the application as Word file")]
    assert callable(build)
    assert build()[:2] == b"PK"  # a real .docx while the session is fresh

    monkeypatch.setattr(time, "time", later(31 * 60))  # the officer walked away; the page is still open
    with pytest.raises(SessionEnded):
        build()
    monkeypatch.undo()

    at.run()  # still fresh in real time: the page draws the button again
    label = nl("Download the application as Word file")
    at.button(key="_logout").click().run()
    assert headers(at) == [LOGIN]
    with pytest.raises(SessionEnded):  # the button drawn before logging out
        downloads[label]()

    at = log_in(REVIEW, name, state={"review_id": app_id})
    with app_db.session() as s:
        auth.set_active(s, name, False, actor="test")
    with pytest.raises(SessionEnded):  # the account was disabled after the page was drawn
        downloads[label]()
