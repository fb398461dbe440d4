"""Keeping the gettext catalogues in step with the code and the forms.

`extract()` collects every msgid from the Python sources (gettext calls, N_() marks, page titles,
error messages) and from forms/*.yaml; `update()` merges it into each locale's .po file; `problems()`
lists what is stale, untranslated or fuzzy (the test suite fails on any)."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from steunwijzer.config import LOCALES
from steunwijzer.i18n import LOCALES_DIR

ROOT = LOCALES_DIR.parent
POT_PATH = LOCALES_DIR / "messages.pot"

KEYWORDS = {
    "_": None, "gettext": None, "N_": None,
    "page_setup": None,
    # typed errors carry msgids
    "SteunwijzerError": None, "InvalidInput": None, "NotFound": None, "NotAllowed": None,
    "TooManyAttempts": None, "ConfigurationError": None, "SpeechError": None, "SessionEnded": None,
}
METHOD_MAP = [
    ("steunwijzer/**.py", "python"),
    ("ui/**.py", "python"),
    ("pages/**.py", "python"),
    ("app.py", "python"),
    ("forms/**.yaml", "steunwijzer.i18n_catalog:extract_form_yaml"),
]
FORM_TEXT_KEYS = ("title", "intro", "text", "help", "example", "label")


def extract_form_yaml(fileobj, keywords, comment_tags, options):
    """Babel extractor for forms/*.yaml: every title, intro, text, help, example and choice label."""
    data = yaml.safe_load(fileobj.read().decode("utf-8"))

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in FORM_TEXT_KEYS and isinstance(value, str) and value.strip():
                    yield 0, None, value, [f"{'/'.join(path)}/{key}"]
                else:
                    yield from walk(value, path + [str(node.get("id", key)) if key == "questions" else str(key)])
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, path + [str(item.get("id", "")) if isinstance(item, dict) else ""])

    yield from walk(data, [])


def extract() -> Catalog:
    catalog = Catalog(project="Steunwijzer", msgid_bugs_address="", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True, no_location=True, include_previous=False)


def update() -> None:
    """Write messages.pot and merge it into every locale's messages.po (new ids come in empty)."""
    template = extract()
    _write(POT_PATH, template)
    for locale in LOCALES:
        po_path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
        catalog = _read(po_path, locale) if po_path.exists() else Catalog(locale=locale, project="Steunwijzer")
        catalog.update(copy.deepcopy(template), update_header_comment=False, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if locale == "en":  # message ids are English: the English catalogue repeats them
            for msg in catalog:
                if msg.id and not msg.string:
                    msg.string = msg.id
        _write(po_path, catalog)


def problems() -> list[str]:
    """Everything that would let a user see an untranslated text."""
    found: list[str] = []
    wanted = {m.id for m in extract() if m.id}
    for locale in LOCALES:
        po_path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
        if not po_path.exists():
            found.append(f"{locale}: no catalogue at {po_path}")
            continue
        catalog = _read(po_path, locale)
        have = {m.id for m in catalog if m.id}
        for msgid in sorted(wanted - have, key=str):
            found.append(f"{locale}: missing {msgid!r} (run: python -m steunwijzer i18n update)")
        for msg in catalog:
            if not msg.id:
                continue
            if msg.fuzzy:
                found.append(f"{locale}: fuzzy {msg.id!r}")
            strings = msg.string if isinstance(msg.string, (tuple, list)) else (msg.string,)
            if not all(strings):
                found.append(f"{locale}: untranslated {msg.id!r}")
            if msg.id not in wanted:
                found.append(f"{locale}: stale {msg.id!r} (no longer used; run i18n update)")
            ids = msg.id if isinstance(msg.id, (tuple, list)) else (msg.id,)
            for string in strings:
                for placeholder in _placeholders(ids[0]):
                    if string and placeholder not in string:
                        found.append(f"{locale}: {msg.id!r} lost placeholder {placeholder}")
    return found


def _placeholders(text: str) -> set[str]:
    import re

    return set(re.findall(r"\{[a-z_]+\}", text))
