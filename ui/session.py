"""Per-browser-session facts the pages share (which application is open, the client address)."""

from __future__ import annotations

import ipaddress

import streamlit as st

# The session keys the pages share (one place for each).
APPLICATION_KEY = "application_id"   # the group's open application
NEW_CODE_KEY = "new_code"            # a fresh resume code, shown until the group says it wrote it down
CODE_SEEN_KEY = "new_code_seen"      # …after which it stays behind "Show my code" for this session
STEP_KEY = "step"                    # the wizard's screen
REVIEW_KEY = "review_id"             # the application an officer has open


def client_address() -> str | None:
    """The browser's network address, for attempt limits (resume codes, officer passwords).

    Streamlit gives the websocket peer as `st.context.ip_address` (None when it is this machine).
    A peer on this machine is a reverse proxy in production (nginx in front of the replicas):
    then the address the proxy saw is in X-Real-IP, or last in X-Forwarded-For (the part the
    proxy added itself; anything before it was sent by the browser and can be made up). Headers
    are trusted only from a local peer, never from a browser that connects directly.
    Returns None when nothing is known (a local test run): the core then uses one shared key."""
    try:
        peer = st.context.ip_address
        headers = st.context.headers
    except Exception:  # no browser context (scripts)
        return None
    if isinstance(peer, str) and peer:  # (AppTest has a stand-in runtime that gives no string)
        return peer
    try:
        forwarded = headers.get("X-Real-IP") or (headers.get("X-Forwarded-For") or "").split(",")[-1]
        return str(ipaddress.ip_address(str(forwarded).strip()))
    except (ValueError, AttributeError, TypeError):
        return None


def open_application(application_id: int, code: str | None = None) -> None:
    st.session_state[APPLICATION_KEY] = application_id
    if code:
        st.session_state[NEW_CODE_KEY] = code


def close_application() -> None:
    for k in [k for k in st.session_state if k.startswith("ans_") or k in (APPLICATION_KEY, NEW_CODE_KEY, CODE_SEEN_KEY, STEP_KEY)]:
        del st.session_state[k]


def resume_form(ctx) -> None:
    """'Continue with your code': opens the application behind a code, with translated errors."""
    from steunwijzer import applications
    from steunwijzer.errors import SteunwijzerError

    _ = ctx.gettext
    with st.form("resume"):
        code = st.text_input(_("Your code"), max_chars=40, placeholder="K7QM-2XPA-9RTB")
        go = st.form_submit_button(_("Continue"), type="primary")
    if go:
        try:
            with ctx.db.session() as s:
                app = applications.resume(s, code, client_address(), ctx.settings.resolved_secret_key())
        except SteunwijzerError as exc:
            ctx.error(exc)
        else:
            open_application(app.id)
            st.rerun()
    lost_code_form(ctx)


def lost_code_form(ctx) -> None:
    """'I lost my code': a new code by mail. The page says the same whether or not the address
    is known, so nobody can find out which addresses have an application."""
    from steunwijzer import recovery
    from steunwijzer.errors import SteunwijzerError

    _ = ctx.gettext
    with st.expander(_("I lost my code"), icon=":material/key:"):
        st.write(_("Type the e-mail address you gave in your application. We will send a new code to it. Your old code then stops working."))
        with st.form("lost_code", clear_on_submit=True):
            email = st.text_input(_("E-mail address"), max_chars=254)
            go = st.form_submit_button(_("Send me a new code"))
        if go:
            try:
                with ctx.db.session() as s:
                    recovery.request_new_code(s, email, client_address(), ctx.settings.resolved_secret_key())
            except SteunwijzerError as exc:
                ctx.error(exc)
            else:
                st.success(_("If we know this e-mail address, we have sent a new code to it. Look in your mailbox, also in the spam folder. No e-mail? Call {municipality}.").format(
                    municipality=ctx.settings.municipality), icon=":material/mark_email_read:")
