"""Command line: the commands of steunwijzer.outbox."""

from __future__ import annotations

import json
from steunwijzer.outbox import as_dict, entries


# ---- command line: python -m steunwijzer outbox list|send -------------------------------------

def register(sub) -> None:
    p = sub.add_parser("outbox", help="The mail outbox: list it, send what is due.",
                       description="Mails wait in the outbox until they are sent (STEUNWIJZER_SMTP_URL).")
    osub = p.add_subparsers(dest="outbox_command", required=True, metavar="ACTION")
    lp = osub.add_parser("list", help="List the newest mails and their state.", description="List the newest mails and their state (no bodies).")
    lp.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
    lp.add_argument("--state", choices=("queued", "sending", "sent", "failed"), help="Only mails in this state.")
    lp.set_defaults(handler=_cli_list)
    sp = osub.add_parser("send", help="Schedule due reminders and digests, then send what is due now.",
                         description="Adds the reminders, officer digests and fund alerts that are due today, "
                                     "then sends every mail that is due. Run it every few minutes (cron or the task queue).")
    sp.set_defaults(handler=_cli_send)


def _cli_list(args, db) -> int:
    with db.session() as s:
        rows = [as_dict(r) for r in entries(s, state=args.state)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        error = f"\t{r['last_error']}" if r["last_error"] else ""
        print(f"{r['id']}\t{r['state']}\t{r['kind']}\t{r['recipient_type']}\t{r['language']}\ttries={r['tries']}\t{r['next_try']}{error}")
    return 0


def _cli_send(args, db) -> int:
    from steunwijzer import schedule
    from steunwijzer.config import get_settings

    scheduled, result = schedule.run_due(db, get_settings())
    print("Scheduled: " + ", ".join(f"{v} {k}" for k, v in scheduled.items()))
    if result.mail_off:
        with db.session() as s:
            waiting = len(entries(s, state="queued", limit=1_000_000))
        print(f"Mail is off (no STEUNWIJZER_SMTP_URL): {waiting} mails wait in the outbox.")
        return 0
    print(f"Sent {result.sent}, to retry {result.retry}, failed {result.failed}")
    for error in result.errors[:5]:
        print(f"  {error}")
    return 0
