"""Per-browser-session facts the pages share (which application is open, on which step)."""

from __future__ import annotations

import streamlit as st

from ui import client

# The session keys the pages share (one place for each).
APPLICATION_KEY = "application_id"   # the group's open application
NEW_CODE_KEY = "new_code"            # a fresh resume code, shown until the group says it wrote it down
CODE_SEEN_KEY = "new_code_seen"      # …after which it stays behind "Show my code" for this session
STEP_KEY = "step"                    # the wizard's screen
TAB_CODE_KEY = "tab_code"            # the open application's code, also kept in the tab (for a reload)
TAB_ASKED_KEY = "_tab_asked"         # this session has asked the tab for an application once
REVIEW_KEY = "review_id"             # the application an officer has open


def open_application(application_id: int, code: str | None = None, new_code: bool = False) -> None:
    """`code`: the resume code this tab knows (kept in the tab, so a reload goes on); `new_code`:
    it was just made and is shown until the group says it wrote it down."""
    st.session_state[APPLICATION_KEY] = application_id
    if code:
        st.session_state[TAB_CODE_KEY] = code
        if new_code:
            st.session_state[NEW_CODE_KEY] = code


def close_application() -> None:
    """Leave the application (the tab forgets it at the next run; `TAB_ASKED_KEY` stays, so it
    is not opened again from the tab)."""
    for k in [k for k in st.session_state if k.startswith("ans_") or k in (APPLICATION_KEY, NEW_CODE_KEY, CODE_SEEN_KEY, STEP_KEY, TAB_CODE_KEY)]:
        del st.session_state[k]


def tab_memory(ctx, editable: bool = False) -> None:
    """A reload in the same tab loses nothing. Called once at the top of every run of the
    application page, before anything can stop the run.

    With an application open whose code this tab knows and that can still be changed, the tab
    keeps {code, step, new, seen} in its own sessionStorage; otherwise it forgets it ("Stop now,
    continue later", a sent application). A new session (a reload) has nothing open: it asks the
    tab once and opens what it kept through the same `applications.resume` and limits as the
    "Continue with your code" form, on the same step, and on the code screen again when the code
    was not yet acknowledged."""
    from steunwijzer import applications
    from steunwijzer.errors import SteunwijzerError, TooManyAttempts
    from ui import browser

    if st.session_state.get(APPLICATION_KEY) is not None:
        code = st.session_state.get(TAB_CODE_KEY)
        step = st.session_state.get(STEP_KEY)
        keep = None if not (code and editable) else {
            "code": code, "step": step if isinstance(step, int) else None,
            "new": NEW_CODE_KEY in st.session_state, "seen": bool(st.session_state.get(CODE_SEEN_KEY))}
        browser.tab_memory(keep)
        return
    asked = st.session_state.get(TAB_ASKED_KEY)
    if isinstance(asked, dict):  # refused for too many wrong codes from this address: kept for a later try
        browser.tab_memory(asked)
        return
    stored = browser.tab_memory(None, ask=not asked)
    if asked or stored is None:  # asked before, or the browser has nothing (or not answered yet)
        return
    st.session_state[TAB_ASKED_KEY] = True
    code = stored.get("code") if isinstance(stored, dict) else None
    if not isinstance(code, str) or not code:
        return
    try:
        with ctx.db.session() as s:
            app = applications.resume(s, code, client.client_address(), ctx.settings.resolved_secret_key())
    except TooManyAttempts as exc:
        st.session_state[TAB_ASKED_KEY] = stored  # a code not yet written down must not be lost
        ctx.error(exc)
        return
    except SteunwijzerError:
        return  # the code stopped working (a new one was sent, the draft was deleted): the tab forgets it
    open_application(app.id, code, new_code=bool(stored.get("new")))
    if stored.get("new") and stored.get("seen"):
        st.session_state[CODE_SEEN_KEY] = True
    if isinstance(stored.get("step"), int) and stored["step"] >= 0:
        st.session_state[STEP_KEY] = stored["step"]
    st.rerun()


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
                app = applications.resume(s, code, client.client_address(), ctx.settings.resolved_secret_key())
        except SteunwijzerError as exc:
            ctx.error(exc)
        else:
            open_application(app.id, code)
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
                    recovery.request_new_code(s, email, client.client_address(), ctx.settings.resolved_secret_key())
            except SteunwijzerError as exc:
                ctx.error(exc)
            else:
                st.success(_("If we know this e-mail address, we have sent a new code to it. Look in your mailbox, also in the spam folder. No e-mail? Call {municipality}.").format(
                    municipality=ctx.settings.municipality), icon=":material/mark_email_read:")
