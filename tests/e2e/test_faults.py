"""Nothing is lost: the app process is killed in the middle of an application and in the middle
of a transcription; after a restart every confirmed answer and the recording are there, and the
transcript arrives in the answer field."""

import signal
import tempfile
import time
from pathlib import Path

import pytest

from steunwijzer import applications
from steunwijzer.config import Settings
from steunwijzer.i18n import gettext_for
from steunwijzer.store import AudioRow, Database, TranscriptionJobRow
from tests.browser import ROOT, prepare_data, shot, start_server, wait_idle

pytestmark = pytest.mark.e2e
nl = gettext_for("nl")


def test_killed_app_loses_no_confirmed_answer_nor_audio(browser):
    data = Path(tempfile.mkdtemp(prefix="steunwijzer-kill-"))
    env = prepare_data(data)
    proc, url = start_server(env)
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(url + "/application")
        wait_idle(page)
        page.get_by_role("button", name=nl("Start")).click()
        wait_idle(page)
        code = page.get_by_test_id("stCode").inner_text().strip()
        page.get_by_label(nl("I have written down my code")).click(force=True)  # check() fails: the notice goes away at once
        wait_idle(page)
        for text, next_question in (("Buurtkoks", "Who are you, and who do you help?"),
                                    ("Wij koken samen met nieuwe buren.", "What do you want to do?")):
            page.get_by_label(nl("Your answer"), exact=True).fill(text)
            page.get_by_role("button", name=nl("Save and go on")).click()
            page.get_by_text(nl(next_question)).first.wait_for()
            wait_idle(page)
        # the third answer is typed and the field left (saved on blur), but not confirmed with a click
        page.get_by_label(nl("Your answer"), exact=True).fill("Een maaltijd per week.")
        page.get_by_label(nl("Your answer"), exact=True).press("Tab")
        wait_idle(page)
        # a voice note arrives, and the app is killed while it is being transcribed
        uploader = page.get_by_test_id("stFileUploaderDropzoneInput")
        uploader.set_input_files(str(ROOT / "tests" / "audio" / "nl_buurthuis.ogg"))
        jobs_db = Database(f"sqlite:///{data / 'steunwijzer.sqlite'}")
        deadline = time.monotonic() + 120  # hang guard
        while time.monotonic() < deadline:  # kill while the worker in the app process has the job
            with jobs_db.session() as s:
                if s.query(TranscriptionJobRow).filter_by(state="running").count():
                    break
            time.sleep(0.05)
        jobs_db.dispose()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

        proc, url = start_server(env)
        page.goto(url + "/application")
        wait_idle(page)
        page.get_by_label(nl("Your code"), exact=True).fill(code)
        page.get_by_role("button", name=nl("Continue")).click()
        wait_idle(page)
        page.get_by_text(nl("What do you want to do?")).first.wait_for()
        field = page.get_by_label(nl("Your answer"), exact=True)
        assert field.input_value().startswith("Een maaltijd per week.")
        # the restarted app's worker takes the job up again, and the text comes into the field
        page.wait_for_function("""() => [...document.querySelectorAll('textarea')].some(t => t.value.includes('\\n\\n'))""",
                               timeout=300_000)
        text = field.input_value()
        assert text.startswith("Een maaltijd per week.\n\n") and "ouderen" in text.lower(), text
        shot(page, "after-kill-resumed-nl")
    finally:
        context.close()
        proc.kill()
    db = Database(f"sqlite:///{data / 'steunwijzer.sqlite'}")
    with db.session() as s:
        app = applications.resume(s, code, "test", Settings(data_dir=data).resolved_secret_key())
        assert app.answers["group_name"].value == "Buurtkoks"
        assert app.answers["who_you_are"].value == "Wij koken samen met nieuwe buren."
        audio = s.query(AudioRow).filter_by(application_id=app.id).one()
        assert audio.data == (ROOT / "tests" / "audio" / "nl_buurthuis.ogg").read_bytes() and audio.mime == "audio/ogg"
        job = s.query(TranscriptionJobRow).filter_by(application_id=app.id).one()
        assert job.state == "ready" and job.tries == 2  # the killed try, and the one after the restart
        assert "ouderen" in app.answers["plan"].value.lower()
    db.dispose()
