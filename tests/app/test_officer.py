"""Officer pages: the guard, the queue, asking back, deciding with letters, the report."""

from decimal import Decimal

import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import send
from steunwijzer import applications, auth, funds
from steunwijzer.config import get_settings
from steunwijzer.i18n import gettext_for
from steunwijzer.models import Officer
from steunwijzer.store import Database
from tests.app.conftest import APP

from ui.menu import MENU

# From the menu itself: a new officer page is guarded by these tests without a change here.
OFFICER_PAGES = [item.path for item in MENU if item.role in ("officer", "admin")]
ADMIN_PAGES = [item.path for item in MENU if item.role == "admin"]
nl = gettext_for("nl")


@pytest.fixture(scope="module")
def world():
    db = Database(get_settings().sqlalchemy_url)
    db.migrate()
    key = get_settings().resolved_secret_key()
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        existing = {o.username for o in auth.list_officers(s)}
        for name, password, admin in (("admin-test", "a long admin password", True), ("officer-test", "a long officer password", False)):
            if name not in existing:
                auth.add_officer(s, name, password, is_admin=admin)
        app, code = applications.start(s, "initiatievenfonds-voorbeeld", "ar", key)
        applications.save_answer(s, app.id, "group_name", "مطبخ الجيران", language="ar")
        applications.save_answer(s, app.id, "amount_asked", Decimal("1200"), language="ar")
        send(s, app.id)
    yield {"db": db, "app_id": app.id, "code": code}
    db.dispose()


def run_page(page, locale="nl", officer=None, state=None):
    import time

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["locale"] = locale
    if officer:
        at.session_state["officer"] = officer.model_dump()
        at.session_state["officer_seen"] = time.time()
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.switch_page(page)
    return at.run()


@pytest.mark.parametrize("page", OFFICER_PAGES)
@pytest.mark.parametrize("locale", ["nl", "ar"])
def test_officer_pages_show_only_login_without_login(world, page, locale):
    at = run_page(page, locale)
    assert not at.exception
    assert [h.value for h in at.header] == [gettext_for(locale)("Log in for officers")]
    assert not at.dataframe and not at.title, "nothing of the page itself is shown"


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_refuse_plain_officers(world, page):
    at = run_page(page, officer=Officer(username="officer-test"))
    assert at.error[0].value == nl("Only administrators can open this page.")
    assert not at.dataframe


def test_login_wrong_then_right(world):
    at = run_page("pages/5_officer_queue.py")
    at.text_input[0].input("officer-test")
    at.text_input[1].input("wrong password!!")
    at.button[0].click().run()
    assert at.error[0].value == nl("Username or password is not correct.")
    at.text_input[1].input("a long officer password")
    at.button[0].click().run()
    assert at.title[0].value == nl("Applications")


def test_idle_officer_is_logged_out(world):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["officer"] = Officer(username="officer-test").model_dump()
    at.session_state["officer_seen"] = 0  # long ago
    at.switch_page("pages/5_officer_queue.py")
    at.run()
    assert at.info[0].value == nl("You were logged out because you were inactive for a while.")


def test_queue_lists_and_filters(world):
    at = run_page("pages/5_officer_queue.py", officer=Officer(username="officer-test"))
    assert not at.exception
    table = at.dataframe[0].value
    assert "مطبخ الجيران" in table[nl("Group")].tolist()
    at.text_input(key="q_text").input("no such group").run()
    assert at.info[0].value == nl("No applications match these filters.")
    at.text_input(key="q_text").input("").run()
    at.text_input(key="q_min").input("900.000,00").run()
    assert at.info[0].value == nl("No applications match these filters.")
    at.text_input(key="q_min").input("abc").run()
    assert at.error, "a bad amount gives a message, not a crash"


def test_ask_back_volunteer_answers_officer_sees(world):
    app_id = world["app_id"]
    at = run_page("pages/6_officer_review.py", officer=Officer(username="officer-test"), state={"review_id": app_id})
    assert not at.exception
    [b for b in at.selectbox if b.label == nl("Common question (the group reads it in its own language)")][0].set_value("costs")
    [b for b in at.button if b.label == nl("Send the question")][0].click().run()
    # the volunteer opens the application in Arabic and sees the question in Arabic
    vol = run_page("pages/2_application.py", locale="ar", state={"application_id": app_id})
    ar = gettext_for("ar")
    assert any(ar("Can you tell more about the costs?") in m.value for m in vol.markdown)
    vol.text_area(key=f"ans_{app_id}_reply").input("الطعام ٩٠٠ يورو والمطبخ ٣٠٠ يورو").run()
    # the answer is kept while it is written: a reload (a new session) shows it again
    vol = run_page("pages/2_application.py", locale="ar", state={"application_id": app_id})
    assert vol.text_area(key=f"ans_{app_id}_reply").value == "الطعام ٩٠٠ يورو والمطبخ ٣٠٠ يورو"
    [b for b in vol.button if b.label == ar("Send my answer")][0].click().run()
    assert not vol.error
    db = Database(get_settings().sqlalchemy_url)
    with db.session() as s:
        app = applications.load(s, app_id)
        assert not app.message_answers, "sent: the kept answer is cleared"
        assert app.messages[-1].sender == "group" and app.messages[-1].text == "الطعام ٩٠٠ يورو والمطبخ ٣٠٠ يورو"
    db.dispose()
    at = run_page("pages/6_officer_review.py", officer=Officer(username="officer-test"), state={"review_id": app_id})
    assert any("الطعام ٩٠٠ يورو" in m.value for m in at.markdown)


def test_grant_with_letters_then_report_then_approve(world):
    app_id = world["app_id"]
    officer = Officer(username="officer-test")
    at = run_page("pages/6_officer_review.py", officer=officer, state={"review_id": app_id})
    at.radio[0].set_value("grant").run()
    amount = [t for t in at.text_input if t.label == nl("Amount granted")][0]
    amount.input("1.200").run()
    [b for b in at.button if b.label == nl("Save the decision")][0].click().run()
    assert not at.error, [e.value for e in at.error]
    labels = [d.label for d in at.get("download_button")]
    assert nl("Decision letter ({language})").format(language="Arabisch") in labels
    assert nl("Official decision letter ({language})").format(language="Nederlands") in labels

    # the volunteer tells how it went
    ar = gettext_for("ar")
    vol = run_page("pages/3_report.py", locale="ar", state={"application_id": app_id})
    assert not vol.exception
    areas = {t.key: t for t in vol.text_area}
    for key, text in areas.items():
        text.input("ذهب كل شيء بشكل جيد")
    [t for t in vol.text_input if t.key.endswith("people_reached")][0].input("٢٠")
    [b for b in vol.button if b.label == ar("Send my report")][0].click().run()
    assert not vol.error, [e.value for e in vol.error]
    assert vol.success[0].value == ar("Thank you for telling us how it went.")

    at = run_page("pages/6_officer_review.py", officer=officer, state={"review_id": app_id})
    [b for b in at.button if b.label == nl("Approve the report and close the grant")][0].click().run()
    with world["db"].session() as s:
        assert applications.load(s, app_id).status == "closed"


def test_refuse_needs_a_reason_and_suggests_other_funds(world):
    key = get_settings().resolved_secret_key()
    with world["db"].session() as s:
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", key,
                                    profile={"themes": ["meeting"], "municipality": "Rotterdam", "legal_entity": False})
        applications.save_answer(s, app.id, "group_name", "Weigeren Test")
        send(s, app.id)
    at = run_page("pages/6_officer_review.py", officer=Officer(username="officer-test"), state={"review_id": app.id})
    at.radio[0].set_value("refuse").run()
    suggestion = [c.value for c in at.caption if c.value.startswith(nl("The letter suggests these funds: {names}").split("{")[0])]
    assert suggestion and "Rotterdam" in suggestion[0], "funds that fit the group's profile are suggested"
    [b for b in at.button if b.label == nl("Save the decision")][0].click().run()
    assert at.error[0].value == nl("Please give the reason for the refusal. The group will read it.")
    at.multiselect[0].select("budget_spent").run()
    [t for t in at.text_area if t.label == nl("Own reason (optional; the group reads it as you write it)")][0].input(
        "Het plan valt buiten de regels van dit fonds.")
    preview = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert nl("The money for this year is used up.") in preview, "the officer reads the letter before confirming"
    [b for b in at.button if b.label == nl("Save the decision")][0].click().run()
    assert not at.error, [e.value for e in at.error]
    labels = [d.label for d in at.get("download_button")]
    assert nl("Official decision letter ({language})").format(language="Nederlands") in labels
    with world["db"].session() as s:
        assert applications.load(s, app.id).status == "refused"
    # the group reads the standard reason in its language, the officer's words marked, and the same other funds
    vol = run_page("pages/2_application.py", locale="ar", state={"application_id": app.id})
    shown = " ".join(m.value for m in vol.markdown).replace("\\", "")
    ar = gettext_for("ar")
    assert ar("The money for this year is used up.") in shown and ar("Other funds you could try") in shown
    assert "Rotterdam" in shown.replace("\u2060", "")
    assert ar("Written by the officer:") in [c.value for c in vol.caption]


def test_the_catalogue_page_shows_status_and_facts_to_check(world):
    at = run_page("pages/7_officer_catalogue.py", officer=Officer(username="admin-test", is_admin=True))
    assert not at.exception
    table = at.dataframe[0].value
    rows = {row[nl("Id")]: row for row in table.to_dict("records")}
    assert rows["drenthe-dorpsinitiatieven"][nl("Status")] == nl("Closed")
    assert rows["rotterdam-bewonersinitiatieven"][nl("Status")] == nl("Open for applications")
    assert rows["kinderpostzegels"][nl("Check this with the fund")] == nl("Who may apply")  # no source confirms it
    assert rows["rotterdam-bewonersinitiatieven"][nl("Check this with the fund")] == ""


def test_the_group_sees_the_decision_it_was_told_while_a_correction_waits(world):
    from steunwijzer import review
    from steunwijzer.models import Decision

    anna = Officer(username="anna", is_admin=True)
    with world["db"].session() as s:
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", get_settings().resolved_secret_key())
        applications.save_answer(s, app.id, "group_name", "Buurtkoks")
        send(s, app.id)
        review.decide(s, anna, app.id, Decision(outcome="refuse", reason="Het geld is op."))
        review.decide(s, anna, app.id, Decision(outcome="grant", amount_eur=Decimal("9000"), payment="advance"),
                      confirm_reason="Groot plan")  # a correction that waits for a second officer
    vol = run_page("pages/2_application.py", state={"application_id": app.id})
    assert not vol.exception
    shown = " ".join(m.value for m in vol.markdown)
    assert nl("The decision") in [h.value for h in vol.subheader]
    assert "Het geld is op" in shown and "9.000" not in shown
    from steunwijzer import workflow
    from steunwijzer.models import Status

    assert vol.success[0].value == nl(workflow.group_text(Status.refused))  # not "an officer will read it"
