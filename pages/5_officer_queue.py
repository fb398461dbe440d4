"""Officers: the queue of applications, with filters, paging and CSV export."""

from datetime import date

import streamlit as st

import ui
import ui.downloads
from steunwijzer import access, exchange, funds, i18n, review, workflow
from steunwijzer.config import LOCALES
from steunwijzer.errors import SteunwijzerError
from steunwijzer.i18n import N_
from steunwijzer.models import Status
from ui import menu, session
from ui.text import md
from ui import mail

ctx = ui.page_setup(N_("Applications"), role="officer", layout="wide")
_ = ctx.gettext
officer = ctx.officer

st.title(_("Applications"))
mail.officer_settings(ctx)
with ctx.db.session() as s:
    handled = access.handled_fund_ids(s, officer)
    fund_names = {f.id: f.name for f in funds.all_funds(s, include_archived=True) if f.id in handled}

with st.expander(_("Filters"), expanded=True):
    c1, c2, c3 = st.columns(3)
    statuses = c1.multiselect(_("Status"), [s.value for s in workflow.IN_QUEUE],
                              default=[Status.submitted.value, Status.waiting_for_group.value, Status.report_submitted.value],
                              format_func=lambda v: _(workflow.officer_label(v)), key="q_status")
    fund_id = c2.selectbox(_("Fund"), [None, *fund_names], format_func=lambda v: _("All funds") if v is None else fund_names[v], key="q_fund")
    language = c3.selectbox(_("Language of the answers"), [None, *LOCALES],
                            format_func=lambda v: _("All languages") if v is None else i18n.language_name(v, ctx.locale), key="q_lang")
    c4, c5, c6 = st.columns(3)
    min_text = c4.text_input(_("Amount from"), key="q_min", placeholder=i18n.money_example(ctx.locale))
    max_text = c5.text_input(_("Amount up to"), key="q_max")
    text = c6.text_input(_("Search group name or number"), key="q_text", max_chars=100)

try:
    min_amount = i18n.parse_money(min_text, ctx.locale) if min_text.strip() else None
    max_amount = i18n.parse_money(max_text, ctx.locale) if max_text.strip() else None
except SteunwijzerError as exc:
    ctx.error(exc)
    st.stop()

flt = review.QueueFilter(statuses=statuses, fund_id=fund_id, language=language, min_amount=min_amount,
                         max_amount=max_amount, text=text, page=st.session_state.get("q_page", 0))
with ctx.db.session() as s:
    rows, total = review.queue(s, officer, flt)
pages = max(1, -(-total // review.PAGE_SIZE))
if flt.page >= pages:
    st.session_state["q_page"] = flt.page = 0
    with ctx.db.session() as s:
        rows, total = review.queue(s, officer, flt)

st.caption(_("{count} applications").format(count=total))
if not rows:
    st.info(_("No applications match these filters."))
else:
    widths = [1, 2, 3, 3, 2, 2, 2, 1.4]
    header = st.columns(widths)
    for col, label in zip(header, [_("Number"), _("Status"), _("Fund"), _("Group"), _("Amount asked"), _("Language"), _("Sent"), ""]):
        col.markdown(f"**{label}**")
    for r in rows:
        cols = st.columns(widths, vertical_alignment="center")
        cols[0].write(f"#{r.id}")
        status = _(workflow.officer_label(r.status))
        if r.status == Status.granted and r.report_due:
            late = r.report_due < date.today()
            status += " · " + (_("report overdue since {date}") if late else _("report due {date}")).format(date=ctx.day(r.report_due))
        cols[1].markdown(f":red[{status}]" if r.status == Status.granted and r.report_due and r.report_due < date.today() else status)
        cols[2].markdown(md(fund_names.get(r.fund_id, r.fund_id)))
        cols[3].markdown(md(r.group_name or "—"))
        cols[4].write(ctx.money(r.amount_asked))
        cols[5].write(i18n.language_name(r.language, ctx.locale) if r.language else "—")
        cols[6].write(ctx.day(r.submitted_at.date()) if r.submitted_at else "—")
        if cols[7].button(_("Open"), key=f"open_{r.id}", icon=":material/open_in_new:"):
            st.session_state[session.REVIEW_KEY] = r.id
            st.switch_page(menu.REVIEW)
    left, mid, right = st.columns([1, 2, 1])
    if left.button(_("Previous page"), disabled=flt.page == 0, icon=":material/chevron_left:"):
        st.session_state["q_page"] = flt.page - 1
        st.rerun()
    mid.caption(_("Page {n} of {total}").format(n=flt.page + 1, total=pages))
    if right.button(_("Next page"), disabled=flt.page + 1 >= pages, icon=":material/chevron_right:"):
        st.session_state["q_page"] = flt.page + 1
        st.rerun()


def _csv() -> str:
    with ctx.db.session() as s:
        return exchange.queue_csv(review.queue_for_export(s, officer, flt))


st.download_button(_("Download this list as CSV"), data=ui.downloads.officer_download(ctx, _csv, None), file_name="steunwijzer-aanvragen.csv", mime="text/csv",
                   icon=":material/download:")
