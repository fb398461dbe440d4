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
from steunwijzer.store import ApplicationRow, CaseReadRow, Database  # noqa: E402

STATUSES = [Status.submitted] * 5 + [Status.waiting_for_group, Status.granted, Status.refused, Status.closed, Status.draft,
                                     Status.awaiting_approval, Status.report_submitted, Status.superseded]
NEEDS = {Status.submitted: ["new", "answered", "changed"], Status.awaiting_approval: ["second_officer"],
         Status.report_submitted: ["report"]}
OFFICERS = [None, "bench", "anna", "bram"]
NAMES = ["Buurtmoeders", "Repair Café", "Moestuin", "Taalcafé", "مطبخ الجيران", "Yürüyüş Grubu", "Sąsiedzi", "Сусіди"]


def fill(db: Database, n: int) -> None:
    rng = random.Random(1)
    start = datetime(2025, 1, 1)
    rows = []
    for i in range(1, n + 1):
        status = rng.choice(STATUSES)
        rows.append({
            "id": i, "case_id": i, "fund_id": "initiatievenfonds-voorbeeld", "status": status, "locale": "nl",
            "route": "questions", "resume_hash": f"bench-{i}", "group_name": f"{rng.choice(NAMES)} {i}",
            "contact_name": f"{rng.choice(['Samira', 'Jan', 'Olena', 'Mehmet'])} {i}",
            "amount_asked": Decimal(rng.randrange(100, 9000)), "language": rng.choice(["nl", "ar", "tr", "pl", "uk", "en"]),
            "profile": {}, "version": 1, "submitted_at": start + timedelta(minutes=i), "created_at": start,
            "updated_at": start, "changed_at": start + timedelta(minutes=i), "revision": 1,
            "needs_action": rng.choice(NEEDS[status]) if status in NEEDS else None, "assigned_to": rng.choice(OFFICERS),
            "report_due": (start + timedelta(days=rng.randrange(0, 900))).date() if status == Status.granted else None,
        })
    reads = [{"officer": "bench", "case_id": i, "read_at": start + timedelta(minutes=i + rng.choice([-1, 1]))}
             for i in range(1, n + 1, 2)]
    with db.session() as s:
        for chunk in range(0, n, 10_000):
            s.execute(insert(ApplicationRow), rows[chunk:chunk + 10_000])
        for chunk in range(0, len(reads), 10_000):
            s.execute(insert(CaseReadRow), reads[chunk:chunk + 10_000])


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
    print(f"{n} applications inserted in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    db.migrate()  # what a start of the app does: the schema is current, the table statistics are refreshed
    print(f"start-up (migrate + table statistics) {1000 * (time.perf_counter() - t):.0f} ms\n")
    officer = Officer(username="bench", is_admin=True)
    Q = review.QueueFilter
    cases = {
        "default: needs action, oldest first": Q(),
        "needs action, sorted by what needs action": Q(sort="needs"),
        "needs action, sorted by amount, highest first": Q(sort="amount", descending=True),
        "needs action, sorted by group name": Q(sort="group", descending=False),
        "needs action, sorted by contact": Q(sort="contact"),
        "needs action, my cases": Q(mine=True),
        "overdue reports": Q(view="overdue_reports"),
        "all, sorted by status": Q(view="all", sort="status"),
        "all, sorted by assigned officer": Q(view="all", sort="assigned"),
        "all, status granted": Q(view="all", statuses=[Status.granted]),
        "all, language ar": Q(view="all", language="ar"),
        "all, amount 1,000–2,000": Q(view="all", min_amount=Decimal(1000), max_amount=Decimal(2000)),
        "search 'Taalcafé 99' (group or contact)": Q(view="all", text="Taalcafé 99"),
        "search contact 'Olena 12'": Q(view="all", text="Olena 12"),
        "search number '#54321'": Q(view="all", text="#54321"),
        "needs action, page 100": Q(page=100),
    }
    print("| queue query, first page of 25 (with the count and unread) | median ms (7 runs) |")
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
