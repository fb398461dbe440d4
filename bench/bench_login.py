"""A refused login costs the same for an existing, an unknown and a disabled username (so its
time tells nothing), and what one login costs. Prints a Markdown table of medians.

Run: .venv/bin/python bench/bench_login.py [N]   (default N = 40 tries per case)"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from steunwijzer import auth  # noqa: E402
from steunwijzer.errors import InvalidInput  # noqa: E402
from steunwijzer.store import Database  # noqa: E402


def main(n: int = 40) -> None:
    db = Database(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}")
    db.migrate()
    with db.session() as s:
        auth.add_officer(s, "admin", "a long admin password", is_admin=True)
        auth.add_officer(s, "anna", "correct horse battery")
        auth.add_officer(s, "bert", "correct horse battery")
        auth.set_active(s, "bert", False, "bench")
    cases = {"existing name, wrong password": ("anna", "wrong password!!"), "unknown name": ("nobody", "wrong password!!"),
             "disabled account, right password": ("bert", "correct horse battery"),
             "existing name, right password": ("anna", "correct horse battery")}
    times: dict[str, list[float]] = {c: [] for c in cases}
    for i in range(n):
        for case, (user, password) in cases.items():  # interleaved, so load changes hit every case alike
            address = f"10.0.{i // 250}.{i % 250}"  # a fresh address each round: the limit never interferes
            start = time.perf_counter()
            try:
                with db.session() as s:
                    auth.login(s, user, password, address)
            except InvalidInput:
                pass
            times[case].append(time.perf_counter() - start)
    print("| case | median ms | p90 ms |\n|---|---|---|")
    for case, values in times.items():
        values.sort()
        print(f"| {case} | {statistics.median(values) * 1000:.1f} | {values[int(len(values) * 0.9)] * 1000:.1f} |")
    db.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
