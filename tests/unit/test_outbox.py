"""The outbox against a real SMTP server (aiosmtpd on 127.0.0.1): plain, STARTTLS with a
throw-away certificate, implicit TLS, a server that refuses, and one that is down and comes back."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from steunwijzer import outbox
from steunwijzer.config import Settings
from steunwijzer.store import AuditRow, OutboxRow, utcnow
from tests.mailserver import MailServer, free_port, make_certificate

FROM = "Steunwijzer <noreply@steunwijzer.test>"
# implicit TLS: aiosmtpd cannot see that the whole connection is encrypted, and warns about AUTH
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("cert"))


@pytest.fixture
def server_factory():
    servers = []

    def make(**kwargs) -> MailServer:
        server = MailServer(**kwargs).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def settings_for(url: str | None) -> Settings:
    return Settings(smtp_url=url, mail_from=FROM, base_url="https://steunwijzer.test")


def queue(db, n: int = 1, kind: str = "question_asked", **extra) -> list[int]:
    ids = []
    with db.session() as s:
        for i in range(n):
            row = outbox.enqueue(s, kind=kind, recipient=f"groep{i}@example.nl", recipient_type="group", language="nl",
                                 subject=f"Onderwerp {i}", text=f"Hallo {i}\n", html=f"<p>Hallo {i}</p>", **extra)
            ids.append(row.id)
    return ids


def rows(db) -> list[OutboxRow]:
    with db.session() as s:
        return list(s.scalars(select(OutboxRow).order_by(OutboxRow.id)))


@pytest.mark.parametrize("url, expected", [
    ("smtp://u:p%40ss@mail.example.nl:587", dict(host="mail.example.nl", port=587, implicit_tls=False, starttls=True, username="u", password="p@ss")),
    ("smtp://mail.example.nl", dict(port=587, starttls=True, username=None)),
    ("smtps://u:p@mail.example.nl", dict(port=465, implicit_tls=True, starttls=False)),
    ("smtp://localhost:25?starttls=off", dict(port=25, starttls=False)),
    ("smtp://h?cafile=/etc/ca.pem", dict(cafile="/etc/ca.pem")),
])
def test_smtp_url(url, expected):
    target = outbox.parse_smtp_url(url)
    assert {k: getattr(target, k) for k in expected} == expected


@pytest.mark.parametrize("url", ["http://mail.example.nl", "smtp://", "mail.example.nl:587"])
def test_bad_smtp_url(url):
    from steunwijzer.errors import ConfigurationError

    with pytest.raises(ConfigurationError):
        outbox.parse_smtp_url(url)


def test_plain_server_gets_multipart_mail_once_and_audit_has_no_address(db, server_factory):
    server = server_factory()
    queue(db, 2, application_id=None)
    result = outbox.send_due(db, settings_for(server.url(query="starttls=off")))
    assert (result.sent, result.retry, result.failed) == (2, 0, 0)
    assert sorted(r.rcpt_tos[0] for r in server.received) == ["groep0@example.nl", "groep1@example.nl"]
    mail = server.received[0]
    assert mail.mail_from == "noreply@steunwijzer.test" and mail.message["From"] == FROM
    assert mail.message.get_content_type() == "multipart/alternative"
    assert mail.text() == "Hallo 0\n" and "<p>Hallo 0</p>" in mail.html()
    assert mail.message["Content-Language"] == "nl" and mail.message["Message-ID"].startswith("<steunwijzer.")
    assert [r.state for r in rows(db)] == ["sent", "sent"]
    # nothing is due any more: a second run sends nothing
    assert outbox.send_due(db, settings_for(server.url(query="starttls=off"))).sent == 0
    assert len(server.received) == 2
    with db.session() as s:
        audit = list(s.scalars(select(AuditRow).where(AuditRow.action == "mail.sent")))
    assert [(a.detail["kind"], a.detail["recipient"]) for a in audit] == [("question_asked", "group")] * 2
    assert not any("@" in v for a in audit for v in a.detail.values())


def test_starttls_with_login_and_own_certificate(db, server_factory, cert):
    server = server_factory(tls="starttls", cert=cert, users={"steun": "geheim wachtwoord"})
    queue(db)
    url = server.url("steun", "geheim%20wachtwoord", query=f"cafile={cert[0]}")
    result = outbox.send_due(db, settings_for(url))
    assert result.sent == 1, result.errors
    assert server.received[0].tls and server.received[0].login == "steun"


def test_starttls_refuses_an_untrusted_certificate(db, server_factory, cert):
    server = server_factory(tls="starttls", cert=cert)
    queue(db)
    result = outbox.send_due(db, settings_for(server.url()))  # the system CAs do not know this certificate
    assert result.retry == 1 and not server.received
    assert "CERTIFICATE_VERIFY_FAILED" in rows(db)[0].last_error


def test_smtp_url_insists_on_starttls(db, server_factory):
    server = server_factory()  # offers no STARTTLS
    queue(db)
    result = outbox.send_due(db, settings_for(server.url("u", "p")))
    assert result.retry == 1 and not server.received
    assert "STARTTLS" in rows(db)[0].last_error


def test_implicit_tls(db, server_factory, cert):
    server = server_factory(tls="implicit", cert=cert, users={"u": "p"})
    queue(db)
    result = outbox.send_due(db, settings_for(server.url("u", "p", query=f"cafile={cert[0]}")))
    assert result.sent == 1, result.errors
    assert server.received[0].tls


def test_wrong_password_keeps_the_mail(db, server_factory, cert):
    server = server_factory(tls="starttls", cert=cert, users={"u": "p"})
    queue(db)
    result = outbox.send_due(db, settings_for(server.url("u", "wrong", query=f"cafile={cert[0]}")))
    assert result.retry == 1 and rows(db)[0].state == "queued" and rows(db)[0].last_error.startswith("535")


def test_permanent_refusal_fails_at_once_temporary_one_retries(db, server_factory):
    server = server_factory()
    url = server.url(query="starttls=off")
    server.handler.refuse_code = "550 5.1.1 No such user here"
    queue(db)
    result = outbox.send_due(db, settings_for(url))
    assert (result.sent, result.failed) == (0, 1)
    row = rows(db)[0]
    assert row.state == "failed" and row.last_error == "550 5.1.1 No such user here" and row.tries == 1
    with db.session() as s:
        assert s.scalar(select(AuditRow.action).where(AuditRow.action == "mail.failed"))

    server.handler.refuse_code = "451 4.3.0 Try again later"
    queue(db)
    assert outbox.send_due(db, settings_for(url)).retry == 1
    row = rows(db)[1]
    assert row.state == "queued" and row.tries == 1 and row.next_try > utcnow()


def test_server_down_then_back_loses_nothing_and_sends_once(db):
    port = free_port()
    url = f"smtp://127.0.0.1:{port}?starttls=off"
    queue(db, 3)
    now = utcnow()
    result = outbox.send_due(db, settings_for(url), now=now)
    assert result.retry == 3 and "ConnectionRefusedError" in result.errors[0]
    waiting = rows(db)
    assert all(r.state == "queued" and r.tries == 1 and r.next_try == now + outbox.FIRST_DELAY for r in waiting)
    # before the back-off has passed, nothing is tried
    assert outbox.send_due(db, settings_for(url), now=now + timedelta(seconds=30)).retry == 0
    # down again at the next try: the delay doubles
    later = now + outbox.FIRST_DELAY
    outbox.send_due(db, settings_for(url), now=later)
    assert all(r.tries == 2 and r.next_try == later + 2 * outbox.FIRST_DELAY for r in rows(db))

    server = MailServer(port=port).start()
    try:
        back = later + timedelta(minutes=5)
        assert outbox.send_due(db, settings_for(url), now=back).sent == 3
        assert outbox.send_due(db, settings_for(url), now=back + timedelta(days=1)).sent == 0
        assert sorted(r.rcpt_tos[0] for r in server.received) == [f"groep{i}@example.nl" for i in range(3)]
    finally:
        server.stop()
    assert [r.state for r in rows(db)] == ["sent"] * 3


def test_a_claimed_mail_is_not_sent_by_a_second_sender(db, server_factory):
    server = server_factory()
    [mail_id] = queue(db)
    now = utcnow()
    assert outbox._claim(db, now, 10) == [mail_id]
    assert outbox._claim(db, now, 10) == []  # another process finds nothing to take
    assert outbox.send_due(db, settings_for(server.url(query="starttls=off")), now=now).sent == 0
    # a sender that died: after the lease the mail is taken again
    assert outbox.send_due(db, settings_for(server.url(query="starttls=off")), now=now + outbox.LEASE).sent == 1


def test_gives_up_after_max_tries(db, monkeypatch):
    monkeypatch.setattr(outbox, "MAX_TRIES", 2)
    url = f"smtp://127.0.0.1:{free_port()}?starttls=off"
    queue(db)
    now = utcnow()
    outbox.send_due(db, settings_for(url), now=now)
    assert outbox.send_due(db, settings_for(url), now=now + timedelta(hours=1)).failed == 1
    assert rows(db)[0].state == "failed"


def test_without_smtp_url_mails_wait(db):
    queue(db)
    assert outbox.send_due(db, settings_for(None)).mail_off
    assert rows(db)[0].state == "queued" and rows(db)[0].tries == 0


def test_dedupe_key_lets_a_mail_in_once(db):
    with db.session() as s:
        first = outbox.enqueue(s, kind="report_due", recipient="a@example.nl", recipient_type="group", language="nl",
                               subject="s", text="t", html="h", dedupe_key="report_due:1:2027-01-01")
        again = outbox.enqueue(s, kind="report_due", recipient="a@example.nl", recipient_type="group", language="nl",
                               subject="s", text="t", html="h", dedupe_key="report_due:1:2027-01-01")
    assert first is not None and again is None and len(rows(db)) == 1


def test_lost_code_body_is_removed_after_sending(db, server_factory):
    server = server_factory()
    with db.session() as s:
        outbox.enqueue(s, kind="lost_code", recipient="a@example.nl", recipient_type="group", language="nl",
                       subject="Uw nieuwe code", text="Code: K7QM-2XPA-9RTB", html="<p>K7QM-2XPA-9RTB</p>")
    assert outbox.send_due(db, settings_for(server.url(query="starttls=off"))).sent == 1
    assert "K7QM-2XPA-9RTB" in server.received[0].text()
    assert rows(db)[0].body_text == outbox.REMOVED and rows(db)[0].body_html == outbox.REMOVED


def test_prune_forgets_old_sent_mail_but_not_that_a_reminder_was_sent(db):
    queue(db, 2)
    queue(db, 1, kind="report_overdue", dedupe_key="report_overdue:1:2027-01-01")
    with db.session() as s:
        for row in s.scalars(select(OutboxRow)):
            row.created_at = utcnow() - timedelta(days=40)
            row.state = "queued" if row.recipient == "groep1@example.nl" else "sent"
    with db.session() as s:
        assert outbox.prune(s) == 2
    assert [(r.state, r.recipient, r.body_text) for r in rows(db)] == [("queued", "groep1@example.nl", "Hallo 1\n"), ("sent", "", "")]
    with db.session() as s:
        assert outbox.enqueue(s, kind="report_overdue", recipient="a@b.nl", recipient_type="group", language="nl", subject="s",
                              text="t", html="h", dedupe_key="report_overdue:1:2027-01-01") is None
