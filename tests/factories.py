"""Ready answers for tests that need a complete application (the core refuses to send less)."""

from __future__ import annotations

from decimal import Decimal

from steunwijzer import applications
from steunwijzer.models import BankAccount, BudgetLine, Contact

COMPLETE = {
    "group_name": "Buurtgroep Test",
    "who_you_are": "Zes buren die samen koken.",
    "plan": "Een maaltijd voor de buurt.",
    "pitch": "Wij zijn zes buren en willen samen koken voor de buurt.",
    "why": "Mensen leren elkaar kennen.",
    "when_where": "In mei, in het buurthuis.",
    "participants": 20,
    "budget": [BudgetLine(item="Eten", amount=Decimal("1500.00"))],
    "amount_asked": Decimal("1500.00"),
    "contact": Contact(name="Samira", phone="06 12345678"),
    "bank": BankAccount(route="own_account", iban="NL86INGB0002445588", holder="S. Haddad"),
}


def send(session, application_id: int, consent: bool = True) -> None:
    """Fill every required question that has no answer yet, then send the application."""
    app = applications.load(session, application_id)
    for question_id in applications.missing(session, app):
        applications.save_answer(session, application_id, question_id, COMPLETE[question_id], language=app.locale)
    applications.submit(session, application_id, consent=consent)
