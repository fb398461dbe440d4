"""Pydantic models: the shapes of the domain, shared by core, CLI, documents and pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    field_validator,
    model_validator,
)

Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
# A text in several languages: {"nl": "...", "en": "...", ...}; "nl" is required.
Localized = dict[str, str]
LocalizedList = dict[str, list[str]]


def pick(texts: dict[str, object] | None, locale: str, fallbacks: tuple[str, ...] = ("en", "nl")):
    """The text for `locale`, else the first fallback that exists, else None."""
    if not texts:
        return None
    for key in (locale, *fallbacks):
        if texts.get(key):
            return texts[key]
    return next(iter(texts.values()))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- funds ------------------------------------------------------------------------------

class FundKind(StrEnum):
    private_fund = "private_fund"
    municipality = "municipality"
    province = "province"
    national_scheme = "national_scheme"
    bank = "bank"
    housing_corporation = "housing_corporation"
    other = "other"


class LegalEntityRule(StrEnum):
    yes = "yes"            # only a stichting or vereniging with a KvK number
    no = "no"              # a group of residents can apply itself
    penvoerder = "penvoerder"  # a group can apply only through an organisation that receives the money
    unknown = "unknown"


class YesNoUnknown(StrEnum):
    yes = "yes"
    no = "no"
    unknown = "unknown"


# The reports a grant can ask, lightest first (steunwijzer.accountability decides which).
ReportTier = Literal["story", "spending", "full"]


class ReportTierRule(Strict):
    """Up to and including `up_to_eur` (None: no upper bound) a grant needs report `tier`."""

    up_to_eur: Money | None = None
    tier: ReportTier


THEMES = ("meeting", "neighbourhood", "green", "care", "poverty", "youth", "culture", "sport",
          "education", "participation", "health", "volunteering")
TARGET_GROUPS = ("residents", "children", "young_people", "elderly", "newcomers", "low_income",
                 "lonely", "disabled", "women", "everyone")
Theme = Literal[THEMES]  # type: ignore[valid-type]
TargetGroup = Literal[TARGET_GROUPS]  # type: ignore[valid-type]


class FundStatus(StrEnum):
    open = "open"
    closed = "closed"          # takes no applications; never matched
    replaced = "replaced"      # closed, and `replaced_by` names the fund that took its place


class SourceKind(StrEnum):
    """How far a source can be trusted, best first: the fund's own page, a published regulation
    (overheid.nl, with validity dates), news, a third party's summary."""

    fund_page = "fund_page"
    regulation = "regulation"
    news = "news"
    third_party = "third_party"


# The facts a group decides on; each has its own source and date (`Fund.facts`).
KEY_FACTS = ("amount", "who_may_apply", "area", "deadline")
KeyFact = Literal[KEY_FACTS]  # type: ignore[valid-type]


class FactSource(Strict):
    url: HttpUrl
    kind: SourceKind
    checked: date = Field(description="When a catalogue editor last compared the fact with this source.")
    source_date: str | None = Field(None, pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
                                    description="The date (or year) of the source itself, when it shows one.")
    confirmed: bool = Field(True, description="False: no source could confirm the fact (only old or indirect ones); "
                                               "the fund card then says to check it with the fund.")


class ApplicantKind(StrEnum):
    natural_person = "natural_person"  # one resident applies (and receives the money) for the group
    residents = "residents"            # a group of residents, no stichting or vereniging needed
    penvoerder = "penvoerder"          # an organisation applies or receives the money for the group
    legal_entity = "legal_entity"      # a stichting or vereniging with a KvK number


# Which LegalEntityRule a route means for a group without a legal entity (lower is easier).
_ROUTE_RULE = {ApplicantKind.natural_person: "no", ApplicantKind.residents: "no",
               ApplicantKind.penvoerder: "penvoerder", ApplicantKind.legal_entity: "yes"}


class ApplicantRoute(Strict):
    """One way in: who may apply, from how many people, and up to which amount."""

    kind: ApplicantKind
    min_people: int | None = Field(None, ge=1, le=100, description="At least this many residents (kind residents).")
    min_age: int | None = Field(None, ge=0, le=99)
    up_to_eur: Money | None = Field(None, description="This route only for asks up to this amount (e.g. Den Haag: € 750 for a resident).")


class HelpKind(StrEnum):
    phone = "phone"
    office_hours = "office_hours"
    advisers = "advisers"
    email = "email"


class HelpRoute(Strict):
    """A person to ask: these groups need a phone number more than a form."""

    kind: HelpKind
    who: str = Field(min_length=2, max_length=200, description="Who answers (a name, shown as written).")
    phone: str | None = Field(None, pattern=r"^[0-9+() -]{5,20}$")
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    url: HttpUrl | None = None
    hours: Localized = Field(default_factory=dict, description="When, per language (optional).")
    source: HttpUrl


class Fund(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")
    name: str = Field(min_length=2, max_length=200)
    provider: str = Field(min_length=2, max_length=200)
    kind: FundKind
    status: FundStatus = FundStatus.open
    status_since: date | None = Field(None, description="Since when the status holds (e.g. the day it closed).")
    replaced_by: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9-]{1,63}$", description="Status replaced: the successor's id.")
    region: str = Field("national", description="Where the fund gives money, as shown to people ('national', 'Provincie Drenthe').")
    municipalities: list[str] = Field(default_factory=list, description="Municipalities covered; empty means the whole country.")
    themes: list[Theme] = Field(min_length=1)
    target_groups: list[TargetGroup] = Field(default_factory=list)
    min_amount_eur: Money | None = None
    max_amount_eur: Money | None = None
    who_may_apply: list[ApplicantRoute] = Field(default_factory=list, description="Every way in; empty: not known.")
    legal_entity: LegalEntityRule | None = Field(None, description="Worked out from who_may_apply when that is given.")
    spoken_application: YesNoUnknown = YesNoUnknown.unknown
    any_time: bool = Field(False, description="Applications are possible at any time (no fixed deadline).")
    next_deadline: date | None = None
    deadline_text: Localized = Field(default_factory=dict)
    summary: Localized
    how_to_apply: LocalizedList
    what_you_need: LocalizedList = Field(default_factory=dict)
    accountability: Localized = Field(default_factory=dict)
    help: list[HelpRoute] = Field(default_factory=list)
    report_tiers: list[ReportTierRule] = Field(default_factory=list)
    url: HttpUrl
    sources: list[HttpUrl] = Field(min_length=1)
    facts: dict[KeyFact, FactSource] = Field(default_factory=dict, description="Where each key fact comes from.")
    last_checked: date
    in_app: bool = Field(False, description="Applications for this fund are made and reviewed inside Steunwijzer.")
    regulation: str | None = Field(None, description="The legal basis a decision rests on, e.g. 'Subsidieregeling bewonersinitiatieven Gemeente Voorbeeld 2026, artikel 4' (Dutch, as in the letter).")
    complaints_contact: str | None = Field(None, description="For a private fund: where a group can complain about a decision (no objection procedure).")
    question_overrides: dict[str, bool] = Field(default_factory=dict, description="Switch application questions on (true) or off (false).")
    extra_questions: list[dict] = Field(default_factory=list, description="Fund-specific questions, same shape as in forms/application.yaml.")

    @property
    def decides_by_beschikking(self) -> bool:
        """A public body's decision is a beschikking (objection within 6 weeks, Awb 6:7); a private
        fund's is not (it gives a complaints contact instead)."""
        return self.kind in (FundKind.municipality, FundKind.province, FundKind.national_scheme)

    @field_validator("summary", "how_to_apply")
    @classmethod
    def _needs_dutch(cls, value: dict) -> dict:
        if not value.get("nl"):
            raise ValueError("needs at least a Dutch ('nl') text")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Fund:
        if self.who_may_apply:
            easiest = min((_ROUTE_RULE[r.kind] for r in self.who_may_apply), key=("no", "penvoerder", "yes").index)
            if self.legal_entity is not None and self.legal_entity != easiest:
                raise ValueError(f"legal_entity {self.legal_entity.value!r} does not agree with who_may_apply "
                                 f"(which says {easiest!r}); leave legal_entity out")
            self.legal_entity = LegalEntityRule(easiest)
        elif self.legal_entity is None:
            raise ValueError("give who_may_apply or legal_entity")
        if (self.status is FundStatus.replaced) != (self.replaced_by is not None):
            raise ValueError("status replaced needs replaced_by, and only then")
        if self.replaced_by == self.id:
            raise ValueError("a fund cannot replace itself")
        return self

    @property
    def is_open(self) -> bool:
        return self.status is FundStatus.open


# ---- forms -----------------------------------------------------------------------------

class QuestionType(StrEnum):
    short_text = "short_text"
    long_text = "long_text"
    people = "people"          # a whole number of people
    money = "money"
    date = "date"
    choice = "choice"
    multi_choice = "multi_choice"
    budget = "budget"          # budget lines: item + amount
    spending = "spending"      # the planned budget lines with what was really spent
    contact = "contact"        # name, phone and/or e-mail
    bank = "bank"              # IBAN + holder, or a penvoerder
    photos = "photos"


class Role(StrEnum):
    """What a question means to the code (the queue, letters, warnings, reports), so that no
    code looks a question up by its id."""

    group_name = "group_name"
    description = "description"      # what the group wants to do (the plan, or the pitch)
    participants = "participants"
    budget = "budget"
    amount_asked = "amount_asked"
    contact = "contact"
    bank = "bank"
    when_where = "when_where"


class Choice(Strict):
    value: str
    label: str                 # English msgid, translated through the catalogues


class Question(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    type: QuestionType
    text: str
    help: str | None = None
    example: str | None = None
    required: bool = True
    max_length: int | None = Field(None, gt=0)
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    choices: list[Choice] = Field(default_factory=list)
    spoken: bool = Field(True, description="May be answered by voice (open text questions).")
    pitch: bool = Field(False, description="Covered by the spoken pitch when the group takes that route.")
    tier: ReportTier | None = Field(None, description="Report questions: the lightest report that asks it.")
    role: Role | None = Field(None, description="What the question means to the code (the pitch and the plan share `description`).")

    @property
    def is_open_text(self) -> bool:
        return self.type in (QuestionType.short_text, QuestionType.long_text)


class Form(Strict):
    id: str
    title: str
    intro: str | None = None
    pitch: Question | None = None     # one spoken story that replaces the questions marked `pitch`
    questions: list[Question]

    def questions_for(self, route: str) -> list[Question]:
        """The screens in order: on the pitch route the pitch replaces the descriptive questions."""
        if route != "pitch" or self.pitch is None:
            return list(self.questions)
        rest = [q for q in self.questions if not q.pitch]
        return [rest[0], self.pitch, *rest[1:]] if rest else [self.pitch]

    def with_role(self, role: Role) -> list[Question]:
        return [q for q in [*self.questions, *([self.pitch] if self.pitch else [])] if q.role == role]

    def by_role(self, role: Role) -> Question | None:
        found = self.with_role(role)
        return found[0] if found else None

    def question(self, question_id: str) -> Question:
        for q in [*self.questions, *([self.pitch] if self.pitch else [])]:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


# ---- answers and applications ---------------------------------------------------------

class BudgetLine(Strict):
    item: str = Field(min_length=1, max_length=200)
    amount: Money
    spent: Money | None = None   # filled in the report


class Contact(Strict):
    name: str = Field(min_length=1, max_length=200)
    phone: str | None = None
    email: str | None = None
    mail_ok: bool = False  # "you may e-mail me about this application" (steunwijzer.notify)


class BankAccount(Strict):
    route: Literal["own_account", "penvoerder"]
    iban: str
    holder: str = Field(min_length=1, max_length=200)
    penvoerder_name: str | None = None


AnswerValue = str | int | Decimal | date | list[str] | list[BudgetLine] | Contact | BankAccount


class Answer(BaseModel):
    question_id: str
    value: AnswerValue | None = None
    language: str | None = None      # language the answer was given in (ISO 639-1)
    source: Literal["typed", "voice", "choice"] = "typed"
    audio_id: int | None = None
    updated_at: datetime | None = None


class Status(StrEnum):
    draft = "draft"
    submitted = "submitted"
    waiting_for_group = "waiting_for_group"
    granted = "granted"
    refused = "refused"
    referred = "referred"
    report_submitted = "report_submitted"
    closed = "closed"
    withdrawn = "withdrawn"
    changing = "changing"                     # a new version the group is still changing
    superseded = "superseded"                 # an older version of a case
    awaiting_approval = "awaiting_approval"   # a grant waiting for a second officer (four eyes)


class StatusChange(BaseModel):
    from_status: Status | None
    to_status: Status
    actor: str
    note: str | None = None
    at: datetime


class Message(BaseModel):
    id: int | None = None
    sender: Literal["officer", "group"]
    author: str | None = None
    template_key: str | None = None   # a common question, translated for the group
    text: str
    language: str | None = None
    audio_id: int | None = None
    created_at: datetime | None = None


class Outcome(StrEnum):
    grant = "grant"
    refuse = "refuse"
    refer = "refer"


class SuggestedFund(BaseModel):
    """A fund named in a refusal, as it was when the decision was taken."""

    id: str
    name: str
    url: str


class Decision(BaseModel):
    id: int | None = None
    outcome: Outcome
    amount_eur: Money | None = None
    conditions: str | None = None           # free text by the officer (shown as written, marked so)
    condition_keys: list[str] = Field(default_factory=list)   # standard conditions (forms/decisions.yaml), translated
    payment: Literal["advance", "after_report"] | None = None
    fixed_at_once: bool | None = None       # directe vaststelling: the amount is final now (no settlement later)
    reason: str | None = None               # free text by the officer
    reason_keys: list[str] = Field(default_factory=list)      # standard refusal reasons, translated
    referred_to: str | None = None
    report_tier: ReportTier | None = None
    suggestions: list[SuggestedFund] = Field(default_factory=list)
    officer: str | None = None
    created_at: datetime | None = None
    state: Literal["final", "pending", "rejected"] = "final"
    approved_by: str | None = None
    warning_reason: str | None = None


class Application(BaseModel):
    id: int | None = None
    fund_id: str
    status: Status = Status.draft
    locale: str = "nl"
    route: Literal["questions", "pitch"] = "questions"
    answers: dict[str, Answer] = Field(default_factory=dict)
    report_answers: dict[str, Answer] = Field(default_factory=dict)
    message_answers: dict[str, Answer] = Field(default_factory=dict)  # an answer to an officer, not yet sent
    profile: dict = Field(default_factory=dict)
    history: list[StatusChange] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    decision: Decision | None = None            # the newest: final, or waiting for a second officer
    standing_while_pending: Decision | None = None  # the final one while a correction waits for a second officer
    created_at: datetime | None = None
    submitted_at: datetime | None = None
    consent_at: datetime | None = None
    case_id: int | None = None        # the case number officers see (the first version's id)
    version: int = 1
    revision: int = 0                 # for the optimistic check when two officers act at once
    assigned_to: str | None = None

    @property
    def standing_decision(self) -> Decision | None:
        """The decision the group was told: the newest final one."""
        if self.decision is not None and self.decision.state == "final":
            return self.decision
        return self.standing_while_pending

    def answers_in(self, form: str) -> dict[str, Answer]:
        """The stored answers of one form: "application", "report" or "message"."""
        return {"application": self.answers, "report": self.report_answers, "message": self.message_answers}[form]


class Officer(BaseModel):
    id: int | None = None
    username: str = Field(pattern=r"^[A-Za-z0-9._@-]{2,64}$")
    is_admin: bool = False
    fund_ids: list[str] = Field(default_factory=list)  # empty: all in-app funds
    active: bool = True
    full_name: str | None = Field(None, max_length=200)   # for signed letters
    job_title: str | None = Field(None, max_length=200)
