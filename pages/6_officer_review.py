"""Officers: one application — read (and listen), ask back, decide, letters."""

import streamlit as st

import ui
import ui.downloads
from datetime import date

from steunwijzer import accountability, applications, audit, documents, forms, funds, i18n, reports, review
from steunwijzer.errors import SteunwijzerError
from steunwijzer.i18n import N_
from steunwijzer.models import Decision, Status
from ui import answer
from steunwijzer.labels import PAYMENT_LABELS, STATUS_LABELS, TIER_LABELS

ctx = ui.page_setup(N_("Review an application"), role="officer", layout="wide")
_ = ctx.gettext
officer = ctx.officer

app_id = st.session_state.get("review_id")
typed = st.number_input(_("Application number"), min_value=1, step=1, value=app_id, key="review_number")
if typed != app_id:
    st.session_state["review_id"] = app_id = int(typed) if typed else None
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

form = forms.form_for_fund(forms.load_form("application"), fund)
group = app.answers.get("group_name")
st.title(f"#{app.id} · {group.value if group else '—'}")
st.caption(f"{fund.name} · {_(STATUS_LABELS[app.status])} · {_('Sent on {date}').format(date=ctx.moment(app.submitted_at))}")
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
            st.info(_("Machine translation, may contain errors:") + " " + answer.escape(st.session_state[key]))


with tab_answers:
    for question in form.questions_for(app.route):
        given = app.answers.get(question.id)
        st.markdown(f"**{_(question.text)}**")
        if given and given.language and given.language != ctx.locale and question.is_open_text or (given and given.source == "voice"):
            label = _("Answer in {language}").format(language=i18n.language_name(given.language or app.locale, ctx.locale))
            st.caption(label + (" · " + _("spoken, transcribed") if given.source == "voice" else ""))
        st.markdown(answer.show_answer(ctx, given))
        if given and given.audio_id:
            play(given.audio_id, given.language)
    ui.downloads.docx_button(_("Download the application as Word file"), file_name=f"aanvraag-{app.id}.docx",
                             build=ui.downloads.officer_download(
                                 ctx, lambda: documents.application_docx(app, form, fund, locale=ctx.locale,
                                                                         municipality=ctx.settings.municipality),
                                 "application.download", app.id, document="application"))

with tab_talk:
    templates = review.common_questions()
    if not app.messages:
        st.caption(_("No questions asked yet."))
    for m in app.messages:
        who = _("Officer {name}").format(name=m.author) if m.sender == "officer" else _("The group")
        with st.chat_message("assistant" if m.sender == "officer" else "user"):
            st.caption(f"{who} · {ctx.moment(m.created_at)}")
            st.markdown(answer.escape(_(m.text) if m.template_key in templates else m.text))
            if m.audio_id:
                play(m.audio_id, m.language)
    if app.status in (Status.submitted, Status.waiting_for_group):
        with st.form("ask", clear_on_submit=True):
            st.markdown("**" + _("Ask the group a question") + "**")
            key = st.selectbox(_("Common question (the group reads it in its own language)"), [None, *templates],
                               format_func=lambda k: _("Write my own question") if k is None else _(templates[k]))
            text = st.text_area(_("Your own question (the group reads it as you write it)"), max_chars=review.MAX_MESSAGE)
            if st.form_submit_button(_("Send the question"), type="primary"):
                if ctx.attempt(lambda s: review.ask_group(s, officer, app.id, key, None if key else text)):
                    st.rerun()


def letters(decision: Decision) -> None:
    suggestions = review_suggestions()
    for locale in dict.fromkeys([app.locale, "nl"]):
        ui.downloads.docx_button(
            _("Decision letter ({language})").format(language=i18n.language_name(locale, ctx.locale)),
            build=ui.downloads.officer_download(
                ctx, lambda loc=locale: documents.decision_letter_docx(app, fund, decision, loc, ctx.settings.municipality,
                                                                        suggestions=suggestions if decision.outcome == "refuse" else []),
                "application.download", app.id, document="letter", locale=locale),
            file_name=f"besluit-{app.id}-{locale}.docx", key=f"letter_{locale}")


def review_suggestions():
    with ctx.db.session() as s:
        catalogue = funds.all_funds(s)
    return review.suggest_other_funds(app.profile, catalogue, exclude=app.fund_id, limit=3)


with tab_decide:
    if app.decision:
        d = app.decision
        st.markdown("**" + _(STATUS_LABELS[app.status]) + "**")
        if d.outcome == "grant":
            st.write(_("Granted: {amount}").format(amount=ctx.money(d.amount_eur)) + " · " + _(PAYMENT_LABELS[d.payment]))
            st.write(_(TIER_LABELS[d.report_tier]))
        elif d.outcome == "refuse":
            st.write(d.reason)
        else:
            st.write(d.referred_to)
        letters(d)
    elif app.status in (Status.submitted, Status.waiting_for_group):
        outcomes = {"grant": _("Grant"), "refuse": _("Refuse"), "refer": _("Refer to another fund or service")}
        outcome = st.radio(_("Decision"), list(outcomes), format_func=outcomes.get, horizontal=True)
        decision = Decision(outcome=outcome)
        if outcome == "grant":
            asked = app.answers.get("amount_asked")
            default = answer.money_text(asked.value, ctx.locale) if asked else ""
            amount_text = st.text_input(_("Amount granted"), value=default)
            payment = st.radio(_("When is the money paid?"), list(PAYMENT_LABELS), format_func=lambda k: _(PAYMENT_LABELS[k]), horizontal=True)
            conditions = st.text_area(_("Conditions (optional)"), max_chars=2000)
            try:
                amount = i18n.parse_money(amount_text, ctx.locale)
                rule = accountability.required_tier(amount, fund)
            except SteunwijzerError as exc:
                ctx.error(exc)
                amount, rule = None, "story"
            allowed = accountability.TIERS[: accountability.TIERS.index(rule) + 1]
            tier = st.selectbox(_("Report afterwards (you can make it lighter, not heavier)"), allowed[::-1],
                                format_func=lambda k: _(TIER_LABELS[k]))
            decision = Decision(outcome="grant", amount_eur=amount, payment=payment, conditions=conditions, report_tier=tier)
        elif outcome == "refuse":
            decision = Decision(outcome="refuse", reason=st.text_area(_("Reason (the group reads this)"), max_chars=4000))
            ideas = review_suggestions()
            if ideas:
                st.caption(_("The letter suggests these funds: {names}").format(names=", ".join(f.name for f in ideas)))
        else:
            decision = Decision(outcome="refer", referred_to=st.text_input(_("Refer to"), max_chars=200))
        if st.button(_("Save the decision"), type="primary", icon=":material/gavel:"):
            if ctx.attempt(lambda s: review.decide(s, officer, app.id, decision, report_due_days=ctx.settings.report_due_days)):
                st.rerun()
    else:
        st.caption(_(STATUS_LABELS[app.status]))

with tab_report:
    report = None
    if app.decision and app.decision.outcome == "grant":
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
        for qid in ("plan", "pitch", "when_where", "participants"):
            if qid in app.answers:
                planned.markdown(answer.show_answer(ctx, app.answers[qid]))
        told.markdown("**" + _("How it went") + "**")
        report_form = reports.report_form(report.tier)
        for question in report_form.questions:
            given = app.report_answers.get(question.id)
            if question.type == "spending" and given:
                told.markdown(f"*{_(question.text)}*")
                told.dataframe([{_("Cost"): line.item, _("Planned"): ctx.money(line.amount), _("Spent"): ctx.money(line.spent),
                                 _("Difference"): ctx.money(line.amount - (line.spent or 0))} for line in given.value], hide_index=True)
            elif question.type != "photos":
                told.markdown(f"*{_(question.text)}*  \n" + answer.show_answer(ctx, given))
        if photos:
            st.image([p.data for p in photos], width=160)
        ui.downloads.docx_button(_("Download the report as Word file"), file_name=f"verslag-{app.id}.docx", key="report_docx",
                                 build=ui.downloads.officer_download(
                                     ctx, lambda: documents.report_docx(app, report_form, fund, ctx.locale, [(p.data, p.mime) for p in photos]),
                                     "application.download", app.id, document="report"))
        if app.status == Status.report_submitted:
            if st.button(_("Approve the report and close the grant"), type="primary", icon=":material/verified:"):
                with ctx.db.session() as s:
                    reports.approve_report(s, officer, app.id)
                st.rerun()
            question_text = st.text_area(_("Or ask the group a question about the report"), key="report_question", max_chars=4000)
            if st.button(_("Send the question"), key="report_ask"):
                if ctx.attempt(lambda s: reports.ask_about_report(s, officer, app.id, question_text)):
                    st.rerun()

with tab_history:
    for change in app.history:
        st.write(f"{ctx.moment(change.at)} · {_(STATUS_LABELS[change.to_status])} · {change.actor}")
    with st.expander(_("Delete this application at the group's request")):
        reason = st.text_input(_("Who asked, and when?"), key="delete_reason", max_chars=500)
        sure = st.checkbox(_("I understand that all answers and recordings are deleted for good."), key="delete_sure")
        if st.button(_("Delete"), disabled=not sure, icon=":material/delete:"):
            if ctx.attempt(lambda s: review.delete_on_request(s, officer, app.id, reason)):
                st.session_state.pop("review_id", None)
                st.success(_("The application was deleted."))
