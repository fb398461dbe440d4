from decimal import Decimal

import pytest

from tests.factories import send
from steunwijzer import applications, auth, exchange, funds, workflow
from steunwijzer.errors import InvalidInput, NotAllowed, TooManyAttempts
from steunwijzer.models import BankAccount, BudgetLine, Contact, Outcome, Status
from steunwijzer.store import AnswerRow, ApplicationRow
from steunwijzer.text import csv_cell

KEY = b"secret"


@pytest.fixture
def app(db):
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        application, code = applications.start(s, "initiatievenfonds-voorbeeld", "nl", KEY)
    return application.id, code


S, A = Status, workflow.Action
TABLE = [  # (status, action, who, allowed)
    (S.draft, A.submit, "group", True), (S.draft, A.decide, "officer", False), (S.submitted, A.decide, "officer", True),
    (S.submitted, A.ask, "officer", True), (S.waiting_for_group, A.answer, "group", True), (S.submitted, A.answer, "group", False),
    (S.granted, A.report, "group", True), (S.report_submitted, A.approve_report, "officer", True),
    (S.report_submitted, A.ask_about_report, "officer", True), (S.refused, A.decide, "officer", False),
    (S.closed, A.submit, "group", False), (S.withdrawn, A.submit, "group", False), (S.submitted, A.ask, "group", False),
    (S.submitted, A.change, "group", True), (S.granted, A.change, "group", False), (S.submitted, A.edit, "group", False),
]


@pytest.mark.parametrize("status, action, who, allowed", TABLE)
def test_workflow_table(status, action, who, allowed):
    assert workflow.may(status, action, who) is allowed


def test_every_status_has_labels_and_every_move_a_known_target():
    for status in Status:
        info = workflow.STATUSES[status]
        assert info.officer_label
        assert status == Status.draft or info.group_text
    for move in workflow.MOVES:
        assert move.target is None or move.target in workflow.STATUSES
    # a decision move exists for every outcome, and nothing else decides
    assert {m.outcome for m in workflow.MOVES if m.action == A.decide} == set(Outcome)


def test_a_refused_move_changes_nothing(db, app):
    app_id, _ = app
    with pytest.raises(NotAllowed), db.session() as s:
        applications.step(s, app_id, A.approve_report, actor="officer1")
    with db.session() as s:
        assert applications.load(s, app_id).status == Status.draft


def test_answers_saved_at_once_and_code_only_as_hash(db, app):
    app_id, code = app
    with db.session() as s:
        applications.save_answer(s, app_id, "group_name", "Buurtmoeders")
        applications.save_answer(s, app_id, "amount_asked", Decimal("1250.50"))
    with db.session() as s:
        row = s.get(ApplicationRow, app_id)
        assert code not in row.resume_hash and auth.normalize_resume_code(code) not in row.resume_hash
        loaded = applications.load(s, app_id)
    assert loaded.answers["group_name"].value == "Buurtmoeders"
    assert loaded.answers["amount_asked"].value == Decimal("1250.50")
    assert loaded.status == Status.draft


def test_resume_with_code_and_wrong_code(db, app):
    app_id, code = app
    with db.session() as s:
        assert applications.resume(s, code, "client", KEY).id == app_id
    with pytest.raises(InvalidInput) as exc:
        with db.session() as s:
            applications.resume(s, "ZZZZ-ZZZZ-ZZZZ", "client", KEY)
    assert exc.value.msgid == "We do not know this code. Check it and try again."


def test_guessing_codes_1000_times_is_stopped(db, app):
    app_id, code = app
    blocked = 0
    for i in range(1000):
        try:
            with db.session() as s:
                applications.resume(s, f"AAAA-AAAA-{i:04d}", "attacker", KEY)
        except TooManyAttempts:
            blocked += 1
        except InvalidInput:
            pass
    assert blocked >= 1000 - auth.RESUME_FAILURES_PER_ADDRESS
    with pytest.raises(TooManyAttempts):  # even the right code waits: no oracle for the attacker
        with db.session() as s:
            applications.resume(s, code, "attacker", KEY)


def test_submitted_answers_are_frozen_until_new_version(db, app):
    app_id, code = app
    with db.session() as s:
        applications.save_answer(s, app_id, "group_name", "A")
        send(s, app_id)
    with pytest.raises(NotAllowed), db.session() as s:
        applications.save_answer(s, app_id, "group_name", "B")
    with db.session() as s:
        new = applications.new_version(s, app_id)
        applications.save_answer(s, new.id, "group_name", "B")
        assert applications.resume(s, code, "c", KEY).id == new.id
        assert applications.load(s, app_id).status == Status.superseded  # an older version, not a withdrawn case
        assert new.status == Status.changing and new.case_id == app_id and new.version == 2


def test_submit_needs_consent_and_answers(db, app):
    app_id, _ = app
    with pytest.raises(InvalidInput), db.session() as s:
        send(s, app_id, consent=False)
    with pytest.raises(InvalidInput), db.session() as s:  # the core finds what is missing itself
        applications.submit(s, app_id, consent=True)
    with db.session() as s:
        assert "plan" in applications.missing(s, applications.load(s, app_id))


def test_refused_input_changes_nothing(db, app):
    app_id, _ = app
    with db.session() as s:
        applications.save_answer(s, app_id, "group_name", "Goed")
    with pytest.raises(NotAllowed), db.session() as s:
        applications.save_answer(s, app_id, "group_name", "Fout")
        raise NotAllowed("x")  # any error inside the unit of work rolls the whole save back
    with db.session() as s:
        assert applications.load(s, app_id).answers["group_name"].value == "Goed"


def test_json_round_trip_without_loss(db, app):
    app_id, _ = app
    values = {
        "group_name": "مطبخ الجيران 😊", "participants": 18, "amount_asked": Decimal("1300.00"),
        "budget": [BudgetLine(item="Zaal", amount=Decimal("300.00")), BudgetLine(item="Eten", amount=Decimal("1000.50"))],
        "contact": Contact(name="Samira", phone="06 87654321"),
        "bank": BankAccount(route="own_account", iban="NL86INGB0002445588", holder="S. Haddad"),
    }
    with db.session() as s:
        for qid, value in values.items():
            applications.save_answer(s, app_id, qid, value, language="ar")
        send(s, app_id)
        exported = exchange.export_application(s, app_id)
        new_id, new_code = exchange.import_application(s, exported, KEY)
        again = exchange.export_application(s, new_id)
    exported.pop("id"), again.pop("id")
    exported.pop("case_id"), again.pop("case_id")  # numbers of this installation, like the id
    assert again == exported
    with db.session() as s:
        loaded = applications.load(s, new_id)
    assert {q: a.value for q, a in loaded.answers.items() if q in values} == values


def test_import_refuses_bad_file_clearly(db):
    with pytest.raises(InvalidInput) as exc, db.session() as s:
        exchange.import_application(s, {"format": "steunwijzer.application/1", "fund_id": "x"}, KEY)
    assert "status" in str(exc.value) or "Field required" in str(exc.value)


def test_delete_on_request_removes_personal_data(db, app):
    app_id, code = app
    with db.session() as s:
        applications.save_answer(s, app_id, "group_name", "Weg ermee")
        applications.forget(s, app_id, actor="officer1", reason="request by group")
    with db.session() as s:
        assert s.query(AnswerRow).filter_by(application_id=app_id).count() == 0
        assert s.get(ApplicationRow, app_id).group_name is None
    with pytest.raises(InvalidInput), db.session() as s:
        applications.resume(s, code, "c", KEY)


def test_csv_guards_against_formulas():
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("Buurt") == "Buurt"
