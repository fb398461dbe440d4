"""Local speech-to-text for spoken answers: decode a recording, wait for a turn on the shared
Whisper model, transcribe. No audio leaves the server and nothing is downloaded at run time.

    audio.py           bytes -> 16 kHz mono samples (wave for the browser's WAV, PyAV for the rest)
    vad.py             where the speech is (Silero VAD shipped inside faster-whisper)
    model.py           the bundled model: join, verify, cache; openai-whisper checkpoint
    ct2_checkpoint.py  CTranslate2 model.bin -> openai-whisper state dict
    engines.py         faster-whisper and openai-whisper behind one `transcribe`
    service.py         one model per process, one job at a time, `transcribe_bytes` for the UI
    cli.py             python -m steunwijzer transcribe AUDIO
"""

from steunwijzer.speech.audio import DecodedAudio, decode_audio, is_silent
from steunwijzer.speech.engines import Segment, Transcript
from steunwijzer.speech.service import TranscriptionQueue, transcribe_bytes

__all__ = ["DecodedAudio", "Segment", "Transcript", "TranscriptionQueue", "decode_audio", "is_silent", "transcribe_bytes"]
