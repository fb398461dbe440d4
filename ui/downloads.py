"""Download buttons for documents built in the core (built only when clicked).

On an officer page every builder is wrapped by `officer_download`: Streamlit calls a callable
`data` when the button is clicked, later and in another thread, so the wrapper checks the
officer's session again at that moment (idle, lifetime, account still active, application still
theirs) and writes the audit line; a refusal raises, and the browser gets no file."""

from __future__ import annotations

from typing import Callable

import streamlit as st

from steunwijzer.i18n import N_

# File names in the reader's language ("aanvraag-12.docx", "application-12.docx", …).
APPLICATION_FILE = N_("application-{number}.docx")
REPORT_FILE = N_("report-{number}.docx")
LETTER_FILE = N_("decision-{number}-{language}.docx")

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def officer_download(ctx, build: Callable[[], bytes | str], action: str | None, application_id: int | None = None,
                     **detail: object) -> Callable[[], bytes | str]:
    """`build`, run only for an officer whose session may still act; `action` is the audit line
    (None when `build` writes its own)."""
    from steunwijzer import audit, review
    from ui import shell

    snapshot, db, settings = shell.session_snapshot(), ctx.db, ctx.settings

    def checked() -> bytes | str:
        officer = shell.check_snapshot(snapshot, db, settings)
        with db.session() as s:
            if application_id is not None:
                review.check_access(s, officer, application_id)
            if action:
                audit.record(s, officer.username, action, application_id=application_id, **detail)
        return build()

    return checked


def docx_button(label: str, build: Callable[[], bytes], file_name: str, key: str | None = None) -> None:
    st.download_button(label, data=build, file_name=file_name, mime=DOCX_MIME, key=key, icon=":material/download:")


def report_document(ctx, application_id: int) -> Callable[[], bytes]:
    """The report as .docx in the reader's language, built when the button is pressed."""
    from steunwijzer import reports

    def build() -> bytes:
        with ctx.db.session() as s:
            return reports.report_document(s, application_id, ctx.locale)

    return build
