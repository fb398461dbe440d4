"""Typed errors. Their message is an English msgid; the UI translates it and fills in params."""

from __future__ import annotations

import math

from babel import numbers


class Msg(str):
    """A parameter that is itself a msgid (a question's text, a label): translated with the rest."""


class Plural(str):
    """A text with a count in it: `Plural("… {minutes} minute.", "… {minutes} minutes.", "minutes")`.
    `count` is the number, or the name of the parameter that holds it; the catalogue's plural rule
    picks the form (Arabic has six, Polish and Ukrainian three). As a plain string it is the
    English plural. Stored (a failed job's message), it is kept as its singular, the catalogue's
    key; `Plural.stored()` gives it back."""

    _known: dict[str, "Plural"] = {}

    def __new__(cls, singular: str, plural: str, count: int | str) -> "Plural":
        self = super().__new__(cls, plural)
        self.singular, self.plural, self.count = singular, plural, count
        cls._known[singular] = self
        return self

    @classmethod
    def stored(cls, msgid: str) -> str:
        return cls._known.get(msgid, msgid)

    @staticmethod
    def key(msgid: str) -> str:
        return msgid.singular if isinstance(msgid, Plural) else msgid

    def number(self, params: dict) -> int:
        value = params[self.count] if isinstance(self.count, str) else self.count
        return value if isinstance(value, int) else math.ceil(value)  # 2.5 minutes reads as 3 for the form

    def translated(self, gettext, params: dict | None = None) -> str:
        return gettext.ngettext(self.singular, self.plural, self.number(params or {}))


def message(msgid: str, gettext, params: dict | None = None) -> str:
    """A msgid in the reader's language, before its {placeholders} are filled: a `Plural` picks its
    form by its count in `params`."""
    return msgid.translated(gettext, params) if isinstance(msgid, Plural) else gettext(msgid)


class SteunwijzerError(Exception):
    """Base error: `msgid` is a translation key, `params` fill its {placeholders}. A parameter
    that is itself an error or a `Msg` is translated too, so a nested message never stays English."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid.format(**params) if params else msgid)
        self.msgid = msgid
        self.params = params

    def translated(self, gettext) -> str:
        text = message(self.msgid, gettext, self.params)
        if not self.params:
            return text
        return text.format(**{k: _translate(v, gettext) for k, v in self.params.items()})


def _translate(value: object, gettext) -> object:
    if isinstance(value, SteunwijzerError):
        return value.translated(gettext)
    if isinstance(value, Msg):
        return gettext(value)
    if isinstance(value, float) and hasattr(gettext, "locale"):  # 2.5 minutes is "2,5" in Dutch
        return numbers.format_decimal(value, locale=gettext.locale)
    return value


class InvalidInput(SteunwijzerError):
    """A value the user gave cannot be accepted."""


TOO_MANY_TRIES = Plural("Too many tries. Wait {minutes} minute and try again.",
                        "Too many tries. Wait {minutes} minutes and try again.", "minutes")


def too_long(limit: int, length: int) -> InvalidInput:
    """The one message for a text over its limit (answers, notes, messages, filter names)."""
    return InvalidInput(Plural("Your answer is too long. Use at most {n} character (now {count}).",
                               "Your answer is too long. Use at most {n} characters (now {count}).", "n"),
                        n=limit, count=length)


class NotFound(SteunwijzerError):
    """The thing asked for does not exist (or the caller may not know it exists)."""


class NotAllowed(SteunwijzerError):
    """The caller may not do this (role, ownership, state)."""


class SessionEnded(NotAllowed):
    """An officer's session may not go on (idle, too old, account disabled or gone)."""


class Conflict(NotAllowed):
    """Someone else changed the thing a moment ago (optimistic check): nothing was saved."""


class TooManyAttempts(SteunwijzerError):
    """A limit on attempts was reached."""


class ConfigurationError(SteunwijzerError):
    """The installation itself is broken (a bad form file, a missing model)."""


class SpeechError(SteunwijzerError):
    """Audio that cannot be turned into text: not audio, empty, too long, no speech, model broken."""
