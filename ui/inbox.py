"""The officers' inbox as one dense, selectable `st.dataframe`, and the queue filters that stay
when the officer comes back from a case (Streamlit forgets the state of widgets that a page
did not draw, so the filter values are also kept under one key of their own)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from steunwijzer import i18n, workflow
from steunwijzer.review import QueueFilter, QueueItem
from steunwijzer.store import utcnow
from ui.shell import PageContext

KEPT = "_queue_filter"            # the filter values, kept across pages
FIELDS = {                        # widget key → QueueFilter field
    "q_view": "view", "q_mine": "mine", "q_text": "text", "q_sort": "sort", "q_desc": "descending",
    "q_status": "statuses", "q_fund": "fund_id", "q_lang": "language", "q_min": "min_amount", "q_max": "max_amount",
}
ROW_PX = 35


def restore_filters() -> None:
    """Before the widgets are drawn: give them back the values they had."""
    kept = st.session_state.setdefault(KEPT, {})
    for key, value in kept.items():
        if key not in st.session_state:
            st.session_state[key] = value


def keep_filters() -> None:
    st.session_state[KEPT] = {key: st.session_state[key] for key in FIELDS if key in st.session_state}


def apply_saved(data: dict) -> None:
    """Put a saved filter into the widgets (call from a callback, before they are drawn)."""
    flt = QueueFilter.from_dict(data)
    for key, name in FIELDS.items():
        value = getattr(flt, name)
        if name in ("min_amount", "max_amount"):
            value = "" if value is None else str(value)
        elif name == "text":
            value = value or ""
        st.session_state[key] = value
    st.session_state["q_page"] = 0
    keep_filters()


def frame(ctx: PageContext, rows: list[QueueItem], fund_names: dict[str, str]) -> pd.DataFrame:
    """The page of the queue as a table, texts in the officer's language, times in the municipality's."""
    _ = ctx.gettext
    today = ctx.local(utcnow()).date()
    data = []
    for r in rows:
        sent = ctx.local(r.submitted_at)
        data.append({
            _("Number"): f"#{r.number}" + (f" · v{r.version}" if r.version > 1 else ""),
            _("Unread"): "●" if r.unread else "",
            _("Needs action"): _(workflow.needs_label(r.needs_action)) if r.needs_action else "",
            _("Group"): r.group_name or "—",
            _("Contact"): r.contact_name or "—",
            _("Status"): _(workflow.officer_label(r.status)),
            _("Fund"): fund_names.get(r.fund_id, r.fund_id),
            _("Amount asked"): ctx.money(r.amount_asked),
            _("Age (days)"): (today - sent.date()).days if sent else None,
            _("Answer promised by"): (ctx.day(r.answer_by) + (" · " + _("passed") if r.answer_late else "")) if r.answer_by else "—",
            _("Assigned to"): r.assigned_to or "—",
            _("Language"): i18n.language_name(r.language, ctx.locale, label=True) if r.language else "—",
        })
    return pd.DataFrame(data)


def styled(df: pd.DataFrame, rows: list[QueueItem], ctx: PageContext):
    """Red (and the word "passed", for who cannot see red) where the promised answer date has passed."""
    column = ctx.gettext("Answer promised by")
    late = [r.answer_late for r in rows]

    def colour(series):
        return ["color: #b00020; font-weight: 600" if late[i] else "" for i in range(len(series))]

    return df.style.apply(colour, subset=[column]) if not df.empty else df


def table_height(count: int) -> int:
    return ROW_PX * (max(count, 1) + 1) + 3



# Less empty space above the title, so that a full page of the queue fits a 1440×900 screen.
COMPACT_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
</style>
"""
