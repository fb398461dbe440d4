#!/usr/bin/env bash
# Rebuild the test clips listed in clips.yaml. Needs Debian's espeak-ng and MBROLA voices
# (non-free/contrib: add "contrib non-free" to the apt Components first), the real
# recordings from asterisk-core-sounds-en-wav, and the project's venv (PyAV encodes the Opus).
#   apt-get install espeak-ng mbrola mbrola-nl2 mbrola-us1 mbrola-pl1 mbrola-tr1 mbrola-ar1 asterisk-core-sounds-en-wav
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-$here/../../.venv/bin/python}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$python" - "$here" "$work" <<'PY'
import subprocess, sys, wave
from pathlib import Path

import av
import yaml

here, work = Path(sys.argv[1]), Path(sys.argv[2])


def to_opus(source: Path, target: Path) -> None:
    """Ogg Opus, mono, 48 kHz, 24 kbit/s: what WhatsApp sends."""
    with av.open(str(source)) as inp, av.open(str(target), "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=48000, layout="mono")
        stream.bit_rate = 24000
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
        frames = [f for frame in inp.decode(audio=0) for f in resampler.resample(frame)]
        frames += resampler.resample(None)
        for frame in frames:
            frame.pts = None
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


for clip in yaml.safe_load((here / "clips.yaml").read_text()):
    source = clip["source"]
    if "recording" in source:
        wav = Path(source["recording"])
    else:
        wav = work / (clip["file"] + ".wav")
        subprocess.run(["espeak-ng", "-v", source["voice"], "-s", str(source["speed"]), "-w", str(wav), clip["text"]],
                       check=True, stderr=subprocess.DEVNULL)
    to_opus(wav, here / clip["file"])
    with wave.open(str(wav)) as w:
        print(f"{clip['file']}: {w.getnframes() / w.getframerate():.1f} s, {(here / clip['file']).stat().st_size} bytes")
PY
