"""Issue 12 item 3 and issue 11 bug 2: a deletion forgets everything it promises to, in every
version, and a purge forgets exactly what its dry run counted."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal

import pytest
from PIL import Image

from steunwijzer import applications, funds, reports, retention, review
from steunwijzer.models import Decision, Officer, Status
from steunwijzer.store import AnswerRow, ApplicationRow, AudioRow, AuditRow, DecisionRow, MessageRow, PhotoRow, utcnow
from tests.factories import send

KEY = b"k"
ADMIN = Officer(username="admin", is_admin=True)
SECRET_WORDS = ("Geheime Buurtgroep", "NL86INGB0002445588", "06 55555555")


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def granted_twice_changed(db):
    """A group that sent, changed its application (two versions), got a grant and reported with a photo."""
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        app, code = applications.start(s, "initiatievenfonds-voorbeeld", "nl", KEY)
        applications.save_answer(s, app.id, "group_name", SECRET_WORDS[0])
        send(s, app.id)
        applications.store_audio(s, app.id, b"RIFF-first-version", "audio/wav", "a.wav", 1.0, "plan")
        new = applications.new_version(s, app.id)
        send(s, new.id)
        review.ask_group(s, ADMIN, new.id, None, "Wie kookt er?")
        review.answer_officer(s, new.id, "Samira kookt. Bel 06 55555555.", language="nl")
        review.decide(s, ADMIN, new.id, Decision(outcome="grant", amount_eur=Decimal("400"), payment="advance",
                                                 conditions="Alleen voor Samira"))
        reports.add_photo(s, new.id, _photo(), "image/png", "feest.png", 10_000_000)
    return app.id, new.id, code


def test_delete_on_request_forgets_every_version_photos_messages_and_decision_text(db, granted_twice_changed):
    first, second, code = granted_twice_changed
    with db.session() as s:
        counts = review.delete_on_request(s, ADMIN, second, "phone call 7 December")
    assert counts["applications"] == 2 and counts["photos"] == 1 and counts["audio"] == 1 and counts["messages"] == 2
    with db.session() as s:
        for table in (AnswerRow, AudioRow, PhotoRow, MessageRow):
            assert s.query(table).filter(table.application_id.in_([first, second])).count() == 0, table
        for row in s.query(ApplicationRow).filter(ApplicationRow.id.in_([first, second])):
            assert row.group_name is None and row.profile == {}
        decision = s.query(DecisionRow).filter_by(application_id=second).one()
        assert decision.conditions is None and decision.amount_eur == Decimal("400.00")  # the skeleton stays
        assert s.get(ApplicationRow, second).status == Status.closed
        lines = s.query(AuditRow).filter_by(action="application.delete").all()
        assert sorted(line.application_id for line in lines) == [first, second]
    with pytest.raises(Exception), db.session() as s:
        applications.resume(s, code, "c", KEY)


def test_nothing_personal_is_left_in_the_sqlite_file_or_its_wal(db, granted_twice_changed, tmp_path):
    if not db.url.startswith("sqlite"):
        pytest.skip("secure_delete and the WAL are SQLite's")
    first, second, _ = granted_twice_changed
    with db.session() as s:
        review.delete_on_request(s, ADMIN, second, "request")
    db.checkpoint()
    path = db.url.removeprefix("sqlite:///")
    raw = b"".join(open(p, "rb").read() for p in (path, path + "-wal") if os.path.exists(p))
    for word in SECRET_WORDS:
        assert word.encode() not in raw, word


def test_purge_dry_run_counts_exactly_what_the_run_deletes(db, granted_twice_changed):
    with db.session() as s:
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", KEY)
        applications.save_answer(s, app.id, "group_name", "Vergeten concept")
        applications.store_audio(s, app.id, b"RIFF-draft", "audio/wav", "d.wav", 1.0, "plan")
    later = utcnow() + timedelta(days=91)
    with db.session() as s:
        dry = retention.purge(s, 365, draft_days=90, now=later, dry_run=True)
    with db.session() as s:
        done = retention.purge(s, 365, draft_days=90, now=later)
    assert dry == done and done["applications"] == 1 and done["audio"] == 1
    with db.session() as s:
        assert s.get(ApplicationRow, app.id).status == Status.withdrawn
        assert retention.purge(s, 365, draft_days=90, now=later)["applications"] == 0  # forgotten once


def test_a_grant_whose_report_never_came_is_forgotten_a_retention_period_after_it_was_due(db, granted_twice_changed):
    _, second, _ = granted_twice_changed
    with db.session() as s:
        due = s.get(ApplicationRow, second).report_due
    with db.session() as s:
        assert retention.purge(s, 365, now=utcnow() + (due - utcnow().date()) + timedelta(days=300))["applications"] == 0
        counts = retention.purge(s, 365, now=utcnow() + (due - utcnow().date()) + timedelta(days=366))
    assert counts["applications"] == 2 and counts["photos"] == 1


def test_cli_delete_command(db, granted_twice_changed):
    _, second, _ = granted_twice_changed
    env = {**os.environ, "STEUNWIJZER_DATABASE_URL": db.url}
    run = lambda *a: subprocess.run([sys.executable, "-m", "steunwijzer", *a], capture_output=True, text=True, env=env, timeout=120)  # noqa: E731
    unknown = run("applications", "delete", "--id", "999999", "--reason", "test")
    assert unknown.returncode == 2 and len(unknown.stderr.strip().splitlines()) == 1 and "Traceback" not in unknown.stderr
    done = run("applications", "delete", "--id", str(second), "--reason", "phone call")
    assert done.returncode == 0, done.stderr
    with db.session() as s:
        assert s.query(PhotoRow).filter_by(application_id=second).count() == 0
