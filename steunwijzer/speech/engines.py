"""Two Whisper engines behind one interface: faster-whisper (CTranslate2 int8, the default) and
openai-whisper (PyTorch fp32). Both get decoded float32 arrays, never file paths.

Decoding settings follow the measurements in shared/ARCHITECTURE.md: greedy decoding with one
temperature (temperature fallback made unclear audio take up to 1.7 x real time), no
conditioning on earlier text (it spreads one hallucination over the rest), voice-activity
filtering, a guard against repetition loops and a time budget per clip.

An engine is not thread-safe: share it through steunwijzer.speech.service, which runs one
transcription per model at a time.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel

from steunwijzer.errors import ConfigurationError, InvalidInput
from steunwijzer.i18n import N_
from steunwijzer.speech.audio import SAMPLE_RATE, DecodedAudio
from steunwijzer.speech.model import BUNDLED_MODEL, bundled_model_folder, model_cache_dir, openai_checkpoint
from steunwijzer.speech.vad import speech_regions

Task = Literal["transcribe", "translate"]
ProgressCallback = Callable[[float], None]

ENGINES: tuple[str, ...] = ("faster-whisper", "openai-whisper")
APP_LANGUAGES = ("nl", "en", "ar", "tr", "pl", "uk")
# Detection picks only among these: over all 99 Whisper languages the base model took short
# Turkish clips for other languages. Added: languages often spoken by newcomers in the
# Netherlands and by their neighbours.
DETECTABLE_LANGUAGES = APP_LANGUAGES + ("de", "fr", "es", "it", "pt", "ro", "bg", "hu", "ru", "fa", "ps", "so", "zh")

COMPRESSION_RATIO_LIMIT = 2.4  # above this a segment is a repetition loop ("thank you thank you …")
LOG_PROB_LIMIT = -1.0
NO_SPEECH_LIMIT = 0.6
MIN_TIME_BUDGET_S = 30.0
TIME_BUDGET_PER_AUDIO_SECOND = 2.0
_DETECTION_SECONDS = 30  # Whisper detects the language from one 30-second window
MODEL_FOLDER_INCOMPLETE = N_("The speech model folder {path} is missing or lacks model.bin, config.json or tokenizer.json.")


class Segment(BaseModel):
    start: float
    end: float
    text: str


class Transcript(BaseModel):
    text: str
    language: str
    language_probability: float | None  # None when the caller chose the language
    duration_s: float
    processing_s: float
    engine: str
    model: str
    segments: list[Segment]
    complete: bool = True  # False when the time budget ran out before the end of the audio


@dataclass(frozen=True)
class _RawSegment:
    start: float
    end: float
    text: str
    compression_ratio: float


def collapse_repeats(text: str, max_words: int = 12) -> str:
    """Reduce a run of the same words repeated back to back to one copy:
    'we want we want we want money' -> 'we want money'."""
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(1, min(max_words, (len(words) - i) // 2) + 1):  # the shortest repeating unit
            chunk = [w.lower().strip(".,!?") for w in words[i:i + size]]
            repeats = 1
            while [w.lower().strip(".,!?") for w in words[i + repeats * size:i + (repeats + 1) * size]] == chunk:
                repeats += 1
            if repeats > 1:
                out.extend(words[i:i + size])
                i += repeats * size
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


class WhisperEngine(ABC):
    name: str

    def __init__(self, model_label: str) -> None:
        self.model_label = model_label

    def transcribe(self, audio: DecodedAudio, language: str | None = None, task: Task = "transcribe",
                   on_progress: ProgressCallback | None = None, time_budget_s: float | None = None) -> Transcript:
        """Transcribe (or, when asked, translate into English) decoded audio.

        `language` is the caller's hint (the UI language); None detects it among
        DETECTABLE_LANGUAGES. `on_progress` gets the fraction done, from segment end times.
        """
        started = time.monotonic()
        if language is not None and language not in self.supported_languages():
            raise InvalidInput("Speech in this language cannot be transcribed: {language}.", language=language)
        probability = None
        if language is None:
            language, probability = self.detect_language(audio)
        budget = time_budget_s or max(MIN_TIME_BUDGET_S, TIME_BUDGET_PER_AUDIO_SECOND * audio.duration_s)
        segments: list[Segment] = []
        complete = True
        for raw in self._segments(audio.samples, language, task):
            text = raw.text.strip()
            if raw.compression_ratio > COMPRESSION_RATIO_LIMIT:
                # A repetition loop ("thank you thank you …") or a speaker who really repeats
                # a sentence: keep one copy of what repeats rather than losing the segment.
                text = collapse_repeats(text)
            if not text:
                continue
            segments.append(Segment(start=round(raw.start, 2), end=round(raw.end, 2), text=text))
            if on_progress:
                on_progress(min(raw.end / audio.duration_s, 1.0))
            if time.monotonic() - started > budget:
                complete = False  # stop here so one bad clip cannot hold the queue
                break
        if on_progress and complete:
            on_progress(1.0)
        return Transcript(
            text=" ".join(s.text for s in segments), language=language, language_probability=probability,
            duration_s=round(audio.duration_s, 2), processing_s=round(time.monotonic() - started, 2),
            engine=self.name, model=self.model_label, segments=segments, complete=complete,
        )

    def detect_language(self, audio: DecodedAudio) -> tuple[str, float]:
        """The most likely of DETECTABLE_LANGUAGES and the model's probability for it."""
        probabilities = self._language_probabilities(_first_speech(audio.samples))
        language = max(DETECTABLE_LANGUAGES, key=lambda code: probabilities.get(code, 0.0))
        return language, round(float(probabilities.get(language, 0.0)), 4)

    @abstractmethod
    def supported_languages(self) -> set[str]: ...

    @abstractmethod
    def _language_probabilities(self, samples: np.ndarray) -> dict[str, float]: ...

    @abstractmethod
    def _segments(self, samples: np.ndarray, language: str, task: Task) -> Iterator[_RawSegment]: ...


class FasterWhisperEngine(WhisperEngine):
    name = "faster-whisper"

    def __init__(self, model: str, cache_dir: Path | None = None, compute_type: str = "int8", cpu_threads: int = 0) -> None:
        """compute_type "int8": as accurate as float32 on these weights (measured), and faster on a CPU.
        cpu_threads 0: CTranslate2's default (4)."""
        from faster_whisper import WhisperModel

        super().__init__(model)
        source = _model_source(model, cache_dir)
        if isinstance(source, Path):
            # local_files_only: never fall back to the hub for a file missing from the folder
            self._model = WhisperModel(str(source), device="cpu", compute_type=compute_type, local_files_only=True,
                                       cpu_threads=cpu_threads)
        else:
            self._model = _load_named(lambda: WhisperModel(
                source, device="cpu", compute_type=compute_type, download_root=str(_cache(cache_dir) / "hub"),
                cpu_threads=cpu_threads), source)

    def supported_languages(self) -> set[str]:
        return set(self._model.supported_languages)

    def _language_probabilities(self, samples: np.ndarray) -> dict[str, float]:
        _, _, all_probabilities = self._model.detect_language(samples)
        return dict(all_probabilities)

    def _segments(self, samples: np.ndarray, language: str, task: Task) -> Iterator[_RawSegment]:
        segments, _ = self._model.transcribe(
            samples, language=language, task=task, beam_size=1, best_of=1, temperature=0.0,
            condition_on_previous_text=False, vad_filter=True,
            compression_ratio_threshold=COMPRESSION_RATIO_LIMIT, log_prob_threshold=LOG_PROB_LIMIT,
            no_speech_threshold=NO_SPEECH_LIMIT,
        )
        for s in segments:  # a lazy generator: decoding happens as we iterate
            yield _RawSegment(s.start, s.end, s.text, s.compression_ratio)


class OpenAIWhisperEngine(WhisperEngine):
    name = "openai-whisper"

    def __init__(self, model: str, cache_dir: Path | None = None) -> None:
        import whisper

        super().__init__(model)
        source = _model_source(model, cache_dir)
        if isinstance(source, Path):
            self._model = whisper.load_model(str(openai_checkpoint(source)), device="cpu")
        else:
            self._model = _load_named(lambda: whisper.load_model(
                source, device="cpu", download_root=str(_cache(cache_dir) / "openai-whisper")), source)
        self._model.float()  # fp32: fp16 on a CPU is slower and openai-whisper warns about it

    def supported_languages(self) -> set[str]:
        from whisper.tokenizer import LANGUAGES

        return set(LANGUAGES)

    def _language_probabilities(self, samples: np.ndarray) -> dict[str, float]:
        import torch
        import whisper

        mel = whisper.log_mel_spectrogram(whisper.pad_or_trim(torch.from_numpy(samples)), n_mels=self._model.dims.n_mels)
        with torch.inference_mode():
            _, probabilities = self._model.detect_language(mel)
        return probabilities

    def _segments(self, samples: np.ndarray, language: str, task: Task) -> Iterator[_RawSegment]:
        """openai-whisper has no streaming API, so feed it one window of speech at a time
        (found by the same Silero VAD faster-whisper uses): that gives progress, a point to stop
        at when the time budget runs out, and skips silence."""
        import whisper

        for start, end in _speech_windows(samples):
            result = whisper.transcribe(
                self._model, samples[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)], language=language, task=task,
                temperature=0.0, condition_on_previous_text=False, fp16=False, verbose=None,
                compression_ratio_threshold=COMPRESSION_RATIO_LIMIT, logprob_threshold=LOG_PROB_LIMIT,
                no_speech_threshold=NO_SPEECH_LIMIT,
            )
            for s in result["segments"]:
                yield _RawSegment(start + s["start"], min(start + s["end"], end), s["text"], s["compression_ratio"])


def load_engine(engine: str, model: str = BUNDLED_MODEL, cache_dir: Path | None = None) -> WhisperEngine:
    """Load a model into an engine (slow: a second or more; see service.get_engine to share).
    STEUNWIJZER_SPEECH_THREADS limits the CPU threads it uses (several workers on one machine)."""
    from steunwijzer.config import get_settings

    threads = get_settings().speech_threads
    if engine == "faster-whisper":
        return FasterWhisperEngine(model, cache_dir, cpu_threads=threads)
    if engine == "openai-whisper":
        if threads:
            import torch

            torch.set_num_threads(threads)
        return OpenAIWhisperEngine(model, cache_dir)
    raise ConfigurationError("Unknown speech engine {engine}; use one of: {choices}.", engine=engine, choices=", ".join(ENGINES))


# ---- helpers ----------------------------------------------------------------------------

def _cache(cache_dir: Path | None) -> Path:
    return cache_dir or model_cache_dir()


def _model_source(model: str, cache_dir: Path | None) -> Path | str:
    """A local CTranslate2 folder (Path), or a model name to fetch from the internet (str)."""
    if model == BUNDLED_MODEL:
        return bundled_model_folder(_cache(cache_dir))
    path = Path(model).expanduser()
    if path.is_dir():
        # Without tokenizer.json next to model.bin faster-whisper would fetch one from the hub.
        if not all((path / name).exists() for name in ("model.bin", "config.json", "tokenizer.json")):
            raise ConfigurationError(MODEL_FOLDER_INCOMPLETE, path=str(path))
        return path
    if model.startswith(("/", ".", "~")):
        raise ConfigurationError(MODEL_FOLDER_INCOMPLETE, path=model)
    return model  # a name such as "small" or a hub id such as "Systran/faster-whisper-small"


def _load_named(load: Callable, name: str):
    """Named models come from the internet; without it, say so plainly."""
    try:
        return load()
    except Exception as exc:  # network and hub errors come in many types
        raise ConfigurationError("The speech model {model} could not be loaded; named models need internet access.",
                                 model=name) from exc


def _first_speech(samples: np.ndarray) -> np.ndarray:
    """Up to 30 s of speech with the silences cut out, so a long pause at the start does not
    leave language detection with nothing to hear."""
    limit = _DETECTION_SECONDS * SAMPLE_RATE
    pieces = [samples[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)] for a, b in speech_regions(samples[: limit * 4])]
    speech = np.concatenate(pieces) if pieces else samples
    return speech[:limit]


def _speech_windows(samples: np.ndarray) -> list[tuple[float, float]]:
    """Speech regions merged into windows of at most one Whisper window (30 s), in seconds."""
    windows: list[tuple[float, float]] = []
    for start, end in speech_regions(samples):
        if windows and end - windows[-1][0] <= 29.0:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows
