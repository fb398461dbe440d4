"""The committed test clips (clips.yaml) and the word normalisation the speech tests and the
benchmark share."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

AUDIO_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Clip:
    file: str
    language: str
    text: str
    must_hear: tuple[str, ...]
    detect: bool
    licence: str

    @property
    def path(self) -> Path:
        return AUDIO_DIR / self.file

    def read(self) -> bytes:
        return self.path.read_bytes()


def load_clips() -> list[Clip]:
    entries = yaml.safe_load((AUDIO_DIR / "clips.yaml").read_text(encoding="utf-8"))
    return [Clip(e["file"], e["language"], e["text"], tuple(e["must_hear"]), e["detect"], e["licence"]) for e in entries]


def words(text: str) -> list[str]:
    """Lower-case words without punctuation, for comparing transcripts."""
    return re.findall(r"\w+(?:'\w+)?", unicodedata.normalize("NFKC", text).casefold())
