"""Process-wide resources, created once per Streamlit server process (not per session)."""

from __future__ import annotations

import streamlit as st

from steunwijzer.config import Settings, get_settings
from steunwijzer.store import Database


@st.cache_resource(show_spinner=False)
def database() -> Database:
    settings = get_settings()
    settings.ensure_data_dir()
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    return db


def settings() -> Settings:
    return get_settings()
