"""Admins: officer accounts and the audit log."""

import streamlit as st

import ui
from steunwijzer import audit, auth, funds
from steunwijzer.errors import SteunwijzerError
from steunwijzer.i18n import N_
from ui import mail

ctx = ui.page_setup(N_("Administration"), role="admin", layout="wide")
_ = ctx.gettext

st.title(_("Administration"))
mail.mail_off_notice(ctx)
tab_officers, tab_audit = st.tabs([_("Officers"), _("Audit log")])

with tab_officers:
    with ctx.db.session() as s:
        officers = auth.list_officers(s)
        in_app = [f for f in funds.all_funds(s) if f.in_app]
    names = {f.id: f.name for f in in_app}
    st.dataframe([{_("Username"): o.username, _("Administrator"): "✓" if o.is_admin else "",
                   _("Funds"): ", ".join(names.get(i, i) for i in o.fund_ids) or _("All funds")} for o in officers],
                 hide_index=True, use_container_width=True)
    with st.form("add_officer", clear_on_submit=True):
        st.markdown("**" + _("Add an officer") + "**")
        username = st.text_input(_("Username"), max_chars=64)
        password = st.text_input(_("Password (at least 12 characters)"), type="password", max_chars=256)
        is_admin = st.checkbox(_("Administrator"))
        fund_ids = st.multiselect(_("Funds (empty: all funds)"), list(names), format_func=names.get)
        if st.form_submit_button(_("Add"), type="primary"):
            try:
                with ctx.db.session() as s:
                    auth.add_officer(s, username, password, is_admin=is_admin, fund_ids=fund_ids, actor=ctx.officer.username)
            except SteunwijzerError as exc:
                ctx.error(exc)
            except ValueError:
                st.error(_("A username has 2 to 64 letters, digits or . _ @ -"))
            else:
                st.success(_("Saved."))

with tab_audit:
    page = st.number_input(_("Page"), min_value=1, value=1, step=1)
    with ctx.db.session() as s:
        entries = audit.entries(s, limit=200, offset=(page - 1) * 200)
    rows = [{_("When"): ctx.moment(e.at), _("Who"): e.actor, _("What"): e.action,
             _("Application"): e.application_id or "", _("Details"): ", ".join(f"{k}={v}" for k, v in e.detail.items())}
            for e in entries]
    st.dataframe(rows, hide_index=True, use_container_width=True)

    def audit_csv() -> str:
        with ctx.db.session() as s:
            audit.record(s, ctx.officer.username, "audit.export")
            return audit.as_csv(audit.entries(s, limit=1_000_000))

    st.download_button(_("Download the audit log as CSV"), data=audit_csv, file_name="audit.csv", mime="text/csv",
                       icon=":material/download:")
