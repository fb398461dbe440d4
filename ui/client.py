"""Where a browser session comes from: its network address, for attempt limits."""

from __future__ import annotations

import ipaddress

import streamlit as st


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
