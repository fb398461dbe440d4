"""Tell how it went: the report after a grant, only what the amount requires."""

import streamlit as st

import ui
from steunwijzer import applications, forms, funds, reports
from steunwijzer.errors import InvalidInput, SteunwijzerError
from steunwijzer.i18n import N_
from steunwijzer.models import QuestionType, Status
from ui import answer, session
from steunwijzer.labels import TIER_LABELS

ctx = ui.page_setup(N_("Tell how it went"))
_ = ctx.gettext

st.title(_("Tell how it went"))
app_id = st.session_state.get(session.APPLICATION_KEY)
if app_id is None:
    st.write(_("Did you get money? Tell us in a few sentences what you did. Fill in your code to start."))
    session.resume_form(ctx)
    st.stop()

with ctx.db.session() as s:
    app = applications.load(s, app_id)
    fund = funds.get_fund(s, app.fund_id)
    report = reports.get_report(s, app_id) if app.decision and app.decision.outcome == "grant" else None

if report is None:
    st.info(_("There is no report to send for this application."))
    st.stop()
if app.status in (Status.report_submitted, Status.closed):
    st.success(_("Thank you for telling us how it went."))
    st.stop()

form = reports.report_form(report.tier)
st.write(_(TIER_LABELS[report.tier]) + " " + _("Please send it before {date}.").format(date=ctx.day(report.due_date)))
open_questions = [m for m in app.messages if m.sender == "officer"]
if open_questions:
    st.info(_("Question from the officer:") + " " + answer.escape(open_questions[-1].text))


def save(question) -> None:
    """Save an answer the moment it is given (incomplete answers wait for 'Send')."""
    try:
        raw = answer.raw_value(ctx, app, question)
        value = forms.validate_answer(question.model_copy(update={"required": False}), raw, ctx.locale)
        language, source, audio_id = answer.answer_origin(ctx, app, question, app.report_answers.get(question.id))
        with ctx.db.session() as s:
            applications.save_answer(s, app.id, question.id, value, language=language, source=source,
                                     audio_id=audio_id, form="report")
    except SteunwijzerError:
        pass


def spending_input(question) -> None:
    lines = reports.planned_spending(app)
    if not lines:
        st.caption(_("Your plan had no cost lines."))
        return
    for i, line in enumerate(lines):
        k = answer.key(app, question, f"spent{i}")
        if k not in st.session_state:
            st.session_state[k] = answer.money_text(line.spent, ctx.locale)
        left, right = st.columns([3, 2])
        left.markdown(f"{answer.escape(line.item)}  \n" + _("Planned: {amount}").format(amount=ctx.money(line.amount)))
        right.text_input(_("Really spent"), key=k, max_chars=20, on_change=save_spending, args=(question,))
    spent = sum((line.spent for line in lines if line.spent is not None), start=forms.budget_total([]))
    st.markdown("**" + _("Planned {planned}, spent {spent}, left {left}").format(
        planned=ctx.money(forms.budget_total(lines)), spent=ctx.money(spent),
        left=ctx.money(forms.budget_total(lines) - spent)) + "**")


def spending_texts(question) -> list[str]:
    return [st.session_state.get(answer.key(app, question, f"spent{i}"), "") for i in range(len(reports.planned_spending(app)))]


def save_spending(question) -> None:
    try:
        value = reports.validate_spending(reports.planned_spending(app), spending_texts(question), ctx.locale, required=False)
        with ctx.db.session() as s:
            applications.save_answer(s, app.id, question.id, value, language=ctx.locale, form="report")
    except SteunwijzerError as exc:
        st.session_state["_spending_error"] = exc


def photos_input(question) -> None:
    with ctx.db.session() as s:
        stored = reports.photos(s, app.id)
    if stored:
        st.image([p.data for p in stored], width=120)
    upload = st.file_uploader(_("Add a photo"), type=["jpg", "jpeg", "png", "heic"], key=answer.key(app, question, "upload"))
    st.caption(_("Choose a photo with the button above. It is added right away."))
    if upload is not None and st.session_state.get("_last_photo") != upload.file_id:
        st.session_state["_last_photo"] = upload.file_id
        if ctx.attempt(lambda s: reports.add_photo(s, app.id, upload.getvalue(), upload.type, upload.name, ctx.settings.max_upload_mb * 1024 * 1024)):
            st.rerun()


for question in form.questions:
    with st.container(border=True):
        answer.question_header(ctx, question)
        if question.type == QuestionType.spending:
            spending_input(question)
            if "_spending_error" in st.session_state:
                ctx.error(st.session_state.pop("_spending_error"))
        elif question.type == QuestionType.photos:
            photos_input(question)
        else:
            answer.answer_input(ctx, app, question, saved=app.report_answers.get(question.id),
                                on_change=lambda q=question: save(q), voice_form="report")

if st.button(_("Send my report"), type="primary", icon=":material/send:"):
    try:
        with ctx.db.session() as s:
            for question in form.questions:
                if question.type == QuestionType.spending:
                    value = reports.validate_spending(reports.planned_spending(app), spending_texts(question), ctx.locale)
                elif question.type == QuestionType.photos:
                    continue
                else:
                    try:
                        value = forms.validate_answer(question, answer.raw_value(ctx, app, question), ctx.locale)
                    except SteunwijzerError as exc:
                        raise InvalidInput("{question}: {problem}", question=_(question.text), problem=exc.translated(_)) from None
                language, source, audio_id = answer.answer_origin(ctx, app, question, app.report_answers.get(question.id))
                applications.save_answer(s, app.id, question.id, value, language=language, source=source,
                                         audio_id=audio_id, form="report")
            reports.submit_report(s, app.id, report.tier)
    except SteunwijzerError as exc:
        ctx.error(exc)
    else:
        st.rerun()
