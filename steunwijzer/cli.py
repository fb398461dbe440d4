"""Command line: python -m steunwijzer COMMAND … (each command has --help)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Callable

from steunwijzer.config import get_settings
from steunwijzer.errors import SteunwijzerError
from steunwijzer.store import Database, open_database

Handler = Callable[[argparse.Namespace, Database], int]


# ---- commands ---------------------------------------------------------------------------

def cmd_init_db(args: argparse.Namespace, db: Database) -> int:
    from steunwijzer import demo

    if args.demo:
        summary = demo.load_demo(db)
        print(f"Database ready at {db.url} with demo data: {summary}")
    else:
        print(f"Database ready at {db.url}")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise SteunwijzerError("The two passwords are not the same.")
    return first


def cmd_officer_add(args: argparse.Namespace, db: Database) -> int:
    from steunwijzer import auth

    password = _read_password(args)
    funds = [f.strip() for f in (args.funds or "").split(",") if f.strip()]
    with db.session() as s:
        officer = auth.add_officer(s, args.username, password, is_admin=args.admin, fund_ids=funds)
    role = "admin" if officer.is_admin else "officer"
    print(f"Added {role} {officer.username}")
    return 0


def cmd_officer_list(args: argparse.Namespace, db: Database) -> int:
    from steunwijzer import auth

    with db.session() as s:
        for o in auth.list_officers(s):
            print(f"{o.username}\t{'admin' if o.is_admin else 'officer'}\t{','.join(o.fund_ids) or '*'}")
    return 0


def cmd_officer_set_mail(args: argparse.Namespace, db: Database) -> int:
    from steunwijzer import notify

    with db.session() as s:
        notify.set_officer_mail(s, args.username, args.email, digest=not args.no_digest, immediate=not args.no_immediate, actor="cli")
    wants = [name for name, on in (("digest", not args.no_digest), ("immediate", not args.no_immediate)) if on]
    print(f"{args.username}: {args.email or 'no address'}; mails: {', '.join(wants) or 'none'}")
    return 0


# ---- parser -----------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m steunwijzer", description="Steunwijzer: funding for informal networks.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init-db", help="Create or upgrade the database.", description="Create or upgrade the database (Alembic migrations).")
    p.add_argument("--demo", action="store_true", help="Also load the demo fund catalogue and demo applications.")
    p.set_defaults(handler=cmd_init_db)

    officer = sub.add_parser("officer", help="Manage officer accounts.", description="Manage officer accounts.")
    osub = officer.add_subparsers(dest="officer_command", required=True, metavar="ACTION")
    p = osub.add_parser("add", help="Add an officer (password asked twice).", description="Add an officer account; the password is asked twice, or read from standard input.")
    p.add_argument("username")
    p.add_argument("--admin", action="store_true", help="May manage officers and the fund catalogue.")
    p.add_argument("--funds", help="Comma-separated fund ids this officer handles (default: all in-app funds).")
    p.add_argument("--password-stdin", action="store_true", help="Read the password from the first line of standard input.")
    p.set_defaults(handler=cmd_officer_add)
    p = osub.add_parser("list", help="List officer accounts.", description="List officer accounts.")
    p.set_defaults(handler=cmd_officer_list)
    p = osub.add_parser("set-mail", help="Set an officer's e-mail address and which mails they get.",
                        description="Set the address for the daily digest and the immediate mails (second approval).")
    p.add_argument("username")
    p.add_argument("--email", required=True, help="The officer's e-mail address ('' removes it: no mail at all).")
    p.add_argument("--no-digest", action="store_true", help="No daily digest.")
    p.add_argument("--no-immediate", action="store_true", help="No immediate mails (second approval requests).")
    p.set_defaults(handler=cmd_officer_set_mail)

    for register in _extensions():
        register(sub)
    return parser


def _extensions() -> list[Callable]:
    """Command groups that live next to their domain module."""
    from steunwijzer import cli_commands

    return cli_commands.REGISTRARS


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        db = open_database(get_settings())
        try:
            return args.handler(args, db)
        finally:
            db.dispose()
    except SteunwijzerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
