"""What a group told about its plan (`FundingProfile`), and the tapped answers it is made from."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from steunwijzer.errors import InvalidInput
from steunwijzer.matching.vocabulary import OTHER_MUNICIPALITY
from steunwijzer.models import Money, TargetGroup, Theme


class AmountRange(NamedTuple):
    """From `low` to `high` euros; None means open on that side. An exact amount has low == high."""

    low: Decimal | None
    high: Decimal | None


def parse_band(value: str) -> AmountRange:
    """An amount choice from the form: '500-1500' -> (500, 1500); '25000-' -> (25000, None)."""
    low, sep, high = value.partition("-")
    if not sep or not low.isdigit() or (high and not high.isdigit()):
        raise ValueError(f"not an amount band: {value!r} (write it like 500-1500 or 25000-)")
    band = AmountRange(Decimal(low), Decimal(high) if high else None)
    if band.high is not None and band.high < band.low:
        raise ValueError(f"amount band {value!r} ends below its start")
    return band


def needed_by_from_choice(value: str | None, today: date) -> date | None:
    """The 'when do you need the money' choice: a number of days from today, or 'later'."""
    if not value or not value.isdigit():
        return None
    return today + timedelta(days=int(value))


LEGAL_ENTITY_CHOICES: dict[str, bool | None] = {"yes": True, "no": False, "not_sure": None}


class FundingProfile(BaseModel):
    """What a group told about its plan. Every field is optional."""

    model_config = ConfigDict(extra="forbid")

    themes: list[Theme] = Field(default_factory=list)
    municipality: str | None = Field(None, max_length=100, description=f"A municipality name, or {OTHER_MUNICIPALITY!r}.")
    amount_eur: Money | None = Field(None, description="The exact amount asked, if known.")
    amount_band: str | None = Field(None, pattern=r"^[0-9]{1,9}-[0-9]{0,9}$", description="A tapped range, e.g. '500-1500' or '25000-'.")
    legal_entity: bool | None = Field(None, description="A stichting or vereniging with a KvK number; None: not sure.")
    target_groups: list[TargetGroup] = Field(default_factory=list)
    needed_by: date | None = None

    @model_validator(mode="after")
    def _band_is_a_range(self) -> FundingProfile:
        if self.amount_band is not None:
            parse_band(self.amount_band)
        return self

    def asked(self) -> AmountRange | None:
        """The exact amount when given, else the tapped range, else None."""
        if self.amount_eur is not None:
            return AmountRange(self.amount_eur, self.amount_eur)
        if self.amount_band:
            return parse_band(self.amount_band)
        return None


def parse_profile(text: str, source: str = "profile") -> FundingProfile:
    """A profile from JSON (the CLI's --profile file). Errors name the source and the field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("{source} is not a valid funding profile: {detail}", source=source,
                           detail=f"line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise InvalidInput("{source} is not a valid funding profile: {detail}", source=source,
                           detail='it must be a JSON object, like {"themes": ["meeting"], "amount_eur": 1500}') from None
    try:
        return FundingProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(profile)"
        raise InvalidInput("{source} is not a valid funding profile: {detail}", source=source,
                           detail=f"field {field}: {first['msg']}") from None
