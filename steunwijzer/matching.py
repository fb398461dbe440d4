"""Which funds fit a group's plan, and why: a score per fund and the reasons in plain words.

A group answers six short questions (forms/funding_profile.yaml); the answers become a
`FundingProfile`. `match_funds(profile, funds)` gives every fund a `Match`: a score from 0 to 100,
whether the fund is open to the group at all (`eligible`), and `reasons`. A reason is a msgid
with parameters, so a page shows it in the reader's language and the CLI in English (or any
locale): `reason_text(reason, gettext, locale)`.

Deal-breakers (the fund is shown, but below every fund that can work):
  - the fund only gives money in municipalities the group is not in;
  - the fund only gives money to a stichting or vereniging (legal entity) and the group has none;
  - the fund's minimum is at least twice the top of what the group asks;
  - the fund's next deadline has passed (and it does not take applications at any time).
Anything else that may be a problem is a caution (⚠) that lowers the score but hides nothing:
a penvoerder route, an unknown legal-entity rule, a fund that gives less than asked (the group
can still ask it for a part), an unknown deadline, a deadline after the date the money is needed.

Score (points, 100 in all):
  themes         30  share of the group's themes the fund supports (15 when none chosen)
  target groups  15  8 + 7 × share of the group's target groups the fund names;
                     10 for a fund open to everyone; 8 when none chosen ("everyone" counts as
                     none); 0 for a fund that names only other groups
  amount         20  the ask fits the fund's range; less when the fund gives less (20 × max / ask);
                     8 when the fund's minimum is a bit above the ask or its amounts are unknown;
                     10 when no amount was given
  legal entity   15  for a group without one (or not sure): no foundation needed 15, penvoerder 8,
                     unknown 5, required 0. A group with one: 15, unknown 12.
                     So a fund that needs a legal entity never ranks above an otherwise equal
                     fund that does not, for a group without one.
  place          10  the fund is for the group's municipality 10, for the whole country 5,
                     a local fund while the group did not say where 5
  spoken          4  the fund takes spoken applications
  in app          3  applications are made right here in Steunwijzer
  deadline        3  any time, or a known deadline before the money is needed; 1 when unknown
                     or later than needed
Order: eligible funds first, then by score (high to low), then by name and id, so that ties
are always broken the same way.
"""

from __future__ import annotations

import heapq
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Callable, Iterable, Literal, NamedTuple, Sequence

from babel import Locale, numbers
from babel.lists import format_list
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from steunwijzer import i18n
from steunwijzer.errors import InvalidInput
from steunwijzer.i18n import N_
from steunwijzer.models import (
    TARGET_GROUPS,
    THEMES,
    Fund,
    LegalEntityRule,
    Money,
    TargetGroup,
    Theme,
    YesNoUnknown,
)

Gettext = Callable[[str], str]

# ---- vocabularies: the words people tap ------------------------------------------------------
# Labels are msgids; their meaning for catalogue editors is in the README.

THEME_LABELS: dict[str, str] = {
    "meeting": N_("Meeting each other"),
    "neighbourhood": N_("A nicer neighbourhood"),
    "green": N_("Nature, green and climate"),
    "care": N_("Caring for each other"),
    "poverty": N_("Less poverty and money worries"),
    "youth": N_("Activities for children and young people"),
    "culture": N_("Culture and art"),
    "sport": N_("Sport and exercise"),
    "education": N_("Learning and language"),
    "participation": N_("Taking part in society"),
    "health": N_("Health"),
    "volunteering": N_("Volunteer work"),
}
TARGET_GROUP_LABELS: dict[str, str] = {
    "residents": N_("People in the neighbourhood"),
    "children": N_("Children"),
    "young_people": N_("Young people"),
    "elderly": N_("Older people"),
    "newcomers": N_("Newcomers (refugees and migrants)"),
    "low_income": N_("People with little money"),
    "lonely": N_("People who feel lonely"),
    "disabled": N_("People with a disability"),
    "women": N_("Women"),
    "everyone": N_("Everyone"),
}
assert tuple(THEME_LABELS) == THEMES and tuple(TARGET_GROUP_LABELS) == TARGET_GROUPS

# "Another municipality": only funds for the whole country can fit.
OTHER_MUNICIPALITY = "other"
OTHER_MUNICIPALITY_LABEL = N_("Another municipality")
EVERYONE = "everyone"


def normalize_place(name: str | None) -> str:
    """'Gemeente Den Haag', ' den haag ' -> 'den haag' (for comparing, never for showing)."""
    text = " ".join((name or "").split()).casefold()
    return text.removeprefix("gemeente ").strip()


def display_place(name: str) -> str:
    """'Gemeente Voorbeeld' -> 'Voorbeeld'."""
    text = " ".join(name.split())
    return text[len("gemeente "):] if text.casefold().startswith("gemeente ") else text


def municipality_choices(funds: Iterable[Fund], configured: str | None) -> list[str]:
    """The municipality question's options: the configured one first, then every municipality
    in the catalogue (sorted), then OTHER_MUNICIPALITY."""
    seen: dict[str, str] = {}
    for fund in funds:
        for name in fund.municipalities:
            seen.setdefault(normalize_place(name), display_place(name))
    first = display_place(configured) if configured and configured.strip() else None
    rest = sorted((v for k, v in seen.items() if first is None or k != normalize_place(first)), key=str.casefold)
    return ([first] if first else []) + rest + [OTHER_MUNICIPALITY]


# ---- amounts and dates as tapped ---------------------------------------------------------------

class AmountRange(NamedTuple):
    """From `low` to `high` euros; None means open on that side. An exact amount has low == high."""

    low: Decimal | None
    high: Decimal | None


def parse_band(value: str) -> AmountRange:
    """An amount choice from the form: '500-1500' -> (500, 1500); '25000-' -> (25000, None)."""
    low, sep, high = value.partition("-")
    if not sep or not low.isdigit() or (high and not high.isdigit()):
        raise ValueError(f"not an amount band: {value!r} (write it like 500-1500 or 25000-)")
    band = AmountRange(Decimal(low), Decimal(high) if high else None)
    if band.high is not None and band.high < band.low:
        raise ValueError(f"amount band {value!r} ends below its start")
    return band


def needed_by_from_choice(value: str | None, today: date) -> date | None:
    """The 'when do you need the money' choice: a number of days from today, or 'later'."""
    if not value or not value.isdigit():
        return None
    return today + timedelta(days=int(value))


LEGAL_ENTITY_CHOICES: dict[str, bool | None] = {"yes": True, "no": False, "not_sure": None}


# ---- the profile -------------------------------------------------------------------------------

class FundingProfile(BaseModel):
    """What a group told about its plan. Every field is optional."""

    model_config = ConfigDict(extra="forbid")

    themes: list[Theme] = Field(default_factory=list)
    municipality: str | None = Field(None, max_length=100, description=f"A municipality name, or {OTHER_MUNICIPALITY!r}.")
    amount_eur: Money | None = Field(None, description="The exact amount asked, if known.")
    amount_band: str | None = Field(None, pattern=r"^[0-9]{1,9}-[0-9]{0,9}$", description="A tapped range, e.g. '500-1500' or '25000-'.")
    legal_entity: bool | None = Field(None, description="A stichting or vereniging with a KvK number; None: not sure.")
    target_groups: list[TargetGroup] = Field(default_factory=list)
    needed_by: date | None = None

    @model_validator(mode="after")
    def _band_is_a_range(self) -> "FundingProfile":
        if self.amount_band is not None:
            parse_band(self.amount_band)
        return self

    def asked(self) -> AmountRange | None:
        """The exact amount when given, else the tapped range, else None."""
        if self.amount_eur is not None:
            return AmountRange(self.amount_eur, self.amount_eur)
        if self.amount_band:
            return parse_band(self.amount_band)
        return None


def parse_profile(text: str, source: str = "profile") -> FundingProfile:
    """A profile from JSON (the CLI's --profile file). Errors name the source and the field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("{source} is not a valid funding profile: {detail}", source=source,
                           detail=f"line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise InvalidInput("{source} is not a valid funding profile: {detail}", source=source,
                           detail='it must be a JSON object, like {"themes": ["meeting"], "amount_eur": 1500}') from None
    try:
        return FundingProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(profile)"
        raise InvalidInput("{source} is not a valid funding profile: {detail}", source=source,
                           detail=f"field {field}: {first['msg']}") from None


# ---- reasons -----------------------------------------------------------------------------------

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
R_ENTITY_OK = N_("This fund gives money to a stichting or vereniging. Your group is one.")
R_ENTITY_NEEDED = N_("This fund only gives money to a stichting or vereniging with a KvK number.")
R_PENVOERDER = N_("You need an organisation that receives the money for you (a penvoerder).")
R_ENTITY_UNKNOWN = N_("We don't know if you need a foundation for this fund. Ask the fund.")
R_AMOUNT_FITS = N_("This fund gives {range}. That fits your amount.")
R_AMOUNT_LESS = N_("This fund gives up to {max}; you asked {asked}.")
R_AMOUNT_MORE = N_("This fund gives at least {min}; you asked {asked}.")
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


@lru_cache(maxsize=None)
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


def reason_text(reason: Reason, gettext: Gettext, locale: str) -> str:
    """The reason in the reader's language, with amounts and dates formatted for the locale."""
    text = gettext(reason.msgid)
    if not reason.params:
        return text
    return text.format(**{k: _param_text(v, gettext, locale) for k, v in reason.params.items()})


# ---- the checks ---------------------------------------------------------------------------------
# Every possible outcome of a check is a Rule: its kind, its text and how to fill the text in. A
# fund's outcomes are kept as one small int (5 bits per check, an index into _RULES), and the
# texts are only filled in when someone reads them: ranking a big catalogue then allocates almost
# nothing per fund.

def _no_params(p: "_Prepared", q: "_Query") -> dict:
    return {}


class Rule(NamedTuple):
    kind: Kind
    msgid: str
    params: Callable[["_Prepared", "_Query"], dict] = _no_params


_RULES: list[Rule | None] = [None]  # index 0: the check says nothing
_BITS, _CHECKS = 5, 6                # 6 checks with an outcome each, 5 bits per check


def _rule(kind: Kind, msgid: str, params: Callable[["_Prepared", "_Query"], dict] = _no_params) -> int:
    _RULES.append(Rule(kind, msgid, params))
    assert len(_RULES) <= 1 << _BITS
    return len(_RULES) - 1


def _region(p: "_Prepared", q: "_Query") -> dict:
    return {"region": p.region}


def _fund_min(p: "_Prepared", q: "_Query") -> dict:
    return {"min": p.low, "asked": q.asked}


PLACE_LOCAL = _rule(Kind.fit, R_PLACE_LOCAL, lambda p, q: {"place": q.place_name})
PLACE_NATIONAL = _rule(Kind.fit, R_PLACE_NATIONAL)
PLACE_NOT_SAID = _rule(Kind.caution, R_PLACE_ONLY, _region)
PLACE_ELSEWHERE = _rule(Kind.deal_breaker, R_PLACE_ONLY, _region)
NO_ENTITY = _rule(Kind.fit, R_NO_ENTITY)
ENTITY_OK = _rule(Kind.fit, R_ENTITY_OK)
PENVOERDER = _rule(Kind.caution, R_PENVOERDER)
ENTITY_UNKNOWN = _rule(Kind.caution, R_ENTITY_UNKNOWN)
ENTITY_CHECK = _rule(Kind.caution, R_ENTITY_NEEDED)       # the group is not sure it has one
ENTITY_NEEDED = _rule(Kind.deal_breaker, R_ENTITY_NEEDED)  # the group has none
AMOUNT_UNKNOWN = _rule(Kind.caution, R_AMOUNT_UNKNOWN)
AMOUNT_LESS = _rule(Kind.caution, R_AMOUNT_LESS, lambda p, q: {"max": p.high, "asked": q.asked})
AMOUNT_MORE = _rule(Kind.caution, R_AMOUNT_MORE, _fund_min)
AMOUNT_FAR_MORE = _rule(Kind.deal_breaker, R_AMOUNT_MORE, _fund_min)
AMOUNT_FITS = _rule(Kind.fit, R_AMOUNT_FITS, lambda p, q: {"range": AmountRange(p.low, p.high)})
THEMES_FIT = _rule(Kind.fit, R_THEMES_FIT, lambda p, q: {"themes": Labels(THEME_LABELS[t] for t in q.themes if t in p.themes)})
THEMES_OTHER = _rule(Kind.caution, R_THEMES_OTHER, lambda p, q: {"themes": p.theme_labels})
GROUPS_FIT = _rule(Kind.fit, R_GROUPS_FIT, lambda p, q: {"groups": Labels(TARGET_GROUP_LABELS[g] for g in q.groups if g in p.groups)})
GROUPS_ALL = _rule(Kind.fit, R_GROUPS_ALL)
GROUPS_OTHER = _rule(Kind.caution, R_GROUPS_OTHER, lambda p, q: {"groups": p.group_labels})
ANY_TIME = _rule(Kind.fit, R_ANY_TIME)
DEADLINE_AHEAD = _rule(Kind.fit, R_DEADLINE, lambda p, q: {"deadline": p.deadline})
DEADLINE_LATE = _rule(Kind.caution, R_DEADLINE_LATE, lambda p, q: {"deadline": p.deadline, "needed_by": q.needed_by})
DEADLINE_PASSED = _rule(Kind.deal_breaker, R_DEADLINE_PASSED, lambda p, q: {"deadline": p.deadline})
DEADLINE_UNKNOWN = _rule(Kind.caution, R_DEADLINE_UNKNOWN)
SPOKEN = _rule(Kind.fit, R_SPOKEN)
IN_APP = _rule(Kind.fit, R_IN_APP)

# The legal-entity check as data: for a group with one (True), without (False) or not sure (None),
# and a fund that needs none, a penvoerder, we don't know, or a legal entity: (points, rule, allowed).
_LEGAL_CODES = {LegalEntityRule.no: 0, LegalEntityRule.penvoerder: 1, LegalEntityRule.unknown: 2, LegalEntityRule.yes: 3}
_LEGAL_OUTCOMES: dict[bool | None, tuple[tuple[int, int, bool], ...]] = {
    True: ((15, 0, True), (15, 0, True), (12, 0, True), (15, ENTITY_OK, True)),
    False: ((15, NO_ENTITY, True), (8, PENVOERDER, True), (5, ENTITY_UNKNOWN, True), (0, ENTITY_NEEDED, False)),
    None: ((15, NO_ENTITY, True), (8, PENVOERDER, True), (5, ENTITY_UNKNOWN, True), (0, ENTITY_CHECK, True)),
}


def _cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * 100)


_THEME_BIT = {t: 1 << i for i, t in enumerate(THEMES)}
_GROUP_BIT = {g: 1 << i for i, g in enumerate(TARGET_GROUPS)}


def _mask(values: Iterable[str], bits: dict[str, int]) -> int:
    mask = 0
    for v in values:
        mask |= bits[v]
    return mask


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A fund with what matching compares, worked out once per catalogue."""

    fund: Fund
    themes: frozenset
    theme_mask: int
    theme_labels: Labels
    groups: frozenset           # without "everyone"
    group_mask: int
    group_labels: Labels
    open_to_all: bool
    places: frozenset           # normalized municipality names; empty: the whole country
    region: str
    low: Decimal | None
    high: Decimal | None
    low_cents: int | None       # amounts as whole cents: exact, and quicker to compare
    high_cents: int | None
    legal_code: int             # index into _LEGAL_OUTCOMES rows
    static_points: int          # spoken application, in app
    static_rules: tuple[int, ...]
    any_time: bool
    deadline: date | None


def _prepare(fund: Fund) -> _Prepared:
    places = frozenset(normalize_place(m) for m in fund.municipalities)
    if places and fund.region and fund.region != "national":
        region = fund.region
    else:
        region = ", ".join(display_place(m) for m in fund.municipalities)
    spoken = fund.spoken_application is YesNoUnknown.yes
    groups = frozenset(fund.target_groups) - {EVERYONE}
    return _Prepared(
        fund=fund,
        themes=frozenset(fund.themes),
        theme_mask=_mask(fund.themes, _THEME_BIT),
        theme_labels=Labels(THEME_LABELS[t] for t in fund.themes),
        groups=groups,
        group_mask=_mask(groups, _GROUP_BIT),
        group_labels=Labels(TARGET_GROUP_LABELS[g] for g in fund.target_groups if g != EVERYONE),
        open_to_all=not fund.target_groups or EVERYONE in fund.target_groups,
        places=places,
        region=region,
        low=fund.min_amount_eur,
        high=fund.max_amount_eur,
        low_cents=_cents(fund.min_amount_eur),
        high_cents=_cents(fund.max_amount_eur),
        legal_code=_LEGAL_CODES[fund.legal_entity],
        static_points=4 * spoken + 3 * fund.in_app,
        static_rules=((SPOKEN,) if spoken else ()) + ((IN_APP,) if fund.in_app else ()),
        any_time=fund.any_time,
        deadline=fund.next_deadline,
    )


class FundIndex:
    """A catalogue prepared for matching. Build it once (per catalogue version) and reuse it."""

    __slots__ = ("entries",)

    MAX_FUNDS = 1 << 20  # positions must fit the 20 bits match_funds gives them

    def __init__(self, funds: Iterable[Fund]) -> None:
        ordered = sorted(funds, key=lambda f: (f.name.casefold(), f.id))  # ties are broken by name
        if len(ordered) >= self.MAX_FUNDS:
            raise ValueError(f"a catalogue can hold at most {self.MAX_FUNDS - 1} funds")
        self.entries: tuple[_Prepared, ...] = tuple(_prepare(f) for f in ordered)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def funds(self) -> list[Fund]:
        return [e.fund for e in self.entries]


@dataclass(frozen=True, slots=True)
class _Query:
    themes: tuple[str, ...]          # in vocabulary order, for stable reason texts
    theme_mask: int
    groups: tuple[str, ...]          # without "everyone"
    group_mask: int
    place: str | None                # normalized
    place_name: str | None
    asked: AmountRange | None
    asked_any: bool
    ask_low: int | None              # cents
    ask_high: int | None             # cents; None: no upper end
    legal_outcomes: tuple
    today: date
    needed_by: date | None


def _query(profile: FundingProfile, today: date) -> _Query:
    themes = tuple(t for t in THEMES if t in set(profile.themes))
    groups = tuple(g for g in TARGET_GROUPS if g in set(profile.target_groups) and g != EVERYONE)
    place = (profile.municipality or "").strip() or None
    asked = profile.asked()
    return _Query(
        themes=themes,
        theme_mask=_mask(themes, _THEME_BIT),
        groups=groups,
        group_mask=_mask(groups, _GROUP_BIT),
        place=normalize_place(place) if place else None,
        place_name=display_place(place) if place else None,
        asked=asked,
        asked_any=asked is not None,
        ask_low=_cents(asked.low) if asked else None,
        ask_high=_cents(asked.high) if asked else None,
        legal_outcomes=_LEGAL_OUTCOMES[profile.legal_entity],
        today=today,
        needed_by=profile.needed_by,
    )


def _check(p: _Prepared, q: _Query) -> tuple[int, bool, int]:  # noqa: C901 - one flat list of rules reads best
    """The score, whether no deal-breaker applies, and the outcome of each check packed in one int
    (see the module doc for the rules and the points)."""
    score = p.static_points
    ok = True

    # Where: a local fund elsewhere is a deal-breaker; local beats national.
    if p.places:
        if q.place is None:
            score += 5
            where = PLACE_NOT_SAID
        elif q.place in p.places:
            score += 10
            where = PLACE_LOCAL
        else:
            ok = False
            where = PLACE_ELSEWHERE
    else:
        score += 5
        where = PLACE_NATIONAL if q.place is not None else 0

    # Legal entity: the rule that shuts out most informal groups, so it weighs heavily.
    points, legal, allowed = q.legal_outcomes[p.legal_code]
    score += points
    ok = ok and allowed

    # Amount: less than asked is a caution (the group can ask for a part); a minimum of at least
    # twice the top of the ask is a deal-breaker, a minimum a bit above it a caution.
    low, high = p.low_cents, p.high_cents
    if not q.asked_any:
        score += 10
        amount = 0
    elif low is None and high is None:
        score += 8
        amount = AMOUNT_UNKNOWN
    elif high is not None and q.ask_low and high < q.ask_low:
        score += 20 * high // q.ask_low
        amount = AMOUNT_LESS
    elif low and q.ask_high is not None and low > q.ask_high:
        if low >= 2 * q.ask_high:
            ok = False
            amount = AMOUNT_FAR_MORE
        else:
            score += 8
            amount = AMOUNT_MORE
    else:
        score += 20
        amount = AMOUNT_FITS

    # What the plan is about, and for whom.
    if q.themes:
        shared = (p.theme_mask & q.theme_mask).bit_count()
        if shared:
            score += 30 * shared // len(q.themes)
            about = THEMES_FIT
        else:
            about = THEMES_OTHER
    else:
        score += 15
        about = 0
    if q.groups:
        shared = (p.group_mask & q.group_mask).bit_count()
        if shared:
            score += 8 + 7 * shared // len(q.groups)
            whom = GROUPS_FIT
        elif p.open_to_all:
            score += 10
            whom = GROUPS_ALL
        else:
            whom = GROUPS_OTHER
    else:
        score += 8
        whom = 0

    # When.
    if p.any_time:
        score += 3
        when = ANY_TIME
    elif p.deadline is None:
        score += 1
        when = DEADLINE_UNKNOWN
    elif p.deadline < q.today:
        ok = False
        when = DEADLINE_PASSED
    elif q.needed_by is not None and p.deadline > q.needed_by:
        score += 1
        when = DEADLINE_LATE
    else:
        score += 3
        when = DEADLINE_AHEAD

    return score, ok, where | legal << 5 | amount << 10 | about << 15 | whom << 20 | when << 25


def _unpack(code: int) -> list[Rule]:
    rules = []
    for _ in range(_CHECKS):
        if code & 31:
            rules.append(_RULES[code & 31])
        code >>= _BITS
    return rules


class Match(tuple):
    """How one fund fits a profile: `fund`, `score` (0-100), `eligible` (no deal-breaker) and
    `reasons`. The reasons are filled in when first read: a page shows a few dozen funds of a big
    catalogue, so most are never needed. (A tuple, because ranking 10,000 funds creates 10,000 of
    these and a tuple is the cheapest object Python makes.)"""

    fund: Fund = property(itemgetter(0))  # type: ignore[assignment]
    score: int = property(itemgetter(1))  # type: ignore[assignment]
    eligible: bool = property(itemgetter(2))  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Match({self.fund.id!r}, score={self.score}, eligible={self.eligible})"

    @cached_property
    def reasons(self) -> tuple[Reason, ...]:
        _, _, _, code, p, q = self
        rules = _unpack(code) + [_RULES[i] for i in p.static_rules]
        return tuple(Reason(r.kind, r.msgid, r.params(p, q)) for r in rules)

    def of_kind(self, kind: Kind) -> list[Reason]:
        return [r for r in self.reasons if r.kind is kind]

    @property
    def fits(self) -> list[Reason]:
        return self.of_kind(Kind.fit)

    @property
    def cautions(self) -> list[Reason]:
        return self.of_kind(Kind.caution)

    @property
    def deal_breakers(self) -> list[Reason]:
        return self.of_kind(Kind.deal_breaker)

    def as_json(self, gettext: Gettext, locale: str) -> dict:
        """{"fund_id", "name", "score", "eligible", "reasons": [{"kind", "text"}]} (✓, then ⚠, then ✗)."""
        ordered = [*self.fits, *self.cautions, *self.deal_breakers]
        return {"fund_id": self.fund.id, "name": self.fund.name, "score": self.score, "eligible": self.eligible,
                "reasons": [{"kind": r.kind.value, "text": reason_text(r, gettext, locale)} for r in ordered]}


def match_funds(profile: FundingProfile, funds: Sequence[Fund] | FundIndex, *, today: date | None = None,
                limit: int | None = None) -> list[Match]:
    """Every fund (or the best `limit`) with its score and reasons, best first.

    `funds` may be a plain list or a FundIndex (faster when the same catalogue is matched often).
    `today` decides which deadlines have passed (default: today's date)."""
    index = funds if isinstance(funds, FundIndex) else FundIndex(funds)
    q = _query(profile, today or date.today())
    # One int per fund orders everything: eligible first, then the score (high first), then the
    # name (entries are in name order, so the position is the tie-breaker), and it carries the
    # outcomes. Sorting plain ints is quick and creates no objects for the garbage collector.
    # Bits, high to low: 1 not eligible | 12 (1000 - score) | 20 position | 30 outcomes.
    keys = []
    append = keys.append
    for position, p in enumerate(index.entries):
        score, ok, code = _check(p, q)
        append((not ok) << 62 | (1000 - score) << 50 | position << 30 | code)
    if limit is not None and limit < len(keys):
        keys = heapq.nsmallest(max(limit, 0), keys)
    else:
        keys.sort()
    entries, new = index.entries, tuple.__new__
    matches = []
    for key in keys:
        p = entries[key >> 30 & 0xFFFFF]
        score, eligible, code = min(1000 - (key >> 50 & 0xFFF), 100), not key >> 62, key & 0x3FFFFFFF
        matches.append(new(Match, (p.fund, score, eligible, code, p, q)))
    return matches


# ---- filters on the matched list ---------------------------------------------------------------

class FinderFilters(BaseModel):
    """Narrow a matched list down. The defaults keep everything."""

    model_config = ConfigDict(extra="forbid")

    themes: list[Theme] = Field(default_factory=list, description="Keep funds that support any of these themes.")
    region: Literal["all", "local", "national"] = "all"
    min_amount_eur: Money | None = Field(None, description="Keep funds that can give at least this much (or do not say).")
    no_legal_entity: bool = Field(False, description="Keep funds a group without a foundation can ask itself.")
    spoken: bool = Field(False, description="Keep funds that take spoken applications.")
    deadline: Literal["all", "open", "any_time"] = Field("all", description="open: any time or a deadline still to come.")


def fund_passes(fund: Fund, filters: FinderFilters, today: date) -> bool:
    if filters.themes and not set(filters.themes) & set(fund.themes):
        return False
    if filters.region == "local" and not fund.municipalities:
        return False
    if filters.region == "national" and fund.municipalities:
        return False
    if filters.min_amount_eur is not None and fund.max_amount_eur is not None and fund.max_amount_eur < filters.min_amount_eur:
        return False
    if filters.no_legal_entity and fund.legal_entity is not LegalEntityRule.no:
        return False
    if filters.spoken and fund.spoken_application is not YesNoUnknown.yes:
        return False
    if filters.deadline == "any_time" and not fund.any_time:
        return False
    if filters.deadline == "open" and not (fund.any_time or (fund.next_deadline is not None and fund.next_deadline >= today)):
        return False
    return True


def filter_matches(matches: Iterable[Match], filters: FinderFilters, today: date | None = None) -> list[Match]:
    day = today or date.today()
    return [m for m in matches if fund_passes(m.fund, filters, day)]


# ---- texts about a fund, shared by the page and the CLI -----------------------------------------

def fund_amount_text(fund: Fund, gettext: Gettext, locale: str) -> str:
    return format_range(AmountRange(fund.min_amount_eur, fund.max_amount_eur), gettext, locale)

