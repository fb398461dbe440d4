"""What to tell whom when: group mails only with consent and in the application's language,
reminders once, the officers' digest and second-approval mail, the lost-code route and the CLI."""

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import send
from steunwijzer import applications, auth, funds, notify, recovery, review, schedule
from steunwijzer.config import Settings
from steunwijzer.errors import InvalidInput, NotFound, TooManyAttempts
from steunwijzer.mail_texts import MAILS
from steunwijzer.models import Contact, Decision, Officer
from steunwijzer.store import ApplicationRow, AuditRow, OutboxRow, ReportRow

KEY = b"test-secret-key"
FUND = "initiatievenfonds-voorbeeld"
CODE_PATTERN = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
SETTINGS = Settings(base_url="https://steun.example.nl", municipality="Gemeente Voorbeeld")
ADMIN = Officer(username="admin", is_admin=True)


def new_application(s, locale="nl", email="groep@example.nl", mail_ok=True, submit=True):
    app, code = applications.start(s, FUND, locale, KEY)
    applications.save_answer(s, app.id, "group_name", "Buurtgroep Zonnebloem")
    applications.save_answer(s, app.id, "contact", Contact(name="Els", email=email, mail_ok=mail_ok))
    if submit:
        send(s, app.id)
    return app.id, code


@pytest.fixture
def world(db):
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
    return db


def mails(db, kind=None) -> list[OutboxRow]:
    with db.session() as s:
        query = select(OutboxRow).order_by(OutboxRow.id)
        if kind:
            query = query.where(OutboxRow.kind == kind)
        return list(s.scalars(query))


# ---- the templates ------------------------------------------------------------------------------

SAMPLE = {"number": 12, "fund": "Initiatievenfonds", "municipality": "Gemeente Voorbeeld", "date": "1 maart 2027",
          "code": "K7QM-2XPA-9RTB", "new": 2, "answered": 1, "reports": 0, "overdue": 1, "items": "• Fonds A"}


@pytest.mark.parametrize("locale", ["nl", "ar"])
@pytest.mark.parametrize("kind", sorted(MAILS))
def test_every_mail_renders_translated_with_a_plain_text_part(kind, locale):
    subject, text, html = notify.render(kind, locale, SAMPLE, link="https://steun.example.nl/application?lang=" + locale)
    english, _, _ = notify.render(kind, "en", SAMPLE, link="https://x")
    assert subject != english, "not translated"
    assert "{" not in subject + text and "https://steun.example.nl/application" in text
    assert f'lang="{locale}" dir="{"rtl" if locale == "ar" else "ltr"}"' in html
    assert ("K7QM-2XPA-9RTB" in text) == (kind == "lost_code"), "a resume code only in the lost-code mail"
    for personal in ("Initiatievenfonds", "12", "K7QM", "Els"):
        assert personal not in subject, "no personal data in a subject"


def test_html_escapes_and_links():
    _, _, html = notify.render("fund_alert", "nl", {**SAMPLE, "items": "<b>Fonds & co</b>"}, link="https://x/?a=1&b=2",
                               unsubscribe="https://x/?alert=stop&token=abc")
    assert "&lt;b&gt;Fonds &amp; co&lt;/b&gt;" in html and '<a href="https://x/?a=1&amp;b=2">' in html
    assert '<a href="https://x/?alert=stop&amp;token=abc">' in html


# ---- groups -------------------------------------------------------------------------------------

def test_received_question_decision_in_the_applications_language(world):
    with world.session() as s:
        app_id, code = new_application(s, locale="ar")
        review.ask_group(s, ADMIN, app_id, None, "Hoeveel mensen komen er? Geheime vraagtekst.")
        review.decide(s, ADMIN, app_id, Decision(outcome="refuse", reason="Past niet"))
    sent = mails(world)
    assert [m.kind for m in sent] == ["application_received", "question_asked", "decision_taken"]
    for mail in sent:
        assert mail.language == "ar" and mail.recipient == "groep@example.nl" and mail.recipient_type == "group"
        assert re.search("[\u0600-\u06ff]", mail.subject), mail.subject
        assert code not in mail.body_text and not CODE_PATTERN.search(mail.body_text)
        assert "Geheime vraagtekst" not in mail.body_text and "Zonnebloem" not in mail.body_text + mail.subject
        assert "lang=ar" in mail.body_text and mail.application_id == app_id


@pytest.mark.parametrize("email, mail_ok", [("groep@example.nl", False), (None, True)])
def test_no_mail_without_consent_or_address(world, email, mail_ok):
    with world.session() as s:
        app_id, _ = new_application(s, email=email, mail_ok=mail_ok)
        review.ask_group(s, ADMIN, app_id, None, "Vraag")
    assert mails(world) == []


def test_consent_needs_an_address():
    from steunwijzer.answer_types import validate_contact
    from steunwijzer.models import Question, QuestionType

    q = Question(id="contact", type=QuestionType.contact, text="x")
    assert validate_contact(q, {"name": "A", "phone": "06 12345678", "mail_ok": True}, "nl").mail_ok is False
    assert validate_contact(q, {"name": "A", "email": "a@example.nl", "mail_ok": True}, "nl").mail_ok is True
    assert validate_contact(q, {"name": "A", "email": "a@example.nl"}, "nl").mail_ok is False


def test_reminders_are_made_once(world):
    today = date(2027, 3, 1)
    with world.session() as s:
        due_soon, _ = new_application(s)
        overdue, _ = new_application(s, email="ander@example.nl")
        later, _ = new_application(s, email="later@example.nl")
        for app_id in (due_soon, overdue, later):
            review.decide(s, ADMIN, app_id, Decision(outcome="grant", amount_eur=Decimal("500"), payment="advance"))
        for app_id, due in ((due_soon, today + timedelta(days=10)), (overdue, today - timedelta(days=1)), (later, today + timedelta(days=40))):
            s.scalar(select(ReportRow).where(ReportRow.application_id == app_id)).due_date = due
        refused, _ = new_application(s, email="weg@example.nl")
        review.decide(s, ADMIN, refused, Decision(outcome="refuse", reason="Nee"))
        s.get(ApplicationRow, refused).closed_at = datetime(2027, 3, 1) - timedelta(days=SETTINGS.retention_days - 20)
    for _ in range(2):
        with world.session() as s:
            counts = notify.schedule_reminders(s, today, SETTINGS)
    assert counts == {"report_due": 0, "report_overdue": 0, "data_deletion": 0}  # the second run adds nothing
    assert [(m.kind, m.application_id) for m in mails(world) if m.kind in ("report_due", "report_overdue", "data_deletion")] == [
        ("report_due", due_soon), ("report_overdue", overdue), ("data_deletion", refused)]
    due_mail = mails(world, "report_due")[0]
    assert "11 maart 2027" in due_mail.body_text and "https://steun.example.nl/report?lang=nl" in due_mail.body_text
    assert "21 maart 2027" in mails(world, "data_deletion")[0].body_text


# ---- officers -----------------------------------------------------------------------------------

def test_officer_digest_and_switches(world):
    today = date.today()
    with world.session() as s:
        auth.add_officer(s, "piet", "a long password 1", fund_ids=[FUND])
        auth.add_officer(s, "zonder", "a long password 1", fund_ids=[FUND])
        notify.set_officer_mail(s, "piet", "piet@gemeente.nl", digest=True, immediate=True, actor="test")
        first, _ = new_application(s)
        second, _ = new_application(s, email="b@example.nl")
        review.ask_group(s, ADMIN, second, None, "Vraag")
        review.answer_officer(s, second, "Antwoord", "nl")
        assert notify.digest_counts(s, s.scalar(select(notify.OfficerRow).where(notify.OfficerRow.username == "piet")), today) == \
            {"new": 1, "answered": 1, "reports": 0, "overdue": 0}
    with world.session() as s:
        assert notify.officer_digest(s, today, SETTINGS) == 1
        assert notify.officer_digest(s, today, SETTINGS) == 0  # once a day
    digest = mails(world, "officer_digest")
    assert len(digest) == 1 and digest[0].recipient == "piet@gemeente.nl" and digest[0].recipient_type == "officer"
    assert "Nieuwe aanvragen: 1" in digest[0].body_text
    with world.session() as s:
        notify.set_officer_mail(s, "piet", "piet@gemeente.nl", digest=False, immediate=True, actor="test")
        assert notify.officer_digest(s, today + timedelta(days=1), SETTINGS) == 0


def test_digest_waits_for_the_morning(world):
    with world.session() as s:
        auth.add_officer(s, "piet", "a long password 1")
        notify.set_officer_mail(s, "piet", "piet@gemeente.nl", digest=True, immediate=True, actor="test")
        new_application(s)
        assert schedule.run_scheduled(s, datetime(2027, 3, 1, 6, 0), SETTINGS)["officer_digest"] == 0
        assert schedule.run_scheduled(s, datetime(2027, 3, 1, 7, 5), SETTINGS)["officer_digest"] == 1


def test_second_approval_mail_at_once_unless_switched_off(world):
    with world.session() as s:
        auth.add_officer(s, "piet", "a long password 1")
        app_id, _ = new_application(s)
        assert notify.second_approval_requested(s, app_id, "piet", SETTINGS) is None  # no address yet
        notify.set_officer_mail(s, "piet", "piet@gemeente.nl", digest=True, immediate=True, actor="test")
        mail = notify.second_approval_requested(s, app_id, "piet", SETTINGS)
        assert mail.kind == "second_approval" and mail.recipient == "piet@gemeente.nl" and f"nummer {app_id}" in mail.body_text
        notify.set_officer_mail(s, "piet", "piet@gemeente.nl", digest=True, immediate=False, actor="test")
        assert notify.second_approval_requested(s, app_id, "piet", SETTINGS) is None


def test_officer_mail_settings_validate(world):
    with world.session() as s:
        auth.add_officer(s, "piet", "a long password 1")
        with pytest.raises(InvalidInput):
            notify.set_officer_mail(s, "piet", "geen adres", True, True, actor="test")
        with pytest.raises(NotFound):
            notify.set_officer_mail(s, "niemand", "a@b.nl", True, True, actor="test")
        notify.set_officer_mail(s, "piet", "", True, False, actor="test")
        assert notify.officer_mail_settings(s, "piet") == {"email": None, "digest": True, "immediate": False}


# ---- lost code ----------------------------------------------------------------------------------

def test_lost_code_mails_a_new_code_and_the_old_one_stops(world):
    with world.session() as s:
        app_id, old = new_application(s, locale="ar", email="Groep@Example.nl", mail_ok=False)
    with world.session() as s:
        assert recovery.request_new_code(s, " groep@example.NL ", "client-1", KEY) == 1
    [mail] = mails(world, "lost_code")
    new = CODE_PATTERN.search(mail.body_text).group(0)
    assert new != old and mail.language == "ar" and mail.recipient == "Groep@Example.nl"  # as the group wrote it
    assert new not in mail.subject
    with world.session() as s:
        assert applications.resume(s, new, "c", KEY).id == app_id
    with pytest.raises(InvalidInput), world.session() as s:
        applications.resume(s, old, "c", KEY)
    with world.session() as s:
        assert s.scalar(select(AuditRow).where(AuditRow.action == "application.new_code")).application_id == app_id


def test_lost_code_unknown_address_looks_the_same_and_limits_hold(world):
    with world.session() as s:
        new_application(s, email="bekend@example.nl")
    with world.session() as s:
        assert recovery.request_new_code(s, "onbekend@example.nl", "client-a", KEY) == 0  # no error: same page
    for n in range(recovery.PER_ADDRESS):
        with world.session() as s:
            assert recovery.request_new_code(s, "bekend@example.nl", f"client-{n}", KEY) == 1
    with world.session() as s:  # this address had enough mail today
        assert recovery.request_new_code(s, "bekend@example.nl", "client-x", KEY) == 0
    for _ in range(recovery.PER_CLIENT - 1):
        with world.session() as s:
            recovery.request_new_code(s, "iemand@example.nl", "client-a", KEY)
    with pytest.raises(TooManyAttempts), world.session() as s:
        recovery.request_new_code(s, "iemand@example.nl", "client-a", KEY)
    with pytest.raises(InvalidInput), world.session() as s:
        recovery.request_new_code(s, "geen adres", "client-b", KEY)


def test_replace_code_refuses_unknown_and_deleted(world):
    with world.session() as s:
        app_id, _ = new_application(s)
        applications.forget(s, app_id, "test", "asked")
    for bad in (app_id, 9999):
        with pytest.raises(NotFound), world.session() as s:
            recovery.replace_code(s, bad, KEY, "cli")


# ---- command line -------------------------------------------------------------------------------

def run(tmp_path, *args):
    env = {**os.environ, "STEUNWIJZER_DATA_DIR": str(tmp_path), "STEUNWIJZER_SECRET_KEY": "test-secret-key"}
    env.pop("STEUNWIJZER_SMTP_URL", None)
    return subprocess.run([sys.executable, "-m", "steunwijzer", *args], capture_output=True, text=True, timeout=120, env=env)


def test_cli_new_code_outbox_and_officer_mail(tmp_path):
    assert run(tmp_path, "init-db", "--demo").returncode == 0
    result = run(tmp_path, "applications", "new-code", "--id", "2")
    assert result.returncode == 0 and CODE_PATTERN.fullmatch(result.stdout.strip()), result.stderr
    unknown = run(tmp_path, "applications", "new-code", "--id", "999")
    assert unknown.returncode == 2 and unknown.stderr.strip().count("\n") == 0 and "does not exist" in unknown.stderr

    listed = json.loads(run(tmp_path, "outbox", "list", "--json").stdout)
    assert {m["kind"] for m in listed} >= {"application_received"} and all("body_text" not in m for m in listed)
    assert any(m["language"] == "ar" for m in listed)
    sent = run(tmp_path, "outbox", "send")
    assert sent.returncode == 0 and "Mail is off" in sent.stdout

    subprocess.run([sys.executable, "-m", "steunwijzer", "officer", "add", "piet", "--password-stdin"], input="a long password 1\n",
                   capture_output=True, text=True, env={**os.environ, "STEUNWIJZER_DATA_DIR": str(tmp_path)}, check=True)
    result = run(tmp_path, "officer", "set-mail", "piet", "--email", "piet@gemeente.nl", "--no-digest")
    assert result.returncode == 0 and "immediate" in result.stdout and "digest" not in result.stdout.split(";")[1]
    bad = run(tmp_path, "officer", "set-mail", "piet", "--email", "nee")
    assert bad.returncode == 2 and "e-mail address" in bad.stderr


def test_run_due_schedules_and_sends(world):
    from steunwijzer.store import utcnow
    from tests.mailserver import MailServer

    server = MailServer().start()
    try:
        settings = Settings(smtp_url=server.url(query="starttls=off"), base_url="https://steun.example.nl")
        with world.session() as s:
            new_application(s)
        scheduled, result = schedule.run_due(world, settings, utcnow())
        assert result.sent == 1 and scheduled["outbox_pruned"] == 0
        assert server.received[0].message["Subject"] == "We hebben je aanvraag ontvangen"
        assert schedule.run_due(world, settings)[1].sent == 0
    finally:
        server.stop()


def test_a_grant_waiting_for_four_eyes_mails_the_colleagues_at_once(world):
    """The proposal itself asks: every other officer of the fund who wants immediate mail hears of it."""
    from steunwijzer import review
    from steunwijzer.store import OutboxRow

    with world.session() as s:
        auth.add_officer(s, "piet", "a long password 1")
        auth.add_officer(s, "anna", "a long password 2")
        notify.set_officer_mail(s, "piet", "piet@gemeente.nl", digest=True, immediate=True, actor="test")
        notify.set_officer_mail(s, "anna", "anna@gemeente.nl", digest=True, immediate=True, actor="test")
        app_id, _ = new_application(s)
        review.decide(s, auth.get_officer(s, "anna"), app_id,
                      Decision(outcome="grant", amount_eur=Decimal("1500"), payment="advance"), four_eyes_from=Decimal("1000"))
        asked = [m.recipient for m in s.query(OutboxRow).filter_by(kind="second_approval")]
    assert asked == ["piet@gemeente.nl"]  # not the officer who proposed it


def test_the_task_queue_sends_the_outbox_every_minute(tmp_path):
    """The mail job is a periodic task on the same Huey queue as the transcriptions."""
    from steunwijzer import jobs

    settings = Settings(data_dir=tmp_path)
    huey = jobs.huey_for(settings)
    periodic = [t.name for t in huey._registry.periodic_tasks]
    assert any(name.endswith(jobs.MAIL_TASK_NAME) for name in periodic), periodic
