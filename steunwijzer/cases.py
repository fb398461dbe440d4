"""Working on a case (issue 13): assignment, private notes, second opinions, what an officer has
read, saved queue filters, the versions of a case and what changed between them.

A case is every version of one application; its number is the first version's id (`case_id`).
Notes, advice and reads hang on the case, so they survive "Change my application". Notes are
for officers only: they are never part of a document or export for the group, and each one is
recorded in the audit log (without its text: the log must not hold personal data)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from steunwijzer import answer_types, audit, workflow
from steunwijzer.access import check_access, handled_fund_ids
from steunwijzer.errors import InvalidInput, NotAllowed, NotFound, too_long
from steunwijzer.models import Officer, Status
from steunwijzer.store import (
    AnswerRow,
    ApplicationRow,
    CaseNoteRow,
    CaseReadRow,
    OfficerRow,
    SavedFilterRow,
    utcnow,
)
from steunwijzer.text import clean_text

MAX_NOTE = 4000
MAX_FILTER_NAME = 60


def _case(row: ApplicationRow) -> int:
    return row.case_id or row.id


def current_version(session: Session, number: int) -> int | None:
    """The id of the version officers work on for this case number (or any version's id)."""
    row = session.get(ApplicationRow, number)
    if row is None:
        return None
    latest = session.scalar(select(ApplicationRow.id).where(ApplicationRow.case_id == _case(row))
                            .order_by(ApplicationRow.version.desc(), ApplicationRow.id.desc()).limit(1))
    return latest or row.id


# ---- assignment -----------------------------------------------------------------------------

def colleagues(session: Session, officer: Officer, application_id: int | None = None) -> list[str]:
    """Active officers (optionally: who may see this application's fund), the officer included."""
    rows = list(session.scalars(select(OfficerRow).where(OfficerRow.active.is_(True)).order_by(OfficerRow.username)))
    if application_id is None:
        return [r.username for r in rows]
    fund_id = check_access(session, officer, application_id).fund_id
    return [r.username for r in rows if _sees_fund(session, r, fund_id)]


def _sees_fund(session: Session, row: OfficerRow, fund_id: str) -> bool:
    other = Officer(username=row.username, is_admin=row.is_admin, fund_ids=row.fund_ids or [])
    return fund_id in handled_fund_ids(session, other)


def assign(session: Session, officer: Officer, application_ids: list[int], to: str | None) -> int:
    """Assign cases to a colleague (`to` = the officer: take them; None: nobody). Returns how many."""
    target = None
    if to:
        target = session.scalar(select(OfficerRow).where(OfficerRow.username == to, OfficerRow.active.is_(True)))
        if target is None:
            raise NotFound("This officer does not exist.")
    done = 0
    for application_id in application_ids:
        row = check_access(session, officer, application_id)
        if target is not None and not _sees_fund(session, target, row.fund_id):
            raise NotAllowed("{name} does not handle this fund.", name=to)
        row.assigned_to = to
        done += 1
        audit.record(session, officer.username, "case.assign", application_id=row.id, case=_case(row), to=to or "")
    return done


def take(session: Session, officer: Officer, application_id: int) -> None:
    assign(session, officer, [application_id], officer.username)


# ---- notes and second opinions -----------------------------------------------------------------

class CaseNote(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str               # note | advice_request | advice
    author: str
    to_officer: str | None
    text: str
    answered: bool
    created_at: datetime


def _note_text(text: str | None) -> str:
    body = clean_text(text)
    if not body:
        raise InvalidInput("Please write your note.")
    if len(body) > MAX_NOTE:
        raise too_long(MAX_NOTE, len(body))
    return body


def add_note(session: Session, officer: Officer, application_id: int, text: str) -> int:
    """A private note on the case: officers only, never in anything the group receives."""
    row = check_access(session, officer, application_id)
    note = CaseNoteRow(application_id=_case(row), kind="note", author=officer.username, text=_note_text(text))
    session.add(note)
    session.flush()
    audit.record(session, officer.username, "case.note", application_id=row.id, case=_case(row), note=note.id)
    return note.id


def ask_advice(session: Session, officer: Officer, application_id: int, colleague: str, question: str) -> int:
    """Ask a colleague for a second opinion; the request shows in their queue and on the case."""
    row = check_access(session, officer, application_id)
    if colleague == officer.username:
        raise InvalidInput("Ask a colleague, not yourself.")
    if colleague not in colleagues(session, officer, application_id):
        raise NotAllowed("{name} does not handle this fund.", name=colleague)
    note = _advice_note(session, row, "advice_request", officer.username, colleague, question)
    audit.record(session, officer.username, "case.ask_advice", application_id=row.id, case=_case(row), to=colleague)
    return note.id


def give_advice(session: Session, officer: Officer, application_id: int, request_id: int, text: str) -> int:
    row = check_access(session, officer, application_id)
    request = session.get(CaseNoteRow, request_id)
    if request is None or request.kind != "advice_request" or request.application_id != _case(row):
        raise NotFound("This request does not exist.")
    request.answered = True
    note = _advice_note(session, row, "advice", officer.username, request.author, text)
    audit.record(session, officer.username, "case.advice", application_id=row.id, case=_case(row), request=request_id)
    return note.id


def _advice_note(session: Session, row: ApplicationRow, kind: str, author: str, to_officer: str, text: str) -> CaseNoteRow:
    """A second-opinion note between two officers; the case shows as changed in the inbox."""
    note = CaseNoteRow(application_id=_case(row), kind=kind, author=author, to_officer=to_officer, text=_note_text(text))
    session.add(note)
    session.flush()
    session.execute(update(ApplicationRow).where(ApplicationRow.id == row.id).values(changed_at=utcnow()))
    return note


def notes(session: Session, officer: Officer, application_id: int) -> list[CaseNote]:
    row = check_access(session, officer, application_id)
    return [CaseNote.model_validate(n) for n in session.scalars(
        select(CaseNoteRow).where(CaseNoteRow.application_id == _case(row)).order_by(CaseNoteRow.id))]


def advice_asked_of(session: Session, officer: Officer) -> list[tuple[int, int, CaseNote]]:
    """Open requests for a second opinion addressed to this officer: (current version id, case number, request)."""
    rows = session.execute(select(CaseNoteRow).where(CaseNoteRow.to_officer == officer.username,
                                                     CaseNoteRow.kind == "advice_request",
                                                     CaseNoteRow.answered.is_(False)).order_by(CaseNoteRow.id)).scalars()
    return [(current_version(session, r.application_id) or r.application_id, r.application_id, CaseNote.model_validate(r))
            for r in rows]


# ---- read / unread ------------------------------------------------------------------------------

def mark_read(session: Session, officer: Officer, case_ids: list[int], at: datetime | None = None) -> None:
    at = at or utcnow()
    existing = {r.case_id: r for r in session.scalars(select(CaseReadRow).where(
        CaseReadRow.officer == officer.username, CaseReadRow.case_id.in_(case_ids)))}
    for case_id in dict.fromkeys(case_ids):
        if case_id in existing:
            existing[case_id].read_at = at
        else:
            session.add(CaseReadRow(officer=officer.username, case_id=case_id, read_at=at))


def mark_read_by_ids(session: Session, officer: Officer, application_ids: list[int]) -> None:
    """Batch action: mark the chosen rows read (each checked for access)."""
    mark_read(session, officer, [_case(check_access(session, officer, i)) for i in application_ids])
    audit.record(session, officer.username, "case.mark_read", count=len(application_ids))


# ---- saved filters ------------------------------------------------------------------------------

def save_filter(session: Session, officer: Officer, name: str, data: dict) -> None:
    name = clean_text(name, multiline=False)
    if not name:
        raise InvalidInput("Please give the filter a name.")
    if len(name) > MAX_FILTER_NAME:
        raise too_long(MAX_FILTER_NAME, len(name))
    row = session.scalar(select(SavedFilterRow).where(SavedFilterRow.officer == officer.username, SavedFilterRow.name == name))
    if row is None:
        session.add(SavedFilterRow(officer=officer.username, name=name, data=data))
    else:
        row.data = data


def saved_filters(session: Session, officer: Officer) -> dict[str, dict]:
    return {r.name: r.data for r in session.scalars(select(SavedFilterRow).where(
        SavedFilterRow.officer == officer.username).order_by(SavedFilterRow.name))}


def delete_filter(session: Session, officer: Officer, name: str) -> None:
    row = session.scalar(select(SavedFilterRow).where(SavedFilterRow.officer == officer.username, SavedFilterRow.name == name))
    if row is not None:
        session.delete(row)


# ---- versions -----------------------------------------------------------------------------------

class VersionInfo(BaseModel):
    id: int
    version: int
    status: Status
    created_at: datetime | None


class AnswerChange(BaseModel):
    question_id: str
    before: object | None
    after: object | None


def case_versions(session: Session, officer: Officer, application_id: int) -> list[VersionInfo]:
    row = check_access(session, officer, application_id)
    return [VersionInfo(id=r.id, version=r.version or 1, status=Status(r.status), created_at=r.created_at)
            for r in session.scalars(select(ApplicationRow).where(ApplicationRow.case_id == _case(row))
                                     .order_by(ApplicationRow.version))]


def _answers(session: Session, application_id: int) -> dict[str, object]:
    return {a.question_id: answer_types.from_json(a.value) for a in session.scalars(select(AnswerRow).where(
        AnswerRow.application_id == application_id, AnswerRow.form == "application"))}


def changes(session: Session, officer: Officer, application_id: int) -> list[AnswerChange]:
    """What the group changed in this version compared with the one before (empty for a first version)."""
    row = check_access(session, officer, application_id)
    if not row.previous_id:
        return []
    before, after = _answers(session, row.previous_id), _answers(session, row.id)
    return [AnswerChange(question_id=q, before=before.get(q), after=after.get(q))
            for q in dict.fromkeys([*before, *after]) if before.get(q) != after.get(q)]


# ---- what the review page tells --------------------------------------------------------------

class Spending(BaseModel):
    granted: Decimal | None
    planned: Decimal
    spent: Decimal

    @property
    def difference(self) -> Decimal | None:
        return None if self.granted is None else self.granted - self.spent


def spending(granted: Decimal | None, lines) -> Spending:
    """The report's total: what was granted, planned and really spent."""
    lines = list(lines or [])
    return Spending(granted=granted, planned=sum((line.amount for line in lines), Decimal(0)),
                    spent=sum((line.spent or Decimal(0) for line in lines), Decimal(0)))


def deletion_date(closed_at: datetime | date | None, retention_days: int) -> date | None:
    """When the personal data of a finished application is deleted (the retention period)."""
    if closed_at is None:
        return None
    day = closed_at.date() if isinstance(closed_at, datetime) else closed_at
    return day + timedelta(days=retention_days)


def closed_at(session: Session, application_id: int) -> datetime | None:
    row = session.get(ApplicationRow, application_id)
    return None if row is None or row.status not in workflow.FINISHED else row.closed_at


def case_number(session: Session, application_id: int) -> int | None:
    row = session.get(ApplicationRow, application_id)
    return None if row is None else _case(row)
