"""`python -m steunwijzer transcribe`: JSON output on a real clip, and one clear line for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.audio.clips import AUDIO_DIR, words
from tests.audio.synth import two_hour_mp3

ENV = dict(os.environ)  # tests/conftest.py points STEUNWIJZER_MODEL_CACHE at a shared folder


def transcribe(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "steunwijzer", "transcribe", *args],
                          capture_output=True, text=True, timeout=300, env=ENV)


@pytest.mark.speech
def test_json_output_has_exactly_the_documented_fields():
    result = transcribe(str(AUDIO_DIR / "en_voicemail.ogg"), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"text", "language", "language_probability", "duration_s", "processing_s", "engine", "model", "segments"}
    assert (out["language"], out["engine"], out["model"]) == ("en", "faster-whisper", "bundled-base")
    assert {"leave", "message", "tone"} <= set(words(out["text"]))
    assert all(set(s) == {"start", "end", "text"} for s in out["segments"])
    assert out["duration_s"] == pytest.approx(5.65, abs=0.05)


def bad_file(folder: Path, kind: str) -> Path:
    contents = {
        "empty.ogg": b"",
        "notes.txt": b"not audio\n" * 20,
        "random.ogg": os.urandom(4000),
        "two-hours.mp3": two_hour_mp3(),
    }
    path = folder / kind
    if kind in contents:
        path.write_bytes(contents[kind])
    return path


@pytest.mark.parametrize(("kind", "message"), [
    ("missing.ogg", "There is no file"),
    ("empty.ogg", "The recording is empty."),
    ("notes.txt", "This file is not a sound recording we can read."),
    ("random.ogg", "This file is not a sound recording we can read."),
    ("two-hours.mp3", "The recording is too long. The limit is 10 minutes."),
])
def test_bad_input_exits_2_with_one_line(tmp_path, kind, message):
    result = transcribe(str(bad_file(tmp_path, kind)))
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
