"""Demo data for trying the app at once: the fund catalogue and a few applications.

Demo applications have fixed resume codes (listed in the README) so testers can open them."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from steunwijzer import applications, funds, reports, review
from steunwijzer.config import get_settings
from steunwijzer.models import BankAccount, BudgetLine, Contact, Decision, Officer, Status
from steunwijzer.store import ApplicationRow, Database

DEMO_FUND = "initiatievenfonds-voorbeeld"

DEMO_APPLICATIONS = [
    {
        "code": "DEMA-0000-0001", "locale": "nl", "status": Status.submitted,
        "answers": {
            "group_name": "Moestuin De Groene Hoek",
            "who_you_are": "Wij zijn acht buren uit de Bloemenbuurt. We helpen ouderen en gezinnen die geen tuin hebben.",
            "plan": "We maken van een leeg stuk grond een moestuin. Iedereen kan meedoen en groente meenemen.",
            "why": "Veel mensen in de buurt zijn alleen. In de tuin leren ze elkaar kennen en eten ze gezonder.",
            "when_where": "Van april tot oktober, elke zaterdagochtend, op het veld achter de Tulpstraat.",
            "participants": 30,
            "budget": [BudgetLine(item="Zaden en planten", amount=Decimal("350.00")),
                       BudgetLine(item="Gereedschap", amount=Decimal("600.00")),
                       BudgetLine(item="Hek en regenton", amount=Decimal("450.00"))],
            "amount_asked": Decimal("1400.00"),
            "other_support": "De woningcorporatie geeft de grond in bruikleen.",
            "contact": Contact(name="Els de Vries", phone="06 12345678", email="els@example.nl", mail_ok=True),
            "bank": BankAccount(route="penvoerder", iban="NL91ABNA0417164300", holder="Stichting Buurthuis De Linde",
                                penvoerder_name="Stichting Buurthuis De Linde"),
        },
    },
    {
        "code": "DEMA-0000-0002", "locale": "ar", "status": Status.submitted,
        "answers": {
            "group_name": "مطبخ الجيران",
            "who_you_are": "نحن مجموعة من النساء من سوريا والمغرب والعراق. نساعد النساء الجدد في الحي.",
            "plan": "نطبخ معاً كل أسبوع ونتكلم الهولندية على الطاولة. كل امرأة تعلّم وصفة من بلدها.",
            "why": "كثير من النساء وحيدات ولا يعرفن أحداً. هنا يجدن صديقات ويتعلمن اللغة.",
            "when_where": "كل يوم ثلاثاء من الساعة العاشرة إلى الواحدة، في مطبخ المركز الاجتماعي.",
            "participants": 18,
            "budget": [BudgetLine(item="مواد الطبخ", amount=Decimal("900.00")),
                       BudgetLine(item="إيجار المطبخ", amount=Decimal("400.00"))],
            "amount_asked": Decimal("1300.00"),
            "other_support": "المركز الاجتماعي يعطينا المطبخ بنصف السعر.",
            "contact": Contact(name="Samira Haddad", phone="06 87654321", email="samira@example.nl", mail_ok=True),
            "bank": BankAccount(route="own_account", iban="NL86INGB0002445588", holder="S. Haddad"),
        },
    },
    {
        "code": "DEMA-0000-0004", "locale": "tr", "status": Status.granted, "granted": Decimal("900.00"),
        "answers": {
            "group_name": "Mahalle Kadınları Yürüyüş Grubu",
            "who_you_are": "Biz Türk ve Faslı kadınlarız. Birlikte yürüyüş yapıyoruz.",
            "plan": "Her hafta parkta yürüyüş ve sonra birlikte çay.",
            "why": "Kadınlar daha sağlıklı olur ve yalnız kalmazlar.",
            "when_where": "Mart'tan Haziran'a kadar, her perşembe, Zuiderpark'ta.",
            "participants": 15,
            "budget": [BudgetLine(item="Spor ayakkabı yardımı", amount=Decimal("600.00")),
                       BudgetLine(item="Çay ve su", amount=Decimal("300.00"))],
            "amount_asked": Decimal("900.00"),
            "contact": Contact(name="Ayşe Yılmaz", phone="06 11223344"),
            "bank": BankAccount(route="own_account", iban="NL02ABNA0123456789", holder="A. Yilmaz"),
        },
    },
    {
        "code": "DEMA-0000-0005", "locale": "nl", "status": Status.report_submitted, "granted": Decimal("2500.00"),
        "answers": {
            "group_name": "Repair Café Oost",
            "who_you_are": "Vrijwilligers die samen spullen repareren met buurtbewoners.",
            "plan": "Elke maand een Repair Café in de bibliotheek.",
            "why": "Minder afval, en mensen leren elkaar kennen.",
            "when_where": "Het hele jaar, elke eerste zaterdag van de maand.",
            "participants": 60,
            "budget": [BudgetLine(item="Gereedschap", amount=Decimal("1500.00")),
                       BudgetLine(item="Koffie en thee", amount=Decimal("1000.00"))],
            "amount_asked": Decimal("2500.00"),
            "contact": Contact(name="Jan Bakker", email="jan@example.nl"),
            "bank": BankAccount(route="penvoerder", iban="NL91ABNA0417164300", holder="Stichting Bibliotheek Oost",
                                penvoerder_name="Stichting Bibliotheek Oost"),
        },
        "report": {
            "what_happened": "We hebben 11 keer een Repair Café gehouden. Er kwamen steeds meer mensen.",
            "people_reached": 240,
            "went_well": "Veel fietsen en lampen zijn weer heel. Buren helpen nu ook zelf mee.",
            "was_hard": "In de zomer waren er weinig vrijwilligers.",
            "spending": [BudgetLine(item="Gereedschap", amount=Decimal("1500.00"), spent=Decimal("1432.50")),
                         BudgetLine(item="Koffie en thee", amount=Decimal("1000.00"), spent=Decimal("1010.00"))],
        },
    },
    {
        "code": "DEMA-0000-0003", "locale": "nl", "status": Status.draft,
        "answers": {
            "group_name": "Taalcafé Zuid",
            "who_you_are": "Vrijwilligers die samen Nederlands oefenen met nieuwkomers.",
        },
    },
]


def load_demo(db: Database) -> str:
    catalogue = funds.demo_catalogue()
    with db.session() as s:
        count = funds.save_funds(s, catalogue, actor="demo")
    created = _demo_applications(db)
    return f"{count} funds, {created} demo applications"


def _demo_applications(db: Database) -> int:
    """Add the demo applications once (not again when the database already has applications)."""
    key = get_settings().resolved_secret_key()
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(ApplicationRow)):
            return 0
        for demo in DEMO_APPLICATIONS:
            app, _ = applications.start(s, DEMO_FUND, demo["locale"], key, code=demo["code"])
            for qid, value in demo["answers"].items():
                applications.save_answer(s, app.id, qid, value, language=demo["locale"])
            if demo["status"] != Status.draft:
                applications.submit(s, app.id, consent=True)
            if "granted" in demo:
                _grant(s, app.id, demo)
    return len(DEMO_APPLICATIONS)


def _grant(session, application_id: int, demo: dict) -> None:
    """A decision by a demo officer; with a finished report where the demo has one."""
    officer = Officer(username="demo-officer", is_admin=True)
    review.decide(session, officer, application_id, Decision(outcome="grant", amount_eur=demo["granted"], payment="advance"))
    if "report" in demo:
        given = {qid: {"raw": value, "language": demo["locale"]} for qid, value in demo["report"].items()}
        reports.send_report(session, application_id, given, demo["locale"])
