"""Per-browser-session facts the pages share (which application is open, a client key)."""

from __future__ import annotations

import secrets

import streamlit as st

APPLICATION_KEY = "application_id"


def client_key() -> str:
    """A random id for this browser session, used to limit wrong resume codes per client."""
    if "_client_key" not in st.session_state:
        st.session_state["_client_key"] = secrets.token_hex(8)
    return st.session_state["_client_key"]


def open_application(application_id: int, code: str | None = None) -> None:
    st.session_state[APPLICATION_KEY] = application_id
    if code:
        st.session_state["new_code"] = code


def close_application() -> None:
    for k in [k for k in st.session_state if k.startswith("ans_") or k in (APPLICATION_KEY, "new_code", "step")]:
        del st.session_state[k]
