"""Matching a funding profile against a catalogue: order, eligibility and the reasons given.

The catalogue is stated inline, so each expectation can be checked by hand against the scoring
table in steunwijzer/matching.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steunwijzer import matching as m
from steunwijzer.matching import texts as reasons
from steunwijzer.errors import InvalidInput
from steunwijzer.funds import parse_catalogue
from steunwijzer.i18n import gettext_for, source_texts
from steunwijzer.models import TARGET_GROUPS, THEMES, Fund

TODAY = date(2026, 11, 29)
EN = source_texts()  # the msgids: these tests are about the rules, the English wording is in en.po

CATALOGUE = parse_catalogue("""
base: &base
  provider: Test
  kind: private_fund
  summary: {nl: "Een fonds.", en: "A fund."}
  how_to_apply: {nl: ["Vul het formulier in."]}
  url: https://example.org/
  sources: [https://example.org/]
  last_checked: 2026-11-01
funds:
  - <<: *base
    id: a-local
    name: Buurtfonds Voorbeeld
    region: Gemeente Voorbeeld
    municipalities: [Voorbeeld]
    themes: [meeting, neighbourhood]
    target_groups: [everyone]
    min_amount_eur: 100
    max_amount_eur: 5000
    legal_entity: "no"
    spoken_application: "yes"
    any_time: true
    in_app: true
  - <<: *base
    id: b-small
    name: Klein Landelijk Fonds
    themes: [meeting]
    target_groups: [newcomers]
    max_amount_eur: 1500
    legal_entity: "no"
    next_deadline: 2027-03-01
  - <<: *base
    id: c-entity
    name: Landelijk Stichtingenfonds
    themes: [meeting, culture]
    target_groups: [everyone]
    min_amount_eur: 500
    max_amount_eur: 25000
    legal_entity: "yes"
    any_time: true
  - <<: *base
    id: d-penvoerder
    name: Landelijk Penvoerdersfonds
    themes: [poverty]
    target_groups: [low_income]
    legal_entity: penvoerder
  - <<: *base
    id: e-elsewhere
    name: Stadsfonds Utrecht
    region: Gemeente Utrecht
    municipalities: [Utrecht]
    themes: [meeting]
    target_groups: [residents]
    max_amount_eur: 5000
    legal_entity: "no"
    any_time: true
  - <<: *base
    id: f-big
    name: Groot Fonds
    themes: [meeting, poverty]
    min_amount_eur: 10000
    max_amount_eur: 100000
    legal_entity: unknown
    next_deadline: 2026-01-01
""", source="test catalogue")


def texts(match: m.Match, kind: m.Kind) -> list[str]:
    return [m.reason_text(r, EN, "en") for r in match.reasons if r.kind is kind]


# profile -> expected order as (fund id, score, eligible); and reasons that must be among them.
CASES = {
    "nothing told": (
        {},
        [("a-local", 63, True), ("b-small", 56, True), ("e-elsewhere", 56, True), ("d-penvoerder", 47, True),
         ("c-entity", 41, True), ("f-big", 43, False)],
        {"a-local": {"fit": ["You don't need a foundation for this fund.", "You can apply at any time.",
                             "You can also tell your plan out loud instead of writing it.", "You can apply right here in Steunwijzer."],
                     "caution": ["This fund is only for groups in Gemeente Voorbeeld."]},
         "c-entity": {"caution": ["This fund only gives money to a stichting or vereniging with a KvK number."]},
         "f-big": {"deal_breaker": ["The deadline (January 1, 2026) has passed."]}},
    ),
    "informal group in Voorbeeld asking 3,000": (
        {"themes": ["meeting"], "municipality": "Gemeente Voorbeeld", "amount_eur": 3000, "legal_entity": False,
         "target_groups": ["newcomers"], "needed_by": "2027-02-01"},
        [("a-local", 95, True), ("b-small", 76, True), ("d-penvoerder", 22, True),
         ("c-entity", 68, False), ("e-elsewhere", 68, False), ("f-big", 50, False)],
        {"a-local": {"fit": ["This fund is for groups in Voorbeeld.", "You don't need a foundation for this fund.",
                             "This fund gives €100 to €5,000. That fits your amount.",
                             "This fund gives money for: Meeting each other.", "This fund is for everyone."]},
         "b-small": {"fit": ["This fund is for groups all over the Netherlands.",
                             "This fund wants to help: Newcomers (refugees and migrants)."],
                     "caution": ["This fund gives up to €1,500. You ask for €3,000.",
                                 "The deadline is March 1, 2027. The answer may come after the date you need the money (February 1, 2027)."]},
         "c-entity": {"deal_breaker": ["This fund only gives money to a stichting or vereniging with a KvK number."]},
         "d-penvoerder": {"caution": ["You need an organisation that receives the money for you (a penvoerder).",
                                      "We don't know how much money this fund gives.",
                                      "This fund gives money for other plans: Less poverty and money worries.",
                                      "This fund is mostly for: People with little money.",
                                      "We don't know the next deadline. Check the fund's website."]},
         "e-elsewhere": {"deal_breaker": ["This fund is only for groups in Gemeente Utrecht."]},
         "f-big": {"deal_breaker": ["This fund gives at least €10,000. You ask for €3,000.",
                                    "The deadline (January 1, 2026) has passed."],
                   "caution": ["We don't know if you need a foundation for this fund. Ask the fund."]}},
    ),
    "stichting elsewhere, 5,000 to 25,000 for culture": (
        {"themes": ["culture"], "municipality": m.OTHER_MUNICIPALITY, "amount_band": "5000-25000", "legal_entity": True},
        [("c-entity", 81, True), ("b-small", 37, True), ("d-penvoerder", 37, True),
         ("a-local", 53, False), ("e-elsewhere", 46, False), ("f-big", 45, False)],
        {"c-entity": {"fit": ["This fund gives money to a stichting or vereniging. Your group is one.",
                              "This fund gives €500 to €25,000. That fits your amount."]},
         "b-small": {"caution": ["This fund gives up to €1,500. You chose an amount between €5,000 and €25,000."]},
         "a-local": {"deal_breaker": ["This fund is only for groups in Gemeente Voorbeeld."]}},
    ),
    "a small ask below a fund's minimum": (
        {"amount_eur": "400", "legal_entity": None, "municipality": "voorbeeld"},
        [("a-local", 78, True), ("b-small", 66, True), ("d-penvoerder", 45, True), ("c-entity", 39, True),
         ("e-elsewhere", 61, False), ("f-big", 33, False)],
        {"c-entity": {"caution": ["This fund gives at least €500. You ask for €400.",
                                  "This fund only gives money to a stichting or vereniging with a KvK number."]},
         "f-big": {"deal_breaker": ["This fund gives at least €10,000. You ask for €400."]}},
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_order_scores_and_reasons(name):
    profile_data, expected, reasons = CASES[name]
    matches = m.match_funds(m.FundingProfile.model_validate(profile_data), CATALOGUE, today=TODAY)
    assert [(x.fund.id, x.score, x.eligible) for x in matches] == expected
    by_id = {x.fund.id: x for x in matches}
    for fund_id, kinds in reasons.items():
        for kind, wanted in kinds.items():
            got = texts(by_id[fund_id], m.Kind(kind))
            for text in wanted:
                assert text in got, f"{fund_id}: {text!r} not in {got}"


@pytest.mark.parametrize("name", CASES)
def test_eligible_means_no_deal_breaker_and_eligible_come_first(name):
    matches = m.match_funds(m.FundingProfile.model_validate(CASES[name][0]), CATALOGUE, today=TODAY)
    for x in matches:
        assert x.eligible == (not x.deal_breakers)
        assert 0 <= x.score <= 100
    flags = [x.eligible for x in matches]
    assert flags == sorted(flags, reverse=True)


def test_limit_gives_the_top_of_the_full_ranking():
    profile = m.FundingProfile(themes=["meeting"], legal_entity=False)
    full = m.match_funds(profile, CATALOGUE, today=TODAY)
    index = m.FundIndex(CATALOGUE)
    for n in (0, 1, 3, 6, 10):
        assert [x.fund.id for x in m.match_funds(profile, index, today=TODAY, limit=n)] == [x.fund.id for x in full[:n]]


def test_ties_are_broken_by_name_then_id():
    twin = CATALOGUE[1].model_copy(update={"id": "a-twin"})
    other_name = CATALOGUE[1].model_copy(update={"id": "z-twin", "name": "Aardig Fonds"})
    ids = [x.fund.id for x in m.match_funds(m.FundingProfile(), [CATALOGUE[1], twin, other_name], today=TODAY)]
    assert ids == ["z-twin", "a-twin", "b-small"]


# ---- the legal-entity rule, for any fund -----------------------------------------------------

fund_facts = st.fixed_dictionaries({
    "municipalities": st.sampled_from([[], ["Voorbeeld"], ["Utrecht"]]),
    "themes": st.lists(st.sampled_from(THEMES), min_size=1, max_size=4, unique=True),
    "target_groups": st.lists(st.sampled_from(TARGET_GROUPS), max_size=3, unique=True),
    "min_amount_eur": st.sampled_from([None, 0, 500, 5000]),
    "max_amount_eur": st.sampled_from([None, 5000, 50000]),
    "spoken_application": st.sampled_from(["yes", "no", "unknown"]),
    "any_time": st.booleans(),
    "next_deadline": st.sampled_from([None, date(2026, 1, 1), date(2027, 6, 1)]),
    "in_app": st.booleans(),
})
profiles = st.builds(
    m.FundingProfile,
    themes=st.lists(st.sampled_from(THEMES), max_size=3, unique=True),
    municipality=st.sampled_from([None, "Voorbeeld", m.OTHER_MUNICIPALITY]),
    amount_eur=st.sampled_from([None, Decimal(300), Decimal(3000), Decimal(30000)]),
    legal_entity=st.sampled_from([False, None]),
    target_groups=st.lists(st.sampled_from(TARGET_GROUPS), max_size=2, unique=True),
    needed_by=st.sampled_from([None, date(2027, 1, 1)]),
)


def _fund(fund_id: str, legal: str, facts: dict) -> Fund:
    return CATALOGUE[0].model_copy(update={"id": fund_id, "name": "Same name", "legal_entity": legal, **facts})


@settings(max_examples=300, deadline=None)
@given(facts=fund_facts, profile=profiles, other=st.sampled_from(["penvoerder", "unknown", "yes"]))
def test_no_legal_entity_needed_never_ranks_below_an_equal_fund_that_needs_more(facts, profile, other):
    facts = dict(facts)
    if facts["min_amount_eur"] is not None and facts["max_amount_eur"] is not None and facts["min_amount_eur"] > facts["max_amount_eur"]:
        facts["min_amount_eur"] = None
    facts = {k: (Decimal(v) if k.endswith("_eur") and v is not None else v) for k, v in facts.items()}
    # The fund that asks more wins any tie on name and id, so only the score can put it below.
    stricter, free = _fund("a-stricter", other, facts), _fund("b-no-entity-needed", "no", facts)
    ids = [x.fund.id for x in m.match_funds(profile, [stricter, free], today=TODAY)]
    assert ids == ["b-no-entity-needed", "a-stricter"]


# ---- reasons in other languages ----------------------------------------------------------------

def test_reasons_format_money_dates_and_labels_for_the_locale():
    profile = m.FundingProfile(themes=["meeting"], amount_eur=Decimal(3000), needed_by=date(2027, 2, 1))
    small = next(x for x in m.match_funds(profile, CATALOGUE, today=TODAY) if x.fund.id == "b-small")
    for locale, amount, ask in (("nl", "€\xa01.500", "€\xa03.000"), ("ar", "1,500\xa0€", "3,000\xa0€")):
        _ = gettext_for(locale)
        rendered = [m.reason_text(r, _, locale) for r in small.reasons]
        assert _(reasons.R_AMOUNT_LESS).format(max=amount.replace("\u200f", ""), asked=ask) in [t.replace("\u200f", "") for t in rendered]
        assert _(reasons.R_THEMES_FIT).format(themes=_("Meeting each other")) in rendered


def test_json_shape():
    match = m.match_funds(m.FundingProfile(legal_entity=False), CATALOGUE, today=TODAY)[-1]
    data = match.as_json(EN, "en")
    assert set(data) == {"fund_id", "name", "score", "eligible", "reasons"}
    assert data["eligible"] is False and data["reasons"][-1]["kind"] == "deal_breaker"
    assert all(set(r) == {"kind", "text"} and r["text"] for r in data["reasons"])


# ---- the profile and the tapped answers ---------------------------------------------------------

@pytest.mark.parametrize("data, problem", [
    ({"themes": ["football"]}, "themes.0"),
    ({"amount_eur": -5}, "amount_eur"),
    ({"amount_band": "5000-500"}, "ends below its start"),
    ({"amount_band": "lots"}, "amount_band"),
    ({"legal_entity": "maybe"}, "legal_entity"),
    ({"needed_by": "next week"}, "needed_by"),
    ({"budget": 5}, "budget"),
])
def test_bad_profiles_are_refused_naming_the_field(data, problem):
    import json

    with pytest.raises(InvalidInput) as exc:
        m.parse_profile(json.dumps(data), source="profile.json")
    assert "profile.json" in str(exc.value) and problem in str(exc.value)


def test_profile_json_errors():
    with pytest.raises(InvalidInput, match="line 1"):
        m.parse_profile("{themes: 1}", source="p.json")
    with pytest.raises(InvalidInput, match="JSON object"):
        m.parse_profile("[1, 2]", source="p.json")
    assert m.parse_profile("{}") == m.FundingProfile()


def test_exact_amount_wins_over_the_tapped_range():
    assert m.FundingProfile(amount_band="500-1500").asked() == (Decimal(500), Decimal(1500))
    assert m.FundingProfile(amount_band="25000-").asked() == (Decimal(25000), None)
    assert m.FundingProfile(amount_band="500-1500", amount_eur=Decimal("650.50")).asked() == (Decimal("650.50"), Decimal("650.50"))
    assert m.FundingProfile().asked() is None


def test_needed_by_from_choice():
    assert m.needed_by_from_choice("30", TODAY) == date(2026, 12, 29)
    assert m.needed_by_from_choice("later", TODAY) is None
    assert m.needed_by_from_choice(None, TODAY) is None


def test_municipality_choices_put_the_configured_one_first_and_offer_another():
    choices = m.municipality_choices(CATALOGUE + [CATALOGUE[4].model_copy(update={"id": "x", "municipalities": ["Gemeente Amsterdam", "utrecht"]})],
                                     "Gemeente Voorbeeld")
    assert choices == ["Voorbeeld", "Amsterdam", "Utrecht", m.OTHER_MUNICIPALITY]
    assert m.municipality_choices([], None) == [m.OTHER_MUNICIPALITY]


# ---- filters ------------------------------------------------------------------------------------

FILTER_CASES = [
    ({}, ["a-local", "b-small", "c-entity", "d-penvoerder", "e-elsewhere", "f-big"]),
    ({"themes": ["poverty", "culture"]}, ["c-entity", "d-penvoerder", "f-big"]),
    ({"region": "local"}, ["a-local", "e-elsewhere"]),
    ({"region": "national"}, ["b-small", "c-entity", "d-penvoerder", "f-big"]),
    ({"min_amount_eur": 5000}, ["a-local", "c-entity", "d-penvoerder", "e-elsewhere", "f-big"]),
    ({"no_legal_entity": True}, ["a-local", "b-small", "e-elsewhere"]),
    ({"spoken": True}, ["a-local"]),
    ({"deadline": "open"}, ["a-local", "b-small", "c-entity", "e-elsewhere"]),
    ({"deadline": "any_time"}, ["a-local", "c-entity", "e-elsewhere"]),
    ({"deadline": "open", "no_legal_entity": True, "region": "national"}, ["b-small"]),
]


@pytest.mark.parametrize("chosen, expected", FILTER_CASES, ids=[str(c) for c, _ in FILTER_CASES])
def test_filters(chosen, expected):
    matches = m.match_funds(m.FundingProfile(), CATALOGUE, today=TODAY)
    kept = m.filter_matches(matches, m.FinderFilters.model_validate(chosen), today=TODAY)
    assert sorted(x.fund.id for x in kept) == expected


# ---- vocabularies and the questionnaire -----------------------------------------------------------

def test_every_theme_and_target_group_has_a_label():
    assert tuple(m.THEME_LABELS) == THEMES and all(m.THEME_LABELS.values())
    assert tuple(m.TARGET_GROUP_LABELS) == TARGET_GROUPS and all(m.TARGET_GROUP_LABELS.values())


def test_profile_form_is_six_tappable_questions_that_fit_the_profile():
    from steunwijzer.forms import load_form

    form = load_form("funding_profile")
    assert len(form.questions) <= 6
    assert {q.type.value for q in form.questions} <= {"choice", "multi_choice"}
    assert [q.id for q in form.questions] == ["themes", "municipality", "amount", "legal_entity", "target_groups", "needed_by"]
    bands = [m.parse_band(c.value) for c in form.question("amount").choices]
    assert bands == sorted(bands, key=lambda b: b.low)
    assert {c.value for c in form.question("legal_entity").choices} == set(m.LEGAL_ENTITY_CHOICES)
    assert all(c.value.isdigit() or c.value == "later" for c in form.question("needed_by").choices)


def test_amounts_show_without_cents_when_whole():
    assert m.format_euros(Decimal(5000), "nl") == "€\xa05.000"
    assert m.format_euros(Decimal("12.50"), "nl") == "€\xa012,50"
    assert m.format_range(m.AmountRange(Decimal(0), Decimal(500)), EN, "en") == "up to €500"
    assert m.format_range(m.AmountRange(None, None), EN, "en") == "an amount we don't know"


# ---- who may apply, with amount limits; closed funds; the layout of the outcome codes -------------

ROUTES = parse_catalogue("""
base: &base
  provider: Test
  kind: municipality
  themes: [meeting]
  summary: {nl: "Een fonds."}
  how_to_apply: {nl: ["Vul het formulier in."]}
  url: https://example.org/
  sources: [https://example.org/]
  last_checked: 2026-11-01
  any_time: true
funds:
  - <<: *base
    id: den-haag-like
    name: Stadsdeelgeld
    max_amount_eur: 5000
    who_may_apply:
      - {kind: natural_person, up_to_eur: 750}
      - {kind: penvoerder}
      - {kind: legal_entity}
  - <<: *base
    id: three-neighbours
    name: Drie Buren Fonds
    max_amount_eur: 5000
    who_may_apply: [{kind: residents, min_people: 3, min_age: 16}]
  - <<: *base
    id: entity-above
    name: Klein Zelf Groot Stichting
    who_may_apply:
      - {kind: natural_person, up_to_eur: 1500}
      - {kind: legal_entity, up_to_eur: 3000}
  - <<: *base
    id: closed-one
    name: Gesloten Fonds
    status: replaced
    status_since: 2021-01-01
    replaced_by: three-neighbours
    legal_entity: "no"
""", source="routes")


def _one(fund_id: str, **profile) -> m.Match:
    (match,) = [x for x in m.match_funds(m.FundingProfile(**profile), ROUTES, today=TODAY) if x.fund.id == fund_id]
    return match


ABOVE_750 = ("Without a foundation you can ask up to €750. For more, you need an organisation that receives the money for "
             "you (a penvoerder).")


@pytest.mark.parametrize("profile, kind, text, points", [
    ({"amount_eur": 500, "legal_entity": False}, "fit", "Without a foundation you can ask up to €750. That fits your amount.", 15),
    ({"amount_eur": 1000, "legal_entity": False}, "caution", ABOVE_750, 8),
    ({"amount_band": "500-1500", "legal_entity": None}, "caution", ABOVE_750, 8),
    ({"legal_entity": False}, "caution", ABOVE_750, 12),
    ({"amount_eur": 1000, "legal_entity": True}, None, None, 15),
])
def test_den_haag_residents_ask_up_to_750_themselves_above_it_through_a_penvoerder(profile, kind, text, points):
    match = _one("den-haag-like", **profile)
    legal = [r for r in match.reasons if "foundation" in r.msgid or "penvoerder" in r.msgid]
    if kind is None:
        assert legal == []
    else:
        assert [m.reason_text(r, EN, "en") for r in legal] == [text] and legal[0].kind == kind
    assert match.eligible
    # Only the legal-entity part differs from an otherwise equal fund open to residents for any amount.
    assert match.score - _one("three-neighbours", **profile).score == points - 15


def test_above_the_limit_only_a_legal_entity_is_a_caution_not_a_deal_breaker():
    match = _one("entity-above", amount_eur=2500, legal_entity=False)
    assert match.eligible
    assert texts(match, m.Kind.caution)[0] == ("Without a foundation you can ask up to €1,500. For more, the fund only gives "
                                              "money to a stichting or vereniging.")


def test_a_group_of_residents_is_told_how_many_people_it_needs():
    match = _one("three-neighbours", legal_entity=False)
    assert "A group of at least 3 residents can apply. You don't need a foundation." in texts(match, m.Kind.fit)
    assert ROUTES[1].legal_entity == "no"  # worked out from who_may_apply


def test_closed_and_replaced_funds_are_never_matched():
    ids = {x.fund.id for x in m.match_funds(m.FundingProfile(), ROUTES, today=TODAY)}
    assert "closed-one" not in ids and "three-neighbours" in ids
    assert "Voorbeeld" not in m.municipality_choices(ROUTES, None)


def test_the_outcome_layout_follows_the_table_of_checks():
    from steunwijzer.matching import rules

    names = [name for name, _, _, _ in rules.LAYOUT.checks]
    assert names == ["where", "legal", "amount", "about", "whom", "when"]
    assert rules.CODE_BITS <= 30  # one digit of a Python int: the fast path
    seen = 0
    for _, shift, mask, outcomes in rules.LAYOUT.checks:
        assert shift == seen.bit_length() and mask >= len(outcomes) - 1
        seen |= mask << shift
        # Every outcome survives packing and unpacking.
        for index in range(1, len(outcomes)):
            assert rules.unpack(index << shift) == [outcomes[index]]


# ---- the three profiles of the fact check (issue 19) ---------------------------------------------
# A residents' group without a stichting asking € 1,000 for a neighbourhood plan. The fact check
# found that the old catalogue gave Leiden a deal-breaker for Fonds 1818, sent Emmen to a closed
# Drenthe scheme, and promised Rotterdam voting rounds and € 20,000.

THREE_PROFILES = {
    "Leiden": (
        {"fonds-1818-bewonersinitiatief", "oranje-fonds-burendag", "katalys-kern-met-pit", "oranje-fonds-algemeen",
         "postcode-loterij-buurtfonds", "maex-impuls"},
        {"oranje-fonds-nldoet": reasons.R_ENTITY_NEEDED, "vsbfonds": reasons.R_ENTITY_NEEDED, "stichting-doen": reasons.R_ENTITY_NEEDED,
         "kinderpostzegels": reasons.R_AMOUNT_MORE, "rotterdam-bewonersinitiatieven": reasons.R_PLACE_ONLY,
         "den-haag-activiteitensubsidie": reasons.R_PLACE_ONLY,
         "drenthe-wijk-buurt-dorp-initiatieven": (reasons.R_PLACE_ONLY, reasons.R_AMOUNT_MORE)},
    ),
    "Emmen": (
        {"oranje-fonds-burendag", "katalys-kern-met-pit", "oranje-fonds-algemeen", "postcode-loterij-buurtfonds", "maex-impuls"},
        {"fonds-1818-bewonersinitiatief": reasons.R_PLACE_ONLY, "oranje-fonds-nldoet": reasons.R_ENTITY_NEEDED,
         "kinderpostzegels": reasons.R_AMOUNT_MORE,
         # Drenthe's scheme is open to groups of residents in Emmen, but starts at € 5,000.
         "drenthe-wijk-buurt-dorp-initiatieven": reasons.R_AMOUNT_MORE},
    ),
    "Rotterdam": (
        {"rotterdam-bewonersinitiatieven", "rotterdam-opzoomeren", "oranje-fonds-burendag", "katalys-kern-met-pit",
         "oranje-fonds-algemeen", "postcode-loterij-buurtfonds"},
        {"fonds-1818-bewonersinitiatief": reasons.R_PLACE_ONLY, "fonds-schiedam-vlaardingen-burgerinitiatief": reasons.R_PLACE_ONLY,
         "oranje-fonds-nldoet": reasons.R_ENTITY_NEEDED, "kinderpostzegels": reasons.R_AMOUNT_MORE},
    ),
}


@pytest.mark.parametrize("place", THREE_PROFILES)
def test_three_profiles_from_the_fact_check(place):
    from steunwijzer.funds import demo_catalogue

    must_fit, must_break = THREE_PROFILES[place]
    profile = m.FundingProfile(municipality=place, legal_entity=False, amount_eur=Decimal(1000),
                               themes=["neighbourhood", "meeting"], target_groups=["residents"])
    matches = {x.fund.id: x for x in m.match_funds(profile, demo_catalogue(), today=date(2026, 12, 7))}
    for fund_id in must_fit:
        assert matches[fund_id].eligible, (fund_id, [r.msgid for r in matches[fund_id].deal_breakers])
    for fund_id, why in must_break.items():
        expected = list(why) if isinstance(why, tuple) else [why]
        assert [r.msgid for r in matches[fund_id].deal_breakers] == expected, fund_id
    assert "drenthe-dorpsinitiatieven" not in matches  # closed, replaced by Wijk-buurt-dorp initiatieven
    if place == "Rotterdam":
        rotterdam = matches["rotterdam-bewonersinitiatieven"]
        assert rotterdam.fund.max_amount_eur == 10000 and rotterdam.fund.any_time
        assert "A group of at least 5 residents can apply. You don't need a foundation." in texts(rotterdam, m.Kind.fit)
