from decimal import Decimal

import pytest

from steunwijzer import applications, auth, exchange, funds
from steunwijzer.errors import InvalidInput, NotAllowed, TooManyAttempts
from steunwijzer.models import BankAccount, BudgetLine, Contact, Status
from steunwijzer.store import AnswerRow, ApplicationRow

KEY = b"secret"


@pytest.fixture
def app(db):
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        application, code = applications.start(s, "initiatievenfonds-voorbeeld", "nl", KEY)
    return application.id, code


S = Status
TABLE = [
    (S.draft, S.submitted, True), (S.draft, S.granted, False), (S.submitted, S.granted, True),
    (S.submitted, S.waiting_for_group, True), (S.waiting_for_group, S.submitted, True), (S.submitted, S.draft, False),
    (S.granted, S.report_submitted, True), (S.report_submitted, S.closed, True), (S.report_submitted, S.granted, True),
    (S.refused, S.granted, False), (S.closed, S.submitted, False), (S.withdrawn, S.submitted, False),
]


@pytest.mark.parametrize("from_status, to_status, allowed", TABLE)
def test_state_machine(from_status, to_status, allowed):
    assert applications.can_transition(from_status, to_status) is allowed


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
        applications.submit(s, app_id, consent=True, required_missing=[])
    with pytest.raises(NotAllowed), db.session() as s:
        applications.save_answer(s, app_id, "group_name", "B")
    with db.session() as s:
        new = applications.new_version(s, app_id)
        applications.save_answer(s, new.id, "group_name", "B")
        assert applications.resume(s, code, "c", KEY).id == new.id
        assert applications.load(s, app_id).status == Status.withdrawn


def test_submit_needs_consent_and_answers(db, app):
    app_id, _ = app
    with pytest.raises(InvalidInput), db.session() as s:
        applications.submit(s, app_id, consent=False, required_missing=[])
    with pytest.raises(InvalidInput), db.session() as s:
        applications.submit(s, app_id, consent=True, required_missing=["plan"])


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
        applications.submit(s, app_id, consent=True, required_missing=[])
        exported = exchange.export_application(s, app_id)
        new_id, new_code = exchange.import_application(s, exported, KEY)
        again = exchange.export_application(s, new_id)
    exported.pop("id"), again.pop("id")
    assert again == exported
    with db.session() as s:
        loaded = applications.load(s, new_id)
    assert {q: a.value for q, a in loaded.answers.items()} == values


def test_import_refuses_bad_file_clearly(db):
    with pytest.raises(InvalidInput) as exc, db.session() as s:
        exchange.import_application(s, {"format": "steunwijzer.application/1", "fund_id": "x"}, KEY)
    assert "status" in str(exc.value) or "Field required" in str(exc.value)


def test_delete_on_request_removes_personal_data(db, app):
    app_id, code = app
    with db.session() as s:
        applications.save_answer(s, app_id, "group_name", "Weg ermee")
        applications.delete_application(s, app_id, actor="officer1", reason="request by group")
    with db.session() as s:
        assert s.query(AnswerRow).filter_by(application_id=app_id).count() == 0
        assert s.get(ApplicationRow, app_id).group_name is None
    with pytest.raises(InvalidInput), db.session() as s:
        applications.resume(s, code, "c", KEY)


def test_csv_guards_against_formulas():
    assert exchange._csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert exchange._csv_cell("Buurt") == "Buurt"
