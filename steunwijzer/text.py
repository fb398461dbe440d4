"""Cleaning text that people type, before it is stored, shown or put into a document."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

# Characters XML 1.0 cannot hold, plus other invisible controls; newlines and tabs stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) can make a name read
# backwards ("U+202E" turns "exe.txt" around). The plain marks LRM/RLM/ALM stay: Arabic needs them.
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str | None, multiline: bool = True) -> str:
    """Normalise user text so that it can be stored and put into a document safely.

    HTML or script tags are kept as text (they are shown escaped, never run)."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BIDI_CONTROL.sub("", _CONTROL.sub("", text))
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


def csv_cell(value) -> str:
    """A value for a CSV cell that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value)
    # Spreadsheet formula injection: a cell must never start with = + - @ (or a tab or carriage
    # return, which some spreadsheets skip before reading a formula)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
