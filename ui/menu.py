"""The menu as data: which pages exist, for whom, with which label (an English msgid)."""

from __future__ import annotations

from dataclasses import dataclass

from steunwijzer.i18n import N_



@dataclass(frozen=True)
class MenuItem:
    path: str           # relative to the app root, as st.page_link wants it
    label: str          # msgid
    icon: str
    role: str | None    # None: everyone; "officer"; "admin"


# Page paths, one place each (st.page_link and st.switch_page take them relative to the app root).
HOME = "app.py"
FIND_FUNDING = "pages/1_find_funding.py"
APPLICATION = "pages/2_application.py"
REPORT = "pages/3_report.py"
QUEUE = "pages/5_officer_queue.py"
REVIEW = "pages/6_officer_review.py"
CATALOGUE = "pages/7_officer_catalogue.py"
ADMIN = "pages/8_officer_admin.py"

MENU: tuple[MenuItem, ...] = (
    MenuItem(HOME, N_("Home"), ":material/home:", None),
    MenuItem(FIND_FUNDING, N_("Find money for your plan"), ":material/search:", None),
    MenuItem(APPLICATION, N_("Continue my application"), ":material/edit_note:", None),
    MenuItem(REPORT, N_("Tell how it went"), ":material/task_alt:", None),
    MenuItem(QUEUE, N_("Applications"), ":material/inbox:", "officer"),
    MenuItem(REVIEW, N_("Review an application"), ":material/fact_check:", "officer"),
    MenuItem(CATALOGUE, N_("Fund catalogue"), ":material/list_alt:", "admin"),
    MenuItem(ADMIN, N_("Administration"), ":material/admin_panel_settings:", "admin"),
)

OFFICER_LOGIN_PAGE = QUEUE


def visible_items(officer_role: str | None) -> list[MenuItem]:
    allowed = {None} | ({"officer"} if officer_role else set()) | ({"admin"} if officer_role == "admin" else set())
    return [item for item in MENU if item.role in allowed]
