"""Forms as data: load and validate forms/*.yaml, and validate each answer a user gives."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from steunwijzer import i18n
from steunwijzer.errors import ConfigurationError
from steunwijzer.models import Answer, BudgetLine, Form, Fund, Question, Role

FORMS_DIR = Path(__file__).resolve().parent.parent / "forms"


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


# ---- checks over the whole application (warnings, never blocks) ----------------------------

def budget_total(lines: list[BudgetLine] | None) -> Decimal:
    return sum((line.amount for line in lines or []), Decimal("0.00"))


def application_warnings(answers: dict, fund: Fund | None, locale: str) -> list[tuple[str, dict]]:
    """Things an applicant should look at before sending: (msgid, params) pairs."""
    warnings: list[tuple[str, dict]] = []
    asked = value_by_role(answers, Role.amount_asked)
    lines = value_by_role(answers, Role.budget)
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


def application_form(fund: Fund | None = None) -> Form:
    """The application questions for a fund (its overrides applied)."""
    return form_for_fund(load_form("application"), fund)


def answer_by_role(answers: dict[str, Answer], role: Role, form: Form | None = None) -> Answer | None:
    """The answer to the question that plays `role` in the application form."""
    for question in (form or load_form("application")).with_role(role):
        if answers.get(question.id) is not None:
            return answers[question.id]
    return None


def value_by_role(answers: dict[str, Answer], role: Role, form: Form | None = None):
    answer = answer_by_role(answers, role, form)
    return answer.value if answer is not None else None


# ---- standard reasons and conditions (forms/decisions.yaml) -------------------------------------

class StandardText(BaseModel):
    id: str
    text: str                 # msgid the group reads
    help: str | None = None   # msgid: the rule a refusal reason rests on


@lru_cache(maxsize=1)
def _standard() -> dict[str, dict[str, StandardText]]:
    data = yaml.safe_load((FORMS_DIR / "decisions.yaml").read_text(encoding="utf-8"))
    return {kind: {item["id"]: StandardText.model_validate(item) for item in data[kind]}
            for kind in ("refusal_reasons", "conditions")}


def refusal_reasons() -> dict[str, StandardText]:
    return _standard()["refusal_reasons"]


def standard_conditions() -> dict[str, StandardText]:
    return _standard()["conditions"]
