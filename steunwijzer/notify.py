"""What to tell whom, and when. Every function here only *stores* mails in the outbox
(steunwijzer.outbox sends them), so it can run inside the transaction of the act it reports:
if the act is rolled back, so is its mail.

Groups get mail only at the contact e-mail they gave and only when they ticked "you may e-mail
me about this application" (the lost-code mail, which the group asks for itself, is the one
exception). Officers get mail at the address in their account, each kind switchable."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from steunwijzer import i18n, outbox
from steunwijzer.errors import InvalidInput, NotFound
from steunwijzer.mail_texts import GREETING, MAILS, SIGNATURE, UNSUBSCRIBE
from steunwijzer.models import Contact, Status
from steunwijzer.store import (
    AnswerRow,
    ApplicationRow,
    FundRow,
    MessageRow,
    OfficerRow,
    ReportRow,
)

REPORT_DUE_AHEAD = timedelta(days=14)
DELETION_AHEAD = timedelta(days=30)
DIGEST_HOUR = 7                  # the daily digest is made at the first run after 07:00
PAGE_APPLICATION = "application"  # Streamlit's URL for pages/2_application.py
PAGE_REPORT = "report"
PAGE_QUEUE = "officer_queue"


def settings_or_default(settings):
    if settings is not None:
        return settings
    from steunwijzer.config import get_settings

    return get_settings()


# ---- rendering ------------------------------------------------------------------------------

_LINK = re.compile(r"(https?://\S+)")


def _html_paragraph(text: str) -> str:
    parts = _LINK.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f'<a href="{html.escape(part, quote=True)}">{html.escape(part)}</a>')
        else:
            out.append(html.escape(part).replace("\n", "<br>\n"))
    return "<p>" + "".join(out) + "</p>"


def render(kind: str, locale: str, params: dict, link: str | None = None,
           unsubscribe: str | None = None) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of a mail in a language. `params` are already formatted."""
    template = MAILS[kind]
    _ = i18n.gettext_for(locale)
    fill = {k: v for k, v in params.items()}

    def t(msgid: str) -> str:
        return _(msgid).format(**fill)

    body = [t(GREETING)] + [t(p) for p in template.paragraphs]
    action = (t(template.action), link) if template.action and link else None
    closing = [t(SIGNATURE)]
    footer = [t(f) for f in template.footer]
    if unsubscribe:
        footer.append(_(UNSUBSCRIBE).format(unsubscribe=unsubscribe))
    subject = t(template.subject)

    text_parts = body + ([f"{action[0]}:\n{action[1]}"] if action else []) + closing + ["--"] + footer
    text = "\n\n".join(text_parts) + "\n"
    direction = "rtl" if i18n.is_rtl(locale) else "ltr"
    html_parts = [_html_paragraph(p) for p in body]
    if action:
        html_parts.append(f'<p><a href="{html.escape(action[1], quote=True)}">{html.escape(action[0])}</a></p>')
    html_parts += [_html_paragraph(p) for p in closing]
    html_parts.append('<hr><div style="color:#555;font-size:90%">' + "".join(_html_paragraph(p) for p in footer) + "</div>")
    page = (f'<!DOCTYPE html><html lang="{locale}" dir="{direction}"><head><meta charset="utf-8">'
            f"<title>{html.escape(subject)}</title></head>"
            f'<body style="font-family:sans-serif;line-height:1.5">{"".join(html_parts)}</body></html>')
    return subject, text, page


def link(settings, page: str = "", locale: str | None = None, **query: str) -> str:
    base = settings.base_url.rstrip("/")
    if locale:
        query = {"lang": locale, **query}
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    return f"{base}/{page}" + (f"?{qs}" if qs else "")


def common_params(settings) -> dict:
    return {"municipality": settings.municipality}


# ---- groups ---------------------------------------------------------------------------------

def contact_question_id() -> str:
    """The id of the application question that plays the contact role."""
    from steunwijzer import forms
    from steunwijzer.models import Role

    return forms.load_form("application").by_role(Role.contact).id


def contact_of(session: Session, application_id: int) -> Contact | None:
    from steunwijzer import answer_types

    row = session.scalar(select(AnswerRow).where(AnswerRow.application_id == application_id, AnswerRow.form == "application",
                                                 AnswerRow.question_id == contact_question_id()))
    if row is None:
        return None
    value = answer_types.from_json(row.value)
    return value if isinstance(value, Contact) else None


def group_address(session: Session, application_id: int) -> str | None:
    """The address a group agreed to get mail at, or None."""
    contact = contact_of(session, application_id)
    if contact is None or not contact.email or not contact.mail_ok:
        return None
    return contact.email


def _fund_name(session: Session, fund_id: str) -> str:
    row = session.get(FundRow, fund_id)
    return row.name if row else fund_id


def mail_group(session: Session, application_id: int, kind: str, *, extra: dict | None = None, page: str = PAGE_APPLICATION,
               dedupe_key: str | None = None, address: str | None = None, settings=None):
    """Store one mail to the group behind an application, in the application's language.
    Returns the outbox row, or None when the group gets no mail (no address, no consent, sent before)."""
    settings = settings_or_default(settings)
    app = session.get(ApplicationRow, application_id)
    if app is None:
        return None
    address = address or group_address(session, application_id)
    if not address:
        return None
    locale = i18n.normalize_locale(app.locale, settings.locale)
    params = {**common_params(settings), "number": app.id, "fund": _fund_name(session, app.fund_id), **(extra or {})}
    subject, text, page_html = render(kind, locale, params, link=link(settings, page, locale))
    return outbox.enqueue(session, kind=kind, recipient=address, recipient_type="group", language=locale, subject=subject,
                          text=text, html=page_html, application_id=app.id, dedupe_key=dedupe_key)


def application_received(session: Session, application_id: int, settings=None):
    return mail_group(session, application_id, "application_received", dedupe_key=f"received:{application_id}", settings=settings)


def question_asked(session: Session, application_id: int, settings=None):
    """The question's text is not in the mail: the group reads it behind its code."""
    return mail_group(session, application_id, "question_asked", settings=settings)


def decision_taken(session: Session, application_id: int, settings=None):
    return mail_group(session, application_id, "decision_taken", dedupe_key=f"decision:{application_id}", settings=settings)


def lost_code(session: Session, application_id: int, address: str, code: str, settings=None):
    """The one mail with a resume code: the new code that replaced the old one."""
    return mail_group(session, application_id, "lost_code", extra={"code": code}, address=address, settings=settings)


def schedule_reminders(session: Session, today: date, settings=None) -> dict:
    """Report due within two weeks, report overdue, data deleted within 30 days: each once."""
    from steunwijzer.workflow import FINISHED

    settings = settings_or_default(settings)
    counts = {"report_due": 0, "report_overdue": 0, "data_deletion": 0}
    open_reports = session.execute(select(ReportRow.application_id, ReportRow.due_date).join(
        ApplicationRow, ApplicationRow.id == ReportRow.application_id).where(
        ReportRow.status == "draft", ReportRow.due_date.is_not(None), ApplicationRow.status == Status.granted)).all()
    for application_id, due in open_reports:
        locale = _locale_of(session, application_id, settings)
        if today <= due <= today + REPORT_DUE_AHEAD:
            kind = "report_due"
        elif due < today:
            kind = "report_overdue"
        else:
            continue
        if mail_group(session, application_id, kind, extra={"date": i18n.format_day(due, locale)}, page=PAGE_REPORT,
                      dedupe_key=f"{kind}:{application_id}:{due.isoformat()}", settings=settings):
            counts[kind] += 1
    retention = timedelta(days=settings.retention_days)
    finished = session.execute(select(ApplicationRow.id, ApplicationRow.closed_at).where(
        ApplicationRow.status.in_([str(s) for s in FINISHED]), ApplicationRow.closed_at.is_not(None),
        ApplicationRow.group_name.is_not(None))).all()
    for application_id, closed_at in finished:
        delete_on = (closed_at + retention).date()
        if today < delete_on <= today + DELETION_AHEAD:
            locale = _locale_of(session, application_id, settings)
            if mail_group(session, application_id, "data_deletion", extra={"date": i18n.format_day(delete_on, locale)},
                          dedupe_key=f"data_deletion:{application_id}", settings=settings):
                counts["data_deletion"] += 1
    return counts


def _locale_of(session: Session, application_id: int, settings) -> str:
    return i18n.normalize_locale(session.get(ApplicationRow, application_id).locale, settings.locale)


# ---- officers -------------------------------------------------------------------------------

def officer_mail_settings(session: Session, username: str) -> dict:
    row = session.scalar(select(OfficerRow).where(OfficerRow.username == username, OfficerRow.active))
    if row is None:
        raise NotFound("This officer does not exist.")
    return {"email": row.email, "digest": row.mail_digest, "immediate": row.mail_immediate}


def set_officer_mail(session: Session, username: str, email: str | None, digest: bool, immediate: bool, actor: str) -> None:
    from steunwijzer import audit
    from steunwijzer.answer_types import validate_email

    row = session.scalar(select(OfficerRow).where(OfficerRow.username == username, OfficerRow.active))
    if row is None:
        raise NotFound("This officer does not exist.")
    email = (email or "").strip()
    row.email = validate_email(email) if email else None
    row.mail_digest, row.mail_immediate = bool(digest), bool(immediate)
    audit.record(session, actor, "officer.mail_settings", username=username, digest=row.mail_digest,
                 immediate=row.mail_immediate, has_address=row.email is not None)


def _officer(row: OfficerRow):
    from steunwijzer.models import Officer

    return Officer(id=row.id, username=row.username, is_admin=row.is_admin, fund_ids=list(row.fund_ids or []))


def digest_counts(session: Session, officer_row: OfficerRow, today: date) -> dict:
    """What needs action in this officer's funds: new applications (no group answer yet),
    answers from groups, reports to check, reports overdue."""
    from steunwijzer.access import handled_fund_ids

    funds = handled_fund_ids(session, _officer(officer_row))
    mine = ApplicationRow.fund_id.in_(funds)
    answered_ids = select(MessageRow.application_id).where(MessageRow.sender == "group")
    submitted = select(func.count()).select_from(ApplicationRow).where(mine, ApplicationRow.status == Status.submitted)
    return {
        "new": session.scalar(submitted.where(ApplicationRow.id.not_in(answered_ids))) or 0,
        "answered": session.scalar(submitted.where(ApplicationRow.id.in_(answered_ids))) or 0,
        "reports": session.scalar(select(func.count()).select_from(ApplicationRow).where(
            mine, ApplicationRow.status == Status.report_submitted)) or 0,
        "overdue": session.scalar(select(func.count()).select_from(ReportRow).join(
            ApplicationRow, ApplicationRow.id == ReportRow.application_id).where(
            mine, ApplicationRow.status == Status.granted, ReportRow.status == "draft", ReportRow.due_date < today)) or 0,
    }


def officer_digest(session: Session, today: date, settings=None) -> int:
    """One digest a day per officer who wants it and has something to do. Returns how many."""
    settings = settings_or_default(settings)
    made = 0
    for row in session.scalars(select(OfficerRow).where(OfficerRow.active, OfficerRow.mail_digest, OfficerRow.email.is_not(None))):
        counts = digest_counts(session, row, today)
        if not any(counts.values()):
            continue
        locale = settings.locale
        subject, text, page = render("officer_digest", locale, {**common_params(settings), **counts},
                                     link=link(settings, PAGE_QUEUE, locale))
        if outbox.enqueue(session, kind="officer_digest", recipient=row.email, recipient_type="officer", language=locale,
                          subject=subject, text=text, html=page, dedupe_key=f"digest:{row.username}:{today.isoformat()}"):
            made += 1
    return made


def second_approval_requested(session: Session, application_id: int, officer_username: str, settings=None):
    """An immediate mail to the officer asked to approve a decision (four-eyes)."""
    settings = settings_or_default(settings)
    row = session.scalar(select(OfficerRow).where(OfficerRow.username == officer_username, OfficerRow.active))
    app = session.get(ApplicationRow, application_id)
    if row is None or app is None or not row.email or not row.mail_immediate:
        return None
    locale = settings.locale
    params = {**common_params(settings), "number": app.id, "fund": _fund_name(session, app.fund_id)}
    subject, text, page = render("second_approval", locale, params, link=link(settings, PAGE_QUEUE, locale))
    return outbox.enqueue(session, kind="second_approval", recipient=row.email, recipient_type="officer", language=locale,
                          subject=subject, text=text, html=page, application_id=app.id)


def check_email(value: str) -> str:
    from steunwijzer.answer_types import validate_email

    value = (value or "").strip()
    if not value:
        raise InvalidInput("Please fill in your e-mail address.")
    return validate_email(value)
