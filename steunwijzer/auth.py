"""Officer accounts (argon2 hashes), volunteer resume codes (HMAC hashes) and attempt limits."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from steunwijzer import audit
from steunwijzer.errors import InvalidInput, NotFound, TooManyAttempts
from steunwijzer.models import Officer
from steunwijzer.store import AttemptRow, OfficerRow, utcnow

MIN_PASSWORD_LENGTH = 12
LOGIN_FAILURES_ALLOWED = 5           # per username per window
LOGIN_WINDOW = timedelta(minutes=15)
RESUME_FAILURES_PER_CLIENT = 10      # per browser session per window
RESUME_FAILURES_GLOBAL = 300         # all clients together per window
RESUME_WINDOW = timedelta(minutes=15)

_hasher = PasswordHasher()

# ---- officers ---------------------------------------------------------------------------


def _to_officer(row: OfficerRow) -> Officer:
    return Officer(id=row.id, username=row.username, is_admin=row.is_admin, fund_ids=list(row.fund_ids or []))


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("The password must be at least {n} characters long.", n=MIN_PASSWORD_LENGTH)


def add_officer(session: Session, username: str, password: str, is_admin: bool = False,
                fund_ids: list[str] | None = None, actor: str = "cli") -> Officer:
    officer = Officer(username=username, is_admin=is_admin, fund_ids=fund_ids or [])  # validates the name
    check_password_strength(password)
    if session.scalar(select(OfficerRow).where(OfficerRow.username == username)):
        raise InvalidInput("An officer with this username already exists.")
    row = OfficerRow(username=officer.username, password_hash=_hasher.hash(password), is_admin=is_admin,
                     fund_ids=officer.fund_ids)
    session.add(row)
    session.flush()
    audit.record(session, actor, "officer.add", username=username, admin=is_admin)
    return _to_officer(row)


def list_officers(session: Session) -> list[Officer]:
    return [_to_officer(r) for r in session.scalars(select(OfficerRow).where(OfficerRow.active).order_by(OfficerRow.username))]


def _recent_failures(session: Session, scope: str, key: str, window: timedelta) -> int:
    since = utcnow() - window
    return session.scalar(
        select(func.count()).select_from(AttemptRow).where(AttemptRow.scope == scope, AttemptRow.key == key, AttemptRow.at >= since)
    ) or 0


def _fail(session: Session, scope: str, key: str) -> None:
    """Record a failed attempt and commit at once: the caller goes on to raise, which would
    otherwise roll the record back and make the limit useless."""
    session.add(AttemptRow(scope=scope, key=key))
    session.commit()


def login(session: Session, username: str, password: str) -> Officer:
    """Check an officer's password. Raises InvalidInput (same message for unknown user and wrong
    password) or TooManyAttempts."""
    key = (username or "").strip().lower()[:128]
    if _recent_failures(session, "login", key, LOGIN_WINDOW) >= LOGIN_FAILURES_ALLOWED:
        raise TooManyAttempts("Too many failed attempts. Try again in {minutes} minutes.", minutes=int(LOGIN_WINDOW.total_seconds() // 60))
    row = session.scalar(select(OfficerRow).where(func.lower(OfficerRow.username) == key, OfficerRow.active))
    try:
        if row is None:
            _hasher.hash(password or "x")  # spend the same time as a real check
            raise VerificationError()
        _hasher.verify(row.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        audit.record(session, key or "?", "officer.login_failed")
        _fail(session, "login", key)
        raise InvalidInput("Username or password is not correct.") from None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    session.execute(delete(AttemptRow).where(AttemptRow.scope == "login", AttemptRow.key == key))
    audit.record(session, row.username, "officer.login")
    return _to_officer(row)


def get_officer(session: Session, username: str) -> Officer:
    row = session.scalar(select(OfficerRow).where(OfficerRow.username == username, OfficerRow.active))
    if row is None:
        raise NotFound("This officer does not exist.")
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


def check_resume_limits(session: Session, client_key: str) -> None:
    if _recent_failures(session, "resume", client_key[:128], RESUME_WINDOW) >= RESUME_FAILURES_PER_CLIENT:
        raise TooManyAttempts("Too many wrong codes. Wait {minutes} minutes and try again.", minutes=int(RESUME_WINDOW.total_seconds() // 60))
    if _recent_failures(session, "resume", "*", RESUME_WINDOW) >= RESUME_FAILURES_GLOBAL:
        raise TooManyAttempts("Too many wrong codes. Wait {minutes} minutes and try again.", minutes=int(RESUME_WINDOW.total_seconds() // 60))


def record_resume_failure(session: Session, client_key: str) -> None:
    _fail(session, "resume", client_key[:128])
    _fail(session, "resume", "*")
