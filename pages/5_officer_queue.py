"""Officers: the inbox — what needs action now, with filters that stay, saved filters, sorting,
paging with a jump, row selection and batch actions (assign, export, mark read)."""

import streamlit as st

import ui
import ui.downloads
from steunwijzer import access, cases, exchange, funds, i18n, review, workflow
from steunwijzer.config import LOCALES
from steunwijzer.errors import SteunwijzerError
from steunwijzer.i18n import N_
from ui import inbox, menu, session
from ui.text import md
from ui import mail

ctx = ui.page_setup(N_("Applications"), role="officer", layout="wide")
_ = ctx.gettext
officer = ctx.officer
st.html(inbox.COMPACT_CSS)

VIEW_LABELS = {"needs_action": N_("Needs action"), "overdue_reports": N_("Overdue reports"), "all": N_("All applications")}
SORT_LABELS = {"number": N_("Number"), "needs": N_("Needs action"), "status": N_("Status"), "fund": N_("Fund"),
               "group": N_("Group"), "contact": N_("Contact"), "amount": N_("Amount asked"), "language": N_("Language"),
               # TRANSLATORS: a column of the officer's queue: the date the group sent its application
               "sent": N_("Sent"), "answer_by": N_("Answer promised by"), "assigned": N_("Assigned to"),
               "report_due": N_("Report due")}

st.title(_("Applications"))
with ctx.db.session() as s:
    handled = access.handled_fund_ids(s, officer)
    fund_names = {f.id: f.name for f in funds.all_funds(s, include_archived=True) if f.id in handled}
    colleagues = cases.colleagues(s, officer)
    saved = cases.saved_filters(s, officer)
    advice_asked = cases.advice_asked_of(s, officer)

for application_id, number, request in advice_asked:
    left, right = st.columns([6, 1], vertical_alignment="center")
    left.warning(_("{name} asks your advice on application #{number}: {question}").format(
        name=md(request.author), number=number, question=md(request.text)), icon=":material/forum:")
    if right.button(_.pgettext("button: open an application", "Open"), key=f"advice_{request.id}", icon=":material/open_in_new:"):
        st.session_state[session.REVIEW_KEY] = application_id
        st.switch_page(menu.REVIEW)

# ---- filters (kept when the officer comes back from a case) --------------------------------------
inbox.restore_filters()
for key, default in (("q_view", "needs_action"), ("q_sort", "sent"), ("q_desc", False), ("q_mine", False)):
    st.session_state.setdefault(key, default)


def _apply_saved() -> None:
    name = st.session_state.get("q_saved")
    if name in saved:
        inbox.apply_saved(saved[name])


# Two rows of controls, so that no label is cut off on a 1440-pixel screen with the menu open.
bar = st.columns([2.6, 2.6, 2.4], vertical_alignment="center")
bar += st.columns([1.4, 1.4, 1.3, 1.3, 2.2], vertical_alignment="center")
view = bar[0].segmented_control(_("Show"), list(VIEW_LABELS), format_func=lambda v: _(VIEW_LABELS[v]), key="q_view",
                                label_visibility="collapsed")
text = bar[1].text_input(_("Search: number, group or contact"), key="q_text", max_chars=100, label_visibility="collapsed",
                         placeholder=_("Search: number, group or contact"))
sort = bar[2].selectbox(_("Sort by"), list(SORT_LABELS), format_func=lambda v: _("Sort by") + ": " + _(SORT_LABELS[v]),
                        key="q_sort", label_visibility="collapsed")
descending = bar[3].toggle(_("Descending"), key="q_desc")
mine = bar[4].toggle(_("My cases"), key="q_mine")
with bar[5].popover(_("Filters"), icon=":material/filter_list:", width="stretch", help=_("More filters")):
    statuses = st.multiselect(_("Status"), [s.value for s in workflow.IN_QUEUE],
                              format_func=lambda v: _(workflow.officer_label(v)), key="q_status")
    fund_id = st.selectbox(_("Fund"), [None, *fund_names], format_func=lambda v: _("All funds") if v is None else fund_names[v],
                           key="q_fund")
    language = st.selectbox(_("Language of the answers"), [None, *LOCALES],
                            format_func=lambda v: _("All languages") if v is None else i18n.language_name(v, ctx.locale, label=True),
                            key="q_lang")
    min_text = st.text_input(_("Amount from"), key="q_min", placeholder=i18n.money_example(ctx.locale))
    max_text = st.text_input(_("Amount up to"), key="q_max")
bar[7].caption(_("Times are in the time zone {zone}.").format(zone=ctx.settings.timezone))
with bar[6].popover(_("Saved"), icon=":material/bookmark:", width="stretch", help=_("Saved filters")):
    if saved:
        st.selectbox(_("Use a saved filter"), [None, *saved], format_func=lambda v: "—" if v is None else v, key="q_saved",
                     on_change=_apply_saved)
    name = st.text_input(_("Save these filters as"), key="q_save_name", max_chars=cases.MAX_FILTER_NAME)
    save_col, delete_col = st.columns(2)
try:
    min_amount = i18n.parse_money(min_text, ctx.locale) if (min_text or "").strip() else None
    max_amount = i18n.parse_money(max_text, ctx.locale) if (max_text or "").strip() else None
except SteunwijzerError as exc:
    ctx.error(exc)
    st.stop()
inbox.keep_filters()

flt = review.QueueFilter(view=view or "needs_action", statuses=statuses, fund_id=fund_id, language=language,
                         min_amount=min_amount, max_amount=max_amount, text=text, mine=mine, sort=sort,
                         descending=descending)
if save_col.button(_("Save"), key="q_save", icon=":material/save:"):
    if ctx.attempt(lambda s: cases.save_filter(s, officer, name, flt.to_dict())):
        st.toast(_("Filter saved."))
        st.rerun()
if saved and st.session_state.get("q_saved") and delete_col.button(_("Delete"), key="q_delete", icon=":material/delete:"):
    if ctx.attempt(lambda s: cases.delete_filter(s, officer, st.session_state["q_saved"])):
        st.session_state.pop("q_saved", None)
        st.rerun()

# A new filter starts at its first page.
if st.session_state.get("_q_last") != flt.to_dict():
    st.session_state["_q_last"], st.session_state["q_page"] = flt.to_dict(), 0
flt.page = st.session_state.get("q_page", 0)
with ctx.db.session() as s:
    rows, total = review.queue(s, officer, flt, answer_days=ctx.settings.answer_within_days)
pages = max(1, -(-total // review.PAGE_SIZE))
if flt.page >= pages:
    st.session_state["q_page"] = flt.page = 0
    with ctx.db.session() as s:
        rows, total = review.queue(s, officer, flt, answer_days=ctx.settings.answer_within_days)

if not rows:
    st.info(_("No applications match these filters."))
    selected: list[int] = []
else:
    event = st.dataframe(inbox.styled(inbox.frame(ctx, rows, fund_names), rows, ctx), key="q_table", on_select="rerun",
                         selection_mode="multi-row", hide_index=True, width="stretch",
                         height=inbox.table_height(len(rows)))
    selected = [rows[i].id for i in event.selection.rows if i < len(rows)]

with st.container():  # under the table: the table starts high enough for 15 rows on 1440×900
    cols = st.columns([2.2, 1.3, 1.4, 1.8], vertical_alignment="center")
    cols += st.columns([1.4, 1.9, 1.0, 2.4], vertical_alignment="center")[:3]
    cols[0].caption(_.ngettext("{count} application", "{count} applications", total).format(count=total) + " · "
                    + _.ngettext("{n} selected", "{n} selected", len(selected)).format(n=len(selected)))
    if cols[1].button(_.pgettext("button: open an application", "Open"), disabled=len(selected) > 1 or not rows, icon=":material/open_in_new:", key="q_open",
                      help=_("Opens the chosen row, or the first row when none is chosen.")):
        st.session_state[session.REVIEW_KEY] = selected[0] if selected else rows[0].id
        st.switch_page(menu.REVIEW)
    if cols[2].button(_("Take"), disabled=not selected, icon=":material/person_add:", key="q_take"):
        if ctx.attempt(lambda s: cases.assign(s, officer, selected, officer.username)):
            st.rerun()
    to = cols[3].selectbox(_("Assign to"), colleagues, key="q_assign_to", label_visibility="collapsed",
                           index=colleagues.index(officer.username) if officer.username in colleagues else None,
                           placeholder=_("Assign to"))
    if cols[4].button(_("Assign"), disabled=not selected or not to, key="q_assign", icon=":material/group:"):
        if ctx.attempt(lambda s: cases.assign(s, officer, selected, to)):
            st.rerun()
    if cols[5].button(_("Mark read"), disabled=not selected, key="q_read", icon=":material/mark_email_read:"):
        if ctx.attempt(lambda s: cases.mark_read_by_ids(s, officer, selected)):
            st.rerun()

    def _csv() -> str:
        with ctx.db.session() as s:
            return exchange.queue_csv(review.queue_for_export(s, officer, flt, ids=selected or None,
                                                              answer_days=ctx.settings.answer_within_days))

    cols[6].download_button("CSV", data=ui.downloads.officer_download(ctx, _csv, None), file_name="steunwijzer-aanvragen.csv", mime="text/csv", icon=":material/download:",
                            key="q_csv", help=_("Download the selected rows as CSV") if selected else _("Download this list as CSV"))

if rows and pages > 1:
    left, jump, of, right = st.columns([1, 1, 1, 1], vertical_alignment="bottom")
    if left.button(_("Previous page"), disabled=flt.page == 0, icon=":material/chevron_left:"):
        st.session_state["q_page"] = flt.page - 1
        st.rerun()
    target = jump.number_input(_("Go to page"), min_value=1, max_value=pages, value=flt.page + 1, key=f"q_jump_{flt.page}")
    if target != flt.page + 1:
        st.session_state["q_page"] = int(target) - 1
        st.rerun()
    of.caption(_("Page {n} of {total}").format(n=flt.page + 1, total=pages))
    if right.button(_("Next page"), disabled=flt.page + 1 >= pages, icon=":material/chevron_right:"):
        st.session_state["q_page"] = flt.page + 1
        st.rerun()

mail.officer_settings(ctx)  # at the bottom: above the table, 15 rows must fit a 1440×900 screen
