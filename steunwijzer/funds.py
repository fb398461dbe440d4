"""The fund catalogue: load and validate YAML, store, export, check what is due; and the `funds`
commands (import, export, match, check)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from steunwijzer import audit, wording
from steunwijzer.config import LOCALES
from steunwijzer.errors import ConfigurationError, InvalidInput, NotFound
from steunwijzer.models import KEY_FACTS, FactSource, Fund
from steunwijzer.store import FundRow

DEMO_CATALOGUE = Path(__file__).resolve().parent / "data" / "funds.yaml"


def _describe(err: ValidationError, most: int = 3) -> str:
    """'field max_amount_eur: Input should be greater than or equal to 0; field url: …'."""
    parts = []
    for item in err.errors()[:most]:
        field = ".".join(str(p) for p in item["loc"]) or "(the whole fund)"
        parts.append(f"field {field}: {item['msg']}")
    if err.error_count() > most:
        parts.append(f"and {err.error_count() - most} more")
    return "; ".join(parts)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"line {mark.line + 1}: {problem}" if mark is not None else problem


def parse_catalogue(text: str, source: str = "catalogue") -> list[Fund]:
    """Validate catalogue YAML. Errors name the file, the fund and the field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput("{source} is not valid YAML: {detail}", source=source, detail=_yaml_problem(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("funds"), list):
        raise InvalidInput("{source} needs a top-level list 'funds:'.", source=source)
    funds: list[Fund] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["funds"], start=1):
        name = raw.get("id") if isinstance(raw, dict) else None
        label = f"fund {name!r}" if name else f"fund #{index}"
        try:
            fund = Fund.model_validate(raw)
        except ValidationError as exc:
            raise InvalidInput("{source}, {fund}: {detail}", source=source, fund=label, detail=_describe(exc)) from None
        if fund.min_amount_eur is not None and fund.max_amount_eur is not None and fund.min_amount_eur > fund.max_amount_eur:
            raise InvalidInput("{source}, {fund}: min_amount_eur is larger than max_amount_eur", source=source, fund=label)
        if fund.id in seen:
            raise InvalidInput("{source}, {fund}: this id appears twice", source=source, fund=label)
        seen.add(fund.id)
        funds.append(fund)
    return funds


def load_catalogue(path: Path) -> list[Fund]:
    return parse_catalogue(_read_text(Path(path)), source=str(path))


def _plain(value):
    """Model values as YAML that reads like a hand-written catalogue: 5000 rather than '5000.00',
    dates unquoted, URLs and choices as text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else f"{value:.2f}"
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, (bool, int, str, date)):
        return value
    return str(value)  # HttpUrl and friends


def dump_catalogue(funds: list[Fund]) -> str:
    """The catalogue as YAML in the format parse_catalogue reads (a round trip loses nothing)."""
    data = {"funds": [_plain(f.model_dump()) for f in funds]}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def save_funds(session: Session, funds: list[Fund], actor: str = "cli", action: str = "funds.import") -> int:
    """Insert or replace funds by id; the audit line names every fund id."""
    for fund in funds:
        row = session.get(FundRow, fund.id)
        data = fund.model_dump(mode="json")
        if row is None:
            session.add(FundRow(id=fund.id, name=fund.name, data=data, in_app=fund.in_app, archived=False))
        else:
            row.name, row.data, row.in_app = fund.name, data, fund.in_app
    audit.record(session, actor, action, count=len(funds), funds=",".join(f.id for f in funds)[:2000])
    return len(funds)


def catalogue_version(session: Session) -> str:
    """Changes whenever a fund is added, changed or (un)archived: a cheap cache key."""
    count, latest = session.execute(select(func.count(FundRow.id), func.max(FundRow.updated_at))).one()
    return f"{count}:{latest}"


def all_funds(session: Session, include_archived: bool = False) -> list[Fund]:
    query = select(FundRow).order_by(FundRow.name)
    if not include_archived:
        query = query.where(FundRow.archived.is_(False))
    return [Fund.model_validate(row.data) for row in session.scalars(query)]


def archived_ids(session: Session) -> set[str]:
    return set(session.scalars(select(FundRow.id).where(FundRow.archived)))


def get_fund(session: Session, fund_id: str) -> Fund:
    row = session.get(FundRow, fund_id)
    if row is None:
        raise NotFound("This fund does not exist.")
    return Fund.model_validate(row.data)


def set_archived(session: Session, fund_id: str, archived: bool, actor: str) -> None:
    row = session.get(FundRow, fund_id)
    if row is None:
        raise NotFound("This fund does not exist.")
    row.archived = archived
    audit.record(session, actor, "funds.archive" if archived else "funds.unarchive", fund=fund_id)


def demo_catalogue() -> list[Fund]:
    if not DEMO_CATALOGUE.exists():
        raise ConfigurationError("The demo catalogue {path} is missing.", path=str(DEMO_CATALOGUE))
    return load_catalogue(DEMO_CATALOGUE)


# ---- what a catalogue editor must look at --------------------------------------------------------

FACT_MAX_AGE_DAYS = 365  # older facts are shown with "check this with the fund"
_TEXT_FIELDS = ("summary", "how_to_apply", "deadline_text", "what_you_need", "accountability")
_BAD_PLACEHOLDER = re.compile(r"\{(?!eur:[0-9]{1,9}\})[^{}]*\}")


def fact_is_due(fact: FactSource, today: date, older_than: int = FACT_MAX_AGE_DAYS) -> bool:
    """A fact whose check is older than `older_than` days, or that no source could confirm."""
    return not fact.confirmed or fact.checked < today - timedelta(days=older_than)


@dataclass(frozen=True)
class Finding:
    fund_id: str
    problem: str          # English, for the catalogue editor
    due: bool = True      # False: a note that needs no action now


def check_catalogue(catalogue: list[Fund], today: date, older_than: int = FACT_MAX_AGE_DAYS) -> list[Finding]:
    """Facts past their date or without a source, closed funds still linked, texts missing in any
    of the app's languages. Facts no source could confirm are notes (due=False): the fund card
    already tells groups to check them with the fund."""
    by_id = {f.id: f for f in catalogue}
    limit = today - timedelta(days=older_than)
    found: list[Finding] = []
    for fund in catalogue:
        def add(problem: str, due: bool = True, fund_id: str = fund.id) -> None:
            found.append(Finding(fund_id, problem, due))

        if fund.is_open:
            for name in KEY_FACTS:
                fact = fund.facts.get(name)
                if fact is None:
                    add(f"fact {name} has no source")
                elif fact.checked < limit:
                    add(f"fact {name} was checked on {fact.checked.isoformat()}, more than {older_than} days ago: {fact.url}")
                elif not fact.confirmed:
                    add(f"fact {name} is not confirmed by its source ({fact.url}); shown as 'check this with the fund'", due=False)
        else:
            if fund.in_app:
                add(f"status {fund.status.value}, but applications are still made in Steunwijzer (in_app)")
        if fund.replaced_by is not None:
            successor = by_id.get(fund.replaced_by)
            if successor is None:
                add(f"replaced_by {fund.replaced_by!r} is not in the catalogue")
            elif not successor.is_open:
                add(f"replaced_by {fund.replaced_by!r}, which is {successor.status.value} itself")
        for field in _TEXT_FIELDS:
            texts = getattr(fund, field)
            if not texts:
                continue
            missing = [lang for lang in LOCALES if not texts.get(lang)]
            if missing:
                add(f"{field} has no text in {', '.join(missing)}")
            for lang, text in texts.items():
                for piece in (text if isinstance(text, list) else [text]):
                    if _BAD_PLACEHOLDER.search(piece):
                        add(f"{field} ({lang}) has a placeholder other than {{eur:NUMBER}}: {piece[:60]!r}")
                    for problem in wording.fund_text_problems(lang, piece):
                        add(f"{field} ({lang}) {problem}")
        for route in fund.help:
            if route.hours and (missing := [lang for lang in LOCALES if not route.hours.get(lang)]):
                add(f"help ({route.who}) hours have no text in {', '.join(missing)}")
    return found


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput("Cannot read {source}: {detail}", source=str(path), detail=exc.strerror or str(exc)) from None
