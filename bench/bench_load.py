"""Many volunteers at once: a browser-less client that speaks Streamlit's websocket protocol.

Each simulated volunteer does what a browser does: it loads the application page (`GET`,
keeping the cookies a proxy sets), opens `/_stcore/stream`, sends `rerun_script` back-messages
with the widget states (widget ids are read from the delta messages of the page it got), and
waits for `script_finished` after every click. One journey: open the application page, Start,
tick "I have written down my code", answer the 11 screens with valid answers (every field
change is one rerun, as in a browser), tick the consent box and Send.

All sessions run at once, without pauses. Printed per run: p50/p95 of click → page done,
server CPU per click (utime + stime of the server processes from /proc), a new session's first
page, throughput (clicks per second) and peak memory (VmHWM of the server processes).

Run (starts its own servers with demo data in a temporary data folder):

    .venv/bin/python bench/bench_load.py --sessions 1,10,30            # one streamlit process
    .venv/bin/python bench/bench_load.py --sessions 30 --replicas 2    # two behind nginx
    .venv/bin/python bench/bench_load.py --url http://host:8501 --pids 123,456 --sessions 10

`--markdown` prints table rows for the README."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from steunwijzer.i18n import gettext_for  # noqa: E402

EN = gettext_for("en")  # the English texts are reviewed on their own: a msgid is not what the page shows

APPLICATION_PAGE = "application"  # the URL path of pages/2_application.py
LOCALE = "en-US"                  # the English catalogue; labels below are msgids, looked up with EN()
CLICK_TIMEOUT = 300.0

LONG = ("We are a group of neighbours who want to do something good together for the street. "
        "Everybody helps a bit, and we meet every week in the community centre.")
# Question heading → the fields to fill, in order: (widget kind, label, occurrence, value).
ANSWERS: dict[str, list[tuple[str, str, int, str]]] = {
    "What is the name of your group?": [("text_input", "Your answer", 0, "{group}")],
    "Who are you, and who do you help?": [("text_area", "Your answer", 0, LONG)],
    "What do you want to do?": [("text_area", "Your answer", 0, "A homework club every Wednesday afternoon, with tea.")],
    "Why is this important?": [("text_area", "Your answer", 0, "Children do better at school and parents meet.")],
    "When and where will it happen?": [("text_area", "Your answer", 0, "From March to July, Wednesdays, in the community centre.")],
    "About how many people will take part?": [("text_input", "Number of people", 0, "25")],
    "What will it cost?": [("text_input", "Cost 1: what for?", 0, "Room rent"), ("text_input", "Amount in euros", 0, "300"),
                           ("text_input", "Cost 2: what for?", 0, "Books and pencils"), ("text_input", "Amount in euros", 1, "150")],
    "How much money do you ask?": [("text_input", "Amount in euros", 0, "400")],
    "Who else helps?": [("text_area", "Your answer", 0, "The community centre gives the room for half the price.")],
    "Who can we call or e-mail about this?": [("text_input", "Name", 0, "Fatima de Vries"),
                                              ("text_input", "Phone number", 0, "0612345678"),
                                              ("text_input", "E-mail address", 0, "fatima@example.org")],
    "Where should the money go?": [("text_input", "IBAN (bank account number)", 0, "NL91 ABNA 0417 1643 00"),
                                   ("text_input", "Name of the account holder", 0, "{group}")],
}
SCREENS = len(ANSWERS)


class JourneyError(Exception):
    pass


@dataclass
class Widget:
    id: str
    kind: str
    label: str


@dataclass
class Page:
    """What one finished script run showed: widgets in order, headings, alerts, exceptions."""

    widgets: list[Widget] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    alerts: list[tuple[int, str]] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)

    def widget(self, kind: str, label: str, occurrence: int = 0) -> Widget:
        found = [w for w in self.widgets if w.kind == kind and w.label == EN(label)]
        if len(found) <= occurrence:
            raise JourneyError(f"no {kind} {label!r} (#{occurrence}) on the page; headings {self.headings}, "
                               f"alerts {self.alerts}, widgets {[(w.kind, w.label) for w in self.widgets]}")
        return found[occurrence]


class Session:
    """One browser tab, without the browser."""

    def __init__(self, base_url: str, page_name: str = APPLICATION_PAGE) -> None:
        self.base_url = base_url.rstrip("/")
        self.page_name = page_name
        self.page_hash = ""
        self.values: dict[str, WidgetState] = {}  # widget states the "browser" holds
        self.page = Page()
        self._run = Page()
        self._finished: asyncio.Event | None = None
        self._ws = None
        self._reader_task: asyncio.Task | None = None
        self.clicks: list[float] = []
        self.first_page: float | None = None
        self.runs = 0  # script runs the server did (a click that calls st.rerun() costs two)
        self.session_id = ""  # the server's id of this session (a browser sends it when it reconnects)
        self.cookie = ""

    async def open(self, reconnect: bool = False) -> None:
        """Load the page and connect. With `reconnect`, connect again as a browser does after a
        network blip: same cookies, asking for the same server-side session."""
        started = time.perf_counter()
        if not reconnect:
            self.cookie = await asyncio.to_thread(self._get_page)
        ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        # As the browser: "streamlit", the XSRF token from Streamlit's cookie, the session to resume.
        xsrf = dict(c.split("=", 1) for c in self.cookie.split("; ") if "=" in c).get("_streamlit_xsrf", "none")
        protocols = ["streamlit", xsrf] + ([self.session_id] if reconnect and self.session_id else [])
        self._ws = await websockets.connect(ws_url, subprotocols=protocols, additional_headers=headers,
                                            max_size=None, open_timeout=60, ping_interval=None)
        self._reader_task = asyncio.create_task(self._reader())
        await self._rerun(None)
        self.first_page = time.perf_counter() - started

    def _get_page(self) -> str:
        """Load the page's HTML like a browser; returns the cookies to send back (sticky route)."""
        with urllib.request.urlopen(f"{self.base_url}/{self.page_name}", timeout=60) as response:
            response.read()
            cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
        return "; ".join(cookies)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader_task is not None:
            self._reader_task.cancel()
        self._ws = self._reader_task = None

    async def _reader(self) -> None:
        async for raw in self._ws:
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            self._handle(msg)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.runs += 1
            self._run = Page()
            if msg.new_session.initialize.session_id:
                self.session_id = msg.new_session.initialize.session_id
        elif kind == "navigation":  # the page that really ran (new_session's hash is provisional)
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element)
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self._run.exceptions.append("compile error")
            if msg.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                self.page = self._run
                if self._finished is not None:
                    self._finished.set()

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        if kind == "heading":
            self._run.headings.append(body.body)
        elif kind == "alert":
            self._run.alerts.append((body.format, body.body))
        elif kind == "code":
            self._run.codes.append(body.code_text)
        elif kind == "exception":
            self._run.exceptions.append(f"{body.type}: {body.message}")
        elif getattr(body, "id", "") and hasattr(body, "label"):
            self._run.widgets.append(Widget(body.id, kind, body.label))

    async def _rerun(self, trigger: str | None) -> float:
        back = BackMsg()
        state = back.rerun_script
        state.page_script_hash = self.page_hash
        state.page_name = "" if self.page_hash else self.page_name
        state.context_info.locale = LOCALE
        state.context_info.timezone = "Europe/Amsterdam"
        present = {w.id for w in self.page.widgets}
        state.widget_states.widgets.extend(v for k, v in self.values.items() if k in present or not self.page.widgets)
        if trigger is not None:
            state.widget_states.widgets.add(id=trigger, trigger_value=True)
        self._finished = asyncio.Event()
        started = time.perf_counter()
        await self._ws.send(back.SerializeToString())
        await asyncio.wait_for(self._finished.wait(), CLICK_TIMEOUT)
        if self.page.exceptions:
            raise JourneyError(f"the app raised: {self.page.exceptions}")
        return time.perf_counter() - started

    async def click(self, label: str, kind: str = "button") -> None:
        widget = self.page.widget(kind, label)
        self.clicks.append(await self._rerun(widget.id))

    async def type(self, kind: str, label: str, value: str, occurrence: int = 0) -> None:
        widget = self.page.widget(kind, label, occurrence)
        self.values[widget.id] = WidgetState(id=widget.id, string_value=value)
        self.clicks.append(await self._rerun(None))

    async def tick(self, label: str) -> None:
        widget = self.page.widget("checkbox", label)
        self.values[widget.id] = WidgetState(id=widget.id, bool_value=True)
        self.clicks.append(await self._rerun(None))


async def journey(base_url: str, group: str) -> Session:
    """One volunteer's whole application. Raises JourneyError when anything is off."""
    s = Session(base_url)
    try:
        await s.open()
        await s.click("Start")
        await s.tick("I have written down my code")
        done: set[str] = set()
        for _ in range(SCREENS + 3):
            if EN("Check your answers") in s.page.headings:
                break
            question = next((q for q in ANSWERS if EN(q) in s.page.headings), None)
            if question is None or question in done:
                raise JourneyError(f"unexpected screen: headings {s.page.headings}, alerts {s.page.alerts}")
            for kind, label, occurrence, value in ANSWERS[question]:
                await s.type(kind, label, value.format(group=group), occurrence)
            await s.click("Save and go on")
            done.add(question)
        else:
            raise JourneyError("the review screen never came")
        await s.tick("I agree that my answers and recordings are stored for this application.")
        await s.click("Send my application")
        sent = EN("Your application was sent. An officer will read it. You will hear from us within 4 weeks.")
        if not any(fmt == 4 and text == sent for fmt, text in s.page.alerts):  # 4: success
            raise JourneyError(f"no confirmation after sending: {s.page.alerts} {s.page.headings}")
    finally:
        await s.close()
    return s


# ---- the server's processes ------------------------------------------------------------

def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def peak_memory_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return total / 1024


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


@dataclass
class Result:
    sessions: int
    finished: int
    clicks: list[float]
    first_pages: list[float]
    cpu: float
    wall: float
    memory_mb: float
    errors: list[str]
    client_cpu: float = 0.0
    runs: int = 0                                          # script runs on the server
    cpu_split: list[float] = field(default_factory=list)   # CPU seconds per server process

    def notes(self) -> str:
        split = " / ".join(f"{100 * c / max(sum(self.cpu_split), 1e-9):.0f} %" for c in self.cpu_split)
        return (f"script runs per click: {self.runs / max(1, len(self.clicks) + self.finished):.2f}"
                + (f"; server CPU per process: {split}" if len(self.cpu_split) > 1 else ""))

    def row(self, label: str) -> str:
        n = max(1, len(self.clicks))
        return (f"| {label} | {self.sessions} | {self.finished}/{self.sessions} | "
                f"{percentile(self.clicks, 50):.2f} / {percentile(self.clicks, 95):.2f} s | "
                f"{self.cpu / n * 1000:.0f} ms | {statistics.median(self.first_pages) * 1000:.0f} ms | "
                f"{len(self.clicks) / self.wall:.1f} | {self.memory_mb:.0f} MB | {self.client_cpu / n * 1000:.0f} ms |")


HEADER = ("| server | sessions | journeys done | click → page done, p50 / p95 | server CPU per click "
          "| first page (median) | clicks per second | peak memory | client CPU per click |\n"
          "|---|---:|---:|---|---:|---:|---:|---:|---:|")


async def run_load(base_url: str, sessions: int, pids: list[int], prefix: str = "Load test") -> Result:
    cpu_before = cpu_seconds(pids) if pids else 0.0
    per_process_before = [cpu_seconds([p]) for p in pids]
    client_before = time.process_time()
    started = time.perf_counter()
    results = await asyncio.gather(*(journey(base_url, f"{prefix} {sessions}-{i}") for i in range(sessions)),
                                   return_exceptions=True)
    wall = time.perf_counter() - started
    done = [r for r in results if isinstance(r, Session)]
    return Result(sessions=sessions, finished=len(done), clicks=[c for r in done for c in r.clicks],
                  first_pages=[r.first_page for r in done if r.first_page is not None] or [0.0],
                  cpu=(cpu_seconds(pids) - cpu_before) if pids else 0.0, wall=wall,
                  memory_mb=peak_memory_mb(pids) if pids else 0.0,
                  errors=[f"{type(r).__name__}: {r}" for r in results if not isinstance(r, Session)],
                  client_cpu=time.process_time() - client_before, runs=sum(r.runs for r in done),
                  cpu_split=[cpu_seconds([p]) - b for p, b in zip(pids, per_process_before, strict=True)])


def prepare_data_dir(root: Path = ROOT) -> dict:
    """A fresh data folder with the demo catalogue; returns the app's environment."""
    data = Path(tempfile.mkdtemp(prefix="steunwijzer-load-"))
    env = {**os.environ, "STEUNWIJZER_DATA_DIR": str(data)}
    env.pop("STEUNWIJZER_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "steunwijzer", "init-db", "--demo"], cwd=root, env=env, check=True,
                   capture_output=True)
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="1,10,30", help="comma-separated session counts, run one after the other")
    parser.add_argument("--replicas", type=int, default=0,
                        help="0: one streamlit process, no proxy; N ≥ 1: N processes behind nginx (deploy/replicas.py)")
    parser.add_argument("--url", help="use a running server instead of starting one")
    parser.add_argument("--pids", default="", help="with --url: the server's process ids, for CPU and memory")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for the app, e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=true (repeatable)")
    parser.add_argument("--app-dir", type=Path, default=ROOT,
                        help="run the app from this checkout (e.g. an older commit, for a side-by-side comparison)")
    parser.add_argument("--warmup", type=int, default=None,
                        help="journeys run first and not counted (default: 2 per replica, so each process has run the pages)")
    args = parser.parse_args()
    counts = [int(x) for x in args.sessions.split(",") if x]

    from deploy.replicas import ReplicaSet, start_streamlit, stop

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on the way out

    label = "external"
    procs: list = []
    replica_set = None
    if args.url:
        url, pids = args.url, [int(p) for p in args.pids.split(",") if p]
    else:
        env = prepare_data_dir(args.app_dir)
        env.update(item.split("=", 1) for item in args.env)
        if args.replicas == 0:
            proc, url = start_streamlit(env, root=args.app_dir)
            procs, pids, label = [proc], [proc.pid], "1 process"
        else:
            replica_set = ReplicaSet(args.replicas, env=env, root=args.app_dir).start()
            url, pids, label = replica_set.url, replica_set.app_pids, f"{args.replicas} behind nginx"
    failed = False
    try:
        warmup = args.warmup if args.warmup is not None else 2 * max(1, args.replicas)
        if warmup:
            asyncio.run(run_load(url, warmup, [], prefix="Warm-up"))
        print(HEADER)
        for n in counts:
            result = asyncio.run(run_load(url, n, pids))
            for error in result.errors[:3]:
                print(f"  error: {error}", file=sys.stderr)
            print(result.row(label), flush=True)
            print(f"  ({result.sessions} sessions: {result.notes()})", file=sys.stderr, flush=True)
            failed |= result.finished != n
    finally:
        if replica_set is not None:
            replica_set.stop()
        for proc in procs:
            stop(proc)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
