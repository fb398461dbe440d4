"""Words and sentences: one term per thing in every language (locales/glossary.yaml) and short
Dutch sentences for volunteers (locales/readability.yaml). The translation check
(`python -m steunwijzer i18n check`, steunwijzer.i18n_catalog) and the catalogue check
(`funds check`) both apply these rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
import yaml

from steunwijzer.i18n import LOCALES_DIR

GLOSSARY = LOCALES_DIR / "glossary.yaml"
READABILITY = LOCALES_DIR / "readability.yaml"

# Texts only officers read: their source files. Any other place (pages 1-3, forms, letters, mails,
# errors a group can meet) makes a text volunteer-facing.
OFFICER_SOURCES = ("pages/5_", "pages/6_", "pages/7_", "pages/8_", "ui/inbox.py", "steunwijzer/cli/",
                   "steunwijzer/cases.py", "steunwijzer/auth.py", "steunwijzer/alerts.py")


@dataclass(frozen=True)
class Avoid:
    concept: str
    word: str
    use: str
    volunteer_only: bool
    pattern: re.Pattern


@cache
def _glossary_data() -> dict:
    return yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))


@cache
def glossary() -> dict[str, list[Avoid]]:
    """Per language, the words to avoid with the term to use instead."""
    found: dict[str, list[Avoid]] = {}
    for term in _glossary_data()["terms"]:
        for lang, rule in term.items():
            if not isinstance(rule, dict):
                continue
            for word in rule.get("avoid", []):
                found.setdefault(lang, []).append(Avoid(
                    term["concept"], word, rule["use"], rule.get("where") == "volunteer",
                    re.compile(re.escape(word), re.IGNORECASE)))
    return found


@cache
def _readability() -> dict:
    return yaml.safe_load(READABILITY.read_text(encoding="utf-8"))


def glossary_exceptions() -> dict[str, str]:
    """Texts (English msgids) where an avoided word is right, with the reason."""
    return _glossary_data().get("except") or {}


def avoided(text: str, lang: str, volunteer: bool = True) -> list[Avoid]:
    """The glossary's avoided words that `text` uses."""
    return [a for a in glossary().get(lang, []) if (volunteer or not a.volunteer_only) and a.pattern.search(text)]


def is_volunteer_facing(locations) -> bool:
    paths = [path for path, _ in locations]
    return not paths or any(not path.startswith(OFFICER_SOURCES) for path in paths)


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]


def words(sentence: str) -> int:
    """Words in a sentence; a placeholder ({fund}, {eur:5000}) counts as one."""
    return len(_PLACEHOLDER.sub("X", sentence).split())


def long_sentences(text: str, max_words: int) -> list[str]:
    return [s for s in sentences(text) if words(s) > max_words]


def max_words(kind: str) -> int:
    """The longest sentence allowed: `ui` for the app's Dutch volunteer texts, `fund` for fund texts."""
    return int(_readability()["max_words"][kind])


def readability_exceptions() -> dict[str, str]:
    """Dutch texts allowed a longer sentence, by msgid, with the reason."""
    return _readability().get("exceptions") or {}


def fund_text_problems(lang: str, text: str) -> list[str]:
    """What the glossary and the B1 rule say about one fund text (English, for the catalogue editor)."""
    found = [f"uses {a.word!r}; the glossary says {a.use!r} ({a.concept})" for a in avoided(text, lang)]
    if lang == "nl":
        found += [f"sentence of {words(s)} words (at most {max_words('fund')}): {s[:80]!r}"
                  for s in long_sentences(text, max_words("fund"))]
    return found
