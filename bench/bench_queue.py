"""The officers' queue with 100,000 applications: query time of the first page per filter, and
the whole page rendered by AppTest.

Run: .venv/bin/python bench/bench_queue.py [N]   (default N = 100000; prints a Markdown table)"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STEUNWIJZER_DATA_DIR", tempfile.mkdtemp(prefix="steunwijzer-bench-queue-"))
os.chdir(ROOT)

from sqlalchemy import insert  # noqa: E402

from steunwijzer import auth, funds, review  # noqa: E402
from steunwijzer.config import get_settings  # noqa: E402
from steunwijzer.models import Officer, Status  # noqa: E402
from steunwijzer.store import ApplicationRow, Database  # noqa: E402

STATUSES = [Status.submitted] * 5 + [Status.waiting_for_group, Status.granted, Status.refused, Status.closed, Status.draft]
NAMES = ["Buurtmoeders", "Repair Café", "Moestuin", "Taalcafé", "مطبخ الجيران", "Yürüyüş Grubu", "Sąsiedzi", "Сусіди"]


def fill(db: Database, n: int) -> None:
    rng = random.Random(1)
    start = datetime(2025, 1, 1)
    rows = [{
        "fund_id": "initiatievenfonds-voorbeeld", "status": rng.choice(STATUSES), "locale": "nl", "route": "questions",
        "resume_hash": f"bench-{i}", "group_name": f"{rng.choice(NAMES)} {i}",
        "amount_asked": Decimal(rng.randrange(100, 5000)), "language": rng.choice(["nl", "ar", "tr", "pl", "uk", "en"]),
        "profile": {}, "version": 1, "submitted_at": start + timedelta(minutes=i), "created_at": start, "updated_at": start,
    } for i in range(n)]
    with db.session() as s:
        for chunk in range(0, n, 10_000):
            s.execute(insert(ApplicationRow), rows[chunk:chunk + 10_000])


def timed(fn, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    db = Database(get_settings().sqlalchemy_url)
    db.migrate()
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        # the page reads the officer's account on every rerun, so it must exist
        auth.add_officer(s, "bench", "a long bench password", is_admin=True, actor="bench")
    t = time.perf_counter()
    fill(db, n)
    print(f"{n} applications inserted in {time.perf_counter() - t:.1f} s\n")
    officer = Officer(username="bench", is_admin=True)
    cases = {
        "default (sent + waiting), newest first": review.QueueFilter(),
        "status granted": review.QueueFilter(statuses=[Status.granted]),
        "language ar": review.QueueFilter(language="ar"),
        "amount 1,000–2,000": review.QueueFilter(min_amount=Decimal(1000), max_amount=Decimal(2000)),
        "text search 'Taalcafé 99'": review.QueueFilter(text="Taalcafé 99"),
        "page 100": review.QueueFilter(page=100),
    }
    print("| queue query, first page of 25 | median ms (7 runs) |")
    print("|---|---:|")
    for name, flt in cases.items():
        def run(flt=flt):
            with db.session() as s:
                review.queue(s, officer, flt)
        print(f"| {name} | {timed(run):.1f} |")

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["locale"] = "nl"
    at.session_state["officer"] = officer.model_dump()
    at.session_state["officer_seen"] = time.time()
    at.switch_page("pages/5_officer_queue.py")
    t = time.perf_counter()
    at.run()
    cold = (time.perf_counter() - t) * 1000
    assert not at.exception
    print(f"\n| queue page render (AppTest) | ms |\n|---|---:|\n| first run | {cold:.0f} |\n| rerun (median of 7) | {timed(at.run):.0f} |")


if __name__ == "__main__":
    main()
