"""Cold start and rerun time of every page, measured with Streamlit's AppTest.

Run: .venv/bin/python bench/bench_pages.py   (prints a Markdown table)

"Cold" is the first run of a page in a fresh AppTest (imports, database, catalogue load);
"rerun" is the median of further runs of the same session, which is what a user waits for
after each click. Officer pages run logged in as an administrator."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STEUNWIJZER_DATA_DIR", tempfile.mkdtemp(prefix="steunwijzer-bench-"))
os.chdir(ROOT)

from streamlit.testing.v1 import AppTest  # noqa: E402

from steunwijzer import auth, demo  # noqa: E402
from steunwijzer.config import get_settings  # noqa: E402
from steunwijzer.models import Officer  # noqa: E402
from steunwijzer.store import Database  # noqa: E402

PAGES = [None, "pages/1_find_funding.py", "pages/2_application.py", "pages/3_report.py", "pages/5_officer_queue.py",
         "pages/6_officer_review.py", "pages/7_officer_catalogue.py", "pages/8_officer_admin.py"]
RERUNS = 5


def measure(page: str | None, locale: str) -> tuple[float, float]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["locale"] = locale
    at.session_state["officer"] = Officer(username="bench", is_admin=True).model_dump()
    at.session_state["officer_seen"] = time.time()
    at.session_state["review_id"] = 1
    if page:
        at.switch_page(page)
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    assert not at.exception, at.exception
    reruns = []
    for _ in range(RERUNS):
        start = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - start)
    return cold, statistics.median(reruns)


def main() -> None:
    db = Database(get_settings().sqlalchemy_url)
    db.migrate()
    demo.load_demo(db)
    with db.session() as s:  # the officer pages read the officer's account on every rerun
        auth.add_officer(s, "bench", "a long bench password", is_admin=True, actor="bench")
    print("| page | locale | cold run (ms) | rerun, median of 5 (ms) |")
    print("|---|---|---:|---:|")
    for page in PAGES:
        if page and not (ROOT / page).exists():
            continue
        for locale in ("nl", "ar"):
            cold, rerun = measure(page, locale)
            print(f"| {page or 'app.py'} | {locale} | {cold * 1000:.0f} | {rerun * 1000:.0f} |")


if __name__ == "__main__":
    main()
