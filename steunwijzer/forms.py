"""Forms as data: load and validate forms/*.yaml, and validate each answer a user gives."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from steunwijzer import i18n
from steunwijzer.errors import ConfigurationError, InvalidInput
from steunwijzer.models import (
    BankAccount,
    BudgetLine,
    Contact,
    Form,
    Fund,
    Question,
    QuestionType,
)

FORMS_DIR = Path(__file__).resolve().parent.parent / "forms"
DEFAULT_MAX_LENGTH = {QuestionType.short_text: 200, QuestionType.long_text: 5000}
MAX_BUDGET_LINES = 40

# Characters XML 1.0 cannot hold, plus other invisible controls; newlines and tabs stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def load_form(name: str, forms_dir: Path = FORMS_DIR) -> Form:
    """Load forms/<name>.yaml. A broken file stops start-up with an error naming file and question."""
    return _load_form(name, str(forms_dir))


@lru_cache(maxsize=None)
def _load_form(name: str, forms_dir: str) -> Form:
    path = Path(forms_dir) / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigurationError("Form file {path} cannot be read: {detail}", path=str(path), detail=str(exc).splitlines()[0]) from None
    try:
        return Form.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        where = "form"
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            questions = data.get("questions") or []
            qid = questions[loc[1]].get("id") if loc[1] < len(questions) and isinstance(questions[loc[1]], dict) else None
            where = f"question {qid or '#' + str(loc[1] + 1)!s}"
            loc = loc[2:]
        raise ConfigurationError("Form file {path}, {where}, field {field}: {detail}", path=str(path), where=where,
                                 field=".".join(map(str, loc)) or "-", detail=err["msg"]) from None


def form_for_fund(form: Form, fund: Fund | None) -> Form:
    """Apply a fund's overrides: questions switched off, and its own extra questions at the end."""
    if fund is None or (not fund.question_overrides and not fund.extra_questions):
        return form
    kept = [q for q in form.questions if fund.question_overrides.get(q.id, True)]
    extra = [Question.model_validate(q) for q in fund.extra_questions]
    return form.model_copy(update={"questions": [*kept, *extra]})


# ---- cleaning and validation --------------------------------------------------------------

def clean_text(text: str | None, multiline: bool = True) -> str:
    """Normalise user text so that it can be stored and put into a document safely.

    HTML or script tags are kept as text (they are shown escaped, never run)."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


def max_length(question: Question) -> int:
    return question.max_length or DEFAULT_MAX_LENGTH.get(question.type, 500)


def validate_text(question: Question, raw: str | None) -> str | None:
    text = clean_text(raw, multiline=question.type == QuestionType.long_text)
    if not text:
        if question.required:
            raise InvalidInput("Please answer this question.")
        return None
    if len(text) > max_length(question):
        raise InvalidInput("Your answer is too long. Use at most {n} characters (now {count}).", n=max_length(question), count=len(text))
    return text


def validate_people(question: Question, raw: str | int | None) -> int | None:
    text = i18n.to_ascii_digits(clean_text(str(raw) if raw is not None else "", multiline=False)).replace(".", "").replace(",", "").replace(" ", "")
    if not text:
        if question.required:
            raise InvalidInput("Please fill in a number.")
        return None
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput("Please fill in a whole number, like 25.")
    value = int(text)
    _check_bounds(question, Decimal(value))
    return value


def _check_bounds(question: Question, value: Decimal) -> None:
    if question.min_value is not None and value < question.min_value:
        raise InvalidInput("The number must be at least {n}.", n=question.min_value)
    if question.max_value is not None and value > question.max_value:
        raise InvalidInput("The number can be at most {n}.", n=question.max_value)


def validate_money(question: Question, raw: str | Decimal | None, locale: str) -> Decimal | None:
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


def validate_budget(question: Question, lines: list[dict], locale: str) -> list[BudgetLine] | None:
    """Budget lines as the user typed them: [{"item": "...", "amount": "1.500,50"}, …]."""
    result: list[BudgetLine] = []
    for number, line in enumerate(lines or [], start=1):
        item = clean_text(str(line.get("item") or ""), multiline=False)
        amount_text = line.get("amount")
        if not item and (amount_text is None or not str(amount_text).strip()):
            continue  # an empty row is simply skipped
        if not item:
            raise InvalidInput("Line {n}: please say what the cost is for.", n=number)
        if len(item) > 200:
            raise InvalidInput("Line {n}: use at most 200 characters.", n=number)
        try:
            amount = amount_text if isinstance(amount_text, Decimal) else i18n.parse_money(str(amount_text or ""), locale)
        except InvalidInput as exc:
            raise InvalidInput("Line {n}: {problem}", n=number, problem=exc) from None
        result.append(BudgetLine(item=item, amount=amount))
    if len(result) > MAX_BUDGET_LINES:
        raise InvalidInput("Use at most {n} lines. Put small costs together.", n=MAX_BUDGET_LINES)
    if not result:
        if question.required:
            raise InvalidInput("Please add at least one cost with its amount.")
        return None
    return result


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


def validate_contact(question: Question, raw: dict) -> Contact | None:
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


def validate_bank(question: Question, raw: dict) -> BankAccount | None:
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


def validate_answer(question: Question, raw, locale: str):
    """Turn what the user gave into a clean value, or raise InvalidInput with a plain message."""
    t = question.type
    if t in (QuestionType.short_text, QuestionType.long_text):
        return validate_text(question, raw)
    if t == QuestionType.people:
        return validate_people(question, raw)
    if t == QuestionType.money:
        return validate_money(question, raw, locale)
    if t == QuestionType.budget:
        return validate_budget(question, raw or [], locale)
    if t == QuestionType.contact:
        return validate_contact(question, raw or {})
    if t == QuestionType.bank:
        return validate_bank(question, raw or {})
    if t in (QuestionType.choice, QuestionType.multi_choice):
        allowed = {c.value for c in question.choices}
        values = raw if isinstance(raw, list) else ([raw] if raw else [])
        if not values:
            if question.required:
                raise InvalidInput("Please choose an answer.")
            return None
        if any(v not in allowed for v in values):
            raise InvalidInput("Please choose one of the answers shown.")
        return values if t == QuestionType.multi_choice else values[0]
    if t == QuestionType.date:
        from datetime import date

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
    if t == QuestionType.photos:
        return raw
    raise ConfigurationError("Unknown question type {type}", type=str(t))


# ---- checks over the whole application (warnings, never blocks) ----------------------------

def budget_total(lines: list[BudgetLine] | None) -> Decimal:
    return sum((line.amount for line in lines or []), Decimal("0.00"))


def application_warnings(answers: dict, fund: Fund | None, locale: str) -> list[tuple[str, dict]]:
    """Things an applicant should look at before sending: (msgid, params) pairs."""
    warnings: list[tuple[str, dict]] = []
    asked = _value(answers, "amount_asked")
    lines = _value(answers, "budget")
    money = lambda v: i18n.format_money(v, locale)  # noqa: E731
    if asked is not None and fund is not None:
        if fund.max_amount_eur is not None and asked > fund.max_amount_eur:
            warnings.append(("This fund gives at most {max}. You ask {asked}.", {"max": money(fund.max_amount_eur), "asked": money(asked)}))
        if fund.min_amount_eur is not None and asked < fund.min_amount_eur:
            warnings.append(("This fund gives at least {min}. You ask {asked}.", {"min": money(fund.min_amount_eur), "asked": money(asked)}))
    if asked is not None and lines:
        total = budget_total(lines)
        if asked > total:
            warnings.append(("You ask {asked}, but the costs add up to {total}. You cannot ask more than the costs.", {"asked": money(asked), "total": money(total)}))
    return warnings


def _value(answers: dict, question_id: str):
    answer = answers.get(question_id)
    return getattr(answer, "value", None) if answer is not None else None
