"""Voice answers as jobs, in Chromium with the fake microphone (the Dutch test clip): pressing
Save while a recording is written down loses nothing; an upload after a recording is written
down too."""

import re

import pytest

from steunwijzer.i18n import gettext_for
from tests.browser import ROOT, record_with_fake_microphone, shot, wait_idle

pytestmark = pytest.mark.e2e
nl = gettext_for("nl")
HEARD = nl("We heard: {language}. Please read the text above and correct it where needed.").format(language="Nederlands")


def start_and_reach_the_plan(page, server) -> None:
    page.goto(server["url"] + "/application")
    wait_idle(page)
    page.get_by_role("button", name=nl("Start")).click()
    wait_idle(page)
    page.get_by_label(nl("I have written down my code")).click(force=True)  # check() fails: the notice goes away at once
    wait_idle(page)
    for text, next_question in (("Buurtkoks", "Who are you, and who do you help?"),
                                ("Wij koken samen met nieuwe buren.", "What do you want to do?")):
        page.get_by_label(nl("Your answer"), exact=True).fill(text)
        page.get_by_role("button", name=nl("Save and go on")).click()
        page.get_by_text(nl(next_question)).first.wait_for()  # a busy server may answer the click late
        wait_idle(page)


def field_value_with(page, needle: str) -> str:
    """Wait until the answer field holds `needle` (the page polls the job), then return it."""
    page.wait_for_function(
        "needle => [...document.querySelectorAll('textarea')].some(t => t.value.toLowerCase().includes(needle))",
        arg=needle, timeout=300_000)
    wait_idle(page)
    return page.get_by_label(nl("Your answer"), exact=True).input_value()


def test_save_pressed_while_a_recording_is_written_down_loses_nothing(page, server):
    start_and_reach_the_plan(page, server)
    page.get_by_label(nl("Your answer"), exact=True).fill("Getypt.")
    page.get_by_label(nl("Your answer"), exact=True).press("Tab")
    wait_idle(page)
    recorder = page.get_by_test_id("stAudioInput")
    recorder.get_by_role("button", name=re.compile("record", re.I)).click()
    page.wait_for_timeout(9000)  # the clip is about 8 s
    recorder.get_by_role("button", name=re.compile("stop", re.I)).click()
    page.get_by_text(nl("Waiting to be written down.")).or_(page.get_by_text(nl("Being written down…"))).first.wait_for(timeout=60_000)
    shot(page, "voice-job-waiting-nl")
    page.get_by_role("button", name=nl("Save and go on")).click()  # while it is being written down
    wait_idle(page)
    fourth = re.escape(nl("Question {n} of {total}")).replace(r"\{n\}", "4").replace(r"\{total\}", r"\d+")
    page.get_by_text(re.compile(fourth)).first.wait_for()  # the answer was saved and the next question shown
    page.get_by_role("button", name=nl("Back")).click()
    wait_idle(page)
    page.get_by_text(nl("What do you want to do?")).first.wait_for()
    text = field_value_with(page, "organiseren")
    assert text.startswith("Getypt.\n\n"), text
    assert "geld" in text.lower() and text.count("Getypt.") == 1
    page.get_by_text(nl("Written down.")).first.wait_for()
    shot(page, "voice-job-after-save-and-back-nl")


def test_an_upload_after_a_recording_is_written_down_too(page, server):
    start_and_reach_the_plan(page, server)
    record_with_fake_microphone(page, HEARD)
    after_recording = page.get_by_label(nl("Your answer"), exact=True).input_value()
    assert "organiseren" in after_recording.lower()
    page.get_by_label(nl("Your answer"), exact=True).fill("Eigen woorden.")
    page.get_by_label(nl("Your answer"), exact=True).press("Tab")
    wait_idle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(ROOT / "tests" / "audio" / "nl_buurthuis.ogg"))
    text = field_value_with(page, "eigen woorden.\n\n")
    assert "organiseren" in text.lower(), text
    page.get_by_text(nl("Recording {n}").format(n=2)).first.wait_for()
    assert page.get_by_text(nl("Written down.")).count() == 2
    shot(page, "voice-job-upload-after-recording-nl")
