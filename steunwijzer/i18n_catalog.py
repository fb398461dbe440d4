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

from steunwijzer import wording
from steunwijzer.config import LOCALES
from steunwijzer.i18n import LOCALES_DIR

ROOT = LOCALES_DIR.parent
POT_PATH = LOCALES_DIR / "messages.pot"

KEYWORDS = {
    "_": None, "gettext": None, "N_": None,
    # counts and context (called on a Texts object: _.ngettext(...), _.pgettext(...))
    "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3), "Plural": (1, 2),
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
# Where gettext's usual rule differs from Babel's: Turkish has "one" and "other" (CLDR; gettext's
# nplurals=2), Babel writes nplurals=1. Both forms are usually the same words.
PLURAL_FORMS = {"tr": (2, "(n != 1)")}
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
    for msg in catalog:  # one location per file is enough without line numbers
        msg.locations = sorted({(path, None) for path, _ in msg.locations})
    return catalog


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        # Source files without line numbers: translators see where a text is used, and an edit
        # elsewhere in the file does not touch six catalogues.
        write_po(fh, catalog, width=100, sort_output=True, include_lineno=False, include_previous=False)


def update() -> None:
    """Write messages.pot and merge it into every locale's messages.po (new ids come in empty)."""
    template = extract()
    _write(POT_PATH, template)
    for locale in LOCALES:
        po_path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
        catalog = _read(po_path, locale) if po_path.exists() else Catalog(locale=locale, project="Steunwijzer")
        if locale in PLURAL_FORMS:
            catalog._num_plurals, catalog._plural_expr = PLURAL_FORMS[locale]
        catalog.update(copy.deepcopy(template), update_header_comment=False, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if locale == "en":  # message ids are English: the English catalogue repeats them
            for msg in catalog:
                if msg.id and not all(strings(msg)):
                    msg.string = msg.id
        _write(po_path, catalog)


def problems() -> list[str]:
    """Everything that would let a user see an untranslated text."""
    found: list[str] = []
    wanted = {_key(m) for m in extract() if m.id}
    catalogs = {}
    for locale in LOCALES:
        po_path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
        if not po_path.exists():
            found.append(f"{locale}: no catalogue at {po_path}")
            continue
        catalog = catalogs[locale] = _read(po_path, locale)
        have = {_key(m) for m in catalog if m.id}
        for msgid in sorted(wanted - have, key=str):
            found.append(f"{locale}: missing {msgid!r} (run: python -m steunwijzer i18n update)")
        found += entry_problems(locale, catalog, wanted)
    return found + wording_problems(catalogs)


def ids(msg) -> tuple[str, ...]:
    """A message's id, or its singular and plural."""
    return tuple(msg.id) if isinstance(msg.id, (tuple, list)) else (msg.id,)


def strings(msg) -> tuple[str, ...]:
    """A message's translation, or each of its plural forms."""
    return tuple(msg.string) if isinstance(msg.string, (tuple, list)) else (msg.string,)


def is_done(msg) -> bool:
    """Translated in every form and not fuzzy."""
    return all(strings(msg)) and not msg.fuzzy


def entry_problems(locale: str, catalog: Catalog, wanted: set) -> list[str]:
    """Fuzzy, empty, a plural form missing, no longer used, a {placeholder} lost."""
    found: list[str] = []
    for msg in catalog:
        if not msg.id:
            continue
        if msg.fuzzy:
            found.append(f"{locale}: fuzzy {msg.id!r}")
        if not all(strings(msg)):
            found.append(f"{locale}: untranslated {msg.id!r}")
        if msg.pluralizable and len(strings(msg)) != catalog.num_plurals:
            found.append(f"{locale}: {msg.id!r} has {len(strings(msg))} plural forms, the language has {catalog.num_plurals}")
        if _key(msg) not in wanted:
            found.append(f"{locale}: stale {msg.id!r} (no longer used; run i18n update)")
        for string in strings(msg):
            for placeholder in set().union(*map(_placeholders, ids(msg))):
                if string and placeholder not in string:
                    found.append(f"{locale}: {msg.id!r} lost placeholder {placeholder}")
    return found


def wording_problems(catalogs: dict) -> list[str]:
    """The glossary and the sentence length (steunwijzer.wording) applied to the translations.
    `catalogs`: {locale: Catalog}."""
    found: list[str] = []
    excepted = wording.glossary_exceptions()
    limit = wording.max_words("ui")
    for lang, catalog in catalogs.items():
        for msg in catalog:
            if not msg.id:
                continue
            msgid = ids(msg)[0]
            volunteer = wording.is_volunteer_facing(msg.locations)
            if msgid not in excepted:
                for string in strings(msg):
                    for a in wording.avoided(string or "", lang, volunteer):
                        found.append(f"{lang}: {msgid!r} uses {a.word!r}; the glossary says {a.use!r} ({a.concept})")
                        break
            if lang == "nl" and volunteer and msgid not in wording.readability_exceptions():
                for string in strings(msg):
                    for sentence in wording.long_sentences(string or "", limit):
                        found.append(f"nl: {msgid!r} has a sentence of {wording.words(sentence)} words "
                                     f"(at most {limit}; or list it in locales/readability.yaml): {sentence!r}")
    return found


def _key(msg) -> tuple:
    return (msg.context, ids(msg) if msg.pluralizable else msg.id)


def _placeholders(text: str) -> set[str]:
    import re

    return set(re.findall(r"\{[a-z_]+\}", text))
