"""How fast the outbox works: storing group mails (rendered in the group's language) and sending
them over one SMTP connection to a local server (aiosmtpd on 127.0.0.1, plain and STARTTLS).

SQLite in a temporary folder; N mails; median of 3 runs. The network and a real mail server add
their own time: this measures Steunwijzer's share.

    .venv/bin/python bench/bench_mail.py
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from steunwijzer import notify, outbox  # noqa: E402
from steunwijzer.config import Settings  # noqa: E402
from steunwijzer.store import Database  # noqa: E402
from tests.mailserver import MailServer, make_certificate  # noqa: E402

N = 300
RUNS = 3


def one_run(server: MailServer, url: str, locale: str) -> tuple[float, float]:
    folder = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    db = Database(f"sqlite:///{folder / 'bench.sqlite'}")
    db.migrate()
    settings = Settings(smtp_url=url, base_url="https://steunwijzer.example.nl")
    started = time.perf_counter()
    with db.session() as s:
        for i in range(N):
            subject, text, html = notify.render("question_asked", locale, {"number": i, "fund": "Buurtfonds",
                                                                          "municipality": "Gemeente Voorbeeld"},
                                                link="https://steunwijzer.example.nl/application?lang=" + locale)
            outbox.enqueue(s, kind="question_asked", recipient=f"groep{i}@example.nl", recipient_type="group",
                           language=locale, subject=subject, text=text, html=html)
    stored = time.perf_counter() - started
    before = len(server.received)
    started = time.perf_counter()
    result = outbox.send_due(db, settings, limit=N)
    sent = time.perf_counter() - started
    assert result.sent == N and len(server.received) - before == N, result
    db.dispose()
    return stored, sent


def main() -> int:
    cert = make_certificate(Path(tempfile.mkdtemp(prefix="bench-cert-")))
    print(f"{N} mails, median of {RUNS} runs, {platform.processor() or platform.machine()}, Python {platform.python_version()}\n")
    print("| server | language | store (ms per mail) | send (ms per mail) | mails per second sent |")
    print("|---|---|---|---|---|")
    for tls in ("none", "starttls"):
        server = MailServer(tls=tls, cert=cert).start()
        url = server.url(query="starttls=off") if tls == "none" else server.url(query=f"cafile={cert[0]}")
        try:
            for locale in ("nl", "ar"):
                runs = [one_run(server, url, locale) for _ in range(RUNS)]
                store = statistics.median(r[0] for r in runs) / N * 1000
                send = statistics.median(r[1] for r in runs) / N * 1000
                print(f"| {'plain' if tls == 'none' else 'STARTTLS'} | {locale} | {store:.2f} | {send:.2f} | {1000 / send:.0f} |")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
