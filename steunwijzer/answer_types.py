"""One registry of answer types: for each question type, how a raw answer is validated, how its
value is stored as JSON and read back, and how it reads as one line of text (documents, CSV).

A new question type is one entry here and one in `ui/answer.py` (draw, read, show)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from steunwijzer import i18n
from steunwijzer.errors import ConfigurationError, InvalidInput, Plural, too_long
from steunwijzer.models import BankAccount, BudgetLine, Contact, Question, QuestionType
from steunwijzer.text import clean_text

DEFAULT_MAX_LENGTH = {QuestionType.short_text: 200, QuestionType.long_text: 5000}
MAX_BUDGET_LINES = 40
Gettext = Callable[[str], str]


def max_length(question: Question) -> int:
    return question.max_length or DEFAULT_MAX_LENGTH.get(question.type, 500)


# ---- validators: raw widget value → clean value (or InvalidInput with a plain message) ---------

def validate_text(question: Question, raw, locale: str) -> str | None:
    text = clean_text(None if raw is None else str(raw), multiline=question.type == QuestionType.long_text)
    if not text:
        if question.required:
            raise InvalidInput("Please answer this question.")
        return None
    if len(text) > max_length(question):
        raise too_long(max_length(question), len(text))
    return text


_WHOLE_NUMBER = re.compile(r"[0-9]{1,3}([ .,][0-9]{3})*|[0-9]+")


def validate_people(question: Question, raw, locale: str) -> int | None:
    """A whole number of people. Thousands separators are fine ("1.500", "1,500", "1 500");
    "12.5" or "12,5" is not a number of people, and neither is "²" (a digit to Python, not to us)."""
    text = i18n.to_ascii_digits(clean_text("" if raw is None else str(raw), multiline=False))
    if not text:
        if question.required:
            raise InvalidInput("Please fill in a number.")
        return None
    if not _WHOLE_NUMBER.fullmatch(text) or len(text) > 12:
        raise InvalidInput("Please fill in a whole number, like 25.")
    value = int(re.sub(r"[ .,]", "", text))
    _check_bounds(question, Decimal(value))
    return value


def _check_bounds(question: Question, value: Decimal) -> None:
    if question.min_value is not None and value < question.min_value:
        raise InvalidInput("The number must be at least {n}.", n=question.min_value)
    if question.max_value is not None and value > question.max_value:
        raise InvalidInput("The number can be at most {n}.", n=question.max_value)


def validate_money(question: Question, raw, locale: str) -> Decimal | None:
    if isinstance(raw, Decimal):
        value = raw
    elif raw is None or not str(raw).strip():
        if question.required:
            raise InvalidInput("Please fill in an amount.")
        return None
    else:
        value = i18n.parse_money(str(raw), locale)
    if value < 0:
        raise InvalidInput("The amount cannot be negative.")
    if question.min_value is not None and value < question.min_value:
        raise InvalidInput("The amount must be at least {amount}.", amount=i18n.format_money(question.min_value, locale))
    if question.max_value is not None and value > question.max_value:
        raise InvalidInput("The amount can be at most {amount}.", amount=i18n.format_money(question.max_value, locale))
    return value


def _amount(text, locale: str, line: int) -> Decimal:
    try:
        value = text if isinstance(text, Decimal) else i18n.parse_money(str(text or ""), locale)
    except InvalidInput as exc:
        raise InvalidInput("Line {n}: {problem}", n=line, problem=exc) from None
    if value < 0:
        raise InvalidInput("Line {n}: {problem}", n=line, problem=InvalidInput("The amount cannot be negative."))
    return value


def validate_budget(question: Question, raw, locale: str) -> list[BudgetLine] | None:
    """Budget lines as the user typed them: [{"item": "...", "amount": "1.500,50"}, …]."""
    result: list[BudgetLine] = []
    for number, line in enumerate(raw or [], start=1):
        item = clean_text(str(line.get("item") or ""), multiline=False)
        amount_text = line.get("amount")
        if not item and (amount_text is None or not str(amount_text).strip()):
            continue  # an empty row is simply skipped
        if not item:
            raise InvalidInput("Line {n}: please say what the cost is for.", n=number)
        if len(item) > 200:
            raise InvalidInput("Line {n}: use at most 200 characters.", n=number)
        result.append(BudgetLine(item=item, amount=_amount(amount_text, locale, number)))
    if len(result) > MAX_BUDGET_LINES:
        raise InvalidInput(Plural("Use at most {n} line. Put small costs together.",
                                  "Use at most {n} lines. Put small costs together.", "n"), n=MAX_BUDGET_LINES)
    if not result:
        if question.required:
            raise InvalidInput("Please add at least one cost with its amount.")
        return None
    return result


def validate_spending(question: Question, raw, locale: str) -> list[BudgetLine] | None:
    """The planned lines with what was really spent: [{"item", "amount" (planned), "spent" (typed)}]."""
    result = []
    for number, line in enumerate(raw or [], start=1):
        if isinstance(line, BudgetLine):
            line = line.model_dump()
        planned = BudgetLine(item=line["item"], amount=line["amount"])
        spent_text = line.get("spent")
        if spent_text is None or not str(spent_text).strip():
            if question.required:
                raise InvalidInput("Line {n}: {problem}", n=number, problem=InvalidInput("Please fill in an amount."))
            result.append(planned)
            continue
        result.append(planned.model_copy(update={"spent": _amount(spent_text, locale, number)}))
    return result or None


_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]{2,}$")


def validate_email(raw: str) -> str:
    email = clean_text(raw, multiline=False)
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidInput("This e-mail address does not look right. Example: name@example.nl")
    return email


def validate_phone(raw: str) -> str:
    phone = i18n.to_ascii_digits(clean_text(raw, multiline=False))
    digits = re.sub(r"\D", "", phone)
    if not re.fullmatch(r"\+?[0-9 ()\-.]+", phone) or not 9 <= len(digits) <= 15:
        raise InvalidInput("This phone number does not look right. Example: 06 12345678")
    return phone


def validate_contact(question: Question, raw, locale: str) -> Contact | None:
    raw = raw or {}
    name = clean_text(raw.get("name"), multiline=False)
    phone = clean_text(raw.get("phone"), multiline=False)
    email = clean_text(raw.get("email"), multiline=False)
    if not (name or phone or email):
        if question.required:
            raise InvalidInput("Please give a name and a phone number or e-mail address.")
        return None
    if not name:
        raise InvalidInput("Please give the name of the contact person.")
    if len(name) > 200:
        raise InvalidInput("The name is too long.")
    if not phone and not email:
        raise InvalidInput("Please give a phone number or an e-mail address, so we can reach you.")
    return Contact(name=name, phone=validate_phone(phone) if phone else None, email=validate_email(email) if email else None,
                   mail_ok=bool(email) and bool(raw.get("mail_ok")))


def normalize_iban(raw: str) -> str:
    return re.sub(r"[\s.\-]", "", i18n.to_ascii_digits(raw or "")).upper()


def validate_iban(raw: str) -> str:
    """Format and ISO 13616 mod-97 check. Dutch IBANs have 18 characters; others up to 34."""
    iban = normalize_iban(raw)
    if not iban:
        raise InvalidInput("Please fill in the IBAN (bank account number).")
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}", iban):
        raise InvalidInput("This IBAN does not look right. A Dutch IBAN looks like NL91 ABNA 0417 1643 00.")
    if iban.startswith("NL") and not re.fullmatch(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}", iban):
        raise InvalidInput("This IBAN does not look right. A Dutch IBAN looks like NL91 ABNA 0417 1643 00.")
    rearranged = iban[4:] + iban[:4]
    if int("".join(str(int(c, 36)) for c in rearranged)) % 97 != 1:
        raise InvalidInput("This IBAN has a typing error. Please check the numbers and letters.")
    return iban


def format_iban(iban: str) -> str:
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def validate_bank(question: Question, raw, locale: str) -> BankAccount | None:
    raw = raw or {}
    route = raw.get("route") or "own_account"
    iban_text = raw.get("iban") or ""
    holder = clean_text(raw.get("holder"), multiline=False)
    penvoerder = clean_text(raw.get("penvoerder_name"), multiline=False)
    if not (iban_text.strip() or holder or penvoerder):
        if question.required:
            raise InvalidInput("Please say where the money should go.")
        return None
    if route not in ("own_account", "penvoerder"):
        raise InvalidInput("Please choose where the money should go.")
    if route == "penvoerder" and not penvoerder:
        raise InvalidInput("Please give the name of the organisation that receives the money for you.")
    iban = validate_iban(iban_text)
    if not holder:
        raise InvalidInput("Please give the name of the account holder.")
    if len(holder) > 200 or len(penvoerder) > 200:
        raise InvalidInput("The name is too long.")
    return BankAccount(route=route, iban=iban, holder=holder, penvoerder_name=penvoerder or None)


def _validate_choices(question: Question, raw, locale: str):
    allowed = {c.value for c in question.choices}
    values = raw if isinstance(raw, list) else ([raw] if raw else [])
    if not values:
        if question.required:
            raise InvalidInput("Please choose an answer.")
        return None
    if any(v not in allowed for v in values):
        raise InvalidInput("Please choose one of the answers shown.")
    return values if question.type == QuestionType.multi_choice else values[0]


def validate_date(question: Question, raw, locale: str) -> date | None:
    if isinstance(raw, date):
        return raw
    if raw in (None, ""):
        if question.required:
            raise InvalidInput("Please choose a date.")
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInput("Please choose a date.") from None


def _no_value(question: Question, raw, locale: str) -> None:
    return None  # photos are stored on their own (steunwijzer.reports.add_photo)


# ---- as one line of text -----------------------------------------------------------------

def _text_plain(question, value, locale, _):
    return str(value)


def _text_people(question, value, locale, _):
    return i18n.format_number(value, locale)


def _text_money(question, value, locale, _):
    return i18n.format_money(value, locale)


def _text_date(question, value, locale, _):
    return i18n.format_day(value, locale)


def _text_choices(question, value, locale, _):
    labels = {c.value: _(c.label) for c in (question.choices if question else [])}
    return ", ".join(str(labels.get(v, v)) for v in (value if isinstance(value, list) else [value]))


def _text_budget(question, value, locale, _):
    return "; ".join(f"{line.item}: {i18n.format_money(line.amount, locale)}" for line in value)


def _text_spending(question, value, locale, _):
    return "; ".join(f"{line.item}: {i18n.format_money(line.spent, locale) if line.spent is not None else '—'}"
                     for line in value)


def _text_contact(question, value, locale, _):
    return " · ".join(x for x in (value.name, value.phone, value.email) if x)


def _text_bank(question, value, locale, _):
    parts = [format_iban(value.iban), value.holder]
    if value.penvoerder_name:
        parts.insert(0, _("Penvoerder: {name}").format(name=value.penvoerder_name))
    return " · ".join(parts)


# ---- JSON: every stored value carries a tag, so it reads back as the same type -----------------

@dataclass(frozen=True)
class Tag:
    name: str
    dump: Callable[[Any], Any]
    load: Callable[[Any], Any]


TAGS: dict[str, Tag] = {t.name: t for t in (
    Tag("v", lambda v: v, lambda d: d),
    Tag("decimal", str, Decimal),
    Tag("date", lambda v: v.isoformat(), date.fromisoformat),
    Tag("contact", lambda v: v.model_dump(mode="json"), Contact.model_validate),
    Tag("bankaccount", lambda v: v.model_dump(mode="json"), BankAccount.model_validate),
    Tag("budget", lambda v: [line.model_dump(mode="json") for line in v], lambda d: [BudgetLine.model_validate(x) for x in d]),
)}


@dataclass(frozen=True)
class AnswerType:
    validate: Callable[[Question, Any, str], Any]
    tag: str
    as_text: Callable[[Question | None, Any, str, Gettext], str]


REGISTRY: dict[QuestionType, AnswerType] = {
    QuestionType.short_text: AnswerType(validate_text, "v", _text_plain),
    QuestionType.long_text: AnswerType(validate_text, "v", _text_plain),
    QuestionType.people: AnswerType(validate_people, "v", _text_people),
    QuestionType.money: AnswerType(validate_money, "decimal", _text_money),
    QuestionType.date: AnswerType(validate_date, "date", _text_date),
    QuestionType.choice: AnswerType(_validate_choices, "v", _text_choices),
    QuestionType.multi_choice: AnswerType(_validate_choices, "v", _text_choices),
    QuestionType.budget: AnswerType(validate_budget, "budget", _text_budget),
    QuestionType.spending: AnswerType(validate_spending, "budget", _text_spending),
    QuestionType.contact: AnswerType(validate_contact, "contact", _text_contact),
    QuestionType.bank: AnswerType(validate_bank, "bankaccount", _text_bank),
    QuestionType.photos: AnswerType(_no_value, "v", _text_plain),
}


def answer_type(question_type: QuestionType | str) -> AnswerType:
    try:
        return REGISTRY[QuestionType(question_type)]
    except (KeyError, ValueError):
        raise ConfigurationError("Unknown question type {type}", type=str(question_type)) from None


def validate(question: Question, raw, locale: str):
    """Turn what the user gave into a clean value, or raise InvalidInput with a plain message."""
    return answer_type(question.type).validate(question, raw, locale)


def as_text(question: Question | None, value, locale: str, gettext: Gettext) -> str:
    """An answer as one line of plain text (no Markdown), in the reader's way of writing numbers."""
    if value is None:
        return ""
    if question is None:  # a value without its question (an old or removed question): by its Python type
        kind = {Decimal: QuestionType.money, Contact: QuestionType.contact, BankAccount: QuestionType.bank,
                date: QuestionType.date}.get(type(value))
        if kind is None and isinstance(value, list) and value and isinstance(value[0], BudgetLine):
            kind = QuestionType.budget
        return answer_type(kind).as_text(None, value, locale, gettext) if kind else _text_choices(None, value, locale, gettext)
    return answer_type(question.type).as_text(question, value, locale, gettext)


def _tag_of(value) -> str:
    if isinstance(value, Decimal):
        return "decimal"
    if isinstance(value, Contact):
        return "contact"
    if isinstance(value, BankAccount):
        return "bankaccount"
    if isinstance(value, list) and value and isinstance(value[0], BudgetLine):
        return "budget"
    if isinstance(value, date):
        return "date"
    return "v"


def to_json(value) -> dict:
    tag = TAGS[_tag_of(value)]
    return {tag.name: tag.dump(value)}


def from_json(data: dict):
    for name, raw in data.items():
        if name in TAGS:
            return TAGS[name].load(raw)
    return None
