"""The questions and answers between officer and group, drawn the same way on both sides."""

from __future__ import annotations

from typing import Callable

import streamlit as st

from steunwijzer import review
from steunwijzer.models import Application, Message
from ui.shell import PageContext
from ui.text import md


def message_text(ctx: PageContext, message: Message) -> str:
    """A common question is read in the reader's language; anything else exactly as written."""
    if message.sender == "officer" and message.template_key in review.common_questions():
        return md(ctx.gettext(message.text))
    return md(message.text)


def written_by_officer(message: Message) -> bool:
    return message.sender == "officer" and message.template_key not in review.common_questions()


def messages(ctx: PageContext, app: Application, for_officer: bool, play: Callable[[Message], None] | None = None) -> None:
    """Every message as a chat bubble. Officers see who wrote it and when, and can listen."""
    _ = ctx.gettext
    for m in app.messages:
        with st.chat_message("assistant" if m.sender == "officer" else "user"):
            if for_officer:
                who = _("Officer {name}").format(name=md(m.author)) if m.sender == "officer" else _("The group")
                st.caption(f"{who} · {ctx.moment(m.created_at)}")
            elif written_by_officer(m):
                st.caption(_("Written by the officer:"))
            st.markdown(message_text(ctx, m))
            if for_officer and m.audio_id and play is not None:
                play(m)
