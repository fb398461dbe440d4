"""Issue 13, case handling: the inbox, assignment, notes, second opinion, four eyes, two officers
at once, and versions that keep the thread."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from steunwijzer import applications, auth, cases, exchange, funds, reports, review, workflow
from steunwijzer.errors import Conflict, InvalidInput, NotAllowed
from steunwijzer.models import Decision, Officer, Outcome, Status
from steunwijzer.store import ApplicationRow, AuditRow, utcnow
from steunwijzer.workflow import Action
from tests.factories import send

KEY = b"k"
FUND = "initiatievenfonds-voorbeeld"  # maximum € 5,000
ANNA = Officer(username="anna")
BRAM = Officer(username="bram")


@pytest.fixture
def world(db):
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        for name in ("anna", "bram"):
            auth.add_officer(s, name, "a long password 1")
        ids = {}
        for name, amount in (("Buurtgroep Zon", "1400"), ("Tuin Oost", "6000")):
            app, code = applications.start(s, FUND, "nl", KEY)
            applications.save_answer(s, app.id, "group_name", name)
            applications.save_answer(s, app.id, "amount_asked", Decimal(amount))
            send(s, app.id)
            ids[name] = app.id
            ids[name + " code"] = code
    return ids


def _grant(amount: str) -> Decision:
    return Decision(outcome="grant", amount_eur=Decimal(amount), payment="advance")


def test_the_workflow_table_knows_the_new_statuses_and_who_may_move():
    assert workflow.may(Status.changing, Action.edit, "group")
    assert workflow.may(Status.changing, Action.resend, "group") and not workflow.may(Status.changing, Action.decide)
    assert not workflow.may(Status.awaiting_approval, Action.decide, "officer")
    assert workflow.may(Status.awaiting_approval, Action.approve_decision, "officer")
    assert not workflow.may(Status.awaiting_approval, Action.approve_decision, "group")
    assert workflow.find_move(Status.changing, Action.resend, target=Status.waiting_for_group).needs == "changed"
    assert Status.superseded not in workflow.IN_QUEUE and Status.changing in workflow.IN_QUEUE
    assert not workflow.may_second("anna", "anna") and workflow.may_second("anna", "bram")


def test_inbox_shows_what_needs_action_unread_and_promised_answer_date(db, world):
    zon = world["Buurtgroep Zon"]
    with db.session() as s:
        rows, total = review.queue(s, ANNA, review.QueueFilter())
        assert total == 2 and all(r.needs_action == "new" and r.unread for r in rows)
        item = next(r for r in rows if r.id == zon)
        assert item.answer_by == item.submitted_at.date() + timedelta(days=28) and not item.answer_late
        late, _ = review.queue(s, ANNA, review.QueueFilter(), answer_days=28, today=date.today() + timedelta(days=29))
        assert all(r.answer_late for r in late)
        review.open_application(s, ANNA, zon)
    with db.session() as s:
        rows, _ = review.queue(s, ANNA, review.QueueFilter())
        assert {r.id: r.unread for r in rows} == {zon: False, world["Tuin Oost"]: True}
        rows, _ = review.queue(s, BRAM, review.QueueFilter())
        assert all(r.unread for r in rows)  # read per officer
        review.ask_group(s, ANNA, zon, None, "Wie kookt er?")
    with db.session() as s:  # asked: the ball is with the group, nothing to do now
        rows, _ = review.queue(s, ANNA, review.QueueFilter())
        assert [r.id for r in rows] == [world["Tuin Oost"]]
        review.answer_officer(s, zon, "Samira", "nl")
    with db.session() as s:  # answered: needs action again and unread for Anna
        rows, _ = review.queue(s, ANNA, review.QueueFilter(sort="number", descending=False))
        assert [(r.id, r.needs_action, r.unread) for r in rows][0] == (zon, "answered", True)


@pytest.mark.parametrize("text", ["#{n}", "{n}", " # {n} ", "samira", "SAMI", "zon"])
def test_search_by_number_with_or_without_hash_group_and_contact_name(db, world, text):
    zon = world["Buurtgroep Zon"]
    with db.session() as s:
        rows, total = review.queue(s, ANNA, review.QueueFilter(view="all", text=text.format(n=zon)))
    assert [r.id for r in rows] == [zon] or (text in ("samira", "SAMI") and zon in [r.id for r in rows])


def test_every_column_sorts_both_ways(db, world):
    with db.session() as s:
        cases.take(s, ANNA, world["Tuin Oost"])
        for sort in review.SORTS:
            up, _ = review.queue(s, ANNA, review.QueueFilter(view="all", sort=sort, descending=False))
            down, _ = review.queue(s, ANNA, review.QueueFilter(view="all", sort=sort, descending=True))
            assert len(up) == 2 and [r.id for r in up] == [r.id for r in down][::-1], sort
        by_amount, _ = review.queue(s, ANNA, review.QueueFilter(view="all", sort="amount", descending=False))
        assert [r.amount_asked for r in by_amount] == [Decimal("1400"), Decimal("6000")]


def test_overdue_reports_filter_and_paging(db, world):
    zon = world["Buurtgroep Zon"]
    with db.session() as s:
        review.decide(s, ANNA, zon, _grant("1000"))
        s.get(ApplicationRow, zon).report_due = date.today() - timedelta(days=1)
    with db.session() as s:
        rows, total = review.queue(s, ANNA, review.QueueFilter(view="overdue_reports"))
        assert [(r.id, r.needs_action) for r in rows] == [(zon, "overdue")] and total == 1
        rows, total = review.queue(s, ANNA, review.QueueFilter(view="needs_action", page=1), page_size=1)
        assert total == 2 and len(rows) == 1


def test_assignment_take_assign_and_my_cases(db, world):
    zon, oost = world["Buurtgroep Zon"], world["Tuin Oost"]
    with db.session() as s:
        cases.take(s, ANNA, zon)
        cases.assign(s, ANNA, [oost], "bram")
    with db.session() as s:
        assert [r.id for r in review.queue(s, ANNA, review.QueueFilter(mine=True))[0]] == [zon]
        assert [r.id for r in review.queue(s, BRAM, review.QueueFilter(mine=True))[0]] == [oost]
        assert s.query(AuditRow).filter_by(action="case.assign").count() == 2
    with pytest.raises(Exception), db.session() as s:
        cases.assign(s, ANNA, [zon], "nobody")


def test_private_notes_are_audited_and_never_exported(db, world):
    zon = world["Buurtgroep Zon"]
    with db.session() as s:
        cases.add_note(s, ANNA, zon, "Ken deze groep, betrouwbaar. Secret-note-123")
    with db.session() as s:
        assert [n.text for n in cases.notes(s, BRAM, zon)] == ["Ken deze groep, betrouwbaar. Secret-note-123"]
        line = s.query(AuditRow).filter_by(action="case.note").one()
        assert line.application_id == zon and "Secret" not in str(line.detail)
        exported = str(exchange.export_application(s, zon))
        assert "Secret-note-123" not in exported
    with pytest.raises(InvalidInput), db.session() as s:
        cases.add_note(s, ANNA, zon, "   ")


def test_second_opinion_request_shows_for_the_colleague_and_the_advice_on_the_case(db, world):
    zon = world["Buurtgroep Zon"]
    with db.session() as s:
        request = cases.ask_advice(s, ANNA, zon, "bram", "Is € 1.400 redelijk?")
    with db.session() as s:
        assert [(i, number, n.id) for i, number, n in cases.advice_asked_of(s, BRAM)] == [(zon, zon, request)]
        cases.give_advice(s, BRAM, zon, request, "Ja, zaalhuur is duur.")
    with db.session() as s:
        assert cases.advice_asked_of(s, BRAM) == []
        assert [(n.kind, n.author) for n in cases.notes(s, ANNA, zon)] == [("advice_request", "anna"), ("advice", "bram")]
    with pytest.raises(InvalidInput), db.session() as s:
        cases.ask_advice(s, ANNA, zon, "anna", "myself?")


def test_grant_above_asked_or_fund_maximum_needs_a_reason(db, world):
    zon = world["Buurtgroep Zon"]  # asked € 1,400; fund maximum € 5,000
    assert review.grant_warnings(Decimal("9000"), Decimal("1400"), Decimal("5000")) == [
        "This is more than the group asked for.", "This is more than the fund's maximum."]
    with pytest.raises(InvalidInput), db.session() as s:
        review.decide(s, ANNA, zon, _grant("1500"))
    with db.session() as s:
        assert review.decide(s, ANNA, zon, _grant("1500"), confirm_reason="Zaalhuur steeg") == Status.granted
        assert applications.load(s, zon).decision.warning_reason == "Zaalhuur steeg"


def test_four_eyes_a_large_grant_waits_for_a_second_officer(db, world):
    oost = world["Tuin Oost"]  # asked € 6,000
    with db.session() as s:
        status = review.decide(s, ANNA, oost, _grant("5500"), confirm_reason="Groot plan", four_eyes_from=Decimal("5000"))
        assert status == Status.awaiting_approval
        with pytest.raises(Exception):  # no report yet
            reports.get_report(s, oost)
    with db.session() as s:
        rows, _ = review.queue(s, BRAM, review.QueueFilter())
        assert next(r for r in rows if r.id == oost).needs_action == "second_officer"
    with pytest.raises(NotAllowed), db.session() as s:
        review.approve_decision(s, ANNA, oost)  # not by the one who proposed
    with db.session() as s:
        review.approve_decision(s, BRAM, oost)
    with db.session() as s:
        app = applications.load(s, oost)
        assert app.status == Status.granted and app.decision.approved_by == "bram" and app.decision.state == "final"
        assert reports.get_report(s, oost).status == "draft"


def test_four_eyes_sent_back_opens_the_application_again_with_the_reason_as_note(db, world):
    oost = world["Tuin Oost"]
    with db.session() as s:
        review.decide(s, ANNA, oost, _grant("6000"), four_eyes_from=Decimal("5000"), confirm_reason="x")
    with db.session() as s:
        review.send_back_decision(s, BRAM, oost, "Te hoog, max is 5000")
    with db.session() as s:
        app = applications.load(s, oost)
        assert app.status == Status.submitted and app.decision is None
        assert [n.text for n in cases.notes(s, ANNA, oost)] == ["Te hoog, max is 5000"]


def test_four_eyes_also_when_a_decision_is_corrected_into_a_large_grant(db, world):
    oost = world["Tuin Oost"]  # asked € 6,000
    with db.session() as s:
        assert review.decide(s, ANNA, oost, Decision(outcome="refuse", reason="Te laat")) == Status.refused
        status = review.decide(s, ANNA, oost, _grant("6000"), four_eyes_from=Decimal("5000"), confirm_reason="Groot plan")
        assert status == Status.awaiting_approval  # one officer alone cannot turn it into a large grant
    with db.session() as s:
        app = applications.load(s, oost)
        assert app.decision.state == "pending" and app.standing_decision.outcome == Outcome.refuse  # what the group was told
        review.send_back_decision(s, BRAM, oost, "Blijft geweigerd")
    with db.session() as s:
        app = applications.load(s, oost)
        assert app.status == Status.refused and app.decision.outcome == Outcome.refuse  # the refusal stands as before


def test_a_corrected_grant_asks_the_report_its_new_amount_needs(db, world):
    oost = world["Tuin Oost"]
    with db.session() as s:
        review.decide(s, ANNA, oost, _grant("1000"), four_eyes_from=Decimal("5000"))
        assert reports.get_report(s, oost).tier == "story"
        assert review.decide(s, ANNA, oost, _grant("5500"), four_eyes_from=Decimal("5000"),
                             confirm_reason="Groter plan") == Status.awaiting_approval
        assert reports.get_report(s, oost).tier == "story"  # not before the second officer approves
        review.approve_decision(s, BRAM, oost)
        app = applications.load(s, oost)
        assert app.status == Status.granted and app.standing_decision.amount_eur == Decimal("5500")
        assert reports.get_report(s, oost).tier == app.standing_decision.report_tier != "story"


def test_two_officers_deciding_at_once_the_second_is_told(db, world):
    zon = world["Buurtgroep Zon"]
    with db.session() as s:
        seen_by_anna = review.open_application(s, ANNA, zon).revision
        seen_by_bram = review.open_application(s, BRAM, zon).revision
    with db.session() as s:
        review.decide(s, ANNA, zon, _grant("1000"), expected_revision=seen_by_anna)
    with pytest.raises(Conflict) as told, db.session() as s:
        review.decide(s, BRAM, zon, Decision(outcome="refuse", reason="Nee"), expected_revision=seen_by_bram)
    assert "Another officer" in told.value.msgid
    with db.session() as s:  # nothing of Bram's was stored
        app = applications.load(s, zon)
        assert app.status == Status.granted and app.decision.officer == "anna"


def test_step_itself_refuses_a_stale_revision(db, world):
    zon = world["Buurtgroep Zon"]
    with db.session() as s:
        revision = applications.load(s, zon).revision
        review.ask_group(s, ANNA, zon, None, "Vraag?")
    with pytest.raises(Conflict), db.session() as s:
        applications.step(s, zon, Action.decide, actor="bram", outcome="refuse", expected_revision=revision)


def test_a_changed_application_stays_one_case_and_keeps_its_thread(db, world):
    zon, code = world["Buurtgroep Zon"], world["Buurtgroep Zon code"]
    with db.session() as s:
        applications.store_audio(s, zon, b"RIFF-voice", "audio/wav", "plan.wav", 1.0, "plan")
        cases.take(s, ANNA, zon)
        cases.add_note(s, ANNA, zon, "Eerste indruk goed")
        review.ask_group(s, ANNA, zon, None, "Hoeveel mensen komen er?")
    with db.session() as s:
        new = applications.new_version(s, zon)
        assert new.id != zon and new.case_id == zon and new.version == 2 and new.status == Status.changing
        assert [m.text for m in new.messages] == ["Hoeveel mensen komen er?"]  # the open question came along
        applications.save_answer(s, new.id, "amount_asked", Decimal("1600"))
    with db.session() as s:  # still one case in the queue (being changed), with its number
        rows, _ = review.queue(s, ANNA, review.QueueFilter(view="all", text=f"#{zon}"))
        assert [(r.id, r.number, r.version, r.status) for r in rows] == [(new.id, zon, 2, Status.changing)]
        send(s, new.id)
    with db.session() as s:
        app = applications.load(s, new.id)
        assert app.status == Status.waiting_for_group  # the question is still open for the group
        assert applications.resume(s, code, "c", KEY).id == new.id
        assert app.assigned_to == "anna" and [n.text for n in cases.notes(s, ANNA, new.id)] == ["Eerste indruk goed"]
        assert [(c.question_id, c.before, c.after) for c in cases.changes(s, ANNA, new.id)] == [
            ("amount_asked", Decimal("1400.00"), Decimal("1600"))]
        assert [(v.version, v.status) for v in cases.case_versions(s, ANNA, new.id)] == [
            (1, Status.superseded), (2, Status.waiting_for_group)]
        assert applications.audio_bytes(s, app.answers["plan"].audio_id or
                                        s.query(applications.AudioRow).filter_by(application_id=new.id).one().id, new.id)[0] == b"RIFF-voice"
        assert cases.current_version(s, zon) == new.id
        assert s.query(AuditRow).filter_by(action="application.new_version", application_id=new.id).one().detail["version"] == "2"
        review.answer_officer(s, new.id, "Dertig", "nl")
    with db.session() as s:
        rows, _ = review.queue(s, ANNA, review.QueueFilter())
        assert [(r.id, r.needs_action) for r in rows if r.number == zon] == [(new.id, "answered")]
        # the old version is no case of its own in any view
        assert zon not in [r.id for r in review.queue(s, ANNA, review.QueueFilter(view="all"))[0]]
        exported = review.queue_for_export(s, ANNA, review.QueueFilter(view="all"), ids=[new.id])
        assert [(r.number, r.version) for r in exported] == [(zon, 2)]


def test_a_change_not_sent_is_cancelled_and_the_sent_version_counts_again(db, world):
    zon, code = world["Buurtgroep Zon"], world["Buurtgroep Zon code"]
    with db.session() as s:
        kept_audio = applications.store_audio(s, zon, b"RIFF-voice", "audio/wav", "plan.wav", 1.0, "plan")
        cases.take(s, ANNA, zon)
        review.ask_group(s, ANNA, zon, None, "Hoeveel mensen komen er?")
    with db.session() as s:
        new = applications.new_version(s, zon)
        applications.save_answer(s, new.id, "amount_asked", Decimal("1600"))
        dropped_audio = applications.store_audio(s, new.id, b"RIFF-new", "audio/wav", "why.wav", 1.0, "why")
        cases.add_note(s, ANNA, new.id, "Ze passen hun plan aan")
    with pytest.raises(NotAllowed), db.session() as s:  # an officer cannot cancel the group's change
        applications.cancel_change(s, new.id, actor="anna")
    with db.session() as s:
        back = applications.cancel_change(s, new.id)
    with db.session() as s:
        assert back.id == zon and back.status == Status.waiting_for_group  # where it was: the question still open
        assert back.answers["amount_asked"].value == Decimal("1400.00") and [m.text for m in back.messages] == [
            "Hoeveel mensen komen er?"]
        assert applications.resume(s, code, "c", KEY).id == zon and back.assigned_to == "anna"
        assert [n.text for n in cases.notes(s, ANNA, zon)] == ["Ze passen hun plan aan"]
        assert s.get(applications.ApplicationRow, new.id) is None  # the change is gone, with its answers
        assert s.get(applications.AudioRow, dropped_audio) is None  # made for the change
        assert applications.audio_bytes(s, kept_audio, zon)[0] == b"RIFF-voice"  # made before it
        assert [(v.version, v.status) for v in cases.case_versions(s, ANNA, zon)] == [(1, Status.waiting_for_group)]
        assert s.query(AuditRow).filter_by(action="application.cancel_change", application_id=zon).count() == 1
    with pytest.raises(NotAllowed), db.session() as s:
        applications.cancel_change(s, zon)  # only a version being changed


def test_a_change_nobody_touched_for_the_draft_period_is_cancelled_by_the_retention(db, world):
    from steunwijzer import retention

    zon = world["Buurtgroep Zon"]
    with db.session() as s:
        new = applications.new_version(s, zon)
    with db.session() as s:
        assert retention.purge(s, 365, draft_days=90, now=utcnow() + timedelta(days=30))["changes_not_sent"] == 0
        assert retention.purge(s, 365, draft_days=90, now=utcnow() + timedelta(days=91), dry_run=True)["changes_not_sent"] == 1
        assert applications.load(s, new.id).status == Status.changing  # a dry run changes nothing
        assert retention.purge(s, 365, draft_days=90, now=utcnow() + timedelta(days=91))["changes_not_sent"] == 1
    with db.session() as s:
        app = applications.load(s, zon)
        assert app.status == Status.submitted and app.answers["group_name"].value
        rows, _ = review.queue(s, ANNA, review.QueueFilter())  # back in the officers' "needs action" view
        assert [(r.id, r.needs_action) for r in rows if r.number == zon] == [(zon, "change_not_sent")]


def test_saved_filters_per_officer(db, world):
    flt = review.QueueFilter(view="overdue_reports", mine=True, sort="amount", descending=False, text="zon",
                             min_amount=Decimal("10.50"))
    with db.session() as s:
        cases.save_filter(s, ANNA, "Mijn te late verslagen", flt.to_dict())
        cases.save_filter(s, ANNA, "Mijn te late verslagen", flt.to_dict())  # saving again overwrites
    with db.session() as s:
        saved = cases.saved_filters(s, ANNA)
        assert list(saved) == ["Mijn te late verslagen"] and cases.saved_filters(s, BRAM) == {}
        assert review.QueueFilter.from_dict(saved["Mijn te late verslagen"]) == flt
        cases.delete_filter(s, ANNA, "Mijn te late verslagen")
    with pytest.raises(InvalidInput), db.session() as s:
        cases.save_filter(s, ANNA, " ", {})


def test_batch_mark_read_and_spending_and_deletion_date(db, world):
    ids = [world["Buurtgroep Zon"], world["Tuin Oost"]]
    with db.session() as s:
        cases.mark_read_by_ids(s, ANNA, ids)
    with db.session() as s:
        assert not any(r.unread for r in review.queue(s, ANNA, review.QueueFilter())[0])
    from steunwijzer.models import BudgetLine

    total = cases.spending(Decimal("1000"), [BudgetLine(item="a", amount=Decimal("600"), spent=Decimal("650")),
                                             BudgetLine(item="b", amount=Decimal("400"), spent=Decimal("300"))])
    assert (total.planned, total.spent, total.difference) == (Decimal("1000"), Decimal("950"), Decimal("50"))
    assert cases.deletion_date(utcnow().replace(year=2026, month=1, day=1), 365) == date(2027, 1, 1)
