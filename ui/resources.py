"""Process-wide resources, created once per Streamlit server process (not per session)."""

from __future__ import annotations

import gc
import threading

import streamlit as st

from steunwijzer.config import Settings, get_settings
from steunwijzer.store import Database, open_database

_frozen = threading.Event()


@st.cache_resource(show_spinner=False)
def database() -> Database:
    return open_database(get_settings())


def settings() -> Settings:
    return get_settings()


def freeze_after_startup() -> None:
    """Once per process, after the first page has imported the app and opened the database:
    move everything alive now (modules, the catalogue, SQLAlchemy's mappers: about 140,000
    objects, whose full collection took 126 ms on the 2-core machine) out of the garbage
    collector's reach with `gc.freeze()`. Later collections then only walk what sessions
    create. Together with `runner.postScriptGC = false` (.streamlit/config.toml) this removed
    most of the server's CPU per click (README: Benchmarks, Load)."""
    if _frozen.is_set():
        return
    _frozen.set()
    gc.collect()
    gc.freeze()


@st.cache_resource(show_spinner=False)
def transcription_worker():
    """The transcription worker inside this app process (one per process, so the model is loaded
    once), unless STEUNWIJZER_EMBEDDED_WORKER=false because separate workers do the work. Started
    by every page, so jobs left by a restart continue whoever comes first. The model is loaded by
    the first job, not before: loading it takes the process's CPU for seconds, which would freeze
    the page of whoever happened to open a voice question first."""
    from steunwijzer import jobs

    settings = get_settings()
    if not settings.embedded_worker:
        return None
    return jobs.start_worker(database(), settings, preload=False)
