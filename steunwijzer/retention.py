"""Retention: audio and personal data of finished applications are deleted after the retention
period. A skeleton (fund, status, amounts, dates) stays for the municipality's statistics."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from steunwijzer import audit
from steunwijzer.applications import FINISHED
from steunwijzer.store import AnswerRow, ApplicationRow, AudioRow, MessageRow, PhotoRow, utcnow


def due_for_purge(session: Session, retention_days: int, now: datetime | None = None) -> list[int]:
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    return list(session.scalars(select(ApplicationRow.id).where(
        ApplicationRow.status.in_([str(s) for s in FINISHED]), ApplicationRow.closed_at.is_not(None),
        ApplicationRow.closed_at < cutoff, ApplicationRow.group_name.is_not(None) | ApplicationRow.id.in_(
            select(AnswerRow.application_id)))))


def purge(session: Session, retention_days: int, dry_run: bool = False, now: datetime | None = None, actor: str = "purge") -> dict:
    """Delete what the retention period no longer allows to keep. Returns counts of what went."""
    ids = due_for_purge(session, retention_days, now)
    counts = {"applications": len(ids), "answers": 0, "audio": 0, "photos": 0, "messages": 0}
    if not ids or dry_run:
        return counts
    for name, table in (("answers", AnswerRow), ("messages", MessageRow), ("audio", AudioRow), ("photos", PhotoRow)):
        counts[name] = session.execute(delete(table).where(table.application_id.in_(ids))).rowcount or 0
    for row in session.scalars(select(ApplicationRow).where(ApplicationRow.id.in_(ids))):
        row.group_name = None
        row.profile = {}
        row.resume_hash = f"purged:{row.id}"
        audit.record(session, actor, "application.purge", application_id=row.id)
    audit.record(session, actor, "purge", retention_days=retention_days, **counts)
    return counts


def register(sub) -> None:
    p = sub.add_parser("purge", help="Delete audio and personal data of finished applications after the retention period.",
                       description="Delete audio and personal data of finished applications whose retention period "
                                   "(STEUNWIJZER_RETENTION_DAYS) has passed. What is removed is written to the audit log.")
    p.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")
    p.add_argument("--days", type=int, help="Override the retention period in days.")
    p.set_defaults(handler=_cli)


def _cli(args, db) -> int:
    from steunwijzer.config import get_settings

    days = args.days if args.days is not None else get_settings().retention_days
    with db.session() as s:
        counts = purge(s, days, dry_run=args.dry_run)
    verb = "Would delete" if args.dry_run else "Deleted"
    print(f"{verb}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0
