"""A way back for a lost resume code. The group types the e-mail address it gave; every
application with that contact address gets a new code by mail (the old code stops working).
The page always shows the same sentence, so nobody can find out which addresses are known.
Requests are limited per address and per client (attempts table, scope "lostcode"). An officer on
the phone can do the same with `python -m steunwijzer applications new-code --id N`."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from steunwijzer import audit, auth, notify
from steunwijzer.errors import TOO_MANY_TRIES, NotFound, TooManyAttempts
from steunwijzer.models import Status
from steunwijzer.store import AnswerRow, ApplicationRow

SCOPE = "lostcode"
PER_ADDRESS = 3                  # new codes mailed per address per day
PER_CLIENT = 5                   # requests per browser session per hour
CLOSED_HASH_PREFIXES = ("superseded:", "deleted:", "purged:")


def replace_code(session: Session, application_id: int, secret_key: bytes, actor: str) -> str:
    """A new resume code for an application; the old one stops working. Returns the new code
    (it is stored only as a keyed hash)."""
    row = session.get(ApplicationRow, application_id)
    if row is None or row.resume_hash.startswith(CLOSED_HASH_PREFIXES):
        raise NotFound("This application does not exist.")
    code = auth.new_resume_code()
    row.resume_hash = auth.hash_resume_code(code, secret_key)
    audit.record(session, actor, "application.new_code", application_id=row.id)
    return code


def _address_key(email: str) -> str:
    return "addr:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]


def applications_with_address(session: Session, email: str) -> list[tuple[int, str]]:
    """(application id, address as the group wrote it) for every application whose contact
    answer has this address (in any case), still open to its group."""
    wanted = email.strip().lower()
    found = []
    rows = session.execute(select(AnswerRow.application_id, AnswerRow.value).join(
        ApplicationRow, ApplicationRow.id == AnswerRow.application_id).where(
        AnswerRow.form == "application", AnswerRow.question_id == notify.contact_question_id(), ApplicationRow.status != Status.withdrawn))
    for application_id, value in rows:
        contact = value.get("contact") if isinstance(value, dict) else None
        if isinstance(contact, dict) and (contact.get("email") or "").strip().lower() == wanted:
            found.append((application_id, contact["email"]))
    return found


def request_new_code(session: Session, email: str, client_address: str | None, secret_key: bytes, settings=None) -> int:
    """'I lost my code'. Mails a new code for every application with this contact address.
    Raises only for a bad address or too many requests from this client; returns how many
    mails were made (the page must not show it)."""
    email = notify.check_email(email)
    # limits per client address and per e-mail address (atomic counters), never for everyone at once
    if auth.bump(session, SCOPE, "*", client_address or auth.NO_ADDRESS, timedelta(hours=1)) > PER_CLIENT:
        raise TooManyAttempts(TOO_MANY_TRIES, minutes=60)
    if auth.bump(session, SCOPE, _address_key(email), "*", timedelta(days=1)) > PER_ADDRESS:
        return 0  # the same answer on the page; this address simply gets no more mail today
    made = 0
    for application_id, address in applications_with_address(session, email):
        if session.get(ApplicationRow, application_id).resume_hash.startswith(CLOSED_HASH_PREFIXES):
            continue
        code = replace_code(session, application_id, secret_key, actor="group")
        if notify.lost_code(session, application_id, address, code, settings=settings):
            made += 1
    return made
