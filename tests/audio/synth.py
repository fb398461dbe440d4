"""Audio made at test time, so the repository only holds a few small clips."""

from __future__ import annotations

import io

import av
import numpy as np


def encode(samples: np.ndarray, rate: int, layout: str, container: str, codec: str, options: dict | None = None) -> bytes:
    """Encode float samples (mono, at `rate`) the way a phone or browser would, with PyAV."""
    channels = 2 if layout == "stereo" else 1
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    interleaved = np.repeat(pcm, channels).reshape(1, -1)  # packed s16: L R L R …
    buf = io.BytesIO()
    with av.open(buf, "w", format=container, options=options or {}) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        frame = av.AudioFrame.from_ndarray(interleaved, format="s16", layout=layout)
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return buf.getvalue()


def two_hour_mp3() -> bytes:
    """A 7.2 MB two-hour MP3, made in milliseconds by repeating one encoded frame of silence."""
    mp3 = encode(np.zeros(3 * 8000, np.float32), 8000, "mono", "mp3", "libmp3lame")
    with av.open(io.BytesIO(mp3)) as container:
        frame = next(bytes(p) for i, p in enumerate(container.demux(audio=0)) if i == 5)
    return frame * int(2 * 3600 * 8000 / 576)  # 576 samples per MPEG-2.5 layer III frame
