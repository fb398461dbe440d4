"""Command line: the commands of steunwijzer.retention."""

from __future__ import annotations

from steunwijzer.retention import purge


def register(sub) -> None:
    p = sub.add_parser("purge", help="Forget applications whose retention period has passed.",
                       description="Forget finished applications after STEUNWIJZER_RETENTION_DAYS, drafts untouched for "
                                   "STEUNWIJZER_DRAFT_RETENTION_DAYS, and grants whose report is that long overdue: answers, "
                                   "recordings, photos, messages and the personal parts of decisions. Each is written to the audit log.")
    p.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")
    p.add_argument("--days", type=int, help="Override the retention period in days.")
    p.set_defaults(handler=_cli)


def _cli(args, db) -> int:
    from steunwijzer.config import get_settings

    settings = get_settings()
    days = args.days if args.days is not None else settings.retention_days
    with db.session() as s:
        counts = purge(s, days, settings.draft_retention_days, dry_run=args.dry_run)
    if not args.dry_run:
        db.checkpoint()
    verb = "Would delete" if args.dry_run else "Deleted"
    print(f"{verb}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0
