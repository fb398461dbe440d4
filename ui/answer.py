"""The answer widget: one question on screen, typed (and, for open questions, spoken).

Values are validated by the core (steunwijzer.forms) and saved at once by the caller's `save`.
Widget keys carry the application and question id, so two applications never share state."""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

import streamlit as st

from steunwijzer import forms, i18n
from steunwijzer.i18n import N_
from steunwijzer.errors import SteunwijzerError
from steunwijzer.models import Answer, Application, BankAccount, Contact, Question, QuestionType
from ui import voice
from ui.shell import PageContext
from ui.text import md

MAX_BUDGET_ROWS = forms.MAX_BUDGET_LINES


PITCH_CHECKLIST = (
    N_("who you are"), N_("what you want to do"), N_("why it matters"), N_("when and where"), N_("what it costs"),
)


def answer_origin(ctx: PageContext, app: Application, question: Question, saved: Answer | None) -> tuple[str | None, str, int | None]:
    """(language, source, audio id) for an answer about to be saved: from the voice input when
    the text came from speech, else the UI language."""
    meta = voice.voice_meta(key(app, question)) if question.is_open_text else None
    if meta:
        return meta["language"], "voice", meta["audio_id"]
    if saved is not None and saved.source == "voice":
        return saved.language, "voice", saved.audio_id
    return ctx.locale, "typed", None


def key(app: Application, question: Question, part: str = "") -> str:
    return f"ans_{app.id}_{question.id}{'_' + part if part else ''}"


def _init(k: str, value) -> None:
    """Give a widget its saved value the first time it is drawn (not on every rerun)."""
    if k not in st.session_state:
        st.session_state[k] = value


def money_text(value: Decimal | None, locale: str) -> str:
    """An amount as the user would type it in their language ('1.500,50' in nl), for editing."""
    if value is None:
        return ""
    if value == value.to_integral():
        return i18n.format_number(int(value), locale)
    return i18n.format_number_2(value, locale)


def question_header(ctx: PageContext, question: Question) -> None:
    _ = ctx.gettext
    st.subheader(_(question.text))
    if question.help:
        st.write(_(question.help))
    if question.example:
        st.caption(_("For example: {example}").format(example=_(question.example)))


def raw_value(ctx: PageContext, app: Application, question: Question):
    """What is in the widgets now, as the core's validators take it."""
    t = question.type
    s = st.session_state
    if t == QuestionType.budget:
        rows = s.get(key(app, question, "rows"), 3)
        return [{"item": s.get(key(app, question, f"item{i}"), ""), "amount": s.get(key(app, question, f"amount{i}"), "")} for i in range(rows)]
    if t == QuestionType.contact:
        return {part: s.get(key(app, question, part), "") for part in ("name", "phone", "email", "mail_ok")}
    if t == QuestionType.bank:
        return {part: s.get(key(app, question, part), "") for part in ("route", "iban", "holder", "penvoerder_name")}
    return s.get(key(app, question))


def answer_input(ctx: PageContext, app: Application, question: Question, on_change: Callable[[], None] | None = None,
                 saved: Answer | None = None, voice_form: str | None = "application") -> None:
    """Draw the input widgets for a question, filled with the saved answer (default: the
    application's answer to it). Open questions can also be answered by voice."""
    _ = ctx.gettext
    saved = saved if saved is not None else app.answers.get(question.id)
    value = saved.value if saved else None
    t = question.type
    if t in (QuestionType.short_text, QuestionType.long_text):
        k = key(app, question)
        pending = st.session_state.pop(k + "_pending", None)
        if pending is not None:
            st.session_state[k] = pending
        _init(k, value or "")
        voice.show_voice_error(ctx, k)
        widget = st.text_area if t == QuestionType.long_text else st.text_input
        kwargs = {"height": 180} if t == QuestionType.long_text else {}
        widget(_("Your answer"), key=k, max_chars=forms.max_length(question) + 1000, on_change=on_change, **kwargs)
        if question.spoken and voice_form:
            if question.id == "pitch":
                st.markdown(_("Say in your recording:") + "\n" + "\n".join(f"- {_(item)}" for item in PITCH_CHECKLIST))
            voice.voice_input(ctx, app.id, question.id, k, form=voice_form,
                              max_minutes=ctx.settings.max_pitch_minutes if question.id == "pitch" else None)
    elif t == QuestionType.people:
        k = key(app, question)
        _init(k, "" if value is None else str(value))
        st.text_input(_("Number of people"), key=k, max_chars=12, on_change=on_change)
    elif t == QuestionType.money:
        k = key(app, question)
        _init(k, money_text(value, ctx.locale))
        st.text_input(_("Amount in euros"), key=k, max_chars=20, placeholder=i18n.money_example(ctx.locale), on_change=on_change)
    elif t == QuestionType.budget:
        _budget_input(ctx, app, question, value or [])
    elif t == QuestionType.contact:
        contact: Contact | None = value
        for part, label in (("name", _("Name")), ("phone", _("Phone number")), ("email", _("E-mail address"))):
            k = key(app, question, part)
            _init(k, getattr(contact, part, None) or "")
            st.text_input(label, key=k, max_chars=254)
        _init(key(app, question, "mail_ok"), bool(getattr(contact, "mail_ok", False)))
        st.checkbox(_("You may e-mail me about this application"), key=key(app, question, "mail_ok"))
    elif t == QuestionType.bank:
        _bank_input(ctx, app, question, value)
    elif t in (QuestionType.choice, QuestionType.multi_choice):
        k = key(app, question)
        options = [c.value for c in question.choices]
        labels = {c.value: _(c.label) for c in question.choices}
        if t == QuestionType.choice:
            _init(k, value)
            st.radio(_("Your answer"), options, key=k, format_func=labels.get, index=None)
        else:
            _init(k, value or [])
            st.multiselect(_("Your answer"), options, key=k, format_func=labels.get)
    elif t == QuestionType.date:
        k = key(app, question)
        _init(k, value)
        st.date_input(_("Date"), key=k, format="DD-MM-YYYY")


def _budget_input(ctx: PageContext, app: Application, question: Question, lines) -> None:
    _ = ctx.gettext
    rows_key = key(app, question, "rows")
    _init(rows_key, max(3, len(lines) + 1))
    for i in range(st.session_state[rows_key]):
        line = lines[i] if i < len(lines) else None
        _init(key(app, question, f"item{i}"), line.item if line else "")
        _init(key(app, question, f"amount{i}"), money_text(line.amount, ctx.locale) if line else "")
        left, right = st.columns([3, 1])
        left.text_input(_("Cost {n}: what for?").format(n=i + 1), key=key(app, question, f"item{i}"), max_chars=200)
        right.text_input(_("Amount in euros"), key=key(app, question, f"amount{i}"), max_chars=20,
                         placeholder=i18n.money_example(ctx.locale))
    if st.session_state[rows_key] < MAX_BUDGET_ROWS and st.button(_("Add a line"), icon=":material/add:", key=key(app, question, "add")):
        st.session_state[rows_key] += 1
        st.rerun()
    try:
        current = forms.validate_budget(question.model_copy(update={"required": False}), raw_value(ctx, app, question), ctx.locale)
    except SteunwijzerError:
        current = None
    if current:
        st.markdown("**" + _("Total: {amount}").format(amount=ctx.money(forms.budget_total(current))) + "**")


def _bank_input(ctx: PageContext, app: Application, question: Question, bank: BankAccount | None) -> None:
    _ = ctx.gettext
    route_key = key(app, question, "route")
    _init(route_key, bank.route if bank else "own_account")
    labels = {"own_account": _("To the bank account of our group"),
              "penvoerder": _("To an organisation that receives the money for us (penvoerder)")}
    st.radio(_("Where should the money go?"), list(labels), key=route_key, format_func=labels.get)
    if st.session_state[route_key] == "penvoerder":
        _init(key(app, question, "penvoerder_name"), (bank.penvoerder_name if bank else None) or "")
        st.text_input(_("Name of the organisation"), key=key(app, question, "penvoerder_name"), max_chars=200)
    _init(key(app, question, "iban"), forms.format_iban(bank.iban) if bank else "")
    _init(key(app, question, "holder"), bank.holder if bank else "")
    st.text_input(_("IBAN (bank account number)"), key=key(app, question, "iban"), max_chars=50, placeholder="NL91 ABNA 0417 1643 00")
    st.text_input(_("Name of the account holder"), key=key(app, question, "holder"), max_chars=200)


def show_answer(ctx: PageContext, answer: Answer | None) -> str:
    """An answer as short Markdown for the review screen (user text escaped)."""
    _ = ctx.gettext
    if answer is None or answer.value is None:
        return "*" + _("No answer yet") + "*"
    v = answer.value
    if isinstance(v, Decimal):
        return ctx.money(v)
    if isinstance(v, Contact):
        return " · ".join(escape(x) for x in (v.name, v.phone, v.email) if x)
    if isinstance(v, BankAccount):
        parts = [forms.format_iban(v.iban), v.holder]
        if v.penvoerder_name:
            parts.insert(0, _("Penvoerder: {name}").format(name=v.penvoerder_name))
        return " · ".join(escape(p) for p in parts)
    if isinstance(v, list) and v and hasattr(v[0], "amount"):
        lines = [f"- {escape(line.item)}: {ctx.money(line.amount)}" for line in v]
        return "\n".join(lines + ["", "**" + _("Total: {amount}").format(amount=ctx.money(forms.budget_total(v))) + "**"])
    return escape(str(v))


escape = md  # user text as text: no Markdown or HTML from users is ever rendered
