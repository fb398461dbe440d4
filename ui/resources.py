"""Process-wide resources, created once per Streamlit server process (not per session)."""

from __future__ import annotations

import streamlit as st

from steunwijzer.config import Settings, get_settings
from steunwijzer.store import Database, open_database


@st.cache_resource(show_spinner=False)
def database() -> Database:
    return open_database(get_settings())


def settings() -> Settings:
    return get_settings()
