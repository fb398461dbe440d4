"""Per-browser-session facts the pages share (which application is open, the client address)."""

from __future__ import annotations

import ipaddress

import streamlit as st

APPLICATION_KEY = "application_id"


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
        st.session_state["new_code"] = code


def close_application() -> None:
    for k in [k for k in st.session_state if k.startswith("ans_") or k in (APPLICATION_KEY, "new_code", "step")]:
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
