"""Who may see what: an officer sees the applications of the funds assigned to them (all in-app
funds when none are assigned, or for an administrator), never a draft."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from steunwijzer.errors import NotFound
from steunwijzer.models import Officer, Status
from steunwijzer.store import ApplicationRow, FundRow


def handled_fund_ids(session: Session, officer: Officer) -> list[str]:
    """The funds whose applications this officer may see: assigned ones, else all in-app funds."""
    if officer.fund_ids and not officer.is_admin:
        return list(officer.fund_ids)
    return list(session.scalars(select(FundRow.id).where(FundRow.in_app)))


def check_access(session: Session, officer: Officer, application_id: int) -> ApplicationRow:
    row = session.get(ApplicationRow, application_id)
    if row is None or row.status == Status.draft or row.fund_id not in handled_fund_ids(session, officer):
        # the same answer for "does not exist" and "not yours"
        raise NotFound("This application does not exist or is not yours to see.")
    return row
