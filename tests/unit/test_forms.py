"""Answer validation, table-driven: what people type → what is stored, or the message they see."""

from decimal import Decimal

import pytest

from steunwijzer import answer_types, forms
from steunwijzer.errors import ConfigurationError, InvalidInput
from steunwijzer.models import BankAccount, Contact, Question

Q = {
    "short": Question(id="group_name", type="short_text", text="t", max_length=200),
    "long": Question(id="plan", type="long_text", text="t", max_length=5000),
    "optional": Question(id="other", type="long_text", text="t", required=False),
    "people": Question(id="participants", type="people", text="t", min_value=1, max_value=1000000),
    "money": Question(id="amount_asked", type="money", text="t", min_value=1),
    "budget": Question(id="budget", type="budget", text="t"),
    "contact": Question(id="contact", type="contact", text="t"),
    "bank": Question(id="bank", type="bank", text="t"),
}


@pytest.mark.parametrize("q, raw, locale, expected", [
    ("short", "  Buurtmoeders  ", "nl", "Buurtmoeders"),
    ("short", "Buurt\x00moe\x0bders", "nl", "Buurtmoeders"),            # control characters removed
    ("short", "line\nbreak", "nl", "line break"),
    ("short", "evil\u202eexe.txt", "nl", "evilexe.txt"),                 # bidi override stripped from names
    ("long", "regel 1\r\nregel 2", "nl", "regel 1\nregel 2"),
    ("long", "<script>alert(1)</script>", "nl", "<script>alert(1)</script>"),  # kept as text, shown escaped
    ("long", "'; DROP TABLE applications; --", "nl", "'; DROP TABLE applications; --"),
    ("long", "مرحبا بكم 😊 hello", "ar", "مرحبا بكم 😊 hello"),
    ("optional", "", "nl", None),
    ("people", "25", "nl", 25),
    ("people", "١٢", "ar", 12),
    ("people", "1.200", "nl", 1200),
    ("money", "1.500,50", "nl", Decimal("1500.50")),
    ("money", "1,500.50", "en", Decimal("1500.50")),
    ("budget", [{"item": "Zaal", "amount": "300"}, {"item": "", "amount": ""}, {"item": "Thee", "amount": "12,50"}], "nl",
     [("Zaal", Decimal("300.00")), ("Thee", Decimal("12.50"))]),
    ("contact", {"name": "Fatima", "phone": "06 12345678", "email": ""}, "nl", Contact(name="Fatima", phone="06 12345678")),
    ("contact", {"name": "Ann", "phone": "", "email": "ann@example.nl"}, "nl", Contact(name="Ann", email="ann@example.nl")),
    ("bank", {"route": "own_account", "iban": "nl91 abna 0417 1643 00", "holder": "F. El"}, "nl",
     BankAccount(route="own_account", iban="NL91ABNA0417164300", holder="F. El")),
    ("bank", {"route": "penvoerder", "iban": "NL86INGB0002445588", "holder": "Stichting X", "penvoerder_name": "Stichting X"}, "nl",
     BankAccount(route="penvoerder", iban="NL86INGB0002445588", holder="Stichting X", penvoerder_name="Stichting X")),
    ("bank", {"route": "own_account", "iban": "DE89 3704 0044 0532 0130 00", "holder": "A"}, "nl",
     BankAccount(route="own_account", iban="DE89370400440532013000", holder="A")),
])
def test_accepted(q, raw, locale, expected):
    value = answer_types.validate(Q[q], raw, locale)
    if q == "budget":
        value = [(line.item, line.amount) for line in value]
    assert value == expected


@pytest.mark.parametrize("q, raw, locale, msgid", [
    ("short", "", "nl", "Please answer this question."),
    ("short", "   \x00\x01  ", "nl", "Please answer this question."),
    ("short", "x" * 201, "nl", "Your answer is too long. Use at most {n} characters (now {count})."),
    ("long", "x" * 1_000_000, "nl", "Your answer is too long. Use at most {n} characters (now {count})."),
    ("people", "twenty", "nl", "Please fill in a whole number, like 25."),
    ("people", "²", "nl", "Please fill in a whole number, like 25."),      # a digit to Python, crashed int() (bug 5)
    ("people", "12.5", "nl", "Please fill in a whole number, like 25."),   # was stored as 125
    ("people", "12,5", "nl", "Please fill in a whole number, like 25."),
    ("people", "-3", "nl", "Please fill in a whole number, like 25."),
    ("people", "0", "nl", "The number must be at least {n}."),
    ("money", "-50", "nl", "The amount cannot be negative."),
    ("money", "1,500.50", "nl", "We cannot read this amount. Write it like this: {example}"),
    ("money", "0", "nl", "The amount must be at least {amount}."),
    ("money", "", "nl", "Please fill in an amount."),
    ("budget", [], "nl", "Please add at least one cost with its amount."),
    ("budget", [{"item": "", "amount": "30"}], "nl", "Line {n}: please say what the cost is for."),
    ("budget", [{"item": "Zaal", "amount": "abc"}], "nl", "Line {n}: {problem}"),
    ("contact", {"name": "", "phone": "0612345678"}, "nl", "Please give the name of the contact person."),
    ("contact", {"name": "Ann"}, "nl", "Please give a phone number or an e-mail address, so we can reach you."),
    ("contact", {"name": "Ann", "email": "ann@"}, "nl", "This e-mail address does not look right. Example: name@example.nl"),
    ("contact", {"name": "Ann", "phone": "12"}, "nl", "This phone number does not look right. Example: 06 12345678"),
    ("bank", {"route": "own_account", "iban": "NL45ABNA0123456789", "holder": "A"}, "nl", "This IBAN has a typing error. Please check the numbers and letters."),
    ("bank", {"route": "own_account", "iban": "NL30INGB0123456789", "holder": "A"}, "nl", "This IBAN has a typing error. Please check the numbers and letters."),
    ("bank", {"route": "own_account", "iban": "12345", "holder": "A"}, "nl", "This IBAN does not look right. A Dutch IBAN looks like NL91 ABNA 0417 1643 00."),
    ("bank", {"route": "own_account", "iban": "NL91ABNA041716430", "holder": "A"}, "nl", "This IBAN does not look right. A Dutch IBAN looks like NL91 ABNA 0417 1643 00."),
    ("bank", {"route": "own_account", "iban": "NL91ABNA0417164300", "holder": ""}, "nl", "Please give the name of the account holder."),
    ("bank", {"route": "penvoerder", "iban": "NL91ABNA0417164300", "holder": "A"}, "nl", "Please give the name of the organisation that receives the money for you."),
])
def test_refused_with_plain_message(q, raw, locale, msgid):
    with pytest.raises(InvalidInput) as exc:
        answer_types.validate(Q[q], raw, locale)
    assert exc.value.msgid == msgid


def test_application_form_loads_and_pitch_route_replaces_descriptive_questions():
    form = forms.load_form("application")
    assert 10 <= len(form.questions) <= 12
    pitch_ids = [q.id for q in form.questions_for("pitch")]
    assert "pitch" in pitch_ids and "plan" not in pitch_ids and "amount_asked" in pitch_ids


def test_broken_form_names_file_and_question(tmp_path):
    (tmp_path / "broken.yaml").write_text("id: x\ntitle: t\nquestions:\n  - id: good_one\n    type: short_text\n    text: a\n  - id: bad_one\n    type: nonsense\n    text: b\n")
    with pytest.raises(ConfigurationError) as exc:
        forms.load_form("broken", tmp_path)
    assert "broken.yaml" in str(exc.value) and "bad_one" in str(exc.value) and "type" in str(exc.value)


def test_warnings_for_fund_limits_and_budget():
    from steunwijzer.funds import demo_catalogue
    from steunwijzer.models import Answer, BudgetLine

    fund = next(f for f in demo_catalogue() if f.in_app)
    answers = {"amount_asked": Answer(question_id="amount_asked", value=Decimal("6000")),
               "budget": Answer(question_id="budget", value=[BudgetLine(item="a", amount=Decimal("100"))])}
    msgids = [m for m, _ in forms.application_warnings(answers, fund, "nl")]
    assert msgids == ["This fund gives at most {max}. You ask {asked}.",
                      "You ask {asked}, but the costs add up to {total}. You cannot ask more than the costs."]


def test_a_fund_switches_questions_off_and_adds_its_own():
    from steunwijzer.funds import demo_catalogue

    form = forms.load_form("application")
    fund = demo_catalogue()[0].model_copy(update={
        "question_overrides": {"other_support": False},
        "extra_questions": [{"id": "neighbours_signatures", "type": "long_text", "text": "Which neighbours support the plan?"}]})
    ids = [q.id for q in forms.form_for_fund(form, fund).questions]
    assert "other_support" not in ids and ids[-1] == "neighbours_signatures"
    assert forms.form_for_fund(form, None) is form


def test_a_nested_error_is_translated_whole():
    """Bug 1: 'Regel 1: We cannot read this amount…' — the inner message stayed English."""
    from steunwijzer import i18n

    with pytest.raises(InvalidInput) as exc:
        answer_types.validate(Q["budget"], [{"item": "Zaal", "amount": "abc"}], "nl")
    nl = exc.value.translated(i18n.gettext_for("nl"))
    inner = exc.value.params["problem"]
    assert nl.startswith("Regel 1")
    assert inner.translated(i18n.gettext_for("nl")) in nl and inner.msgid not in nl


def test_every_question_type_has_a_core_entry_and_a_widget():
    from steunwijzer.models import QuestionType
    from ui.answer import WIDGETS

    assert set(answer_types.REGISTRY) == set(QuestionType) == set(WIDGETS)


def test_questions_needed_by_meaning_have_their_role():
    from steunwijzer.models import Role

    form = forms.load_form("application")
    for role in (Role.group_name, Role.amount_asked, Role.description, Role.participants, Role.budget, Role.contact, Role.bank):
        assert form.with_role(role), role
