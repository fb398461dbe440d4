"""The typed journey: start, answer, leave, resume with the code, review, submit, download."""

import pytest
from streamlit.testing.v1 import AppTest

from steunwijzer import forms, funds
from steunwijzer.config import get_settings
from steunwijzer.i18n import gettext_for
from steunwijzer.store import Database
from tests.app.conftest import APP

PAGE = "pages/2_application.py"
# The screens come from the form itself: a new question changes no test.
SCREENS = [q.id for q in forms.load_form("application").questions_for("questions")]

ANSWERS = {
    "nl": {"group_name": "Buurtmoeders Oosterwijk", "who_you_are": "Zes moeders uit de wijk.", "plan": "Een huiswerkclub op woensdag.",
           "why": "Kinderen krijgen thuis weinig hulp.", "when_where": "Van maart tot juli in het buurthuis.",
           "participants": "25", "amount_asked": "1.250,50", "other_support": "", "budget": [("Zaalhuur", "300"), ("Boeken", "1.000,50")]},
    "ar": {"group_name": "أمهات الحي", "who_you_are": "نحن ست أمهات من الحي.", "plan": "نادي للواجبات المدرسية يوم الأربعاء.",
           "why": "الأطفال لا يحصلون على مساعدة كافية في البيت 😊", "when_where": "من مارس إلى يوليو في المركز.",
           "participants": "٢٥", "amount_asked": "1,250.50", "other_support": "", "budget": [("إيجار القاعة", "300"), ("كتب", "1,000.50")]},
}


@pytest.fixture(scope="module", autouse=True)
def catalogue():
    db = Database(get_settings().sqlalchemy_url)
    db.migrate()
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
    db.dispose()


def new_session(locale):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["locale"] = locale
    at.switch_page(PAGE)
    return at.run()


def started(locale: str = "nl"):
    """A new application with its code acknowledged, on the first question: (AppTest, id)."""
    at = new_session(locale)
    button(at, "Start", locale).click().run()
    at.checkbox[0].check().run()
    return at, at.session_state["application_id"]


def button(at, msgid, locale):
    label = gettext_for(locale)(msgid)
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r} in {[b.label for b in at.button]}"
    return matches[0]


def answer_current(at, locale, answers):
    """Fill in whatever question is on screen; returns its id."""
    key_prefix = f"ans_{at.session_state['application_id']}_"
    texts = {ti.key: ti for ti in list(at.text_input) + list(at.text_area) if ti.key and ti.key.startswith(key_prefix)}
    if f"{key_prefix}budget_item0" in texts:
        for i, (item, amount) in enumerate(answers["budget"]):
            texts[f"{key_prefix}budget_item{i}"].input(item)
            texts[f"{key_prefix}budget_amount{i}"].input(amount)
        return "budget"
    if f"{key_prefix}contact_name" in texts:
        texts[f"{key_prefix}contact_name"].input("Fatima")
        texts[f"{key_prefix}contact_phone"].input("06 12345678")
        return "contact"
    if f"{key_prefix}bank_iban" in texts:
        texts[f"{key_prefix}bank_iban"].input("NL91 ABNA 0417 1643 00")
        texts[f"{key_prefix}bank_holder"].input("F. El Amrani")
        return "bank"
    (only,) = texts.values()
    qid = only.key[len(key_prefix):]
    only.input(answers[qid])
    return qid


@pytest.mark.parametrize("locale", ["nl", "ar"])
def test_typed_journey_with_resume(locale):
    answers = ANSWERS[locale]
    at = new_session(locale)
    assert not at.exception
    button(at, "Start", locale).click().run()
    code = at.session_state["new_code"]
    assert code and any(code in c.value for c in at.code)
    assert not at.text_area and not at.text_input, "the first question comes after the code is acknowledged"
    [c for c in at.checkbox if c.label == gettext_for(locale)("I have written down my code")][0].check().run()
    assert any(code in c.value for c in at.code), "the code stays behind 'Show my code'"

    # answer the first four questions, then "close the tab"
    for expected in SCREENS[:4]:
        assert answer_current(at, locale, answers) == expected
        button(at, "Save and go on", locale).click().run()
        assert not at.error, [e.value for e in at.error]
    app_id = at.session_state["application_id"]

    at = new_session(locale)  # a new browser session knows nothing
    at.text_input[0].input(code.lower().replace("-", " "))
    at.button[0].click().run()  # form submit: "Continue"
    at.run()
    assert at.session_state["application_id"] == app_id
    assert at.session_state["step"] == 4, "comes back at the exact question"

    while at.session_state["step"] < len(SCREENS):
        answer_current(at, locale, answers)
        button(at, "Save and go on", locale).click().run()
        assert not at.error, [e.value for e in at.error]

    _ = gettext_for(locale)
    page_text = " ".join(m.value for m in at.markdown)
    assert answers["group_name"] in page_text.replace("\\", "")
    assert at.get("download_button"), "download offered on the review screen"
    # sending without consent is refused, with a translated message
    button(at, "Send my application", locale).click().run()
    assert at.error and at.error[0].value == _("Please agree that we store your answers, so we can handle your application.")
    at.checkbox[-1].check().run()
    button(at, "Send my application", locale).click().run()
    assert not at.error
    assert at.success[0].value == _("Your application was sent. An officer will read it. You will hear from us within 4 weeks.")


def test_invalid_iban_is_refused_and_nothing_saved(tmp_path):
    at, app_id = started("nl")
    at.session_state["step"] = SCREENS.index("bank")
    at.run()
    key = f"ans_{app_id}_bank_"
    [t for t in at.text_input if t.key == key + "iban"][0].input("NL45 ABNA 0123 4567 89")
    [t for t in at.text_input if t.key == key + "holder"][0].input("X")
    button(at, "Save and go on", "nl").click().run()
    assert at.error[0].value == gettext_for("nl")("This IBAN has a typing error. Please check the numbers and letters.")
    assert at.session_state["step"] == SCREENS.index("bank")


def test_a_reload_opens_what_the_tab_kept(monkeypatch):
    """A reload is a new session: it asks the tab once (ui.browser.tab_memory: sessionStorage in a
    browser, a dict here) and opens the same application on the same step, on the code screen
    again while the code is not acknowledged; "Stop now, continue later" makes the tab forget."""
    from ui import browser

    tab: dict = {}

    def tab_memory(keep, ask=False):
        if ask:
            return dict(tab)  # the browser answers at once
        tab.clear()
        tab.update(keep or {})
        return None

    monkeypatch.setattr(browser, "tab_memory", tab_memory)
    _ = gettext_for("nl")
    at = new_session("nl")
    button(at, "Start", "nl").click().run()
    code, app_id = at.session_state["new_code"], at.session_state["application_id"]
    assert tab == {"code": code, "step": None, "new": True, "seen": False}

    at = new_session("nl")  # reloaded before "I have written down my code"
    assert at.session_state["application_id"] == app_id
    assert any(code in c.value for c in at.code) and not at.text_input, "the code screen again"
    [c for c in at.checkbox if c.label == _("I have written down my code")][0].check().run()
    answer_current(at, "nl", ANSWERS["nl"])
    button(at, "Save and go on", "nl").click().run()
    assert tab == {"code": code, "step": 1, "new": True, "seen": True}

    at = new_session("nl")  # reloaded on the second question
    assert at.session_state["application_id"] == app_id and at.session_state["step"] == 1
    assert at.session_state["new_code_seen"] and not [c for c in at.checkbox if c.label == _("I have written down my code")]
    at.button(key="stop_for_now").click().run()
    assert tab == {}, "Stop now, continue later: the tab forgets"
    at = new_session("nl")
    assert "application_id" not in at.session_state


def test_wrong_codes_are_limited():
    at = new_session("nl")
    for _ in range(12):
        at.text_input[0].input("AAAA-BBBB-CCCC")
        at.button[0].click().run()
    assert at.error[0].value == gettext_for("nl").ngettext("Too many wrong codes. Wait {minutes} minute and try again.", "Too many wrong codes. Wait {minutes} minutes and try again.", 15).format(minutes=15)


def test_a_lost_change_event_is_caught_up_in_the_next_run():
    """Streamlit can stop a change event half-way when the next event comes at once (a voice
    note chosen right after leaving the field) and does not send it again: the next run stores
    what is on screen. Here the value reaches the session without any change event."""
    from steunwijzer import applications

    at, app_id = started("nl")
    field = f"ans_{app_id}_{SCREENS[0]}"
    at.session_state[field] = "Buurtkoks"  # on screen, with no on_change called
    at.run()
    db = Database(get_settings().sqlalchemy_url)
    with db.session() as s:
        assert applications.load(s, app_id).answers[SCREENS[0]].value == "Buurtkoks"
    db.dispose()


def test_after_a_reload_the_voice_language_is_the_one_of_the_last_recording():
    """An Arabic page, a Dutch voice note: coming back, the recorder still says Dutch."""
    from steunwijzer import jobs
    from steunwijzer.store import AudioRow, TranscriptionJobRow

    at, app_id = started("ar")
    db = Database(get_settings().sqlalchemy_url)
    with db.session() as s:
        audio = AudioRow(application_id=app_id, question_id="plan", mime="audio/ogg", data=b"x")
        s.add(audio)
        s.flush()
        s.add(TranscriptionJobRow(audio_id=audio.id, application_id=app_id, form="application", question_id="plan",
                                  language="nl", state=jobs.READY, transcript="Wij koken.", error_params={}))
    db.dispose()
    at.session_state["step"] = SCREENS.index("plan")
    at.run()
    assert at.selectbox(key=f"ans_{app_id}_plan_lang").value == "nl"


def test_coming_back_to_a_question_with_a_recording_keeps_its_answer():
    """The voice keeps keys of its own next to the answer field; they outlive the field, so
    they must not make a question that comes back on screen look as if it was emptied."""
    from steunwijzer import applications

    at, app_id = started("nl")
    at.session_state["step"] = SCREENS.index("plan")
    at.run()
    at.text_area(key=f"ans_{app_id}_plan").input("Samen koken.").run()
    at.session_state[f"ans_{app_id}_plan_watch"] = set()  # as after a recording
    button(at, "Save and go on", "nl").click().run()
    button(at, "Back", "nl").click().run()
    assert at.text_area(key=f"ans_{app_id}_plan").value == "Samen koken."
    db = Database(get_settings().sqlalchemy_url)
    with db.session() as s:
        assert applications.load(s, app_id).answers["plan"].value == "Samen koken."
    db.dispose()
