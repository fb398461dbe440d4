"""Answering by voice in the app, with the real bundled Whisper model: upload a voice note,
correct the transcript, confirm it; and the pitch route. Transcriptions are jobs done by the
worker inside this test process (as in the app); `wait_for_text` reruns the page as the
polling fragment would, until the text is in the field."""

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import send
from steunwijzer import applications
from steunwijzer.config import get_settings
from steunwijzer.i18n import gettext_for
from steunwijzer.store import AudioRow
from tests.app.conftest import APP
from tests.security.conftest import app_database

pytestmark = pytest.mark.speech
CLIPS = Path(__file__).resolve().parents[1] / "audio"
nl = gettext_for("nl")


@pytest.fixture(scope="module")
def db():
    yield from app_database()


def start(route: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["locale"] = "nl"
    at.switch_page("pages/2_application.py")
    at.run()
    at.radio[0].set_value(route)
    [b for b in at.button if b.label == nl("Start")][0].click().run()
    [c for c in at.checkbox if c.label == nl("I have written down my code")][0].check().run()
    return at


def go_to(at: AppTest, question_id: str) -> str:
    app_id = at.session_state["application_id"]
    with_ids = {"questions": ["group_name", "who_you_are", "plan"], "pitch": ["group_name", "pitch"]}
    at.session_state["step"] = (with_ids["pitch"] if question_id == "pitch" else with_ids["questions"]).index(question_id)
    at.run()
    return f"ans_{app_id}_{question_id}"


def wait_for_text(at: AppTest, key: str, changed_from: str = "") -> str:
    """Rerun until the field `key` holds more than `changed_from` (or a recording failed)."""
    deadline = time.monotonic() + 300  # a hang guard, not a timed assertion
    while time.monotonic() < deadline:
        value = at.text_area(key=key).value or ""
        if value.strip() and value != changed_from:
            return value
        failed = [e.value for e in at.error]
        assert not failed, failed
        time.sleep(0.5)
        at.run()
    raise AssertionError("the transcript never came")


def test_uploaded_voice_note_is_transcribed_corrected_and_confirmed(db):
    at = start("questions")
    key = go_to(at, "plan")
    uploader = [u for u in at.file_uploader if u.key == key + "_upload"][0]
    uploader.upload("voice-note.ogg", (CLIPS / "nl_buurthuis.ogg").read_bytes(), "audio/ogg").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    transcript = wait_for_text(at, key)
    for word in ("organiseren", "week", "ouderen", "geld"):
        assert word in transcript.lower()
    assert any(nl("We heard: {language}. Please read the text above and correct it where needed.").format(language="Nederlands") in c.value
               for c in at.caption)
    at.text_area(key=key).input(transcript + " Ook voor koffie.")
    [b for b in at.button if b.label == nl("Save and go on")][0].click().run()
    assert not at.error
    with db.session() as s:
        app = applications.load(s, at.session_state["application_id"])
        saved = app.answers["plan"]
        assert saved.source == "voice" and saved.language == "nl" and saved.value.endswith("Ook voor koffie.")
        audio = s.get(AudioRow, saved.audio_id)
        assert audio.data == (CLIPS / "nl_buurthuis.ogg").read_bytes() and "ouderen" in audio.transcript.lower()


def test_bad_audio_gives_a_translated_message_and_keeps_typed_text(db):
    at = start("questions")
    key = go_to(at, "plan")
    at.text_area(key=key).input("Wat ik al getypt had.")
    [u for u in at.file_uploader if u.key == key + "_upload"][0].upload("broken.ogg", b"this is not audio" * 100, "audio/ogg").run()
    assert at.error[0].value == nl("This file is not a sound recording we can read.")
    assert at.text_area(key=key).value == "Wat ik al getypt had."
    with db.session() as s:  # checked before storing: a file that is not audio is never kept
        assert s.query(AudioRow).filter_by(application_id=at.session_state["application_id"]).count() == 0


def test_pitch_route_one_recording_becomes_the_main_text(db):
    at = start("pitch")
    key = go_to(at, "pitch")
    assert any(nl("who you are") in m.value for m in at.markdown), "the spoken checklist is on screen"
    at.selectbox(key=key + "_lang").set_value("en").run()  # the group speaks English here
    [u for u in at.file_uploader if u.key == key + "_upload"][0].upload(
        "pitch.ogg", (CLIPS / "en_gardens.ogg").read_bytes(), "audio/ogg").run()
    text = wait_for_text(at, key).lower()
    assert "gardens" in text and "tools" in text
    [b for b in at.button if b.label == nl("Save and go on")][0].click().run()
    with db.session() as s:
        app = applications.load(s, at.session_state["application_id"])
    assert app.route == "pitch" and app.answers["pitch"].source == "voice"


def test_wrong_language_is_noticed_and_written_down_again_with_one_click(db):
    at = start("questions")
    key = go_to(at, "plan")
    [u for u in at.file_uploader if u.key == key + "_upload"][0].upload(
        "note.ogg", (CLIPS / "en_gardens.ogg").read_bytes(), "audio/ogg").run()   # English, but Dutch was chosen
    first = wait_for_text(at, key)
    assert any(w.value == nl("This sounds like {heard}, not {chosen}.").format(heard="Engels", chosen="Nederlands")
               for w in at.warning), [w.value for w in at.warning]
    again = [b for b in at.button if b.label == nl("Transcribe again in {language}").format(language="Engels")]
    assert again, "one button writes it down again in the language we heard"
    again[0].click().run()
    text = wait_for_text(at, key, changed_from=first).lower()
    assert "gardens" in text and "tools" in text
    assert first not in at.text_area(key=key).value, "the new transcript replaces the one in the wrong language"
    assert not [w for w in at.warning if "Engels" in w.value]


def test_upload_again_after_an_upload_is_transcribed_again(db):
    at = start("questions")
    key = go_to(at, "plan")
    uploader = lambda: [u for u in at.file_uploader if u.key == key + "_upload"][0]  # noqa: E731
    uploader().upload("a.ogg", (CLIPS / "nl_buurthuis.ogg").read_bytes(), "audio/ogg").run()
    first = wait_for_text(at, key)
    at.text_area(key=key).input("Eigen tekst.").run()
    uploader().upload("a.ogg", (CLIPS / "nl_buurthuis.ogg").read_bytes(), "audio/ogg").run()  # the same file again
    second = wait_for_text(at, key, changed_from="Eigen tekst.")
    assert second.startswith("Eigen tekst.\n\n") and "ouderen" in second.lower()
    assert first


def test_report_answered_by_an_uploaded_voice_note(db):
    from decimal import Decimal

    from steunwijzer import review
    from steunwijzer.models import Decision, Officer

    key = get_settings().resolved_secret_key()
    with db.session() as s:
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", key)
        applications.save_answer(s, app.id, "group_name", "Verslag met stem")
        send(s, app.id)
        review.decide(s, Officer(username="officer", is_admin=True), app.id,
                      Decision(outcome="grant", amount_eur=Decimal("500"), payment="advance"))
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["locale"] = "nl"
    at.session_state["application_id"] = app.id
    at.switch_page("pages/3_report.py")
    at.run()
    text_key = f"ans_{app.id}_what_happened"
    [u for u in at.file_uploader if u.key == text_key + "_upload"][0].upload(
        "report.ogg", (CLIPS / "nl_buurthuis.ogg").read_bytes(), "audio/ogg").run()
    assert "ouderen" in wait_for_text(at, text_key).lower()
    for t in at.text_area:
        if not t.value:
            t.input("Het ging goed.")
    [t for t in at.text_input if t.key.endswith("people_reached")][0].input("20")
    [b for b in at.button if b.label == nl("Send my report")][0].click().run()
    assert not at.error, [e.value for e in at.error]
    with db.session() as s:
        loaded = applications.load(s, app.id)
    assert loaded.status == "report_submitted" and loaded.report_answers["what_happened"].source == "voice"


@pytest.mark.parametrize("name, data, msgid", [
    ("huge.ogg", b"\0" * (200 * 1024 * 1024), "This file is too large. The limit is {mb} MB."),
    ("empty.ogg", b"", "The recording is empty."),
    ("notes.txt.ogg", "Dit is geen geluid, maar tekst. <script>alert(1)</script>".encode() * 50, "This file is not a sound recording we can read."),
])
def test_bad_uploads_get_a_translated_message_and_change_nothing(db, name, data, msgid):
    at = start("questions")
    key = go_to(at, "plan")
    at.text_area(key=key).input("Getypt antwoord")
    [u for u in at.file_uploader if u.key == key + "_upload"][0].upload(name, data, "audio/ogg").run()
    assert not at.exception
    assert at.error[0].value == nl(msgid).format(mb=get_settings().max_upload_mb)
    assert at.text_area(key=key).value == "Getypt antwoord"


def test_a_recording_is_listed_written_down_again_and_removed(db):
    from steunwijzer.store import TranscriptionJobRow

    at = start("questions")
    key = go_to(at, "plan")
    [u for u in at.file_uploader if u.key == key + "_upload"][0].upload(
        "note.ogg", (CLIPS / "nl_buurthuis.ogg").read_bytes(), "audio/ogg").run()
    first = wait_for_text(at, key)
    assert any(nl("Recording {n}").format(n=1) in m.value and nl("Written down.") in m.value for m in at.markdown)
    [b for b in at.button if b.label == nl("Transcribe again")][0].click().run()
    app_id = at.session_state["application_id"]
    deadline = time.monotonic() + 300  # hang guard
    while time.monotonic() < deadline:
        with db.session() as s:
            states = [j.state for j in s.query(TranscriptionJobRow).filter_by(application_id=app_id)]
        if states == ["ready", "ready"]:
            break
        time.sleep(0.5)
    at.run()
    assert at.text_area(key=key).value.count(first) == 1, "written down again: replaced, not added twice"
    [b for b in at.button if b.label == nl("Remove this recording")][0].click().run()
    assert not any(nl("Recording {n}").format(n=1) in m.value for m in at.markdown)
    with db.session() as s:
        assert s.query(AudioRow).filter_by(application_id=app_id).count() == 0
        assert s.query(TranscriptionJobRow).filter_by(application_id=app_id).count() == 0
