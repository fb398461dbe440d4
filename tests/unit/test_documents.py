"""Documents: every answer lands in the .docx, formatted for the document's locale, each text in its
own direction, and nothing a user types can break the file."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from datetime import date, datetime
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn

from steunwijzer import documents, i18n
from steunwijzer.forms import load_form
from steunwijzer.models import (
    Answer,
    Application,
    BankAccount,
    BudgetLine,
    Contact,
    Decision,
    Form,
    Fund,
    Status,
)

FUND = Fund(
    id="buurtfonds", name="Buurtfonds Voorbeeld", provider="Gemeente Voorbeeld", kind="municipality",
    themes=["meeting"], legal_entity="no", summary={"nl": "Geld voor buurtactiviteiten."},
    how_to_apply={"nl": ["Vul het formulier in."]}, url="https://example.org/buurtfonds",
    sources=["https://example.org/buurtfonds"], last_checked=date(2025, 1, 1), in_app=True,
)
OTHER_FUND = Fund.model_validate({**FUND.model_dump(), "id": "oranjefonds", "name": "Oranje Fonds Groen", "url": "https://example.org/oranje"})
FORM = load_form("application")
ARABIC = "نحن ست أمهات من الحي ونريد نادي واجبات مدرسية"
BUDGET = [BudgetLine(item="Zaalhuur", amount=Decimal("1000.25")), BudgetLine(item="Thee en koekjes", amount=Decimal("500.25"))]


def application(**answers) -> Application:
    """An application from {question_id: value or Answer}; plain values become typed Dutch answers."""
    built = {qid: a if isinstance(a, Answer) else Answer(question_id=qid, value=a, language="nl") for qid, a in answers.items()}
    return Application(id=7, fund_id=FUND.id, status=Status.submitted, answers=built,
                       submitted_at=datetime(2025, 3, 1, 10, 0))


FULL = dict(
    group_name="Buurtmoeders Oosterwijk",
    who_you_are=Answer(question_id="who_you_are", value=ARABIC, language="ar", source="voice"),
    plan="Een huiswerkclub op woensdag.",
    why="Ouders kunnen niet helpen met Nederlands huiswerk.",
    when_where="Van maart tot juli, in het buurthuis.",
    participants=25,
    budget=BUDGET,
    amount_asked=Decimal("1200.00"),
    other_support="Het buurthuis geeft korting.",
    contact=Contact(name="Fatima El Amrani", phone="06 12345678", email="fatima@example.nl"),
    bank=BankAccount(route="penvoerder", iban="NL91ABNA0417164300", holder="Stichting Buurthuis", penvoerder_name="Stichting Buurthuis"),
)


# ---- helpers ---------------------------------------------------------------------------------

def label(locale: str, msgid: str, **params) -> str:
    """A label as the document shows it, so the tests hold once the catalogues are translated."""
    return i18n.gettext_for(locale)(msgid).format(**params)


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def paragraphs(doc):
    """Every paragraph, in the body and in table cells."""
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def text_of(data: bytes) -> str:
    """All text, with no-break spaces as plain spaces so '€ 1.500,50' can be asserted as written."""
    return "\n".join(p.text for p in paragraphs(open_docx(data))).replace("\u00a0", " ").replace("\u200f", "")


def is_bidi(paragraph) -> bool:
    p_pr = paragraph._p.pPr
    return p_pr is not None and p_pr.find(qn("w:bidi")) is not None


def runs_rtl(paragraph) -> bool:
    return bool(paragraph.runs) and all(run.font.rtl for run in paragraph.runs)


def paragraph_with(doc, needle: str):
    found = [p for p in paragraphs(doc) if needle in p.text]
    assert found, f"no paragraph contains {needle!r}"
    return found[0]


# ---- application -------------------------------------------------------------------------------

@pytest.mark.parametrize("locale, total, asked, people, day", [
    ("nl", "€ 1.500,50", "€ 1.200,00", "25", "1 maart 2025"),
    ("en", "€1,500.50", "€1,200.00", "25", "March 1, 2025"),
])
def test_application_holds_every_answer_formatted_for_the_locale(locale, total, asked, people, day):
    text = text_of(documents.application_docx(application(**FULL), FORM, FUND, locale, "Gemeente Voorbeeld"))
    for value in ("Buurtmoeders Oosterwijk", ARABIC, "Een huiswerkclub op woensdag.", "Ouders kunnen niet helpen",
                  "Van maart tot juli", "Zaalhuur", "Thee en koekjes", "Het buurthuis geeft korting.",
                  "Fatima El Amrani", "06 12345678", "fatima@example.nl", "Stichting Buurthuis",
                  "NL91 ABNA 0417 1643 00", "Buurtfonds Voorbeeld", "Gemeente Voorbeeld"):
        assert value in text
    assert total in text and asked in text and day in text
    assert f"\n{people}\n" in text
    for question in FORM.questions:
        assert label(locale, question.text) in text


def test_language_and_voice_are_noted_in_the_document_locale():
    text = text_of(documents.application_docx(application(**FULL), FORM, FUND, "en"))
    assert "(in Arabic) (spoken, transcribed)" in text
    assert "(in Dutch)" in text  # the Dutch answers in an English document


def test_unanswered_and_pitch_route():
    app = application(group_name="Groep", pitch="Ons hele verhaal.", who_you_are="Van voor de wissel.")
    app.route = "pitch"
    doc = open_docx(documents.application_docx(app, FORM, FUND, "en"))
    text = "\n".join(p.text for p in paragraphs(doc))
    assert "Tell us about your plan" in text and "Ons hele verhaal." in text
    assert "Other answers" in text and "Van voor de wissel." in text  # not on the route, still shown
    assert "No answer" in text


def test_values_of_every_simple_type():
    form = Form.model_validate({"id": "t", "title": "T", "questions": [
        {"id": "kind", "type": "choice", "text": "Kind?", "choices": [{"value": "a", "label": "Apples"}, {"value": "b", "label": "Pears"}]},
        {"id": "kinds", "type": "multi_choice", "text": "Kinds?", "choices": [{"value": "a", "label": "Apples"}, {"value": "b", "label": "Pears"}]},
        {"id": "start", "type": "date", "text": "Start?"},
        {"id": "people", "type": "people", "text": "People?"},
        {"id": "money", "type": "money", "text": "Money?"},
    ]})
    app = application(kind=Answer(question_id="kind", value="b", source="choice"), kinds=["a", "b"],
                      start=date(2025, 6, 1), people=1500, money=Decimal("99.5"))
    text = text_of(documents.application_docx(app, form, FUND, "nl"))
    assert "Pears" in text and "Apples, Pears" in text and "1 juni 2025" in text and "1.500" in text and "€ 99,50" in text


# ---- direction -----------------------------------------------------------------------------------

def test_arabic_answer_is_rtl_in_a_dutch_document_and_labels_stay_ltr():
    doc = open_docx(documents.application_docx(application(**FULL), FORM, FUND, "nl"))
    arabic = paragraph_with(doc, ARABIC)
    assert is_bidi(arabic) and runs_rtl(arabic)
    assert arabic.alignment is None  # never forced: Word aligns a bidi paragraph itself
    for needle in (label("nl", "Who are you, and who do you help?"), label("nl", "What will it cost?"),
                   "Een huiswerkclub op woensdag.", "Zaalhuur"):
        paragraph = paragraph_with(doc, needle)
        assert not is_bidi(paragraph) and not any(run.font.rtl for run in paragraph.runs)


@pytest.mark.parametrize("language, text, rtl", [
    ("ar", ARABIC, True),
    ("ar-MA", ARABIC, True),
    ("fa", "ما یک گروه هستیم", True),
    (None, ARABIC, True),                  # no code: the script decides
    (None, "123 " + ARABIC, True),         # digits have no direction of their own
    (None, "Wij zijn " + ARABIC, False),   # the first strong letter decides
    ("nl", "Wij zijn een groep", False),
    ("tr", "Biz bir grubuz", False),
])
def test_direction_is_decided_per_text(language, text, rtl):
    assert documents.text_is_rtl(text, language) is rtl
    doc = open_docx(documents.application_docx(
        application(plan=Answer(question_id="plan", value=text, language=language)), FORM, FUND, "en"))
    paragraph = paragraph_with(doc, text)
    assert is_bidi(paragraph) is rtl and runs_rtl(paragraph) is rtl


def test_arabic_document_has_rtl_labels_and_ltr_dutch_answers():
    doc = open_docx(documents.application_docx(application(**FULL), FORM, FUND, "ar"))
    assert is_bidi(paragraph_with(doc, label("ar", "What will it cost?")))  # labels follow the document locale
    dutch = paragraph_with(doc, "Een huiswerkclub op woensdag.")
    assert not is_bidi(dutch) and not runs_rtl(dutch)
    assert all(t._tbl.tblPr.find(qn("w:bidiVisual")) is not None for t in doc.tables)


# ---- hostile and large input -----------------------------------------------------------------------

def test_control_characters_are_removed_and_tags_stay_text():
    nasty = "a\x00b\x0bc\x1f\x7fd\ud800e\ufffe <script>alert(1)</script> <b>vet</b> 😀 &amp;"
    app = application(group_name=nasty, plan=nasty, budget=[BudgetLine(item="x\x00y<i>", amount=Decimal("1"))],
                      contact=Contact(name="Fa\x0btima", phone="0612345678"))
    data = documents.application_docx(app, FORM, FUND, "nl", "Gemeente\x00 X")
    text = text_of(data)
    assert "abcde <script>alert(1)</script> <b>vet</b> 😀 &amp;" in text
    assert "xy<i>" in text and "Fatima" in text and "Gemeente X" in text
    assert not any(c in text for c in "\x00\x0b\x1f\x7f\ufffe")


def test_one_megabyte_answer():
    big = ("Dit is een lange zin over ons plan met emoji 🌷 en <tags>. " * 20 + "\n") * 900
    assert len(big) > 1_000_000
    start = time.perf_counter()
    data = documents.application_docx(application(plan=big), FORM, FUND, "nl")
    assert time.perf_counter() - start < 10
    doc = open_docx(data)
    paragraph = paragraph_with(doc, "lange zin")
    assert paragraph.text.replace("\n", "").count("🌷") == 20 * 900


# ---- report --------------------------------------------------------------------------------------

def png(width=20, height=10) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def reported_application() -> Application:
    app = application(**FULL)
    app.status = Status.report_submitted
    app.decision = Decision(outcome="grant", amount_eur=Decimal("1200"), report_tier="spending")
    spent = [BudgetLine(item="Zaalhuur", amount=Decimal("1000.25"), spent=Decimal("900")),
             BudgetLine(item="Thee en koekjes", amount=Decimal("500.25"), spent=Decimal("520.25"))]
    app.report_answers = {
        "what_happened": Answer(question_id="what_happened", value="Twintig kinderen kwamen elke week.", language="nl"),
        "people_reached": Answer(question_id="people_reached", value=20),
        "spending": Answer(question_id="spending", value=spent),
        "proud_of": Answer(question_id="proud_of", value=ARABIC, language="ar", source="voice"),
    }
    return app


def test_report_shows_plan_next_to_what_happened_and_spending():
    text = text_of(documents.report_docx(reported_application(), None, FUND, "nl"))
    assert "Een huiswerkclub op woensdag." in text and "Twintig kinderen kwamen elke week." in text
    assert "25" in text and "20" in text
    for amount in ("€ 1.000,25", "€ 900,00", "€ 100,25",   # line 1: budget, spent, difference
                   "€ 500,25", "€ 520,25", "€ -20,00",     # line 2 over budget
                   "€ 1.500,50", "€ 1.420,25", "€ 80,25"):  # totals
        assert amount in text
    assert label("nl", "Spent more than planned: {amount}", amount="€ 220,25") in text  # the grant was 1.200,00
    assert label("nl", "Spent from the grant: {spent} of {granted}.", spent="€ 1.420,25", granted="€ 1.200,00") in text
    assert "proud_of" in text and ARABIC in text  # question id when there is no report form


def test_report_uses_report_form_texts_and_rtl_own_words():
    report_form = Form.model_validate({"id": "report_story", "title": "Report", "questions": [
        {"id": "proud_of", "type": "long_text", "text": "What are you proud of?"},
        {"id": "what_happened", "type": "long_text", "text": "What did you do?"},
    ]})
    app = reported_application()
    app.decision = None
    doc = open_docx(documents.report_docx(app, report_form, FUND, "en"))
    text = "\n".join(p.text for p in paragraphs(doc)).replace("\u00a0", " ")
    assert "What are you proud of?" in text and "proud_of" not in text
    assert "(in Arabic) (spoken, transcribed)" in text
    assert "Left over: €80.25" in text
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["People reached", "25", "20"] in rows
    assert ["Activity", "Een huiswerkclub op woensdag.", "Twintig kinderen kwamen elke week."] in rows
    assert ["Thee en koekjes", "€500.25", "€520.25", "-€20.00"] in rows
    arabic = paragraph_with(doc, ARABIC)
    assert is_bidi(arabic) and runs_rtl(arabic)


def test_report_without_spending_answer_falls_back_to_the_budget():
    app = application(**FULL)
    text = text_of(documents.report_docx(app, None, FUND, "nl"))
    assert "Zaalhuur" in text and "€ 1.500,50" in text
    nl = i18n.gettext_for("nl")
    for claim in ("Left over: {amount}", "Spent from the grant: {spent} of {granted}."):  # nothing was asked about spending
        assert nl(claim).split("{")[0] not in text


def test_report_embeds_photos_and_names_the_ones_it_cannot_read():
    data = documents.report_docx(reported_application(), None, FUND, "en",
                                 photos=[(png(), "club.png"), (b"not an image", "kapot.heic"), (png(40, 40), "<b>x</b>.png")])
    doc = open_docx(data)
    assert len(doc.inline_shapes) == 2
    assert doc.inline_shapes[0].width == documents.PHOTO_WIDTH
    text = "\n".join(p.text for p in paragraphs(doc))
    assert "This photo could not be read and is left out: kapot.heic" in text
    assert "club.png" in text and "<b>x</b>.png" in text


# ---- command line ----------------------------------------------------------------------------------

def run_cli(db, *args):
    env = {**os.environ, "STEUNWIJZER_DATABASE_URL": db.url}
    return subprocess.run([sys.executable, "-m", "steunwijzer", *args], capture_output=True, text=True, timeout=120, env=env)


def test_cli_renders_application_and_decision(db, tmp_path):
    from steunwijzer import applications, funds

    with db.session() as s:
        funds.save_funds(s, [FUND, OTHER_FUND])
        app, _code = applications.start(s, FUND.id, "ar", b"secret")
        applications.save_answer(s, app.id, "group_name", "Buurtmoeders Oosterwijk", language="nl")
        applications.save_answer(s, app.id, "plan", ARABIC, language="ar", source="voice")
        applications.save_answer(s, app.id, "budget", BUDGET)
        applications.save_answer(s, app.id, "amount_asked", Decimal("1200"))
    out = tmp_path / "application.docx"
    result = run_cli(db, "render", "application", "--id", str(app.id), "--locale", "nl", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = text_of(out.read_bytes())
    assert "Buurtmoeders Oosterwijk" in text and ARABIC in text and "€ 1.500,50" in text and "€ 1.200,00" in text

    no_decision = run_cli(db, "render", "decision", "--id", str(app.id), "-o", str(tmp_path / "d.docx"))
    assert no_decision.returncode == 2 and "no decision yet" in no_decision.stderr


    report = tmp_path / "report.docx"
    assert run_cli(db, "render", "report", "--id", str(app.id), "-o", str(report)).returncode == 0
    assert "Zaalhuur" in text_of(report.read_bytes())


@pytest.mark.parametrize("kind", ["application", "decision", "report"])
def test_cli_unknown_application_is_one_line_exit_2(db, tmp_path, kind):
    result = run_cli(db, "render", kind, "--id", "999", "-o", str(tmp_path / "x.docx"))
    assert result.returncode == 2
    assert result.stderr.strip() == "error: This application does not exist."
    assert not (tmp_path / "x.docx").exists()
