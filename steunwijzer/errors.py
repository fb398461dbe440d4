"""Typed errors. Their message is an English msgid; the UI translates it and fills in params."""

from __future__ import annotations


class Msg(str):
    """A parameter that is itself a msgid (a question's text, a label): translated with the rest."""


class SteunwijzerError(Exception):
    """Base error: `msgid` is a translation key, `params` fill its {placeholders}. A parameter
    that is itself an error or a `Msg` is translated too, so a nested message never stays English."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid.format(**params) if params else msgid)
        self.msgid = msgid
        self.params = params

    def translated(self, gettext) -> str:
        text = gettext(self.msgid)
        if not self.params:
            return text
        return text.format(**{k: _translate(v, gettext) for k, v in self.params.items()})


def _translate(value: object, gettext) -> object:
    if isinstance(value, SteunwijzerError):
        return value.translated(gettext)
    if isinstance(value, Msg):
        return gettext(value)
    return value


class InvalidInput(SteunwijzerError):
    """A value the user gave cannot be accepted."""


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
