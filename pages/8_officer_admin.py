"""Admins: officer accounts (add, change, disable, unlock, new password) and the audit log."""

import streamlit as st

import ui
import ui.downloads
from steunwijzer import audit, auth, funds
from steunwijzer.errors import SteunwijzerError
from steunwijzer.i18n import N_
from ui import mail

ctx = ui.page_setup(N_("Administration"), role="admin", layout="wide")
_ = ctx.gettext
actor = ctx.officer.username

st.title(_("Administration"))
mail.mail_off_notice(ctx)
tab_officers, tab_audit = st.tabs([_("Officers"), _("Audit log")])

with tab_officers:
    with ctx.db.session() as s:
        officers = auth.list_officers(s, include_inactive=True)
        locked = {o.username: auth.locked_addresses(s, o.username) for o in officers}
        in_app = [f for f in funds.all_funds(s) if f.in_app]
    names = {f.id: f.name for f in in_app}
    st.dataframe([{_("Username"): o.username, _("Full name"): o.full_name or "", _("Job title"): o.job_title or "",
                   _("Administrator"): "✓" if o.is_admin else "", _("Active"): "✓" if o.active else "",
                   _("Locked"): "✓" if locked[o.username] else "",
                   _("Funds"): ", ".join(names.get(i, i) for i in o.fund_ids) or _("All funds")} for o in officers],
                 hide_index=True, use_container_width=True)

    st.subheader(_("Change an officer"))
    by_name = {o.username: o for o in officers}
    chosen = st.selectbox(_("Officer"), list(by_name), key="admin_officer")
    if chosen:
        o = by_name[chosen]
        with st.form(f"change_{chosen}"):
            full_name = st.text_input(_("Full name"), value=o.full_name or "", max_chars=200)
            job_title = st.text_input(_("Job title"), value=o.job_title or "", max_chars=200)
            is_admin = st.checkbox(_("Administrator"), value=o.is_admin)
            fund_ids = st.multiselect(_("Funds (empty: all funds)"), sorted(set(names) | set(o.fund_ids)),
                                      default=o.fund_ids, format_func=lambda i: names.get(i, i))
            active = st.checkbox(_("Account active (can log in)"), value=o.active)
            if st.form_submit_button(_("Save the changes"), type="primary"):
                def change(s):
                    auth.update_officer(s, chosen, actor, is_admin=is_admin, fund_ids=fund_ids,
                                        full_name=full_name, job_title=job_title)
                    auth.set_active(s, chosen, active, actor)
                if ctx.attempt(change):
                    st.success(_("Saved."))
                    st.rerun()
        with st.form(f"password_{chosen}", clear_on_submit=True):
            new_password = st.text_input(_("New password (at least 12 characters)"), type="password", max_chars=256)
            if st.form_submit_button(_("Set a new password")):
                if ctx.attempt(lambda s: auth.set_password(s, chosen, new_password, actor)):
                    st.success(_("The new password is set."))
        if locked[chosen]:
            st.warning(_("This account is locked after too many wrong passwords."))
            if st.button(_("Unlock"), icon=":material/lock_open:"):
                if ctx.attempt(lambda s: auth.unlock(s, chosen, actor)):
                    st.rerun()

    with st.form("add_officer", clear_on_submit=True):
        st.markdown("**" + _("Add an officer") + "**")
        username = st.text_input(_("Username"), max_chars=64)
        password = st.text_input(_("Password (at least 12 characters)"), type="password", max_chars=256)
        new_name = st.text_input(_("Full name"), max_chars=200, key="add_full_name")
        new_title = st.text_input(_("Job title"), max_chars=200, key="add_job_title")
        new_admin = st.checkbox(_("Administrator"), key="add_admin")
        new_funds = st.multiselect(_("Funds (empty: all funds)"), list(names), format_func=names.get, key="add_funds")
        if st.form_submit_button(_("Add"), type="primary"):
            try:
                with ctx.db.session() as s:
                    auth.add_officer(s, username, password, is_admin=new_admin, fund_ids=new_funds, actor=actor,
                                     full_name=new_name, job_title=new_title)
            except SteunwijzerError as exc:
                ctx.error(exc)
            except ValueError:
                st.error(_("A username has 2 to 64 letters, digits or . _ @ -"))
            else:
                st.success(_("Saved."))

with tab_audit:
    page = st.number_input(_("Page"), min_value=1, value=1, step=1)
    with ctx.db.session() as s:
        # one line per opening of the log (arriving on this page, or another page of the log)
        if ctx.arrived or st.session_state.get("_audit_page_seen") != page:
            audit.record(s, actor, "audit.view", page=page)
        st.session_state["_audit_page_seen"] = page
        entries = audit.entries(s, limit=200, offset=(page - 1) * 200)
    # TRANSLATORS: columns of the audit log: when it happened, who did it (an officer's user name), what they did
    rows = [{_("When"): ctx.moment(e.at), _("Who"): e.actor, _("What"): e.action,
             _("Application"): str(e.application_id or ""), _("Details"): ", ".join(f"{k}={v}" for k, v in e.detail.items())}
            for e in entries]
    st.dataframe(rows, hide_index=True, use_container_width=True)

    def audit_csv() -> str:
        with ctx.db.session() as s:
            audit.record(s, actor, "audit.export")
            return audit.as_csv(audit.entries(s, limit=1_000_000))

    st.download_button(_("Download the audit log as CSV"), data=ui.downloads.officer_download(ctx, audit_csv, None),
                       file_name="audit.csv", mime="text/csv", icon=":material/download:")
