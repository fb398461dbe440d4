"""The audit log: who did what, when. Written in the same transaction as the action."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from steunwijzer.store import AuditRow


def record(session: Session, actor: str, action: str, application_id: int | None = None, **detail: object) -> None:
    session.add(AuditRow(actor=actor, action=action, application_id=application_id, detail={k: str(v) for k, v in detail.items()}))


def entries(session: Session, limit: int = 500, offset: int = 0) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit).offset(offset)))


def as_csv(rows: list[AuditRow]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "actor", "action", "application_id", "detail"])
    for e in rows:
        writer.writerow([e.at.isoformat(), e.actor, e.action, e.application_id or "", ";".join(f"{k}={v}" for k, v in e.detail.items())])
    return out.getvalue()
