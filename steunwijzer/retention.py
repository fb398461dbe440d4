"""Retention: what the privacy text promises to forget, and when.

- finished applications (closed, refused, referred, withdrawn), `STEUNWIJZER_RETENTION_DAYS` after
  they finished;
- drafts nobody touched for `STEUNWIJZER_DRAFT_RETENTION_DAYS`;
- grants whose report never came, `STEUNWIJZER_RETENTION_DAYS` after the report was due;
- a change of a sent application that nobody touched for `STEUNWIJZER_DRAFT_RETENTION_DAYS`:
  the change is dropped and the version sent before counts again (`applications.cancel_change`;
  a change is never sent on the group's behalf).
Each application goes through `applications.forget`, so a purge forgets exactly what a deletion on request
forgets; a skeleton without personal data (fund, status, amounts, dates) stays for statistics."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from steunwijzer import applications, audit, workflow
from steunwijzer.models import Status
from steunwijzer.store import ApplicationRow, utcnow
from steunwijzer.workflow import Action


def due_for_purge(session: Session, retention_days: int, draft_days: int, now: datetime | None = None) -> list[int]:
    now = now or utcnow()
    finished_before = now - timedelta(days=retention_days)
    untouched_before = now - timedelta(days=draft_days)
    still_personal = ~ApplicationRow.resume_hash.like("%d:%")  # not yet deleted or purged
    return list(session.scalars(select(ApplicationRow.id).where(still_personal, or_(
        and_(ApplicationRow.status.in_([str(s) for s in workflow.FINISHED]), ApplicationRow.closed_at < finished_before),
        and_(ApplicationRow.status == Status.draft, ApplicationRow.updated_at < untouched_before),
        and_(ApplicationRow.status == Status.granted, ApplicationRow.report_due < finished_before.date()),
    )).order_by(ApplicationRow.id)))


def changes_not_sent(session: Session, draft_days: int, now: datetime | None = None) -> list[int]:
    untouched_before = (now or utcnow()) - timedelta(days=draft_days)
    return list(session.scalars(select(ApplicationRow.id).where(
        ApplicationRow.status == Status.changing, ApplicationRow.updated_at < untouched_before).order_by(ApplicationRow.id)))


def purge(session: Session, retention_days: int, draft_days: int = 90, dry_run: bool = False,
          now: datetime | None = None, actor: str = "purge") -> dict:
    """Forget what the retention periods no longer allow to keep. Returns counts of what goes
    (a dry run counts exactly what a real run deletes)."""
    stale_changes = changes_not_sent(session, draft_days, now)
    if not dry_run:
        for application_id in stale_changes:
            applications.cancel_change(session, application_id, actor=actor)
    due = due_for_purge(session, retention_days, draft_days, now)
    ids = sorted({v for application_id in due for v in applications.versions(session, application_id)})
    counts = {**applications.personal_data_counts(session, ids), "changes_not_sent": len(stale_changes)}
    if dry_run or not ids:
        return counts
    done: set[int] = set()
    for application_id in due:
        if application_id not in done:
            applications.forget(session, application_id, actor=actor, reason="retention period passed", action=Action.purge)
            done.update(applications.versions(session, application_id))
    audit.record(session, actor, "purge", retention_days=retention_days, draft_days=draft_days, **counts)
    return counts
