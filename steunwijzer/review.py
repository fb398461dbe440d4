"""The officers' side: the queue, asking back, deciding. Every view and act is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import assert_never

from pydantic import BaseModel, ConfigDict

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from steunwijzer import applications, audit, notify, workflow
from steunwijzer.access import check_access, handled_fund_ids
from steunwijzer.errors import InvalidInput, NotAllowed, NotFound
from steunwijzer.forms import load_form
from steunwijzer.models import Application, Decision, Officer, Outcome, Status, SuggestedFund
from steunwijzer.store import ApplicationRow, DecisionRow, MessageRow, utcnow
from steunwijzer.text import clean_text
from steunwijzer.workflow import Action

PAGE_SIZE = 25
MAX_MESSAGE = 4000


def common_questions() -> dict[str, str]:
    """Template key → English msgid of the question (translated for each reader)."""
    return {q.id: q.text for q in load_form("common_questions").questions}


# ---- the queue ----------------------------------------------------------------------------

@dataclass
class QueueFilter:
    statuses: list[str] = field(default_factory=lambda: [Status.submitted, Status.waiting_for_group])
    fund_id: str | None = None
    language: str | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    text: str | None = None
    page: int = 0


def _queue_query(session: Session, officer: Officer, flt: QueueFilter):
    query = select(ApplicationRow).where(ApplicationRow.fund_id.in_(handled_fund_ids(session, officer)),
                                         ApplicationRow.status.in_([str(s) for s in workflow.IN_QUEUE]))
    if flt.statuses:
        query = query.where(ApplicationRow.status.in_([str(s) for s in flt.statuses]))
    if flt.fund_id:
        query = query.where(ApplicationRow.fund_id == flt.fund_id)
    if flt.language:
        query = query.where(ApplicationRow.language == flt.language)
    if flt.min_amount is not None:
        query = query.where(ApplicationRow.amount_asked >= flt.min_amount)
    if flt.max_amount is not None:
        query = query.where(ApplicationRow.amount_asked <= flt.max_amount)
    text = clean_text(flt.text, multiline=False)[:100] if flt.text else ""
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions = [ApplicationRow.group_name.ilike(pattern, escape="\\")]
        number = text.removeprefix("#").strip()
        if number.isascii() and number.isdigit() and len(number) < 10:
            conditions.append(ApplicationRow.id == int(number))
        query = query.where(or_(*conditions))
    return query


class QueueItem(BaseModel):
    """One line of the officers' queue (a read model: no ORM row leaves the core)."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    status: Status
    fund_id: str
    group_name: str | None
    amount_asked: Decimal | None
    language: str | None
    submitted_at: datetime | None
    updated_at: datetime | None
    report_due: date | None


def queue(session: Session, officer: Officer, flt: QueueFilter, page_size: int = PAGE_SIZE) -> tuple[list[QueueItem], int]:
    """One page of the queue, newest first, and the total count."""
    query = _queue_query(session, officer, flt)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(ApplicationRow.submitted_at.desc(), ApplicationRow.id.desc())
                           .limit(page_size).offset(max(flt.page, 0) * page_size))
    return [QueueItem.model_validate(r) for r in rows], total


def queue_for_export(session: Session, officer: Officer, flt: QueueFilter) -> list[QueueItem]:
    rows = [QueueItem.model_validate(r) for r in session.scalars(_queue_query(session, officer, flt).order_by(ApplicationRow.id))]
    audit.record(session, officer.username, "applications.export_csv", count=len(rows))
    return rows


# ---- one application ----------------------------------------------------------------------

def open_application(session: Session, officer: Officer, application_id: int, record_view: bool = True) -> Application:
    """The application, if this officer may see it. `record_view`: write the audit line (the page
    does so once per opening, not on every rerun)."""
    check_access(session, officer, application_id)
    if record_view:
        audit.record(session, officer.username, "application.view", application_id=application_id)
    return applications.load(session, application_id)


def ask_group(session: Session, officer: Officer, application_id: int, template_key: str | None, text: str | None) -> None:
    """A question to the group: a common one (translated for them) or free text (shown as written)."""
    check_access(session, officer, application_id)
    templates = common_questions()
    if template_key:
        if template_key not in templates:
            raise InvalidInput("Please choose one of the answers shown.")
        body = templates[template_key]
    else:
        body = clean_text(text)
        if not body:
            raise InvalidInput("Please write your question.")
        if len(body) > MAX_MESSAGE:
            raise InvalidInput("Your answer is too long. Use at most {n} characters (now {count}).", n=MAX_MESSAGE, count=len(body))
    session.add(MessageRow(application_id=application_id, sender="officer", author=officer.username,
                           template_key=template_key or None, text=body, language=None if template_key else "nl"))
    applications.step(session, application_id, Action.ask, actor=officer.username)
    audit.record(session, officer.username, "application.ask", application_id=application_id, template=template_key or "free")
    notify.question_asked(session, application_id)


def answer_officer(session: Session, application_id: int, text: str, language: str | None, audio_id: int | None = None,
                   source: str = "typed") -> None:
    """The group answers the open question(s); the application goes back to the officer."""
    row = session.get(ApplicationRow, application_id)
    if row is None or not workflow.may(row.status, Action.answer, "group"):
        raise NotAllowed("There is no open question to answer.")
    body = clean_text(text)
    if not body:
        raise InvalidInput("Please answer this question.")
    if len(body) > MAX_MESSAGE * 5:
        raise InvalidInput("Your answer is too long. Use at most {n} characters (now {count}).", n=MAX_MESSAGE * 5, count=len(body))
    for message in session.scalars(select(MessageRow).where(MessageRow.application_id == application_id,
                                                            MessageRow.sender == "officer", MessageRow.answered.is_(False))):
        message.answered = True
    session.add(MessageRow(application_id=application_id, sender="group", text=body, language=language, audio_id=audio_id,
                           template_key="voice" if source == "voice" else None))
    applications.step(session, application_id, Action.answer, actor="group", note="answered a question")


def decide(session: Session, officer: Officer, application_id: int, decision: Decision, report_due_days: int = 183,
           sender=None) -> int:
    """Grant, refuse or refer — or correct the last decision with a new one. A refusal needs a
    reason; a grant needs a positive amount and opens the report its tier asks (never heavier than
    the rule for the amount). The letters are made now and stored: every download gives exactly
    them. Returns the decision's id."""
    from steunwijzer import accountability, auth, funds, letters, reports
    from steunwijzer.config import get_settings

    row = check_access(session, officer, application_id)
    action = Action.decide if workflow.may(row.status, Action.decide, "officer") else Action.correct
    if not workflow.may(row.status, action, "officer"):
        raise NotAllowed("This cannot be done now. The application has status {status}.", status=row.status)
    letters.check_keys(decision)
    fund = funds.get_fund(session, row.fund_id)
    application = applications.load(session, application_id)
    match decision.outcome:
        case Outcome.grant:
            if decision.amount_eur is None or decision.amount_eur <= 0:
                raise InvalidInput("Please fill in the amount you grant.")
            if decision.payment is None:
                raise InvalidInput("Please choose when the money is paid.")
            tier = accountability.choose_tier(decision.amount_eur, fund, decision.report_tier)
            fixed = decision.fixed_at_once
            if fixed is None:
                fixed = decision.amount_eur <= letters.FIXED_AT_ONCE_UP_TO
            decision = decision.model_copy(update={"report_tier": tier, "fixed_at_once": fixed, "reason_keys": [], "suggestions": []})
        case Outcome.refuse:
            if not decision.reason_keys and not clean_text(decision.reason):
                raise InvalidInput("Please give the reason for the refusal. The group will read it.")
            catalogue = funds.all_funds(session)
            ideas = [SuggestedFund(id=f.id, name=f.name, url=str(f.url))
                     for f in suggest_other_funds(application.profile, catalogue, exclude=row.fund_id)]
            decision = decision.model_copy(update={"suggestions": ideas, "condition_keys": []})
        case Outcome.refer:
            if not clean_text(decision.referred_to, multiline=False):
                raise InvalidInput("Please say where you refer the group to.")
            decision = decision.model_copy(update={"reason_keys": [], "condition_keys": [], "suggestions": []})
        case _ as never:
            assert_never(never)
    decision = decision.model_copy(update={
        "conditions": clean_text(decision.conditions) or None, "reason": clean_text(decision.reason) or None,
        "referred_to": clean_text(decision.referred_to, multiline=False) or None})
    decided = DecisionRow(application_id=application_id, outcome=decision.outcome, amount_eur=decision.amount_eur,
                          conditions=decision.conditions, payment=decision.payment, reason=decision.reason,
                          referred_to=decision.referred_to, report_tier=decision.report_tier,
                          reason_keys=list(decision.reason_keys), condition_keys=list(decision.condition_keys),
                          fixed_at_once=decision.fixed_at_once,
                          suggestions=[s.model_dump() for s in decision.suggestions],
                          officer=officer.username, created_at=utcnow())
    session.add(decided)
    session.flush()
    applications.step(session, application_id, action, actor=officer.username, outcome=decision.outcome)
    if decision.outcome == Outcome.grant:
        reports.open_report(session, application_id, decision.report_tier, report_due_days)
    try:
        signer = auth.get_officer(session, officer.username)
    except NotFound:  # a demo or single-sign-on officer without an account row
        signer = officer
    sender = sender or letters.Sender.from_settings(get_settings())
    facts = letters.gather(session, applications.load(session, application_id), fund, decision, signer, sender,
                           decided.created_at.date(), report_due_days)
    letters.store_letters(session, decided.id, application_id, facts)
    audit.record(session, officer.username, f"application.{action.value}.{decision.outcome.value}",
                 application_id=application_id, amount=decision.amount_eur or "")
    notify.decision_taken(session, application_id)
    return decided.id


def delete_on_request(session: Session, officer: Officer, application_id: int, reason: str) -> dict[str, int]:
    """Forget an application (and all its versions) because the group asked for it."""
    check_access(session, officer, application_id)
    if not clean_text(reason):
        raise InvalidInput("Please note who asked for the deletion and when.")
    return applications.forget(session, application_id, actor=officer.username, reason=clean_text(reason, multiline=False))


def suggest_other_funds(profile: dict, catalogue, exclude: str, limit: int = 3):
    """For a refusal letter: funds that fit the group's funding profile, other than this one."""
    from pydantic import ValidationError

    from steunwijzer.matching import FundingProfile, match_funds

    try:
        wanted = FundingProfile.model_validate(profile or {})
    except ValidationError:
        wanted = FundingProfile()
    return [m.fund for m in match_funds(wanted, catalogue) if m.eligible and m.fund.id != exclude][:limit]
