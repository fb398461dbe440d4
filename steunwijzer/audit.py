"""The audit log: who did what, when. Written in the same transaction as the action."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from steunwijzer.store import AuditRow
from steunwijzer.text import csv_cell


def record(session: Session, actor: str, action: str, application_id: int | None = None, **detail: object) -> None:
    session.add(AuditRow(actor=actor, action=action, application_id=application_id, detail={k: str(v) for k, v in detail.items()}))


def entries(session: Session, limit: int = 500, offset: int = 0) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit).offset(offset)))


def as_csv(rows: list[AuditRow]) -> str:
    """The log as CSV for a spreadsheet. Every cell is defused like the queue's export: a typed
    username such as `=HYPERLINK(…)` (failed logins are logged with what was typed) must come
    out as text, never as a live formula."""
    import csv
    import io


    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "actor", "action", "application_id", "detail"])
    for e in rows:
        detail = ";".join(f"{k}={v}" for k, v in e.detail.items())
        writer.writerow([csv_cell(v) for v in (e.at, e.actor, e.action, e.application_id, detail)])
    return out.getvalue()
