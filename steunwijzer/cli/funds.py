"""Command line: the commands of steunwijzer.funds."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from sqlalchemy import select
from steunwijzer.store import FundRow
from steunwijzer.funds import _read_text, FACT_MAX_AGE_DAYS, all_funds, check_catalogue, dump_catalogue, load_catalogue, save_funds


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


