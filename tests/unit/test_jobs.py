"""Transcription jobs without the model: checks before storing, claiming, recovery after a
crash, dropping jobs of deleted applications, replacing a waiting recording, adding a transcript
to the saved answer. (With the real model: test_jobs_speech.py.)"""

from __future__ import annotations

import io
import socket
import struct
import subprocess
import sys
import threading
import wave
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from tests.factories import send
from steunwijzer import applications, funds, jobs
from steunwijzer.config import Settings
from steunwijzer.errors import InvalidInput, NotAllowed, SpeechError
from steunwijzer.speech import audio as audio_mod
from steunwijzer.store import AnswerRow, AudioRow, TranscriptionJobRow, utcnow
from tests.conftest import ROOT

OGG = (ROOT / "tests" / "audio" / "nl_buurthuis.ogg").read_bytes()


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path, secret_key="k")


@pytest.fixture
def app_id(db):
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", b"k")
    return app.id


def submit(db, settings, app_id, data=OGG, name="note.ogg", question="plan"):
    return jobs.submit_recording(db, settings, app_id, data, name, "application", question, "nl", 600)


def stored_audio(db, app_id) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AudioRow).where(AudioRow.application_id == app_id))


def wav_bytes(seconds=1.0, channels=1, rate=16000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.zeros(int(seconds * rate) * channels, "<i2").tobytes())
    return buf.getvalue()


def hostile_flac(seconds: float = 20.0) -> bytes:
    """8 channels at 655,350 Hz (FLAC's highest rate), with the length field emptied: the file
    from the security review that cost 28 CPU-seconds before it was refused."""
    import av

    buf = io.BytesIO()
    with av.open(buf, "w", format="flac") as out:
        stream = out.add_stream("flac", rate=655_350, layout="7.1")
        chunk = 65_536
        for _ in range(int(655_350 * seconds / chunk)):
            frame = av.AudioFrame.from_ndarray(np.zeros((1, chunk * 8), np.int16), format="s16", layout="7.1")
            frame.sample_rate = 655_350
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    data = bytearray(buf.getvalue())
    # STREAMINFO starts at byte 8; its 64-bit field at offset 10 ends with 36 bits of total samples.
    field = struct.unpack(">Q", data[18:26])[0] & ~((1 << 36) - 1)
    data[18:26] = struct.pack(">Q", field)
    return bytes(data)


# ---- before storing -------------------------------------------------------------------------

def test_html_named_ogg_is_refused_and_never_stored(db, settings, app_id):
    html = b"<!doctype html><html><script>alert(document.cookie)</script></html>" * 50
    with pytest.raises(SpeechError) as refused:
        submit(db, settings, app_id, html, "voice.ogg")
    assert refused.value.msgid == audio_mod.NOT_AUDIO
    assert stored_audio(db, app_id) == 0


def test_stored_type_comes_from_the_content_not_the_name(db, settings, app_id):
    submit(db, settings, app_id, OGG, "voice.html")
    submit(db, settings, app_id, wav_bytes(), "voice.mp3", question="who_you_are")
    with db.session() as s:
        assert sorted(s.scalars(select(AudioRow.mime)).all()) == ["audio/ogg", "audio/wav"]


def test_multichannel_flac_at_655_khz_is_refused_from_its_header(db, settings, app_id, monkeypatch):
    def no_decoding(*args, **kwargs):
        raise AssertionError("the file was decoded")

    monkeypatch.setattr(audio_mod, "_stream_samples", no_decoding)
    with pytest.raises(SpeechError) as refused:
        submit(db, settings, app_id, hostile_flac(), "x.flac")
    assert refused.value.msgid == audio_mod.NOT_AUDIO
    assert stored_audio(db, app_id) == 0


def test_decoding_stops_at_its_time_limit():
    long_ogg = OGG
    with pytest.raises(SpeechError) as refused:
        audio_mod.decode_audio(long_ogg, max_decode_seconds=0.0)
    assert refused.value.msgid == audio_mod.TOO_SLOW


def test_too_large_and_quota_are_checked_before_storing(db, tmp_path, app_id):
    small = Settings(data_dir=tmp_path, secret_key="k", max_upload_mb=1, max_audio_mb_per_application=1)
    with pytest.raises(SpeechError) as refused:
        submit(db, small, app_id, wav_bytes(40.0), "long.wav")  # 1.28 MB
    assert refused.value.msgid == jobs.TOO_LARGE
    submit(db, small, app_id, wav_bytes(20.0), "a.wav")           # 640 KB: fits
    with pytest.raises(InvalidInput) as refused:
        submit(db, small, app_id, wav_bytes(20.0), "b.wav", question="who_you_are")
    assert refused.value.msgid == jobs.QUOTA
    assert stored_audio(db, app_id) == 1


def test_streamlit_refuses_uploads_above_the_apps_limit():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == Settings.model_fields["max_upload_mb"].default
    assert '--server.maxUploadSize "${STEUNWIJZER_MAX_UPLOAD_MB:-25}"' in (ROOT / "scripts" / "start.sh").read_text()


# ---- one job, one worker ------------------------------------------------------------------

def test_a_new_recording_replaces_the_waiting_one(db, settings, app_id):
    submit(db, settings, app_id)                        # an upload, still waiting
    second = submit(db, settings, app_id, wav_bytes(), "rec.wav")   # then a recording
    with db.session() as s:
        rows = jobs.jobs_for_question(s, app_id, "application", "plan")
        assert [r.id for r in rows] == [second] and s.get(AudioRow, rows[0].audio_id).mime == "audio/wav"
        assert s.scalar(select(func.count()).select_from(TranscriptionJobRow)) == 1
    assert stored_audio(db, app_id) == 1


def test_only_one_worker_claims_a_job(db, settings, app_id):
    job_id = submit(db, settings, app_id)
    wins = []
    barrier = threading.Barrier(8)

    def worker():
        barrier.wait()
        wins.append(jobs.claim(db, job_id))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wins.count(True) == 1
    with db.session() as s:
        job = s.get(TranscriptionJobRow, job_id)
        assert job.state == jobs.RUNNING and job.tries == 1


def test_the_queue_carries_the_job_id(db, settings, app_id):
    job_id = submit(db, settings, app_id)
    assert job_id in jobs._queued_job_ids(settings)


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_job_whose_worker_died_goes_back_in_line_once_then_fails(db, settings, app_id):
    job_id = submit(db, settings, app_id)
    jobs.huey_for(settings).flush()  # the queue lost it too (Huey had handed it to the dead worker)
    assert jobs.claim(db, job_id)
    with db.session() as s:
        s.get(TranscriptionJobRow, job_id).worker = f"{socket.gethostname()}:{dead_pid()}:1"
    assert jobs.recover(db, settings)["requeued"] == 1
    with db.session() as s:
        assert s.get(TranscriptionJobRow, job_id).state == jobs.WAITING
    assert job_id in jobs._queued_job_ids(settings)
    assert jobs.claim(db, job_id)  # the second try dies as well
    with db.session() as s:
        s.get(TranscriptionJobRow, job_id).worker = f"{socket.gethostname()}:{dead_pid()}:1"
    jobs.recover(db, settings)
    with db.session() as s:
        job = s.get(TranscriptionJobRow, job_id)
        assert job.state == jobs.FAILED and job.error == jobs.INTERRUPTED and job.tries == 2


def test_a_live_worker_elsewhere_keeps_its_job_until_its_heartbeat_is_old(db, settings, app_id):
    job_id = submit(db, settings, app_id)
    assert jobs.claim(db, job_id)
    with db.session() as s:
        s.get(TranscriptionJobRow, job_id).worker = "another-machine:1234:1"
    jobs.recover(db, settings)
    with db.session() as s:
        assert s.get(TranscriptionJobRow, job_id).state == jobs.RUNNING
    jobs.recover(db, settings, now=utcnow() + timedelta(seconds=jobs.STALE_AFTER_S + 1))
    with db.session() as s:
        assert s.get(TranscriptionJobRow, job_id).state == jobs.WAITING


def test_a_job_of_a_deleted_application_is_dropped(db, settings, app_id):
    job_id = submit(db, settings, app_id)
    with db.session() as s:
        applications.forget(s, app_id, actor="officer", reason="asked by phone")
    assert jobs.run_job(db, settings, job_id) is None
    with db.session() as s:
        assert s.get(TranscriptionJobRow, job_id) is None


def test_removing_a_recording_removes_its_jobs(db, settings, app_id):
    job_id = submit(db, settings, app_id)
    jobs.remove_recording(db, app_id, job_id)
    assert stored_audio(db, app_id) == 0
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(TranscriptionJobRow)) == 0


# ---- the transcript and the saved answer ----------------------------------------------------

@pytest.mark.parametrize("current, transcript, previous, expected", [
    ("", "Wij koken.", None, "Wij koken."),
    ("Getypt.", "Wij koken.", None, "Getypt.\n\nWij koken."),
    ("Getypt.\n\nWij koken.", "Wij koken.", None, "Getypt.\n\nWij koken."),            # never twice
    ("Getypt.\n\nWe cook.", "Wij koken.", "We cook.", "Getypt.\n\nWij koken."),        # written down again
    ("   ", "Wij koken.", None, "Wij koken."),
])
def test_combine(current, transcript, previous, expected):
    assert jobs.combine(current, transcript, previous) == expected


class _Finished:
    """What an engine returns, for the part after the model (the model runs in test_jobs_speech)."""
    text, language, language_probability, duration_s, complete = "Wij koken elke week.", "nl", None, 7.9, True


def finish(db, job_id):
    assert jobs.claim(db, job_id)
    return jobs._finish_ready(db, job_id, _Finished(), ("nl", 0.97))


def test_a_ready_transcript_reaches_an_empty_saved_answer(db, settings, app_id):
    finish(db, submit(db, settings, app_id))
    with db.session() as s:
        answer = applications.load(s, app_id).answers["plan"]
    assert answer.value == "Wij koken elke week." and answer.source == "voice"


def test_a_ready_transcript_is_added_after_typed_text(db, settings, app_id):
    job_id = submit(db, settings, app_id)
    with db.session() as s:  # the group typed and pressed Save while the job waited
        applications.save_answer(s, app_id, "plan", "Wat we getypt hebben.")
        applications.set_current_question(s, app_id, "budget")
    finish(db, job_id)
    with db.session() as s:
        app = applications.load(s, app_id)
        assert app.answers["plan"].value == "Wat we getypt hebben.\n\nWij koken elke week."
        assert applications.current_question(s, app_id) == "budget"  # the group's place is kept
        assert s.scalar(select(func.count()).select_from(AnswerRow)) == 1


def test_a_sent_application_is_not_changed_by_a_late_transcript(db, settings, app_id):
    job_id = submit(db, settings, app_id)
    with db.session() as s:
        applications.save_answer(s, app_id, "plan", "Getypt.")
        send(s, app_id)
    finish(db, job_id)
    with db.session() as s:
        assert applications.load(s, app_id).answers["plan"].value == "Getypt."
        assert s.get(TranscriptionJobRow, job_id).transcript == "Wij koken elke week."


def test_a_spoken_answer_to_an_officer_is_kept_until_it_is_sent(db, settings, app_id):
    from steunwijzer import review
    from steunwijzer.models import Officer

    with db.session() as s:
        send(s, app_id)
        review.ask_group(s, Officer(username="piet", is_admin=True), app_id, None, "Wie kookt er?")
    first = jobs.submit_recording(db, settings, app_id, OGG, "a.ogg", "message", "reply", "nl", 600)
    finish(db, first)  # written down while nobody had the page open: kept as the answer being written
    with db.session() as s:
        kept = applications.load(s, app_id).message_answers["reply"]
        assert kept.value == "Wij koken elke week." and kept.source == "voice" and kept.audio_id is not None
        late = jobs.submit_recording(db, settings, app_id, wav_bytes(2), "b.wav", "message", "reply", "nl", 600)
        review.answer_officer(s, app_id, kept.value, language="nl", audio_id=kept.audio_id, source="voice")
    finish(db, late)  # a recording that comes back after the answer was sent starts no new answer
    with db.session() as s:
        app = applications.load(s, app_id)
        assert not app.message_answers and app.messages[-1].text == "Wij koken elke week."
        with pytest.raises(NotAllowed):  # and nothing can be kept while no question is open
            applications.save_answer(s, app_id, "reply", "nog iets", form="message")


def test_language_mismatch_needs_a_sure_model(db, settings, app_id):
    job = TranscriptionJobRow(state=jobs.READY, language="ar", detected_language="nl", detected_probability=0.95)
    assert jobs.language_mismatch(job) == "nl"
    job.detected_probability = 0.5
    assert jobs.language_mismatch(job) is None
    job.language = None  # found out by itself: nothing to compare
    assert jobs.language_mismatch(job) is None


def test_an_old_recording_stored_as_html_is_served_as_audio(db, app_id):
    with db.session() as s:
        audio_id = applications.store_audio(s, app_id, b"<script>alert(1)</script>", "text/html", "x.ogg", None, "plan")
    with db.session() as s:
        assert applications.audio_bytes(s, audio_id, app_id)[1] == "audio/ogg"


class _CrashingEngine:
    """Fault injection: the model process runs out of memory in the middle of a job."""

    def detect_language(self, audio):
        return "nl", 0.99

    def transcribe(self, *args, **kwargs):
        raise MemoryError("out of memory")


def test_a_crash_is_tried_once_more_then_shown_as_failed(db, settings, app_id):
    job_id = submit(db, settings, app_id)
    assert jobs.run_job(db, settings, job_id, engine=_CrashingEngine()) == jobs.WAITING
    assert job_id in jobs._queued_job_ids(settings)  # back in line at once
    assert jobs.run_job(db, settings, job_id, engine=_CrashingEngine()) == jobs.FAILED
    with db.session() as s:
        job = s.get(TranscriptionJobRow, job_id)
        assert job.tries == 2 and job.error == jobs.UNEXPECTED


def test_a_recording_without_speech_fails_at_once_with_its_reason(db, settings, app_id):
    job_id = submit(db, settings, app_id, wav_bytes(3.0), "silence.wav")
    assert jobs.run_job(db, settings, job_id, engine=_CrashingEngine()) == jobs.FAILED
    with db.session() as s:
        job = s.get(TranscriptionJobRow, job_id)
        assert job.tries == 1 and job.error == audio_mod.NO_SPEECH
