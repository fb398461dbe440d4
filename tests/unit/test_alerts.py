"""Fund alerts: double opt-in, news once (added, opens again, deadline in 3 weeks), one-click
unsubscribe in every mail, limits, and the address forgotten after a year without a click."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from steunwijzer import alerts, funds
from steunwijzer.config import Settings
from steunwijzer.errors import InvalidInput, TooManyAttempts
from steunwijzer.matching import FundingProfile, match_funds
from steunwijzer.store import FundAlertRow, OutboxRow, utcnow

SETTINGS = Settings(base_url="https://steun.example.nl")
TODAY = date(2027, 3, 1)
PROFILE = {"themes": ["meeting"], "legal_entity": False}


@pytest.fixture
def catalogue(db):
    catalogue = funds.demo_catalogue()
    with db.session() as s:
        funds.save_funds(s, catalogue)
    return catalogue


def fitting(catalogue):
    return [m.fund for m in match_funds(FundingProfile.model_validate(PROFILE), catalogue, today=TODAY) if m.eligible]


def outbox(db, kind):
    with db.session() as s:
        return list(s.scalars(select(OutboxRow).where(OutboxRow.kind == kind).order_by(OutboxRow.id)))


def subscribe_and_confirm(db, email="groep@example.nl", locale="tr"):
    with db.session() as s:
        alerts.subscribe(s, email, locale, PROFILE, "client-1", SETTINGS)
    confirm = outbox(db, "alert_confirm")[-1]
    token = confirm.body_text.split("token=")[1].split()[0]
    with db.session() as s:
        assert alerts.schedule_fund_alerts(s, TODAY, SETTINGS) == 0  # nothing before the click
        assert alerts.handle_link(s, "confirm", token, TODAY) == "confirmed"
    return confirm, token


def test_double_opt_in_then_news_once_in_the_groups_language(db, catalogue):
    confirm, token = subscribe_and_confirm(db)
    assert confirm.language == "tr" and confirm.recipient_type == "subscriber" and "alert=confirm" in confirm.body_text
    with db.session() as s:
        assert alerts.schedule_fund_alerts(s, TODAY, SETTINGS) == 0  # what the group saw in the finder is no news

    base = fitting(catalogue)[0]
    added = base.model_copy(update={"id": "nieuw-buurtfonds", "name": "Nieuw Buurtfonds", "any_time": True, "next_deadline": None})
    soon = base.model_copy(update={"id": "snel-fonds", "name": "Snel Fonds", "any_time": False,
                                   "next_deadline": TODAY + timedelta(days=20)})
    with db.session() as s:
        funds.save_funds(s, [added, soon])
        assert alerts.schedule_fund_alerts(s, TODAY, SETTINGS) == 1
        assert alerts.schedule_fund_alerts(s, TODAY + timedelta(days=1), SETTINGS) == 0  # told once
    [mail] = outbox(db, "fund_alert")
    assert "Nieuw Buurtfonds: fon listesinde yeni" in mail.body_text
    assert "Snel Fonds: fon listesinde yeni" in mail.body_text
    assert f"alert=stop&token={token}" in mail.body_text and "alert=stop" in mail.headers["List-Unsubscribe"]
    assert "Nieuw Buurtfonds" not in mail.subject

    # a known fund opens a new round, later its deadline comes near: each is news once
    reopened = added.model_copy(update={"any_time": False, "next_deadline": TODAY + timedelta(days=60)})
    with db.session() as s:
        funds.save_funds(s, [reopened])
        assert alerts.schedule_fund_alerts(s, TODAY + timedelta(days=2), SETTINGS) == 1
        assert alerts.schedule_fund_alerts(s, TODAY + timedelta(days=38), SETTINGS) == 0
        assert alerts.schedule_fund_alerts(s, TODAY + timedelta(days=39), SETTINGS) == 1  # 21 days before
        assert alerts.schedule_fund_alerts(s, TODAY + timedelta(days=40), SETTINGS) == 0
    texts = [m.body_text for m in outbox(db, "fund_alert")]
    assert "Nieuw Buurtfonds: 30 Nisan 2027 tarihine kadar yeniden başvurabilirsiniz" in texts[1]
    assert "Nieuw Buurtfonds: son başvuru tarihi 30 Nisan 2027" in texts[2]


def test_unsubscribe_deletes_the_address(db, catalogue):
    _, token = subscribe_and_confirm(db)
    with db.session() as s:
        assert alerts.handle_link(s, "stop", token) == "stopped"
        assert s.scalar(select(FundAlertRow)) is None
        assert alerts.handle_link(s, "stop", token) is None
        assert alerts.handle_link(s, "confirm", "made-up") is None


def test_forgotten_after_a_year_without_a_click(db, catalogue):
    _, token = subscribe_and_confirm(db)
    with db.session() as s:
        alerts.subscribe(s, "nooit@example.nl", "nl", PROFILE, "client-2", SETTINGS)
    now = utcnow()
    with db.session() as s:
        assert alerts.forget_stale(s, now + timedelta(days=8)) == 1  # the unconfirmed one
        assert alerts.handle_link(s, "seen", token) == "seen"  # a click keeps the address another year
        assert alerts.forget_stale(s, now + timedelta(days=360)) == 0
        assert alerts.forget_stale(s, now + timedelta(days=366)) == 1
        assert s.scalar(select(FundAlertRow)) is None


def test_limits_and_bad_input(db, catalogue):
    for n in range(alerts.SIGNUPS_PER_ADDRESS + 1):
        with db.session() as s:
            alerts.subscribe(s, "veel@example.nl", "nl", PROFILE, f"client-{n}", SETTINGS)
    assert len(outbox(db, "alert_confirm")) == alerts.SIGNUPS_PER_ADDRESS  # then silently no more mail
    with db.session() as s:
        assert len(list(s.scalars(select(FundAlertRow)))) == 1  # a new unconfirmed wish replaces the old one
    for n in range(alerts.SIGNUPS_PER_CLIENT):
        with db.session() as s:
            alerts.subscribe(s, f"a{n}@example.nl", "nl", PROFILE, "one-client", SETTINGS)
    with pytest.raises(TooManyAttempts), db.session() as s:
        alerts.subscribe(s, "b@example.nl", "nl", PROFILE, "one-client", SETTINGS)
    with pytest.raises(InvalidInput), db.session() as s:
        alerts.subscribe(s, "geen-adres", "nl", PROFILE, "c", SETTINGS)
    with pytest.raises(InvalidInput), db.session() as s:
        alerts.subscribe(s, "a@example.nl", "nl", {"themes": ["not-a-theme"]}, "c", SETTINGS)
