"""Reason texts: every reason is a msgid with parameters, so a page shows it in the reader's
language and the CLI in English (or any locale). Amounts and dates are formatted for the reader
only when the text is made."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import NamedTuple

from babel import Locale, numbers
from babel.lists import format_list

from steunwijzer import i18n
from steunwijzer.errors import Plural, message
from steunwijzer.i18n import N_
from steunwijzer.matching.profile import AmountRange
from steunwijzer.matching.vocabulary import OTHER_MUNICIPALITY, OTHER_MUNICIPALITY_LABEL
from steunwijzer.models import Fund

Gettext = Callable[[str], str]


class Kind(StrEnum):
    fit = "fit"                    # ✓
    caution = "caution"            # ⚠
    deal_breaker = "deal_breaker"  # ✗


class Labels(tuple):
    """Vocabulary labels (msgids) as a reason parameter; shown translated as a list."""


class Reason(NamedTuple):
    kind: Kind
    msgid: str
    params: dict


R_THEMES_FIT = N_("This fund gives money for: {themes}.")
R_THEMES_OTHER = N_("This fund gives money for other plans: {themes}.")
R_GROUPS_FIT = N_("This fund wants to help: {groups}.")
R_GROUPS_ALL = N_("This fund is for everyone.")
R_GROUPS_OTHER = N_("This fund is mostly for: {groups}.")
R_PLACE_LOCAL = N_("This fund is for groups in {place}.")
R_PLACE_NATIONAL = N_("This fund is for groups all over the Netherlands.")
R_PLACE_ONLY = N_("This fund is only for groups in {region}.")
R_NO_ENTITY = N_("You don't need a foundation for this fund.")
R_RESIDENTS = Plural("A group of at least {people} resident can apply. You don't need a foundation.",
                     "A group of at least {people} residents can apply. You don't need a foundation.", "people")
R_RESIDENT_ALONE = N_("One resident can apply for the group. You don't need a foundation.")
R_WITHOUT_UP_TO = N_("Without a foundation you can ask up to {max}. That fits your amount.")
R_ABOVE_PENVOERDER = N_("Without a foundation you can ask up to {max}. For more, you need an organisation that receives the money for you (a penvoerder).")
R_ABOVE_ENTITY = N_("Without a foundation you can ask up to {max}. For more, the fund only gives money to a stichting or vereniging.")
R_ENTITY_OK = N_("This fund gives money to a stichting or vereniging. Your group is one.")
R_ENTITY_NEEDED = N_("This fund only gives money to a stichting or vereniging with a KvK number.")
R_PENVOERDER = N_("You need an organisation that receives the money for you (a penvoerder).")
R_ENTITY_UNKNOWN = N_("We don't know if you need a foundation for this fund. Ask the fund.")
R_AMOUNT_FITS = N_("This fund gives {range}. That fits your amount.")
R_AMOUNT_LESS = N_("This fund gives up to {max}. You ask for {asked}.")
R_AMOUNT_MORE = N_("This fund gives at least {min}. You ask for {asked}.")
# Whole sentences when the group tapped a range of amounts instead of typing one
R_AMOUNT_LESS_BAND = N_("This fund gives up to {max}. You chose an amount between {low} and {high}.")
R_AMOUNT_MORE_BAND = N_("This fund gives at least {min}. You chose an amount between {low} and {high}.")
R_AMOUNT_MORE_OPEN = N_("This fund gives at least {min}. You chose an amount of {low} or more.")
R_AMOUNT_UNKNOWN = N_("We don't know how much money this fund gives.")
R_SPOKEN = N_("You can also tell your plan out loud instead of writing it.")
R_IN_APP = N_("You can apply right here in Steunwijzer.")
R_ANY_TIME = N_("You can apply at any time.")
R_DEADLINE = N_("Apply before {deadline}.")
R_DEADLINE_LATE = N_("The deadline is {deadline}. The answer may come after the date you need the money ({needed_by}).")
R_DEADLINE_PASSED = N_("The deadline ({deadline}) has passed.")
R_DEADLINE_UNKNOWN = N_("We don't know the next deadline. Check the fund's website.")

RANGE_BETWEEN = N_("{low} to {high}")
RANGE_UP_TO = N_("up to {high}")
RANGE_AT_LEAST = N_("at least {low}")
RANGE_UNKNOWN = N_("an amount we don't know")


@cache
def _whole_euro_pattern(locale: str) -> str:
    return Locale.parse(locale).currency_formats["standard"].pattern.replace(".00", "")


def format_euros(amount: Decimal, locale: str) -> str:
    """Like i18n.format_money, but whole amounts without cents: '€ 5.000' rather than '€ 5.000,00'
    (fund amounts are round numbers; the cents only make them harder to read)."""
    if amount != amount.to_integral_value():
        return i18n.format_money(amount, locale)
    return numbers.format_currency(amount, "EUR", format=_whole_euro_pattern(locale), locale=locale, currency_digits=False)


def format_range(value: AmountRange, gettext: Gettext, locale: str) -> str:
    """'€ 500 to € 1,500', 'up to € 500', 'at least € 25,000', or '€ 650' for an exact amount."""
    low = value.low if value.low else None  # a minimum of 0 says nothing
    if low is not None and value.high is not None:
        if low == value.high:
            return format_euros(low, locale)
        return gettext(RANGE_BETWEEN).format(low=format_euros(low, locale), high=format_euros(value.high, locale))
    if value.high is not None:
        return gettext(RANGE_UP_TO).format(high=format_euros(value.high, locale))
    if low is not None:
        return gettext(RANGE_AT_LEAST).format(low=format_euros(low, locale))
    return gettext(RANGE_UNKNOWN)


def _param_text(value: object, gettext: Gettext, locale: str) -> str:
    if isinstance(value, Labels):
        return format_list([gettext(v) for v in value], locale=locale)
    if isinstance(value, AmountRange):
        return format_range(value, gettext, locale)
    if isinstance(value, Decimal):
        return format_euros(value, locale)
    if isinstance(value, date):
        return i18n.format_day(value, locale)
    if value == OTHER_MUNICIPALITY:
        return gettext(OTHER_MUNICIPALITY_LABEL)
    return str(value)


def _whole_sentence(reason: Reason) -> tuple[str, dict]:
    """A reason about the amount asked says a range in its own sentence, not as "you ask for € 500
    to € 1.500" (which breaks in Polish and Arabic)."""
    asked = reason.params.get("asked")
    if not isinstance(asked, AmountRange) or asked.low == asked.high:
        return reason.msgid, reason.params
    params = {k: v for k, v in reason.params.items() if k != "asked"}
    params.update(low=asked.low or Decimal(0), high=asked.high)
    if asked.high is None:
        return R_AMOUNT_MORE_OPEN, params
    return (R_AMOUNT_LESS_BAND if reason.msgid == R_AMOUNT_LESS else R_AMOUNT_MORE_BAND), params


def reason_text(reason: Reason, gettext: Gettext, locale: str) -> str:
    """The reason in the reader's language, with amounts and dates formatted for the locale."""
    msgid, params = _whole_sentence(reason)
    text = message(msgid, gettext, params)
    if not params:
        return text
    return text.format(**{k: _param_text(v, gettext, locale) for k, v in params.items()})


def fund_amount_text(fund: Fund, gettext: Gettext, locale: str) -> str:
    return format_range(AmountRange(fund.min_amount_eur, fund.max_amount_eur), gettext, locale)


# ---- catalogue texts -----------------------------------------------------------------------------
# A catalogue editor writes an amount in a fund text as {eur:5000}; the reader sees it written
# their way ("€ 5.000" in Dutch, "€5,000" in English, Arabic digits and sign placement in ar).

EURO_PLACEHOLDER = re.compile(r"\{eur:([0-9]{1,9})\}")


def catalogue_text(text: str | None, locale: str) -> str:
    """A fund text for reading: {eur:N} placeholders become amounts in the reader's locale. The
    result is still plain text (show it through ui.text.md)."""
    if not text:
        return ""
    return EURO_PLACEHOLDER.sub(lambda m: format_euros(Decimal(m.group(1)), locale), text)


__all__ = [name for name in dir() if name.startswith(("R_", "RANGE_"))] + [
    "Gettext", "Kind", "Labels", "Reason", "EURO_PLACEHOLDER", "catalogue_text", "format_euros", "format_range",
    "fund_amount_text", "reason_text"]
