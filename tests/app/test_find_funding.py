"""'Find money for your plan' in Dutch and Arabic: questionnaire -> results with reasons -> details."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from steunwijzer import matching
from steunwijzer.i18n import gettext_for
from steunwijzer.models import pick

PAGE = "pages/1_find_funding.py"
DEMO_FUND = "initiatievenfonds-voorbeeld"


@pytest.fixture(scope="module")
def catalogue():
    """The demo catalogue in the app's database (the temporary data folder of tests/conftest.py);
    returns every fund the page will see (other test modules may have added some)."""
    from steunwijzer import funds
    from steunwijzer.config import get_settings
    from steunwijzer.store import Database

    settings = get_settings()
    settings.ensure_data_dir()
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue(), actor="test")
    with db.session() as s:
        catalogue = funds.all_funds(s)
    db.dispose()
    return {f.id: f for f in catalogue}


def plain(markdown: str) -> str:
    """What a reader sees of text escaped by ui.text.md (a backslash before ASCII punctuation)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.subheader] + [t.value for t in at.title]
    parts += [c.value for c in at.caption] + [e.value for e in at.error] + [i.value for i in at.info]
    return plain("\n".join(parts))


def cards(at, catalogue) -> list[str]:
    """Names of the funds shown as cards, in order."""
    names = {f.name for f in catalogue.values()}
    return [plain(s.value) for s in at.subheader if plain(s.value) in names]


def open_card(at, fund_id):
    at.button(key=f"details_{fund_id}").click().run()
    assert not at.exception
    return at


def answer(at, **answers):
    for question, value in answers.items():
        widget = at.text_input(key="fp_amount_exact") if question == "amount_exact" else at.button_group(key=f"fp_{question}")
        widget.set_value(value)
    return at.button(key="fp_submit").click().run()


@pytest.mark.parametrize("locale", ["nl", "ar"])
def test_questionnaire_results_and_details(open_page, catalogue, locale):
    _ = gettext_for(locale)
    at = open_page(PAGE, locale=locale)
    assert not at.exception
    assert _("Find money for your plan") in [t.value for t in at.title]
    assert (locale == "ar") == any("direction: rtl" in h.proto.body for h in at.get("html"))

    # Six tappable questions; the app's own municipality first and chosen, "another" last.
    assert len([b for b in at.button_group if b.key.startswith("fp_")]) == 6  # plus the language buttons
    places = at.button_group(key="fp_municipality")
    assert places.options[0] == "Voorbeeld" and places.value == "Voorbeeld"
    assert places.options[-1] == _("Another municipality")
    assert _("Meeting each other") in at.button_group(key="fp_themes").options

    at = answer(at, themes=["meeting", "poverty"], amount="1500-5000", legal_entity="no",
                target_groups=["newcomers"], needed_by="91")
    assert not at.exception
    saved = matching.FundingProfile.model_validate(at.session_state["funding_profile"])
    assert saved.themes == ["meeting", "poverty"] and saved.legal_entity is False and saved.amount_band == "1500-5000"
    assert saved.municipality == "Voorbeeld" and saved.needed_by is not None

    text = page_text(at)
    expected = matching.match_funds(saved, list(catalogue.values()))
    fitting = [m for m in expected if m.eligible]
    assert fitting[0].fund.id == DEMO_FUND
    _ = gettext_for(locale)
    assert _.ngettext("{count} fund may fit your plan", "{count} funds may fit your plan", len(fitting)).format(count=len(fitting)) in text
    best = next(line for line in text.splitlines() if line.startswith(_("The best fit: **{fund}**").split("{fund}")[0]))
    assert fitting[0].fund.name in best.replace("\u2060", "")  # the summary names the best fund first
    # Reasons in plain words, deal-breakers shown too (all of them after "Show more funds").
    while any(b.key == "more_other" for b in at.button):
        at.button(key="more_other").click().run()
    text = page_text(at)
    assert _("You don't need a foundation for this fund.") in text
    assert _("This fund is for groups in {place}.").format(place="Voorbeeld") in text
    assert _("This fund only gives money to a stichting or vereniging with a KvK number.") in text
    assert cards(at, catalogue)[0] == catalogue[DEMO_FUND].name

    # Details: steps, what to have ready, what comes afterwards, the link, "Prepare my application".
    at.button(key=f"details_{DEMO_FUND}").click().run()
    assert not at.exception
    text = page_text(at)
    fund = catalogue[DEMO_FUND]
    assert _("How to apply, step by step") in text
    assert matching.catalogue_text(pick(fund.how_to_apply, locale)[0], locale) in text
    assert matching.catalogue_text(pick(fund.what_you_need, locale)[0], locale) in text
    assert matching.catalogue_text(pick(fund.accountability, locale), locale) in text
    assert any(str(fund.url) in b.proto.url for b in at.get("link_button"))
    # The headings are translated, and the card says when its facts were checked and where they come from.
    for heading in ("What you need to have ready", "What the fund asks afterwards", "Where these facts come from"):
        assert _(heading) in text and (locale == "en" or _(heading) != heading)
    assert _("Checked on {date}").format(date="") in text and _("Open for applications") in text
    assert f"]({fund.facts['amount'].url})" in text
    prepare = at.button(key=f"prepare_{DEMO_FUND}")
    assert prepare.label == _("Prepare my application") and not prepare.disabled
    prepare.click().run()
    assert not at.exception
    assert at.session_state["start_fund_id"] == DEMO_FUND


def test_another_municipality_leaves_only_national_funds(open_page, catalogue):
    at = answer(open_page(PAGE), municipality=matching.OTHER_MUNICIPALITY, legal_entity="no")
    profile = matching.FundingProfile.model_validate(at.session_state["funding_profile"])
    for match in matching.match_funds(profile, list(catalogue.values())):
        if match.fund.municipalities:
            assert not match.eligible, match.fund.id
    names = {f.name: f for f in catalogue.values()}
    fitting = cards(at, catalogue)[: sum(1 for m in matching.match_funds(profile, list(catalogue.values())) if m.eligible)]
    assert fitting and all(not names[n].municipalities for n in fitting)


def test_a_typed_amount_is_read_in_the_locale_and_a_bad_one_is_explained(open_page, catalogue):
    at = answer(open_page(PAGE, locale="nl"), amount_exact="1.250,50")
    assert matching.FundingProfile.model_validate(at.session_state["funding_profile"]).amount_eur == Decimal("1250.50")
    at = answer(open_page(PAGE, locale="nl"), amount_exact="veel geld")
    _ = gettext_for("nl")
    assert not at.exception
    assert _("We cannot read this amount. Write it like this: {example}").format(example="1.500,50") in [e.value for e in at.error]
    assert "funding_profile" not in at.session_state


def test_filters_narrow_the_list(open_page, catalogue):
    at = answer(open_page(PAGE), legal_entity="not_sure")
    before = cards(at, catalogue)
    at.toggle(key="ff_spoken").set_value(True).run()
    after = cards(at, catalogue)
    spoken = {f.name for f in catalogue.values() if f.spoken_application == "yes"}
    assert after and set(after) <= spoken and len(after) < len(before)
    hidden = sum(1 for f in catalogue.values() if f.is_open) - len(spoken)
    assert gettext_for("nl").ngettext("Your filters hide {count} fund.", "Your filters hide {count} funds.", hidden).format(count=hidden) in page_text(at)
    at.button_group(key="ff_region").set_value("national").run()
    after = cards(at, catalogue)
    assert all(not f.municipalities for f in catalogue.values() if f.name in after)


def test_answers_are_kept_after_visiting_another_page(open_page, catalogue):
    at = answer(open_page(PAGE), themes=["green"], legal_entity="yes")
    at.switch_page("app.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.button_group(key="fp_themes").value == ["green"]
    assert at.button_group(key="fp_legal_entity").value == "yes"
    assert cards(at, catalogue)  # results shown again at once


def test_an_empty_catalogue_says_so(open_page, monkeypatch):
    monkeypatch.setattr("ui.finder.fund_index", lambda ctx: matching.FundIndex([]))
    at = open_page(PAGE)
    assert not at.exception
    assert gettext_for("nl")("There are no funds yet. An officer can add them.") in [i.value for i in at.info]
    assert not [b for b in at.button_group if b.key.startswith("fp_")]


def test_a_rotterdam_group_sees_the_rules_since_2023_and_whom_to_call(open_page, catalogue):
    """Issue 19: no voting rounds, most wijken € 10,000, a group of 5 residents, and the phone numbers."""
    _ = gettext_for("nl")
    at = answer(open_page(PAGE, locale="nl"), municipality="Rotterdam", amount="500-1500", legal_entity="no")
    fund = catalogue["rotterdam-bewonersinitiatieven"]
    assert fund.name in cards(at, catalogue)
    at = open_card(at, fund.id)
    text = page_text(at)
    assert _.ngettext("A group of at least {people} resident can apply. You don't need a foundation.",
                      "A group of at least {people} residents can apply. You don't need a foundation.", 5).format(people=5) in text
    assert matching.format_euros(Decimal(10000), "nl") in text and "{eur:" not in text
    assert _("Call for help") in text and "(tel:14010)" in text and "(tel:0102131055)" in text
    assert _("the official regulation") in text


def test_den_haag_above_750_needs_a_penvoerder(open_page, catalogue):
    _ = gettext_for("nl")
    at = answer(open_page(PAGE, locale="nl"), municipality="Den Haag", amount_exact="1000", legal_entity="no")
    text = page_text(at)
    assert _("Without a foundation you can ask up to {max}. For more, you need an organisation that receives the money "
             "for you (a penvoerder).").format(max=matching.format_euros(Decimal(750), "nl")) in text


def test_closed_funds_are_not_shown_and_old_facts_are_marked(open_page, catalogue, monkeypatch):
    closed = [f for f in catalogue.values() if not f.is_open]
    assert closed
    # A year and a day after the oldest check, every card marks its facts "check this with the fund".
    oldest = min(fact.checked for f in catalogue.values() for fact in f.facts.values())

    class Later(date):
        @classmethod
        def today(cls):
            return date.fromordinal(oldest.toordinal() + 366)

    at = answer(open_page(PAGE, locale="ar"), legal_entity="not_sure")
    shown = cards(at, catalogue)
    assert shown and not {f.name for f in closed} & set(shown)
    _ = gettext_for("ar")
    before = page_text(at).count(_("Check this with the fund"))
    monkeypatch.setattr("ui.finder.date", Later)
    at.run()
    assert page_text(at).count(_("Check this with the fund")) > before


def test_a_successor_names_the_closed_fund_it_replaced(open_page, catalogue):
    _ = gettext_for("nl")
    at = answer(open_page(PAGE, locale="nl"), municipality="Emmen", legal_entity="no")
    successor = catalogue["drenthe-wijk-buurt-dorp-initiatieven"]
    assert successor.name in cards(at, catalogue)
    text = page_text(open_card(at, successor.id))
    assert _("Open for applications. It replaces: {names}.").format(names=catalogue["drenthe-dorpsinitiatieven"].name) in text
