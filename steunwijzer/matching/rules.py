"""The checks: for one fund and one profile, the points and the outcome of each check.

Every possible outcome of a check is a Rule: its kind, its text and how to fill the text in. A
fund's outcomes are kept as one small int (a few bits per check), and the texts are only filled in
when someone reads them: ranking a big catalogue then allocates almost nothing per fund. The bit
layout follows from the table of checks (`LAYOUT`), so adding an outcome or a check needs no
hand-made shifts; all outcomes fit in 17 bits, so the code stays a one-digit Python int (measured:
wider codes made check() about 40 % slower)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from steunwijzer.matching.profile import AmountRange, FundingProfile
from steunwijzer.matching.texts import (
    R_ABOVE_ENTITY,
    R_ABOVE_PENVOERDER,
    R_AMOUNT_FITS,
    R_AMOUNT_LESS,
    R_AMOUNT_MORE,
    R_AMOUNT_UNKNOWN,
    R_ANY_TIME,
    R_DEADLINE,
    R_DEADLINE_LATE,
    R_DEADLINE_PASSED,
    R_DEADLINE_UNKNOWN,
    R_ENTITY_NEEDED,
    R_ENTITY_OK,
    R_ENTITY_UNKNOWN,
    R_GROUPS_ALL,
    R_GROUPS_FIT,
    R_GROUPS_OTHER,
    R_IN_APP,
    R_NO_ENTITY,
    R_PENVOERDER,
    R_PLACE_LOCAL,
    R_PLACE_NATIONAL,
    R_PLACE_ONLY,
    R_RESIDENT_ALONE,
    R_RESIDENTS,
    R_SPOKEN,
    R_THEMES_FIT,
    R_THEMES_OTHER,
    R_WITHOUT_UP_TO,
    Kind,
    Labels,
)
from steunwijzer.matching.vocabulary import (
    EVERYONE,
    TARGET_GROUP_LABELS,
    THEME_LABELS,
    display_place,
    normalize_place,
)
from steunwijzer.models import (
    TARGET_GROUPS,
    THEMES,
    ApplicantKind,
    Fund,
    LegalEntityRule,
    YesNoUnknown,
)


def _no_params(p: Prepared, q: Query) -> dict:
    return {}


class Rule(NamedTuple):
    kind: Kind
    msgid: str
    params: Callable[[Prepared, Query], dict] = _no_params


class Layout:
    """The table of checks, and from it the layout of a fund's outcome code. Each check declares its
    possible outcomes in order; outcome i of a check is stored as i (1-based; 0: the check says
    nothing) in just enough bits, after the bits of the checks declared before it. The constants
    below are already shifted into place, so check() only ORs them together."""

    def __init__(self) -> None:
        self.checks: list[tuple[str, int, int, tuple[Rule | None, ...]]] = []  # (name, shift, mask, rules)
        self.bits = 0

    def check(self, name: str, *outcomes: Rule) -> tuple[int, ...]:
        width = len(outcomes).bit_length()
        self.checks.append((name, self.bits, (1 << width) - 1, (None, *outcomes)))
        codes = tuple(i << self.bits for i in range(1, len(outcomes) + 1))
        self.bits += width
        return codes


def _region(p: Prepared, q: Query) -> dict:
    return {"region": p.region}


def _fund_min(p: Prepared, q: Query) -> dict:
    return {"min": p.low, "asked": q.asked}


def _limit(p: Prepared, q: Query) -> dict:
    return {"max": p.open_limit}


LAYOUT = Layout()
PLACE_LOCAL, PLACE_NATIONAL, PLACE_NOT_SAID, PLACE_ELSEWHERE = LAYOUT.check(
    "where",
    Rule(Kind.fit, R_PLACE_LOCAL, lambda p, q: {"place": q.place_name}),
    Rule(Kind.fit, R_PLACE_NATIONAL),
    Rule(Kind.caution, R_PLACE_ONLY, _region),
    Rule(Kind.deal_breaker, R_PLACE_ONLY, _region),
)
(NO_ENTITY, RESIDENTS, RESIDENT_ALONE, WITHOUT_UP_TO, ABOVE_PENVOERDER, ABOVE_ENTITY, ENTITY_OK, PENVOERDER,
 ENTITY_UNKNOWN, ENTITY_CHECK, ENTITY_NEEDED) = LAYOUT.check(
    "legal",
    Rule(Kind.fit, R_NO_ENTITY),
    Rule(Kind.fit, R_RESIDENTS, lambda p, q: {"people": p.people}),
    Rule(Kind.fit, R_RESIDENT_ALONE),
    Rule(Kind.fit, R_WITHOUT_UP_TO, _limit),
    Rule(Kind.caution, R_ABOVE_PENVOERDER, _limit),
    Rule(Kind.caution, R_ABOVE_ENTITY, _limit),
    Rule(Kind.fit, R_ENTITY_OK),
    Rule(Kind.caution, R_PENVOERDER),
    Rule(Kind.caution, R_ENTITY_UNKNOWN),
    Rule(Kind.caution, R_ENTITY_NEEDED),        # the group is not sure it has one
    Rule(Kind.deal_breaker, R_ENTITY_NEEDED),   # the group has none
)
AMOUNT_UNKNOWN, AMOUNT_LESS, AMOUNT_MORE, AMOUNT_FAR_MORE, AMOUNT_FITS = LAYOUT.check(
    "amount",
    Rule(Kind.caution, R_AMOUNT_UNKNOWN),
    Rule(Kind.caution, R_AMOUNT_LESS, lambda p, q: {"max": p.high, "asked": q.asked}),
    Rule(Kind.caution, R_AMOUNT_MORE, _fund_min),
    Rule(Kind.deal_breaker, R_AMOUNT_MORE, _fund_min),
    Rule(Kind.fit, R_AMOUNT_FITS, lambda p, q: {"range": AmountRange(p.low, p.high)}),
)
THEMES_FIT, THEMES_OTHER = LAYOUT.check(
    "about",
    Rule(Kind.fit, R_THEMES_FIT, lambda p, q: {"themes": Labels(THEME_LABELS[t] for t in q.themes if t in p.themes)}),
    Rule(Kind.caution, R_THEMES_OTHER, lambda p, q: {"themes": p.theme_labels}),
)
GROUPS_FIT, GROUPS_ALL, GROUPS_OTHER = LAYOUT.check(
    "whom",
    Rule(Kind.fit, R_GROUPS_FIT, lambda p, q: {"groups": Labels(TARGET_GROUP_LABELS[g] for g in q.groups if g in p.groups)}),
    Rule(Kind.fit, R_GROUPS_ALL),
    Rule(Kind.caution, R_GROUPS_OTHER, lambda p, q: {"groups": p.group_labels}),
)
ANY_TIME, DEADLINE_AHEAD, DEADLINE_LATE, DEADLINE_PASSED, DEADLINE_UNKNOWN = LAYOUT.check(
    "when",
    Rule(Kind.fit, R_ANY_TIME),
    Rule(Kind.fit, R_DEADLINE, lambda p, q: {"deadline": p.deadline}),
    Rule(Kind.caution, R_DEADLINE_LATE, lambda p, q: {"deadline": p.deadline, "needed_by": q.needed_by}),
    Rule(Kind.deal_breaker, R_DEADLINE_PASSED, lambda p, q: {"deadline": p.deadline}),
    Rule(Kind.caution, R_DEADLINE_UNKNOWN),
)
CODE_BITS = LAYOUT.bits
# Facts of the fund alone, the same for every profile: kept as rules, not in the code.
SPOKEN = Rule(Kind.fit, R_SPOKEN)
IN_APP = Rule(Kind.fit, R_IN_APP)

# The legal-entity check as data: for a group with one (True), without (False) or not sure (None),
# and a fund that needs none, a penvoerder, we don't know, or a legal entity: (points, rule, allowed).
_LEGAL_CODES = {LegalEntityRule.no: 0, LegalEntityRule.penvoerder: 1, LegalEntityRule.unknown: 2, LegalEntityRule.yes: 3}
_ROUTE_CODES = {ApplicantKind.natural_person: 0, ApplicantKind.residents: 0, ApplicantKind.penvoerder: 1, ApplicantKind.legal_entity: 3}
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
class Prepared:
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
    legal_rows: tuple           # (points, rule, allowed) for a group with a legal entity, without, not sure;
                                # None where the ask decides (a limit for residents): see check()
    open_rule: int              # what a group without a legal entity is told when it can apply itself
    people: int | None          # at least this many residents
    open_limit: Decimal | None  # a group without a legal entity may ask only up to this itself
    open_limit_cents: int | None
    above_code: int | None      # the easiest route above open_limit (1 penvoerder, 3 legal entity)
    static_points: int          # spoken application, in app
    static_rules: tuple[Rule, ...]
    any_time: bool
    deadline: date | None


def _routes(fund: Fund) -> tuple[int, int | None, Decimal | None, int | None]:
    """(open_rule, people, open_limit, above_code) from the fund's who_may_apply."""
    routes = fund.who_may_apply
    if not routes:
        return NO_ENTITY, None, None, None
    best_code = min(_ROUTE_CODES[r.kind] for r in routes)
    easiest = [r for r in routes if _ROUTE_CODES[r.kind] == best_code]
    people = min((r.min_people for r in easiest if r.kind is ApplicantKind.residents and r.min_people), default=None)
    if any(r.kind is ApplicantKind.natural_person for r in easiest):
        open_rule = RESIDENT_ALONE
    elif people:
        open_rule = RESIDENTS
    else:
        open_rule = NO_ENTITY
    if best_code != 0 or any(r.up_to_eur is None for r in easiest):
        return open_rule, people, None, None
    limit = max(r.up_to_eur for r in easiest)
    above = [_ROUTE_CODES[r.kind] for r in routes if _ROUTE_CODES[r.kind] > 0 and (r.up_to_eur is None or r.up_to_eur > limit)]
    return open_rule, people, limit, min(above, default=None)


_ENTITY_STATES = (True, False, None)  # the order of Prepared.legal_rows; Query.entity_state indexes it


def _legal_rows(code: int, open_rule: int, limited: bool) -> tuple:
    rows = []
    for state in _ENTITY_STATES:
        points, rule, allowed = _LEGAL_OUTCOMES[state][code]
        rows.append(None if limited and state is not True else (points, open_rule if rule == NO_ENTITY else rule, allowed))
    return tuple(rows)


def prepare(fund: Fund) -> Prepared:
    places = frozenset(normalize_place(m) for m in fund.municipalities)
    if places and fund.region and fund.region != "national":
        region = fund.region
    else:
        region = ", ".join(display_place(m) for m in fund.municipalities)
    spoken = fund.spoken_application is YesNoUnknown.yes
    groups = frozenset(fund.target_groups) - {EVERYONE}
    open_rule, people, open_limit, above_code = _routes(fund)
    return Prepared(
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
        legal_rows=_legal_rows(_LEGAL_CODES[fund.legal_entity], open_rule, open_limit is not None),
        open_rule=open_rule,
        people=people,
        open_limit=open_limit,
        open_limit_cents=_cents(open_limit),
        above_code=above_code,
        static_points=4 * spoken + 3 * fund.in_app,
        static_rules=((SPOKEN,) if spoken else ()) + ((IN_APP,) if fund.in_app else ()),
        any_time=fund.any_time,
        deadline=fund.next_deadline,
    )


@dataclass(frozen=True, slots=True)
class Query:
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
    ask_top: int | None              # cents: the most the group may ask (the low end of an open range)
    entity_state: int                # index into Prepared.legal_rows
    today: date
    needed_by: date | None


def query(profile: FundingProfile, today: date) -> Query:
    themes = tuple(t for t in THEMES if t in set(profile.themes))
    groups = tuple(g for g in TARGET_GROUPS if g in set(profile.target_groups) and g != EVERYONE)
    place = (profile.municipality or "").strip() or None
    asked = profile.asked()
    ask_low = _cents(asked.low) if asked else None
    ask_high = _cents(asked.high) if asked else None
    return Query(
        themes=themes,
        theme_mask=_mask(themes, _THEME_BIT),
        groups=groups,
        group_mask=_mask(groups, _GROUP_BIT),
        place=normalize_place(place) if place else None,
        place_name=display_place(place) if place else None,
        asked=asked,
        asked_any=asked is not None,
        ask_low=ask_low,
        ask_high=ask_high,
        ask_top=ask_high if ask_high is not None else ask_low,
        entity_state=_ENTITY_STATES.index(profile.legal_entity),
        today=today,
        needed_by=profile.needed_by,
    )


def check(p: Prepared, q: Query) -> tuple[int, bool, int]:
    """The score, whether no deal-breaker applies, and the outcome of each check packed in one int
    (see the package doc for the rules and the points)."""
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

    # Legal entity: the rule that shuts out most informal groups, so it weighs heavily. Some funds
    # let residents ask a small amount themselves and want an organisation above it (Den Haag).
    row = p.legal_rows[q.entity_state]
    if row is not None:
        points, legal, allowed = row
    elif q.ask_top is not None and q.ask_top <= p.open_limit_cents:
        points, legal, allowed = 15, WITHOUT_UP_TO, True
    elif p.above_code is None:
        points, legal, allowed = 15, p.open_rule, True   # nothing above the limit: the amount check says it
    else:
        points = 12 if q.ask_top is None else (8 if p.above_code == 1 else 5)
        legal, allowed = (ABOVE_PENVOERDER if p.above_code == 1 else ABOVE_ENTITY), True
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

    return score, ok, where | legal | amount | about | whom | when


def unpack(code: int) -> list[Rule]:
    """The rules in a fund's code, in the order of the checks."""
    found = []
    for _, shift, mask, outcomes in LAYOUT.checks:
        index = code >> shift & mask
        if index:
            found.append(outcomes[index])
    return found
