"""Decision letters a municipality can sign (issue 14): every element, in Dutch and in Arabic, for a
grant, a refusal and a referral, from a municipal and a private fund; made once and stored."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn

from steunwijzer import applications, documents, forms, funds, i18n, letters, review
from steunwijzer.models import BankAccount, Contact, Decision, FundKind, Officer, Outcome
from steunwijzer.store import LetterRow
from tests.factories import send

SENDER = letters.Sender(municipality="Gemeente Voorbeeld", phone="14 0123", email="subsidie@voorbeeld.nl",
                        objection_address="Postbus 1, 1234 AB Voorbeeld")


def facts(outcome: Outcome, **changes) -> letters.LetterFacts:
    base = dict(
        reference="SW-12", decided_on=date(2026, 12, 7), applied_on=date(2026, 11, 20), outcome=outcome,
        fund_name="Initiatievenfonds", provider="Gemeente Voorbeeld", public_body=True,
        regulation="Subsidieregeling bewonersinitiatieven Gemeente Voorbeeld 2026, artikel 4", complaints_contact=None,
        group_name="Buurtmoeders Oosterwijk", group_language="nl", addressee="Fatima El Amrani",
        addressee_email="fatima@example.nl", through_penvoerder=False, activity="Een huiswerkclub op woensdag.",
        activity_language="nl", when_where=None, amount=Decimal("1250.50") if outcome == Outcome.grant else None,
        fixed_at_once=True, payment="advance", pay_by=date(2026, 12, 21), iban_masked="NL91 … 4300",
        account_holder="F. El Amrani", report_tier="story", report_due=date(2027, 6, 8),
        reason_keys=("budget_spent",) if outcome == Outcome.refuse else (), reason_text=None,
        condition_keys=("mention_municipality",) if outcome == Outcome.grant else (), condition_text=None,
        referred_to="Sportfonds Voorbeeld" if outcome == Outcome.refer else None,
        suggestions=(("Oranje Fonds", "https://www.oranjefonds.nl"),) if outcome == Outcome.refuse else (),
        sender=SENDER, signer_name="Anna de Vries", signer_title="beleidsmedewerker subsidies", group_locale="ar")
    base.update(changes)
    return letters.LetterFacts(**base)


def text(data: bytes) -> str:
    return "\n".join(documents.docx_text(data))


def t(locale, msgid, **params):
    return i18n.gettext_for(locale)(msgid).format(**params) if params else i18n.gettext_for(locale)(msgid)


def bidi_paragraphs(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None]


@pytest.mark.parametrize("locale", ["nl", "ar"])
def test_grant_letter_of_a_municipality_holds_every_element(locale):
    data = documents.decision_letter_docx(facts(Outcome.grant), locale)
    body = text(data)
    money = i18n.format_money(Decimal("1250.50"), locale)
    for expected in [
        "SW-12", i18n.format_day(date(2026, 12, 7), locale),                                     # reference, date
        t(locale, "{name}, on behalf of {group}", name="Fatima El Amrani", group="Buurtmoeders Oosterwijk"),  # addressee
        "fatima@example.nl",
        t(locale, "On {date} you asked for money for this plan:", date=i18n.format_day(date(2026, 11, 20), locale)),
        "Een huiswerkclub op woensdag.",                                                          # the activity
        t(locale, "Our decision: you get {amount}.", amount=money), t(locale, "This amount is final now."),
        t(locale, "Say on your flyer or poster that the municipality helps pay for the activity."),  # standard condition, translated
        t(locale, "Send us your report before {date}.", date=i18n.format_day(date(2027, 6, 8), locale)),
        t(locale, "Does the activity not go ahead, or is money left over? Tell us. Then we may ask money back."),
        t(locale, "We pay the money before {date}.", date=i18n.format_day(date(2026, 12, 21), locale)),
        "NL91 … 4300", "F. El Amrani",                                                              # account, partly
        "Subsidieregeling bewonersinitiatieven Gemeente Voorbeeld 2026, artikel 4",                  # legal basis
        t(locale, "Then you can object. Do this within 6 weeks after the date of this letter. "
                  "Send your objection to the mayor and aldermen: {address}.", address="Postbus 1, 1234 AB Voorbeeld"),
        "14 0123", "subsidie@voorbeeld.nl",                                                         # contact
        t(locale, "The mayor and aldermen of {municipality}, on their behalf,", municipality="Gemeente Voorbeeld"),
        "Anna de Vries, beleidsmedewerker subsidies",                                               # signed by mandate
    ]:
        assert expected in body, expected
    binding = (t("nl", "This letter is also sent in {language}. Only the Dutch letter is the official decision.",
                 language=i18n.language_name("ar", "nl")) if locale == "nl" else
               t("ar", "This is a translation. Only the Dutch letter is the official decision."))
    assert binding in body
    if locale == "ar":  # the Arabic letter runs right to left; the Dutch activity stays left to right
        rtl = bidi_paragraphs(data)
        assert any(t("ar", "Decision on your application") in p for p in rtl)
        assert "Een huiswerkclub op woensdag." not in rtl


def test_a_grant_fixed_after_the_report_and_paid_through_a_penvoerder():
    body = text(documents.decision_letter_docx(facts(Outcome.grant, fixed_at_once=False, payment="after_report",
                                                     through_penvoerder=True, addressee="Stichting Buurtwerk"), "nl"))
    assert t("nl", "We set the final amount after your report.") in body
    assert t("nl", "We pay the money after we have read your report.") in body
    assert t("nl", "{organisation}, which receives the money for {group}", organisation="Stichting Buurtwerk",
             group="Buurtmoeders Oosterwijk") in body


@pytest.mark.parametrize("locale", ["nl", "ar"])
def test_refusal_names_each_reason_with_its_rule_the_officers_words_and_other_funds(locale):
    data = documents.decision_letter_docx(facts(Outcome.refuse, reason_text="Het fonds is dit jaar op."), locale)
    body = text(data)
    reason = forms.refusal_reasons()["budget_spent"]
    assert t(locale, "Our decision: you do not get money from {fund}. We are sorry.", fund="Initiatievenfonds") in body
    assert t(locale, reason.text) in body and t(locale, "This rests on: {rule}", rule=t(locale, reason.help)) in body
    assert t(locale, "Written by the officer:") in body and "Het fonds is dit jaar op." in body
    assert "Oranje Fonds — https://www.oranjefonds.nl" in body
    assert "Subsidieregeling bewonersinitiatieven" in body and "Postbus 1" in body  # basis and objection clause
    if locale == "ar":
        assert "Het fonds is dit jaar op." not in bidi_paragraphs(data)  # the officer's Dutch stays left to right


def test_referral_says_plainly_it_is_not_a_refusal_and_has_no_objection_clause():
    body = text(documents.decision_letter_docx(facts(Outcome.refer), "nl"))
    assert t("nl", "This is not a refusal. {organisation} decides about your application and will contact you.",
             organisation="Sportfonds Voorbeeld") in body
    assert "Postbus 1" not in body


def test_a_private_fund_gives_a_complaints_contact_instead_of_an_objection_clause():
    private = facts(Outcome.refuse, public_body=False, provider="Stichting Oranje Fonds", complaints_contact="klachten@oranjefonds.nl")
    body = text(documents.decision_letter_docx(private, "nl"))
    assert "klachten@oranjefonds.nl" in body and "Postbus 1" not in body
    assert t("nl", "The mayor and aldermen of {municipality}, on their behalf,", municipality="Stichting Oranje Fonds") not in body
    assert "Stichting Oranje Fonds" in body


# ---- made once, stored, downloaded as it was -------------------------------------------------

ADMIN = Officer(username="admin", is_admin=True)


@pytest.fixture
def granted(db):
    catalogue = funds.demo_catalogue()
    with db.session() as s:
        funds.save_funds(s, catalogue)
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "ar", b"k")
        applications.save_answer(s, app.id, "contact", Contact(name="Samira", email="samira@example.nl"))
        applications.save_answer(s, app.id, "bank", BankAccount(route="own_account", iban="NL86INGB0002445588", holder="S. Haddad"))
        send(s, app.id)
        review.decide(s, ADMIN, app.id, Decision(outcome="grant", amount_eur=Decimal("400"), payment="advance",
                                                 condition_keys=["keep_receipts"]), sender=SENDER)
    return app.id


def test_two_downloads_a_week_apart_with_the_catalogue_changed_are_byte_identical(db, granted):
    with db.session() as s:
        first, locale = letters.stored_letter(s, granted, "nl")
        row = s.query(LetterRow).filter_by(application_id=granted, locale="nl").one()
        assert row.official and row.sha256 == __import__("hashlib").sha256(first).hexdigest()
    fund = next(f for f in funds.demo_catalogue() if f.id == "initiatievenfonds-voorbeeld")
    with db.session() as s:
        funds.save_funds(s, [fund.model_copy(update={"name": "Een andere naam"})])
    with db.session() as s:  # a week later
        for row in s.query(LetterRow).filter_by(application_id=granted):
            row.created_at -= timedelta(days=7)
    with db.session() as s:
        again, _ = letters.stored_letter(s, granted, "nl")
        translated, translated_locale = letters.stored_letter(s, granted, "ar")
    assert again == first and locale == "nl" and "Een andere naam" not in text(again)
    assert translated_locale == "ar" and translated != first
    assert "NL86 … 5588" in text(first) and "NL86INGB0002445588" not in text(first)


def test_a_correction_is_a_new_decision_with_its_own_letter_and_the_old_one_stays(db, granted):
    with db.session() as s:
        old, _ = letters.stored_letter(s, granted, "nl")
        review.decide(s, ADMIN, granted, Decision(outcome="grant", amount_eur=Decimal("450"), payment="advance"), sender=SENDER,
                      confirm_reason="The room costs more.")
    with db.session() as s:
        new, _ = letters.stored_letter(s, granted, "nl")
        assert s.query(LetterRow).filter_by(application_id=granted, locale="nl").count() == 2
    assert i18n.format_money(Decimal("450"), "nl") in text(new) and old != new


def test_the_command_line_gives_the_stored_letter(db, granted, tmp_path):
    env = {**os.environ, "STEUNWIJZER_DATABASE_URL": db.url}
    out = tmp_path / "letter.docx"
    done = subprocess.run([sys.executable, "-m", "steunwijzer", "render", "decision", "--id", str(granted), "--locale", "nl",
                           "-o", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    with db.session() as s:
        assert out.read_bytes() == letters.stored_letter(s, granted, "nl")[0]


def test_standard_reasons_and_conditions_are_translated_everywhere():
    for locale in ("nl", "ar", "tr", "pl", "uk"):
        _ = i18n.gettext_for(locale)
        for item in [*forms.refusal_reasons().values(), *forms.standard_conditions().values()]:
            assert _(item.text) != item.text or locale == "en", (locale, item.id)


def test_unknown_standard_keys_are_refused(db, granted):
    from steunwijzer.errors import InvalidInput

    with pytest.raises(InvalidInput), db.session() as s:
        review.decide(s, ADMIN, granted, Decision(outcome="refuse", reason_keys=["made_up"]), sender=SENDER)


def test_fund_kind_decides_whether_a_letter_is_a_beschikking():
    fund = funds.demo_catalogue()[0]
    assert fund.model_copy(update={"kind": FundKind.municipality}).decides_by_beschikking
    assert not fund.model_copy(update={"kind": FundKind.private_fund}).decides_by_beschikking
