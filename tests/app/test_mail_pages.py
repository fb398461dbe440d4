"""Mail in the app (AppTest): the lost-code route, the consent box on the contact question, the
fund-alert sign-up and its links, and the officer's own mail settings."""

import time
import re

import pytest
from sqlalchemy import select

from tests.factories import send
from steunwijzer import applications, auth, funds, notify
from steunwijzer.config import get_settings
from steunwijzer.i18n import gettext_for
from steunwijzer.models import Contact, Officer
from steunwijzer.store import Database, FundAlertRow, OutboxRow

CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
NEUTRAL = ("If we know this e-mail address, we have sent a new code to it. Look in your mailbox, also in the spam folder. "
           "No e-mail? Call {municipality}.")


@pytest.fixture(scope="module")
def db():
    database = Database(get_settings().sqlalchemy_url)
    database.migrate()
    with database.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        if not auth.list_officers(s) or "mail-officer" not in [o.username for o in auth.list_officers(s)]:
            auth.add_officer(s, "mail-officer", "a long officer password")
    yield database
    database.dispose()


def lost_code_request(open_page, email, locale="nl"):
    at = open_page("pages/2_application.py", locale=locale)
    form_inputs = [t for t in at.text_input if t.label == gettext_for(locale)("E-mail address")]
    form_inputs[0].input(email)
    [button] = [b for b in at.button if b.label == gettext_for(locale)("Send me a new code")]
    return button.click().run()


def test_lost_code_route_same_sentence_and_a_working_new_code(open_page, db):
    key = get_settings().resolved_secret_key()
    with db.session() as s:
        app, old = applications.start(s, "initiatievenfonds-voorbeeld", "ar", key)
        applications.save_answer(s, app.id, "contact", Contact(name="Samira", email="verloren@example.nl"))
    known = lost_code_request(open_page, "verloren@example.nl", locale="ar")
    unknown = lost_code_request(open_page, "niemand-bekend@example.nl", locale="ar")
    ar = gettext_for("ar")
    assert [s.value for s in known.success] == [s.value for s in unknown.success]
    assert known.success[0].value == ar(NEUTRAL).format(municipality=get_settings().municipality) and not known.exception
    with db.session() as s:
        [mail] = [m for m in s.scalars(select(OutboxRow).where(OutboxRow.kind == "lost_code", OutboxRow.application_id == app.id))]
    new = CODE.search(mail.body_text).group(0)
    assert new != old and mail.language == "ar"
    # the new code opens the application; the old one does not
    at = open_page("pages/2_application.py")
    at.text_input[0].input(old)
    at = [b for b in at.button if b.label == gettext_for("nl")("Continue")][0].click().run()
    assert at.error and "application_id" not in at.session_state
    at.text_input[0].input(new)
    at = [b for b in at.button if b.label == gettext_for("nl")("Continue")][0].click().run()
    assert at.session_state["application_id"] == app.id


def test_lost_code_bad_address_is_shown(open_page, db):
    at = lost_code_request(open_page, "geen adres")
    assert at.error and not at.success


def test_fund_alert_signup_and_links(open_page, db):
    profile = {"themes": ["meeting"], "legal_entity": False}
    at = open_page("pages/1_find_funding.py", locale="pl", state={"funding_profile": profile})
    pl = gettext_for("pl")
    [field] = [t for t in at.text_input if t.label == pl("E-mail address")]
    field.input("nieuws@example.nl")
    at = [b for b in at.button if b.label == pl("Send me news about funds")][0].click().run()
    assert at.success and not at.exception
    with db.session() as s:
        row = s.scalar(select(FundAlertRow).where(FundAlertRow.email == "nieuws@example.nl"))
        assert row.locale == "pl" and row.confirmed_at is None and row.profile["themes"] == ["meeting"]
        token = row.token

    home = open_page(None, locale="pl", state={})
    home.query_params["alert"] = "confirm"
    home.query_params["token"] = token
    home.run()
    assert home.success[0].value == pl("You will now get news about funds that fit your plan. Every e-mail has a link to stop.")
    assert "alert" not in home.query_params
    with db.session() as s:
        assert s.scalar(select(FundAlertRow).where(FundAlertRow.token == token)).confirmed_at is not None

    home = open_page(None, locale="pl")
    home.query_params.update({"alert": "stop", "token": token})
    home.run()
    assert home.success[0].value == pl("You will not get news about funds any more. We have deleted your e-mail address.")
    with db.session() as s:
        assert s.scalar(select(FundAlertRow).where(FundAlertRow.token == token)) is None
    home = open_page(None, locale="pl")
    home.query_params.update({"alert": "stop", "token": token})
    home.run()
    assert home.warning[0].value == pl("This link does not work any more.")


def test_officer_mail_settings_on_the_queue_page(open_page, db):
    at = open_page("pages/5_officer_queue.py", state={"officer": Officer(username="mail-officer").model_dump(),
                                                      "officer_seen": time.time()})
    nl = gettext_for("nl")
    mail_off = "Mail is off: no mail server is set (STEUNWIJZER_SMTP_URL). Mails wait in the outbox and nobody gets them yet."
    assert nl(mail_off) in [w.value for w in at.warning]  # no SMTP URL in the tests' settings
    [field] = [t for t in at.text_input if t.label == nl("Your e-mail address")]
    field.input("ambtenaar@gemeente.nl")
    [digest] = [c for c in at.checkbox if c.label == nl("A daily e-mail with what needs my attention")]
    digest.uncheck()
    at = [b for b in at.button if b.label == nl("Save") and b.key != "q_save"][0].click().run()
    assert not at.exception and not at.error
    with db.session() as s:
        assert notify.officer_mail_settings(s, "mail-officer") == {"email": "ambtenaar@gemeente.nl", "digest": False, "immediate": True}


def test_contact_question_has_the_consent_box(open_page, db):
    key = get_settings().resolved_secret_key()
    with db.session() as s:
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", key)
        applications.set_current_question(s, app.id, "contact")
    at = open_page("pages/2_application.py", state={"application_id": app.id})
    prefix = f"ans_{app.id}_contact_"
    texts = {t.key: t for t in at.text_input if t.key and t.key.startswith(prefix)}
    texts[prefix + "name"].input("Els")
    texts[prefix + "email"].input("els@example.nl")
    at.checkbox(key=prefix + "mail_ok").check()
    at = [b for b in at.button if b.label == gettext_for("nl")("Save and go on")][0].click().run()
    assert not at.error, [e.value for e in at.error]
    with db.session() as s:
        assert notify.contact_of(s, app.id) == Contact(name="Els", email="els@example.nl", mail_ok=True)


def test_review_page_tells_the_officer_whether_the_group_hears_of_a_question(open_page, db):
    key = get_settings().resolved_secret_key()
    with db.session() as s:
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", key)
        applications.save_answer(s, app.id, "contact", Contact(name="Els", email="els@example.nl", mail_ok=True))
        send(s, app.id)
    at = open_page("pages/6_officer_review.py", state={"officer": Officer(username="mail-officer", is_admin=True).model_dump(),
                                                       "officer_seen": time.time(), "review_id": app.id})
    assert not at.exception
    no_mail = gettext_for("nl")("This group gets no e-mail from us. Call them to say that there is a question.")
    assert no_mail in [c.value for c in at.caption]  # consent given, but mail is off in the tests' settings
