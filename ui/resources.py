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


@st.cache_resource(show_spinner=False)
def transcription_worker():
    """The transcription worker inside this app process (one per process, so the model is loaded
    once), unless STEUNWIJZER_EMBEDDED_WORKER=false because separate workers do the work. Started
    by every page, so jobs left by a restart continue whoever comes first; the model itself is
    loaded on the first job or when a voice question is shown (`warm_speech_model`)."""
    from steunwijzer import jobs

    settings = get_settings()
    if not settings.embedded_worker:
        return None
    return jobs.start_worker(database(), settings, preload=False)


@st.cache_resource(show_spinner=False)
def warm_speech_model() -> bool:
    """Load this process's speech model in the background when a voice question is first shown,
    so the group's first recording does not wait for it."""
    import threading

    from steunwijzer.speech import service

    settings = get_settings()
    if not settings.embedded_worker:
        return False

    def load() -> None:
        try:
            service.get_engine(settings.speech_engine, settings.speech_model)
        except Exception:  # a broken model: the job shows the reason
            pass

    threading.Thread(target=load, name="speech-model-warm-up", daemon=True).start()
    return True
