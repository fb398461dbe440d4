"""Transcription jobs: a recording is stored, a job row is written, and a worker writes it down.

Why this shape (measured and explained in the README, "Voice answers as jobs"):
- The **database row** (store.TranscriptionJobRow) is the truth about a job: its state, tries,
  progress, transcript or failure reason. Pages only read rows, so the group sees its
  recordings whatever happened to its browser tab or to the server.
- **Huey** carries job ids from the app to the workers: its SQLite storage (a file in the data
  folder) is the embedded default with no extra service; `STEUNWIJZER_QUEUE_URL=redis://…`
  lets workers on several machines share one queue. Huey removes a task when a worker takes it,
  so a worker killed mid-job would lose it; the row's heartbeat covers that: `recover` puts a
  job whose worker stopped beating back in line (once), at every worker start and every minute.
- A worker **claims** a job with one UPDATE from waiting to running; a duplicate delivery (after
  a recovery) finds the job taken and does nothing, so no job is done twice.
- Each worker process loads the model once (steunwijzer.speech.service) and runs one job at a
  time. By default one worker runs inside every app process (`start_embedded_worker`), so the
  app stays one command; `python -m steunwijzer worker` runs a separate one.

States: waiting → running → ready | failed; a failure that is not the recording's fault goes
back to waiting once (MAX_TRIES = 2). A job whose recording or application was deleted is
dropped (the row goes with the recording: ON DELETE CASCADE).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from steunwijzer.config import Settings, get_settings
from steunwijzer.errors import ConfigurationError, InvalidInput, NotFound, Plural, SpeechError, SteunwijzerError
from steunwijzer.i18n import N_
from steunwijzer.store import AnswerRow, ApplicationRow, AudioRow, Database, MessageRow, TranscriptionJobRow, utcnow

WAITING, RUNNING, READY, FAILED = "waiting", "running", "ready", "failed"
OPEN_STATES = (WAITING, RUNNING)
MAX_TRIES = 2
HEARTBEAT_S = 5.0
STALE_AFTER_S = 60.0          # a running job whose worker has not beaten for this long is put back in line
RECOVER_EVERY_S = 60.0
MISMATCH_PROBABILITY = 0.8    # "you seem to speak another language" only when the model is this sure
TASK_NAME = "steunwijzer.transcribe"
ANSWER_FORMS = ("application", "report", "message")  # forms whose answers are stored, so a transcript can reach them

INTERRUPTED = N_("Writing it down stopped twice. Please try again, or type your answer.")
UNEXPECTED = N_("Something went wrong while writing it down. Please try again, or type your answer.")
QUOTA = N_("This application already holds {mb} MB of recordings. Please remove a recording you do not need.")
TOO_LARGE = N_("This file is too large. The limit is {mb} MB.")

_log = logging.getLogger(__name__)


# ---- the queue ----------------------------------------------------------------------------

def queue_location(settings: Settings) -> str:
    """The queue's URL: the setting, or a SQLite file in the data folder."""
    return settings.queue_url or f"sqlite:///{(settings.data_dir / 'queue.sqlite').resolve()}"


_tasks: dict[str, object] = {}
MAIL_TASK_NAME = "steunwijzer.send_mail_due"


@lru_cache(maxsize=4)
def _huey_for(location: str):
    from huey import RedisHuey, SqliteHuey

    if location.startswith(("redis://", "rediss://", "unix://")):
        huey = RedisHuey("steunwijzer", url=location, results=False)
    elif location.startswith("sqlite:///"):
        path = Path(location.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey("steunwijzer", filename=str(path), results=False, timeout=15)
    else:
        raise ConfigurationError("Unknown queue {url}; use sqlite:///FILE or redis://HOST:PORT/DB.", url=location)
    _tasks[location] = huey.task(name=TASK_NAME)(_task)

    def send_mail_due() -> None:
        """Every minute, in every worker: add the mails that are due (reminders, digests, alerts)
        and send the outbox. Safe in several workers at once: each mail is claimed before it is sent."""
        _mail_due(location)

    from huey import crontab

    huey.periodic_task(crontab(minute="*"), name=MAIL_TASK_NAME)(send_mail_due)
    return huey


def _mail_due(location: str) -> None:
    from steunwijzer import schedule

    try:
        schedule.run_due(_database(location), get_settings())
    except Exception:  # a mail server that is down is retried by the outbox; log anything else
        _log.exception("Sending the outbox failed")


def huey_for(settings: Settings | None = None):
    """The Huey instance for these settings (one per queue per process), with the task registered."""
    return _huey_for(queue_location(settings or get_settings()))


# The worker side needs a database; the app and the CLI hand theirs over with `use_database`.
_databases: dict[str, Database] = {}
_databases_lock = threading.Lock()


def use_database(db: Database, settings: Settings) -> None:
    with _databases_lock:
        _databases[queue_location(settings)] = db


def _database(location: str) -> Database:
    with _databases_lock:
        if location not in _databases:
            from steunwijzer.store import open_database

            _databases[location] = open_database(get_settings())
        return _databases[location]


def _task(job_id: int, location: str) -> None:
    """What Huey runs: the job id and the queue it came from (which names the database)."""
    run_job(_database(location), get_settings(), job_id)


def _enqueue(settings: Settings, job_id: int) -> None:
    location = queue_location(settings)
    try:
        _huey_for(location)
        _tasks[location](job_id, location)
    except Exception:  # the queue is down: the row waits, and `recover` queues it again
        _log.exception("Could not queue transcription job %s", job_id)


# ---- submitting ---------------------------------------------------------------------------

def check_upload(session: Session, settings: Settings, application_id: int, data: bytes, filename: str | None,
                 max_seconds: float) -> str:
    """Everything checked before a recording is stored: size, the application's quota and a
    look at the file's header. Returns the media type found in the content (audio/*)."""
    from steunwijzer.speech.audio import probe_audio

    if len(data) > settings.max_upload_mb * 1024 * 1024:
        raise SpeechError(TOO_LARGE, mb=settings.max_upload_mb)
    stored = session.scalar(select(func.coalesce(func.sum(func.length(AudioRow.data)), 0))
                            .where(AudioRow.application_id == application_id)) or 0
    if stored + len(data) > settings.max_audio_mb_per_application * 1024 * 1024:
        raise InvalidInput(QUOTA, mb=settings.max_audio_mb_per_application)
    return probe_audio(data, filename, max_seconds=max_seconds)


def submit_recording(db: Database, settings: Settings, application_id: int, data: bytes, filename: str | None,
                     form: str, question_id: str | None, language: str | None, max_seconds: float) -> int:
    """Check, store and queue one recording for a question. A recording still waiting for the
    same question is replaced by this one (it was never written down). Returns the job id."""
    from steunwijzer import applications

    with db.session() as s:
        mime = check_upload(s, settings, application_id, data, filename, max_seconds)
        waiting = s.scalars(select(TranscriptionJobRow.audio_id).where(
            TranscriptionJobRow.application_id == application_id, TranscriptionJobRow.form == form,
            TranscriptionJobRow.question_id == question_id, TranscriptionJobRow.state == WAITING)).all()
        if waiting:
            s.execute(delete(AudioRow).where(AudioRow.id.in_(waiting)))  # the job row goes with it
        audio_id = applications.store_audio(s, application_id, data, mime, (filename or "")[:200] or None, None,
                                            question_id, form=form)
        job = TranscriptionJobRow(audio_id=audio_id, application_id=application_id, form=form, question_id=question_id,
                                  language=language, max_seconds=max_seconds, state=WAITING, error_params={})
        s.add(job)
        s.flush()
        job_id = job.id
    _enqueue(settings, job_id)  # after the commit, so the worker finds the row
    return job_id


def transcribe_again(db: Database, settings: Settings, application_id: int, job_id: int, language: str | None) -> int:
    """Write a kept recording down again (another language, or after a failure): a new job for
    the same recording. Returns the new job id."""
    with db.session() as s:
        old = _job(s, application_id, job_id)
        s.execute(delete(TranscriptionJobRow).where(TranscriptionJobRow.audio_id == old.audio_id,
                                                    TranscriptionJobRow.state == WAITING))
        job = TranscriptionJobRow(audio_id=old.audio_id, application_id=application_id, form=old.form,
                                  question_id=old.question_id, language=language, max_seconds=old.max_seconds,
                                  state=WAITING, error_params={"previous": old.transcript} if old.transcript else {})
        s.add(job)
        s.flush()
        new_id = job.id
    _enqueue(settings, new_id)
    return new_id


def remove_recording(db: Database, application_id: int, job_id: int) -> None:
    """Forget a recording and its jobs (the group's choice). A running job finds its row gone."""
    with db.session() as s:
        job = _job(s, application_id, job_id)
        s.execute(delete(TranscriptionJobRow).where(TranscriptionJobRow.audio_id == job.audio_id))
        s.execute(delete(AudioRow).where(AudioRow.id == job.audio_id))


def _job(session: Session, application_id: int, job_id: int) -> TranscriptionJobRow:
    job = session.get(TranscriptionJobRow, job_id)
    if job is None or job.application_id != application_id:
        raise NotFound("This recording does not exist.")
    return job


# ---- reading --------------------------------------------------------------------------------

def jobs_for_question(session: Session, application_id: int, form: str, question_id: str | None) -> list[TranscriptionJobRow]:
    """The newest job of each recording of one question, oldest recording first. For a reply to
    an officer ("message"), recordings already sent with a reply are left out."""
    query = select(TranscriptionJobRow).where(
        TranscriptionJobRow.application_id == application_id, TranscriptionJobRow.form == form,
        TranscriptionJobRow.question_id == question_id).order_by(TranscriptionJobRow.id)
    if form == "message":
        sent = select(MessageRow.audio_id).where(MessageRow.application_id == application_id, MessageRow.audio_id.is_not(None))
        query = query.where(TranscriptionJobRow.audio_id.not_in(sent))
    rows = session.scalars(query).all()
    newest: dict[int, TranscriptionJobRow] = {}
    for row in rows:
        newest[row.audio_id] = row
    return sorted(newest.values(), key=lambda r: r.audio_id)


def place_in_line(session: Session, job: TranscriptionJobRow) -> int:
    """1 when this job is the next to be taken, 2 when one waits before it, and so on."""
    ahead = session.scalar(select(func.count()).select_from(TranscriptionJobRow).where(
        TranscriptionJobRow.state == WAITING, TranscriptionJobRow.id < job.id)) or 0
    return ahead + 1


def language_mismatch(job: TranscriptionJobRow) -> str | None:
    """The language the model heard, when it is sure and it is not the one asked for."""
    if (job.state == READY and job.language and job.detected_language and job.detected_language != job.language
            and (job.detected_probability or 0) >= MISMATCH_PROBABILITY):
        return job.detected_language
    return None


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(TranscriptionJobRow.state, func.count()).group_by(TranscriptionJobRow.state)).all()
    return {state: n for state, n in rows}


# ---- working ------------------------------------------------------------------------------

def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim(db: Database, job_id: int) -> bool:
    """Take a waiting job for this worker, atomically: only one worker gets True."""
    with db.session() as s:
        now = utcnow()
        result = s.execute(update(TranscriptionJobRow).where(
            TranscriptionJobRow.id == job_id, TranscriptionJobRow.state == WAITING).values(
            state=RUNNING, tries=TranscriptionJobRow.tries + 1, worker=worker_name(), heartbeat=now, progress=0.0))
        return result.rowcount == 1


def run_job(db: Database, settings: Settings, job_id: int, engine=None) -> str | None:
    """Claim and do one job. Returns the state it ended in (None when someone else had it or it
    was dropped). `engine` overrides the process's shared model (tests)."""
    if not claim(db, job_id):
        return None
    with db.session() as s:
        job = s.get(TranscriptionJobRow, job_id)
        audio = s.get(AudioRow, job.audio_id) if job else None
        app = s.get(ApplicationRow, job.application_id) if job else None
        if job is None or audio is None or app is None or app.resume_hash.startswith("deleted:"):
            if job is not None:
                s.delete(job)
            return None
        data, filename, language, max_seconds = audio.data, audio.filename, job.language, job.max_seconds
    beat = _Heartbeat(db, job_id)
    beat.start()
    try:
        transcript, detected = _transcribe(db, settings, job_id, data, filename, language, max_seconds, engine)
    except SpeechError as exc:  # the recording's own fault (no speech, not audio): trying again changes nothing
        return _finish_failed(db, job_id, exc)
    except ConfigurationError as exc:
        _log.error("Transcription job %s: %s", job_id, exc)
        return _finish_failed(db, job_id, exc)
    except Exception:
        _log.exception("Transcription job %s failed", job_id)
        return _retry_or_fail(db, settings, job_id, SpeechError(UNEXPECTED))
    finally:
        beat.stop()
    state = _finish_ready(db, job_id, transcript, detected)
    _log.info("Transcription job %s %s by %s", job_id, state or "dropped", worker_name())
    return state


def _transcribe(db, settings, job_id, data, filename, language, max_seconds, engine):
    """Decode (bounded in length and time, inside this worker's one-at-a-time line), check the
    language when one was chosen, transcribe with progress written to the row."""
    from steunwijzer.speech import service
    from steunwijzer.speech.audio import NO_SPEECH, decode_audio, is_silent

    engine = engine or service.get_engine(settings.speech_engine, settings.speech_model)
    with service.get_queue(settings.speech_engine, settings.speech_model).turn():
        audio = decode_audio(data, filename, max_seconds=max_seconds, max_decode_seconds=settings.max_decode_seconds)
        if is_silent(audio):
            raise SpeechError(NO_SPEECH)
        detected = engine.detect_language(audio) if language else None
        last = [0.0]

        def on_progress(fraction: float) -> None:
            if fraction - last[0] >= 0.05 or fraction >= 1.0:
                last[0] = fraction
                with db.session() as s:
                    s.execute(update(TranscriptionJobRow).where(TranscriptionJobRow.id == job_id)
                              .values(progress=round(min(max(fraction, 0.0), 1.0), 3), heartbeat=utcnow()))

        transcript = engine.transcribe(audio, language, on_progress=on_progress)
    if not transcript.text:
        raise SpeechError(NO_SPEECH)
    return transcript, detected


def _finish_ready(db: Database, job_id: int, transcript, detected) -> str | None:
    with db.session() as s:
        job = s.get(TranscriptionJobRow, job_id)
        audio = s.get(AudioRow, job.audio_id) if job else None
        if job is None or audio is None:
            return None  # removed while it was written down
        job.state, job.progress, job.finished_at = READY, 1.0, utcnow()
        job.transcript, job.complete = transcript.text, transcript.complete
        if detected is not None:
            job.detected_language, job.detected_probability = detected
        else:
            job.detected_language, job.detected_probability = transcript.language, transcript.language_probability
        audio.transcript, audio.language, audio.duration_s = transcript.text, transcript.language, transcript.duration_s
        _add_to_saved_answer(s, job, transcript.text, transcript.language, (job.error_params or {}).get("previous"))
    return READY


def _add_to_saved_answer(session: Session, job: TranscriptionJobRow, text: str, language: str, previous: str | None) -> None:
    """Bring the transcript into the stored answer, so it is there even when nobody has the page
    open: typed text is kept and the transcript added after it; a transcript written down again
    replaces the earlier one of the same recording."""
    if job.form not in ANSWER_FORMS or not job.question_id:
        return
    from steunwijzer import applications

    if not applications.may_store(session.get(ApplicationRow, job.application_id).status, job.form):
        return
    if job.form == "message" and session.scalar(select(MessageRow.id).where(MessageRow.audio_id == job.audio_id)):
        return  # this recording was already sent with an answer
    row = session.scalar(select(AnswerRow).where(AnswerRow.application_id == job.application_id,
                                                 AnswerRow.form == job.form, AnswerRow.question_id == job.question_id))
    current = row.value.get("v") if row is not None and isinstance(row.value, dict) else None
    if row is not None and not isinstance(current, str):
        return  # not a text answer: leave it alone
    combined = combine(current or "", text, previous)
    if row is None:
        session.add(AnswerRow(application_id=job.application_id, form=job.form, question_id=job.question_id,
                              value={"v": combined}, language=language, source="voice", audio_id=job.audio_id))
    elif combined != current:
        row.value = {"v": combined}
        row.source, row.audio_id, row.updated_at = "voice", job.audio_id, utcnow()
        row.language = row.language or language


def combine(current: str, transcript: str, previous: str | None = None) -> str:
    """The answer text with a transcript added: never loses typed text, never adds it twice."""
    if previous and previous in current:
        return current.replace(previous, transcript, 1)
    if transcript in current:
        return current
    if not current.strip():
        return transcript
    return current.rstrip() + "\n\n" + transcript


def job_error(job: TranscriptionJobRow) -> SpeechError:
    """Why a job failed, as an error to show in the reader's language."""
    from steunwijzer.speech import audio  # noqa: F401  (its plural messages are then known)

    params = {k: v for k, v in (job.error_params or {}).items() if k != "previous"}
    return SpeechError(Plural.stored(job.error or UNEXPECTED), **params)


def _finish_failed(db: Database, job_id: int, exc: SteunwijzerError) -> str | None:
    with db.session() as s:
        job = s.get(TranscriptionJobRow, job_id)
        if job is None:
            return None
        job.state, job.finished_at = FAILED, utcnow()
        job.error = Plural.key(exc.msgid)[:300]
        job.error_params = {**{k: v for k, v in (job.error_params or {}).items() if k == "previous"},
                            **{k: (v if isinstance(v, (int, float)) else str(v)) for k, v in exc.params.items()}}
    return FAILED


def _retry_or_fail(db: Database, settings: Settings, job_id: int, exc: SteunwijzerError) -> str | None:
    with db.session() as s:
        job = s.get(TranscriptionJobRow, job_id)
        if job is None:
            return None
        if job.tries < MAX_TRIES:
            job.state, job.worker, job.heartbeat, job.progress = WAITING, None, None, 0.0
            again = True
        else:
            again = False
    if not again:
        return _finish_failed(db, job_id, exc)
    _enqueue(settings, job_id)
    return WAITING


class _Heartbeat:
    """Tells `recover` this job's worker is alive, also while the model is busy between segments."""

    def __init__(self, db: Database, job_id: int) -> None:
        self._db, self._job_id, self._stop = db, job_id, threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            try:
                with self._db.session() as s:
                    s.execute(update(TranscriptionJobRow).where(TranscriptionJobRow.id == self._job_id,
                                                                TranscriptionJobRow.state == RUNNING)
                              .values(heartbeat=utcnow()))
            except Exception:  # a busy database: the next beat tries again
                _log.warning("Heartbeat for job %s missed", self._job_id, exc_info=True)


# ---- recovery -------------------------------------------------------------------------------

def recover(db: Database, settings: Settings, now: datetime | None = None) -> dict[str, int]:
    """Put jobs whose worker died back in line (or fail them after MAX_TRIES), queue waiting jobs
    the queue lost, and drop jobs of deleted applications. Safe to run from many processes."""
    now = now or utcnow()
    stale_before = now - timedelta(seconds=STALE_AFTER_S)
    requeue: list[int] = []
    done = {"requeued": 0, "failed": 0, "dropped": 0}
    with db.session() as s:
        deleted = select(ApplicationRow.id).where(ApplicationRow.resume_hash.like("deleted:%"))
        done["dropped"] = s.execute(delete(TranscriptionJobRow).where(
            TranscriptionJobRow.state.in_(OPEN_STATES), TranscriptionJobRow.application_id.in_(deleted))).rowcount or 0
        for job in s.scalars(select(TranscriptionJobRow).where(TranscriptionJobRow.state == RUNNING)):
            if (job.heartbeat or datetime.min) < stale_before or _dead_here(job.worker):
                if job.tries >= MAX_TRIES:
                    job.state, job.error, job.finished_at = FAILED, INTERRUPTED, now
                    done["failed"] += 1
                else:
                    job.state, job.worker, job.heartbeat, job.progress = WAITING, None, None, 0.0
                    requeue.append(job.id)
        s.flush()
        queued = _queued_job_ids(settings)
        for job_id in s.scalars(select(TranscriptionJobRow.id).where(TranscriptionJobRow.state == WAITING)):
            if job_id not in queued and job_id not in requeue:
                requeue.append(job_id)
    for job_id in sorted(requeue):
        _enqueue(settings, job_id)
    done["requeued"] = len(requeue)
    if any(done.values()):
        _log.info("Transcription jobs recovered: %s", done)
    return done


def _dead_here(worker: str | None) -> bool:
    """True for a worker on this machine whose process is gone (after a kill -9 and restart)."""
    if not worker:
        return True
    host, _, rest = worker.partition(":")
    if host != socket.gethostname():
        return False
    pid = int(rest.split(":")[0] or 0)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _queued_job_ids(settings: Settings) -> set[int]:
    try:
        return {task.args[0] for task in huey_for(settings).pending() if task.name == TASK_NAME and task.args}
    except Exception:
        _log.warning("Could not read the transcription queue", exc_info=True)
        return set()


# ---- workers ----------------------------------------------------------------------------------

class _QuietConsumer:
    """Huey's consumer without the signal handlers it installs for a main thread (the app runs
    it from a Streamlit script thread). Built lazily so importing this module needs no Huey."""

    @staticmethod
    def create(huey, workers: int):
        from huey.consumer import Consumer

        class Quiet(Consumer):
            def _set_signal_handlers(self) -> None:
                pass

        return Quiet(huey, workers=workers, periodic=True, worker_type="thread", initial_delay=0.1,
                     backoff=1.15, max_delay=1.0, check_worker_health=False)


class WorkerHandle:
    """A running worker (its consumer and recovery thread) that can be stopped."""

    def __init__(self, consumer, stop: threading.Event, recovery: threading.Thread) -> None:
        self.consumer, self._stop, self._recovery = consumer, stop, recovery

    def stop(self) -> None:
        self._stop.set()
        self.consumer.stop(graceful=True)
        self._recovery.join(timeout=5)


def start_worker(db: Database, settings: Settings, preload: bool = True, workers: int = 1) -> WorkerHandle:
    """Start a transcription worker in this process (background threads): recover what earlier
    runs left, load the model once, then take jobs until stopped."""
    use_database(db, settings)
    huey = huey_for(settings)
    stop = threading.Event()

    def recovery_loop() -> None:
        if preload:
            try:
                from steunwijzer.speech import service

                service.get_engine(settings.speech_engine, settings.speech_model)
                _log.info("Speech model loaded: %s %s (pid %s)", settings.speech_engine, settings.speech_model, os.getpid())
            except SteunwijzerError:
                _log.exception("The speech model could not be loaded; jobs will fail with the reason")
        while True:
            try:
                recover(db, settings)
            except Exception:
                _log.exception("Recovering transcription jobs failed")
            if stop.wait(RECOVER_EVERY_S):
                return

    recovery = threading.Thread(target=recovery_loop, name="transcription-recovery", daemon=True)
    consumer = _QuietConsumer.create(huey, workers)
    consumer.start()
    recovery.start()
    return WorkerHandle(consumer, stop, recovery)


def run_worker_forever(db: Database, settings: Settings) -> None:
    """`python -m steunwijzer worker`: a worker in the foreground until Ctrl-C or SIGTERM."""
    import signal

    handle = start_worker(db, settings)
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    while not stopped.wait(1.0):
        pass
    handle.stop()
