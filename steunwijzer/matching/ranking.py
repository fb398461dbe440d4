"""Ranking a catalogue for a profile: a prepared index, the matches best first, and filters."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cached_property
from operator import itemgetter
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from steunwijzer.matching import rules
from steunwijzer.matching.profile import FundingProfile
from steunwijzer.matching.texts import Gettext, Kind, Reason, reason_text
from steunwijzer.models import Fund, LegalEntityRule, Money, Theme, YesNoUnknown


class FundIndex:
    """A catalogue prepared for matching. Build it once (per catalogue version) and reuse it.
    Closed and replaced funds are left out: they take no applications."""

    __slots__ = ("entries", "replaced")

    POSITION_BITS = 20
    MAX_FUNDS = 1 << POSITION_BITS  # positions must fit the bits match_funds gives them

    def __init__(self, funds: Iterable[Fund]) -> None:
        funds = list(funds)
        ordered = sorted((f for f in funds if f.is_open), key=lambda f: (f.name.casefold(), f.id))  # ties are broken by name
        if len(ordered) >= self.MAX_FUNDS:
            raise ValueError(f"a catalogue can hold at most {self.MAX_FUNDS - 1} funds")
        self.entries: tuple[rules.Prepared, ...] = tuple(rules.prepare(f) for f in ordered)
        # successor id -> the funds it replaced, so a successor's card can name them
        self.replaced: dict[str, list[Fund]] = {}
        for fund in funds:
            if fund.replaced_by is not None:
                self.replaced.setdefault(fund.replaced_by, []).append(fund)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def funds(self) -> list[Fund]:
        return [e.fund for e in self.entries]


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
        found = rules.unpack(code) + list(p.static_rules)
        return tuple(Reason(r.kind, r.msgid, r.params(p, q)) for r in found)

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


# One int per fund orders everything: eligible first, then the score (high first), then the name
# (entries are in name order, so the position is the tie-breaker), and it carries the outcomes.
# Sorting plain ints is quick and creates no objects for the garbage collector.
# Bits, high to low: 1 not eligible | 12 (1000 - score) | 20 position | CODE_BITS outcomes.
_POS_SHIFT = rules.CODE_BITS
_SCORE_SHIFT = _POS_SHIFT + FundIndex.POSITION_BITS
_NOT_OK_SHIFT = _SCORE_SHIFT + 12
_CODE_MASK = (1 << rules.CODE_BITS) - 1
_POS_MASK = (1 << FundIndex.POSITION_BITS) - 1


def match_funds(profile: FundingProfile, funds: Sequence[Fund] | FundIndex, *, today: date | None = None,
                limit: int | None = None) -> list[Match]:
    """Every open fund (or the best `limit`) with its score and reasons, best first.

    `funds` may be a plain list or a FundIndex (faster when the same catalogue is matched often).
    `today` decides which deadlines have passed (default: today's date)."""
    index = funds if isinstance(funds, FundIndex) else FundIndex(funds)
    q = rules.query(profile, today or date.today())
    check = rules.check
    keys = []
    append = keys.append
    for position, p in enumerate(index.entries):
        score, ok, code = check(p, q)
        append((not ok) << _NOT_OK_SHIFT | (1000 - score) << _SCORE_SHIFT | position << _POS_SHIFT | code)
    if limit is not None and limit < len(keys):
        keys = heapq.nsmallest(max(limit, 0), keys)
    else:
        keys.sort()
    entries, new = index.entries, tuple.__new__
    matches = []
    for key in keys:
        p = entries[key >> _POS_SHIFT & _POS_MASK]
        score, eligible = min(1000 - (key >> _SCORE_SHIFT & 0xFFF), 100), not key >> _NOT_OK_SHIFT
        matches.append(new(Match, (p.fund, score, eligible, key & _CODE_MASK, p, q)))
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
