"""Journeys in a real browser: language and right-to-left, a recorded voice, the officer."""

import pytest

from steunwijzer.i18n import gettext_for
from tests.browser import OFFICER, record_with_fake_microphone, shot, wait_idle

pytestmark = pytest.mark.e2e
nl, ar = gettext_for("nl"), gettext_for("ar")


def choose_language(page, native_name: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=native_name).click()
    wait_idle(page)


def test_home_in_dutch_then_arabic_right_to_left(page, server):
    page.goto(server["url"])
    wait_idle(page)
    page.get_by_text(nl("Find money for your plan")).first.wait_for()
    shot(page, "home-nl")
    choose_language(page, "العربية")
    page.get_by_text(ar("Find money for your plan")).first.wait_for()
    page.wait_for_function("() => getComputedStyle(document.querySelector('.stMain')).direction === 'rtl'")
    shot(page, "home-ar")


def test_answer_recorded_through_the_microphone(page, server):
    page.goto(server["url"] + "/application")
    wait_idle(page)
    page.get_by_role("button", name=nl("Start")).click()
    wait_idle(page)
    page.get_by_label(nl("I have written down my code")).click(force=True)  # check() fails: the notice goes away at once
    wait_idle(page)
    page.get_by_label(nl("Your answer"), exact=True).fill("Buurtkoks")
    page.get_by_role("button", name=nl("Save and go on")).click()
    wait_idle(page)
    page.get_by_text(nl("Who are you, and who do you help?")).wait_for()
    record_with_fake_microphone(page, nl("We heard: {language}. Please read the text above and correct it where needed.").format(language="Nederlands"))
    text = page.get_by_label(nl("Your answer"), exact=True).input_value().lower()
    assert "organiseren" in text and "week" in text and "geld" in text
    shot(page, "voice-recorded-nl")


def test_officer_logs_in_and_sees_the_queue(page, server):
    page.goto(server["url"] + "/officer_queue")
    wait_idle(page)
    page.get_by_role("heading", name=nl("Log in for officers")).first.wait_for()
    page.get_by_label(nl("Username"), exact=True).fill(OFFICER[0])
    page.get_by_label(nl("Password"), exact=True).fill(OFFICER[1])
    page.get_by_role("button", name=nl("Log in")).click()
    wait_idle(page)
    page.get_by_role("heading", name=nl("Applications")).first.wait_for()
    # the inbox is an st.dataframe (drawn on a canvas); its cells are also in the accessible grid
    page.get_by_role("gridcell", name="Moestuin De Groene Hoek", include_hidden=True).first.wait_for(state="attached")
    shot(page, "officer-queue-nl")


def test_dutch_pitch_route_from_start_to_sent(page, server):
    page.goto(server["url"] + "/application")
    wait_idle(page)
    page.get_by_text(nl("Tell your plan in one recording or text (a pitch)")).click()
    wait_idle(page)
    page.get_by_role("button", name=nl("Start")).click()
    wait_idle(page)
    page.get_by_label(nl("I have written down my code")).click(force=True)  # check() fails: the notice goes away at once
    wait_idle(page)
    page.get_by_label(nl("Your answer"), exact=True).fill("Buurthuiskoks")
    page.get_by_role("button", name=nl("Save and go on")).click()
    wait_idle(page)
    page.get_by_text(nl("Tell us about your plan")).first.wait_for()
    page.get_by_text(nl("what it costs")).first.wait_for()  # the spoken checklist
    record_with_fake_microphone(page, nl("We heard: {language}. Please read the text above and correct it where needed.").format(language="Nederlands"))
    shot(page, "pitch-recorded-nl")
    page.get_by_role("button", name=nl("Save and go on")).click()
    wait_idle(page)
    page.get_by_label(nl("Number of people")).fill("30")
    page.get_by_role("button", name=nl("Save and go on")).click()
    wait_idle(page)
    page.get_by_label(nl("Cost {n}: what for?").format(n=1)).fill("Huur buurthuis")
    page.get_by_label(nl("Amount in euros")).first.fill("450,50")
    page.get_by_label(nl("Amount in euros")).first.press("Tab")
    wait_idle(page)
    page.get_by_role("button", name=nl("Save and go on")).click()
    wait_idle(page)
    page.get_by_label(nl("Amount in euros")).fill("1,500.00")   # English writing in a Dutch form: refused, not misread
    page.get_by_role("button", name=nl("Save and go on")).click()
    wait_idle(page)
    page.get_by_text(nl("We cannot read this amount. Write it like this: {example}").format(example="1.500,50")).wait_for()
    page.get_by_label(nl("Amount in euros")).fill("450,50")
    page.get_by_role("button", name=nl("Save and go on")).click()
    wait_idle(page)
    page.get_by_role("button", name=nl("Save and go on")).click()  # who else helps: may stay empty
    wait_idle(page)
    page.get_by_label(nl.pgettext("form field: your name", "Name"), exact=True).fill("Kees")
    page.get_by_label(nl("E-mail address")).fill("kees@example.nl")
    page.get_by_role("button", name=nl("Save and go on")).click()
    wait_idle(page)
    page.get_by_text(nl("To an organisation that receives the money for us (penvoerder)")).click()
    wait_idle(page)
    page.get_by_label(nl("Name of the organisation")).fill("Stichting Buurthuis")
    page.get_by_label(nl("IBAN (bank account number)")).fill("NL91ABNA0417164300")
    page.get_by_label(nl("Name of the account holder")).fill("Stichting Buurthuis")
    page.get_by_role("button", name=nl("Save and go on")).click()
    wait_idle(page)
    page.get_by_text(nl("Check your answers")).first.wait_for()
    page.get_by_label(nl("I agree that my answers and recordings are stored for this application.")).check(force=True)
    wait_idle(page)
    page.get_by_role("button", name=nl("Send my application")).click()
    wait_idle(page)
    page.get_by_text(nl("Your application was sent. An officer will read it. You will hear from us within 4 weeks.")).wait_for()
    shot(page, "pitch-sent-nl")
