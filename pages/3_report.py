"""Tell how it went: the report after a grant, only what the amount requires."""

import streamlit as st

import ui
from steunwijzer import applications, reports, workflow
from steunwijzer.i18n import N_
from steunwijzer.labels import TIER_REQUESTS
from steunwijzer.models import Outcome
from steunwijzer.workflow import Action
from ui import answer, browser, session
from ui.downloads import REPORT_FILE, docx_button, report_document
from ui.text import md

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
    report = reports.get_report(s, app_id) if app.standing_decision and app.standing_decision.outcome == Outcome.grant else None

if report is None:
    st.info(_("There is no report to send for this application."))
    st.stop()


if not workflow.may(app, Action.report, "group"):
    st.success(_("Thank you for telling us how it went."))
    docx_button(_("Download my report as Word file"), build=report_document(ctx, app.id), file_name=_(REPORT_FILE).format(number=app.id), key="report_docx")
    st.stop()

form = reports.report_form(report.tier)
st.write(_(TIER_REQUESTS[report.tier]))
st.write(_("Please send your report before {date}.").format(date=ctx.day(report.due_date)))
open_questions = [m for m in app.messages if m.sender == "officer"]
if open_questions:
    st.info(_("Question from the officer:") + " " + md(open_questions[-1].text))

for question in form.questions:
    with st.container(border=True):
        answer.question_header(ctx, question)
        answer.answer_input(ctx, app, question, form="report", voice_form="report")
browser.save_while_typing(ctx)

if st.button(_("Send my report"), type="primary", icon=":material/send:", key="send_report"):
    given = {q.id: answer.given(ctx, app, q, form="report") for q in form.questions}
    if ctx.attempt(lambda s: reports.send_report(s, app.id, given, ctx.locale)):
        st.rerun()
