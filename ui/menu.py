"""The menu as data: which pages exist, for whom, with which label (an English msgid)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from steunwijzer.i18n import N_

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class MenuItem:
    path: str           # relative to the app root, as st.page_link wants it
    label: str          # msgid
    icon: str
    role: str | None    # None: everyone; "officer"; "admin"

    @property
    def exists(self) -> bool:
        return page_exists(self.path)


MENU: tuple[MenuItem, ...] = (
    MenuItem("app.py", N_("Home"), ":material/home:", None),
    MenuItem("pages/1_find_funding.py", N_("Find money for your plan"), ":material/search:", None),
    MenuItem("pages/2_application.py", N_("Continue my application"), ":material/edit_note:", None),
    MenuItem("pages/3_report.py", N_("Tell how it went"), ":material/task_alt:", None),
    MenuItem("pages/5_officer_queue.py", N_("Applications"), ":material/inbox:", "officer"),
    MenuItem("pages/6_officer_review.py", N_("Review an application"), ":material/fact_check:", "officer"),
    MenuItem("pages/7_officer_catalogue.py", N_("Fund catalogue"), ":material/list_alt:", "admin"),
    MenuItem("pages/8_officer_admin.py", N_("Administration"), ":material/admin_panel_settings:", "admin"),
)

OFFICER_LOGIN_PAGE = "pages/5_officer_queue.py"


@cache
def page_exists(path: str) -> bool:
    """Page files do not come and go while the server runs: look once per process, not on
    every click for every menu item."""
    return (ROOT / path).exists()


def visible_items(officer_role: str | None) -> list[MenuItem]:
    allowed = {None} | ({"officer"} if officer_role else set()) | ({"admin"} if officer_role == "admin" else set())
    return [item for item in MENU if item.exists and item.role in allowed]
