"""Run every benchmark in bench/ one after the other (each in its own process, so they do not
disturb each other) and print their tables under one another.

Run: .venv/bin/python bench/run_all.py   (takes about 10 minutes on 2 cores)"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["bench_pages.py", "bench_matching.py", "bench_documents.py", "bench_queue.py", "bench_mail.py", "bench_speech.py", "bench_login.py"]


def main() -> int:
    failed = 0
    for script in SCRIPTS:
        print(f"\n## {script}\n", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(HERE / script)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        print(result.stdout.strip())
        print(f"\n({script}: {time.perf_counter() - started:.0f} s, exit {result.returncode})", flush=True)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
