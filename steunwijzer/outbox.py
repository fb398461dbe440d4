"""The outbox: every e-mail is stored first and sent later by `send_due`, which retries with
back-off. A mail server that is down loses nothing; a mail that was accepted is never sent again.

How "sent once" holds: a sender first *claims* a due mail (one UPDATE that only succeeds for one
process: state queued → sending, with a lease), hands it to the server, and marks it sent in its
own transaction straight after the server said 250. Only a crash in the few milliseconds between
the server's 250 and that commit can repeat a mail (when its lease runs out); the fixed Message-ID
lets the receiving side drop such a twin.

Settings: STEUNWIJZER_SMTP_URL (`smtp://user:pw@host:587` = STARTTLS, required;
`smtps://user:pw@host:465` = TLS from the first byte; `?cafile=/path.pem` trusts an own CA,
`?starttls=off` only for a relay on the same machine), STEUNWIJZER_MAIL_FROM."""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from steunwijzer import audit
from steunwijzer.errors import ConfigurationError
from steunwijzer.store import Database, OutboxRow, utcnow

MAX_TRIES = 20                      # about 3.5 days of retrying with the back-off below
FIRST_DELAY = timedelta(minutes=1)  # doubles after every failed try ...
MAX_DELAY = timedelta(hours=6)      # ... up to this
LEASE = timedelta(minutes=10)       # a claimed mail whose sender died is tried again after this
BATCH = 100
KEEP_SENT = timedelta(days=30)      # sent and failed mails (with the address) are kept this long
REMOVED = "(removed after sending)"
# Mails whose body must not stay in the database once sent (the lost-code mail holds a code).
SECRET_KINDS = frozenset({"lost_code"})


# ---- the mail server ---------------------------------------------------------------------

@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    cafile: str | None = None
    timeout: float = 30.0

    def tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.cafile)


def parse_smtp_url(url: str) -> SmtpTarget:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigurationError("STEUNWIJZER_SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465.")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    implicit = parts.scheme == "smtps"
    return SmtpTarget(
        host=parts.hostname, port=parts.port or (465 if implicit else 587), implicit_tls=implicit,
        starttls=not implicit and query.get("starttls", "on").lower() not in ("off", "no", "0", "false"),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        cafile=query.get("cafile"), timeout=float(query.get("timeout", 30)))


def mail_enabled(settings) -> bool:
    return bool(settings.smtp_url)


def connect(target: SmtpTarget) -> smtplib.SMTP:
    """An open, authenticated connection. STARTTLS is required for smtp:// (unless switched off),
    so a password never travels in clear and a stripped STARTTLS offer is noticed."""
    local = "steunwijzer.localhost"
    if target.implicit_tls:
        conn: smtplib.SMTP = smtplib.SMTP_SSL(target.host, target.port, local_hostname=local, timeout=target.timeout,
                                              context=target.tls_context())
    else:
        conn = smtplib.SMTP(target.host, target.port, local_hostname=local, timeout=target.timeout)
    try:
        conn.ehlo()
        if target.starttls:
            if not conn.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError("the mail server does not offer STARTTLS")
            conn.starttls(context=target.tls_context())
            conn.ehlo()
        if target.username:
            conn.login(target.username, target.password or "")
    except BaseException:
        conn.close()
        raise
    return conn


# ---- storing ------------------------------------------------------------------------------

def enqueue(session: Session, *, kind: str, recipient: str, recipient_type: str, language: str, subject: str,
            text: str, html: str, application_id: int | None = None, dedupe_key: str | None = None,
            headers: dict | None = None, now: datetime | None = None) -> OutboxRow | None:
    """Store a mail to be sent. With a `dedupe_key` that was used before, nothing is stored (None)."""
    if dedupe_key and session.scalar(select(OutboxRow.id).where(OutboxRow.dedupe_key == dedupe_key)):
        return None
    row = OutboxRow(kind=kind, recipient=recipient, recipient_type=recipient_type, language=language, subject=subject,
                    body_text=text, body_html=html, headers=headers or {}, application_id=application_id,
                    dedupe_key=dedupe_key, state="queued", tries=0, next_try=now or utcnow())
    session.add(row)
    session.flush()
    return row


def entries(session: Session, state: str | None = None, limit: int = 200) -> list[OutboxRow]:
    query = select(OutboxRow).order_by(OutboxRow.id.desc()).limit(limit)
    if state:
        query = query.where(OutboxRow.state == state)
    return list(session.scalars(query))


def as_dict(row: OutboxRow) -> dict:
    """A row for `outbox list --json` (no bodies: they may hold a code)."""
    return {"id": row.id, "kind": row.kind, "recipient": row.recipient, "recipient_type": row.recipient_type,
            "language": row.language, "subject": row.subject, "state": row.state, "tries": row.tries,
            "last_error": row.last_error, "next_try": row.next_try.isoformat(timespec="seconds"),
            "created_at": row.created_at.isoformat(timespec="seconds"),
            "sent_at": row.sent_at.isoformat(timespec="seconds") if row.sent_at else None,
            "application_id": row.application_id}


def prune(session: Session, now: datetime | None = None) -> int:
    """Forget sent and failed mails after KEEP_SENT: the outbox is no address book. A scheduled
    mail (one with a dedupe key) keeps an empty row, so that its reminder is not made again."""
    cutoff = (now or utcnow()) - KEEP_SENT
    old = (OutboxRow.state.in_(("sent", "failed")), OutboxRow.created_at < cutoff)
    gone = session.execute(delete(OutboxRow).where(*old, OutboxRow.dedupe_key.is_(None))).rowcount or 0
    emptied = session.execute(update(OutboxRow).where(*old, OutboxRow.dedupe_key.is_not(None), OutboxRow.recipient != "")
                              .values(recipient="", subject="", body_text="", body_html="", headers={})).rowcount or 0
    return gone + emptied


# ---- sending ------------------------------------------------------------------------------

def build_message(row: OutboxRow, mail_from: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = mail_from
    msg["To"] = row.recipient
    msg["Subject"] = row.subject
    msg["Date"] = format_datetime(row.created_at.replace(tzinfo=None), usegmt=False)
    domain = (parseaddr(mail_from)[1].rpartition("@")[2] or "steunwijzer.localhost").strip(">")
    msg["Message-ID"] = f"<steunwijzer.{row.id}.{int(row.created_at.timestamp())}@{domain}>"
    msg["Auto-Submitted"] = "auto-generated"
    for name, value in (row.headers or {}).items():
        msg[name] = value
    msg.set_content(row.body_text)
    msg.add_alternative(row.body_html, subtype="html")
    msg["Content-Language"] = row.language  # after the body: making it multipart moves Content-* headers down
    return msg


@dataclass
class SendResult:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    mail_off: bool = False
    errors: list[str] = field(default_factory=list)


def _delay(tries: int) -> timedelta:
    return min(FIRST_DELAY * (2 ** max(tries - 1, 0)), MAX_DELAY)


def _claim(db: Database, now: datetime, limit: int) -> list[int]:
    """Take due mails for this sender. The conditional UPDATE lets only one process win a mail."""
    claimed = []
    with db.session() as s:
        due = s.execute(select(OutboxRow.id, OutboxRow.state, OutboxRow.next_try)
                        .where(OutboxRow.state.in_(("queued", "sending")), OutboxRow.next_try <= now)
                        .order_by(OutboxRow.next_try, OutboxRow.id).limit(limit)).all()
        for mail_id, state, next_try in due:
            won = s.execute(update(OutboxRow).where(OutboxRow.id == mail_id, OutboxRow.state == state,
                                                     OutboxRow.next_try == next_try)
                            .values(state="sending", next_try=now + LEASE)).rowcount
            if won:
                claimed.append(mail_id)
    return claimed


def _permanent(exc: Exception) -> bool:
    """A 5xx answer means the server will never take this mail; anything else may pass later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500 and not isinstance(exc, smtplib.SMTPServerDisconnected)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                         for code, msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        err = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {err}"
    return f"{type(exc).__name__}: {exc}"[:500]


def _finish(db: Database, mail_id: int, now: datetime, error: BaseException | None, permanent: bool = False) -> str:
    with db.session() as s:
        row = s.get(OutboxRow, mail_id)
        if error is None:
            row.state, row.sent_at, row.last_error = "sent", now, None
            row.tries += 1
            if row.kind in SECRET_KINDS:
                row.body_text = row.body_html = REMOVED
            audit.record(s, "mail", "mail.sent", application_id=row.application_id, kind=row.kind,
                         recipient=row.recipient_type, outbox_id=row.id)
            return "sent"
        row.tries += 1
        row.last_error = _describe(error)
        if permanent or row.tries >= MAX_TRIES:
            row.state = "failed"
            if row.kind in SECRET_KINDS:
                row.body_text = row.body_html = REMOVED
            audit.record(s, "mail", "mail.failed", application_id=row.application_id, kind=row.kind,
                         recipient=row.recipient_type, outbox_id=row.id, error=row.last_error)
            return "failed"
        row.state, row.next_try = "queued", now + _delay(row.tries)
        return "retry"


def send_due(db: Database, settings, now: datetime | None = None, limit: int = BATCH) -> SendResult:
    """Send what is due now over one connection. Without STEUNWIJZER_SMTP_URL nothing happens
    (the mails wait). Never raises for a mail server problem: it is written to the mail."""
    result = SendResult()
    if not mail_enabled(settings):
        result.mail_off = True
        return result
    target = parse_smtp_url(settings.smtp_url.get_secret_value())  # SecretStr: the password stays out of reprs and logs
    now = now or utcnow()
    ids = _claim(db, now, limit)
    if not ids:
        return result

    def tally(outcome: str) -> None:
        setattr(result, outcome, getattr(result, outcome) + 1)

    try:
        conn = connect(target)
    except (OSError, smtplib.SMTPException, socket.timeout, ssl.SSLError) as exc:
        result.errors.append(_describe(exc))
        # The server is not there, or refuses us (a wrong password is fixed by an operator, not
        # by giving up on the mails): every mail waits for the next try.
        for mail_id in ids:
            tally(_finish(db, mail_id, now, exc))
        return result
    try:
        for position, mail_id in enumerate(ids):
            with db.session() as s:
                msg = build_message(s.get(OutboxRow, mail_id), settings.mail_from)
            envelope_from = parseaddr(settings.mail_from)[1] or settings.mail_from
            try:
                conn.send_message(msg, from_addr=envelope_from, to_addrs=[msg["To"]])
            except smtplib.SMTPServerDisconnected as exc:
                result.errors.append(_describe(exc))
                for rest in ids[position:]:  # the connection is gone: this and the rest wait
                    tally(_finish(db, rest, now, exc))
                return result
            except (smtplib.SMTPException, OSError) as exc:
                result.errors.append(_describe(exc))
                tally(_finish(db, mail_id, now, exc, permanent=_permanent(exc)))
                try:
                    conn.rset()
                except (smtplib.SMTPException, OSError):
                    pass
            else:
                tally(_finish(db, mail_id, now, None))
    finally:
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            conn.close()
    return result
