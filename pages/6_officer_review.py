"""Officers: one application — read (and listen), ask back, decide, letters."""

import streamlit as st

from datetime import date, timedelta

import ui
import ui.downloads

from steunwijzer import accountability, applications, audit, cases, documents, forms, funds, i18n, letters, reports, review, workflow
from steunwijzer.errors import NotFound, SteunwijzerError
from steunwijzer.i18n import N_
from steunwijzer.labels import PAYMENT_LABELS, TIER_LABELS
from steunwijzer.models import Answer, Decision, Outcome, QuestionType, Role
from steunwijzer.workflow import Action
from ui import answer, conversation, decision, mail, session
from ui.text import md

ctx = ui.page_setup(N_("Review an application"), role="officer", layout="wide")
_ = ctx.gettext
officer = ctx.officer

# The number is the case number; the page always works on the case's current version.
chosen = st.session_state.get(session.REVIEW_KEY)
with ctx.db.session() as s:
    app_id = cases.current_version(s, chosen) if chosen else None
    number = cases.case_number(s, app_id) if app_id else chosen
typed = st.number_input(_("Application number"), min_value=1, step=1, value=number, key="review_number")
if typed != number:
    st.session_state[session.REVIEW_KEY] = int(typed) if typed else None
    st.rerun()
if not app_id:
    if chosen:
        ctx.error(NotFound("This application does not exist or is not yours to see."))
    st.info(_("Choose an application in the list of applications."))
    st.stop()

# One audit line per opening (arriving on this page or choosing another number), not per rerun.
first_look = ctx.arrived or st.session_state.get("_viewed_id") != app_id
st.session_state["_viewed_id"] = app_id
try:
    with ctx.db.session() as s:
        app = review.open_application(s, officer, app_id, record_view=first_look)
        fund = funds.get_fund(s, app.fund_id)
        notes = cases.notes(s, officer, app.id)
        changed = {c.question_id: c for c in cases.changes(s, officer, app.id)}
        versions = cases.case_versions(s, officer, app.id)
        team = cases.colleagues(s, officer, app.id)
except SteunwijzerError as exc:
    if first_look:
        with ctx.db.session() as s:
            audit.record(s, officer.username, "application.refused", application_id=app_id)
    ctx.error(exc)
    st.stop()

form = forms.application_form(fund)
group = forms.value_by_role(app.answers, Role.group_name, form)
st.title(f"\#{app.case_id} · {md(group or '—')}")
facts = [md(fund.name), _(workflow.officer_label(app.status)), _("version {n}").format(n=app.version),
         _("Sent on {date}").format(date=ctx.moment(app.submitted_at))]
if app.submitted_at:
    promised = ctx.local(app.submitted_at).date() + timedelta(days=ctx.settings.answer_within_days)
    late = promised < date.today() and app.status in workflow.UNDECIDED
    text = _("Answer promised by {date}").format(date=ctx.day(promised))
    facts.append(f":red[**{text} · {_('passed')}**]" if late else text)
facts.append(_("Assigned to {name}").format(name=md(app.assigned_to)) if app.assigned_to else _("Not assigned"))
st.caption(" · ".join(facts) + "  \n" + _("Times are in the time zone {zone}.").format(zone=ctx.settings.timezone))

# Two officers at once: the revision this officer last saw goes with every act (the core refuses
# a stale one in the same transaction), and a change by someone else since is said out loud.
SEEN = f"_seen_revision_{app.id}"
seen_revision = st.session_state.get(SEEN, app.revision)
st.session_state[SEEN] = app.revision
if seen_revision != app.revision:
    st.warning(_("Another officer changed this application a moment ago (it is now: {status}). Nothing was saved. "
                 "Look at it again.").format(status=_(workflow.officer_label(app.status))), icon=":material/sync_problem:")


def act(action) -> None:
    """Run an officer's act; after it worked, show the page again (own changes are no surprise)."""
    if ctx.attempt(action):
        st.session_state.pop(SEEN, None)
        st.rerun()


take, to_col, assign_col, _rest = st.columns([1, 1.6, 1, 3], vertical_alignment="bottom")
if app.assigned_to != officer.username and take.button(_("Take this case"), icon=":material/person_add:"):
    act(lambda s: cases.take(s, officer, app.id))
assign_to = to_col.selectbox(_("Assign to"), team, index=None, placeholder=_("Assign to"), key="assign_to",
                             label_visibility="collapsed")
if assign_col.button(_("Assign"), disabled=not assign_to, icon=":material/group:", key="assign_go"):
    act(lambda s: cases.assign(s, officer, [app.id], assign_to))
st.info(_("Judge the plan, not the language or the writing. If something is unclear, ask the group."), icon=":material/balance:")
if workflow.may(app, Action.resend, "group"):  # the group is changing it
    st.warning(_("The group is changing its application. You can decide when it has sent the new version."),
               icon=":material/edit_note:")

tab_answers, tab_talk, tab_notes, tab_decide, tab_report, tab_history = st.tabs(
    [_("Answers"), _("Conversation"), _("Notes and advice ({n})").format(n=len(notes)), _("Decision"), _("Report"),
     _("History")])


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


def question_of(question_id: str):
    try:
        return form.question(question_id)
    except KeyError:
        return None


with tab_answers:
    if changed:
        st.warning(_.ngettext("Version {n}: the group changed {count} answer.", "Version {n}: the group changed {count} answers.",
                              len(changed)).format(n=app.version, count=len(changed)),
                   icon=":material/difference:")
        with st.expander(_("What changed since version {n}").format(n=app.version - 1), expanded=True):
            for change in changed.values():
                question = question_of(change.question_id)
                st.markdown(f"**{_(question.text) if question else md(change.question_id)}**")
                before, after = st.columns(2)
                before.caption(_("Before"))
                before.markdown(answer.show_answer(ctx, Answer(question_id=change.question_id, value=change.before), question))
                after.caption(_("Now"))
                after.markdown(answer.show_answer(ctx, Answer(question_id=change.question_id, value=change.after), question))
    for question in form.questions_for(app.route):
        given = app.answers.get(question.id)
        st.markdown(f"**{_(question.text)}**" + (" · :orange[" + _("changed in version {n}").format(n=app.version) + "]"
                                                  if question.id in changed else ""))
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
                act(lambda s: review.ask_group(s, officer, app.id, key, None if key else text))


with tab_notes:
    st.caption(_("Only officers see these notes. They are never sent to the group or put in its documents."))
    kinds = {"note": N_("Note"), "advice_request": N_("Asks for advice"), "advice": N_("Advice")}
    for note in notes:
        with st.chat_message("assistant" if note.kind == "advice" else "user",
                             avatar=":material/sticky_note_2:" if note.kind == "note" else ":material/forum:"):
            to = (" → " + md(note.to_officer)) if note.kind == "advice_request" and note.to_officer else ""
            st.caption(f"{_(kinds[note.kind])} · {md(note.author)}{to} · {ctx.moment(note.created_at)}")
            st.markdown(md(note.text))
            if note.kind == "advice_request" and not note.answered and note.to_officer == officer.username:
                with st.form(f"advice_{note.id}", clear_on_submit=True):
                    advice_text = st.text_area(_("Your advice"), max_chars=cases.MAX_NOTE)
                    if st.form_submit_button(_("Give my advice"), type="primary"):
                        act(lambda s: cases.give_advice(s, officer, app.id, note.id, advice_text))
    with st.form("note", clear_on_submit=True):
        note_text = st.text_area(_("Private note"), max_chars=cases.MAX_NOTE)
        if st.form_submit_button(_("Save the note"), icon=":material/note_add:"):
            act(lambda s: cases.add_note(s, officer, app.id, note_text))
    others = [name for name in team if name != officer.username]
    if others:
        with st.form("ask_advice", clear_on_submit=True):
            st.markdown("**" + _("Ask a colleague for a second opinion") + "**")
            colleague = st.selectbox(_("Colleague"), others)
            advice_question = st.text_area(_("Your question to the colleague"), max_chars=cases.MAX_NOTE)
            if st.form_submit_button(_("Ask for advice"), icon=":material/forum:"):
                act(lambda s: cases.ask_advice(s, officer, app.id, colleague, advice_question))


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
        standard = forms.standard_conditions()
        keys = st.multiselect(_("Standard conditions (the group reads them in its own language)"), list(standard),
                              format_func=lambda k: _(standard[k].text))
        conditions = st.text_area(_("Own conditions (optional; the group reads them as you write them)"), max_chars=2000)
        chosen = Decision(outcome=Outcome.grant, amount_eur=amount, payment=payment, fixed_at_once=fixed, conditions=conditions,
                          condition_keys=keys, report_tier=tier)
        warnings = review.grant_warnings(amount, asked, fund.max_amount_eur)
        for warning in warnings:
            st.warning(_(warning) + " " + _("Asked: {asked} · fund maximum: {maximum}").format(
                asked=ctx.money(asked), maximum=ctx.money(fund.max_amount_eur)), icon=":material/warning:")
        if warnings:
            st.text_area(_("Why this amount? (needed to save)"), max_chars=2000, key="confirm_reason")
        if action == Action.decide and review.needs_second_officer(amount, fund.max_amount_eur, ctx.settings.four_eyes_from_eur):
            st.info(_("A grant above {amount} or above the fund's maximum waits for a second officer's approval.").format(
                amount=ctx.money(ctx.settings.four_eyes_from_eur)), icon=":material/group:")
    elif outcome == Outcome.refuse:
        standard = forms.refusal_reasons()
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
    if st.button(_("Save the decision"), type="primary", icon=":material/gavel:", key=f"save_decision_{action.value}"):
        reason = st.session_state.get("confirm_reason") if outcome == Outcome.grant else None
        act(lambda s: review.decide(s, officer, app.id, chosen, report_due_days=ctx.settings.report_due_days,
                                    expected_revision=seen_revision, four_eyes_from=ctx.settings.four_eyes_from_eur,
                                    confirm_reason=reason))


with tab_decide:
    if app.decision and app.decision.state == "pending":
        st.warning(_("Decision waiting for a second officer"), icon=":material/group:")
        decision.summary(ctx, app.decision, for_officer=True)
        st.caption(_("Proposed by {name}").format(name=md(app.decision.officer)))
        if app.decision.warning_reason:
            st.markdown(_("Reason for this amount:") + " " + md(app.decision.warning_reason))
        if workflow.may_second(app.decision.officer, officer.username):
            if st.button(_("Approve the grant (second officer)"), type="primary", icon=":material/verified:"):
                act(lambda s: review.approve_decision(s, officer, app.id, ctx.settings.report_due_days,
                                                                 expected_revision=seen_revision))
        else:
            st.info(_("A second officer must approve this grant. You proposed it yourself."))
        with st.form("send_back", clear_on_submit=True):
            why = st.text_area(_("Why not? (a note for the officers)"), max_chars=cases.MAX_NOTE)
            if st.form_submit_button(_("Send the proposed grant back")):
                act(lambda s: review.send_back_decision(s, officer, app.id, why, expected_revision=seen_revision))
    elif app.decision:
        st.markdown("**" + _(workflow.officer_label(app.status)) + "**")
        decision.summary(ctx, app.decision, for_officer=True)
        if app.decision.approved_by:
            st.caption(_("Proposed by {name}").format(name=md(app.decision.officer)) + " · "
                       + _("Approved by {name}").format(name=md(app.decision.approved_by)))
        if app.decision.warning_reason:
            st.markdown(_("Reason for this amount:") + " " + md(app.decision.warning_reason))
        decision.letter_buttons(ctx, app, ["nl", app.locale], for_officer=True)
        if workflow.may(app, Action.correct, "officer"):
            with st.expander(_("Correct the decision (a new decision with its own letter; the old one stays)")):
                decision_form()
    elif workflow.may(app, Action.decide, "officer"):
        decision_form()
    else:
        st.caption(_(workflow.officer_label(app.status)))


with tab_report:
    report = None
    if app.standing_decision and app.standing_decision.outcome == Outcome.grant:
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
                total = cases.spending(app.decision.amount_eur, given.value)
                granted_col, spent_col, left_col = told.columns(3)
                granted_col.metric(_("Granted"), ctx.money(total.granted))
                spent_col.metric(_("Spent"), ctx.money(total.spent))
                left_col.metric(_("Not spent"), ctx.money(total.difference))
                told.markdown(f"*{_(question.text)}*")
                # TRANSLATORS: columns of the spending table: a cost of the budget (what it is for), planned, spent
                told.dataframe([{_("Cost"): line.item, _("Planned"): ctx.money(line.amount), _("Spent"): ctx.money(line.spent),
                                 _("Difference"): ctx.money(line.amount - (line.spent or 0))} for line in given.value], hide_index=True)
            elif question.type != QuestionType.photos:
                told.markdown(f"*{_(question.text)}*  \n" + answer.show_answer(ctx, given, question))
        if photos:
            st.image([p.data for p in photos], width=160)
        ui.downloads.docx_button(_("Download the report as Word file"), file_name=_(ui.downloads.REPORT_FILE).format(number=app.id), key="report_docx",
                                 build=ui.downloads.officer_download(ctx, ui.downloads.report_document(ctx, app.id), "application.download", app.id, document="report"))
        with ctx.db.session() as s:
            finished = cases.closed_at(s, app.id)
        if finished and report.status == "approved":
            st.success(_("The report is approved. The retention period started on {start}: the personal data of this "
                         "application will be deleted on {date}.").format(
                start=ctx.day(ctx.local(finished).date()),
                date=ctx.day(cases.deletion_date(finished, ctx.settings.retention_days))), icon=":material/verified:")
        if workflow.may(app, Action.approve_report, "officer"):
            if st.button(_("Approve the report and close the grant"), type="primary", icon=":material/verified:"):
                act(lambda s: reports.approve_report(s, officer, app.id))
            question_text = st.text_area(_("Or ask the group a question about the report"), key="report_question", max_chars=4000)
            if st.button(_("Send the question"), key="report_ask"):
                act(lambda s: reports.ask_about_report(s, officer, app.id, question_text))

with tab_history:
    if len(versions) > 1:
        st.markdown("**" + _("Versions") + "**")
        for v in versions:
            st.write(f"{_('version {n}').format(n=v.version)} · {ctx.moment(v.created_at)} · {_(workflow.officer_label(v.status))}")
    for change in app.history:
        st.write(f"{ctx.moment(change.at)} · {_(workflow.officer_label(change.to_status))} · {md(change.actor)}")
    with st.expander(_("Delete this application at the group's request")):
        reason = st.text_input(_("Who asked, and when?"), key="delete_reason", max_chars=500)
        sure = st.checkbox(_("I understand that all answers and recordings are deleted for good."), key="delete_sure")
        if st.button(_("Delete"), disabled=not sure, icon=":material/delete:"):
            if ctx.attempt(lambda s: review.delete_on_request(s, officer, app.id, reason)):
                st.session_state.pop(session.REVIEW_KEY, None)
                st.success(_("The application was deleted."))
