"""The application: start or resume with a code, one question per screen, review, submit."""

import streamlit as st

import ui
from steunwijzer import applications, documents, forms, funds, workflow
from steunwijzer.i18n import N_
from steunwijzer.models import pick
from steunwijzer.workflow import Action
from ui import answer, browser, conversation, decision, menu, session
from ui.downloads import APPLICATION_FILE, docx_button
from ui.finder import PROFILE_KEY, START_FUND_KEY
from ui.text import md
from steunwijzer.matching import catalogue_text

ctx = ui.page_setup(N_("Continue my application"))
_ = ctx.gettext
STEP = session.STEP_KEY
CHANGE_CANCELLED = "_change_cancelled"  # shown once on the version that counts again


def start_screen() -> None:
    st.title(_("Your application"))
    st.subheader(_("Continue with your code"))
    session.resume_form(ctx)

    st.subheader(_("Start a new application"))
    with ctx.db.session() as s:
        catalogue = funds.all_funds(s)
    if not catalogue:
        st.info(_("There are no funds yet. An officer can add them."))
        return
    ordered = sorted((f for f in catalogue if f.is_open), key=lambda f: (not f.in_app, f.name))  # closed funds take no applications
    ids = [f.id for f in ordered]
    by_id = {f.id: f for f in ordered}
    chosen = st.session_state.get(START_FUND_KEY)
    st.page_link(menu.FIND_FUNDING, label=_("Not sure which fund? Find one first."), icon=":material/search:")
    fund_id = st.selectbox(_("Fund"), ids, index=ids.index(chosen) if chosen in ids else 0, format_func=lambda i: by_id[i].name)
    fund = by_id[fund_id]
    st.caption(md(catalogue_text(pick(fund.summary, ctx.locale), ctx.locale)))  # catalogue text: {eur:N}, never Markdown
    if not fund.in_app:
        st.info(_("This fund does not take applications in Steunwijzer. You can still answer the questions here, and download your application as a Word file to send to the fund."))
    routes = {"questions": _("Answer the questions one by one"), "pitch": _("Tell your plan in one recording or text (a pitch)")}
    route = st.radio(_("How do you want to tell your plan?"), list(routes), format_func=routes.get)
    if st.button(_("Start"), type="primary", icon=":material/play_arrow:", key="start_application"):
        with ctx.db.session() as s:
            app, code = applications.start(s, fund_id, ctx.locale, ctx.settings.resolved_secret_key(), route=route,
                                           profile=st.session_state.get(PROFILE_KEY) or {})
        session.open_application(app.id, code, new_code=True)
        st.session_state.pop(START_FUND_KEY, None)
        st.rerun()


def code_notice() -> None:
    """A new code must be acknowledged before the first question; after that it stays one tap
    away on every screen of the draft ("Show my code") for as long as this browser session lasts."""
    code = st.session_state.get(session.NEW_CODE_KEY)
    if not code:
        return
    if st.session_state.get(session.CODE_SEEN_KEY):
        with st.expander(_("Show my code"), icon=":material/key:"):
            st.code(code, language=None)
        return
    with st.container(border=True):
        st.markdown(_("**Your code is:**"))
        st.code(code, language=None)
        st.write(_("Write this code down or take a photo of it. With this code you can come back later. When you close this page, we cannot show it again."))
        if st.checkbox(_("I have written down my code")):
            st.session_state[session.CODE_SEEN_KEY] = True
            st.rerun()
    st.stop()  # the questions come after the code is safe


def wizard(app, fund, questions) -> None:
    ids = [q.id for q in questions]
    if STEP not in st.session_state:
        with ctx.db.session() as s:
            current = applications.current_question(s, app.id)
        st.session_state[STEP] = ids.index(current) if current in ids else 0
    step = st.session_state[STEP] = min(max(int(st.session_state[STEP]), 0), len(questions))  # (a step kept by the tab)
    st.title(md(fund.name))
    code_notice()
    if workflow.may(app, Action.cancel_change, "group"):  # a new version of a sent application
        st.info(_(workflow.group_text(app)), icon=":material/edit:")
        cancel_change(app)
        if app.messages:  # its open questions stay in view
            with st.expander(_("Questions and answers"), expanded=True):
                conversation.messages(ctx, app, for_officer=False)
    if step >= len(questions):
        review_screen(app, fund, questions)
        return
    question = questions[step]
    st.progress(step / len(questions), text=_("Question {n} of {total}").format(n=step + 1, total=len(questions)))
    answer.question_header(ctx, question)
    answer.answer_input(ctx, app, question)
    browser.save_while_typing(ctx)
    back, nxt = st.columns(2)
    if back.button(_("Back"), icon=ctx.back_icon, disabled=step == 0, use_container_width=True):
        st.session_state[STEP] = step - 1
        st.rerun()
    if nxt.button(_("Save and go on"), type="primary", icon=ctx.next_icon, use_container_width=True):
        following = questions[step + 1].id if step + 1 < len(questions) else None
        if ctx.attempt(lambda s: answer.give(ctx, s, app, question, next_question=following)):
            st.session_state[STEP] = step + 1
            st.rerun()


def cancel_change(app) -> None:
    with st.expander(_("Cancel my change"), icon=":material/undo:"):
        st.write(_("Your changes are then lost. The application you sent before counts again, as it was."))
        if st.button(_("Yes, cancel my change"), key="cancel_change"):
            kept = {}
            if ctx.attempt(lambda s: kept.update(app=applications.cancel_change(s, app.id))):
                code = st.session_state.get(session.TAB_CODE_KEY)
                session.close_application()
                session.open_application(kept["app"].id, code)
                st.session_state[CHANGE_CANCELLED] = True
                st.rerun()


def review_screen(app, fund, questions) -> None:
    st.progress(1.0, text=_("Check your answers"))
    st.header(_("Check your answers"))
    for number, question in enumerate(questions):
        with st.container(border=True):
            left, right = st.columns([4, 1])
            left.markdown(f"**{_(question.text)}**")
            left.markdown(answer.show_answer(ctx, app.answers.get(question.id), question))
            if right.button(_("Change"), key=f"change_{question.id}"):
                st.session_state[STEP] = number
                st.rerun()
    for msgid, params in forms.application_warnings(app.answers, fund, ctx.locale):
        st.warning(_(msgid).format(**params), icon=":material/warning:")
    with ctx.db.session() as s:
        missing = applications.missing(s, app)
    if missing:
        st.error(_("Some questions still need an answer."))
    download_button(app, fund)
    if not fund.in_app:
        st.info(_("Send the Word file to the fund yourself. Steunwijzer does not send it for you."))
        return
    st.subheader(_("Send your application"))
    st.write(ui.privacy_text(ctx))
    consent = st.checkbox(_("I agree that my answers and recordings are stored for this application."))
    if st.button(_("Send my application"), type="primary", icon=":material/send:", disabled=bool(missing),
                 key="send_application"):
        if ctx.attempt(lambda s: applications.submit(s, app.id, consent)):
            st.session_state.pop(STEP, None)
            st.rerun()


def download_button(app, fund) -> None:
    docx_button(_("Download as Word file"), file_name=_(APPLICATION_FILE).format(number=app.id), key="application_docx",
                build=lambda: documents.application_docx(app, forms.application_form(fund), fund, locale=ctx.locale,
                                                         municipality=ctx.settings.municipality))


def after_submit(app, fund) -> None:
    st.title(md(fund.name))
    if st.session_state.pop(CHANGE_CANCELLED, False):
        st.success(_("Your change was cancelled. The application you sent before counts again."), icon=":material/undo:")
    st.success(_(workflow.group_text(app)), icon=":material/check_circle:")
    if app.submitted_at:
        st.caption(_("Sent on {date}").format(date=ctx.moment(app.submitted_at)))
    download_button(app, fund)
    form = forms.application_form(fund)
    with st.expander(_("See my answers")):
        for question in form.questions_for(app.route):
            st.markdown(f"**{_(question.text)}**")
            st.markdown(answer.show_answer(ctx, app.answers.get(question.id), question))
    if app.messages:
        st.subheader(_("Questions and answers"))
        conversation.messages(ctx, app, for_officer=False)
    if workflow.may(app, Action.answer, "group"):
        reply(app)
    decision_for_group(app, fund)
    if workflow.may(app, Action.change, "group"):
        if st.button(_("Change my application"), icon=":material/edit:"):
            with ctx.db.session() as s:
                new = applications.new_version(s, app.id)
            code = st.session_state.get(session.TAB_CODE_KEY)  # the new version goes on with the same code
            session.close_application()
            session.open_application(new.id, code)
            st.rerun()


def reply(app) -> None:
    from steunwijzer import review

    question = forms.load_form("message").question("reply")
    answer.answer_input(ctx, app, question, form="message", voice_form="message")  # kept while it is written
    if st.button(_("Send my answer"), type="primary", icon=":material/send:", key="send_answer"):
        given = answer.given(ctx, app, question, form="message")
        if ctx.attempt(lambda s: review.answer_officer(s, app.id, given["raw"] or "", language=given["language"],
                                                       audio_id=given["audio_id"], source=given["source"])):
            answer.forget(app, question)
            st.rerun()


def decision_for_group(app, fund) -> None:
    d = app.standing_decision  # a grant waiting for a second officer is not a decision yet
    if d is None:
        return
    st.subheader(_("The decision"))
    decision.summary(ctx, d)
    decision.letter_buttons(ctx, app, [app.locale, "nl"])
    if workflow.may(app, Action.report, "group"):
        st.page_link(menu.REPORT, label=_("Tell how it went"), icon=":material/task_alt:")


app_id = st.session_state.get(session.APPLICATION_KEY)
if app_id is None:
    session.tab_memory(ctx)  # after a reload: the application this tab had open
    start_screen()
    st.stop()

with ctx.db.session() as s:
    application = applications.load(s, app_id)
    fund = funds.get_fund(s, application.fund_id)
editable = workflow.may(application, Action.edit, "group")
session.tab_memory(ctx, editable)  # first, before anything can stop the run: a reload goes on here
if editable:
    wizard(application, fund, forms.application_form(fund).questions_for(application.route))
else:
    after_submit(application, fund)
st.divider()
if st.button(_("Stop now, continue later"), icon=":material/logout:", key="stop_for_now"):  # on the page: a phone's sidebar is closed
    session.close_application()
    st.rerun()
