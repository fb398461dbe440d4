"""The officers' side: the queue, asking back, deciding. Every view and act is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from steunwijzer import applications, audit
from steunwijzer.errors import InvalidInput, NotAllowed, NotFound
from steunwijzer.forms import clean_text, load_form
from steunwijzer.models import Application, Decision, Officer, Status
from steunwijzer.store import ApplicationRow, DecisionRow, FundRow, MessageRow, utcnow

QUEUE_STATUSES = (Status.submitted, Status.waiting_for_group, Status.granted, Status.report_submitted,
                  Status.refused, Status.referred, Status.closed)
PAGE_SIZE = 25
MAX_MESSAGE = 4000


def common_questions() -> dict[str, str]:
    """Template key → English msgid of the question (translated for each reader)."""
    return {q.id: q.text for q in load_form("common_questions").questions}


# ---- permissions --------------------------------------------------------------------------

def handled_fund_ids(session: Session, officer: Officer) -> list[str]:
    """The funds whose applications this officer may see: assigned ones, else all in-app funds."""
    if officer.fund_ids and not officer.is_admin:
        return list(officer.fund_ids)
    return list(session.scalars(select(FundRow.id).where(FundRow.in_app)))


def check_access(session: Session, officer: Officer, application_id: int) -> ApplicationRow:
    row = session.get(ApplicationRow, application_id)
    if row is None or row.status == Status.draft or row.fund_id not in handled_fund_ids(session, officer):
        # the same answer for "does not exist" and "not yours"
        raise NotFound("This application does not exist or is not yours to see.")
    return row


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
                                         ApplicationRow.status != Status.draft)
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
        if text.isdigit():
            conditions.append(ApplicationRow.id == int(text))
        query = query.where(or_(*conditions))
    return query


def queue(session: Session, officer: Officer, flt: QueueFilter, page_size: int = PAGE_SIZE) -> tuple[list[ApplicationRow], int]:
    """One page of the queue, newest first, and the total count."""
    query = _queue_query(session, officer, flt)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(session.scalars(query.order_by(ApplicationRow.submitted_at.desc(), ApplicationRow.id.desc())
                                .limit(page_size).offset(max(flt.page, 0) * page_size)))
    return rows, total


def queue_for_export(session: Session, officer: Officer, flt: QueueFilter) -> list[ApplicationRow]:
    rows = list(session.scalars(_queue_query(session, officer, flt).order_by(ApplicationRow.id)))
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
    row = check_access(session, officer, application_id)
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
    if row.status != Status.waiting_for_group:
        applications.transition(session, application_id, Status.waiting_for_group, actor=officer.username)
    audit.record(session, officer.username, "application.ask", application_id=application_id, template=template_key or "free")


def answer_officer(session: Session, application_id: int, text: str, language: str | None, audio_id: int | None = None,
                   source: str = "typed") -> None:
    """The group answers the open question(s); the application goes back to the officer."""
    row = session.get(ApplicationRow, application_id)
    if row is None or row.status != Status.waiting_for_group:
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
    applications.transition(session, application_id, Status.submitted, actor="group", note="answered a question")


def decide(session: Session, officer: Officer, application_id: int, decision: Decision, report_due_days: int = 183) -> None:
    """Grant, refuse or refer. A refusal needs a reason; a grant needs a positive amount and
    opens the report its tier asks (never heavier than the rule for the amount)."""
    from steunwijzer import accountability, funds, reports

    row = check_access(session, officer, application_id)
    outcome_status = {"grant": Status.granted, "refuse": Status.refused, "refer": Status.referred}[decision.outcome]
    if decision.outcome == "grant":
        if decision.amount_eur is None or decision.amount_eur <= 0:
            raise InvalidInput("Please fill in the amount you grant.")
        if decision.payment is None:
            raise InvalidInput("Please choose when the money is paid.")
        fund = funds.get_fund(session, row.fund_id)
        decision = decision.model_copy(update={"report_tier": accountability.choose_tier(decision.amount_eur, fund, decision.report_tier)})
    if decision.outcome == "refuse" and not clean_text(decision.reason):
        raise InvalidInput("Please give the reason for the refusal. The group will read it.")
    if decision.outcome == "refer" and not clean_text(decision.referred_to, multiline=False):
        raise InvalidInput("Please say where you refer the group to.")
    if not applications.can_transition(Status(row.status), outcome_status):
        raise NotAllowed("An application with status {from_status} cannot become {to_status}.",
                         from_status=row.status, to_status=outcome_status.value)
    session.add(DecisionRow(application_id=application_id, outcome=decision.outcome, amount_eur=decision.amount_eur,
                            conditions=clean_text(decision.conditions) or None, payment=decision.payment,
                            reason=clean_text(decision.reason) or None,
                            referred_to=clean_text(decision.referred_to, multiline=False) or None,
                            report_tier=decision.report_tier, officer=officer.username, created_at=utcnow()))
    applications.transition(session, application_id, outcome_status, actor=officer.username)
    if decision.outcome == "grant":
        reports.open_report(session, application_id, decision.report_tier, report_due_days)
    audit.record(session, officer.username, f"application.decide.{decision.outcome}", application_id=application_id,
                 amount=decision.amount_eur or "")


def delete_on_request(session: Session, officer: Officer, application_id: int, reason: str) -> None:
    check_access(session, officer, application_id)
    if not clean_text(reason):
        raise InvalidInput("Please note who asked for the deletion and when.")
    applications.delete_application(session, application_id, actor=officer.username, reason=clean_text(reason))


def suggest_other_funds(profile: dict, catalogue, exclude: str, limit: int = 3):
    """For a refusal letter: funds that fit the group's funding profile, other than this one."""
    from pydantic import ValidationError

    from steunwijzer.matching import FundingProfile, match_funds

    try:
        wanted = FundingProfile.model_validate(profile or {})
    except ValidationError:
        wanted = FundingProfile()
    return [m.fund for m in match_funds(wanted, catalogue) if m.eligible and m.fund.id != exclude][:limit]
