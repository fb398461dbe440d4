"""Officer accounts (argon2 hashes), volunteer resume codes (HMAC hashes) and attempt limits.

Attempt limits never let one person lock out another: officer passwords are limited per client
address *and* username, resume codes per client address and per typed code. There is no limit
for the whole server, so a correct code or password from another address always gets through
(the 60-bit resume codes and 12-character passwords are the real protection). Counters are
single rows raised atomically (INSERT … ON CONFLICT DO UPDATE … RETURNING, on SQLite and
PostgreSQL), so parallel requests cannot slip past a limit between a count and an insert.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from steunwijzer import audit
from steunwijzer.errors import InvalidInput, NotAllowed, NotFound, Plural, SessionEnded, TooManyAttempts
from steunwijzer.models import Officer
from steunwijzer.store import AttemptCounterRow, OfficerRow, utcnow

MIN_PASSWORD_LENGTH = 12
LOGIN_FAILURES_ALLOWED = 5           # per username per client address per window
LOGIN_WINDOW = timedelta(minutes=15)
RESUME_FAILURES_PER_ADDRESS = 20     # wrong codes from one client address per window
RESUME_FAILURES_PER_CODE = 5         # the same wrong code, from any address, per window
RESUME_WINDOW = timedelta(minutes=15)
NO_ADDRESS = "unknown"               # the client address when the caller cannot tell it

_hasher = PasswordHasher()
# Checked against when the username does not exist, so that a refusal costs the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))

# ---- attempt counters -------------------------------------------------------------------


def _address(client_address: str | None) -> str:
    return (client_address or NO_ADDRESS).strip()[:64] or NO_ADDRESS


def bump(session: Session, scope: str, subject: str, client: str, window: timedelta, by: int = 1) -> int:
    """Add `by` to one counter and return its new value, in one atomic statement, committed at
    once (the caller may go on to raise, which would otherwise roll the count back). A counter
    whose window has passed starts again."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(dialect)
    table = AttemptCounterRow.__table__
    now = utcnow()
    expired = table.c.window_start < now - window
    stmt = insert(table).values(scope=scope, subject=subject[:128], client=client[:64], count=max(by, 0), window_start=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.scope, table.c.subject, table.c.client],
        set_={"count": case((expired, max(by, 0)), else_=func.max(table.c.count + by, 0) if dialect == "sqlite"
                            else func.greatest(table.c.count + by, 0)),
              "window_start": case((expired, now), else_=table.c.window_start)},
    ).returning(table.c.count)
    value = session.execute(stmt).scalar_one()
    session.commit()
    return value


def _count(session: Session, scope: str, subject: str, client: str, window: timedelta) -> int:
    row = session.get(AttemptCounterRow, (scope, subject[:128], client[:64]))
    if row is None or row.window_start < utcnow() - window:
        return 0
    return row.count


# ---- officers ---------------------------------------------------------------------------


def _to_officer(row: OfficerRow) -> Officer:
    return Officer(id=row.id, username=row.username, is_admin=row.is_admin, fund_ids=list(row.fund_ids or []),
                   active=row.active, full_name=row.full_name, job_title=row.job_title)


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(Plural("The password must be at least {n} character long.",
                                  "The password must be at least {n} characters long.", "n"), n=MIN_PASSWORD_LENGTH)


def _clean_line(value: str | None, limit: int = 200) -> str | None:
    """A name or title: one line, no control or bidi characters, None when empty."""
    if value is None:
        return None
    text = "".join(c for c in value if c.isprintable() and not ("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069"))
    text = " ".join(text.split())[:limit]
    return text or None


def add_officer(session: Session, username: str, password: str, is_admin: bool = False,
                fund_ids: list[str] | None = None, actor: str = "cli", full_name: str | None = None,
                job_title: str | None = None) -> Officer:
    officer = Officer(username=username, is_admin=is_admin, fund_ids=fund_ids or [])  # validates the name
    check_password_strength(password)
    if session.scalar(select(OfficerRow).where(func.lower(OfficerRow.username) == username.lower())):
        raise InvalidInput("An officer with this username already exists.")
    row = OfficerRow(username=officer.username, password_hash=_hasher.hash(password), is_admin=is_admin,
                     fund_ids=officer.fund_ids, full_name=_clean_line(full_name), job_title=_clean_line(job_title))
    session.add(row)
    session.flush()
    audit.record(session, actor, "officer.add", officer=username, admin=is_admin, funds=",".join(officer.fund_ids))
    return _to_officer(row)


def list_officers(session: Session, include_inactive: bool = False) -> list[Officer]:
    query = select(OfficerRow).order_by(OfficerRow.username)
    if not include_inactive:
        query = query.where(OfficerRow.active)
    return [_to_officer(r) for r in session.scalars(query)]


def _row_for(session: Session, username: str) -> OfficerRow:
    row = session.scalar(select(OfficerRow).where(OfficerRow.username == username))
    if row is None:
        raise NotFound("This officer does not exist.")
    return row


def _other_active_admins(session: Session, row: OfficerRow) -> int:
    return session.scalar(select(func.count()).select_from(OfficerRow)
                          .where(OfficerRow.is_admin, OfficerRow.active, OfficerRow.id != row.id)) or 0


def _keep_one_admin(session: Session, row: OfficerRow) -> None:
    if row.is_admin and row.active and _other_active_admins(session, row) == 0:
        raise NotAllowed("The last active administrator cannot be disabled or lose the administrator role.")


def set_active(session: Session, username: str, active: bool, actor: str) -> Officer:
    """Disable or enable an account. A disabled officer cannot log in, and an open session of
    theirs ends at its next click (the shell reads the account on every rerun)."""
    row = _row_for(session, username)
    if not active:
        _keep_one_admin(session, row)
    if row.active != active:
        row.active = active
        audit.record(session, actor, "officer.enable" if active else "officer.disable", officer=row.username)
    return _to_officer(row)


_UNSET = object()


def update_officer(session: Session, username: str, actor: str, *, is_admin: bool | None = None,
                   fund_ids: list[str] | None = None, full_name=_UNSET, job_title=_UNSET) -> Officer:
    """Change role, funds, full name or job title; only what is given changes."""
    row = _row_for(session, username)
    changes: dict[str, object] = {}
    if is_admin is not None and is_admin != row.is_admin:
        if not is_admin:
            _keep_one_admin(session, row)
        row.is_admin = is_admin
        changes["admin"] = is_admin
    if fund_ids is not None:
        wanted = sorted(dict.fromkeys(f.strip() for f in fund_ids if f and f.strip()))
        if wanted != sorted(row.fund_ids or []):
            row.fund_ids = wanted
            changes["funds"] = ",".join(wanted) or "*"
    for field, value in (("full_name", full_name), ("job_title", job_title)):
        if value is not _UNSET:
            cleaned = _clean_line(value)
            if cleaned != getattr(row, field):
                setattr(row, field, cleaned)
                changes[field] = cleaned or ""
    if changes:
        audit.record(session, actor, "officer.change", officer=row.username, **changes)
    return _to_officer(row)


def set_password(session: Session, username: str, password: str, actor: str) -> None:
    row = _row_for(session, username)
    check_password_strength(password)
    row.password_hash = _hasher.hash(password)
    audit.record(session, actor, "officer.set_password", officer=row.username)


def unlock(session: Session, username: str, actor: str) -> int:
    """Clear the failed-login counters of a username (from every address). Returns how many
    addresses were locked."""
    row = _row_for(session, username)
    key = row.username.lower()
    locked = locked_addresses(session, row.username)
    session.execute(delete(AttemptCounterRow).where(AttemptCounterRow.scope == "login", AttemptCounterRow.subject == key))
    audit.record(session, actor, "officer.unlock", officer=row.username, addresses=locked)
    return locked


def locked_addresses(session: Session, username: str) -> int:
    """From how many client addresses this username is locked right now."""
    return session.scalar(select(func.count()).select_from(AttemptCounterRow).where(
        AttemptCounterRow.scope == "login", AttemptCounterRow.subject == username.strip().lower()[:128],
        AttemptCounterRow.count >= LOGIN_FAILURES_ALLOWED, AttemptCounterRow.window_start >= utcnow() - LOGIN_WINDOW)) or 0


def login(session: Session, username: str, password: str, client_address: str | None) -> Officer:
    """Check an officer's password. A refusal says nothing about whether the username exists:
    one message for unknown, disabled and wrong; the same password check (and time) for each;
    the same counter (per address + typed username) for each.

    The try is counted *before* the password is checked, atomically, so however many requests
    arrive at once, at most LOGIN_FAILURES_ALLOWED are evaluated per window."""
    key = (username or "").strip().lower()[:128]
    address = _address(client_address)
    tries = bump(session, "login", key, address, LOGIN_WINDOW)
    if tries > LOGIN_FAILURES_ALLOWED:
        raise TooManyAttempts(Plural("Too many failed attempts. Try again in {minutes} minute.",
                                     "Too many failed attempts. Try again in {minutes} minutes.", "minutes"), minutes=int(LOGIN_WINDOW.total_seconds() // 60))
    row = session.scalar(select(OfficerRow).where(func.lower(OfficerRow.username) == key))
    try:
        if row is None or not row.active:
            _hasher.verify(_DUMMY_HASH, password or "")  # spend the same time as a real check
            raise VerificationError()
        _hasher.verify(row.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        audit.record(session, key or "?", "officer.login_failed", address=address)
        session.commit()
        raise InvalidInput("Username or password is not correct.") from None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    session.execute(delete(AttemptCounterRow).where(AttemptCounterRow.scope == "login", AttemptCounterRow.subject == key,
                                                    AttemptCounterRow.client == address))
    audit.record(session, row.username, "officer.login", address=address)
    return _to_officer(row)


def get_officer(session: Session, username: str) -> Officer:
    row = session.scalar(select(OfficerRow).where(OfficerRow.username == username, OfficerRow.active))
    if row is None:
        raise NotFound("This officer does not exist.")
    return _to_officer(row)


def get_officer_any(session: Session, username: str) -> Officer:
    """An account, active or disabled (for administrators)."""
    return _to_officer(_row_for(session, username))


def session_officer(session: Session, username: str, started_at: datetime, seen_at: datetime, now: datetime,
                    idle_minutes: float, max_hours: float) -> Officer:
    """The officer behind an open session, read from the database on every use (never cached
    in the session): an account disabled, removed or with other funds counts from the next
    click. Raises SessionEnded when the session is idle too long, too old, or the account
    cannot be used any more."""
    if now - seen_at > timedelta(minutes=idle_minutes):
        raise SessionEnded("You were logged out because you were inactive for a while.", reason="idle")
    if now - started_at > timedelta(hours=max_hours):
        raise SessionEnded(Plural("You were logged out because you were logged in for {hours} hour. Please log in again.",
                                  "You were logged out because you were logged in for {hours} hours. Please log in again.",
                                  "hours"),
                           hours=max_hours if max_hours % 1 else int(max_hours), reason="lifetime")
    row = session.scalar(select(OfficerRow).where(OfficerRow.username == username))
    if row is None or not row.active:
        raise SessionEnded("Your session has ended. Please log in again.", reason="account")
    return _to_officer(row)


# ---- resume codes -----------------------------------------------------------------------
# Crockford's base32 alphabet: no I, L, O, U, so a code read aloud or typed cannot be confused.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_CHARS = 12                      # 12 × 5 bits = 60 bits of entropy
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_resume_code() -> str:
    """A code like 'K7QM-2XPA-9RTB': 60 random bits, easy to read aloud and to type."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_CHARS))
    return "-".join(raw[i:i + 4] for i in range(0, _CODE_CHARS, 4))


def normalize_resume_code(text: str) -> str:
    cleaned = re.sub(r"[\s\-_.]", "", (text or "").upper()).translate(_CONFUSABLES)
    if len(cleaned) != _CODE_CHARS or any(c not in _ALPHABET for c in cleaned):
        raise InvalidInput("This code is not complete. It has 12 letters and numbers, like K7QM-2XPA-9RTB.")
    return cleaned


def hash_resume_code(code: str, secret_key: bytes) -> str:
    """Keyed hash of a normalised code. The code itself is never stored."""
    return hmac.new(secret_key, normalize_resume_code(code).encode(), hashlib.sha256).hexdigest()


def _code_key(code: str | None, secret_key: bytes) -> str | None:
    try:
        return hash_resume_code(code or "", secret_key)
    except InvalidInput:
        return None


def _too_many_codes() -> TooManyAttempts:
    return TooManyAttempts(Plural("Too many wrong codes. Wait {minutes} minute and try again.",
                                  "Too many wrong codes. Wait {minutes} minutes and try again.", "minutes"), minutes=int(RESUME_WINDOW.total_seconds() // 60))


def reserve_resume_try(session: Session, client_address: str | None, code: str | None, secret_key: bytes) -> None:
    """Count a resume try from this address before the code is looked up (atomically, so
    parallel requests cannot get past the limit) and refuse it when the address, or this very
    code, had too many wrong tries. A correct code hands its try back (`resume_succeeded`),
    so the counter holds wrong codes only. Nothing here is shared between addresses, so nobody
    can lock out a group that has its right code."""
    address = _address(client_address)
    if bump(session, "resume_addr", address, "", RESUME_WINDOW) > RESUME_FAILURES_PER_ADDRESS:
        raise _too_many_codes()
    key = _code_key(code, secret_key)
    if key and _count(session, "resume_code", key, "", RESUME_WINDOW) >= RESUME_FAILURES_PER_CODE:
        raise _too_many_codes()


def resume_failed(session: Session, code: str | None, secret_key: bytes) -> None:
    key = _code_key(code, secret_key)
    if key:
        bump(session, "resume_code", key, "", RESUME_WINDOW)


def resume_succeeded(session: Session, client_address: str | None) -> None:
    bump(session, "resume_addr", _address(client_address), "", RESUME_WINDOW, by=-1)
