"""Storage: SQLAlchemy 2 tables, the engine (SQLite in WAL mode by default, any URL by setting)
and migrations with Alembic."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict: JSON, list: JSON, Decimal: Numeric(12, 2), datetime: DateTime(), date: Date()}


class FundRow(Base):
    __tablename__ = "funds"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict]
    in_app: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ApplicationRow(Base):
    __tablename__ = "applications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fund_id: Mapped[str] = mapped_column(ForeignKey("funds.id"), index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    locale: Mapped[str] = mapped_column(String(8))
    route: Mapped[str] = mapped_column(String(16), default="questions")
    resume_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Copies of a few answers, kept for the officers' queue (filters, search, sort).
    group_name: Mapped[str | None] = mapped_column(String(200))
    amount_asked: Mapped[Decimal | None]
    language: Mapped[str | None] = mapped_column(String(8), index=True)
    current_question: Mapped[str | None] = mapped_column(String(64))
    profile: Mapped[dict] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    # Case handling (issue 13): every version of an application is a row; `case_id` is the id of
    # the first version and is the number officers see. Notes, reads and assignment follow the case.
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    assigned_to: Mapped[str | None] = mapped_column(String(64), index=True)
    needs_action: Mapped[str | None] = mapped_column(String(24), index=True)  # workflow.Move.needs of the last move
    changed_at: Mapped[datetime | None]            # last change the officers have to read
    revision: Mapped[int] = mapped_column(Integer, default=0)  # optimistic check: +1 on every move
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_at: Mapped[datetime | None]
    report_due: Mapped[date | None]

    __table_args__ = (
        Index("ix_applications_queue", "status", "submitted_at"),
        # The inbox (issue 13): counting a filter reads this index only (funds, status, needs action,
        # overdue reports, search), and each sortable column has an index to walk in order.
        Index("ix_applications_inbox", "fund_id", "status", "needs_action", "report_due", "group_name", "contact_name"),
        Index("ix_applications_amount_asked", "amount_asked"),
        Index("ix_applications_group_name", "group_name"),
        Index("ix_applications_contact_name", "contact_name"),
        Index("ix_applications_report_due", "report_due"),
    )


class AnswerRow(Base):
    __tablename__ = "answers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    form: Mapped[str] = mapped_column(String(32), default="application")  # application | report
    question_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[dict]  # {"v": <JSON value>} so that any answer type fits one column
    language: Mapped[str | None] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(16), default="typed")
    audio_id: Mapped[int | None] = mapped_column(ForeignKey("audio.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("application_id", "form", "question_id", name="uq_answer_per_question"),)


class AudioRow(Base):
    __tablename__ = "audio"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    form: Mapped[str] = mapped_column(String(32), default="application")
    question_id: Mapped[str | None] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    duration_s: Mapped[float | None]
    transcript: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delete_after: Mapped[date | None] = mapped_column(index=True)


class PhotoRow(Base):
    __tablename__ = "photos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    mime: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StatusChangeRow(Base):
    __tablename__ = "status_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageRow(Base):
    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(16))  # officer | group
    author: Mapped[str | None] = mapped_column(String(64))
    template_key: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    audio_id: Mapped[int | None] = mapped_column(ForeignKey("audio.id", ondelete="SET NULL"))
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DecisionRow(Base):
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    amount_eur: Mapped[Decimal | None]
    conditions: Mapped[str | None] = mapped_column(Text)
    payment: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    referred_to: Mapped[str | None] = mapped_column(String(200))
    report_tier: Mapped[str | None] = mapped_column(String(16))
    officer: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default="final")  # final | pending (four eyes) | rejected
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None]
    warning_reason: Mapped[str | None] = mapped_column(Text)  # why more than asked or than the fund's maximum


class CaseNoteRow(Base):
    """Officers only: private notes, requests for a second opinion and the advice given.
    `application_id` is the case (the first version's id); never exported to the group."""

    __tablename__ = "case_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # note | advice_request | advice
    author: Mapped[str] = mapped_column(String(64))
    to_officer: Mapped[str | None] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseReadRow(Base):
    """When an officer last opened a case (for "unread since the last change")."""

    __tablename__ = "case_reads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(Integer)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("officer", "case_id", name="uq_case_read"),)


class SavedFilterRow(Base):
    __tablename__ = "saved_filters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict]

    __table_args__ = (UniqueConstraint("officer", "name", name="uq_saved_filter"),)


class ReportRow(Base):
    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    tier: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | submitted | approved
    due_date: Mapped[date | None]
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(64))


class OfficerRow(Base):
    __tablename__ = "officers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    fund_ids: Mapped[list] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttemptRow(Base):
    """Failed attempts (officer logins, resume codes), for rate limits."""

    __tablename__ = "attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_attempts_lookup", "scope", "key", "at"),)


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    application_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[dict] = mapped_column(default=dict)


# ---- engine ----------------------------------------------------------------------------

def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted personal data is overwritten, not left in free pages
    cursor.close()


class Database:
    """An engine and its session factory. One per process (pages share it)."""

    def __init__(self, url: str) -> None:
        self.url = url
        kwargs: dict = {"future": True}
        if url.startswith("sqlite"):
            if url.startswith("sqlite:///") and ":memory:" not in url:
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error."""
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def checkpoint(self) -> None:
        """After a deletion: copy the WAL into the database file and empty it, so deleted rows are
        not readable from the WAL either (SQLite only; PostgreSQL needs nothing here)."""
        if self.url.startswith("sqlite"):
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def migrate(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""
        from alembic import command

        command.upgrade(alembic_config(self), "head")
        self.refresh_statistics()

    def refresh_statistics(self) -> None:
        """SQLite picks the inbox's indexes well only with table statistics (measured: a sorted
        first page of 100,000 applications in 0.2 ms with them, 200–330 ms without). Refreshed at
        start-up; about 0.1 s per 100,000 applications. PostgreSQL keeps its own (autovacuum)."""
        if self.url.startswith("sqlite"):
            with self.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE applications")

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(settings) -> Database:
    """The configured database, migrated to the newest schema (the CLI and the app start here)."""
    settings.ensure_data_dir()
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    return db


def alembic_config(db: Database):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    cfg.attributes["engine"] = db.engine
    return cfg
