"""Which report a grant needs: no bigger than the amount requires (KIS guidance, point 5).

Default tiers follow Dutch practice (see ../shared/reference/domain-nl.md §2):
- up to € 5,000: a short story of what happened (VNG model ASV art. 15: below € 5,000 the
  subsidy can be fixed without a financial account; Leiden, Uithoorn, Baarn, Veenendaal);
- up to € 125,000: also what was really spent against the budget (municipal practice: a report
  with an income/expense overview, e.g. Alkmaar € 5k–50k, Leiden above € 5,000);
- above € 125,000: also receipts or a financial statement (Uniform subsidiekader: costs and a
  financial statement from € 125,000).
A fund can set its own tiers in the catalogue (`report_tiers`). An officer may make the report
lighter for a group, never heavier than the rule."""

from __future__ import annotations

from decimal import Decimal
from typing import get_args

from steunwijzer.errors import InvalidInput, NotAllowed
from steunwijzer.models import Fund, ReportTier, ReportTierRule

TIERS: tuple[str, ...] = get_args(ReportTier)  # lightest first
DEFAULT_RULES = (
    ReportTierRule(up_to_eur=Decimal("5000"), tier="story"),
    ReportTierRule(up_to_eur=Decimal("125000"), tier="spending"),
    ReportTierRule(up_to_eur=None, tier="full"),
)


def required_tier(amount: Decimal, fund: Fund | None = None) -> str:
    """The heaviest report the rules allow for this amount (thresholds are inclusive)."""
    if amount is None or amount < 0:
        raise InvalidInput("The amount cannot be negative.")
    rules = sorted(fund.report_tiers if fund and fund.report_tiers else DEFAULT_RULES,
                   key=lambda r: (r.up_to_eur is None, r.up_to_eur or 0))
    for rule in rules:
        if rule.up_to_eur is None or amount <= rule.up_to_eur:
            return rule.tier
    return "full"  # above every bounded rule: the heaviest report


def choose_tier(amount: Decimal, fund: Fund | None, requested: str | None) -> str:
    """The tier for a grant: the rule's, or a lighter one the officer chose. Never heavier."""
    rule = required_tier(amount, fund)
    if requested is None:
        return rule
    if requested not in TIERS:
        raise InvalidInput("Please choose one of the answers shown.")
    if TIERS.index(requested) > TIERS.index(rule):
        raise NotAllowed("The report can only be made lighter than the rule for this amount, not heavier.")
    return requested


def tier_includes(tier: str, needed: str) -> bool:
    """Does a report of `tier` ask the questions meant for `needed`?"""
    return TIERS.index(tier) >= TIERS.index(needed)
