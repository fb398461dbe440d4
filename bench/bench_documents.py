"""How long building a .docx takes, and how much memory it needs.

A full application: every question of forms/application.yaml answered, 15 budget lines, an
Arabic answer given by voice. Median of 20 runs after one warm-up; peak Python memory from
tracemalloc in a separate run (tracing slows the code, so it is not timed). Target: < 200 ms.

    .venv/bin/python bench/bench_documents.py
"""

from __future__ import annotations

import platform
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from steunwijzer import documents  # noqa: E402
from steunwijzer.forms import load_form  # noqa: E402
from steunwijzer.models import Answer, Application, BankAccount, BudgetLine, Contact, Decision, Fund, Status  # noqa: E402

RUNS = 20
TARGET_MS = 200
FUND = Fund(id="buurtfonds", name="Buurtfonds Voorbeeld", provider="Gemeente Voorbeeld", kind="municipality",
            themes=["meeting"], legal_entity="no", summary={"nl": "Geld voor de buurt."}, how_to_apply={"nl": ["Vul het formulier in."]},
            url="https://example.org/fonds", sources=["https://example.org/fonds"], last_checked="2025-01-01", in_app=True)
ARABIC = "نحن ست أمهات من الحي. نريد أن نبدأ نادي واجبات مدرسية لعشرين طفلا، كل يوم أربعاء في المركز المجتمعي. " * 8
DUTCH = "Wij zijn zes moeders uit de wijk en willen een huiswerkclub beginnen voor twintig kinderen. " * 8


def full_application() -> Application:
    lines = [BudgetLine(item=f"Kostenpost {n}: materiaal en huur", amount=Decimal(f"{100 + n * 37}.{n:02d}")) for n in range(15)]
    values = {
        "group_name": "Buurtmoeders Oosterwijk", "who_you_are": ARABIC, "plan": DUTCH, "why": DUTCH, "when_where": DUTCH,
        "participants": 25, "budget": lines, "amount_asked": Decimal("2500.00"), "other_support": DUTCH,
        "contact": Contact(name="Fatima El Amrani", phone="06 12345678", email="fatima@example.nl"),
        "bank": BankAccount(route="own_account", iban="NL91ABNA0417164300", holder="Buurtmoeders Oosterwijk"),
    }
    answers = {qid: Answer(question_id=qid, value=v, language="ar" if v is ARABIC else "nl", source="voice" if v is ARABIC else "typed")
               for qid, v in values.items()}
    app = Application(id=1, fund_id=FUND.id, status=Status.granted, answers=answers, submitted_at=datetime(2025, 3, 1))
    app.decision = Decision(outcome="grant", amount_eur=Decimal("2500"), payment="advance", report_tier="spending")
    spent = [line.model_copy(update={"spent": line.amount - 10}) for line in lines]
    app.report_answers = {"spending": Answer(question_id="spending", value=spent),
                          "what_happened": Answer(question_id="what_happened", value=DUTCH, language="nl"),
                          "participants": Answer(question_id="participants", value=22)}
    return app


def measure(build) -> tuple[float, float, float, int]:
    build()  # warm-up: imports, template, catalogues
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        data = build()
        times.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    build()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), max(times), peak / 1e6, len(data)


def letter_facts(app):
    """The facts a grant letter is made from, as review.decide gathers them (no database needed)."""
    from datetime import date, timedelta

    from steunwijzer import letters
    from steunwijzer.models import Outcome

    return letters.LetterFacts(
        reference="SW-1", decided_on=date.today(), applied_on=date.today() - timedelta(days=20), outcome=Outcome.grant,
        fund_name=FUND.name, provider=FUND.provider, public_body=True, regulation="Subsidieregeling Voorbeeld 2026, artikel 4",
        complaints_contact=None, group_name="Buurtmoeders Oosterwijk", group_language="nl", addressee="Fatima",
        addressee_email="fatima@example.nl", through_penvoerder=False, activity=app.answers["plan"].value,
        activity_language=app.answers["plan"].language, when_where=None, amount=app.decision.amount_eur, fixed_at_once=True,
        payment="advance", pay_by=date.today() + timedelta(days=14), iban_masked="NL91 … 4300", account_holder="F. El Amrani",
        report_tier="story", report_due=date.today() + timedelta(days=183), condition_keys=("keep_receipts",),
        sender=letters.Sender("Gemeente Voorbeeld", "14 0123", "subsidie@voorbeeld.nl"), signer_name="Anna de Vries",
        signer_title="beleidsmedewerker", group_locale="ar")


def main() -> None:
    form = load_form("application")
    app = full_application()
    cases = [
        ("application, nl (all questions, 15 lines, Arabic answer)", lambda: documents.application_docx(app, form, FUND, "nl", "Gemeente Voorbeeld")),
        ("application, ar", lambda: documents.application_docx(app, form, FUND, "ar", "Gemeente Voorbeeld")),
        ("decision letter, grant, nl (official)", lambda: documents.decision_letter_docx(letter_facts(app), "nl")),
        ("decision letter, grant, ar (translation)", lambda: documents.decision_letter_docx(letter_facts(app), "ar")),
        ("report, 15 spending lines", lambda: documents.report_docx(app, None, FUND, "nl")),
    ]
    print(f"Python {platform.python_version()}, {platform.machine()}, median of {RUNS} runs after one warm-up\n")
    print("| document | median ms | max ms | peak Python memory MB | size KB | under 200 ms |")
    print("|---|---:|---:|---:|---:|:-:|")
    for name, build in cases:
        median, worst, peak, size = measure(build)
        print(f"| {name} | {median:.1f} | {worst:.1f} | {peak:.1f} | {size / 1024:.0f} | {'yes' if median < TARGET_MS else 'NO'} |")
    print(f"\nProcess max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
