"""The fund catalogue: load and validate YAML, store, export."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from steunwijzer import audit
from steunwijzer.errors import ConfigurationError, InvalidInput, NotFound
from steunwijzer.models import Fund
from steunwijzer.store import FundRow

DEMO_CATALOGUE = Path(__file__).resolve().parent / "data" / "funds.yaml"


def _describe(err: ValidationError) -> str:
    first = err.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(fund)"
    return f"{field}: {first['msg']}"


def parse_catalogue(text: str, source: str = "catalogue") -> list[Fund]:
    """Validate catalogue YAML. Errors name the file, the fund and the field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput("{source} is not valid YAML: {detail}", source=source, detail=str(exc).splitlines()[0]) from None
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
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput("Cannot read {source}: {detail}", source=str(path), detail=exc.strerror or str(exc)) from None
    return parse_catalogue(text, source=str(path))


def dump_catalogue(funds: list[Fund]) -> str:
    data = {"funds": [f.model_dump(mode="json", exclude_defaults=False) for f in funds]}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def save_funds(session: Session, funds: list[Fund], actor: str = "cli") -> int:
    """Insert or replace funds by id."""
    for fund in funds:
        row = session.get(FundRow, fund.id)
        data = fund.model_dump(mode="json")
        if row is None:
            session.add(FundRow(id=fund.id, name=fund.name, data=data, in_app=fund.in_app, archived=False))
        else:
            row.name, row.data, row.in_app = fund.name, data, fund.in_app
    audit.record(session, actor, "funds.import", count=len(funds))
    return len(funds)


def all_funds(session: Session, include_archived: bool = False) -> list[Fund]:
    query = select(FundRow).order_by(FundRow.name)
    if not include_archived:
        query = query.where(FundRow.archived.is_(False))
    return [Fund.model_validate(row.data) for row in session.scalars(query)]


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
