"""An application's life: draft → submitted → (questions back) → decision → report → closed.

Every answer is written the moment it is given. Volunteers come back with a resume code; only
its keyed hash is stored."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from steunwijzer import answer_types, audit, auth, forms, notify, workflow
from steunwijzer.errors import Conflict, InvalidInput, Msg, NotAllowed, NotFound
from steunwijzer.i18n import N_
from steunwijzer.models import Answer, Application, Decision, Message, Outcome, Question, Role, Status, StatusChange
from steunwijzer.store import (
    AnswerRow,
    ApplicationRow,
    AudioRow,
    DecisionRow,
    FundRow,
    LetterRow,
    MessageRow,
    PhotoRow,
    CaseNoteRow,
    StatusChangeRow,
    TranscriptionJobRow,
    utcnow,
)
from steunwijzer.workflow import Action

def _answer(row: AnswerRow) -> Answer:
    return Answer(question_id=row.question_id, value=answer_types.from_json(row.value), language=row.language,
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
    row.case_id = row.id
    session.add(StatusChangeRow(application_id=row.id, from_status=None, to_status=Status.draft, actor="group"))
    return load(session, row.id), code


def resume(session: Session, code: str, client_address: str | None, secret_key: bytes) -> Application:
    """The application behind a resume code. Wrong codes are limited per client address and per
    code (never for everyone at once), and the message never tells whether an application exists."""
    auth.reserve_resume_try(session, client_address, code, secret_key)
    code_hash = auth.hash_resume_code(code, secret_key)  # an incomplete code keeps its counted try
    row = session.scalar(select(ApplicationRow).where(ApplicationRow.resume_hash == code_hash))
    if row is None or row.status == Status.withdrawn:
        auth.resume_failed(session, code, secret_key)
        raise InvalidInput("We do not know this code. Check it and try again.")
    auth.resume_succeeded(session, client_address)
    return load(session, row.id)


def _row(session: Session, application_id: int) -> ApplicationRow:
    row = session.get(ApplicationRow, application_id)
    if row is None:
        raise NotFound("This application does not exist.")
    return row


def _decision(row: DecisionRow) -> Decision:
    return Decision(
        id=row.id, outcome=row.outcome, amount_eur=row.amount_eur, conditions=row.conditions,
        condition_keys=row.condition_keys or [], payment=row.payment, fixed_at_once=row.fixed_at_once,
        reason=row.reason, reason_keys=row.reason_keys or [], referred_to=row.referred_to,
        report_tier=row.report_tier, suggestions=row.suggestions or [], officer=row.officer,
        created_at=row.created_at, state=row.state, approved_by=row.approved_by, warning_reason=row.warning_reason)


def load(session: Session, application_id: int) -> Application:
    row = _row(session, application_id)
    answers = list(session.scalars(select(AnswerRow).where(AnswerRow.application_id == row.id)))
    history = session.scalars(select(StatusChangeRow).where(StatusChangeRow.application_id == row.id).order_by(StatusChangeRow.id))
    messages = session.scalars(select(MessageRow).where(MessageRow.application_id == row.id).order_by(MessageRow.id))
    decisions = session.scalars(select(DecisionRow).where(DecisionRow.application_id == row.id, DecisionRow.state != "rejected")
                                .order_by(DecisionRow.id.desc())).all()
    standing = next((d for d in decisions if d.state == "final"), None)
    return Application(
        id=row.id, fund_id=row.fund_id, status=Status(row.status), locale=row.locale, route=row.route,
        answers={a.question_id: _answer(a) for a in answers if a.form == "application"},
        report_answers={a.question_id: _answer(a) for a in answers if a.form == "report"},
        message_answers={a.question_id: _answer(a) for a in answers if a.form == "message"},
        profile=row.profile or {},
        history=[StatusChange(from_status=h.from_status, to_status=h.to_status, actor=h.actor, note=h.note, at=h.at) for h in history],
        messages=[Message(id=m.id, sender=m.sender, author=m.author, template_key=m.template_key, text=m.text,
                          language=m.language, audio_id=m.audio_id, created_at=m.created_at) for m in messages],
        decision=_decision(decisions[0]) if decisions else None,
        standing_while_pending=_decision(standing) if standing is not None and standing is not decisions[0] else None,
        created_at=row.created_at, submitted_at=row.submitted_at, consent_at=row.consent_at,
        case_id=row.case_id or row.id, version=row.version or 1, revision=row.revision or 0, assigned_to=row.assigned_to,
    )


def current_question(session: Session, application_id: int) -> str | None:
    return _row(session, application_id).current_question


def set_current_question(session: Session, application_id: int, question_id: str) -> None:
    _row(session, application_id).current_question = question_id


# ---- answers ------------------------------------------------------------------------------

# Answers of a form are stored only while the group may do this move, and what it reads otherwise.
# (A report's answers have no rule here; sending the report checks that it is due.)
_STORED_WHEN = {
    "application": (Action.edit, N_("This application was sent and cannot be changed.")),
    "message": (Action.answer, N_("There is no open question to answer.")),
}


def may_store(status: Status | str, form: str) -> bool:
    """Whether answers of `form` may be stored now, by the group or by a transcript."""
    action = _STORED_WHEN.get(form, (None,))[0]
    return action is None or workflow.may(status, action, "group")


def save_answer(session: Session, application_id: int, question_id: str, value, language: str | None = None,
                source: str = "typed", audio_id: int | None = None, form: str = "application") -> None:
    """Store one already validated answer at once. `value` None removes the answer."""
    row = _row(session, application_id)
    if not may_store(row.status, form):
        raise NotAllowed(_STORED_WHEN[form][1])
    existing = session.scalar(select(AnswerRow).where(
        AnswerRow.application_id == application_id, AnswerRow.form == form, AnswerRow.question_id == question_id))
    if value is None:
        if existing is not None:
            session.delete(existing)
    elif existing is None:
        session.add(AnswerRow(application_id=application_id, form=form, question_id=question_id,
                              value=answer_types.to_json(value), language=language, source=source, audio_id=audio_id))
    else:
        stored = answer_types.to_json(value)
        if (existing.value, existing.language, existing.source) == (stored, language, source) and audio_id in (None, existing.audio_id):
            return  # nothing changed: no write
        existing.value, existing.language, existing.source = stored, language, source
        existing.audio_id = audio_id if audio_id is not None else existing.audio_id
        existing.updated_at = utcnow()
    if form == "application":
        _copy_for_queue(row, question_id, value, language, source)
    row.updated_at = utcnow()


def _copy_for_queue(row: ApplicationRow, question_id: str, value, language: str | None, source: str) -> None:
    """The queue filters and sorts on a few answers; their copies live on the application row.
    The application's language is the language of its first answer in the group's own words."""
    try:
        question = forms.application_form().question(question_id)
    except KeyError:
        return  # a fund's extra question: plays no role
    if question.role == Role.group_name:
        row.group_name = value
    elif question.role == Role.amount_asked:
        row.amount_asked = value
    elif question.role == Role.contact:
        row.contact_name = getattr(value, "name", None)
    if language and source != "choice" and question.is_open_text:
        row.language = row.language or language
    row.current_question = question_id


def give_answer(session: Session, application_id: int, question: Question, raw, locale: str, *,
                language: str | None = None, source: str = "typed", audio_id: int | None = None,
                form: str = "application", complete: bool = True):
    """The use case "the group answers a question": validate what was typed or said and store it.

    `complete=False` is for saving while typing: an empty or unfinished answer is not an error
    yet (it is when the group presses "Save and go on" or "Send"). Returns the stored value."""
    checked = question if complete else question.model_copy(update={"required": False})
    value = answer_types.validate(checked, raw, locale)
    save_answer(session, application_id, question.id, value, language=language or locale, source=source,
                audio_id=audio_id, form=form)
    return value


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


# ---- status: every move goes through the workflow table ----------------------------------------

def step(session: Session, application_id: int, action: Action, actor: str, outcome: Outcome | None = None,
         note: str | None = None, expected_revision: int | None = None, target: Status | None = None) -> Status:
    """Move an application by `action` as the workflow table allows, and record it. Returns the
    new status. Anything the table does not allow is refused.

    The move is one conditional UPDATE on the status (and, when given, the revision the caller
    saw): when two officers act at once, the second one's transaction changes no row and is
    refused with `Conflict` instead of silently overwriting the first."""
    row = _row(session, application_id)
    current = Status(row.status)
    if expected_revision is not None and expected_revision != row.revision:
        raise Conflict("Another officer changed this application a moment ago (it is now: {status}). Nothing was saved. "
                       "Look at it again.", status=Msg(workflow.officer_label(current)))
    move = workflow.find_move(current, action, outcome, target)
    role = "group" if actor == "group" else ("system" if actor in ("purge", "system") else "officer")
    if move is None or role not in move.actors:
        raise NotAllowed("This cannot be done now. The application has status {status}.", status=current.value)
    target = move.target or current
    now = utcnow()
    seen = row.revision if expected_revision is None else expected_revision
    changed = session.execute(
        update(ApplicationRow)
        .where(ApplicationRow.id == row.id, ApplicationRow.status == current, ApplicationRow.revision == seen)
        .values(status=target, revision=seen + 1, changed_at=now,
                needs_action=move.needs if move.target is not None else row.needs_action)
        .execution_options(synchronize_session="fetch")).rowcount
    if changed != 1:
        raise Conflict("Another officer changed this application a moment ago (it is now: {status}). Nothing was saved. "
                       "Look at it again.", status=Msg(workflow.officer_label(current)))
    session.refresh(row)
    if target == Status.submitted and row.submitted_at is None:
        row.submitted_at = now
    if target in workflow.FINISHED and row.closed_at is None:
        row.closed_at = now  # starts the retention clock
    if move.target is not None:
        session.add(StatusChangeRow(application_id=row.id, from_status=current, to_status=target, actor=actor, note=note, at=now))
    return target


def missing(session: Session, application: Application) -> list[str]:
    """The required questions of this application (its fund's form, its route) still open."""
    from steunwijzer import funds

    fund = funds.get_fund(session, application.fund_id)
    questions = forms.application_form(fund).questions_for(application.route)
    return [q.id for q in questions if q.required and application.answers.get(q.id) is None]


def open_questions(session: Session, application_id: int) -> int:
    return session.scalar(select(func.count()).select_from(MessageRow).where(
        MessageRow.application_id == application_id, MessageRow.sender == "officer", MessageRow.answered.is_(False))) or 0


def submit(session: Session, application_id: int, consent: bool) -> None:
    """Send the application: every required question answered, and the group agreed. A changed
    version is sent again: back to the officer, or, while a question is open, still waiting for
    the group's answer."""
    if missing(session, load(session, application_id)):
        raise InvalidInput("Some questions still need an answer.")
    if not consent:
        raise InvalidInput("Please agree that we store your answers, so we can handle your application.")
    row = _row(session, application_id)
    row.consent_at = utcnow()
    if row.status == Status.changing:
        target = Status.waiting_for_group if open_questions(session, application_id) else Status.submitted
        step(session, application_id, Action.resend, actor="group", target=target, note=f"version {row.version}")
        audit.record(session, "group", "application.resend", application_id=application_id, case=row.case_id,
                     version=row.version)
    else:
        step(session, application_id, Action.submit, actor="group")
    notify.application_received(session, application_id)


def new_version(session: Session, application_id: int) -> Application:
    """"Change my application" after sending: a new version of the same case.

    The old version is kept unchanged (status "older version", for the diff and the history); the
    new one gets a copy of the answers (recordings included) and takes the case along: the
    resume code, the questions and answers with the officer (open ones stay open), the
    recordings, the assignment and the first sending date (the promised answer date). Officers
    keep seeing one case, "being changed" until the group sends it again."""
    old = _row(session, application_id)
    if workflow.may(old.status, Action.edit):
        return load(session, old.id)
    if not workflow.may(old.status, Action.change, "group"):
        raise NotAllowed("This application cannot be changed any more.")
    case_id = old.case_id or old.id
    new = ApplicationRow(fund_id=old.fund_id, status=Status.changing, locale=old.locale, route=old.route,
                         resume_hash=old.resume_hash, group_name=old.group_name, amount_asked=old.amount_asked,
                         contact_name=old.contact_name, language=old.language, profile=old.profile,
                         version=(old.version or 1) + 1, previous_id=old.id, case_id=case_id, assigned_to=old.assigned_to,
                         submitted_at=old.submitted_at, consent_at=old.consent_at, changed_at=utcnow())
    old.resume_hash = f"superseded:{old.id}"
    session.flush()
    session.add(new)
    session.flush()
    for answer in session.scalars(select(AnswerRow).where(AnswerRow.application_id == old.id, AnswerRow.form == "application")):
        session.add(AnswerRow(application_id=new.id, form="application", question_id=answer.question_id, value=answer.value,
                              language=answer.language, source=answer.source, audio_id=answer.audio_id))
    # The thread and the recordings belong to the case: they move to its current version.
    for table in (MessageRow, AudioRow):
        session.execute(update(table).where(table.application_id == old.id).values(application_id=new.id)
                        .execution_options(synchronize_session=False))
    session.add(StatusChangeRow(application_id=new.id, from_status=old.status, to_status=Status.changing, actor="group",
                                note=f"version {new.version}"))
    step(session, old.id, Action.change, actor="group", note=f"version {new.version}")
    audit.record(session, "group", "application.new_version", application_id=new.id, case=case_id,
                 version=new.version, previous=old.id)
    return load(session, new.id)


def cancel_change(session: Session, application_id: int, actor: str = "group") -> Application:
    """"Cancel my change" before sending it again (also what the retention does with a change
    nobody touched for the draft period: it is never sent on the group's behalf).

    The version being changed is dropped with its answers and the recordings made for it; the
    version sent before counts again, where it was (with its open question), with the thread, the
    resume code and the assignment. Returns that version."""
    new = _row(session, application_id)
    step(session, new.id, Action.cancel_change, actor=actor)  # only a version being changed
    old = _row(session, new.previous_id)
    before = session.scalar(select(StatusChangeRow.from_status).where(
        StatusChangeRow.application_id == old.id, StatusChangeRow.to_status == Status.superseded)
        .order_by(StatusChangeRow.id.desc()))
    # The thread goes back, and the recordings made before the change or used by the thread;
    # the ones made for the change go with it.
    used = set(session.scalars(select(AudioRow.id).where(AudioRow.application_id == new.id,
                                                         AudioRow.created_at < new.created_at)))
    used |= {a for a in session.scalars(select(MessageRow.audio_id).where(MessageRow.application_id == new.id)) if a}
    for table in (MessageRow, CaseNoteRow):
        session.execute(update(table).where(table.application_id == new.id).values(application_id=old.id)
                        .execution_options(synchronize_session=False))
    for table, column in ((AudioRow, AudioRow.id), (TranscriptionJobRow, TranscriptionJobRow.audio_id)):
        session.execute(update(table).where(table.application_id == new.id, column.in_(used)).values(application_id=old.id)
                        .execution_options(synchronize_session=False))
    code_hash, old.assigned_to = new.resume_hash, new.assigned_to
    new.resume_hash = f"cancelled:{new.id}"  # (unique: freed first)
    session.flush()
    old.resume_hash = code_hash
    step(session, old.id, Action.restore, actor=actor, target=Status(before), note=f"version {new.version} not sent")
    audit.record(session, actor, "application.cancel_change", application_id=old.id, case=old.case_id or old.id,
                 version=new.version)
    session.delete(new)  # its answers, the recordings made for it and its history go with it
    session.flush()
    return load(session, old.id)


# ---- forgetting ---------------------------------------------------------------------------

PERSONAL_TABLES = (("answers", AnswerRow), ("audio", AudioRow), ("photos", PhotoRow), ("messages", MessageRow),
                   ("letters", LetterRow), ("transcription_jobs", TranscriptionJobRow), ("notes", CaseNoteRow))


def versions(session: Session, application_id: int) -> list[int]:
    """Every version of an application: the ones it replaced and the ones that replaced it."""
    found, todo = set(), [application_id]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        row = session.get(ApplicationRow, current)
        if row is None:
            continue
        if row.previous_id:
            todo.append(row.previous_id)
        todo.extend(session.scalars(select(ApplicationRow.id).where(ApplicationRow.previous_id == current)))
    return sorted(found)


def personal_data_counts(session: Session, application_ids: list[int]) -> dict[str, int]:
    """How many rows of personal data these applications hold, per kind (what `forget` deletes)."""
    counts = {"applications": len(application_ids)}
    for name, table in PERSONAL_TABLES:
        counts[name] = session.scalar(select(func.count()).select_from(table).where(table.application_id.in_(application_ids))) or 0
    return counts


def forget(session: Session, application_id: int, actor: str, reason: str, action: Action = Action.delete) -> dict[str, int]:
    """Forget an application and all its versions: answers (also the report's), recordings,
    photos, messages, the personal parts of the decision and the group's name and profile. What
    stays is a skeleton without personal data (fund, status, amounts, dates) and one audit line
    per version. Returns what was deleted, per kind."""
    ids = versions(session, application_id)
    counts = personal_data_counts(session, ids)
    for _, table in PERSONAL_TABLES:
        session.execute(delete(table).where(table.application_id.in_(ids)))
    session.execute(update(DecisionRow).where(DecisionRow.application_id.in_(ids))
                    .values(conditions=None, reason=None, referred_to=None))
    session.execute(update(StatusChangeRow).where(StatusChangeRow.application_id.in_(ids)).values(note=None))
    role = "system" if action == Action.purge else "officer"
    for version_id in ids:
        row = _row(session, version_id)
        if workflow.may(row.status, action, role):
            step(session, version_id, action, actor=actor)
        row.group_name, row.contact_name, row.profile, row.current_question = None, None, {}, None
        row.resume_hash = f"{action.value}d:{row.id}"
        row.closed_at = row.closed_at or utcnow()
        audit.record(session, actor, f"application.{action.value}", application_id=version_id, reason=reason)
    return counts


def set_audio_transcript(session: Session, audio_id: int, application_id: int, transcript: str, language: str,
                         duration_s: float) -> None:
    audio = session.get(AudioRow, audio_id)
    if audio is None or audio.application_id != application_id:
        raise NotFound("This recording does not exist.")
    audio.transcript, audio.language, audio.duration_s = transcript, language, duration_s
