"""Settings from STEUNWIJZER_* environment variables and an optional .env file."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCALES = ("nl", "en", "ar", "tr", "pl", "uk")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STEUNWIJZER_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Folder for the SQLite file, cached model files and other state.")
    database_url: str | None = Field(None, description="SQLAlchemy URL; overrides the SQLite file (e.g. postgresql+psycopg://user:pw@host/db).")
    locale: Literal[LOCALES] = Field("nl", description="Default UI language when the browser gives none we support.")  # type: ignore[valid-type]
    municipality: str = Field("Gemeente Voorbeeld", description="The municipality's name, shown in the app and in letters.")
    secret_key: str | None = Field(None, description="Key for hashing resume codes; generated into the data folder when unset.")
    contact_phone: str | None = Field(None, description="The phone number groups can call; printed in decision letters.")
    contact_email: str | None = Field(None, description="The e-mail address groups can write to; printed in decision letters.")
    objection_address: str | None = Field(None, description="Where objections (bezwaar) go, postal or e-mail; default: the contact e-mail.")
    speech_engine: Literal["faster-whisper", "openai-whisper"] = Field("faster-whisper", description="Speech engine.")
    speech_model: str = Field("bundled-base", description="'bundled-base' (the packaged Whisper base model), a CTranslate2 model folder, or a model name (needs internet).")
    model_cache: Path | None = Field(None, description="Where the prepared speech model is kept (default: <data_dir>/models).")
    speech_translation: bool = Field(False, description="Offer a machine translation of spoken answers (only sensible with a larger model).")
    max_audio_minutes: float = Field(10.0, gt=0, description="Longest recording accepted for one answer.")
    max_pitch_minutes: float = Field(5.0, gt=0, description="Longest recording accepted for the spoken pitch.")
    max_upload_mb: int = Field(25, gt=0, description="Largest uploaded voice note or photo (scripts/start.sh passes it to Streamlit as server.maxUploadSize).")
    max_audio_mb_per_application: int = Field(100, gt=0, description="Most recorded and uploaded audio one application may store, in MB.")
    max_decode_seconds: float = Field(30.0, gt=0, description="Longest time (on one core) spent reading one audio file before it is refused.")
    queue_url: str | None = Field(None, description="Task queue for transcriptions: unset for a SQLite file in the data folder (no extra service), or redis://host:6379/0 for workers on several machines.")
    speech_threads: int = Field(0, ge=0, description="CPU threads per speech model; 0: the engine's default (4 for faster-whisper). With several workers on one machine: cores divided by workers.")
    embedded_worker: bool = Field(True, description="Run one transcription worker inside each app process; set false when separate `python -m steunwijzer worker` processes do the work.")
    report_due_days: int = Field(183, ge=1, description="Days after a grant before the report is due.")
    retention_days: int = Field(365, ge=1, description="Days after an application is closed before audio and personal data are purged.")
    draft_retention_days: int = Field(90, ge=1, description="Days a draft may stay untouched before it is deleted with its recordings.")
    smtp_url: SecretStr | None = Field(None, description="Mail server: smtp://user:pw@host:587 (STARTTLS) or smtps://user:pw@host:465 (TLS). Unset: mails wait in the outbox.")
    mail_from: str = Field("Steunwijzer <noreply@localhost>", description="Sender of every mail (From header).")
    base_url: str = Field("http://localhost:8501", description="The app's public address, for links in mails.")
    replicas: int = Field(1, ge=1, description="App processes scripts/start.sh runs behind nginx on one port (sticky sessions, one database).")
    officer_session_minutes: int = Field(30, ge=1, description="An officer is logged out after this many idle minutes.")
    officer_session_max_hours: float = Field(8, gt=0, description="An officer is logged out this many hours after logging in, active or not.")
    answer_within_days: int = Field(28, ge=1, description="Days after sending by which the group was promised an answer (shown in the queue, red when passed).")
    four_eyes_from_eur: Decimal = Field(Decimal("5000"), ge=0, description="A grant above this amount (or above the fund's maximum) waits for a second officer's approval.")
    timezone: str = Field("Europe/Amsterdam", description="The municipality's time zone: officers see every time in it.")

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'steunwijzer.sqlite').resolve()}"

    def ensure_data_dir(self) -> Path:
        return private_dir(self.data_dir)

    def resolved_secret_key(self) -> bytes:
        """The configured key, or one generated once and kept in the data folder."""
        if self.secret_key:
            return self.secret_key.encode()
        path = self.ensure_data_dir() / "secret.key"
        if not path.exists():
            try:
                create_private_file(path, secrets.token_hex(32).encode())
            except FileExistsError:
                pass  # another process wrote it a moment ago: use theirs
        elif path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)  # an older install wrote it readable for everyone
        return path.read_text().strip().encode()


# ---- private files ------------------------------------------------------------------------
# The data folder holds personal data (the database and its WAL), the key that hashes resume
# codes, and the model cache. It is 0700 and every file in it 0600, *created* with those modes
# (never created open and tightened afterwards, which leaves a moment in which others can open it).

def private_dir(path: Path) -> Path:
    """Make `path` (and missing parents) a folder only this user can enter; tighten an existing one."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o700)  # an older install made it 0755
    return path


def create_private_file(path: Path, data: bytes = b"") -> None:
    """Create `path` as 0600 (O_EXCL: raises FileExistsError when it exists)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def private_file(path: Path) -> Path:
    """Make sure `path` exists and is 0600 before a library (SQLite) opens it: SQLite creates
    its -wal and -shm files with the mode of the database file."""
    private_dir(path.parent)
    try:
        create_private_file(path)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
    return path


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
