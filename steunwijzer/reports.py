"""The report after a grant: the questions its tier asks, saved as they are given, sent,
then approved by an officer (which closes the grant and starts the retention clock)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from steunwijzer import accountability, applications, audit, forms, workflow
from steunwijzer.access import check_access
from steunwijzer.errors import InvalidInput, Msg, NotAllowed, NotFound, Plural
from steunwijzer.models import Application, BudgetLine, Form, Officer, QuestionType, Role
from steunwijzer.store import ApplicationRow, MessageRow, PhotoRow, ReportRow, utcnow
from steunwijzer.text import clean_text
from steunwijzer.workflow import Action

PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/heic": "heic", "image/heif": "heic"}
MAX_PHOTOS = 12


def report_form(tier: str) -> Form:
    """The report questions for a tier: a lighter report asks fewer questions."""
    form = forms.load_form("report_questions")
    return form.model_copy(update={"questions": [q for q in form.questions
                                                 if accountability.tier_includes(tier, q.tier or "story")]})


def open_report(session: Session, application_id: int, tier: str, due_days: int) -> None:
    """Called when a grant is decided: the report becomes due. A corrected grant keeps the due
    date and asks the report its new amount needs (lighter or heavier), if none was sent yet."""
    existing = session.scalar(select(ReportRow).where(ReportRow.application_id == application_id))
    if existing is not None:
        if existing.status == "draft":
            existing.tier = tier
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
    saved = next((a for a in application.report_answers.values()
                  if isinstance(a.value, list) and a.value and isinstance(a.value[0], BudgetLine)), None)
    if saved is not None:
        return saved.value
    planned = forms.value_by_role(application.answers, Role.budget) or []
    return [line.model_copy(update={"spent": None}) for line in planned]


def spending_raw(lines: list[BudgetLine], spent_texts: list[str]) -> list[dict]:
    """The planned lines with what the group typed as spent, as the spending validator takes them."""
    return [{"item": line.item, "amount": line.amount, "spent": text} for line, text in zip(lines, spent_texts)]


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
        raise InvalidInput(Plural("You can add at most {n} photo.", "You can add at most {n} photos.", "n"), n=MAX_PHOTOS)
    photo = PhotoRow(application_id=application_id, mime=mime, filename=(filename or "")[:200], data=data)
    session.add(photo)
    session.flush()
    return photo.id


def photos(session: Session, application_id: int) -> list[PhotoRow]:
    return list(session.scalars(select(PhotoRow).where(PhotoRow.application_id == application_id).order_by(PhotoRow.id)))


def missing_answers(application: Application, form: Form) -> list[str]:
    return [q.id for q in form.questions if q.required and q.type != QuestionType.photos and application.report_answers.get(q.id) is None]


def _report_step(session: Session, application_id: int, action: Action, actor: str, note: str | None = None) -> ReportRow:
    """Move the report by its own table, and the application with it."""
    row = get_report(session, application_id)
    target = workflow.report_target(row.status, action)
    if target is None:
        raise NotAllowed("There is no report to send for this application.")
    applications.step(session, application_id, action, actor=actor, note=note)
    row.status = target
    return row


def send_report(session: Session, application_id: int, given: dict[str, dict], locale: str) -> None:
    """The use case "the group sends its report": every answer checked and stored, then sent.

    `given` maps question id → {"raw": what was typed, and optionally "language", "source",
    "audio_id"}. A wrong answer is refused with its question, in one message."""
    app = applications.load(session, application_id)
    if not workflow.may(app, Action.report, "group"):
        raise NotAllowed("There is no report to send for this application.")
    row = get_report(session, application_id)
    form = report_form(row.tier)
    for question in form.questions:
        if question.type == QuestionType.photos or question.id not in given:
            continue
        answer = given[question.id]
        try:
            applications.give_answer(session, application_id, question, answer["raw"], locale, form="report",
                                     language=answer.get("language"), source=answer.get("source", "typed"),
                                     audio_id=answer.get("audio_id"))
        except InvalidInput as exc:
            raise InvalidInput("{question}: {problem}", question=Msg(question.text), problem=exc) from None
    if missing_answers(applications.load(session, application_id), form):
        raise InvalidInput("Some questions still need an answer.")
    if any(q.type == QuestionType.photos and q.required for q in form.questions) and not photos(session, application_id):
        raise InvalidInput("Please add the receipts or a financial statement.")
    _report_step(session, application_id, Action.report, actor="group").submitted_at = utcnow()


def report_document(session: Session, application_id: int, locale: str, extra_photos=()) -> bytes:
    """The report as .docx: its tier's questions, and the stored photos with their file names."""
    from steunwijzer import documents, funds

    app = applications.load(session, application_id)
    row = session.scalar(select(ReportRow).where(ReportRow.application_id == application_id))
    pictures = [(p.data, p.filename or f"photo-{p.id}") for p in photos(session, application_id)]
    return documents.report_docx(app, report_form(row.tier) if row else None, funds.get_fund(session, app.fund_id), locale,
                                 [*pictures, *extra_photos])


def approve_report(session: Session, officer: Officer, application_id: int) -> None:
    check_access(session, officer, application_id)
    row = _report_step(session, application_id, Action.approve_report, actor=officer.username, note="report approved")
    row.approved_at, row.approved_by = utcnow(), officer.username
    audit.record(session, officer.username, "report.approve", application_id=application_id)


def ask_about_report(session: Session, officer: Officer, application_id: int, text: str) -> None:
    check_access(session, officer, application_id)
    body = clean_text(text)
    if not body:
        raise InvalidInput("Please write your question.")
    session.add(MessageRow(application_id=application_id, sender="officer", author=officer.username, text=body, language="nl"))
    _report_step(session, application_id, Action.ask_about_report, actor=officer.username, note="question about the report")
    audit.record(session, officer.username, "report.ask", application_id=application_id)
