"""Download buttons for documents built in the core (built only when clicked)."""

from __future__ import annotations

from typing import Callable

import streamlit as st

from steunwijzer.i18n import N_

# File names in the reader's language ("aanvraag-12.docx", "application-12.docx", …).
APPLICATION_FILE = N_("application-{number}.docx")
REPORT_FILE = N_("report-{number}.docx")
LETTER_FILE = N_("decision-{number}-{language}.docx")

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_button(label: str, build: Callable[[], bytes], file_name: str, key: str | None = None) -> None:
    st.download_button(label, data=build, file_name=file_name, mime=DOCX_MIME, key=key, icon=":material/download:")
