"""Answer by voice: record in the browser or upload a voice note; the local Whisper model turns
it into text that the volunteer reads, corrects and confirms.

The recording is stored before it is transcribed, so a failed transcription loses nothing; the
typed text is never overwritten by a failure."""

from __future__ import annotations

import hashlib

import streamlit as st

from steunwijzer import applications, i18n
from steunwijzer.config import LOCALES
from steunwijzer.errors import SpeechError, SteunwijzerError
from ui.shell import PageContext

UPLOAD_TYPES = ["ogg", "opus", "oga", "m4a", "mp3", "wav", "webm", "aac", "mp4", "amr", "3gp", "flac"]
AUTO = "auto"


def voice_meta(text_key: str) -> dict | None:
    """The voice facts of the answer in `text_key` (audio id, language), if it came from speech."""
    return st.session_state.get(text_key + "_voice")


def voice_input(ctx: PageContext, application_id: int, question_id: str, text_key: str,
                form: str = "application", max_minutes: float | None = None) -> None:
    """Recorder and uploader for one answer. A transcript goes into the text field `text_key`
    (through a pending value, as a drawn widget cannot be changed in the same run)."""
    _ = ctx.gettext
    with st.container(border=True):
        st.markdown(":material/mic: **" + _("Or say your answer") + "**")
        languages = [AUTO, *LOCALES, *[c for c in ("fa", "so", "ru", "de", "fr", "es") if c not in LOCALES]]
        lang_key = text_key + "_lang"
        if lang_key not in st.session_state:
            st.session_state[lang_key] = ctx.locale
        st.selectbox(_("The language you speak"), languages, key=lang_key,
                     format_func=lambda c: _("Find out by itself") if c == AUTO else i18n.language_name(c, ctx.locale))
        recording = st.audio_input(_("Record your answer"), key=text_key + "_rec")
        st.caption(_("Press the microphone to start, and press again to stop."))
        upload = st.file_uploader(_("Or send a voice note (for example from WhatsApp)"), type=UPLOAD_TYPES,
                                  key=text_key + "_upload")
        st.caption(_("Choose the file with the button above."))
        source = recording or upload
        if source is not None:
            data = source.getvalue()
            fingerprint = hashlib.sha1(data).hexdigest()
            if st.session_state.get(text_key + "_done") != fingerprint:
                st.session_state[text_key + "_done"] = fingerprint
                _handle(ctx, application_id, question_id, text_key, form, data, source.name, source.type,
                        max_minutes, st.session_state[lang_key])
        meta = voice_meta(text_key)
        if meta:
            heard = i18n.language_name(meta["language"], ctx.locale)
            st.caption(_("We heard: {language}. Please read the text above and correct it where needed.").format(language=heard))
            if meta.get("complete") is False:
                st.warning(_("We could only write down the first part. Please check the text and add what is missing."))
            if meta["language"] != st.session_state[lang_key] and st.session_state[lang_key] != AUTO:
                if st.button(_("Write it down again in {language}").format(
                        language=i18n.language_name(st.session_state[lang_key], ctx.locale)), key=text_key + "_again"):
                    with ctx.db.session() as s:
                        data, mime = applications.audio_bytes(s, meta["audio_id"], application_id)
                    _transcribe(ctx, application_id, text_key, data, "recording", meta["audio_id"], max_minutes,
                                st.session_state[lang_key])
                    st.rerun()


def _handle(ctx, application_id, question_id, text_key, form, data, filename, mime, max_minutes, language) -> None:
    _ = ctx.gettext
    limit = ctx.settings.max_upload_mb * 1024 * 1024
    if not data:
        ctx.error(SpeechError("The recording is empty."))
        return
    if len(data) > limit:
        ctx.error(SpeechError("This file is too large. The limit is {mb} MB.", mb=ctx.settings.max_upload_mb))
        return
    with ctx.db.session() as s:  # keep the recording first: a failed transcription loses nothing
        audio_id = applications.store_audio(s, application_id, data, mime or "application/octet-stream", filename,
                                            None, question_id, form=form)
    _transcribe(ctx, application_id, text_key, data, filename, audio_id, max_minutes, language)
    st.rerun()


def _transcribe(ctx, application_id, text_key, data, filename, audio_id, max_minutes, language) -> None:
    from steunwijzer.speech import service

    _ = ctx.gettext
    settings = ctx.settings
    with st.spinner(_("Getting ready to listen…")):
        service.get_engine(settings.speech_engine, settings.speech_model)  # loaded once per process, shared
    line = st.empty()
    bar = st.progress(0.0, text=_("Listening to your recording…"))

    def on_position(position: int) -> None:
        if position > 0:
            line.info(_("Others are before you. You are number {n} in line.").format(n=position))
        else:
            line.empty()

    try:
        transcript = service.transcribe_bytes(
            data, filename, language=None if language == AUTO else language, settings=settings,
            on_progress=lambda f: bar.progress(min(max(f, 0.0), 1.0), text=_("Writing down what you said…")),
            on_queue_position=on_position, max_minutes=max_minutes)
    except SteunwijzerError as exc:
        bar.empty()
        st.session_state[text_key + "_error"] = exc
        return
    with ctx.db.session() as s:
        applications.set_audio_transcript(s, audio_id, application_id, transcript.text, transcript.language, transcript.duration_s)
    previous = st.session_state.get(text_key + "_voice", {}).get("text")
    current = st.session_state.get(text_key, "")
    if current.strip() and current != previous:
        text = current.rstrip() + "\n\n" + transcript.text   # keep what was typed; add what was said
    else:
        text = transcript.text
    st.session_state[text_key + "_pending"] = text
    st.session_state[text_key + "_voice"] = {"audio_id": audio_id, "language": transcript.language,
                                            "text": transcript.text, "complete": transcript.complete}


def show_voice_error(ctx: PageContext, text_key: str) -> None:
    exc = st.session_state.pop(text_key + "_error", None)
    if exc is not None:
        ctx.error(exc)
        st.caption(ctx.gettext("Your recording is kept. You can try again, or type your answer."))
