"""Issue 12 item 2 and issue 13 ("a refused login tells nothing"): nobody can lock others out,
and parallel guessing gets no more tries than the limit.

Replays: ~300 wrong resume codes spread over 30 addresses made the correct code fail for everyone
(a global limit); a new browser session reset the per-client limit; five wrong passwords locked
a username for everyone; 30 parallel sessions got 17 password tries evaluated instead of 5
(count-then-insert race)."""

from __future__ import annotations

import threading

import pytest

from steunwijzer import applications, auth, funds
from steunwijzer.errors import InvalidInput, TooManyAttempts
from steunwijzer.i18n import gettext_for
from tests.security.conftest import PASSWORD, log_in, new_session, random_address, run_cli

nl = gettext_for("nl")
KEY = b"k" * 32


def test_wrong_codes_from_many_addresses_never_refuse_a_correct_code(db):
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        app, code = applications.start(s, "initiatievenfonds-voorbeeld", "nl", KEY)
    for address in range(30):
        for guess in range(10):
            with pytest.raises(InvalidInput), db.session() as s:
                applications.resume(s, f"AAAA-{address:04d}-{guess:04d}", f"198.51.100.{address}", KEY)
    with db.session() as s:  # the group, from its own address, still gets in
        assert applications.resume(s, code, "192.0.2.77", KEY).id == app.id


def test_a_new_browser_session_does_not_reset_the_limit(app_db, client_address, submitted_app):
    _, code = submitted_app()
    wrong = nl("We do not know this code. Check it and try again.")
    too_many = nl.ngettext("Too many wrong codes. Wait {minutes} minute and try again.", "Too many wrong codes. Wait {minutes} minutes and try again.", 15).format(minutes=15)
    tries = 0
    while tries <= auth.RESUME_FAILURES_PER_ADDRESS:
        at = new_session("pages/2_application.py")  # every few tries a fresh browser session
        for _ in range(3):
            at.text_input[0].input(f"AAAA-BBBB-{tries:04d}")
            at.button[0].click().run()
            tries += 1
    assert at.error[0].value == too_many
    # from this address even the right code waits (no oracle for the guesser) ...
    at = new_session("pages/2_application.py")
    at.text_input[0].input(code)
    at.button[0].click().run()
    assert at.error[0].value == too_many
    # ... but the group at another address is not locked out
    client_address(random_address())
    at = new_session("pages/2_application.py")
    at.text_input[0].input(code)
    at.button[0].click().run()
    at.run()
    assert not at.error and at.session_state["application_id"]
    assert wrong != too_many


def test_someone_elses_wrong_passwords_do_not_lock_an_officer_out(app_db, make_officer, client_address):
    name = make_officer()
    for _ in range(auth.LOGIN_FAILURES_ALLOWED + 3):
        at = log_in("pages/5_officer_queue.py", name, "not the password!")
    assert at.error[0].value == nl.ngettext("Too many failed attempts. Try again in {minutes} minute.", "Too many failed attempts. Try again in {minutes} minutes.", 15).format(minutes=15)
    client_address(random_address())  # the officer at her own desk
    at = log_in("pages/5_officer_queue.py", name)
    assert at.title[0].value == nl("Applications")


def test_thirty_parallel_sessions_get_at_most_five_tries(db):
    with db.session() as s:
        auth.add_officer(s, "anna", PASSWORD)
    barrier = threading.Barrier(30)
    outcomes: list[str] = []

    def guess(i: int) -> None:
        barrier.wait()
        try:
            with db.session() as s:
                auth.login(s, "anna", f"wrong password {i}", "192.0.2.66")
        except TooManyAttempts:
            outcomes.append("refused")
        except InvalidInput:
            outcomes.append("evaluated")

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 30
    assert outcomes.count("evaluated") == auth.LOGIN_FAILURES_ALLOWED


def test_refused_login_tells_nothing_about_the_username(app_db, make_officer, client_address):
    """Same message, and locked after the same number of tries, for a real and an unknown name."""
    real = make_officer()
    messages = {}
    for name in (real, "nobody-" + real[4:]):
        client_address(random_address())
        messages[name] = [log_in("pages/5_officer_queue.py", name, "not the password!").error[0].value
                          for _ in range(auth.LOGIN_FAILURES_ALLOWED + 1)]
    first, second = messages.values()
    assert first == second
    assert first[0] == nl("Username or password is not correct.") and first[-1] != first[0]


def test_an_administrator_unlocks_from_the_command_line(tmp_path):
    from steunwijzer.config import Settings
    from steunwijzer.store import open_database

    assert run_cli("officer", "add", "anna", "--password-stdin", data_dir=tmp_path, stdin=PASSWORD + "\n").returncode == 0
    db = open_database(Settings(data_dir=tmp_path))
    for _ in range(auth.LOGIN_FAILURES_ALLOWED):
        with pytest.raises(InvalidInput), db.session() as s:
            auth.login(s, "anna", "not the password!", "192.0.2.5")
    with pytest.raises(TooManyAttempts), db.session() as s:
        auth.login(s, "anna", PASSWORD, "192.0.2.5")
    listed = run_cli("officer", "list", data_dir=tmp_path).stdout
    assert "locked" in listed
    done = run_cli("officer", "unlock", "anna", data_dir=tmp_path)
    assert done.returncode == 0 and "Unlocked anna" in done.stdout
    with db.session() as s:
        assert auth.login(s, "anna", PASSWORD, "192.0.2.5").username == "anna"
    db.dispose()


@pytest.mark.parametrize("peer, headers, expected", [
    ("192.0.2.10", {"X-Real-IP": "10.9.9.9"}, "192.0.2.10"),            # a direct browser cannot choose its address
    (None, {"X-Real-IP": "192.0.2.20"}, "192.0.2.20"),                   # behind the local proxy
    (None, {"X-Forwarded-For": "6.6.6.6, 192.0.2.30"}, "192.0.2.30"),    # only the part the proxy added
    (None, {"X-Real-IP": "not an address"}, None),
    (None, {}, None),                                                    # a local run: one shared key
])
def test_the_client_address_comes_from_the_connection(monkeypatch, peer, headers, expected):
    import types

    import ui.client

    fake = types.SimpleNamespace(context=types.SimpleNamespace(ip_address=peer, headers=headers))
    monkeypatch.setattr(ui.client, "st", fake)
    assert ui.client.client_address() == expected
