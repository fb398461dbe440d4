"""The fund catalogue: load and validate YAML, store, export, check what is due; and the `funds`
commands (import, export, match, check)."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from steunwijzer import audit
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
        for route in fund.help:
            if route.hours and (missing := [lang for lang in LOCALES if not route.hours.get(lang)]):
                add(f"help ({route.who}) hours have no text in {', '.join(missing)}")
    return found


# ---- command line: python -m steunwijzer funds import|export|match|check --------------------------

def register(sub) -> None:
    funds = sub.add_parser("funds", help="The fund catalogue: import, export, match a profile, check what is due.",
                           description="Load the fund catalogue from YAML, write it back, or see which funds fit a group.")
    fsub = funds.add_subparsers(dest="funds_command", required=True, metavar="ACTION")

    p = fsub.add_parser("import", help="Load funds from a catalogue YAML file (insert or replace by id).",
                        description="Check a catalogue YAML file and load its funds into the database. A fund with an "
                                    "id that exists already is replaced. A bad file changes nothing and the error "
                                    "names the fund and the field.")
    p.add_argument("file", type=Path, help="Catalogue file, like steunwijzer/data/funds.yaml.")
    p.add_argument("--dry-run", action="store_true", help="Only check the file; change nothing.")
    p.set_defaults(handler=_cmd_import)

    p = fsub.add_parser("export", help="Write the catalogue as YAML (the format import reads).",
                        description="Write every fund in the database as catalogue YAML, in the same format that "
                                    "'funds import' reads, so that an export can be edited and imported again.")
    p.add_argument("file", nargs="?", type=Path, help="Write to this file instead of standard output.")
    p.add_argument("--include-archived", action="store_true", help="Also export archived funds.")
    p.set_defaults(handler=_cmd_export)

    p = fsub.add_parser("match", help="Rank the funds for a funding profile, with reasons.",
                        description="Rank the funds in the database for a group's funding profile, a JSON file like "
                                    '{"themes": ["meeting"], "municipality": "Voorbeeld", "amount_eur": 1500, '
                                    '"legal_entity": false, "target_groups": ["newcomers"], "needed_by": "2027-03-01"} '
                                    "(all keys optional; amount_band such as \"500-1500\" instead of amount_eur).")
    p.add_argument("--profile", required=True, help="Profile JSON file, or - for standard input.")
    p.add_argument("--json", action="store_true", help='Print a JSON list of {"fund_id", "name", "score", "eligible", "reasons"}.')
    p.add_argument("--limit", type=int, help="Show only the best N funds.")
    p.add_argument("--locale", default="en", help="Language of the reasons: en (default), nl, ar, tr, pl or uk.")
    p.add_argument("--today", type=date.fromisoformat, help="Check deadlines against this date (YYYY-MM-DD) instead of today.")
    p.set_defaults(handler=_cmd_match)

    p = fsub.add_parser("check", help="List what a catalogue editor must look at; exit 1 when something is due.",
                        description="Check the catalogue (a YAML file, or the database when no file is given): facts "
                                    "checked longer ago than --older-than days or without a source, closed or replaced "
                                    "funds still linked, and fund texts missing in any of the six languages. Exit code 1 "
                                    "when something is due, 0 when all is well. Facts no source could confirm are listed "
                                    "as notes.")
    p.add_argument("file", nargs="?", type=Path, help="Catalogue file (default: the funds in the database).")
    p.add_argument("--older-than", type=int, default=FACT_MAX_AGE_DAYS, metavar="DAYS",
                   help=f"A fact is due when it was checked more than DAYS days ago (default {FACT_MAX_AGE_DAYS}).")
    p.add_argument("--today", type=date.fromisoformat, help="Count from this date (YYYY-MM-DD) instead of today.")
    p.set_defaults(handler=_cmd_check)


def _cmd_import(args, db) -> int:
    catalogue = load_catalogue(args.file)
    if args.dry_run:
        print(f"{args.file}: {len(catalogue)} funds, all valid (nothing changed)")
        return 0
    with db.session() as s:
        existing = {row for row in s.scalars(select(FundRow.id).where(FundRow.id.in_([f.id for f in catalogue])))}
        save_funds(s, catalogue, actor="cli")
    print(f"Imported {len(catalogue)} funds from {args.file} ({len(catalogue) - len(existing)} new, {len(existing)} replaced)")
    return 0


def _cmd_export(args, db) -> int:
    with db.session() as s:
        catalogue = all_funds(s, include_archived=args.include_archived)
    text = dump_catalogue(catalogue)
    if args.file is None:
        sys.stdout.write(text)
    else:
        args.file.write_text(text, encoding="utf-8")
        print(f"Wrote {len(catalogue)} funds to {args.file}")
    return 0


def _cmd_match(args, db) -> int:
    from steunwijzer import i18n, matching

    locale = i18n.normalize_locale(args.locale, "en")
    _ = i18n.gettext_for(locale)
    text = sys.stdin.read() if args.profile == "-" else _read_text(Path(args.profile))
    profile = matching.parse_profile(text, source="standard input" if args.profile == "-" else args.profile)
    with db.session() as s:
        catalogue = all_funds(s)
    matches = matching.match_funds(profile, catalogue, today=args.today, limit=args.limit)
    if args.json:
        json.dump([m.as_json(_, locale) for m in matches], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not catalogue:
        print("The catalogue is empty. Load funds with: python -m steunwijzer funds import FILE.yaml", file=sys.stderr)
        return 1
    marks = {matching.Kind.fit: "✓", matching.Kind.caution: "⚠", matching.Kind.deal_breaker: "✗"}
    for number, m in enumerate(matches, start=1):
        verdict = "" if m.eligible else "  (does not fit)"
        print(f"{number}. {m.fund.name} [{m.fund.id}]  score {m.score}{verdict}")
        for reason in [*m.deal_breakers, *m.fits, *m.cautions]:
            print(f"   {marks[reason.kind]} {matching.reason_text(reason, _, locale)}")
    return 0


def _cmd_check(args, db) -> int:
    if args.file is not None:
        catalogue, where = load_catalogue(args.file), str(args.file)
    else:
        with db.session() as s:
            catalogue, where = all_funds(s), "the database"
    findings = check_catalogue(catalogue, args.today or date.today(), args.older_than)
    due = [f for f in findings if f.due]
    for finding in sorted(findings, key=lambda f: (not f.due, f.fund_id)):
        print(f"{'due ' if finding.due else 'note'}  {finding.fund_id}: {finding.problem}")
    closed = sum(1 for f in catalogue if not f.is_open)
    print(f"{where}: {len(catalogue)} funds ({closed} closed or replaced); "
          f"{len(due)} due, {len(findings) - len(due)} notes" + ("" if due else "; nothing is due"))
    return 1 if due else 0


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput("Cannot read {source}: {detail}", source=str(path), detail=exc.strerror or str(exc)) from None
