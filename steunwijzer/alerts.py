"""Fund alerts (KIS: point networks actively to their possibilities). After the finder a group
may leave an e-mail address; it then hears, in its language, when a fund that fits its answers
opens again, is added, or has a deadline within three weeks.

Double opt-in: nothing but the confirmation mail goes out before the link in it is clicked.
Every alert mail carries a one-click unsubscribe link. An address is kept only with the saved
finder answers, and forgotten after a year without a click (unconfirmed ones after a week)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from steunwijzer import audit, auth, funds, i18n, notify, outbox
from steunwijzer.errors import TOO_MANY_TRIES, InvalidInput, TooManyAttempts
from steunwijzer.mail_texts import ALERT_ITEMS
from steunwijzer.store import FundAlertRow, utcnow

DEADLINE_AHEAD = timedelta(days=21)
KEEP_WITHOUT_CLICK = timedelta(days=365)
KEEP_UNCONFIRMED = timedelta(days=7)
SIGNUPS_PER_ADDRESS = 3          # confirmation mails per address per day
SIGNUPS_PER_CLIENT = 5           # sign-ups per browser session per hour
SCOPE = "alert"


def _address_key(email: str) -> str:
    """The attempts table gets a hash, not the address."""
    return "addr:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]


def subscribe(session: Session, email: str, locale: str, profile: dict, client_address: str | None, settings=None) -> None:
    """Store a wish for fund alerts and send the confirmation mail. The caller always shows the
    same sentence, whatever happened, so nobody learns which addresses are known."""
    from steunwijzer.matching import FundingProfile

    settings = notify.settings_or_default(settings)
    email = notify.check_email(email)
    try:
        profile = FundingProfile.model_validate(profile or {}).model_dump(mode="json")
    except ValidationError:
        raise InvalidInput("Please answer the questions first.") from None
    if auth.bump(session, SCOPE, "*", client_address or auth.NO_ADDRESS, timedelta(hours=1)) > SIGNUPS_PER_CLIENT:
        raise TooManyAttempts(TOO_MANY_TRIES, minutes=60)
    if auth.bump(session, SCOPE, _address_key(email), "*", timedelta(days=1)) > SIGNUPS_PER_ADDRESS:
        return  # silently: this address had enough mail today
    # an earlier, never confirmed wish for this address is replaced
    session.execute(delete(FundAlertRow).where(FundAlertRow.email == email, FundAlertRow.confirmed_at.is_(None)))
    locale = i18n.normalize_locale(locale, settings.locale)
    row = FundAlertRow(email=email, locale=locale, profile=profile, token=secrets.token_urlsafe(24), known={})
    session.add(row)
    session.flush()
    subject, text, page = notify.render("alert_confirm", locale, notify.common_params(settings),
                                        link=notify.link(settings, "", locale, alert="confirm", token=row.token))
    outbox.enqueue(session, kind="alert_confirm", recipient=email, recipient_type="subscriber", language=locale,
                   subject=subject, text=text, html=page)


def handle_link(session: Session, action: str, token: str, today: date | None = None) -> str | None:
    """A click on a link in an alert mail: 'confirm', 'stop' or 'seen'. Returns what happened
    ('confirmed', 'stopped', 'seen') or None for an unknown or used token."""
    if not token or action not in ("confirm", "stop", "seen"):
        return None
    row = session.scalar(select(FundAlertRow).where(FundAlertRow.token == token[:64]))
    if row is None:
        return None
    if action == "stop":
        session.delete(row)
        audit.record(session, "subscriber", "alert.unsubscribe")
        return "stopped"
    now = utcnow()
    row.last_click_at = now
    if action == "confirm" and row.confirmed_at is None:
        row.confirmed_at = now
        # one wish per address: the newest confirmed one wins
        session.execute(delete(FundAlertRow).where(FundAlertRow.email == row.email, FundAlertRow.id != row.id))
        # what fits today is what the group just saw in the finder: tell only what changes from now on
        row.known = {fund.id: {"deadline": _iso(fund.next_deadline)} for fund in _fitting(session, row, today or now.date())}
        audit.record(session, "subscriber", "alert.confirm")
        return "confirmed"
    return "confirmed" if action == "confirm" else "seen"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _fitting(session: Session, row: FundAlertRow, today: date, catalogue=None):
    from steunwijzer.matching import FundingProfile, match_funds

    try:
        profile = FundingProfile.model_validate(row.profile or {})
    except ValidationError:
        return []
    catalogue = catalogue if catalogue is not None else funds.all_funds(session)
    return [m.fund for m in match_funds(profile, catalogue, today=today) if m.eligible]


def news_for(row: FundAlertRow, fitting, today: date) -> list[tuple[str, object]]:
    """(reason, fund) pairs the group has not been told yet: added, opens again, deadline soon."""
    known = row.known or {}
    news = []
    for fund in fitting:
        seen = known.get(fund.id)
        deadline = fund.next_deadline
        if seen is None:
            news.append(("added", fund))
        elif deadline and deadline >= today and _iso(deadline) != seen.get("deadline"):
            news.append(("opens", fund))
        elif deadline and today <= deadline <= today + DEADLINE_AHEAD and seen.get("reminded") != _iso(deadline):
            news.append(("deadline", fund))
    return news


def schedule_fund_alerts(session: Session, today: date, settings=None) -> int:
    """One mail per confirmed wish with news, listing every fund with news. Returns how many."""
    settings = notify.settings_or_default(settings)
    catalogue = funds.all_funds(session)
    made = 0
    for row in session.scalars(select(FundAlertRow).where(FundAlertRow.confirmed_at.is_not(None))):
        news = news_for(row, _fitting(session, row, today, catalogue), today)
        if not news:
            continue
        _ = i18n.gettext_for(row.locale)
        lines = [("• " + _(ALERT_ITEMS[reason]).format(fund=fund.name, date=i18n.format_day(fund.next_deadline, row.locale)))
                 for reason, fund in news]
        subject, text, page = notify.render(
            "fund_alert", row.locale, {**notify.common_params(settings), "items": "\n".join(lines)},
            link=notify.link(settings, "", row.locale, alert="seen", token=row.token),
            unsubscribe=unsubscribe_link(settings, row))
        outbox.enqueue(session, kind="fund_alert", recipient=row.email, recipient_type="subscriber", language=row.locale,
                       subject=subject, text=text, html=page, headers={"List-Unsubscribe": f"<{unsubscribe_link(settings, row)}>"},
                       dedupe_key=f"alert:{row.id}:{today.isoformat()}")
        known = dict(row.known or {})
        for reason, fund in news:
            entry = {"deadline": _iso(fund.next_deadline)}
            if reason == "deadline" or (fund.next_deadline and fund.next_deadline <= today + DEADLINE_AHEAD):
                entry["reminded"] = _iso(fund.next_deadline)
            known[fund.id] = entry
        row.known = known
        made += 1
    return made


def unsubscribe_link(settings, row: FundAlertRow) -> str:
    return notify.link(settings, "", row.locale, alert="stop", token=row.token)


def forget_stale(session: Session, now: datetime | None = None) -> int:
    """Delete addresses nobody clicked for a year, and wishes never confirmed within a week."""
    now = now or utcnow()
    last_sign = func.coalesce(FundAlertRow.last_click_at, FundAlertRow.confirmed_at, FundAlertRow.created_at)
    return session.execute(delete(FundAlertRow).where(or_(
        (FundAlertRow.confirmed_at.is_(None)) & (FundAlertRow.created_at < now - KEEP_UNCONFIRMED),
        last_sign < now - KEEP_WITHOUT_CLICK))).rowcount or 0
