"""Command line: the commands of steunwijzer.jobs."""

from __future__ import annotations

import logging
from steunwijzer.config import get_settings
from steunwijzer.store import Database
from steunwijzer.jobs import FAILED, READY, RUNNING, WAITING, counts, queue_location, run_worker_forever, worker_name


# ---- command line ---------------------------------------------------------------------------

def register(sub) -> None:
    p = sub.add_parser("worker", help="Run a transcription worker (loads the speech model once).",
                       description="Take transcription jobs from the queue (STEUNWIJZER_QUEUE_URL, default: the SQLite "
                                   "queue in the data folder) until Ctrl-C. Run as many as the machine has room for; "
                                   "each loads the model once. Set STEUNWIJZER_EMBEDDED_WORKER=false on the app then.")
    p.set_defaults(handler=_cmd_worker)
    p = sub.add_parser("jobs", help="Show how many transcription jobs are in each state.",
                       description="Count transcription jobs per state (waiting, running, ready, failed).")
    p.set_defaults(handler=_cmd_jobs)


def _cmd_worker(args, db: Database) -> int:
    settings = get_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    print(f"Worker {worker_name()} on {queue_location(settings)}", flush=True)
    run_worker_forever(db, settings)
    return 0


def _cmd_jobs(args, db: Database) -> int:
    with db.session() as s:
        found = counts(s)
    for state in (WAITING, RUNNING, READY, FAILED):
        print(f"{state}\t{found.get(state, 0)}")
    return 0
