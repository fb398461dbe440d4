"""Everything that runs on a clock: reminders to groups, the officers' daily digest, fund alerts,
clean-up, and then sending what is due. Above notify and alerts, which it drives."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from steunwijzer import alerts, notify, outbox
from steunwijzer.store import utcnow


def run_scheduled(session: Session, now: datetime | None = None, settings=None) -> dict:
    """Reminders, the daily digest (after DIGEST_HOUR), fund alerts and clean-up. Safe to run as
    often as you like: every scheduled mail has a key that lets it out only once."""
    settings = notify.settings_or_default(settings)
    now = now or utcnow()
    today = now.date()
    counts = notify.schedule_reminders(session, today, settings)
    counts["officer_digest"] = notify.officer_digest(session, today, settings) if now.hour >= notify.DIGEST_HOUR else 0
    counts["fund_alert"] = alerts.schedule_fund_alerts(session, today, settings)
    counts["alerts_forgotten"] = alerts.forget_stale(session, now)
    counts["outbox_pruned"] = outbox.prune(session, now)
    return counts


def run_due(db, settings=None, now: datetime | None = None) -> tuple[dict, "outbox.SendResult"]:
    """The one periodic job: add what is due (run_scheduled), then send what is due. This is what
    `outbox send` runs, and what a scheduler (cron, the task queue) calls every few minutes."""
    settings = notify.settings_or_default(settings)
    now = now or utcnow()
    with db.session() as session:
        scheduled = run_scheduled(session, now, settings)
    return scheduled, outbox.send_due(db, settings, now)
