"""Speech benchmark: each engine on each committed clip, on the bundled base model.

    .venv/bin/python bench/bench_speech.py

Per engine (each in its own process, so peak memory is that engine's alone): model load time,
peak RSS, and per clip the real-time factor (processing time / audio length; below 1 is faster
than real time) and the word error rate against the text the clip was made from. Then five
transcriptions submitted at once from threads, to show they share one model and queue up.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=ENGINES, action="append", help="Only this engine (repeatable).")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per clip; the median time is shown (default 3).")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_engine(args.child, args.repeat), ensure_ascii=False))
        return
    print_tables([run_child(name, args.repeat) for name in args.engine or ENGINES])


if __name__ == "__main__":
    main()
