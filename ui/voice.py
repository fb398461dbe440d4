"""Answer by voice: record in the browser or upload a voice note. Each recording is checked,
stored and queued as a transcription job (steunwijzer.jobs); a worker writes it down and the
text comes into the answer field when it is ready, the volunteer reads and corrects it.

The page never waits for the model: it shows every recording of the question with its state and
polls (st.fragment with run_every) while one is waiting or being written down. Because the job
also adds its text to the saved answer, nothing is lost when the group presses Save, opens
another question, reloads, or comes back later with its code."""

from __future__ import annotations

import streamlit as st

from steunwijzer import i18n, jobs
from steunwijzer.config import LOCALES
from steunwijzer.errors import SteunwijzerError
from steunwijzer.i18n import N_
from steunwijzer.store import TranscriptionJobRow
from ui import resources
from ui.shell import PageContext

UPLOAD_TYPES = ["ogg", "opus", "oga", "m4a", "mp3", "wav", "webm", "aac", "mp4", "amr", "3gp", "flac"]
AUTO = "auto"
POLL_SECONDS = 1.0

STATE_TEXT = {
    jobs.WAITING: N_("Waiting to be written down."),
    jobs.RUNNING: N_("Being written down…"),
    jobs.READY: N_("Written down."),
    jobs.FAILED: N_("Could not be written down."),
}


def voice_meta(text_key: str) -> dict | None:
    """The voice facts of the answer in `text_key` (audio id, language), if it came from speech."""
    return st.session_state.get(text_key + "_voice")


def voice_input(ctx: PageContext, application_id: int, question_id: str, text_key: str,
                form: str = "application", max_minutes: float | None = None) -> None:
    """Recorder, uploader and the list of this question's recordings. A transcript goes into the
    text field `text_key` (through `text_key + "_pending"`, as a drawn widget cannot be changed in
    the same run: the caller moves the pending value into the field before drawing it)."""
    _ = ctx.gettext
    resources.transcription_worker()  # one per process (page_setup starts it too)
    max_seconds = (max_minutes or ctx.settings.max_audio_minutes) * 60
    with st.container(border=True):
        st.markdown(":material/mic: **" + _("Or say your answer") + "**")
        languages = [AUTO, *LOCALES, *[c for c in ("fa", "so", "ru", "de", "fr", "es") if c not in LOCALES]]
        lang_key = text_key + "_lang"
        if lang_key not in st.session_state:  # the language of the last recording, also after a reload
            with ctx.db.session() as s:
                rows = jobs.jobs_for_question(s, application_id, form, question_id)
            spoken = next((r.language for r in reversed(rows) if r.language in languages), None)
            st.session_state[lang_key] = spoken or ctx.locale
        st.selectbox(_("The language you speak"), languages, key=lang_key,
                     format_func=lambda c: _("Find out by itself") if c == AUTO else i18n.language_name(c, ctx.locale, label=True))
        recording = st.audio_input(_("Record your answer"), key=text_key + "_rec")
        st.caption(_("Press the microphone to start, and press again to stop.") + " "
                   + _("If the recorder shows an error, allow the microphone in your browser, or send a voice note below."))
        upload = st.file_uploader(_("Or send a voice note (for example from WhatsApp)"), type=UPLOAD_TYPES,
                                  key=text_key + "_upload")
        st.caption(_("Choose the file with the button above."))
        # Each widget is followed by its own file id, so a new recording or upload is always
        # taken, whichever widget it came from, also the same file sent again.
        for widget, source in (("rec", recording), ("upload", upload)):
            seen_key = f"{text_key}_seen_{widget}"
            if source is not None and st.session_state.get(seen_key) != source.file_id:
                st.session_state[seen_key] = source.file_id
                _submit(ctx, application_id, question_id, text_key, form, source.getvalue(), source.name,
                        max_seconds, st.session_state[lang_key])
        error = st.session_state.pop(text_key + "_error", None)
        if error is not None:  # next to the recorder, in the group's language
            ctx.error(error)
        with ctx.db.session() as s:
            active = any(r.state in jobs.OPEN_STATES for r in jobs.jobs_for_question(s, application_id, form, question_id))
        panel = st.fragment(_recordings, run_every=POLL_SECONDS if active else None)
        panel(ctx, application_id, form, question_id, text_key, active)


def _submit(ctx, application_id, question_id, text_key, form, data, filename, max_seconds, language) -> None:
    try:
        job_id = jobs.submit_recording(ctx.db, ctx.settings, application_id, data, filename, form, question_id,
                                       None if language == AUTO else language, max_seconds)
    except SteunwijzerError as exc:
        st.session_state[text_key + "_error"] = exc
        return
    _watch(text_key).add(job_id)


def _watch(text_key: str) -> set[int]:
    """Jobs this session saw before they were ready: their text goes into the field when ready.
    (A job first seen ready already put its text into the saved answer the field came from.)"""
    return st.session_state.setdefault(text_key + "_watch", set())


def _recordings(ctx: PageContext, application_id: int, form: str, question_id: str, text_key: str, was_active: bool) -> None:
    _ = ctx.gettext
    with ctx.db.session() as s:
        rows = jobs.jobs_for_question(s, application_id, form, question_id)
        places = {r.id: jobs.place_in_line(s, r) for r in rows if r.state == jobs.WAITING}
    watch = _watch(text_key)
    # A timed rerun can still come for this question after the group moved on (fragments are
    # known by their place on the page). Its field is gone then: deliver nothing, or the text
    # would replace the saved answer (with the typed part) when the group comes back.
    on_screen = text_key in st.session_state
    delivered = False
    for row in rows:
        if row.state in jobs.OPEN_STATES:
            watch.add(row.id)
        elif row.id in watch and on_screen:
            watch.discard(row.id)
            if row.state == jobs.READY:
                _deliver(text_key, row)
                delivered = True
    if delivered or (was_active and not any(r.state in jobs.OPEN_STATES for r in rows)):
        st.rerun()  # the whole page: the field shows the text, and the polling stops
    if not rows:
        return
    st.markdown("**" + _("Your recordings") + "**")
    for number, row in enumerate(rows, start=1):
        _recording(ctx, application_id, text_key, number, row, places.get(row.id))


def _recording(ctx: PageContext, application_id: int, text_key: str, number: int, row: TranscriptionJobRow,
               place: int | None) -> None:
    _ = ctx.gettext
    with st.container(border=True):
        st.markdown(_("Recording {n}").format(n=number) + " · " + _(STATE_TEXT[row.state]))
        if row.state == jobs.WAITING:
            st.caption(_("You are number {n} in line.").format(n=place or 1))
        elif row.state == jobs.RUNNING:
            st.progress(min(max(row.progress, 0.0), 1.0), text=_("Writing down what you said…"))
        elif row.state == jobs.FAILED:
            st.error(jobs.job_error(row).translated(_), icon=":material/error:")
            st.caption(_("Your recording is kept. You can try again, or type your answer."))
        elif row.state == jobs.READY:
            heard = i18n.language_name(row.language or row.detected_language or ctx.locale, ctx.locale)
            st.caption(_("We heard: {language}. Please read the text above and correct it where needed.").format(language=heard))
            if not row.complete:
                st.warning(_("We could only write down the first part. Please check the text and add what is missing."))
            other = jobs.language_mismatch(row)
            if other:
                st.warning(_("This sounds like {heard}, not {chosen}.").format(
                    heard=i18n.language_name(other, ctx.locale), chosen=i18n.language_name(row.language, ctx.locale)),
                    icon=":material/translate:")
                if st.button(_("Transcribe again in {language}").format(language=i18n.language_name(other, ctx.locale)),
                             key=f"{text_key}_detected_{row.id}"):
                    _again(ctx, application_id, text_key, row, other)
        chosen = st.session_state.get(text_key + "_lang", AUTO)
        left, right = st.columns(2)
        if row.state in (jobs.READY, jobs.FAILED):
            target = None if chosen == AUTO else chosen
            if row.state == jobs.READY and target and target != row.language and target != jobs.language_mismatch(row):
                label = _("Transcribe again in {language}").format(language=i18n.language_name(target, ctx.locale))
            else:
                label = _("Transcribe again")
            if left.button(label, key=f"{text_key}_again_{row.id}", icon=":material/refresh:"):
                _again(ctx, application_id, text_key, row, target)
        if right.button(_("Remove this recording"), key=f"{text_key}_remove_{row.id}", icon=":material/delete:"):
            try:
                jobs.remove_recording(ctx.db, application_id, row.id)
            except SteunwijzerError as exc:
                st.session_state[text_key + "_error"] = exc
            st.rerun()


def _again(ctx: PageContext, application_id: int, text_key: str, row: TranscriptionJobRow, language: str | None) -> None:
    try:
        _watch(text_key).add(jobs.transcribe_again(ctx.db, ctx.settings, application_id, row.id, language))
    except SteunwijzerError as exc:
        st.session_state[text_key + "_error"] = exc
    st.rerun()


def _deliver(text_key: str, row: TranscriptionJobRow) -> None:
    """Put a ready transcript into the field: typed text is kept, the transcript added after it;
    a recording written down again replaces its earlier transcript."""
    previous = (row.error_params or {}).get("previous")
    current = st.session_state.get(text_key + "_pending", st.session_state.get(text_key)) or ""
    combined = jobs.combine(current, row.transcript or "", previous)
    if combined != current:
        st.session_state[text_key + "_pending"] = combined
    st.session_state[text_key + "_voice"] = {"audio_id": row.audio_id, "language": row.language or row.detected_language,
                                             "text": row.transcript, "complete": row.complete}

