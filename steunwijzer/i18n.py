"""Translations (gettext catalogues read with Babel) and locale-aware numbers, money and dates.

Catalogues live in locales/<lang>/LC_MESSAGES/messages.po. They are compiled in memory when
first used, so no .mo files are kept in the repository.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Callable

from babel import Locale, numbers
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from steunwijzer.config import LOCALES
from steunwijzer.errors import InvalidInput

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DEFAULT_LOCALE = "nl"
RTL_LOCALES = frozenset({"ar", "fa", "ur", "ps", "he", "ckb"})

Gettext = Callable[[str], str]


class Texts:
    """The translations of one locale, called like gettext: `_("Save")`. Counts take
    `_.ngettext(singular, plural, n)` (the catalogue's Plural-Forms picks one of up to six forms,
    Arabic needs all six), short or ambiguous texts `_.pgettext(context, msgid)`."""

    def __init__(self, catalogue: NullTranslations, locale: str) -> None:
        self.locale = locale
        self._catalogue = catalogue

    def __call__(self, msgid: str) -> str:
        return self._catalogue.gettext(msgid)

    def gettext(self, msgid: str) -> str:
        return self._catalogue.gettext(msgid)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue.ngettext(singular, plural, n)

    def pgettext(self, context: str, msgid: str) -> str:
        return self._catalogue.pgettext(context, msgid)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._catalogue.npgettext(context, singular, plural, n)


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it now."""
    return msgid


def normalize_locale(value: str | None, default: str = DEFAULT_LOCALE) -> str:
    """Map a browser or user locale ('ar-MA', 'en_US', 'NL') to one of ours, else the default."""
    if not value:
        return default
    lang = re.split(r"[-_]", value.strip())[0].lower()
    return lang if lang in LOCALES else default


def is_rtl(locale: str) -> bool:
    return normalize_locale(locale, "") in RTL_LOCALES or locale in RTL_LOCALES


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def native_name(locale: str) -> str:
    """The language's name in its own script, as a button label: 'Nederlands', 'العربية', 'Українська'."""
    return _capital(Locale.parse(locale).get_display_name(locale) or locale)


def language_name(code: str, in_locale: str, *, label: bool = False) -> str:
    """The name of language `code` in the reader's locale, written as that language writes it in
    the middle of a sentence: ('ar', 'nl') -> 'Arabisch', ('ar', 'pl') -> 'arabski'. With
    `label=True` it starts with a capital, for a menu option or a table cell."""
    try:
        name = Locale.parse(in_locale).languages.get(code) or Locale.parse(code).get_display_name(in_locale)
    except (ValueError, TypeError):
        return code
    return _capital(name or code) if label else (name or code)


@lru_cache(maxsize=None)
def translations(locale: str) -> NullTranslations:
    """Compiled catalogue for a locale; English (the msgids) when there is none."""
    po_path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf)


def source_texts() -> Texts:
    """The English msgids themselves, untranslated (the English catalogue is reviewed on its own):
    for tests about rules rather than wording."""
    return Texts(NullTranslations(), "en")


@lru_cache(maxsize=None)
def gettext_for(locale: str) -> Texts:
    locale = normalize_locale(locale)
    return Texts(translations(locale), locale)



# ---- numbers, money, dates -------------------------------------------------------------

_CURRENCY_NOISE = re.compile(r"[€\s\u00a0\u202f]|EUR|eur|euro", re.UNICODE)


def format_money(amount: Decimal | int | None, locale: str) -> str:
    if amount is None:
        return "—"
    return numbers.format_currency(Decimal(amount), "EUR", locale=locale)


def format_number(value: Decimal | int, locale: str) -> str:
    return numbers.format_decimal(value, locale=locale)


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits are common on Arabic keyboards: read them as 0-9."""
    return text.translate(_DIGITS)


def format_number_2(value: Decimal, locale: str) -> str:
    """A number with two decimals, no currency sign: '1.500,50' in nl, '1,500.50' in en."""
    return numbers.format_decimal(value, format="#,##0.00", locale=locale)


def money_example(locale: str) -> str:
    """How to write one thousand five hundred euros and fifty cents here: '1.500,50' in nl."""
    return format_number_2(Decimal("1500.50"), locale)


def parse_money(text: str, locale: str) -> Decimal:
    """Parse an amount as written in `locale` ("1.500,50" in nl, "1,500.50" in en), strictly.

    Raises InvalidInput for anything that is not an unambiguous, positive amount with at most
    two decimals.
    """
    cleaned = _CURRENCY_NOISE.sub("", (text or "").strip())
    cleaned = cleaned.replace("\u2212", "-")  # unicode minus
    cleaned = to_ascii_digits(cleaned)
    cleaned = cleaned.removesuffix(",-").removesuffix(".-")
    if not cleaned:
        raise InvalidInput("Please fill in an amount.")
    if len(cleaned) > 20:
        raise InvalidInput("This amount is too large.")
    if not re.fullmatch(r"-?[0-9][0-9.,'’]*", cleaned):
        if cleaned.startswith("-"):
            raise InvalidInput("The amount cannot be negative.")
        raise InvalidInput("We cannot read this amount. Write it like this: {example}", example=money_example(locale))
    try:
        value = numbers.parse_decimal(cleaned, locale=locale, strict=True)
    except (numbers.NumberFormatError, InvalidOperation, ValueError):
        raise InvalidInput("We cannot read this amount. Write it like this: {example}", example=money_example(locale)) from None
    if value < 0:
        raise InvalidInput("The amount cannot be negative.")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidInput("Use at most two numbers after the decimal sign.")
    if value >= Decimal("1000000000"):
        raise InvalidInput("This amount is too large.")
    return value.quantize(Decimal("0.01"))


def format_day(value: date | None, locale: str, fmt: str = "long") -> str:
    if value is None:
        return "—"
    return _babel_format_date(value, format=fmt, locale=locale)


def to_timezone(value: datetime | None, zone: str) -> datetime | None:
    """A stored moment (naive means UTC) as wall-clock time in `zone`, without tzinfo for display."""
    if value is None:
        return None
    from datetime import timezone
    from zoneinfo import ZoneInfo

    aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return aware.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def format_moment(value: datetime | None, locale: str) -> str:
    if value is None:
        return "—"
    return _babel_format_datetime(value, format="medium", locale=locale)
