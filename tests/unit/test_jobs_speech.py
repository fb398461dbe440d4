"""Transcription jobs with the real bundled Whisper model and real worker processes:
a worker killed with SIGKILL mid-job and started again still delivers the transcript; two
workers on one queue share ten jobs without doing one twice, loading the model once each; the
same through Redis (Debian's redis-server, started here)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from steunwijzer import applications, funds, jobs
from steunwijzer.config import Settings
from steunwijzer.store import Database, TranscriptionJobRow
from tests.conftest import ROOT

pytestmark = pytest.mark.speech
CLIP = (ROOT / "tests" / "audio" / "nl_buurthuis.ogg").read_bytes()
HANG_GUARD_S = 600  # only so a broken build cannot hang CI; not a timed assertion


@pytest.fixture
def place(tmp_path):
    """A data folder with a database and one draft application, and the settings for it."""
    settings = Settings(data_dir=tmp_path, secret_key="k")
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", b"k")
    yield db, settings, app.id
    db.dispose()


def start_worker_process(data_dir: Path, log: Path, extra_env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "STEUNWIJZER_DATA_DIR": str(data_dir), "STEUNWIJZER_SECRET_KEY": "k", **(extra_env or {})}
    env.pop("STEUNWIJZER_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "steunwijzer", "worker"], cwd=ROOT, env=env,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT)


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + HANG_GUARD_S
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"never: {what}")


def job(db, job_id) -> TranscriptionJobRow:
    with db.session() as s:
        return s.get(TranscriptionJobRow, job_id)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_job_survives_its_worker_being_killed(place, tmp_path):
    db, settings, app_id = place
    with db.session() as s:  # the group typed something and saved before it recorded
        applications.save_answer(s, app_id, "plan", "Getypt.")
    job_id = jobs.submit_recording(db, settings, app_id, CLIP, "note.ogg", "application", "plan", "nl", 600)
    log = tmp_path / "worker.log"
    first = start_worker_process(tmp_path, log)
    try:
        wait_until(lambda: job(db, job_id).state == jobs.RUNNING, "the first worker takes the job")
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert job(db, job_id).state == jobs.RUNNING  # as a kill -9 leaves it: nobody is working on it
    finally:
        stop(first)
    second = start_worker_process(tmp_path, log)
    try:
        wait_until(lambda: job(db, job_id).state in (jobs.READY, jobs.FAILED), "the restarted worker finishes it")
    finally:
        stop(second)
    done = job(db, job_id)
    assert done.state == jobs.READY and done.tries == 2, log.read_text()[-3000:]
    assert "ouderen" in done.transcript.lower()
    with db.session() as s:
        saved = applications.load(s, app_id).answers["plan"]
    assert saved.value.startswith("Getypt.\n\n") and "ouderen" in saved.value.lower()


def test_two_workers_share_ten_jobs_without_doing_one_twice(place, tmp_path):
    db, settings, app_id = place
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    workers = [start_worker_process(tmp_path, log) for log in logs]
    try:
        wait_until(lambda: all("Speech model loaded" in log.read_text() for log in logs), "both workers are ready")
        ids = [jobs.submit_recording(db, settings, app_id, CLIP, f"note-{i}.ogg", "application", f"q{i}", "nl", 600)
               for i in range(10)]
        wait_until(lambda: all(job(db, i).state in (jobs.READY, jobs.FAILED) for i in ids), "all ten are done")
    finally:
        for w in workers:
            stop(w)
    done = [job(db, i) for i in ids]
    assert [j.state for j in done] == [jobs.READY] * 10
    assert all(j.tries == 1 for j in done), "no job was taken twice"
    texts = [log.read_text() for log in logs]
    pids = {w.pid for w in workers}
    assert {int(j.worker.split(":")[1]) for j in done} == pids, "both workers did some of the jobs"
    for text in texts:
        assert text.count("Speech model loaded") == 1, "one model per worker process"
    finished = sum(text.count(" ready by ") for text in texts)
    assert finished == 10


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("Debian's redis-server is not installed (scripts/test.sh installs it)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    wait_until(lambda: _pings(client), "redis answers")
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


def _pings(client) -> bool:
    try:
        return client.ping()
    except Exception:
        return False


def test_jobs_through_redis(place, redis_url):
    from huey import RedisHuey

    db, settings, app_id = place
    settings = settings.model_copy(update={"queue_url": redis_url})
    assert isinstance(jobs.huey_for(settings), RedisHuey)
    job_id = jobs.submit_recording(db, settings, app_id, CLIP, "note.ogg", "application", "plan", None, 600)
    assert job_id in jobs._queued_job_ids(settings)  # it is in Redis, waiting
    worker = jobs.start_worker(db, settings)
    try:
        wait_until(lambda: job(db, job_id).state in (jobs.READY, jobs.FAILED), "the worker finishes it")
    finally:
        worker.stop()
    done = job(db, job_id)
    assert done.state == jobs.READY and done.detected_language == "nl" and "ouderen" in done.transcript.lower()
    with db.session() as s:
        assert s.scalars(select(TranscriptionJobRow.state)).all() == [jobs.READY]
