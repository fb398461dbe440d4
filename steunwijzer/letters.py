"""Decision letters a municipality can sign, made once when the decision is taken and stored.

What a Dutch beschikking needs (see ../shared/reference/text-review.md §7, Awb articles in
brackets): reference and application date; the addressee (the contact person, or the penvoerder
when the money goes through one); the activity (4:30); the amount and whether it is fixed at
once (4:42, model ASV art. 15: usual below € 5,000); payment date and account; what happens with
unspent money (4:46–4:49); which report and by when (4:44); the legal basis (3:47); for a refusal
the rule each reason rests on (3:46); the objection clause (3:45, 6:7) for a public body, a
complaints contact for a private fund; signature by mandate; contact details; which text is
binding (2:6). All of it is gathered here into `LetterFacts` when the decision is taken, so the
letter never changes afterwards even when the catalogue does."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from steunwijzer import forms
from steunwijzer.errors import InvalidInput, NotFound
from steunwijzer.models import Application, BankAccount, Contact, Decision, Fund, Officer, Outcome, Role
from steunwijzer.store import LetterRow, ReportRow

PAY_WITHIN_DAYS = 14          # an advance is paid within two weeks of the decision
OBJECTION_WEEKS = 6           # Awb 6:7
FIXED_AT_ONCE_UP_TO = Decimal("5000")   # model ASV art. 15: below this the amount is usually fixed at once


def check_keys(decision: Decision) -> None:
    if (set(decision.reason_keys) - set(forms.refusal_reasons())
            or set(decision.condition_keys) - set(forms.standard_conditions())):
        raise InvalidInput("Please choose one of the answers shown.")


# ---- who sends the letter -------------------------------------------------------------------

@dataclass(frozen=True)
class Sender:
    municipality: str
    phone: str | None = None
    email: str | None = None
    objection_address: str | None = None    # where objections go (default: the contact e-mail)

    @classmethod
    def from_settings(cls, settings) -> "Sender":
        return cls(municipality=settings.municipality, phone=settings.contact_phone, email=settings.contact_email,
                   objection_address=settings.objection_address)


# ---- the facts of one letter -----------------------------------------------------------------

@dataclass(frozen=True)
class LetterFacts:
    reference: str
    decided_on: date
    applied_on: date | None
    outcome: Outcome
    fund_name: str
    provider: str
    public_body: bool
    regulation: str | None
    complaints_contact: str | None
    group_name: str | None
    group_language: str | None
    addressee: str | None                 # the contact person, or the penvoerder
    addressee_email: str | None
    through_penvoerder: bool
    activity: str | None
    activity_language: str | None
    when_where: str | None
    amount: Decimal | None
    fixed_at_once: bool | None
    payment: str | None
    pay_by: date | None
    iban_masked: str | None
    account_holder: str | None
    report_tier: str | None
    report_due: date | None
    reason_keys: tuple[str, ...] = ()
    reason_text: str | None = None
    condition_keys: tuple[str, ...] = ()
    condition_text: str | None = None
    referred_to: str | None = None
    suggestions: tuple[tuple[str, str], ...] = ()    # (name, url)
    sender: Sender = field(default_factory=lambda: Sender(municipality=""))
    signer_name: str | None = None
    signer_title: str | None = None
    group_locale: str = "nl"


def short_activity(text: str | None, limit: int = 300) -> str | None:
    """The plan as the letter names it: the group's own first sentences, at most `limit` characters."""
    if not text or len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "), cut.rfind("\n"))
    return (cut[: end + 1] if end > limit // 3 else cut.rstrip()) + " …"


def mask_iban(iban: str) -> str:
    """Shown partly in a letter: 'NL91 … 4300'."""
    return f"{iban[:4]} … {iban[-4:]}" if len(iban) > 8 else "…"


def _value(application: Application, role: Role, form):
    answer = forms.answer_by_role(application.answers, role, form)
    return (answer.value, answer.language) if answer is not None else (None, None)


def gather(session: Session, application: Application, fund: Fund, decision: Decision, officer: Officer,
           sender: Sender, decided_on: date, report_due_days: int = 183) -> LetterFacts:
    form = forms.application_form(fund)
    group, group_language = _value(application, Role.group_name, form)
    contact, _ = _value(application, Role.contact, form)
    bank, _ = _value(application, Role.bank, form)
    activity, activity_language = _value(application, Role.description, form)
    when_where, _ = _value(application, Role.when_where, form)
    contact = contact if isinstance(contact, Contact) else None
    bank = bank if isinstance(bank, BankAccount) else None
    through_penvoerder = bool(bank and bank.route == "penvoerder" and bank.penvoerder_name)
    report = session.scalar(select(ReportRow).where(ReportRow.application_id == application.id))
    grant = decision.outcome == Outcome.grant
    report_due = report.due_date if report else decided_on + timedelta(days=report_due_days)
    return LetterFacts(
        reference=f"SW-{application.id}", decided_on=decided_on,
        applied_on=application.submitted_at.date() if application.submitted_at else None,
        outcome=decision.outcome, fund_name=fund.name, provider=fund.provider, public_body=fund.decides_by_beschikking,
        regulation=fund.regulation, complaints_contact=fund.complaints_contact,
        group_name=group, group_language=group_language,
        addressee=bank.penvoerder_name if through_penvoerder else (contact.name if contact else None),
        addressee_email=contact.email if contact else None, through_penvoerder=through_penvoerder,
        activity=short_activity(activity), activity_language=activity_language, when_where=when_where,
        amount=decision.amount_eur if grant else None, fixed_at_once=decision.fixed_at_once if grant else None,
        payment=decision.payment if grant else None,
        pay_by=decided_on + timedelta(days=PAY_WITHIN_DAYS) if grant and decision.payment == "advance" else None,
        iban_masked=mask_iban(bank.iban) if grant and bank else None, account_holder=bank.holder if grant and bank else None,
        report_tier=decision.report_tier if grant else None, report_due=report_due if grant else None,
        reason_keys=tuple(decision.reason_keys), reason_text=decision.reason,
        condition_keys=tuple(decision.condition_keys), condition_text=decision.conditions,
        referred_to=decision.referred_to, suggestions=tuple((s.name, s.url) for s in decision.suggestions),
        sender=sender, signer_name=officer.full_name or officer.username, signer_title=officer.job_title,
        group_locale=application.locale,
    )


def letter_locales(facts: LetterFacts) -> list[str]:
    """The official Dutch letter, and a translation in the group's language when that is not Dutch."""
    return ["nl"] + ([facts.group_locale] if facts.group_locale != "nl" else [])


def store_letters(session: Session, decision_id: int, application_id: int, facts: LetterFacts) -> None:
    from steunwijzer import documents

    for locale in letter_locales(facts):
        data = documents.decision_letter_docx(facts, locale)
        session.add(LetterRow(decision_id=decision_id, application_id=application_id, locale=locale,
                              official=locale == "nl", data=data, sha256=hashlib.sha256(data).hexdigest()))


def stored_letter(session: Session, application_id: int, locale: str | None = None) -> tuple[bytes, str]:
    """The letter of the latest decision, exactly as it was made: in `locale` when there is one
    in that language, else the official Dutch letter. Returns (bytes, locale)."""
    decision_id = session.scalar(select(LetterRow.decision_id).where(LetterRow.application_id == application_id)
                                 .order_by(LetterRow.decision_id.desc()))  # the latest final decision (a proposal has none)
    if decision_id is None:
        raise NotFound("This application has no decision yet.")
    letters = {row.locale: row for row in session.scalars(select(LetterRow).where(LetterRow.decision_id == decision_id))}
    row = letters.get(locale or "nl") or letters.get("nl")
    if row is None:
        raise NotFound("This application has no decision yet.")
    return row.data, row.locale


def preview(session: Session, application: Application, fund: Fund, decision: Decision, officer: Officer,
            sender: Sender, report_due_days: int = 183, locale: str = "nl") -> bytes:
    """The letter as it would be made now, for the officer to read before confirming."""
    from steunwijzer import documents

    facts = gather(session, application, fund, decision, officer, sender, date.today(), report_due_days)
    return documents.decision_letter_docx(facts, locale)
