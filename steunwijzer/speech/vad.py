"""Voice-activity detection with the Silero VAD model that faster-whisper ships as a file in its
wheel (faster_whisper/assets/silero_vad_v6.onnx, run by onnxruntime): nothing is downloaded."""

from __future__ import annotations

import numpy as np

SAMPLE_RATE = 16_000  # what Whisper and the voice-activity model take: every recording is decoded to it (speech.audio)
# Whisper decodes 30-second windows; keeping speech stretches below that lets one stretch be
# one window.
MAX_REGION_S = 29.0


def speech_regions(samples: np.ndarray, max_region_s: float = MAX_REGION_S) -> list[tuple[float, float]]:
    """(start, end) in seconds of each stretch of speech, padded a little on both sides."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if samples.size == 0:
        return []
    options = VadOptions(max_speech_duration_s=max_region_s, min_silence_duration_ms=500, speech_pad_ms=200)
    return [(r["start"] / SAMPLE_RATE, r["end"] / SAMPLE_RATE) for r in get_speech_timestamps(samples, options)]
