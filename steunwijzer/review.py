"""The officers' side: the queue, asking back, deciding. Every view and act is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import assert_never

from pydantic import BaseModel, ConfigDict

from sqlalchemy import and_, case, delete, func, or_, select
from sqlalchemy.orm import Session

from steunwijzer import applications, audit, notify, workflow
from steunwijzer.access import check_access, handled_fund_ids
from steunwijzer.errors import Conflict, InvalidInput, Msg, NotAllowed, NotFound, too_long
from steunwijzer.forms import load_form
from steunwijzer.i18n import N_
from steunwijzer.models import Application, Decision, Officer, Outcome, Status, SuggestedFund
from steunwijzer.store import AnswerRow, ApplicationRow, CaseReadRow, DecisionRow, MessageRow, utcnow
from steunwijzer.text import clean_text
from steunwijzer.workflow import Action

PAGE_SIZE = 25
MAX_MESSAGE = 4000


def common_questions() -> dict[str, str]:
    """Template key → English msgid of the question (translated for each reader)."""
    return {q.id: q.text for q in load_form("common_questions").questions}


# ---- the queue (the officers' inbox) ------------------------------------------------------

VIEWS = ("needs_action", "overdue_reports", "all")
# Sortable columns → what the database sorts on (every column of the table can be sorted).
SORTS = ("number", "needs", "status", "fund", "group", "contact", "amount", "language", "sent", "answer_by",
         "assigned", "report_due")


@dataclass
class QueueFilter:
    view: str = "needs_action"       # needs_action | overdue_reports | all
    statuses: list[str] = field(default_factory=list)  # empty: every status in the queue
    fund_id: str | None = None
    language: str | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    text: str | None = None
    mine: bool = False
    sort: str = "sent"
    descending: bool = True
    page: int = 0

    def to_dict(self) -> dict:
        """What a saved filter stores (JSON; the page is not part of it)."""
        return {"view": self.view, "statuses": [str(s) for s in self.statuses], "fund_id": self.fund_id,
                "language": self.language, "min_amount": None if self.min_amount is None else str(self.min_amount),
                "max_amount": None if self.max_amount is None else str(self.max_amount), "text": self.text,
                "mine": self.mine, "sort": self.sort, "descending": self.descending}

    @classmethod
    def from_dict(cls, data: dict) -> "QueueFilter":
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__ and k != "page"}
        for key in ("min_amount", "max_amount"):
            if known.get(key) is not None:
                known[key] = Decimal(str(known[key]))
        flt = cls(**known)
        if flt.view not in VIEWS:
            flt.view = "needs_action"
        if flt.sort not in SORTS:
            flt.sort = "sent"
        return flt


def _overdue(today: date):
    return and_(ApplicationRow.status == Status.granted, ApplicationRow.report_due < today)


def _needs_expr(today: date):
    """What needs action now: the last move's need, or an overdue report."""
    return case((_overdue(today), "overdue"), else_=ApplicationRow.needs_action)


def _queue_query(session: Session, officer: Officer, flt: QueueFilter, today: date | None = None):
    today = today or date.today()
    query = select(ApplicationRow).where(ApplicationRow.fund_id.in_(handled_fund_ids(session, officer)),
                                         ApplicationRow.status.in_([str(s) for s in workflow.IN_QUEUE]))
    if flt.view == "needs_action":
        query = query.where(or_(ApplicationRow.needs_action.is_not(None), _overdue(today)))
    elif flt.view == "overdue_reports":
        query = query.where(_overdue(today))
    if flt.statuses:
        query = query.where(ApplicationRow.status.in_([str(s) for s in flt.statuses]))
    if flt.mine:
        query = query.where(ApplicationRow.assigned_to == officer.username)
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
        conditions = [ApplicationRow.group_name.ilike(pattern, escape="\\"),
                      ApplicationRow.contact_name.ilike(pattern, escape="\\")]
        number = text.removeprefix("#").strip()
        if number.isascii() and number.isdigit() and len(number) < 10:
            by_number = [ApplicationRow.case_id == int(number), ApplicationRow.id == int(number)]
            # "#123" is a number only (found through the indexes); "123" may also be part of a name
            conditions = by_number if text.startswith("#") else conditions + by_number
        query = query.where(or_(*conditions))
    return query


def _order(flt: QueueFilter, today: date):
    column = {
        "number": ApplicationRow.case_id, "needs": _needs_expr(today), "status": ApplicationRow.status,
        "fund": ApplicationRow.fund_id, "group": ApplicationRow.group_name, "contact": ApplicationRow.contact_name,
        "amount": ApplicationRow.amount_asked, "language": ApplicationRow.language, "sent": ApplicationRow.submitted_at,
        "answer_by": ApplicationRow.submitted_at, "assigned": ApplicationRow.assigned_to,
        "report_due": ApplicationRow.report_due,
    }.get(flt.sort, ApplicationRow.submitted_at)
    if flt.descending:
        return [column.desc(), ApplicationRow.id.desc()]
    return [column.asc(), ApplicationRow.id.asc()]


class QueueItem(BaseModel):
    """One line of the officers' queue (a read model: no ORM row leaves the core)."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    case_id: int | None = None
    version: int = 1
    status: Status
    fund_id: str
    group_name: str | None
    contact_name: str | None = None
    amount_asked: Decimal | None
    language: str | None
    submitted_at: datetime | None
    updated_at: datetime | None
    changed_at: datetime | None = None
    report_due: date | None
    assigned_to: str | None = None
    needs_action: str | None = None
    unread: bool = False
    answer_by: date | None = None       # the date the group was promised an answer
    answer_late: bool = False           # that date has passed without a decision

    @property
    def number(self) -> int:
        return self.case_id or self.id


def _items(session: Session, officer: Officer, rows, today: date, answer_days: int) -> list[QueueItem]:
    rows = list(rows)
    reads = dict(session.execute(select(CaseReadRow.case_id, CaseReadRow.read_at).where(
        CaseReadRow.officer == officer.username, CaseReadRow.case_id.in_([r.case_id or r.id for r in rows]))).all())
    items = []
    for r in rows:
        item = QueueItem.model_validate(r)
        if r.status == Status.granted and r.report_due and r.report_due < today:
            item.needs_action = "overdue"
        seen = reads.get(item.number)
        item.unread = seen is None or (r.changed_at is not None and r.changed_at > seen)
        if r.submitted_at is not None:
            item.answer_by = r.submitted_at.date() + timedelta(days=answer_days)
            item.answer_late = item.answer_by < today and item.status in workflow.UNDECIDED
        items.append(item)
    return items


def queue(session: Session, officer: Officer, flt: QueueFilter, page_size: int = PAGE_SIZE, *,
          answer_days: int = 28, today: date | None = None) -> tuple[list[QueueItem], int]:
    """One page of the inbox in the chosen order, and the total count."""
    today = today or date.today()
    query = _queue_query(session, officer, flt, today)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.scalars(query.order_by(*_order(flt, today)).limit(page_size).offset(max(flt.page, 0) * page_size))
    return _items(session, officer, rows, today, answer_days), total


def queue_for_export(session: Session, officer: Officer, flt: QueueFilter, ids: list[int] | None = None,
                     answer_days: int = 28) -> list[QueueItem]:
    """The whole filtered list (or only the chosen rows) for a CSV file; audited."""
    today = date.today()
    query = _queue_query(session, officer, flt, today)
    if ids is not None:
        query = _queue_query(session, officer, QueueFilter(view="all"), today).where(ApplicationRow.id.in_(ids))
    rows = _items(session, officer, session.scalars(query.order_by(ApplicationRow.id)), today, answer_days)
    audit.record(session, officer.username, "applications.export_csv", count=len(rows),
                 versions=",".join(f"{r.number}v{r.version}" for r in rows[:200]))
    return rows


# ---- one application ----------------------------------------------------------------------

def open_application(session: Session, officer: Officer, application_id: int, record_view: bool = True) -> Application:
    """An application as the officer sees it (any version), if this officer may see it; the case
    counts as read by this officer from now on. `record_view`: write the audit line (the page
    does so once per opening, not on every rerun)."""
    row = check_access(session, officer, application_id)
    if record_view:
        audit.record(session, officer.username, "application.view", application_id=application_id,
                     case=row.case_id or row.id, version=row.version or 1)
    from steunwijzer import cases

    cases.mark_read(session, officer, [row.case_id or row.id])
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
            raise too_long(MAX_MESSAGE, len(body))
    session.add(MessageRow(application_id=application_id, sender="officer", author=officer.username,
                           template_key=template_key or None, text=body, language=None if template_key else "nl"))
    applications.step(session, application_id, Action.ask, actor=officer.username)
    audit.record(session, officer.username, "application.ask", application_id=application_id, template=template_key or "free")
    notify.question_asked(session, application_id)


def answer_officer(session: Session, application_id: int, text: str, language: str | None, audio_id: int | None = None,
                   source: str = "typed") -> None:
    """The group answers the open question(s); the application goes back to the officer. The
    answer kept while it was written (form "message", see forms/message.yaml) is cleared."""
    row = session.get(ApplicationRow, application_id)
    if row is None or not workflow.may(row.status, Action.answer, "group"):
        raise NotAllowed("There is no open question to answer.")
    body = clean_text(text)
    if not body:
        raise InvalidInput("Please answer this question.")
    if len(body) > MAX_MESSAGE * 5:
        raise too_long(MAX_MESSAGE * 5, len(body))
    for message in session.scalars(select(MessageRow).where(MessageRow.application_id == application_id,
                                                            MessageRow.sender == "officer", MessageRow.answered.is_(False))):
        message.answered = True
    session.add(MessageRow(application_id=application_id, sender="group", text=body, language=language, audio_id=audio_id,
                           template_key="voice" if source == "voice" else None))
    session.execute(delete(AnswerRow).where(AnswerRow.application_id == application_id, AnswerRow.form == "message"))
    applications.step(session, application_id, Action.answer, actor="group", note="answered a question")


def grant_warnings(amount: Decimal | None, asked: Decimal | None, fund_max: Decimal | None) -> list[str]:
    """Why a grant needs a reason before it is saved (msgids): more than asked, more than the fund gives."""
    found = []
    if amount is not None and asked is not None and amount > asked:
        found.append(N_("This is more than the group asked for."))
    if amount is not None and fund_max is not None and amount > fund_max:
        found.append(N_("This is more than the fund's maximum."))
    return found


def needs_second_officer(amount: Decimal | None, fund_max: Decimal | None, four_eyes_from: Decimal) -> bool:
    """Four eyes: a grant above the set amount or above the fund's maximum waits for a second officer."""
    return amount is not None and (amount > four_eyes_from or (fund_max is not None and amount > fund_max))


def decide(session: Session, officer: Officer, application_id: int, decision: Decision, report_due_days: int = 183, *,
           expected_revision: int | None = None, four_eyes_from: Decimal = Decimal("5000"),
           confirm_reason: str | None = None, sender=None) -> Status:
    """Grant, refuse or refer — or correct the last decision with a new one (before the report).
    A refusal needs a reason; a grant needs a positive amount and opens the report its tier asks
    (never heavier than the rule for the amount). A grant above what was asked or above the fund's
    maximum needs a reason (`confirm_reason`); a grant above `four_eyes_from` or the fund's maximum
    waits for a second officer. `expected_revision` is the application as the officer saw it: if
    someone else acted since, nothing is saved (Conflict). A final decision's letters are made now
    and stored: every download gives exactly them. Returns the new status."""
    from steunwijzer import accountability, funds, letters, reports

    row = check_access(session, officer, application_id)
    if expected_revision is not None and expected_revision != row.revision:
        raise Conflict("Another officer changed this application a moment ago (it is now: {status}). Nothing was saved. "
                       "Look at it again.", status=Msg(workflow.officer_label(row.status)))
    if workflow.may(row.status, Action.decide, "officer"):
        action = Action.decide
    elif workflow.may(row.status, Action.correct, "officer"):
        action = Action.correct
    else:
        raise NotAllowed("This cannot be done now. The application has status {status}.", status=row.status)
    state, reason = "final", None
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
            if grant_warnings(decision.amount_eur, row.amount_asked, fund.max_amount_eur):
                reason = clean_text(confirm_reason) or None
                if not reason:
                    raise InvalidInput("This grant is more than asked or more than the fund's maximum. "
                                       "Confirm it with a reason.")
            if needs_second_officer(decision.amount_eur, fund.max_amount_eur, four_eyes_from):  # also a correction
                action, state = Action.propose, "pending"
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
                          officer=officer.username, created_at=utcnow(), state=state, warning_reason=reason)
    session.add(decided)
    session.flush()
    status = applications.step(session, application_id, action, actor=officer.username, outcome=decision.outcome,
                               expected_revision=expected_revision)
    if status == Status.granted:
        reports.open_report(session, application_id, decision.report_tier, report_due_days)
    audit.record(session, officer.username, "application.propose.grant" if state == "pending"
                 else f"application.{action.value}.{decision.outcome.value}", application_id=application_id,
                 amount=decision.amount_eur or "", reason=reason or "")
    if state == "final":
        _make_letters(session, officer.username, application_id, decided, report_due_days, sender)
    else:  # four eyes: every colleague who may approve it hears of it at once (unless they switched it off)
        from steunwijzer import auth

        for colleague in auth.list_officers(session):
            if colleague.username != officer.username and row.fund_id in handled_fund_ids(session, colleague):
                notify.second_approval_requested(session, application_id, colleague.username)
    return status


def _make_letters(session: Session, signer: str, application_id: int, decided: DecisionRow, report_due_days: int,
                  sender=None) -> None:
    """A final decision's letters, made once and stored; the group is told by mail."""
    from steunwijzer import auth, funds, letters
    from steunwijzer.config import get_settings

    try:
        signed_by = auth.get_officer(session, signer)
    except NotFound:  # a demo or single-sign-on officer without an account row
        signed_by = Officer(username=signer)
    application = applications.load(session, application_id)
    decision = application.decision
    facts = letters.gather(session, application, funds.get_fund(session, application.fund_id), decision, signed_by,
                           sender or letters.Sender.from_settings(get_settings()), decided.created_at.date(), report_due_days)
    letters.store_letters(session, decided.id, application_id, facts)
    notify.decision_taken(session, application_id)


def _pending(session: Session, application_id: int) -> DecisionRow:
    pending = session.scalar(select(DecisionRow).where(DecisionRow.application_id == application_id,
                                                       DecisionRow.state == "pending").order_by(DecisionRow.id.desc()))
    if pending is None:
        raise NotAllowed("There is no decision waiting for approval.")
    return pending


def approve_decision(session: Session, officer: Officer, application_id: int, report_due_days: int = 183, *,
                     expected_revision: int | None = None) -> None:
    """Four eyes: a second officer approves the proposed grant; it then stands and the report is due."""
    from steunwijzer import reports

    check_access(session, officer, application_id)
    pending = _pending(session, application_id)
    if not workflow.may_second(pending.officer, officer.username):
        raise NotAllowed("A second officer must approve this grant. You proposed it yourself.")
    applications.step(session, application_id, Action.approve_decision, actor=officer.username,
                      expected_revision=expected_revision, note=f"approved by {officer.username}")
    pending.state, pending.approved_by, pending.approved_at = "final", officer.username, utcnow()
    reports.open_report(session, application_id, pending.report_tier, report_due_days)
    _make_letters(session, officer.username, application_id, pending, report_due_days)
    audit.record(session, officer.username, "application.approve.grant", application_id=application_id,
                 proposed_by=pending.officer, amount=pending.amount_eur or "")


def send_back_decision(session: Session, officer: Officer, application_id: int, reason: str, *,
                       expected_revision: int | None = None) -> None:
    """The proposed grant is not approved, with the reason as a note: the application is open
    again, or, when the proposal corrected a decision, that decision stands as before."""
    from steunwijzer import cases

    check_access(session, officer, application_id)
    text = clean_text(reason)
    if not text:
        raise InvalidInput("Please write why.")
    pending = _pending(session, application_id)
    standing = session.scalar(select(DecisionRow.outcome).where(DecisionRow.application_id == application_id,
                                                                DecisionRow.state == "final").order_by(DecisionRow.id.desc()))
    applications.step(session, application_id, Action.send_back_decision, actor=officer.username,
                      expected_revision=expected_revision,
                      target=Status.submitted if standing is None else workflow.decided_status(standing))
    pending.state = "rejected"
    cases.add_note(session, officer, application_id, text)
    audit.record(session, officer.username, "application.send_back.grant", application_id=application_id,
                 proposed_by=pending.officer)


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
