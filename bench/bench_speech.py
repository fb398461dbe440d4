"""Speech benchmark: each engine on each committed clip, on the bundled base model.

    .venv/bin/python bench/bench_speech.py

Per engine (each in its own process, so peak memory is that engine's alone): model load time,
peak RSS, and per clip the real-time factor (processing time / audio length; below 1 is faster
than real time) and the word error rate against the text the clip was made from. Then five
transcriptions submitted at once from threads, to show they share one model and queue up.

Then transcription jobs as the app runs them (`--jobs-only` for just this part):
- end to end: a 60-second answer sent as the browser recorder sends it (16 kHz WAV) through the
  answer page (AppTest) with the worker inside the app process, until its text is in the answer
  field, the page polling every second as its fragment does;
- throughput: ten 8-second voice notes on one queue with 1 and with 2 `python -m steunwijzer
  worker` processes;
- the queue itself: Huey on SQLite (the default) and on Redis (when Debian's redis-server is
  installed): time to queue a job and from queueing to a worker starting it.
Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.audio.clips import load_clips, words  # noqa: E402

ENGINES = ("faster-whisper", "openai-whisper")


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, by edit distance over words."""
    ref, hyp = words(reference), words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i]
        for j, h in enumerate(hyp, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(len(ref), 1)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def measure_engine(engine_name: str, repeat: int) -> dict:
    """Runs in a child process: load once, then each clip with its language as the hint and
    without one (detection included), `repeat` times each; times are medians, since other work
    on the machine makes single runs noisy."""
    from steunwijzer.speech import service
    from steunwijzer.speech.audio import decode_audio
    from steunwijzer.speech.model import bundled_model_folder, openai_checkpoint

    if engine_name == "openai-whisper":
        openai_checkpoint(bundled_model_folder())  # converted once per installation: not load time
    started = time.perf_counter()
    engine = service.get_engine(engine_name, "bundled-base")
    load_s = time.perf_counter() - started
    engine.transcribe(decode_audio(load_clips()[0].read()), "nl")  # warm-up
    rows = []
    for clip in load_clips():
        audio = decode_audio(clip.read(), clip.file)
        hinted = [engine.transcribe(audio, clip.language) for _ in range(repeat)]
        detected = [engine.transcribe(audio, None) for _ in range(repeat)]
        rows.append({
            "clip": clip.file, "language": clip.language, "seconds": audio.duration_s,
            "rtf": median(t.processing_s for t in hinted) / audio.duration_s,
            "rtf_detect": median(t.processing_s for t in detected) / audio.duration_s,
            "wer": word_error_rate(clip.text, hinted[0].text), "detected": detected[0].language, "text": hinted[0].text,
        })
    return {"engine": engine_name, "load_s": load_s, "rows": rows, "concurrent": measure_concurrency(engine_name),
            "peak_rss_mb": peak_rss_mb()}


def measure_concurrency(engine_name: str, callers: int = 5) -> dict:
    from steunwijzer.config import get_settings
    from steunwijzer.speech import service

    clip = next(c for c in load_clips() if c.file == "en_voicemail.ogg")
    settings = get_settings().model_copy(update={"speech_engine": engine_name, "speech_model": "bundled-base"})
    first_positions: list[int] = []
    texts: list[str] = []

    def caller() -> None:
        seen: list[int] = []
        texts.append(service.transcribe_bytes(clip.read(), clip.file, "en", settings, on_queue_position=seen.append).text)
        first_positions.append(seen[0])

    started = time.perf_counter()
    threads = [threading.Thread(target=caller) for _ in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "callers": callers, "wall_s": time.perf_counter() - started, "same_text": len(set(texts)) == 1,
        "max_position": max(first_positions), "models_loaded": service.loaded_engines().count((engine_name, "bundled-base")),
    }


def run_child(engine_name: str, repeat: int) -> dict:
    command = [sys.executable, __file__, "--child", engine_name, "--repeat", str(repeat)]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(result.stdout.splitlines()[-1])


def print_tables(results: list[dict]) -> None:
    print("| engine | clip | audio s | RTF (hint) | RTF (detect) | detected | WER |")
    print("|---|---|---:|---:|---:|---|---:|")
    for r in results:
        for row in r["rows"]:
            print(f"| {r['engine']} | {row['clip']} | {row['seconds']:.1f} | {row['rtf']:.2f} | {row['rtf_detect']:.2f} "
                  f"| {row['detected']} | {row['wer']:.0%} |")
    print()
    print("| engine | load s | peak RSS MB | mean RTF (hint) | mean WER en (real speech) | 5 at once: wall s | models loaded | same text | last in line |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in results:
        rows, c = r["rows"], r["concurrent"]
        real = [row["wer"] for row in rows if row["clip"] in ("en_voicemail.ogg", "en_conference.ogg")]
        print(f"| {r['engine']} | {r['load_s']:.1f} | {r['peak_rss_mb']:.0f} | {sum(x['rtf'] for x in rows) / len(rows):.2f} "
              f"| {sum(real) / len(real):.0%} | {c['wall_s']:.1f} | {c['models_loaded']} | {c['same_text']} | {c['max_position']} |")


# ---- transcription jobs ------------------------------------------------------------------------

def sixty_second_wav() -> bytes:
    """About 60 s of English speech (two real voices and one synthetic, cycled, 0.8 s apart) as
    the 16 kHz mono WAV st.audio_input sends."""
    import io
    import wave

    import numpy as np

    from steunwijzer.speech.audio import decode_audio

    clips = [c for c in load_clips() if c.file in ("en_voicemail.ogg", "en_gardens.ogg", "en_conference.ogg")]
    parts, total = [], 0
    while total < 60 * 16000:
        for clip in clips:
            samples = decode_audio(clip.read(), clip.file).samples
            parts += [samples, np.zeros(12800, np.float32)]
            total += samples.size + 12800
    pcm = (np.clip(np.concatenate(parts)[:60 * 16000], -1, 1) * 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


def measure_end_to_end(repeat: int) -> dict:
    """Runs in a child process with its own data folder: the answer page in AppTest, the
    worker inside this process (the default set-up), the page rerun every POLL_SECONDS."""
    from streamlit.testing.v1 import AppTest

    from steunwijzer import funds
    from steunwijzer.config import get_settings
    from steunwijzer.i18n import gettext_for
    from steunwijzer.store import open_database
    from ui.voice import POLL_SECONDS

    db = open_database(get_settings())
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
    nl = gettext_for("nl")
    wav = sixty_second_wav()
    times, ready_times, cpu_times = [], [], []
    for run in range(repeat + 1):  # the first run loads the model: not counted
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.session_state["locale"] = "nl"
        at.switch_page("pages/2_application.py")
        at.run()
        at.radio[0].set_value("questions")
        [b for b in at.button if b.label == nl("Start")][0].click().run()
        [c for c in at.checkbox if c.label == nl("I have written down my code")][0].check().run()
        app_id = at.session_state["application_id"]
        at.session_state["step"] = 2  # plan (group_name, who_you_are, plan)
        at.run()
        key = f"ans_{app_id}_plan"
        at.selectbox(key=key + "_lang").set_value("en").run()
        uploader = [u for u in at.file_uploader if u.key == key + "_upload"][0]
        started = time.perf_counter()
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        uploader.upload("recording.wav", wav, "audio/wav").run()
        while not (at.text_area(key=key).value or "").strip():
            time.sleep(POLL_SECONDS)
            at.run()
        elapsed = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        from steunwijzer.store import TranscriptionJobRow
        with db.session() as s:
            job = s.query(TranscriptionJobRow).filter_by(application_id=app_id).one()
            ready = (job.finished_at - job.created_at).total_seconds()
        if run:
            times.append(elapsed)
            ready_times.append(ready)
            cpu_times.append(cpu)
    return {"audio_s": 60.0, "sent_to_field_s": median(times), "sent_to_ready_s": median(ready_times),
            "cpu_s": median(cpu_times),
            "runs": repeat, "words": len((at.text_area(key=key).value or "").split())}


def measure_throughput(workers: int, jobs_count: int = 10, threads: int = 0) -> dict:
    """`workers` worker processes on one SQLite queue; ten voice notes queued at once; wall time
    from queueing the first to the last being ready (models loaded beforehand)."""
    import os
    import tempfile

    from steunwijzer import applications, funds, jobs
    from steunwijzer.config import Settings
    from steunwijzer.store import Database, TranscriptionJobRow

    data = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    settings = Settings(data_dir=data, secret_key="bench")
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", b"bench")
    env = {**os.environ, "STEUNWIJZER_DATA_DIR": str(data), "STEUNWIJZER_SECRET_KEY": "bench",
           "STEUNWIJZER_SPEECH_THREADS": str(threads)}
    env.pop("STEUNWIJZER_DATABASE_URL", None)
    logs = [data / f"worker-{i}.log" for i in range(workers)]
    procs = [subprocess.Popen([sys.executable, "-m", "steunwijzer", "worker"], cwd=ROOT, env=env,
                              stdout=log.open("wb"), stderr=subprocess.STDOUT) for log in logs]
    try:
        while not all("Speech model loaded" in log.read_text() for log in logs):
            time.sleep(0.2)
        clip = next(c for c in load_clips() if c.file == "nl_buurthuis.ogg")
        data_bytes = clip.read()
        started = time.perf_counter()
        ids = [jobs.submit_recording(db, settings, app.id, data_bytes, clip.file, "application", f"q{i}", "nl", 600)
               for i in range(jobs_count)]
        while True:
            with db.session() as s:
                states = [s.get(TranscriptionJobRow, i).state for i in ids]
            if all(state in (jobs.READY, jobs.FAILED) for state in states):
                break
            time.sleep(0.1)
        wall = time.perf_counter() - started
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=30)
    from steunwijzer.speech.audio import decode_audio

    seconds = decode_audio(data_bytes).duration_s * jobs_count
    return {"workers": workers, "threads": threads or "default (4)", "jobs": jobs_count, "wall_s": wall, "jobs_per_min": jobs_count / wall * 60,
            "audio_s_per_s": seconds / wall, "ready": states.count(jobs.READY)}


def measure_queue(location: str, n: int = 200) -> dict:
    """Huey alone (no model): cost of queueing a job, and delay from queueing to a worker
    starting it, with the consumer settings the app uses."""
    import threading as th

    from huey import RedisHuey, SqliteHuey
    from huey.consumer import Consumer

    if location.startswith("redis"):
        huey = RedisHuey("bench", url=location, results=False)
    else:
        huey = SqliteHuey("bench", filename=location, results=False)
    started_at: dict[int, float] = {}
    done = th.Event()

    @huey.task()
    def ping(i: int, queued: float) -> None:
        started_at[i] = time.perf_counter() - queued
        if len(started_at) == n:
            done.set()

    class Quiet(Consumer):
        def _set_signal_handlers(self) -> None:
            pass

    consumer = Quiet(huey, workers=1, periodic=False, worker_type="thread", max_delay=1.0, check_worker_health=False)
    consumer.start()
    enqueue = []
    for i in range(n):
        t = time.perf_counter()
        ping(i, t)
        enqueue.append(time.perf_counter() - t)
        time.sleep(0.005)
    done.wait(120)
    consumer.stop(graceful=True)
    delays = sorted(started_at.values())
    return {"queue": "Redis" if location.startswith("redis") else "SQLite", "enqueue_ms": median(enqueue) * 1000,
            "pickup_ms": median(delays) * 1000, "pickup_p95_ms": delays[int(len(delays) * 0.95) - 1] * 1000}


def measure_jobs(repeat: int) -> dict:
    import shutil
    import socket
    import tempfile

    import os

    # the joined model is shared with the tests' cache instead of joined again per data folder
    os.environ.setdefault("STEUNWIJZER_MODEL_CACHE", str(Path(tempfile.gettempdir()) / "steunwijzer-model-cache"))
    env = {**os.environ, "STEUNWIJZER_DATA_DIR": tempfile.mkdtemp(prefix="bench-e2e-"), "STEUNWIJZER_SECRET_KEY": "bench"}
    env.pop("STEUNWIJZER_DATABASE_URL", None)
    result = {"end_to_end": json.loads(subprocess.run(
        [sys.executable, __file__, "--child-end-to-end", "--repeat", str(repeat)], capture_output=True, text=True,
        check=True, cwd=ROOT, env=env).stdout.splitlines()[-1])}
    cores = os.cpu_count() or 2
    result["throughput"] = [measure_throughput(1), measure_throughput(2), measure_throughput(2, threads=max(1, cores // 2))]
    queues = [measure_queue(str(Path(tempfile.mkdtemp()) / "queue.sqlite"))]
    server = shutil.which("redis-server")
    if server:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                                stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        try:
            queues.append(measure_queue(f"redis://127.0.0.1:{port}/0"))
        finally:
            proc.terminate()
    result["queues"] = queues
    return result


def print_job_tables(r: dict) -> None:
    import os

    print(f"(load average of the machine after the run, 1/5/15 min: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} cores)")
    print()
    e = r["end_to_end"]
    print("| 60-second answer, 1 worker in the app process | sent → job ready | sent → text in the field (page polls every 1 s) | CPU used by the app process |")
    print("|---|---:|---:|---:|")
    print(f"| median of {e['runs']} | {e['sent_to_ready_s']:.1f} s | {e['sent_to_field_s']:.1f} s | {e['cpu_s']:.1f} s |")
    print()
    print("| worker processes | threads each | 10 voice notes of 7.7 s: wall s | jobs per minute | audio seconds per second | ready |")
    print("|---:|---|---:|---:|---:|---:|")
    for t in r["throughput"]:
        print(f"| {t['workers']} | {t['threads']} | {t['wall_s']:.1f} | {t['jobs_per_min']:.1f} | {t['audio_s_per_s']:.1f} | {t['ready']}/{t['jobs']} |")
    print()
    print("| Huey storage | queue a job (median) | queued → started (median / p95) |")
    print("|---|---:|---:|")
    for q in r["queues"]:
        print(f"| {q['queue']} | {q['enqueue_ms']:.2f} ms | {q['pickup_ms']:.0f} / {q['pickup_p95_ms']:.0f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=ENGINES, action="append", help="Only this engine (repeatable).")
    parser.add_argument("--child-end-to-end", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--jobs-only", action="store_true", help="Only the transcription-job figures.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per clip; the median time is shown (default 3).")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_engine(args.child, args.repeat), ensure_ascii=False))
        return
    if args.child_end_to_end:
        print(json.dumps(measure_end_to_end(args.repeat)))
        return
    if not args.jobs_only:
        print_tables([run_child(name, args.repeat) for name in args.engine or ENGINES])
        print()
    print_job_tables(measure_jobs(args.repeat))


if __name__ == "__main__":
    main()
