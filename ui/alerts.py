"""Fund alerts in the app: the sign-up under the finder's results, and the links from the mails
(confirm, stop, seen), which open the home page with ?alert=...&token=..."""

from __future__ import annotations

import streamlit as st

from steunwijzer import alerts
from steunwijzer.errors import SteunwijzerError
from steunwijzer.matching import FundingProfile
from ui import client


def signup(ctx, profile: FundingProfile) -> None:
    """'Tell me when a fund that fits opens': an e-mail address, double opt-in."""
    _ = ctx.gettext
    with st.container(border=True):
        st.subheader(_("Hear about new chances"))
        st.write(_("Leave your e-mail address. We will tell you when a fund that fits your answers opens, is new, or has a deadline in 3 weeks. We keep your address only for this, and delete it after a year without a click."))
        with st.form("fund_alert", clear_on_submit=True):
            email = st.text_input(_("E-mail address"), max_chars=254)
            go = st.form_submit_button(_("Send me news about funds"), icon=":material/notifications:")
        if go:
            try:
                with ctx.db.session() as s:
                    alerts.subscribe(s, email, ctx.locale, profile.model_dump(mode="json"), client.client_address())
            except SteunwijzerError as exc:
                ctx.error(exc)
            else:
                st.success(_("We have sent you an e-mail. Click the link in it to start. No e-mail? Look in the spam folder."),
                           icon=":material/mark_email_read:")


def handle_link(ctx) -> None:
    """Act on ?alert=confirm|stop|seen&token=... from a mail, say what happened, clear the query."""
    _ = ctx.gettext
    action, token = st.query_params.get("alert"), st.query_params.get("token")
    if not action:
        return
    with ctx.db.session() as s:
        outcome = alerts.handle_link(s, action, token or "")
    for k in ("alert", "token"):
        st.query_params.pop(k, None)
    texts = {"confirmed": _("You will now get news about funds that fit your plan. Every e-mail has a link to stop."),
             "stopped": _("You will not get news about funds any more. We have deleted your e-mail address."),
             "seen": _("Look at the funds under \"Find money for your plan\".")}
    if outcome in texts:
        st.success(texts[outcome], icon=":material/notifications:")
        if outcome != "stopped":
            st.page_link("pages/1_find_funding.py", label=_("Find money for your plan"), icon=":material/search:")
    else:
        st.warning(_("This link does not work any more."), icon=":material/link_off:")
