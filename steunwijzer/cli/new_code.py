"""Command line: the commands of steunwijzer.recovery."""

from __future__ import annotations

from steunwijzer.recovery import replace_code


# ---- command line: python -m steunwijzer applications new-code --id N ---------------------------

def register_applications(asub) -> None:
    """Adds `new-code` to the `applications` command group (made in steunwijzer.exchange)."""
    p = asub.add_parser("new-code", help="Give an application a new resume code (the old one stops working).",
                        description="For a group that lost its code and calls: makes a new code, prints it once, "
                                    "and the old code stops working.")
    p.add_argument("--id", type=int, required=True, help="The application number.")
    p.set_defaults(handler=_cli_new_code)


def _cli_new_code(args, db) -> int:
    from steunwijzer.config import get_settings

    with db.session() as s:
        code = replace_code(s, args.id, get_settings().resolved_secret_key(), actor="cli")
    print(code)
    return 0
