"""`python -m steunwijzer transcribe AUDIO`: transcribe one recording on this machine."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from steunwijzer.config import get_settings
from steunwijzer.errors import InvalidInput
from steunwijzer.speech.engines import ENGINES

# The --json output, fixed so that scripts can rely on it.
JSON_FIELDS = {"text", "language", "language_probability", "duration_s", "processing_s", "engine", "model", "segments"}


def register(sub) -> None:
    p = sub.add_parser(
        "transcribe", help="Transcribe a recording with the local Whisper model.",
        description="Transcribe a recording (WAV, Ogg/Opus, M4A, MP3, WebM, …) locally; no audio leaves this machine.")
    p.add_argument("audio", metavar="AUDIO", type=Path, help="The recording to transcribe.")
    p.add_argument("--language", help="Language code of the speech, e.g. nl (default: detect among the app's languages).")
    p.add_argument("--task", choices=["transcribe", "translate"], default="transcribe",
                   help="translate: English translation instead of a transcript (poor with the bundled base model).")
    p.add_argument("--engine", choices=ENGINES, help="Speech engine (default: STEUNWIJZER_SPEECH_ENGINE, else faster-whisper).")
    p.add_argument("--model", help="'bundled-base', a CTranslate2 model folder, or a model name (needs internet).")
    p.add_argument("--json", action="store_true", help="Print the transcript as JSON with its segments and timings.")
    p.set_defaults(handler=_transcribe)


def _transcribe(args: argparse.Namespace, db) -> int:
    from steunwijzer.speech.service import transcribe_bytes

    if not args.audio.is_file():
        raise InvalidInput("There is no file {path}.", path=str(args.audio))
    settings = get_settings()
    overrides = {"speech_engine": args.engine, "speech_model": args.model}
    settings = settings.model_copy(update={k: v for k, v in overrides.items() if v})
    transcript = transcribe_bytes(args.audio.read_bytes(), args.audio.name, args.language, settings, task=args.task)
    if args.json:
        print(json.dumps(transcript.model_dump(include=JSON_FIELDS), ensure_ascii=False, indent=2))
    else:
        print(transcript.text)
    return 0
