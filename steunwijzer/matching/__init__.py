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
                     unknown 5, required 0. A group with one: 15, unknown 12. A fund where residents
                     may ask only up to a limit themselves (Den Haag: € 750): 15 when the ask is
                     within it, above it 8 with a penvoerder route, 5 when only a legal entity may
                     ask more (a caution, not a deal-breaker); 12 when no amount was given.
                     So a fund that needs a legal entity never ranks above an otherwise equal
                     fund that does not, for a group without one.
  place          10  the fund is for the group's municipality 10, for the whole country 5,
                     a local fund while the group did not say where 5
  spoken          4  the fund takes spoken applications
  in app          3  applications are made right here in Steunwijzer
  deadline        3  any time, or a known deadline before the money is needed; 1 when unknown
                     or later than needed
Closed and replaced funds are never matched (the successor of a replaced fund is).
Order: eligible funds first, then by score (high to low), then by name and id, so that ties
are always broken the same way.

Where each part lives:
  vocabulary.py  themes, target groups, places (the words people tap)
  profile.py     FundingProfile and the tapped answers it is made from
  texts.py       reason msgids, amounts and dates for the reader, catalogue texts ({eur:N})
  rules.py       the checks: points and outcomes per fund, the table of outcomes (RULES, CHECKS)
  ranking.py     FundIndex, match_funds, Match, filters
"""

from steunwijzer.matching.profile import (
    LEGAL_ENTITY_CHOICES,
    AmountRange,
    FundingProfile,
    needed_by_from_choice,
    parse_band,
    parse_profile,
)
from steunwijzer.matching.ranking import (
    FinderFilters,
    FundIndex,
    Match,
    filter_matches,
    fund_passes,
    match_funds,
)
from steunwijzer.matching.texts import (
    Gettext,
    Kind,
    Labels,
    Reason,
    catalogue_text,
    format_euros,
    format_range,
    fund_amount_text,
    reason_text,
)
from steunwijzer.matching.vocabulary import (
    EVERYONE,
    OTHER_MUNICIPALITY,
    OTHER_MUNICIPALITY_LABEL,
    TARGET_GROUP_LABELS,
    THEME_LABELS,
    display_place,
    municipality_choices,
    normalize_place,
)

__all__ = [
    "EVERYONE",
    "LEGAL_ENTITY_CHOICES",
    "OTHER_MUNICIPALITY",
    "OTHER_MUNICIPALITY_LABEL",
    "TARGET_GROUP_LABELS",
    "THEME_LABELS",
    "AmountRange",
    "FinderFilters",
    "FundIndex",
    "FundingProfile",
    "Gettext",
    "Kind",
    "Labels",
    "Match",
    "Reason",
    "catalogue_text",
    "display_place",
    "filter_matches",
    "format_euros",
    "format_range",
    "fund_amount_text",
    "fund_passes",
    "match_funds",
    "municipality_choices",
    "needed_by_from_choice",
    "normalize_place",
    "parse_band",
    "parse_profile",
    "reason_text",
]
