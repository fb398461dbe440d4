"""An application's life: draft → submitted → (questions back) → decision → report → closed.

Every answer is written the moment it is given. Volunteers come back with a resume code; only
its keyed hash is stored."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from steunwijzer import audit, auth
from steunwijzer.errors import InvalidInput, NotAllowed, NotFound
from steunwijzer.models import (
    Answer,
    Application,
    BankAccount,
    BudgetLine,
    Contact,
    Decision,
    Message,
    Status,
    StatusChange,
)
from steunwijzer.store import (
    AnswerRow,
    ApplicationRow,
    AudioRow,
    DecisionRow,
    FundRow,
    MessageRow,
    StatusChangeRow,
    utcnow,
)

# The workflow as a table: from each status, where it may go. Anything else is refused.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.draft: frozenset({Status.submitted, Status.withdrawn}),
    Status.submitted: frozenset({Status.waiting_for_group, Status.granted, Status.refused, Status.referred, Status.withdrawn}),
    Status.waiting_for_group: frozenset({Status.submitted, Status.granted, Status.refused, Status.referred, Status.withdrawn}),
    Status.granted: frozenset({Status.report_submitted, Status.closed}),
    Status.report_submitted: frozenset({Status.granted, Status.closed}),
    Status.refused: frozenset({Status.closed}),
    Status.referred: frozenset({Status.closed}),
    Status.withdrawn: frozenset(),
    Status.closed: frozenset(),
}
EDITABLE = frozenset({Status.draft})
FINISHED = frozenset({Status.closed, Status.withdrawn, Status.refused, Status.referred})


def can_transition(from_status: Status, to_status: Status) -> bool:
    return to_status in TRANSITIONS[from_status]


# ---- answer values in and out of JSON --------------------------------------------------------

def value_to_json(value):
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, (Contact, BankAccount)):
        return {type(value).__name__.lower(): value.model_dump(mode="json")}
    if isinstance(value, list) and value and isinstance(value[0], BudgetLine):
        return {"budget": [line.model_dump(mode="json") for line in value]}
    if hasattr(value, "isoformat"):
        return {"date": value.isoformat()}
    return {"v": value}


def value_from_json(data: dict):
    from datetime import date

    if "decimal" in data:
        return Decimal(data["decimal"])
    if "contact" in data:
        return Contact.model_validate(data["contact"])
    if "bankaccount" in data:
        return BankAccount.model_validate(data["bankaccount"])
    if "budget" in data:
        return [BudgetLine.model_validate(line) for line in data["budget"]]
    if "date" in data:
        return date.fromisoformat(data["date"])
    return data.get("v")


def _answer(row: AnswerRow) -> Answer:
    return Answer(question_id=row.question_id, value=value_from_json(row.value), language=row.language,
                  source=row.source, audio_id=row.audio_id, updated_at=row.updated_at)


# ---- creating and finding -----------------------------------------------------------------

def start(session: Session, fund_id: str, locale: str, secret_key: bytes, route: str = "questions",
          profile: dict | None = None, code: str | None = None) -> tuple[Application, str]:
    """A new draft and its resume code (shown once to the volunteer, never stored).
    `code` is only given for demo data; real applications always get a random one."""
    if session.get(FundRow, fund_id) is None:
        raise NotFound("This fund does not exist.")
    code = code or auth.new_resume_code()
    row = ApplicationRow(fund_id=fund_id, status=Status.draft, locale=locale, route=route,
                         resume_hash=auth.hash_resume_code(code, secret_key), profile=profile or {})
    session.add(row)
    session.flush()
    session.add(StatusChangeRow(application_id=row.id, from_status=None, to_status=Status.draft, actor="group"))
    return load(session, row.id), code


def resume(session: Session, code: str, client_key: str, secret_key: bytes) -> Application:
    """The application behind a resume code. Wrong codes are limited per client and globally,
    and the message never tells whether an application exists."""
    auth.check_resume_limits(session, client_key)
    try:
        code_hash = auth.hash_resume_code(code, secret_key)
    except InvalidInput:
        auth.record_resume_failure(session, client_key)
        raise
    row = session.scalar(select(ApplicationRow).where(ApplicationRow.resume_hash == code_hash))
    if row is None or row.status == Status.withdrawn:
        auth.record_resume_failure(session, client_key)
        raise InvalidInput("We do not know this code. Check it and try again.")
    return load(session, row.id)


def _row(session: Session, application_id: int) -> ApplicationRow:
    row = session.get(ApplicationRow, application_id)
    if row is None:
        raise NotFound("This application does not exist.")
    return row


def load(session: Session, application_id: int) -> Application:
    row = _row(session, application_id)
    answers = list(session.scalars(select(AnswerRow).where(AnswerRow.application_id == row.id)))
    history = session.scalars(select(StatusChangeRow).where(StatusChangeRow.application_id == row.id).order_by(StatusChangeRow.id))
    messages = session.scalars(select(MessageRow).where(MessageRow.application_id == row.id).order_by(MessageRow.id))
    decision = session.scalar(select(DecisionRow).where(DecisionRow.application_id == row.id).order_by(DecisionRow.id.desc()))
    return Application(
        id=row.id, fund_id=row.fund_id, status=Status(row.status), locale=row.locale, route=row.route,
        answers={a.question_id: _answer(a) for a in answers if a.form == "application"},
        report_answers={a.question_id: _answer(a) for a in answers if a.form == "report"},
        profile=row.profile or {},
        history=[StatusChange(from_status=h.from_status, to_status=h.to_status, actor=h.actor, note=h.note, at=h.at) for h in history],
        messages=[Message(id=m.id, sender=m.sender, author=m.author, template_key=m.template_key, text=m.text,
                          language=m.language, audio_id=m.audio_id, created_at=m.created_at) for m in messages],
        decision=None if decision is None else Decision(
            outcome=decision.outcome, amount_eur=decision.amount_eur, conditions=decision.conditions, payment=decision.payment,
            reason=decision.reason, referred_to=decision.referred_to, report_tier=decision.report_tier,
            officer=decision.officer, created_at=decision.created_at),
        created_at=row.created_at, submitted_at=row.submitted_at, consent_at=row.consent_at,
    )


def current_question(session: Session, application_id: int) -> str | None:
    return _row(session, application_id).current_question


def set_current_question(session: Session, application_id: int, question_id: str) -> None:
    _row(session, application_id).current_question = question_id


def set_route(session: Session, application_id: int, route: str) -> None:
    row = _row(session, application_id)
    if row.status not in EDITABLE:
        raise NotAllowed("This application was sent and cannot be changed.")
    if route not in ("questions", "pitch"):
        raise InvalidInput("Please choose one of the answers shown.")
    row.route = route


# ---- answers ------------------------------------------------------------------------------

def save_answer(session: Session, application_id: int, question_id: str, value, language: str | None = None,
                source: str = "typed", audio_id: int | None = None, form: str = "application") -> None:
    """Store one (already validated) answer at once. `value` None removes the answer."""
    row = _row(session, application_id)
    if form == "application" and row.status not in EDITABLE:
        raise NotAllowed("This application was sent and cannot be changed.")
    existing = session.scalar(select(AnswerRow).where(
        AnswerRow.application_id == application_id, AnswerRow.form == form, AnswerRow.question_id == question_id))
    if value is None:
        if existing is not None:
            session.delete(existing)
    elif existing is None:
        session.add(AnswerRow(application_id=application_id, form=form, question_id=question_id, value=value_to_json(value),
                              language=language, source=source, audio_id=audio_id))
    else:
        existing.value, existing.language, existing.source = value_to_json(value), language, source
        existing.audio_id = audio_id if audio_id is not None else existing.audio_id
        existing.updated_at = utcnow()
    if form == "application":
        if question_id == "group_name":
            row.group_name = value
        elif question_id == "amount_asked":
            row.amount_asked = value
        if language and source != "choice" and question_id in ("who_you_are", "plan", "pitch", "group_name"):
            row.language = row.language or language
        row.current_question = question_id
    row.updated_at = utcnow()


def store_audio(session: Session, application_id: int, data: bytes, mime: str, filename: str | None,
                duration_s: float | None, question_id: str | None, form: str = "application",
                transcript: str | None = None, language: str | None = None) -> int:
    _row(session, application_id)
    audio = AudioRow(application_id=application_id, form=form, question_id=question_id, mime=mime, filename=filename,
                     data=data, duration_s=duration_s, transcript=transcript, language=language)
    session.add(audio)
    session.flush()
    return audio.id


def audio_bytes(session: Session, audio_id: int, application_id: int) -> tuple[bytes, str]:
    """One recording, only for the application it belongs to."""
    audio = session.get(AudioRow, audio_id)
    if audio is None or audio.application_id != application_id:
        raise NotFound("This recording does not exist.")
    from steunwijzer.speech.audio import served_audio_type

    return audio.data, served_audio_type(audio.mime)


# ---- status ------------------------------------------------------------------------------

def transition(session: Session, application_id: int, to_status: Status, actor: str, note: str | None = None) -> None:
    row = _row(session, application_id)
    current = Status(row.status)
    if not can_transition(current, to_status):
        raise NotAllowed("An application with status {from_status} cannot become {to_status}.",
                         from_status=current.value, to_status=to_status.value)
    row.status = to_status
    now = utcnow()
    if to_status == Status.submitted and row.submitted_at is None:
        row.submitted_at = now
    if to_status in FINISHED:
        row.closed_at = now  # starts the retention clock
    session.add(StatusChangeRow(application_id=row.id, from_status=current, to_status=to_status, actor=actor, note=note, at=now))
    if actor != "group":
        audit.record(session, actor, f"application.{to_status.value}", application_id=row.id)


def submit(session: Session, application_id: int, consent: bool, required_missing: list[str]) -> None:
    """Send the application. The caller passes which required questions are still open."""
    if not consent:
        raise InvalidInput("Please agree that we store your answers, so we can handle your application.")
    if required_missing:
        raise InvalidInput("Some questions still need an answer.")
    row = _row(session, application_id)
    row.consent_at = utcnow()
    transition(session, application_id, Status.submitted, actor="group")


def new_version(session: Session, application_id: int) -> Application:
    """A new draft with the same answers, for changes after sending. The code moves along."""
    old = _row(session, application_id)
    if old.status in EDITABLE:
        return load(session, old.id)
    new = ApplicationRow(fund_id=old.fund_id, status=Status.draft, locale=old.locale, route=old.route,
                         resume_hash=old.resume_hash, group_name=old.group_name, amount_asked=old.amount_asked,
                         language=old.language, profile=old.profile, version=old.version + 1, previous_id=old.id)
    old.resume_hash = f"superseded:{old.id}"
    session.flush()
    session.add(new)
    session.flush()
    for answer in session.scalars(select(AnswerRow).where(AnswerRow.application_id == old.id, AnswerRow.form == "application")):
        session.add(AnswerRow(application_id=new.id, form="application", question_id=answer.question_id, value=answer.value,
                              language=answer.language, source=answer.source, audio_id=None))
    session.add(StatusChangeRow(application_id=new.id, from_status=None, to_status=Status.draft, actor="group",
                                note=f"new version of #{old.id}"))
    if can_transition(Status(old.status), Status.withdrawn):
        transition(session, old.id, Status.withdrawn, actor="group", note=f"replaced by #{new.id}")
    return load(session, new.id)


def missing_required(application: Application, questions) -> list[str]:
    return [q.id for q in questions if q.required and application.answers.get(q.id) is None]


def delete_application(session: Session, application_id: int, actor: str, reason: str) -> None:
    """Honour a group's request to delete its application: all answers, audio and messages go."""
    row = _row(session, application_id)
    for table in (AnswerRow, AudioRow, MessageRow):
        session.execute(delete(table).where(table.application_id == application_id))
    row.group_name = None
    row.profile = {}
    row.resume_hash = f"deleted:{row.id}"
    row.status = Status.closed if row.status != Status.withdrawn else row.status
    row.closed_at = utcnow()
    audit.record(session, actor, "application.delete", application_id=application_id, reason=reason)



def set_audio_transcript(session: Session, audio_id: int, application_id: int, transcript: str, language: str,
                         duration_s: float) -> None:
    audio = session.get(AudioRow, audio_id)
    if audio is None or audio.application_id != application_id:
        raise NotFound("This recording does not exist.")
    audio.transcript, audio.language, audio.duration_s = transcript, language, duration_s
