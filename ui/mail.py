"""Mail on the officer pages: 'mail is off' when no server is set, and each officer's own settings."""

from __future__ import annotations

import streamlit as st

from steunwijzer import notify, outbox
from steunwijzer.errors import SteunwijzerError


def mail_off_notice(ctx) -> None:
    if not outbox.mail_enabled(ctx.settings):
        st.warning(ctx.gettext("Mail is off: no mail server is set (STEUNWIJZER_SMTP_URL). Mails wait in the outbox and nobody gets them yet."),
                icon=":material/mail_lock:")


def officer_settings(ctx) -> None:
    """'My e-mail settings': the officer's address, the daily digest, immediate mails."""
    _ = ctx.gettext
    mail_off_notice(ctx)
    try:
        with ctx.db.session() as s:
            current = notify.officer_mail_settings(s, ctx.officer.username)
    except SteunwijzerError:
        return  # an account that is gone: the page's own guard deals with it
    with st.expander(_("My e-mail settings"), icon=":material/mail:"):
        with st.form("officer_mail"):
            email = st.text_input(_("Your e-mail address"), value=current["email"] or "", max_chars=254)
            digest = st.checkbox(_("A daily e-mail with what needs my attention"), value=current["digest"])
            immediate = st.checkbox(_("An e-mail at once when a decision waits for my approval"), value=current["immediate"])
            if st.form_submit_button(_("Save")):
                try:
                    with ctx.db.session() as s:
                        notify.set_officer_mail(s, ctx.officer.username, email, digest, immediate, actor=ctx.officer.username)
                except SteunwijzerError as exc:
                    ctx.error(exc)
                else:
                    st.success(_("Saved."))


def group_mail_note(ctx, application_id: int) -> None:
    """Tell the officer whether the group will hear of a question by e-mail, or must be called."""
    _ = ctx.gettext
    with ctx.db.session() as s:
        reachable = notify.group_address(s, application_id) is not None
    if reachable and outbox.mail_enabled(ctx.settings):
        st.caption(_("The group gets an e-mail that there is a question (without the question itself)."))
    else:
        st.caption(_("This group gets no e-mail from us. Call them to say that there is a question."))
