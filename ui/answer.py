"""The answer widget: one question on screen, typed (and, for open questions, spoken).

One registry, `WIDGETS`, says per question type how to draw its input, how to read what is in
the widgets now, and how to show a saved answer (Markdown with the group's text escaped). The
core's registry (steunwijzer.answer_types) validates and stores. A new question type is one entry
there and one here. Widget keys carry the application and question id, so two applications
never share state."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

import streamlit as st
from sqlalchemy.orm import Session

from steunwijzer import answer_types, applications, forms, i18n, reports
from steunwijzer.i18n import N_
from steunwijzer.errors import SteunwijzerError
from steunwijzer.models import Answer, Application, BankAccount, Contact, Question, QuestionType, Role
from ui import voice
from ui.shell import PageContext
from ui.text import md

MAX_BUDGET_ROWS = answer_types.MAX_BUDGET_LINES
PITCH_CHECKLIST = (
    N_("who you are"), N_("what you want to do"), N_("why it matters"), N_("when and where"), N_("what it costs"),
)


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
    from ui import browser

    spoken = " ".join(_(t) for t in (question.text, question.help) if t)
    browser.read_aloud(ctx, spoken, key=f"read_{question.id}")


# ---- the use case, from the page's side ------------------------------------------------------

def answer_origin(ctx: PageContext, app: Application, question: Question, saved: Answer | None) -> tuple[str | None, str, int | None]:
    """(language, source, audio id) for an answer about to be saved: from the voice input when
    the text came from speech, else the UI language."""
    meta = voice.voice_meta(key(app, question)) if question.is_open_text else None
    if meta:
        return meta["language"], "voice", meta["audio_id"]
    if saved is not None and saved.source == "voice":
        return saved.language, "voice", saved.audio_id
    return ctx.locale, "typed", None


def given(ctx: PageContext, app: Application, question: Question, form: str = "application") -> dict:
    """What the group gave for a question now, with where it came from (for the core's use cases)."""
    saved = app.answers_in(form).get(question.id)
    language, source, audio_id = answer_origin(ctx, app, question, saved)
    return {"raw": WIDGETS[question.type].read(ctx, app, question), "language": language, "source": source,
            "audio_id": audio_id}


def give(ctx: PageContext, session: Session, app: Application, question: Question, form: str = "application",
         complete: bool = True, next_question: str | None = None) -> None:
    """Validate and store the answer on screen in one core call (a refusal raises, translatable)."""
    answer = given(ctx, app, question, form)
    applications.give_answer(session, app.id, question, answer["raw"], ctx.locale, language=answer["language"],
                             source=answer["source"], audio_id=answer["audio_id"], form=form, complete=complete)
    if next_question:
        applications.set_current_question(session, app.id, next_question)


def _on_screen(app: Application, question: Question) -> bool:
    """Whether the question's widgets are in this session now. Streamlit forgets the state of a
    widget that was not drawn in the last run; a late change event of such a widget would read
    nothing and must never be taken as "the answer was emptied"."""
    prefix = key(app, question)
    return any(k == prefix or k.startswith(prefix + "_") for k in st.session_state)


def _stored_key(app: Application, question: Question) -> str:
    """Where the session keeps what was last on screen and stored (or refused) for a question."""
    return "stored:" + key(app, question)


def _drawn_key(app: Application, question: Question) -> str:
    """Where the session keeps the last whole run that drew a question's widgets."""
    return "drawn:" + key(app, question)


def save_while_typing(ctx: PageContext, app: Application, question: Question, form: str = "application") -> None:
    """on_change: store what is typed so far; an unfinished answer waits for 'Save and go on'."""
    if not _on_screen(app, question):
        return
    raw = WIDGETS[question.type].read(ctx, app, question)
    try:
        with ctx.db.session() as s:
            give(ctx, s, app, question, form, complete=False)
    except SteunwijzerError:
        pass
    st.session_state[_stored_key(app, question)] = raw


def _catch_up(ctx: PageContext, app: Application, question: Question, form: str) -> None:
    """Store what is on screen if its change event was lost. Streamlit stops a change event
    half-way when the next event comes in at once (a file chosen right after leaving the field)
    and does not send it again; the next run still has the changed value. Called before anything
    is drawn, so the answer is stored before a voice note of the same run is queued."""
    raw = WIDGETS[question.type].read(ctx, app, question)
    if raw != st.session_state.get(_stored_key(app, question)):
        save_while_typing(ctx, app, question, form)


def forget(app: Application, question: Question) -> None:
    """After an answer was sent (an answer to an officer): the next one starts empty and typed."""
    for k in (key(app, question), key(app, question) + "_voice", _stored_key(app, question)):
        st.session_state.pop(k, None)


# ---- drawing ---------------------------------------------------------------------------------

def answer_input(ctx: PageContext, app: Application, question: Question, form: str = "application",
                 voice_form: str | None = "application") -> None:
    """Draw the input widgets for a question, filled with the saved answer; every change is saved
    at once (incomplete answers wait for 'Save and go on' or 'Send'). Open questions can also be
    answered by voice."""
    saved = app.answers_in(form).get(question.id)
    # Drawn in the run before: its widgets hold what the group sees. Otherwise Streamlit forgot
    # them and they are filled from the saved answer now (other keys of the question, such as the
    # voice's, outlive its widgets, so their presence says nothing).
    fresh = st.session_state.get(_drawn_key(app, question)) != ctx.run - 1
    if not fresh:
        _catch_up(ctx, app, question, form)
    WIDGETS[question.type].draw(ctx, app, question, saved.value if saved else None,
                                lambda: save_while_typing(ctx, app, question, form), voice_form)
    st.session_state[_drawn_key(app, question)] = ctx.run
    if fresh:
        st.session_state[_stored_key(app, question)] = WIDGETS[question.type].read(ctx, app, question)


def _draw_text(ctx, app, question, value, on_change, voice_form) -> None:
    _ = ctx.gettext
    k = key(app, question)
    pending = st.session_state.pop(k + "_pending", None)
    if pending is not None:
        st.session_state[k] = pending
    _init(k, value or "")
    long = question.type == QuestionType.long_text
    widget = st.text_area if long else st.text_input
    kwargs = {"height": 180} if long else {}
    widget(_("Your answer"), key=k, max_chars=answer_types.max_length(question), on_change=on_change, **kwargs)
    if question.spoken and voice_form:
        is_pitch = app.route == "pitch" and question.role == Role.description  # on that route the pitch describes the plan
        if is_pitch:
            st.markdown(_("Say in your recording:") + "\n" + "\n".join(f"- {_(item)}" for item in PITCH_CHECKLIST))
        voice.voice_input(ctx, app.id, question.id, k, form=voice_form,
                          max_minutes=ctx.settings.max_pitch_minutes if is_pitch else None)


def _draw_people(ctx, app, question, value, on_change, voice_form) -> None:
    k = key(app, question)
    _init(k, "" if value is None else str(value))
    st.text_input(ctx.gettext("Number of people"), key=k, max_chars=12, on_change=on_change)


def _draw_money(ctx, app, question, value, on_change, voice_form) -> None:
    k = key(app, question)
    _init(k, money_text(value, ctx.locale))
    st.text_input(ctx.gettext("Amount in euros"), key=k, max_chars=20, placeholder=i18n.money_example(ctx.locale),
                  on_change=on_change)


def _draw_contact(ctx, app, question, value: Contact | None, on_change, voice_form) -> None:
    _ = ctx.gettext
    for part, label in (("name", _.pgettext("form field: your name", "Name")), ("phone", _("Phone number")), ("email", _("E-mail address"))):
        k = key(app, question, part)
        _init(k, getattr(value, part, None) or "")
        st.text_input(label, key=k, max_chars=254, on_change=on_change)
    _init(key(app, question, "mail_ok"), bool(getattr(value, "mail_ok", False)))
    st.checkbox(_("You may e-mail me about this application"), key=key(app, question, "mail_ok"), on_change=on_change)


def _draw_choices(ctx, app, question, value, on_change, voice_form) -> None:
    _ = ctx.gettext
    k = key(app, question)
    options = [c.value for c in question.choices]
    labels = {c.value: _(c.label) for c in question.choices}
    if question.type == QuestionType.choice:
        _init(k, value)
        st.radio(_("Your answer"), options, key=k, format_func=labels.get, index=None, on_change=on_change)
    else:
        _init(k, value or [])
        st.multiselect(_("Your answer"), options, key=k, format_func=labels.get, on_change=on_change)


def _draw_date(ctx, app, question, value, on_change, voice_form) -> None:
    k = key(app, question)
    _init(k, value)
    st.date_input(ctx.gettext("Date"), key=k, format="DD-MM-YYYY", on_change=on_change)


def _draw_budget(ctx, app, question, lines, on_change, voice_form) -> None:
    _ = ctx.gettext
    lines = lines or []
    rows_key = key(app, question, "rows")
    _init(rows_key, max(3, len(lines) + 1))
    for i in range(st.session_state[rows_key]):
        line = lines[i] if i < len(lines) else None
        _init(key(app, question, f"item{i}"), line.item if line else "")
        _init(key(app, question, f"amount{i}"), money_text(line.amount, ctx.locale) if line else "")
        left, right = st.columns([3, 1])
        left.text_input(_("Cost {n}: what for?").format(n=i + 1), key=key(app, question, f"item{i}"), max_chars=200,
                        on_change=on_change)
        right.text_input(_("Amount in euros"), key=key(app, question, f"amount{i}"), max_chars=20,
                         placeholder=i18n.money_example(ctx.locale), on_change=on_change)
    if st.session_state[rows_key] < MAX_BUDGET_ROWS and st.button(_("Add a line"), icon=":material/add:", key=key(app, question, "add")):
        st.session_state[rows_key] += 1
        st.rerun()
    try:
        current = answer_types.validate(question.model_copy(update={"required": False}), _read_budget(ctx, app, question), ctx.locale)
    except SteunwijzerError:
        current = None
    if current:
        st.markdown("**" + _("Total: {amount}").format(amount=ctx.money(forms.budget_total(current))) + "**")


def _draw_bank(ctx, app, question, bank: BankAccount | None, on_change, voice_form) -> None:
    _ = ctx.gettext
    route_key = key(app, question, "route")
    _init(route_key, bank.route if bank else "own_account")
    labels = {"own_account": _("To the bank account of our group"),
              "penvoerder": _("To an organisation that receives the money for us (penvoerder)")}
    st.radio(_("Where should the money go?"), list(labels), key=route_key, format_func=labels.get, on_change=on_change)
    if st.session_state[route_key] == "penvoerder":
        _init(key(app, question, "penvoerder_name"), (bank.penvoerder_name if bank else None) or "")
        st.text_input(_("Name of the organisation"), key=key(app, question, "penvoerder_name"), max_chars=200,
                      on_change=on_change)
    _init(key(app, question, "iban"), answer_types.format_iban(bank.iban) if bank else "")
    _init(key(app, question, "holder"), bank.holder if bank else "")
    st.text_input(_("IBAN (bank account number)"), key=key(app, question, "iban"), max_chars=50,
                  placeholder="NL91 ABNA 0417 1643 00", on_change=on_change)
    st.text_input(_("Name of the account holder"), key=key(app, question, "holder"), max_chars=200, on_change=on_change)


def _draw_spending(ctx, app, question, value, on_change, voice_form) -> None:
    _ = ctx.gettext
    lines = reports.planned_spending(app)
    if not lines:
        st.caption(_("Your plan had no cost lines."))
        return
    for i, line in enumerate(lines):
        k = key(app, question, f"spent{i}")
        _init(k, money_text(line.spent, ctx.locale))
        left, right = st.columns([3, 2])
        left.markdown(f"{md(line.item)}  \n" + _("Planned: {amount}").format(amount=ctx.money(line.amount)))
        right.text_input(_("Really spent"), key=k, max_chars=20, on_change=on_change)
    spent = sum((line.spent for line in lines if line.spent is not None), start=forms.budget_total([]))
    st.markdown("**" + _("Planned {planned}, spent {spent}, left {left}").format(
        planned=ctx.money(forms.budget_total(lines)), spent=ctx.money(spent),
        left=ctx.money(forms.budget_total(lines) - spent)) + "**")


def _draw_photos(ctx, app, question, value, on_change, voice_form) -> None:
    _ = ctx.gettext
    with ctx.db.session() as s:
        stored = reports.photos(s, app.id)
    if stored:
        st.image([p.data for p in stored], width=120)
    upload = st.file_uploader(_("Add a photo"), type=["jpg", "jpeg", "png", "heic"], key=key(app, question, "upload"))
    st.caption(_("Choose a photo with the button above. It is added right away."))
    seen = key(app, question, "seen")
    if upload is not None and st.session_state.get(seen) != upload.file_id:
        st.session_state[seen] = upload.file_id
        if ctx.attempt(lambda s: reports.add_photo(s, app.id, upload.getvalue(), upload.type, upload.name,
                                                   ctx.settings.max_upload_mb * 1024 * 1024)):
            st.rerun()


# ---- reading what is on screen ------------------------------------------------------------------

def _read_single(ctx, app, question):
    return st.session_state.get(key(app, question))


def _read_budget(ctx, app, question):
    s = st.session_state
    rows = s.get(key(app, question, "rows"), 3)
    return [{"item": s.get(key(app, question, f"item{i}"), ""), "amount": s.get(key(app, question, f"amount{i}"), "")}
            for i in range(rows)]


def _read_parts(*parts: str):
    return lambda ctx, app, question: {part: st.session_state.get(key(app, question, part), "") for part in parts}


def _read_spending(ctx, app, question):
    lines = reports.planned_spending(app)
    return reports.spending_raw(lines, [st.session_state.get(key(app, question, f"spent{i}"), "") for i in range(len(lines))])


def _read_nothing(ctx, app, question):
    return None


# ---- showing a saved answer ------------------------------------------------------------------

def _show_plain(ctx, question, value) -> str:
    return md(answer_types.as_text(question, value, ctx.locale, ctx.gettext))


def _show_budget(ctx, question, lines) -> str:
    _ = ctx.gettext
    shown = [f"- {md(line.item)}: {ctx.money(line.amount)}" for line in lines]
    return "\n".join(shown + ["", "**" + _("Total: {amount}").format(amount=ctx.money(forms.budget_total(lines))) + "**"])


@dataclass(frozen=True)
class Widget:
    draw: Callable
    read: Callable
    show: Callable = _show_plain


WIDGETS: dict[QuestionType, Widget] = {
    QuestionType.short_text: Widget(_draw_text, _read_single),
    QuestionType.long_text: Widget(_draw_text, _read_single),
    QuestionType.people: Widget(_draw_people, _read_single),
    QuestionType.money: Widget(_draw_money, _read_single),
    QuestionType.date: Widget(_draw_date, _read_single),
    QuestionType.choice: Widget(_draw_choices, _read_single),
    QuestionType.multi_choice: Widget(_draw_choices, _read_single),
    QuestionType.budget: Widget(_draw_budget, _read_budget, _show_budget),
    QuestionType.spending: Widget(_draw_spending, _read_spending),
    QuestionType.contact: Widget(_draw_contact, _read_parts("name", "phone", "email", "mail_ok")),
    QuestionType.bank: Widget(_draw_bank, _read_parts("route", "iban", "holder", "penvoerder_name")),
    QuestionType.photos: Widget(_draw_photos, _read_nothing),
}


def show_answer(ctx: PageContext, answer: Answer | None, question: Question | None = None) -> str:
    """A saved answer as short Markdown (the group's text escaped)."""
    if answer is None or answer.value is None:
        return "*" + ctx.gettext("No answer yet") + "*"
    if question is None:
        return md(answer_types.as_text(None, answer.value, ctx.locale, ctx.gettext))
    return WIDGETS[question.type].show(ctx, question, answer.value)
