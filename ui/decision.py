"""A decision, drawn the same way for the group and for the officer, and its stored letters."""

from __future__ import annotations

from typing import assert_never

import streamlit as st

from steunwijzer import forms, i18n, letters
from steunwijzer.labels import GRANT_SENTENCES, PAYMENT_LABELS, TIER_LABELS
from steunwijzer.models import Application, Decision, Outcome
from ui.downloads import LETTER_FILE, docx_button
from ui.shell import PageContext
from ui.text import md


def _officer_words(ctx: PageContext, text: str | None) -> None:
    if text:
        st.caption(ctx.gettext("Written by the officer:"))
        st.markdown(md(text))


def summary(ctx: PageContext, d: Decision, for_officer: bool = False) -> None:
    _ = ctx.gettext
    match d.outcome:
        case Outcome.grant:
            amount = ctx.money(d.amount_eur)
            if for_officer:
                line = _("Granted: {amount}").format(amount=amount)
                if d.payment:
                    line += " · " + _(PAYMENT_LABELS[d.payment])
            else:
                line = _(GRANT_SENTENCES[d.payment]).format(amount=amount)
            st.write(line)
            conditions = [_(forms.standard_conditions()[k].text) for k in d.condition_keys]
            if conditions:
                st.markdown(_("Conditions:") + "\n" + "\n".join(f"- {c}" for c in conditions))
            _officer_words(ctx, d.conditions)
            if d.report_tier:
                st.write(_(TIER_LABELS[d.report_tier]))
        case Outcome.refuse:
            reasons = [_(forms.refusal_reasons()[k].text) for k in d.reason_keys]
            if reasons:
                st.markdown(_("Reason:") + "\n" + "\n".join(f"- {r}" for r in reasons))
            _officer_words(ctx, d.reason)
            if d.suggestions:
                st.markdown(_("Other funds you could try") + ":\n" + "\n".join(f"- {md(s.name)}" for s in d.suggestions))
        case Outcome.refer:
            st.markdown(_("We passed your application on to: {name}").format(name=md(d.referred_to or "")))
            _officer_words(ctx, d.reason)
        case _ as never:
            assert_never(never)


def letter_buttons(ctx: PageContext, app: Application, locales: list[str], for_officer: bool = False) -> None:
    """Download buttons for the stored letters: each gives exactly the file made at the decision.
    An officer's download checks the session when clicked and is audited."""
    from ui import downloads

    _ = ctx.gettext
    for locale in dict.fromkeys(locales):
        def stored(loc=locale) -> bytes:
            with ctx.db.session() as s:
                return letters.stored_letter(s, app.id, loc)[0]

        if for_officer:
            stored = downloads.officer_download(ctx, stored, "application.download", app.id, document="letter", locale=locale)

        language = i18n.language_name(locale, ctx.locale)
        label = (_("Official decision letter ({language})") if locale == "nl" else _("Decision letter ({language})")).format(language=language)
        docx_button(label, build=stored, file_name=_(LETTER_FILE).format(number=app.id, language=locale), key=f"letter_{locale}")
