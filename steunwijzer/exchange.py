"""Applications as JSON (exchange with other systems, backup) and as CSV (the officers' case
system). The JSON round-trips without loss: typed answer values carry a tag."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from steunwijzer import answer_types, applications, audit
from steunwijzer.errors import InvalidInput
from steunwijzer.text import csv_cell
from steunwijzer.models import BankAccount, BudgetLine, Contact, Decision, Message, Status, StatusChange
from steunwijzer.store import ApplicationRow, DecisionRow, MessageRow, StatusChangeRow

FORMAT = "steunwijzer.application/1"


class _Tagged(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlainValue(_Tagged):
    v: str | int | list[str]


class DecimalValue(_Tagged):
    decimal: Decimal


class DateValue(_Tagged):
    date: date


class ContactValue(_Tagged):
    contact: Contact


class BankValue(_Tagged):
    bankaccount: BankAccount


class BudgetValue(_Tagged):
    budget: list[BudgetLine]


class ExportedAnswer(_Tagged):
    value: PlainValue | DecimalValue | DateValue | ContactValue | BankValue | BudgetValue
    language: str | None = None
    source: Literal["typed", "voice", "choice"] = "typed"


class ApplicationExport(_Tagged):
    """One application, as `applications export` prints it and `applications import` reads it."""

    format: Literal["steunwijzer.application/1"] = FORMAT
    id: int | None = None
    fund_id: str
    status: Status
    locale: str
    route: Literal["questions", "pitch"]
    created_at: datetime | None = None
    submitted_at: datetime | None = None
    consent_at: datetime | None = None
    profile: dict = {}
    answers: dict[str, ExportedAnswer]
    report_answers: dict[str, ExportedAnswer] = {}
    history: list[StatusChange] = []
    messages: list[Message] = []
    decision: Decision | None = None
    case_id: int | None = None       # the case number; versions of one case share it
    version: int = 1


def _export_answers(answers) -> dict:
    return {qid: {"value": answer_types.to_json(a.value), "language": a.language, "source": a.source}
            for qid, a in sorted(answers.items())}


def export_application(session: Session, application_id: int, actor: str = "cli") -> dict:
    app = applications.load(session, application_id)
    data = {
        "format": FORMAT, "id": app.id, "fund_id": app.fund_id, "status": app.status, "locale": app.locale,
        "route": app.route, "created_at": app.created_at, "submitted_at": app.submitted_at, "consent_at": app.consent_at,
        "profile": app.profile, "answers": _export_answers(app.answers), "report_answers": _export_answers(app.report_answers),
        "history": app.history, "messages": [m.model_copy(update={"audio_id": None}) for m in app.messages], "decision": app.decision,
        "case_id": app.case_id, "version": app.version,
    }
    audit.record(session, actor, "application.export", application_id=application_id, case=app.case_id, version=app.version)
    return ApplicationExport.model_validate(data).model_dump(mode="json")


def import_application(session: Session, data: dict, secret_key: bytes, actor: str = "cli") -> tuple[int, str]:
    """Create an application from an export. Returns its new id and a new resume code."""
    try:
        parsed = ApplicationExport.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InvalidInput("Not a valid application file: {field}: {detail}",
                           field=".".join(map(str, err["loc"])) or "-", detail=err["msg"]) from None
    app, code = applications.start(session, parsed.fund_id, parsed.locale, secret_key, route=parsed.route, profile=parsed.profile)
    row = session.get(ApplicationRow, app.id)
    # the same save path as the group's own answers (the draft accepts them; the status comes last)
    for form, answers in (("application", parsed.answers), ("report", parsed.report_answers)):
        for qid, answer in answers.items():
            value = answer_types.from_json(answer.value.model_dump(mode="json"))
            applications.save_answer(session, app.id, qid, value, language=answer.language, source=answer.source, form=form)
    # history replaces the fresh "draft" entry that start() wrote
    for change in session.scalars(select(StatusChangeRow).where(StatusChangeRow.application_id == app.id)):
        session.delete(change)
    for change in parsed.history:
        session.add(StatusChangeRow(application_id=app.id, from_status=change.from_status, to_status=change.to_status,
                                    actor=change.actor, note=change.note, at=change.at))
    for m in parsed.messages:
        session.add(MessageRow(application_id=app.id, sender=m.sender, author=m.author, template_key=m.template_key,
                               text=m.text, language=m.language, created_at=m.created_at))
    if parsed.decision:
        d = parsed.decision
        session.add(DecisionRow(application_id=app.id, outcome=d.outcome, amount_eur=d.amount_eur, conditions=d.conditions,
                                payment=d.payment, reason=d.reason, referred_to=d.referred_to, report_tier=d.report_tier,
                                officer=d.officer or actor, created_at=d.created_at, state=d.state,
                                approved_by=d.approved_by, warning_reason=d.warning_reason))
    row.status = parsed.status
    row.version = parsed.version  # the imported file becomes a case of its own here
    row.created_at = parsed.created_at or row.created_at
    row.submitted_at, row.consent_at = parsed.submitted_at, parsed.consent_at
    audit.record(session, actor, "application.import", application_id=app.id)
    return app.id, code


def schema() -> dict:
    return ApplicationExport.model_json_schema()


CSV_COLUMNS = ("id", "status", "fund_id", "group_name", "amount_asked", "language", "submitted_at", "updated_at",
               "case_id", "version", "needs_action", "assigned_to", "contact_name", "answer_by")


def queue_csv(rows: list[ApplicationRow]) -> str:
    """The queue as CSV, one row per application, amounts with a decimal point."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(getattr(row, c, None)) for c in CSV_COLUMNS])
    return out.getvalue()
