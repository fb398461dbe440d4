"""Word documents (.docx) for an application, a decision letter and a report, built as bytes.

Pages hand the bytes to `st.download_button`; the CLI writes them to a file. This module never
imports Streamlit.

Rules that hold for every document:
- Labels are English msgids translated into the *document* locale; answers stay in the language
  they were given in, with a note naming that language when it differs from the document's.
- Text direction is decided per text, not per document: an Arabic answer in a Dutch document is
  a right-to-left paragraph (`w:bidi` + `w:rtl` runs), the Dutch labels around it stay
  left-to-right. Alignment is never forced: Word aligns a bidi paragraph to its start itself.
- All user and officer text passes `_safe()` first: python-docx raises on characters XML cannot
  hold (\\x00, \\x0b, lone surrogates …). Tags stay literal text; the XML writer escapes them.
- An answer becomes one paragraph with line breaks, not one paragraph per line: adding body
  paragraphs gets slower the more there are, and a 1 MB answer must still render quickly.

Report answers (the report form is data, written separately) follow these conventions:
- `spending`: list[BudgetLine] with `spent` filled → spending table (budget, spent, difference).
- `participants` or `people_reached`: people reached, shown next to the planned number.
- a report question with the same id as an application question (e.g. `plan`, `when_where`) is
  shown next to the application's answer ("Plan" | "What happened").
- `photos` is skipped (photos come in as bytes); every other answer is shown as the group's words.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Iterable, Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from typing import assert_never

from steunwijzer import answer_types, forms, i18n, workflow
from steunwijzer.answer_types import format_iban
from steunwijzer.forms import answer_by_role, budget_total
from steunwijzer.i18n import N_
from steunwijzer.text import clean_text
from steunwijzer.models import (
    Answer,
    Application,
    BankAccount,
    BudgetLine,
    Contact,
    Form,
    Fund,
    Outcome,
    Question,
    QuestionType,
    Role,
    Status,
)

PHOTO_WIDTH = Cm(12)
_SURROGATES = re.compile(r"[\ud800-\udfff]")

REPORT_TIER_SENTENCES = {
    "story": N_("A short story: tell us in your own words, written or spoken, what you did and how it went. "
                "You do not need to send receipts."),
    "spending": N_("A short story and what you spent: tell us what you did and what you paid for each cost. "
                   "Keep the receipts."),
    "full": N_("A full report: what you did, who took part, and an overview of all costs with the receipts."),
}


# ---- text helpers --------------------------------------------------------------------------

def _safe(text: object) -> str:
    """User or officer text made safe for XML (controls, lone surrogates out; tags stay text)."""
    return _SURROGATES.sub("", clean_text(str(text) if text is not None else ""))


def _primary(language: str | None) -> str:
    return re.split(r"[-_]", language.strip())[0].lower() if language and language.strip() else ""


def _first_strong_is_rtl(text: str) -> bool:
    """Unicode's own rule (UAX #9, P2): the first letter with a strong direction decides."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def text_is_rtl(text: str, language: str | None = None) -> bool:
    """Right-to-left by the language code when known, else by the text's first strong letter."""
    code = _primary(language)
    if code:
        return i18n.is_rtl(code)
    return _first_strong_is_rtl(text)


# Word rejects properties out of schema order: these are the elements that must come after.
_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_BIDI_VISUAL = ("w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing",
                      "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                      "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _set_rtl(paragraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    if p_pr.find(qn("w:bidi")) is None:
        p_pr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)


def _set_table_rtl(table) -> None:
    """In a right-to-left document the first column is on the right (w:bidiVisual)."""
    table._tbl.tblPr.insert_element_before(OxmlElement("w:bidiVisual"), *_AFTER_BIDI_VISUAL)


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


# ---- a small writer over python-docx -----------------------------------------------------------

class _Writer:
    def __init__(self, locale: str, title: str, author: str) -> None:
        self.locale = i18n.normalize_locale(locale)
        self._ = i18n.gettext_for(self.locale)
        self.rtl = i18n.is_rtl(self.locale)
        self.doc = Document()
        props = self.doc.core_properties
        props.title, props.author, props.language = _safe(title)[:250], _safe(author)[:250] or "Steunwijzer", self.locale
        props.comments = ""

    # paragraphs: `language` None means "detect from the text"; labels pass the document locale
    def fill(self, paragraph, text: str, language: str | None = None, bold: bool = False, italic: bool = False):
        rtl = text_is_rtl(text, language)
        if rtl:
            _set_rtl(paragraph)
        run = paragraph.add_run()
        run.text = text  # "\n" becomes a line break, "\t" a tab
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if rtl:
            run.font.rtl = True
            if bold:
                run.font.cs_bold = True
            if italic:
                run.font.cs_italic = True
        return paragraph

    def para(self, text: str, language: str | None = None, style: str | None = None, **fmt):
        return self.fill(self.doc.add_paragraph(style=style), text, language, **fmt)

    def label(self, text: str, **fmt):
        """A translated label: its direction is the document's."""
        return self.para(text, self.locale, **fmt)

    def note(self, text: str):
        paragraph = self.label(text, italic=True)
        paragraph.paragraph_format.space_after = Pt(2)
        return paragraph

    def heading(self, text: str, level: int = 1, language: str | None = None):
        return self.fill(self.doc.add_heading(level=level), text, language or self.locale)

    def title(self, text: str):
        return self.fill(self.doc.add_heading(level=0), text, self.locale)

    def table(self, header: Sequence[str] | None, rows: Iterable[Sequence[tuple[str, str | None]]],
              numeric: Sequence[int] = (), bold_last: bool = False):
        """Rows of (text, language) cells. Numeric columns are right-aligned in LTR documents."""
        rows = list(rows)
        ncols = len(header) if header else max(len(r) for r in rows)
        table = self.doc.add_table(rows=0, cols=ncols)
        table.style = "Table Grid"
        if self.rtl:
            _set_table_rtl(table)
        all_rows = ([[(h, self.locale) for h in header]] if header else []) + rows
        for index, cells in enumerate(all_rows):
            bold = (header is not None and index == 0) or (bold_last and index == len(all_rows) - 1)
            row_cells = table.add_row().cells
            for col, (text, language) in enumerate(cells):
                paragraph = row_cells[col].paragraphs[0]
                self.fill(paragraph, text, language, bold=bold)
                if col in numeric and not self.rtl and not text_is_rtl(text, language):  # never on a bidi paragraph
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.doc.add_paragraph()
        return table

    def facts(self, rows: Iterable[tuple[str, str, str | None]]):
        """A two-column label | value table; the label in the document locale."""
        return self.table(None, [[(label, self.locale), (value, language)] for label, value, language in rows])

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    # formatting for the document locale
    def money(self, amount) -> str:
        return i18n.format_money(_decimal(amount), self.locale)

    def day(self, value: date | None) -> str:
        return i18n.format_day(value, self.locale)


# ---- answers --------------------------------------------------------------------------------

def _answer_notes(w: _Writer, answer: Answer) -> str:
    """'(in Arabic) (spoken, transcribed)' in the document locale, or ''."""
    _ = w._
    notes = []
    code = _primary(answer.language)
    is_text = isinstance(answer.value, str) or (isinstance(answer.value, list) and any(isinstance(v, BudgetLine) for v in answer.value))
    if code and code != w.locale and answer.source != "choice" and is_text:  # a number has no language
        notes.append(_("(in {language})").format(language=i18n.language_name(code, w.locale)))
    if answer.source == "voice":
        notes.append(_("(spoken, transcribed)"))
    return " ".join(notes)


def _plain_value(w: _Writer, question: Question | None, value) -> str:
    """A simple answer value as text for the document locale."""
    if value is None or value == "" or value == []:
        return w._("No answer")
    return _safe(answer_types.as_text(question, value, w.locale, w._))


def _budget_table(w: _Writer, lines: list[BudgetLine], language: str | None) -> None:
    _ = w._
    rows = [[(_safe(line.item), language), (w.money(line.amount), w.locale)] for line in lines]
    rows.append([(_("Total"), w.locale), (w.money(budget_total(lines)), w.locale)])
    w.table([_("Item"), _("Amount")], rows, numeric=(1,), bold_last=True)


def _contact_facts(w: _Writer, contact: Contact) -> None:
    _ = w._
    rows = [(_.pgettext("document: the contact person's name", "Name"), _safe(contact.name), None)]
    if contact.phone:
        rows.append((_("Phone"), _safe(contact.phone), "en"))
    if contact.email:
        rows.append((_("E-mail"), _safe(contact.email), "en"))
    w.facts(rows)


def _bank_facts(w: _Writer, bank: BankAccount) -> None:
    _ = w._
    rows = [(_("IBAN"), format_iban(_safe(bank.iban)), "en"), (_("Account holder"), _safe(bank.holder), None)]
    if bank.penvoerder_name:
        rows.append((_("Receiving organisation (penvoerder)"), _safe(bank.penvoerder_name), None))
    w.facts(rows)


def _write_answer(w: _Writer, question: Question | None, answer: Answer | None) -> None:
    """The answer under its question: notes, then the value in its own direction."""
    if answer is None or answer.value in (None, "", []):
        w.para(w._("No answer"), w.locale, italic=True)
        return
    notes = _answer_notes(w, answer)
    if notes:
        w.note(notes)
    value = answer.value
    if isinstance(value, list) and value and all(isinstance(v, BudgetLine) for v in value):
        _budget_table(w, value, answer.language)
    elif isinstance(value, Contact):
        _contact_facts(w, value)
    elif isinstance(value, BankAccount):
        _bank_facts(w, value)
    elif isinstance(value, str) and (question is None or question.is_open_text):
        w.para(_safe(value), answer.language)
    else:  # numbers, money, dates, choices: formatted for the document locale
        w.para(_plain_value(w, question, value), w.locale)


def _question_text(w: _Writer, form: Form | None, question_id: str) -> str:
    if form is not None:
        try:
            return w._(form.question(question_id).text)
        except KeyError:
            pass
    return question_id


def _find_question(form: Form | None, question_id: str) -> Question | None:
    if form is None:
        return None
    try:
        return form.question(question_id)
    except KeyError:
        return None


def _group_name(application: Application) -> tuple[str, str | None]:
    answer = answer_by_role(application.answers, Role.group_name)
    if answer is None or not answer.value:
        return "—", None
    return _safe(answer.value), answer.language


def _status_label(w: _Writer, status: Status) -> str:
    return w._(workflow.officer_label(status))


# ---- application ------------------------------------------------------------------------------

def application_docx(application: Application, form: Form, fund: Fund, locale: str = "nl", municipality: str = "") -> bytes:
    """The whole application for an officer (or the group), in `locale`, answers as given."""
    w = _Writer(locale, f"{fund.name}", municipality or fund.provider)
    _ = w._
    group, group_language = _group_name(application)
    w.title(_("Application"))
    when = application.submitted_at.date() if application.submitted_at else date.today()
    facts = [(_("Fund"), _safe(fund.name), None), (_("Group"), group, group_language)]
    if municipality:
        facts.append((_("Municipality"), _safe(municipality), None))
    if application.id is not None:
        facts.append((_("Application number"), str(application.id), "en"))
    facts += [(_("Date"), w.day(when), w.locale), (_("Status"), _status_label(w, application.status), w.locale)]
    w.facts(facts)

    questions = form.questions_for(application.route)
    shown = set()
    for question in questions:
        shown.add(question.id)
        w.heading(_(question.text), level=2)
        _write_answer(w, question, application.answers.get(question.id))

    # Answers outside this route (e.g. given before the group switched route) are still data
    # the group gave: show them rather than drop them silently.
    rest = [a for qid, a in application.answers.items() if qid not in shown and a.value not in (None, "", [])]
    if rest:
        w.heading(_("Other answers"), level=1)
        for answer in rest:
            w.heading(_question_text(w, form, answer.question_id), level=2)
            _write_answer(w, _find_question(form, answer.question_id), answer)
    return w.to_bytes()


def docx_text(data: bytes) -> list[str]:
    """The paragraphs and table cells of a .docx as lines of text (for a preview on screen)."""
    doc = Document(io.BytesIO(data))
    lines = []
    for block in doc.element.body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                lines.append(" · ".join("".join(t.text or "" for t in cell.iter(qn("w:t"))) for cell in row.iter(qn("w:tc"))))
    return [line for line in lines if line.strip()]


# ---- decision letter ----------------------------------------------------------------------------

def decision_letter_docx(facts, locale: str) -> bytes:
    """A decision letter in short B1 sentences (see steunwijzer.letters for what it must hold).
    The Dutch letter is the official decision; another language is a translation and says so.
    Standard reasons and conditions are translated; the officer's own words stay as written and
    are marked so."""

    official = i18n.normalize_locale(locale) == "nl"
    sender = _safe(facts.sender.municipality) if facts.public_body else _safe(facts.provider)
    w = _Writer(locale, facts.fund_name, sender)
    _ = w._
    w.para(sender, None, bold=True)
    w.facts([(_("Our reference"), facts.reference, "en"), (_("Date"), w.day(facts.decided_on), w.locale)])
    to = _safe(facts.addressee) or _("the applicant")
    if facts.group_name and not facts.through_penvoerder:
        to = _("{name}, on behalf of {group}").format(name=to, group=_safe(facts.group_name))
    elif facts.group_name:
        to = _("{organisation}, which receives the money for {group}").format(organisation=to, group=_safe(facts.group_name))
    w.label(_("To: {addressee}").format(addressee=to) + (f" ({_safe(facts.addressee_email)})" if facts.addressee_email else ""))
    w.label(_("About: your application to {fund}").format(fund=_safe(facts.fund_name)), bold=True)
    w.title(_("Decision on your application"))
    # a whole sentence without a name: Polish and Ukrainian would need the vocative of "applicant"
    w.label(_("Dear {name},").format(name=_safe(facts.addressee)) if _safe(facts.addressee) else _("Dear applicant,"))
    if facts.applied_on:
        w.label(_("On {date} you asked for money for this plan:").format(date=w.day(facts.applied_on)))
    else:
        w.label(_("You asked for money for this plan:"))
    w.para(_safe(facts.activity) or "—", facts.activity_language, italic=True)

    match facts.outcome:
        case Outcome.grant:
            _letter_grant(w, facts)
        case Outcome.refuse:
            _letter_refuse(w, facts, forms.refusal_reasons())
        case Outcome.refer:
            _letter_refer(w, facts)
        case _ as never:
            assert_never(never)

    if facts.outcome != Outcome.refer:
        _letter_rights(w, facts)
    w.heading(_("Questions?"), level=2)
    contacts = [c for c in (facts.sender.phone, facts.sender.email) if c]
    if contacts:
        w.label(_("Call or e-mail us. We are happy to help: {contacts}.").format(contacts=", ".join(_safe(c) for c in contacts)))
    else:
        w.label(_("Call or e-mail us. We are happy to help."))
    w.label(_("Kind regards,"))
    if facts.public_body:
        w.label(_("The mayor and aldermen of {municipality}, on their behalf,").format(municipality=sender))
    else:
        w.para(sender)
    w.para(", ".join(_safe(x) for x in (facts.signer_name, facts.signer_title) if x) or sender)
    if official and facts.group_locale != "nl":
        w.note(_("This letter is also sent in {language}. Only the Dutch letter is the official decision.").format(
            language=i18n.language_name(facts.group_locale, w.locale)))
    elif not official:
        w.note(_("This is a translation. Only the Dutch letter is the official decision."))
    return w.to_bytes()


def _letter_grant(w: _Writer, facts) -> None:

    _ = w._
    w.label(_("Our decision: you get {amount}.").format(amount=w.money(facts.amount)), bold=True)
    w.label(_("This amount is final now.") if facts.fixed_at_once else
            _("We set the final amount after your report."))
    w.heading(_("What do we agree?"), level=2)
    bullets = [_("Use the money only for the plan above.")]
    bullets += [_(forms.standard_conditions()[key].text) for key in facts.condition_keys]
    for text in bullets:
        w.fill(w.doc.add_paragraph(style="List Bullet"), text, w.locale)
    if facts.condition_text:
        w.note(_("Written by the officer:"))
        w.fill(w.doc.add_paragraph(style="List Bullet"), _safe(facts.condition_text), None)
    if facts.report_tier in REPORT_TIER_SENTENCES:
        w.fill(w.doc.add_paragraph(style="List Bullet"),
               _("Send us your report before {date}.").format(date=w.day(facts.report_due)) + " "
               + _(REPORT_TIER_SENTENCES[facts.report_tier]), w.locale)
    w.fill(w.doc.add_paragraph(style="List Bullet"),
           _("Does the activity not go ahead, or is money left over? Tell us. Then we may ask money back."), w.locale)
    w.heading(_("When do you get the money?"), level=2)
    account = ""
    if facts.iban_masked:
        account = " " + _("We pay it to account {iban} in the name of {holder}.").format(
            iban=facts.iban_masked, holder=_safe(facts.account_holder))
    if facts.payment == "advance" and facts.pay_by:
        w.label(_("We pay the money before {date}.").format(date=w.day(facts.pay_by)) + account)
    else:
        w.label(_("We pay the money after we have read your report.") + account)
    if facts.regulation:
        w.heading(_("On what basis?"), level=2)
        w.label(_("We take this decision on the basis of: {regulation}.").format(regulation=_safe(facts.regulation)))


def _letter_refuse(w: _Writer, facts, reasons) -> None:
    _ = w._
    w.label(_("Our decision: you do not get money from {fund}. We are sorry.").format(fund=_safe(facts.fund_name)), bold=True)
    w.heading(_("Why not?"), level=2)
    for key in facts.reason_keys:
        reason = reasons[key]
        w.fill(w.doc.add_paragraph(style="List Bullet"), _(reason.text), w.locale)
        if reason.help:
            w.note(_("This rests on: {rule}").format(rule=_(reason.help)))
    if facts.reason_text:
        w.note(_("Written by the officer:"))
        w.para(_safe(facts.reason_text))
    if facts.regulation:
        w.label(_("We take this decision on the basis of: {regulation}.").format(regulation=_safe(facts.regulation)))
    if facts.suggestions:
        w.heading(_("Other funds you could try"), level=2)
        for name, url in facts.suggestions:
            w.fill(w.doc.add_paragraph(style="List Bullet"), f"{_safe(name)} — {url}")


def _letter_refer(w: _Writer, facts) -> None:
    _ = w._
    w.label(_("Our decision: we passed your application on to {organisation}.").format(
        organisation=_safe(facts.referred_to) or "—"), bold=True)
    w.label(_("This is not a refusal. {organisation} decides about your application and will contact you.").format(
        organisation=_safe(facts.referred_to) or "—"))
    if facts.reason_text:
        w.note(_("Written by the officer:"))
        w.para(_safe(facts.reason_text))


def _letter_rights(w: _Writer, facts) -> None:
    """The objection clause of a beschikking, or a complaints contact for a private fund."""
    _ = w._
    w.heading(_("Do you not agree?"), level=2)
    if facts.public_body:
        where = _safe(facts.sender.objection_address or facts.sender.email) or _("the municipality")
        w.label(_("Then you can object. Do this within 6 weeks after the date of this letter. "
                  "Send your objection to the mayor and aldermen: {address}.").format(address=where))
        w.label(_("Write in it: your name and address, the date, our reference, why you do not agree, "
                  "and your signature. You may call us first."))
    else:
        w.label(_("{fund} is not a government body, so you cannot object. Do you have a complaint? Contact: {contact}.").format(
            fund=_safe(facts.fund_name), contact=_safe(facts.complaints_contact or facts.provider)))


# ---- report ------------------------------------------------------------------------------------

def _text_of(w: _Writer, question: Question | None, answer: Answer | None) -> tuple[str, str | None]:
    if answer is None or answer.value in (None, "", []):
        return "—", w.locale
    if isinstance(answer.value, str) and (question is None or question.is_open_text):
        return _safe(answer.value), answer.language
    return _plain_value(w, question, answer.value), w.locale


def _application_form(fund: Fund) -> Form | None:
    """The application's questions, for labels in the report; the report works without them."""
    from steunwijzer.errors import ConfigurationError
    from steunwijzer.forms import form_for_fund, load_form

    try:
        return form_for_fund(load_form("application"), fund)
    except (ConfigurationError, ValueError):
        return None


def _spending_lines(application: Application) -> list[BudgetLine]:
    spending = answer_by_role(application.report_answers, Role.budget, _report_questions())
    if spending is not None and isinstance(spending.value, list) and all(isinstance(v, BudgetLine) for v in spending.value):
        return list(spending.value)
    budget = answer_by_role(application.answers, Role.budget)
    if budget is not None and isinstance(budget.value, list):
        return [line for line in budget.value if isinstance(line, BudgetLine)]
    return []


def _report_questions() -> Form:
    from steunwijzer.forms import load_form

    return load_form("report_questions")


def report_docx(application: Application, report_form: Form | None, fund: Fund, locale: str,
                photos: Sequence[tuple[bytes, str]] = ()) -> bytes:
    """Plan next to what happened, people reached, spending per budget line, photos, own words."""
    w = _Writer(locale, fund.name, fund.provider)
    _ = w._
    app_form = _application_form(fund)
    report = application.report_answers
    group, group_language = _group_name(application)

    w.title(_("Report"))
    facts = [(_("Fund"), _safe(fund.name), None), (_("Group"), group, group_language)]
    if application.id is not None:
        facts.append((_("Application number"), str(application.id), "en"))
    if application.standing_decision is not None and application.standing_decision.amount_eur is not None:
        facts.append((_("Amount granted"), w.money(application.standing_decision.amount_eur), w.locale))
    facts.append((_("Date"), w.day(date.today()), w.locale))
    w.facts(facts)

    # Plan | What happened: the plan itself, then every report answer that shares an id with an
    # application answer (the report form decides which ones by reusing the ids).
    planned_people = answer_by_role(application.answers, Role.participants, app_form)
    def by_role(role: Role):  # the given report form's question for a role, else the shipped form's
        return (answer_by_role(report, role, report_form) if report_form else None) or answer_by_role(report, role, _report_questions())

    reached = by_role(Role.participants)
    spending = by_role(Role.budget)
    shown: set[str] = {a.question_id for a in (reached, spending) if a is not None}
    shown |= {q.id for q in (report_form.questions if report_form else []) if q.type == QuestionType.photos}
    rows = []
    plan = answer_by_role(application.answers, Role.description, app_form)
    happened = by_role(Role.description)
    plan_id = plan.question_id if plan else None
    happened_id = happened.question_id if happened else None
    if plan_id or happened_id:
        left = _text_of(w, _find_question(app_form, plan_id) if plan_id else None, application.answers.get(plan_id) if plan_id else None)
        right = _text_of(w, _find_question(report_form, happened_id) if happened_id else None, report.get(happened_id) if happened_id else None)
        rows.append([(_("Activity"), w.locale), left, right])
        shown.add(happened_id or "")
    for qid, answer in report.items():
        if qid in shown or qid not in application.answers:
            continue
        shown.add(qid)
        label = _question_text(w, report_form, qid) if report_form is not None else _question_text(w, app_form, qid)
        rows.append([(label, w.locale), _text_of(w, _find_question(app_form, qid), application.answers[qid]),
                     _text_of(w, _find_question(report_form, qid), answer)])
    if planned_people is not None or reached is not None:
        planned_question = _find_question(app_form, planned_people.question_id) if planned_people else None
        rows.append([(_("People reached"), w.locale), _text_of(w, planned_question, planned_people),
                     _text_of(w, _find_question(report_form, reached.question_id) if reached else None, reached)])
    if rows:
        w.heading(_("Plan and what happened"))
        w.table(["", _("Plan"), _("What happened")], rows)

    lines = _spending_lines(application)
    if lines and all(line.spent is None for line in lines):
        # the report asked nothing about spending: show the plan's budget, and claim nothing spent or left
        w.heading(_("Budget"))
        _budget_table(w, lines, None)
    elif lines:
        w.heading(_("Spending"))
        planned_total = budget_total(lines)
        spent_total = sum((line.spent or Decimal("0") for line in lines), Decimal("0.00"))
        table_rows = []
        for line in lines:
            spent = line.spent
            difference = w.money(line.amount - spent) if spent is not None else "—"
            table_rows.append([(_safe(line.item), spending.language if spending else None),
                               (w.money(line.amount), w.locale), (w.money(spent) if spent is not None else "—", w.locale),
                               (difference, w.locale)])
        table_rows.append([(_("Total"), w.locale), (w.money(planned_total), w.locale), (w.money(spent_total), w.locale),
                           (w.money(planned_total - spent_total), w.locale)])
        w.table([_("Item"), _("Budget"), _("Spent"), _("Difference")], table_rows, numeric=(1, 2, 3), bold_last=True)
        left_over = planned_total - spent_total
        if application.standing_decision is not None and application.standing_decision.amount_eur is not None:
            left_over = application.standing_decision.amount_eur - spent_total
            w.label(_("Spent from the grant: {spent} of {granted}.").format(
                spent=w.money(spent_total), granted=w.money(application.standing_decision.amount_eur)))
        if left_over >= 0:
            w.label(_("Left over: {amount}").format(amount=w.money(left_over)), bold=True)
        else:
            w.label(_("Spent more than planned: {amount}").format(amount=w.money(-left_over)), bold=True)

    own_words = [(qid, a) for qid, a in _ordered(report, report_form) if qid not in shown and a.value not in (None, "", [])]
    if own_words:
        w.heading(_("In the group's own words"))
        for qid, answer in own_words:
            w.heading(_question_text(w, report_form, qid), level=2)
            _write_answer(w, _find_question(report_form, qid), answer)

    if photos:
        w.heading(_("Photos"))
        for data, name in photos:
            name = _safe(name) or "—"
            try:
                w.doc.add_picture(io.BytesIO(data), width=PHOTO_WIDTH)
            except Exception:  # python-docx raises several types for unknown or broken images
                w.note(_("This photo could not be read and is left out: {name}").format(name=name))
                continue
            w.para(name, None, italic=True)
    return w.to_bytes()


def _ordered(answers: dict[str, Answer], form: Form | None) -> list[tuple[str, Answer]]:
    """Answers in the form's order, then any the form does not know."""
    order: list[str] = []
    if form is not None:
        order = [q.id for q in form.questions] + ([form.pitch.id] if form.pitch else [])
    known = [(qid, answers[qid]) for qid in order if qid in answers]
    return known + [(qid, a) for qid, a in answers.items() if qid not in order]
