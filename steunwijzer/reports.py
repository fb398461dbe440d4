"""The report after a grant: the questions its tier asks, saved as they are given, sent,
then approved by an officer (which closes the grant and starts the retention clock)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from steunwijzer import accountability, applications, audit
from steunwijzer.errors import InvalidInput, NotAllowed, NotFound
from steunwijzer.forms import clean_text, load_form
from steunwijzer.models import Application, BudgetLine, Form, Officer, Status
from steunwijzer.store import ApplicationRow, MessageRow, PhotoRow, ReportRow, utcnow

PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/heic": "heic", "image/heif": "heic"}
MAX_PHOTOS = 12


def report_form(tier: str) -> Form:
    """The report questions for a tier: a lighter report asks fewer questions."""
    form = load_form("report_questions")
    return form.model_copy(update={"questions": [q for q in form.questions
                                                 if accountability.tier_includes(tier, q.tier or "story")]})


def open_report(session: Session, application_id: int, tier: str, due_days: int) -> None:
    """Called when a grant is decided: the report becomes due."""
    if session.scalar(select(ReportRow).where(ReportRow.application_id == application_id)):
        return
    due = date.today() + timedelta(days=due_days)
    session.add(ReportRow(application_id=application_id, tier=tier, due_date=due))
    session.get(ApplicationRow, application_id).report_due = due


def get_report(session: Session, application_id: int) -> ReportRow:
    row = session.scalar(select(ReportRow).where(ReportRow.application_id == application_id))
    if row is None:
        raise NotFound("There is no report for this application.")
    return row


def planned_spending(application: Application) -> list[BudgetLine]:
    """The budget lines of the plan, with what was spent so far (prefill for the report)."""
    saved = application.report_answers.get("spending")
    if saved and saved.value:
        return saved.value
    planned = application.answers.get("budget")
    return [line.model_copy(update={"spent": None}) for line in (planned.value if planned else [])]


def validate_spending(lines: list[BudgetLine], spent_texts: list[str], locale: str, required: bool = True) -> list[BudgetLine]:
    from steunwijzer import i18n

    result = []
    for number, (line, text) in enumerate(zip(lines, spent_texts), start=1):
        if not str(text or "").strip():
            if required:
                raise InvalidInput("Line {n}: {problem}", n=number, problem=InvalidInput("Please fill in an amount."))
            result.append(line)
            continue
        try:
            spent = i18n.parse_money(str(text), locale)
        except InvalidInput as exc:
            raise InvalidInput("Line {n}: {problem}", n=number, problem=exc) from None
        result.append(line.model_copy(update={"spent": spent}))
    return result


def add_photo(session: Session, application_id: int, data: bytes, mime: str, filename: str | None, max_bytes: int) -> int:
    if mime not in PHOTO_TYPES:
        raise InvalidInput("Please add a photo (jpg, png or heic).")
    if not data:
        raise InvalidInput("This file is empty.")
    if len(data) > max_bytes:
        raise InvalidInput("This file is too large. The limit is {mb} MB.", mb=max_bytes // (1024 * 1024))
    from steunwijzer.photos import clean_photo

    data, mime = clean_photo(data)  # pixels only (no EXIF/GPS), typed by content, bombs refused
    count = session.query(PhotoRow).filter_by(application_id=application_id).count()
    if count >= MAX_PHOTOS:
        raise InvalidInput("You can add at most {n} photos.", n=MAX_PHOTOS)
    photo = PhotoRow(application_id=application_id, mime=mime, filename=(filename or "")[:200], data=data)
    session.add(photo)
    session.flush()
    return photo.id


def photos(session: Session, application_id: int) -> list[PhotoRow]:
    return list(session.scalars(select(PhotoRow).where(PhotoRow.application_id == application_id).order_by(PhotoRow.id)))


def missing_answers(application: Application, form: Form) -> list[str]:
    return [q.id for q in form.questions if q.required and q.type != "photos" and application.report_answers.get(q.id) is None]


def submit_report(session: Session, application_id: int, tier: str) -> None:
    app = applications.load(session, application_id)
    if app.status != Status.granted:
        raise NotAllowed("There is no report to send for this application.")
    form = report_form(tier)
    if missing_answers(app, form):
        raise InvalidInput("Some questions still need an answer.")
    if any(q.type == "photos" and q.required for q in form.questions) and not photos(session, application_id):
        raise InvalidInput("Please add the receipts or a financial statement.")
    row = get_report(session, application_id)
    row.status, row.submitted_at = "submitted", utcnow()
    applications.transition(session, application_id, Status.report_submitted, actor="group")


def approve_report(session: Session, officer: Officer, application_id: int) -> None:
    from steunwijzer import review

    review.check_access(session, officer, application_id)
    row = get_report(session, application_id)
    row.status, row.approved_at, row.approved_by = "approved", utcnow(), officer.username
    applications.transition(session, application_id, Status.closed, actor=officer.username, note="report approved")


def ask_about_report(session: Session, officer: Officer, application_id: int, text: str) -> None:
    from steunwijzer import review

    review.check_access(session, officer, application_id)
    body = clean_text(text)
    if not body:
        raise InvalidInput("Please write your question.")
    session.add(MessageRow(application_id=application_id, sender="officer", author=officer.username, text=body, language="nl"))
    get_report(session, application_id).status = "draft"
    applications.transition(session, application_id, Status.granted, actor=officer.username, note="question about the report")
    audit.record(session, officer.username, "report.ask", application_id=application_id)
