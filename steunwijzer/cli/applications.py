"""Command line: the commands of steunwijzer.exchange."""

from __future__ import annotations

import json
from sqlalchemy import select
from steunwijzer import applications, audit
from steunwijzer.errors import InvalidInput
from steunwijzer.models import Status
from steunwijzer.store import ApplicationRow
from steunwijzer.exchange import export_application, import_application, queue_csv, schema


# ---- CLI ----------------------------------------------------------------------------------

def register(sub) -> None:
    from steunwijzer.cli import new_code

    p = sub.add_parser("applications", help="Export and import applications.", description="Export and import applications.")
    asub = p.add_subparsers(dest="applications_command", required=True, metavar="ACTION")
    e = asub.add_parser("export", help="Print one application as JSON, or a list as CSV.",
                        description="Print one application as JSON (--id), or all applications with a status as CSV (--status --format csv).")
    e.add_argument("--id", type=int, help="The application to export as JSON.")
    e.add_argument("--status", choices=[s.value for s in Status], help="With --format csv: only applications with this status.")
    e.add_argument("--format", choices=["json", "csv"], default="json")
    e.set_defaults(handler=_cli_export)
    i = asub.add_parser("import", help="Create an application from a JSON file.", description="Create an application from a JSON file made by 'applications export'. Prints the new id and resume code.")
    i.add_argument("file")
    i.set_defaults(handler=_cli_import)
    d = asub.add_parser("delete", help="Forget an application at the group's request (all versions).",
                        description="Forget an application and all its versions at the group's request (for example by phone): "
                                    "answers, recordings, photos, messages, the report and the personal parts of the decision. "
                                    "A line without personal data goes to the audit log.")
    d.add_argument("--id", type=int, required=True, help="The application number.")
    d.add_argument("--reason", required=True, help="How and when the group asked (no names).")
    d.set_defaults(handler=_cli_delete)
    new_code.register_applications(asub)  # applications new-code
    s = sub.add_parser("schema", help="Print a JSON Schema.", description="Print the JSON Schema of an exchange format.")
    s.add_argument("name", choices=["application"])
    s.set_defaults(handler=lambda args, db: (print(json.dumps(schema(), indent=2)), 0)[1])


def _cli_export(args, db) -> int:
    with db.session() as s:
        if args.format == "csv":
            query = select(ApplicationRow).order_by(ApplicationRow.id)
            if args.status:
                query = query.where(ApplicationRow.status == args.status)
            rows = list(s.scalars(query))
            audit.record(s, "cli", "applications.export_csv", count=len(rows), status=args.status or "*")
            print(queue_csv(rows), end="")
            return 0
        if args.id is None:
            raise InvalidInput("Give --id N (JSON) or --format csv.")
        print(json.dumps(export_application(s, args.id), ensure_ascii=False, indent=2))
    return 0


def _cli_delete(args, db) -> int:
    from steunwijzer.text import clean_text

    reason = clean_text(args.reason, multiline=False)
    if not reason:
        raise InvalidInput("Please note who asked for the deletion and when.")
    with db.session() as s:
        counts = applications.forget(s, args.id, actor="cli", reason=reason)
    db.checkpoint()
    print("Deleted: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


def _cli_import(args, db) -> int:
    from steunwijzer.config import get_settings

    try:
        with open(args.file, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise InvalidInput("Cannot read {source}: {detail}", source=args.file, detail=str(exc)) from None
    with db.session() as s:
        new_id, code = import_application(s, data, get_settings().resolved_secret_key())
    print(f"Imported as application {new_id}; resume code {code}")
    return 0
