"""Issue 12 item 6: no user ever sees a traceback. An unexpected error on a page becomes one
translated sentence (with a reference) and a log line; the command line prints one line and an
exit code.

Replays: a full disk while an answer is saved (SQLite's own "database or disk is full") and a
read-only database, two sessions saving the same answer at the same moment, a broken database
file and unknown names on the command line."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from steunwijzer.i18n import gettext_for
from tests.app.test_application import ANSWERS, answer_current, button, new_session
from tests.security.conftest import PASSWORD, run_cli

from ui.errors import SORRY


def app_engine():
    from ui import resources

    return resources.database().engine  # the one the pages use (cached per process)


@contextmanager
def database_refuses_writes(fault: str):
    """Every new connection of the app fails to write, in one of two real ways:
    "full": SQLite may not grow the file by one more page, so it answers "database or disk is
    full" exactly as on a full disk (the free pages are vacuumed away first);
    "read-only": the connection is read-only, as on a volume that went read-only."""
    engine = app_engine()

    def refuse(dbapi_connection, _record):
        if fault == "full":
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")
        else:
            dbapi_connection.execute("PRAGMA query_only = ON")

    if fault == "full":
        with engine.connect() as conn:
            conn.exec_driver_sql("VACUUM")
    event.listen(engine, "connect", refuse)
    engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, "connect", refuse)
        engine.dispose()


@contextmanager
def another_session_saves_the_same_answer_first():
    """Two sessions save the same new answer at once; the other one commits between this
    session's "is there an answer yet?" and its INSERT. Made deterministic: the other session's
    row is written just before this INSERT runs, so the unique constraint refuses it."""
    engine = app_engine()
    fired = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not fired and statement.lstrip().upper().startswith("INSERT INTO ANSWERS"):
            fired.append(statement)
            cursor.execute(statement, parameters)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield fired
    finally:
        event.remove(engine, "before_cursor_execute", before)


def started(locale: str):
    at = new_session(locale)
    button(at, "Start", locale).click().run()
    [c for c in at.checkbox if c.label == gettext_for(locale)("I have written down my code")][0].check().run()
    assert not at.exception
    return at


def assert_one_sentence(at, locale: str, caplog) -> None:
    assert not at.exception, [e.value for e in at.exception]  # no Streamlit exception box, no traceback
    (shown,) = [e.value for e in at.error]
    reference = shown.rsplit(" ", 1)[-1].strip(").")
    assert shown == gettext_for(locale)(SORRY).format(reference=reference)
    assert "Traceback" not in shown and "/" not in shown
    logged = [r for r in caplog.records if r.name == "steunwijzer.ui" and reference in r.getMessage()]
    assert logged and logged[0].exc_info, "the traceback is in the log, findable by the reference"


def open_question(at, question_id: str):
    """Go to one question (as the step buttons do) and return its text field."""
    key = f"ans_{at.session_state['application_id']}_{question_id}"
    for step in range(15):
        at.session_state["step"] = step
        at.run()
        fields = [t for t in list(at.text_area) + list(at.text_input) if t.key == key]
        if fields:
            return fields[0]
    raise AssertionError(f"no question {question_id}")


@pytest.mark.parametrize("locale, fault", [("nl", "full"), ("ar", "full"), ("nl", "read-only")])
def test_a_database_error_while_saving_is_one_translated_sentence(app_db, caplog, locale, fault):
    caplog.set_level(logging.WARNING)
    at = started(locale)
    plan = open_question(at, "plan")
    step = at.session_state["step"]
    plan.input("ب" * 3000)  # a long answer: it needs new pages in the database file
    with database_refuses_writes(fault):
        button(at, "Save and go on", locale).click().run()
    assert_one_sentence(at, locale, caplog)
    assert at.session_state["step"] == step, "the page stays on the question, so the answer can be sent again"
    logged = " ".join(str(r.exc_info[1]) for r in caplog.records if r.name == "steunwijzer.ui" and r.exc_info)
    assert ("database or disk is full" if fault == "full" else "readonly database") in logged


def test_two_sessions_saving_the_same_answer_at_once(app_db, caplog):
    caplog.set_level(logging.WARNING)
    at = started("nl")
    answer_current(at, "nl", ANSWERS["nl"])
    with another_session_saves_the_same_answer_first() as fired:
        button(at, "Save and go on", "nl").click().run()
    assert fired, "the INSERT of the answer ran"
    assert_one_sentence(at, "nl", caplog)


def test_the_command_line_prints_one_line_for_a_broken_database(tmp_path):
    tmp_path.joinpath("steunwijzer.sqlite").write_bytes(b"this is not a database, it is a broken disk block" * 100)
    done = run_cli("officer", "list", data_dir=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("error: unexpected DatabaseError")
    assert "Traceback" in tmp_path.joinpath("cli-errors.log").read_text(), "the details are kept for the administrator"


@pytest.mark.parametrize("args", [["disable", "ghost"], ["enable", "ghost"], ["set", "ghost", "--admin"],
                                  ["set-password", "ghost", "--password-stdin"], ["unlock", "ghost"]])
def test_the_command_line_says_one_line_for_an_unknown_officer(tmp_path, args):
    done = run_cli("officer", *args, data_dir=tmp_path, stdin=PASSWORD + "\n")
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "error: This officer does not exist.\n")


def test_the_command_line_refuses_to_disable_the_last_administrator(tmp_path):
    assert run_cli("officer", "add", "anna", "--admin", "--password-stdin", data_dir=tmp_path, stdin=PASSWORD + "\n").returncode == 0
    done = run_cli("officer", "disable", "anna", data_dir=tmp_path)
    assert done.returncode == 2 and "last active administrator" in done.stderr and "Traceback" not in done.stderr
