"""Command line: the commands of steunwijzer.i18n_catalog."""

from __future__ import annotations

from steunwijzer.config import LOCALES
from steunwijzer.i18n import LOCALES_DIR
from steunwijzer.i18n_catalog import POT_PATH, _read, _write, ids, is_done, problems, strings, update


def register(sub) -> None:
    p = sub.add_parser("i18n", help="Extract, update and check translations.", description="Keep the gettext catalogues in step with the code.")
    p.add_argument("action", choices=["update", "check", "todo", "export", "fill"],
                   help="update: write messages.pot and merge into every .po; check: list problems; "
                        "todo LANG: print what is not translated yet as JSON; export LANG: print every message "
                        "with its translation as JSON (for a review); fill LANG FILE: take the translations back "
                        "from such a JSON file.")
    p.add_argument("locale", nargs="?", choices=LOCALES)
    p.add_argument("file", nargs="?")
    p.set_defaults(handler=_cli)


def _entry(msg, forms: int) -> dict:
    """One message for a translator: its text, context, notes and where it is used; a text with a
    count has `plural` and takes a list of `forms` translations (the language's plural forms)."""
    msgids = ids(msg)
    entry: dict = {"msgid": msgids[0]}
    if msg.pluralizable:
        entry.update(plural=msgids[1], forms=forms)
    if msg.context:
        entry["context"] = msg.context
    if msg.auto_comments:
        entry["note"] = " ".join(msg.auto_comments)
    entry["used_in"] = sorted({path for path, _ in msg.locations})
    entry["translation"] = list(strings(msg)) if msg.pluralizable else msg.string
    return entry


def todo(locale: str, everything: bool = False) -> list[dict]:
    """The messages still to translate (or, with `everything`, all of them, for a review)."""
    catalog = _read(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po", locale)
    return [_entry(m, catalog.num_plurals) for m in catalog
            if m.id and (everything or not is_done(m))]


def fill(locale: str, entries: list[dict]) -> int:
    """Take translations back from a list in the form `todo` gives (only `msgid`, `context` and
    `translation` are read; a text with a count takes a list of all its forms)."""
    po_path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    catalog = _read(po_path, locale)
    filled = 0
    for entry in entries:
        msg = catalog.get(entry["msgid"], context=entry.get("context"))
        text = entry.get("translation")
        if msg is None or not text:
            continue
        if msg.pluralizable:
            if not isinstance(text, list) or len(text) != catalog.num_plurals or not all(text):
                raise SystemExit(f"{locale}: {entry['msgid']!r} needs {catalog.num_plurals} forms")
            msg.string = tuple(text)
        else:
            msg.string = text
        msg.flags.discard("fuzzy")
        filled += 1
    _write(po_path, catalog)
    return filled


def _cli(args, db) -> int:
    import json
    import sys

    if args.action in ("todo", "export"):
        json.dump(todo(args.locale, everything=args.action == "export"), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if args.action == "fill":
        with open(args.file, encoding="utf-8") as fh:
            print(f"Filled {fill(args.locale, json.load(fh))} messages in {args.locale}")
        return 0
    if args.action == "update":
        update()
        print(f"Updated {POT_PATH} and {len(LOCALES)} catalogues")
        return 0
    issues = problems()
    for line in issues:
        print(line)
    print(f"{len(issues)} problem(s)")
    return 1 if issues else 0
