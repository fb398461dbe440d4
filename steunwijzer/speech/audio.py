"""Turn uploaded or recorded bytes into 16 kHz mono float32 samples, the only input Whisper takes.

The browser recorder's WAV is read with the stdlib `wave` module; everything else (WhatsApp
.ogg/opus, iPhone .m4a, .mp3, .webm, odd WAVs) goes through PyAV, whose wheel ships FFmpeg's
libraries, so no ffmpeg binary is needed. Overlong files are refused from the header, or while
streaming at the latest once the limit is passed: a 2-hour file is never decoded whole.
"""

from __future__ import annotations

import io
import logging
import time
import wave
from dataclasses import dataclass

import numpy as np

from steunwijzer.errors import Plural, SpeechError
from steunwijzer.speech.vad import SAMPLE_RATE, speech_regions
from steunwijzer.i18n import N_

_log = logging.getLogger(__name__)

# msgids of the SpeechErrors raised here (N_ marks them for the translation catalogue)
NOT_AUDIO = N_("This file is not a sound recording we can read.")
EMPTY = N_("The recording is empty.")
TOO_LONG = Plural("The recording is too long. The limit is {minutes} minute.",
                  "The recording is too long. The limit is {minutes} minutes.", "minutes")
NO_SPEECH = N_("We heard no speech in this recording. Please try again, a bit closer to the microphone.")
TOO_SLOW = N_("This file takes too long to read. Please send the voice note in another way, for example from WhatsApp.")

# A voice note is mono or stereo at up to 96 kHz. Anything else (the 8-channel, 655 kHz FLAC that
# cost 28 CPU-seconds) is refused from its header, before one sample is decoded.
MAX_CHANNELS = 2
MAX_SOURCE_RATE = 96_000
DEFAULT_DECODE_SECONDS = 30.0
# The served type comes from what the file turned out to be, never from the browser's claim.
AUDIO_MIME_BY_FORMAT = {
    "wav": "audio/wav", "ogg": "audio/ogg", "mp3": "audio/mpeg", "flac": "audio/flac", "aac": "audio/aac",
    "amr": "audio/amr", "matroska,webm": "audio/webm", "mov,mp4,m4a,3gp,3g2,mj2": "audio/mp4",
}

# Container durations can be estimates (an MP3 without a VBR header is guessed from its first
# frame), so the header only refuses files clearly too long; the streaming count is exact.
_HEADER_SLACK = 1.25
_SILENCE_DBFS = -60.0
_MIN_SPEECH_S = 0.3
_VAD_WINDOW_S = 30.0


@dataclass(frozen=True)
class DecodedAudio:
    samples: np.ndarray  # float32, mono, 16 kHz, in [-1, 1]
    duration_s: float
    source_sample_rate: int
    channels: int


def served_audio_type(stored: str | None) -> str:
    """The type a stored recording is served with: one of ours, else (a row stored before the
    type came from the content) a neutral audio type, so it can never be served as a page."""
    return stored if stored in AUDIO_MIME_BY_FORMAT.values() else "audio/ogg"


def probe_audio(data: bytes, filename: str | None = None, max_seconds: float = 600) -> str:
    """The cheap check before a file is stored: its header must describe one readable audio
    stream of an accepted shape and length. Nothing is decoded beyond the first frame.
    Returns the file's real media type (always audio/*).

    Raises SpeechError: NOT_AUDIO, EMPTY or TOO_LONG.
    """
    try:
        if not data:
            raise SpeechError(EMPTY)
        if _is_plain_pcm16_wav(data):
            with wave.open(io.BytesIO(data)) as w:
                if w.getnchannels() > MAX_CHANNELS:
                    raise SpeechError(NOT_AUDIO)
                if min(w.getnframes(), len(data) // (2 * w.getnchannels())) / SAMPLE_RATE > max_seconds:
                    raise _too_long(max_seconds)
            return "audio/wav"
        return _probe_with_pyav(data, max_seconds)
    except SpeechError as exc:
        _log.info("Refused %s (%d bytes) before storing: %s", filename or "a recording", len(data), exc)
        raise


def _probe_with_pyav(data: bytes, max_seconds: float) -> str:
    import av

    try:
        with av.open(io.BytesIO(data), mode="r", options={"probesize": "1000000", "analyzeduration": "2000000"}) as container:
            stream = _checked_audio_stream(container, max_seconds)
            mime = AUDIO_MIME_BY_FORMAT.get(container.format.name)
            if mime is None:
                raise SpeechError(NOT_AUDIO)
            for _frame in container.decode(stream):  # one frame: the codec really reads this
                break
            else:
                raise SpeechError(EMPTY)
            return mime
    except SpeechError:
        raise
    except (av.FFmpegError, ValueError, EOFError, UnicodeDecodeError) as exc:
        raise SpeechError(NOT_AUDIO) from exc


def _checked_audio_stream(container, max_seconds: float):
    if not container.streams.audio:
        raise SpeechError(NOT_AUDIO)
    stream = container.streams.audio[0]
    stream.thread_type = "SLICE"
    stream.codec_context.thread_count = 1  # one core: decoding shares the machine with Whisper
    rate = stream.codec_context.sample_rate or 0
    channels = stream.codec_context.channels or (stream.codec_context.layout.nb_channels if stream.codec_context.layout else 1)
    if not 0 < rate <= MAX_SOURCE_RATE or channels > MAX_CHANNELS:
        raise SpeechError(NOT_AUDIO)
    header_seconds = _header_duration(container, stream)
    if header_seconds is not None and header_seconds > max_seconds * _HEADER_SLACK + 1:
        raise _too_long(max_seconds)
    return stream


def decode_audio(data: bytes, filename: str | None = None, max_seconds: float = 600,
                 max_decode_seconds: float = DEFAULT_DECODE_SECONDS) -> DecodedAudio:
    """Decode `data` (any common audio format; the content decides, not the name). `filename`
    only names the file in the log when it is refused, which helps answer "my file won't work".
    Decoding stops with TOO_SLOW after `max_decode_seconds` of wall time (on one core).

    Raises SpeechError: NOT_AUDIO, EMPTY, TOO_LONG or TOO_SLOW.
    """
    try:
        if not data:
            raise SpeechError(EMPTY)
        audio = (_decode_wav(data, max_seconds) if _is_plain_pcm16_wav(data)
                 else _decode_with_pyav(data, max_seconds, time.monotonic() + max_decode_seconds))
        if audio.samples.size == 0:
            raise SpeechError(EMPTY)
    except SpeechError as exc:
        _log.info("Refused %s (%d bytes): %s", filename or "a recording", len(data), exc)
        raise
    return audio


def is_silent(audio: DecodedAudio) -> bool:
    """True when there is no speech to transcribe: near-digital silence, or no stretch the
    Silero voice-activity detector calls speech. Whisper tends to invent text for silence
    ("Thank you."), so such a recording must never reach it."""
    samples = audio.samples
    if samples.size == 0:
        return True
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    if rms == 0.0 or 20 * np.log10(rms) < _SILENCE_DBFS:
        return True

    # Look window by window so a long answer is cleared as soon as some speech is found.
    window = int(_VAD_WINDOW_S * SAMPLE_RATE)
    for start in range(0, samples.size, window):
        regions = speech_regions(samples[start:start + window])
        if sum(end - begin for begin, end in regions) >= _MIN_SPEECH_S:
            return False
    return True


def _too_long(max_seconds: float) -> SpeechError:
    minutes = max_seconds / 60
    return SpeechError(TOO_LONG, minutes=int(minutes) if minutes == int(minutes) else round(minutes, 1))  # 2.5 is shown as 2,5


# ---- WAV from the browser recorder ------------------------------------------------------

def _is_plain_pcm16_wav(data: bytes) -> bool:
    """16-bit PCM at 16 kHz: what st.audio_input sends. Other WAVs need resampling or
    conversion and go to PyAV."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return False
    try:
        with wave.open(io.BytesIO(data)) as w:
            return w.getsampwidth() == 2 and w.getframerate() == SAMPLE_RATE
    except (wave.Error, EOFError):
        return False


def _decode_wav(data: bytes, max_seconds: float) -> DecodedAudio:
    with wave.open(io.BytesIO(data)) as w:
        channels = w.getnchannels()
        # The header's frame count can overstate a truncated upload; the bytes present bound it.
        frames = min(w.getnframes(), len(data) // (2 * channels))
        if frames / SAMPLE_RATE > max_seconds:
            raise _too_long(max_seconds)
        pcm = np.frombuffer(w.readframes(frames), dtype="<i2")
    pcm = pcm[: pcm.size - pcm.size % channels].reshape(-1, channels)
    samples = (pcm.astype(np.float32) / 32768.0).mean(axis=1, dtype=np.float32)
    return DecodedAudio(samples, samples.size / SAMPLE_RATE, SAMPLE_RATE, channels)


# ---- everything else --------------------------------------------------------------------

def _decode_with_pyav(data: bytes, max_seconds: float, deadline: float) -> DecodedAudio:
    import av

    try:
        with av.open(io.BytesIO(data), mode="r", options={"probesize": "1000000", "analyzeduration": "2000000"}) as container:
            stream = _checked_audio_stream(container, max_seconds)
            source_rate = stream.codec_context.sample_rate or 0
            channels = stream.codec_context.layout.nb_channels if stream.codec_context.layout else 1
            samples = _stream_samples(container, stream, max_seconds, deadline)
    except SpeechError:
        raise
    except (av.FFmpegError, ValueError, EOFError, UnicodeDecodeError) as exc:
        raise SpeechError(NOT_AUDIO) from exc
    return DecodedAudio(samples, samples.size / SAMPLE_RATE, source_rate, channels)


def _header_duration(container, stream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000  # AV_TIME_BASE
    return None  # e.g. a browser MediaRecorder .webm: counted while streaming instead


def _stream_samples(container, stream, max_seconds: float, deadline: float = float("inf")) -> np.ndarray:
    """Decode and resample frame by frame, stopping as soon as the length or time limit is passed."""
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    total = 0

    def keep(frames) -> None:
        nonlocal total
        for frame in frames:
            chunk = frame.to_ndarray().reshape(-1)
            chunks.append(chunk)
            total += chunk.size
        if total > max_seconds * SAMPLE_RATE:
            raise _too_long(max_seconds)
        if time.monotonic() > deadline:
            raise SpeechError(TOO_SLOW)

    for frame in container.decode(stream):
        keep(resampler.resample(frame))
    keep(resampler.resample(None))  # flush what the resampler still holds
    return np.concatenate(chunks).astype(np.float32, copy=False) if chunks else np.zeros(0, np.float32)
