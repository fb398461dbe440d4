"""Command line: the commands of steunwijzer.i18n_catalog."""

from __future__ import annotations

from steunwijzer.config import LOCALES
from steunwijzer.i18n import LOCALES_DIR
from steunwijzer.i18n_catalog import POT_PATH, _read, _write, problems, update


def register(sub) -> None:
    p = sub.add_parser("i18n", help="Extract, update and check translations.", description="Keep the gettext catalogues in step with the code.")
    p.add_argument("action", choices=["update", "check", "todo", "fill"],
                   help="update: write messages.pot and merge into every .po; check: list problems; "
                        "todo LANG: print untranslated msgids as JSON; fill LANG FILE: take translations from a JSON object {msgid: text}.")
    p.add_argument("locale", nargs="?", choices=LOCALES)
    p.add_argument("file", nargs="?")
    p.set_defaults(handler=_cli)


def todo(locale: str) -> dict[str, str]:
    catalog = _read(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po", locale)
    return {m.id: "" for m in catalog if m.id and (not m.string or m.fuzzy)}


def fill(locale: str, translations: dict[str, str]) -> int:
    po_path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    catalog = _read(po_path, locale)
    filled = 0
    for msg in catalog:
        if msg.id in translations and translations[msg.id]:
            msg.string = translations[msg.id]
            msg.flags.discard("fuzzy")
            filled += 1
    _write(po_path, catalog)
    return filled


def _cli(args, db) -> int:
    import json
    import sys

    if args.action == "todo":
        json.dump(todo(args.locale), sys.stdout, ensure_ascii=False, indent=1)
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
