"""Decoding recordings into 16 kHz mono samples: every format volunteers send, bad input, overlong
files and silence. No Whisper model is loaded here (only the small Silero VAD)."""

from __future__ import annotations

import io
import time
import wave

import av
import numpy as np
import pytest

from steunwijzer.errors import SpeechError
from steunwijzer.speech import audio as audio_module
from steunwijzer.speech.audio import EMPTY, NOT_AUDIO, SAMPLE_RATE, TOO_LONG, decode_audio, is_silent
from tests.audio.clips import load_clips
from tests.audio.synth import encode, two_hour_mp3

CLIP = next(c for c in load_clips() if c.file == "nl_buurthuis.ogg")
CLIP_SECONDS = 7.70


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    return decode_audio(CLIP.read(), CLIP.file).samples


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    positions = np.arange(int(samples.size * rate / SAMPLE_RATE)) * SAMPLE_RATE / rate
    return np.interp(positions, np.arange(samples.size), samples).astype(np.float32)


def pcm16_wav(samples: np.ndarray, rate: int = SAMPLE_RATE, channels: int = 1) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.repeat((samples * 32767).astype("<i2"), channels).tobytes())
    return buf.getvalue()


def tone(hz: float, seconds: float, rate: int) -> np.ndarray:
    return (0.3 * np.sin(2 * np.pi * hz * np.arange(int(seconds * rate)) / rate)).astype(np.float32)


def dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.argmax(spectrum) * SAMPLE_RATE / samples.size)


def assert_refused(data: bytes, msgid: str, **kwargs) -> SpeechError:
    with pytest.raises(SpeechError) as exc:
        decode_audio(data, **kwargs)
    assert exc.value.msgid == msgid
    return exc.value


# ---- formats --------------------------------------------------------------------------------

def test_whatsapp_opus_clip_decodes_to_16k_mono_float32():
    decoded = decode_audio(CLIP.read(), CLIP.file)
    assert decoded.samples.dtype == np.float32 and decoded.samples.ndim == 1
    assert (decoded.source_sample_rate, decoded.channels) == (48000, 1)
    assert decoded.duration_s == pytest.approx(CLIP_SECONDS, abs=0.05)
    assert decoded.duration_s == decoded.samples.size / SAMPLE_RATE


def test_browser_recorder_wav_is_read_without_pyav(speech, monkeypatch):
    def no_pyav(*args):
        raise AssertionError("the browser's WAV must not need PyAV")

    monkeypatch.setattr(audio_module, "_decode_with_pyav", no_pyav)
    decoded = decode_audio(pcm16_wav(speech), "recording.wav")
    assert (decoded.source_sample_rate, decoded.channels) == (SAMPLE_RATE, 1)
    np.testing.assert_allclose(decoded.samples, speech, atol=1 / 16384)


@pytest.mark.parametrize(("name", "container", "codec", "rate"), [
    ("voice.m4a", "ipod", "aac", 44100),       # iPhone voice memo
    ("voice.mp3", "mp3", "libmp3lame", 44100),
    ("voice.webm", "webm", "libopus", 48000),  # browser MediaRecorder
    ("float.wav", "wav", "pcm_f32le", 16000),   # 32-bit float WAV, as sound editors export it
])
def test_compressed_formats_decode(speech, name, container, codec, rate):
    decoded = decode_audio(encode(resample(speech, rate), rate, "mono", container, codec), name)
    assert decoded.source_sample_rate == rate
    # encoders add a few ms of priming and padding
    assert decoded.duration_s == pytest.approx(CLIP_SECONDS, abs=0.1)
    assert not is_silent(decoded)


@pytest.mark.parametrize(("rate", "channels", "container", "codec"), [
    (48000, 2, "wav", "pcm_s16le"),
    (8000, 1, "wav", "pcm_s16le"),  # telephone quality
    (44100, 2, "ipod", "aac"),
])
def test_other_rates_and_stereo_are_resampled_without_changing_pitch(rate, channels, container, codec):
    layout = "stereo" if channels == 2 else "mono"
    decoded = decode_audio(encode(tone(440, 2.0, rate), rate, layout, container, codec))
    assert (decoded.source_sample_rate, decoded.channels) == (rate, channels)
    assert decoded.duration_s == pytest.approx(2.0, abs=0.1)
    assert dominant_hz(decoded.samples) == pytest.approx(440, abs=2)


def test_stereo_browser_wav_is_mixed_down(speech):
    decoded = decode_audio(pcm16_wav(speech, channels=2))
    assert decoded.channels == 2
    np.testing.assert_allclose(decoded.samples, speech, atol=1 / 16384)


def test_webm_without_duration_in_its_header_decodes(speech):
    # MediaRecorder writes live WebM: no duration, so length is counted while decoding
    data = encode(resample(speech, 48000), 48000, "mono", "webm", "libopus", options={"live": "1"})
    with av.open(io.BytesIO(data)) as container:
        assert container.duration is None and container.streams.audio[0].duration is None
    assert decode_audio(data).duration_s == pytest.approx(CLIP_SECONDS, abs=0.1)
    assert_refused(data, TOO_LONG, max_seconds=3)


# ---- bad input ------------------------------------------------------------------------------

def test_empty_bytes_are_an_empty_recording():
    assert_refused(b"", EMPTY)


def test_wav_without_samples_is_an_empty_recording():
    assert_refused(pcm16_wav(np.zeros(0, np.float32)), EMPTY)


def test_random_bytes_named_ogg_are_not_audio():
    assert_refused(np.random.default_rng(1).bytes(20_000), NOT_AUDIO, filename="voice.ogg")


def test_text_file_is_not_audio():
    assert_refused(b"Dit is geen geluid, maar een tekst.\n" * 50, NOT_AUDIO, filename="answer.txt")


def test_photo_is_not_audio():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), "orange").save(buf, "JPEG")
    assert_refused(buf.getvalue(), NOT_AUDIO, filename="photo.jpg")


def test_truncated_opus_is_refused_or_shorter():
    data = CLIP.read()
    try:
        decoded = decode_audio(data[: len(data) // 2])
    except SpeechError as exc:
        assert exc.msgid == NOT_AUDIO
    else:
        assert 0 < decoded.duration_s < CLIP_SECONDS


# ---- length limit ---------------------------------------------------------------------------

def test_two_hour_mp3_is_refused_at_once():
    data = two_hour_mp3()
    started = time.perf_counter()
    error = assert_refused(data, TOO_LONG, filename="podcast.mp3", max_seconds=600)
    assert time.perf_counter() - started < 0.5
    assert str(error) == "The recording is too long. The limit is 10 minutes."


def test_two_hour_wav_is_refused_from_its_header():
    buf = io.BytesIO()  # 8-bit telephone WAV: 58 MB, so not the browser format, read by PyAV
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(b"\x80" * (2 * 3600 * 8000))
    data = buf.getvalue()
    started = time.perf_counter()
    assert_refused(data, TOO_LONG, max_seconds=600)
    assert time.perf_counter() - started < 0.5


def test_browser_wav_over_the_limit_is_refused_before_reading_samples():
    data = pcm16_wav(np.zeros(11 * 60 * SAMPLE_RATE, np.float32))
    started = time.perf_counter()
    assert_refused(data, TOO_LONG, max_seconds=600)
    assert time.perf_counter() - started < 0.2


def test_limit_is_exact_while_streaming():
    # the header check leaves room for estimated durations; counting samples does not
    assert_refused(CLIP.read(), TOO_LONG, max_seconds=6.5)
    assert decode_audio(CLIP.read(), max_seconds=7.8).duration_s == pytest.approx(CLIP_SECONDS, abs=0.05)


def test_limit_in_the_message_keeps_fractions():
    error = assert_refused(two_hour_mp3(), TOO_LONG, max_seconds=90)
    assert error.params == {"minutes": 1.5}


# ---- silence --------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "samples"), [
    ("digital silence", np.zeros(5 * SAMPLE_RATE, np.float32)),
    ("room hiss", np.random.default_rng(2).normal(0, 0.003, 5 * SAMPLE_RATE).astype(np.float32)),
    ("steady hum", tone(50, 5, SAMPLE_RATE)),
])
def test_no_speech_is_silent(name, samples):
    assert is_silent(decode_audio(pcm16_wav(samples)))


def test_speech_is_not_silent(speech):
    assert not is_silent(decode_audio(pcm16_wav(speech)))


def test_speech_after_a_long_pause_is_found(speech):
    padded = np.concatenate([np.zeros(45 * SAMPLE_RATE, np.float32), speech])
    assert not is_silent(decode_audio(pcm16_wav(padded)))


@pytest.mark.parametrize("text, expected", [
    ("Thank you. Thank you. Thank you. Thank you.", "Thank you."),
    ("we want we want we want money for tools", "we want money for tools"),
    ("Wij koken samen. Wij koken samen. En wij eten samen.", "Wij koken samen. En wij eten samen."),
    ("no repeats here at all", "no repeats here at all"),
    ("", ""),
])
def test_repetition_loops_collapse_to_one_copy(text, expected):
    from steunwijzer.speech.engines import collapse_repeats

    assert collapse_repeats(text) == expected
