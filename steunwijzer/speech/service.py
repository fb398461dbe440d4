"""Shared speech models and a first-come-first-served line per model.

Streamlit runs every browser session in its own thread of one process. A Whisper model takes
hundreds of MB and both cores, so each model is loaded once per process and runs one
transcription at a time; everyone else waits in a visible line.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from steunwijzer.config import Settings, get_settings
from steunwijzer.errors import SpeechError
from steunwijzer.speech.audio import NO_SPEECH, decode_audio, is_silent
from steunwijzer.speech.engines import ProgressCallback, Task, Transcript, WhisperEngine, load_engine

QueuePositionCallback = Callable[[int], None]

_engines: dict[tuple[str, str], WhisperEngine] = {}
_queues: dict[tuple[str, str], TranscriptionQueue] = {}
_registry_lock = threading.Lock()


class TranscriptionQueue:
    """One job at a time, in the order callers arrived. A caller's position is 0 while its job
    runs, 1 when it runs next, 2 when one job waits before it, and so on."""

    def __init__(self) -> None:
        self._line: deque[object] = deque()  # the running ticket first, then the waiting ones
        self._changed = threading.Condition()

    def __len__(self) -> int:
        with self._changed:
            return len(self._line)

    @contextmanager
    def turn(self, on_position: QueuePositionCallback | None = None) -> Iterator[None]:
        """Wait for this caller's turn, reporting each new position, then hold the slot until
        the block ends, also when it ends with an exception (or the waiting is interrupted)."""
        ticket = object()
        with self._changed:
            self._line.append(ticket)
        try:
            reported = None
            while reported != 0:
                with self._changed:
                    position = self._line.index(ticket)
                    while position == reported:
                        self._changed.wait()
                        position = self._line.index(ticket)
                reported = position
                if on_position:
                    on_position(position)  # outside the lock: a UI callback may be slow or raise
            yield
        finally:
            with self._changed:
                self._line.remove(ticket)
                self._changed.notify_all()


def get_engine(engine: str, model: str, cache_dir: Path | None = None) -> WhisperEngine:
    """The process-wide engine for (engine, model), loaded on first use. Loading happens under
    a lock, so callers arriving together wait for the one copy instead of loading their own."""
    key = (engine, model)
    with _registry_lock:
        if key not in _engines:
            _engines[key] = load_engine(engine, model, cache_dir)
            _queues[key] = TranscriptionQueue()
        return _engines[key]


def get_queue(engine: str, model: str) -> TranscriptionQueue:
    with _registry_lock:
        return _queues.setdefault((engine, model), TranscriptionQueue())


def loaded_engines() -> list[tuple[str, str]]:
    with _registry_lock:
        return list(_engines)


def transcribe_bytes(data: bytes, filename: str | None = None, language: str | None = None,
                     settings: Settings | None = None, on_progress: ProgressCallback | None = None,
                     on_queue_position: QueuePositionCallback | None = None, task: Task = "transcribe",
                     max_minutes: float | None = None) -> Transcript:
    """What the UI calls with a recording: decode, refuse what cannot be transcribed, wait for
    a turn, transcribe. `language` is the UI language (or None to detect); `max_minutes`
    overrides settings.max_audio_minutes (the pitch has its own limit). Translation into
    English runs only when the caller passes task="translate".

    Raises SpeechError with a translatable message for bad, empty, overlong or silent audio.
    """
    settings = settings or get_settings()
    audio = decode_audio(data, filename, max_seconds=(max_minutes or settings.max_audio_minutes) * 60)
    if is_silent(audio):
        raise SpeechError(NO_SPEECH)
    engine = get_engine(settings.speech_engine, settings.speech_model)
    with get_queue(settings.speech_engine, settings.speech_model).turn(on_queue_position):
        transcript = engine.transcribe(audio, language, task=task, on_progress=on_progress)
    if not transcript.text:
        raise SpeechError(NO_SPEECH)
    return transcript
