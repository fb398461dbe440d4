"""The officers' side: permissions, asking back, deciding, reports (table-driven where it helps)."""

from decimal import Decimal

import pytest

from tests.factories import send
from steunwijzer import answer_types, accountability, applications, auth, funds, reports, review
from steunwijzer.errors import InvalidInput, NotAllowed, NotFound
from steunwijzer.models import BudgetLine, Decision, Officer, ReportTierRule, Status
from steunwijzer.store import DecisionRow

KEY = b"k"


@pytest.fixture
def world(db):
    catalogue = funds.demo_catalogue()
    other = catalogue[0].model_copy(update={"id": "other-in-app-fund", "name": "Ander fonds", "in_app": True})
    with db.session() as s:
        funds.save_funds(s, [*catalogue, other])
        ids = {}
        for name, fund_id in (("mine", "initiatievenfonds-voorbeeld"), ("theirs", "other-in-app-fund"), ("draft", "initiatievenfonds-voorbeeld")):
            app, _ = applications.start(s, fund_id, "nl", KEY)
            applications.save_answer(s, app.id, "group_name", name)
            applications.save_answer(s, app.id, "amount_asked", Decimal("1200"))
            applications.save_answer(s, app.id, "budget", [BudgetLine(item="Zaal", amount=Decimal("700")),
                                                           BudgetLine(item="Eten", amount=Decimal("500"))])
            if name != "draft":
                send(s, app.id)
            ids[name] = app.id
        auth.add_officer(s, "piet", "a long password 1", fund_ids=["initiatievenfonds-voorbeeld"])
    return ids


PIET = Officer(username="piet", fund_ids=["initiatievenfonds-voorbeeld"])
ADMIN = Officer(username="admin", is_admin=True)


def test_officer_sees_only_assigned_funds_and_never_drafts(db, world):
    with db.session() as s:
        rows, total = review.queue(s, PIET, review.QueueFilter())
        assert [r.id for r in rows] == [world["mine"]] and total == 1
        rows, total = review.queue(s, ADMIN, review.QueueFilter())
        assert {r.id for r in rows} == {world["mine"], world["theirs"]}
    for app_id in (world["theirs"], world["draft"], 99999):
        with pytest.raises(NotFound), db.session() as s:
            review.open_application(s, PIET, app_id)


@pytest.mark.parametrize("flt, expected", [
    (review.QueueFilter(text="min"), ["mine"]),
    (review.QueueFilter(text="%"), []),
    (review.QueueFilter(min_amount=Decimal("1300")), []),
    (review.QueueFilter(max_amount=Decimal("1200")), ["mine", "theirs"]),
    (review.QueueFilter(statuses=[Status.granted]), []),
    (review.QueueFilter(fund_id="other-in-app-fund"), ["theirs"]),
])
def test_queue_filters(db, world, flt, expected):
    with db.session() as s:
        rows, _ = review.queue(s, ADMIN, flt)
    assert sorted(r.group_name for r in rows) == sorted(expected)


def test_every_view_and_act_is_audited(db, world):
    from steunwijzer.store import AuditRow

    with db.session() as s:
        review.open_application(s, PIET, world["mine"])
        review.ask_group(s, PIET, world["mine"], "costs", None)
    with db.session() as s:
        actions = [a.action for a in s.query(AuditRow).filter_by(application_id=world["mine"])]
    assert actions.count("application.view") == 1 and actions.count("application.ask") == 1  # one line per act


def test_ask_back_and_answer(db, world):
    app_id = world["mine"]
    with db.session() as s:
        review.ask_group(s, PIET, app_id, None, "Wie kookt er?")
    with db.session() as s:
        app = applications.load(s, app_id)
        assert app.status == Status.waiting_for_group and app.messages[-1].text == "Wie kookt er?"
        review.answer_officer(s, app_id, "Wij koken samen.", language="nl")
    with db.session() as s:
        app = applications.load(s, app_id)
    assert app.status == Status.submitted and app.messages[-1].sender == "group"
    with pytest.raises(NotAllowed), db.session() as s:
        review.answer_officer(s, app_id, "nog eens", language="nl")


@pytest.mark.parametrize("decision, msgid", [
    (Decision(outcome="grant", amount_eur=None, payment="advance"), "Please fill in the amount you grant."),
    (Decision(outcome="grant", amount_eur=Decimal("500")), "Please choose when the money is paid."),
    (Decision(outcome="refuse", reason="  "), "Please give the reason for the refusal. The group will read it."),
    (Decision(outcome="refer"), "Please say where you refer the group to."),
])
def test_incomplete_decisions_are_refused(db, world, decision, msgid):
    with pytest.raises(InvalidInput) as exc, db.session() as s:
        review.decide(s, PIET, world["mine"], decision)
    assert exc.value.msgid == msgid


def test_grant_opens_report_and_is_corrected_only_by_a_new_decision_before_the_report(db, world):
    app_id = world["mine"]
    with db.session() as s:
        review.decide(s, PIET, app_id, Decision(outcome="grant", amount_eur=Decimal("1200"), payment="advance"))
    with db.session() as s:
        report = reports.get_report(s, app_id)
        assert report.tier == "story" and report.due_date is not None   # demo fund: story up to € 1,500
    with db.session() as s:  # a correction is a new decision (the old one stays)
        review.decide(s, PIET, app_id, Decision(outcome="grant", amount_eur=Decimal("1100"), payment="advance"))
        assert s.query(DecisionRow).filter_by(application_id=app_id).count() == 2
    with db.session() as s:
        given = {"what_happened": {"raw": "Goed."}, "people_reached": {"raw": "20"}, "went_well": {"raw": "Alles."}}
        reports.send_report(s, app_id, given, "nl")
    with pytest.raises(NotAllowed), db.session() as s:  # once the report is in, the decision stands
        review.decide(s, PIET, app_id, Decision(outcome="refuse", reason="x"))


def test_officer_cannot_make_the_report_heavier(db, world):
    with pytest.raises(NotAllowed), db.session() as s:
        review.decide(s, PIET, world["mine"], Decision(outcome="grant", amount_eur=Decimal("1200"), payment="advance", report_tier="full"))


RULES = [ReportTierRule(up_to_eur=Decimal("1500"), tier="story"), ReportTierRule(up_to_eur=Decimal("5000"), tier="spending")]


@pytest.mark.parametrize("amount, fund_rules, expected", [
    ("0", None, "story"), ("5000", None, "story"), ("5000.01", None, "spending"), ("125000", None, "spending"),
    ("125000.01", None, "full"), ("1500", RULES, "story"), ("1500.01", RULES, "spending"), ("5000", RULES, "spending"),
    ("5000.01", RULES, "full"),
])
def test_report_tiers(amount, fund_rules, expected):
    fund = None
    if fund_rules:
        fund = funds.demo_catalogue()[0].model_copy(update={"report_tiers": fund_rules})
    assert accountability.required_tier(Decimal(amount), fund) == expected


@pytest.mark.parametrize("rule_amount, requested, expected", [
    ("200000", "story", "story"), ("200000", None, "full"), ("100", "story", "story"),
])
def test_officer_may_lower_tier(rule_amount, requested, expected):
    assert accountability.choose_tier(Decimal(rule_amount), None, requested) == expected


def test_report_questions_grow_with_tier():
    sizes = [len(reports.report_form(t).questions) for t in accountability.TIERS]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert "spending" not in [q.id for q in reports.report_form("story").questions]


def test_spending_arithmetic_in_decimal():
    lines = [BudgetLine(item="Zaal", amount=Decimal("700.00")), BudgetLine(item="Eten", amount=Decimal("500.00"))]
    question = next(q for q in reports.report_form("spending").questions if q.type == "spending")
    spent = answer_types.validate(question, reports.spending_raw(lines, ["650,10", "499,95"]), "nl")
    assert [line.spent for line in spent] == [Decimal("650.10"), Decimal("499.95")]
    assert sum(line.amount - line.spent for line in spent) == Decimal("49.95")
    with pytest.raises(InvalidInput):
        answer_types.validate(question, reports.spending_raw(lines, ["650,10", "-5"]), "nl")


def test_report_submit_and_approve(db, world):
    app_id = world["mine"]
    with db.session() as s:
        review.decide(s, PIET, app_id, Decision(outcome="grant", amount_eur=Decimal("1200"), payment="after_report"))
    with pytest.raises(InvalidInput), db.session() as s:
        reports.send_report(s, app_id, {}, "nl")
    with pytest.raises(InvalidInput) as refused, db.session() as s:  # a wrong answer names its question
        reports.send_report(s, app_id, {"people_reached": {"raw": "²"}}, "nl")
    assert refused.value.params["question"] == "How many people took part?" or refused.value.params["question"]
    with db.session() as s:
        given = {"what_happened": {"raw": "Het ging goed."}, "people_reached": {"raw": "20"}, "went_well": {"raw": "Veel kinderen."}}
        reports.send_report(s, app_id, given, "nl")
    with db.session() as s:
        reports.approve_report(s, PIET, app_id)
    with db.session() as s:
        assert applications.load(s, app_id).status == Status.closed
        assert reports.get_report(s, app_id).approved_by == "piet"


def test_photo_must_be_a_real_image(db, world):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(buf, "PNG")
    with db.session() as s:
        assert reports.add_photo(s, world["mine"], buf.getvalue(), "image/png", "a.png", 10_000_000)
    for data, mime in ((b"not an image", "image/png"), (b"", "image/jpeg"), (buf.getvalue(), "application/pdf")):
        with pytest.raises(InvalidInput), db.session() as s:
            reports.add_photo(s, world["mine"], data, mime, "x", 10_000_000)
    with pytest.raises(InvalidInput), db.session() as s:
        reports.add_photo(s, world["mine"], buf.getvalue(), "image/png", "big.png", 10)


def test_purge_removes_personal_data_after_retention(db, world):
    from datetime import timedelta

    from steunwijzer import retention
    from steunwijzer.store import AnswerRow, ApplicationRow, AuditRow, utcnow

    app_id = world["mine"]
    with db.session() as s:
        applications.store_audio(s, app_id, b"RIFF....", "audio/wav", "a.wav", 1.0, "plan")
        review.decide(s, PIET, app_id, Decision(outcome="refuse", reason="Past niet bij het fonds."))
    with db.session() as s:
        assert retention.purge(s, 365)["applications"] == 0          # not yet
        counts = retention.purge(s, 365, now=utcnow() + timedelta(days=366), dry_run=True)
        assert counts["applications"] == 2                             # the refused one, and the draft untouched for 90 days
    with db.session() as s:
        done = retention.purge(s, 365, now=utcnow() + timedelta(days=366))
    assert done == counts, "the dry run counts exactly what the real run deletes"
    assert counts["audio"] == 1 and counts["answers"] >= 3
    with db.session() as s:
        row = s.get(ApplicationRow, app_id)
        assert row.group_name is None and row.status == "refused" and row.amount_asked == Decimal("1200")
        assert s.query(AnswerRow).filter_by(application_id=app_id).count() == 0
        assert s.query(AuditRow).filter_by(action="purge").count() == 1
        # a draft untouched for longer than STEUNWIJZER_DRAFT_RETENTION_DAYS goes too; open applications stay
        assert s.get(ApplicationRow, world["draft"]).group_name is None
        assert s.get(ApplicationRow, world["theirs"]).group_name is not None
