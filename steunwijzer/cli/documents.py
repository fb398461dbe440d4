"""Command line: `python -m steunwijzer render application|decision|report --id N [--locale xx] -o FILE.docx`."""

from __future__ import annotations

import argparse
from pathlib import Path

from steunwijzer.config import LOCALES
from steunwijzer.errors import SteunwijzerError


def register(sub) -> None:
    render = sub.add_parser("render", help="Write an application, decision letter or report as .docx.",
                            description="Write a Word document (.docx) for one application.")
    rsub = render.add_subparsers(dest="render_command", required=True, metavar="DOCUMENT")
    specs = (
        ("application", cmd_render_application, "The whole application with every answer (default locale: nl)."),
        ("decision", cmd_render_decision, "The stored decision letter, byte for byte as it was made (nl: the official one; default: the group's language)."),
        ("report", cmd_render_report, "The report: plan vs what happened, spending, photos (default locale: nl)."),
    )
    for name, handler, text in specs:
        p = rsub.add_parser(name, help=text, description=text)
        p.add_argument("--id", type=int, required=True, help="Application number.")
        p.add_argument("--locale", choices=LOCALES, help="Language of the document's labels.")
        p.add_argument("-o", "--output", required=True, type=Path, help="The .docx file to write.")
        if name == "report":
            p.add_argument("--photo", action="append", default=[], type=Path, metavar="FILE",
                           help="A photo to include (repeatable).")
        p.set_defaults(handler=handler)


def _load(db, application_id: int):
    from steunwijzer import applications, funds

    with db.session() as s:
        application = applications.load(s, application_id)
        fund = funds.get_fund(s, application.fund_id)
    return application, fund


def _write(path: Path, data: bytes) -> int:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise SteunwijzerError("Cannot write {path}: {detail}", path=str(path), detail=exc.strerror or str(exc)) from None
    print(f"Wrote {path} ({len(data):,} bytes)")
    return 0


def cmd_render_application(args: argparse.Namespace, db) -> int:
    from steunwijzer.config import get_settings
    from steunwijzer.documents import application_docx
    from steunwijzer.forms import application_form

    application, fund = _load(db, args.id)
    form = application_form(fund)
    return _write(args.output, application_docx(application, form, fund, args.locale or "nl", get_settings().municipality))


def cmd_render_decision(args: argparse.Namespace, db) -> int:
    """The stored letter: exactly the file made when the decision was taken."""
    from steunwijzer import applications, letters

    with db.session() as s:
        application = applications.load(s, args.id)
        data, _ = letters.stored_letter(s, args.id, args.locale or application.locale)
    return _write(args.output, data)


def cmd_render_report(args: argparse.Namespace, db) -> int:
    from steunwijzer import reports

    photos = []
    for path in args.photo:
        try:
            photos.append((path.read_bytes(), path.name))
        except OSError as exc:
            raise SteunwijzerError("Cannot read {path}: {detail}", path=str(path), detail=exc.strerror or str(exc)) from None
    with db.session() as s:
        data = reports.report_document(s, args.id, args.locale or "nl", extra_photos=photos)
    return _write(args.output, data)
