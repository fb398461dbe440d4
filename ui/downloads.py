"""Download buttons for documents built in the core (built only when clicked)."""

from __future__ import annotations

from typing import Callable

import streamlit as st

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_button(label: str, build: Callable[[], bytes], file_name: str, key: str | None = None) -> None:
    st.download_button(label, data=build, file_name=file_name, mime=DOCX_MIME, key=key, icon=":material/download:")
