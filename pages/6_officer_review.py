"""Officers: one application — read (and listen), ask back, decide, letters."""

import streamlit as st

import ui
import ui.downloads
from datetime import date

from steunwijzer import accountability, applications, audit, documents, forms, funds, i18n, letters, reports, review, workflow
from steunwijzer.errors import SteunwijzerError
from steunwijzer.i18n import N_
from steunwijzer.labels import PAYMENT_LABELS, TIER_LABELS
from steunwijzer.models import Decision, Outcome, QuestionType, Role
from steunwijzer.workflow import Action
from ui import answer, conversation, decision, mail, session
from ui.text import md

ctx = ui.page_setup(N_("Review an application"), role="officer", layout="wide")
_ = ctx.gettext
officer = ctx.officer

app_id = st.session_state.get(session.REVIEW_KEY)
typed = st.number_input(_("Application number"), min_value=1, step=1, value=app_id, key="review_number")
if typed != app_id:
    st.session_state[session.REVIEW_KEY] = app_id = int(typed) if typed else None
if not app_id:
    st.info(_("Choose an application in the list of applications."))
    st.stop()

# One audit line per opening (arriving on this page or choosing another number), not per rerun.
first_look = ctx.arrived or st.session_state.get("_viewed_id") != app_id
st.session_state["_viewed_id"] = app_id
try:
    with ctx.db.session() as s:
        app = review.open_application(s, officer, app_id, record_view=first_look)
        fund = funds.get_fund(s, app.fund_id)
except SteunwijzerError as exc:
    if first_look:
        with ctx.db.session() as s:
            audit.record(s, officer.username, "application.refused", application_id=app_id)
    ctx.error(exc)
    st.stop()

form = forms.application_form(fund)
group = forms.value_by_role(app.answers, Role.group_name, form)
st.title(f"\#{app.id} · {md(group or '—')}")
st.caption(f"{md(fund.name)} · {_(workflow.officer_label(app.status))} · {_('Sent on {date}').format(date=ctx.moment(app.submitted_at))}")
st.info(_("Judge the plan, not the language or the writing. If something is unclear, ask the group."), icon=":material/balance:")

tab_answers, tab_talk, tab_decide, tab_report, tab_history = st.tabs(
    [_("Answers"), _("Conversation"), _("Decision"), _("Report"), _("History")])


def play(audio_id: int, language: str | None = None) -> None:
    with ctx.db.session() as s:
        data, mime = applications.audio_bytes(s, audio_id, app.id)
    st.audio(data, format=mime)
    if ctx.settings.speech_translation and language != "en":  # off by default: the base model translates badly
        key = f"translation_{audio_id}"
        if st.button(_("Machine translation into English"), key=key + "_go", icon=":material/translate:"):
            from steunwijzer.speech import service

            with st.spinner(_("Translating…")):
                try:
                    st.session_state[key] = service.transcribe_bytes(data, "recording", settings=ctx.settings, task="translate").text
                except SteunwijzerError as exc:
                    ctx.error(exc)
        if key in st.session_state:
            st.info(_("Machine translation, may contain errors:") + " " + md(st.session_state[key]))


with tab_answers:
    for question in form.questions_for(app.route):
        given = app.answers.get(question.id)
        st.markdown(f"**{_(question.text)}**")
        if given and given.language and given.language != ctx.locale and question.is_open_text or (given and given.source == "voice"):
            label = _("Answer in {language}").format(language=i18n.language_name(given.language or app.locale, ctx.locale))
            st.caption(label + (" · " + _("spoken, transcribed") if given.source == "voice" else ""))
        st.markdown(answer.show_answer(ctx, given, question))
        if given and given.audio_id:
            play(given.audio_id, given.language)
    ui.downloads.docx_button(_("Download the application as Word file"), file_name=_(ui.downloads.APPLICATION_FILE).format(number=app.id),
                             build=ui.downloads.officer_download(
                                 ctx, lambda: documents.application_docx(app, form, fund, locale=ctx.locale,
                                                                         municipality=ctx.settings.municipality),
                                 "application.download", app.id, document="application"))

with tab_talk:
    templates = review.common_questions()
    if not app.messages:
        st.caption(_("No questions asked yet."))
    conversation.messages(ctx, app, for_officer=True, play=lambda m: play(m.audio_id, m.language))
    if workflow.may(app, Action.ask, "officer"):
        mail.group_mail_note(ctx, app.id)
        with st.form("ask", clear_on_submit=True):
            st.markdown("**" + _("Ask the group a question") + "**")
            key = st.selectbox(_("Common question (the group reads it in its own language)"), [None, *templates],
                               format_func=lambda k: _("Write my own question") if k is None else _(templates[k]))
            text = st.text_area(_("Your own question (the group reads it as you write it)"), max_chars=review.MAX_MESSAGE)
            if st.form_submit_button(_("Send the question"), type="primary"):
                if ctx.attempt(lambda s: review.ask_group(s, officer, app.id, key, None if key else text)):
                    st.rerun()


def review_suggestions():
    with ctx.db.session() as s:
        catalogue = funds.all_funds(s)
    return review.suggest_other_funds(app.profile, catalogue, exclude=app.fund_id, limit=3)


def decision_form() -> None:
    """Choose the outcome, standard reasons or conditions (translated for the group) and own
    words; read the letter; then confirm."""
    action = Action.decide if workflow.may(app, Action.decide, "officer") else Action.correct
    outcomes = {m.outcome: _(m.label) for m in workflow.MOVES if m.action == action}
    outcome = st.radio(_("Decision"), list(outcomes), format_func=outcomes.get, horizontal=True, key="decide_outcome")
    if outcome == Outcome.grant:
        asked = forms.value_by_role(app.answers, Role.amount_asked, form)
        default = answer.money_text(asked, ctx.locale) if asked is not None else ""
        amount_text = st.text_input(_("Amount granted"), value=default)
        payment = st.radio(_("When is the money paid?"), list(PAYMENT_LABELS), format_func=lambda k: _(PAYMENT_LABELS[k]), horizontal=True)
        try:
            amount = i18n.parse_money(amount_text, ctx.locale)
            rule = accountability.required_tier(amount, fund)
        except SteunwijzerError as exc:
            ctx.error(exc)
            amount, rule = None, "story"
        fixed = st.checkbox(_("The amount is final now (no settlement after the report)"),
                            value=amount is not None and amount <= letters.FIXED_AT_ONCE_UP_TO)
        allowed = accountability.TIERS[: accountability.TIERS.index(rule) + 1]
        tier = st.selectbox(_("Report afterwards (you can make it lighter, not heavier)"), allowed[::-1],
                            format_func=lambda k: _(TIER_LABELS[k]))
        standard = letters.standard_conditions()
        keys = st.multiselect(_("Standard conditions (the group reads them in its own language)"), list(standard),
                              format_func=lambda k: _(standard[k].text))
        conditions = st.text_area(_("Own conditions (optional; the group reads them as you write them)"), max_chars=2000)
        chosen = Decision(outcome=Outcome.grant, amount_eur=amount, payment=payment, fixed_at_once=fixed, conditions=conditions,
                          condition_keys=keys, report_tier=tier)
    elif outcome == Outcome.refuse:
        standard = letters.refusal_reasons()
        keys = st.multiselect(_("Standard reasons (the group reads them in its own language, with the rule)"), list(standard),
                              format_func=lambda k: _(standard[k].text))
        reason = st.text_area(_("Own reason (optional; the group reads it as you write it)"), max_chars=4000)
        chosen = Decision(outcome=Outcome.refuse, reason_keys=keys, reason=reason)
        ideas = review_suggestions()
        if ideas:
            st.caption(_("The letter suggests these funds: {names}").format(names=md(", ".join(f.name for f in ideas))))
    else:
        chosen = Decision(outcome=Outcome.refer, referred_to=st.text_input(_("Refer to"), max_chars=200),
                          reason=st.text_area(_("Own explanation (optional)"), max_chars=2000))
    if not fund.regulation and fund.decides_by_beschikking:
        st.warning(_("The catalogue names no regulation for this fund. The letter will not state its legal basis."))
    with st.expander(_("Read the letter before you confirm")):
        try:
            with ctx.db.session() as s:
                draft = letters.preview(s, app, fund, chosen, officer, letters.Sender.from_settings(ctx.settings),
                                        ctx.settings.report_due_days)
            st.markdown("  \n".join(md(line) for line in documents.docx_text(draft)))
        except (SteunwijzerError, ValueError):
            st.caption(_("Fill in the decision first."))
    if st.button(_("Save the decision"), type="primary", icon=":material/gavel:"):
        if ctx.attempt(lambda s: review.decide(s, officer, app.id, chosen, report_due_days=ctx.settings.report_due_days)):
            st.rerun()


with tab_decide:
    if app.decision:
        st.markdown("**" + _(workflow.officer_label(app.status)) + "**")
        decision.summary(ctx, app.decision, for_officer=True)
        decision.letter_buttons(ctx, app, ["nl", app.locale], for_officer=True)
        if workflow.may(app, Action.correct, "officer"):
            with st.expander(_("Correct the decision (a new decision with its own letter; the old one stays)")):
                decision_form()
    elif workflow.may(app, Action.decide, "officer"):
        decision_form()
    else:
        st.caption(_(workflow.officer_label(app.status)))


def report_file() -> bytes:
    with ctx.db.session() as s:
        return reports.report_document(s, app.id, ctx.locale)


with tab_report:
    report = None
    if app.decision and app.decision.outcome == Outcome.grant:
        with ctx.db.session() as s:
            report = reports.get_report(s, app.id)
            photos = reports.photos(s, app.id)
    if report is None:
        st.caption(_("There is no report for this application."))
    else:
        st.write(_(TIER_LABELS[report.tier]) + " · " + _("Due on {date}").format(date=ctx.day(report.due_date)))
        if report.status == "draft" and report.due_date and report.due_date < date.today():
            st.warning(_("The report is overdue."))
        planned, told = st.columns(2)
        planned.markdown("**" + _("The plan") + "**")
        for role in (Role.description, Role.when_where, Role.participants):
            shown = forms.answer_by_role(app.answers, role, form)
            if shown is not None:
                planned.markdown(answer.show_answer(ctx, shown, form.question(shown.question_id)))
        told.markdown("**" + _("How it went") + "**")
        report_form = reports.report_form(report.tier)
        for question in report_form.questions:
            given = app.report_answers.get(question.id)
            if question.type == QuestionType.spending and given:
                told.markdown(f"*{_(question.text)}*")
                told.dataframe([{_("Cost"): line.item, _("Planned"): ctx.money(line.amount), _("Spent"): ctx.money(line.spent),
                                 _("Difference"): ctx.money(line.amount - (line.spent or 0))} for line in given.value], hide_index=True)
            elif question.type != QuestionType.photos:
                told.markdown(f"*{_(question.text)}*  \n" + answer.show_answer(ctx, given, question))
        if photos:
            st.image([p.data for p in photos], width=160)
        ui.downloads.docx_button(_("Download the report as Word file"), file_name=_(ui.downloads.REPORT_FILE).format(number=app.id), key="report_docx",
                                 build=ui.downloads.officer_download(ctx, report_file, "application.download", app.id, document="report"))
        if workflow.may(app, Action.approve_report, "officer"):
            if st.button(_("Approve the report and close the grant"), type="primary", icon=":material/verified:"):
                if ctx.attempt(lambda s: reports.approve_report(s, officer, app.id)):
                    st.rerun()
            question_text = st.text_area(_("Or ask the group a question about the report"), key="report_question", max_chars=4000)
            if st.button(_("Send the question"), key="report_ask"):
                if ctx.attempt(lambda s: reports.ask_about_report(s, officer, app.id, question_text)):
                    st.rerun()

with tab_history:
    for change in app.history:
        st.write(f"{ctx.moment(change.at)} · {_(workflow.officer_label(change.to_status))} · {md(change.actor)}")
    with st.expander(_("Delete this application at the group's request")):
        reason = st.text_input(_("Who asked, and when?"), key="delete_reason", max_chars=500)
        sure = st.checkbox(_("I understand that all answers and recordings are deleted for good."), key="delete_sure")
        if st.button(_("Delete"), disabled=not sure, icon=":material/delete:"):
            if ctx.attempt(lambda s: review.delete_on_request(s, officer, app.id, reason)):
                st.session_state.pop(session.REVIEW_KEY, None)
                st.success(_("The application was deleted."))
