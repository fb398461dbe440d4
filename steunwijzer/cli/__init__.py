"""Command line: python -m steunwijzer COMMAND … (each command has --help)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Callable

from steunwijzer.config import get_settings
from steunwijzer.errors import SteunwijzerError
from steunwijzer.store import Database, open_database



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
        officer = auth.add_officer(s, args.username, password, is_admin=args.admin, fund_ids=funds, actor=_cli_actor(),
                                   full_name=args.name, job_title=args.title)
    role = "admin" if officer.is_admin else "officer"
    print(f"Added {role} {officer.username}")
    return 0


def cmd_officer_list(args: argparse.Namespace, db: Database) -> int:
    from steunwijzer import auth

    with db.session() as s:
        for o in auth.list_officers(s, include_inactive=True):
            state = "active" if o.active else "disabled"
            locked = "\tlocked" if auth.locked_addresses(s, o.username) else ""
            print(f"{o.username}\t{'admin' if o.is_admin else 'officer'}\t{','.join(o.fund_ids) or '*'}\t{state}{locked}")
    return 0


def _cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except Exception:  # no user name in this environment
        return "cli"


def cmd_officer_enable(args: argparse.Namespace, db: Database) -> int:
    from steunwijzer import auth

    active = args.officer_command == "enable"
    with db.session() as s:
        officer = auth.set_active(s, args.username, active, _cli_actor())
    print(f"{'Enabled' if active else 'Disabled'} {officer.username}")
    return 0


def cmd_officer_set(args: argparse.Namespace, db: Database) -> int:
    from steunwijzer import auth

    changes: dict = {}
    if args.admin is not None:
        changes["is_admin"] = args.admin
    if args.funds is not None:
        changes["fund_ids"] = [f for f in args.funds.split(",") if f.strip()]
    if args.name is not None:
        changes["full_name"] = args.name
    if args.title is not None:
        changes["job_title"] = args.title
    if not changes:
        raise SteunwijzerError("Nothing to change: give --admin, --no-admin, --funds, --name or --title.")
    with db.session() as s:
        o = auth.update_officer(s, args.username, _cli_actor(), **changes)
    print(f"{o.username}\t{'admin' if o.is_admin else 'officer'}\t{','.join(o.fund_ids) or '*'}\t"
          f"{o.full_name or ''}\t{o.job_title or ''}")
    return 0


def cmd_officer_set_password(args: argparse.Namespace, db: Database) -> int:
    from steunwijzer import auth

    with db.session() as s:
        auth.get_officer_any(s, args.username)  # an unknown name fails before a password is asked
    password = _read_password(args)
    with db.session() as s:
        auth.set_password(s, args.username, password, _cli_actor())
    print(f"New password set for {args.username}")
    return 0


def cmd_officer_unlock(args: argparse.Namespace, db: Database) -> int:
    from steunwijzer import auth

    with db.session() as s:
        count = auth.unlock(s, args.username, _cli_actor())
    print(f"Unlocked {args.username} ({count} locked address{'es' if count != 1 else ''} cleared)")
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
    p.add_argument("--name", help="Full name, as signed under letters.")
    p.add_argument("--title", help="Job title, as signed under letters.")
    p.add_argument("--password-stdin", action="store_true", help="Read the password from the first line of standard input.")
    p.set_defaults(handler=cmd_officer_add)
    p = osub.add_parser("list", help="List officer accounts.", description="List officer accounts (username, role, funds, active or disabled, locked).")
    p.set_defaults(handler=cmd_officer_list)
    p = osub.add_parser("set-mail", help="Set an officer's e-mail address and which mails they get.",
                        description="Set the address for the daily digest and the immediate mails (second approval).")
    p.add_argument("username")
    p.add_argument("--email", required=True, help="The officer's e-mail address ('' removes it: no mail at all).")
    p.add_argument("--no-digest", action="store_true", help="No daily digest.")
    p.add_argument("--no-immediate", action="store_true", help="No immediate mails (second approval requests).")
    p.set_defaults(handler=cmd_officer_set_mail)
    for action, text in (("disable", "Disable an account: no login, and an open session ends at its next click."),
                         ("enable", "Enable a disabled account again.")):
        p = osub.add_parser(action, help=text, description=text)
        p.add_argument("username")
        p.set_defaults(handler=cmd_officer_enable)
    p = osub.add_parser("set", help="Change role, funds, full name or job title.",
                        description="Change an officer's role, funds, full name or job title; only what you give changes.")
    p.add_argument("username")
    role = p.add_mutually_exclusive_group()
    role.add_argument("--admin", dest="admin", action="store_true", default=None, help="Make an administrator.")
    role.add_argument("--no-admin", dest="admin", action="store_false", help="Take the administrator role away.")
    p.add_argument("--funds", help="Comma-separated fund ids (an empty string: all in-app funds).")
    p.add_argument("--name", help="Full name, as signed under letters.")
    p.add_argument("--title", help="Job title, as signed under letters.")
    p.set_defaults(handler=cmd_officer_set)
    p = osub.add_parser("set-password", help="Set a new password (asked twice).",
                        description="Set a new password; asked twice, or read from standard input.")
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true", help="Read the password from the first line of standard input.")
    p.set_defaults(handler=cmd_officer_set_password)
    p = osub.add_parser("unlock", help="Clear the failed-login lock of an account.",
                        description="Clear the failed-login counters of an account, from every address.")
    p.add_argument("username")
    p.set_defaults(handler=cmd_officer_unlock)

    for register in _extensions():
        register(sub)
    return parser


def _extensions() -> list[Callable]:
    """The command groups, one module each in this package."""
    from steunwijzer.cli import applications, documents, funds, i18n, jobs, outbox, retention, speech

    return [i18n.register, applications.register, documents.register, retention.register, funds.register,
            outbox.register, speech.register, jobs.register]


def main(argv: list[str] | None = None) -> int:
    """Run one command. Never a traceback: a refusal is one line and exit code 2, an unexpected
    error one line (its traceback goes to the log file in the data folder, when it can be
    written) and exit code 1."""
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
    except BrokenPipeError:  # `… | head` closed the pipe: not an error of ours
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, never a traceback
        where = _log_unexpected(exc)
        print(f"error: unexpected {type(exc).__name__}: {_one_line(exc)}" + (f" (details in {where})" if where else ""),
              file=sys.stderr)
        return 1


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] + ("…" if len(text) > 300 else "")


def _log_unexpected(exc: BaseException) -> str | None:
    """Append the traceback to DATA_DIR/cli-errors.log (0600); returns its path, or None."""
    import traceback
    from datetime import datetime, timezone

    from steunwijzer.config import create_private_file

    try:
        path = get_settings().ensure_data_dir() / "cli-errors.log"
        if not path.exists():
            create_private_file(path)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now(timezone.utc).isoformat()} {' '.join(sys.argv)}\n")
            log.write("".join(traceback.format_exception(exc)))
        return str(path)
    except Exception:  # noqa: BLE001 - a full disk must not turn into a traceback either
        return None
