"""Demo data for trying the app at once: the fund catalogue (and, later, demo applications)."""

from __future__ import annotations

from steunwijzer import funds
from steunwijzer.store import Database


def load_demo(db: Database) -> str:
    catalogue = funds.demo_catalogue()
    with db.session() as s:
        count = funds.save_funds(s, catalogue, actor="demo")
    return f"{count} funds"
