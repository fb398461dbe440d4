"""Settings from STEUNWIJZER_* environment variables and an optional .env file."""

from __future__ import annotations

import secrets
from functools import lru_cache
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCALES = ("nl", "en", "ar", "tr", "pl", "uk")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STEUNWIJZER_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Folder for the SQLite file, cached model files and other state.")
    database_url: str | None = Field(None, description="SQLAlchemy URL; overrides the SQLite file (e.g. postgresql+psycopg://user:pw@host/db).")
    locale: Literal[LOCALES] = Field("nl", description="Default UI language when the browser gives none we support.")  # type: ignore[valid-type]
    municipality: str = Field("Gemeente Voorbeeld", description="The municipality's name, shown in the app and in letters.")
    secret_key: str | None = Field(None, description="Key for hashing resume codes; generated into the data folder when unset.")
    speech_engine: Literal["faster-whisper", "openai-whisper"] = Field("faster-whisper", description="Speech engine.")
    speech_model: str = Field("bundled-base", description="'bundled-base' (the packaged Whisper base model), a CTranslate2 model folder, or a model name (needs internet).")
    model_cache: Path | None = Field(None, description="Where the prepared speech model is kept (default: <data_dir>/models).")
    speech_translation: bool = Field(False, description="Offer a machine translation of spoken answers (only sensible with a larger model).")
    max_audio_minutes: float = Field(10.0, gt=0, description="Longest recording accepted for one answer.")
    max_pitch_minutes: float = Field(5.0, gt=0, description="Longest recording accepted for the spoken pitch.")
    max_upload_mb: int = Field(25, gt=0, description="Largest uploaded voice note or photo.")
    report_due_days: int = Field(183, ge=1, description="Days after a grant before the report is due.")
    retention_days: int = Field(365, ge=1, description="Days after an application is closed before audio and personal data are purged.")
    draft_retention_days: int = Field(90, ge=1, description="Days a draft may stay untouched before it is deleted with its recordings.")
    officer_session_minutes: int = Field(60, ge=1, description="An officer is logged out after this many idle minutes.")
    answer_within_days: int = Field(28, ge=1, description="Days after sending by which the group was promised an answer (shown in the queue, red when passed).")
    four_eyes_from_eur: Decimal = Field(Decimal("5000"), ge=0, description="A grant above this amount (or above the fund's maximum) waits for a second officer's approval.")
    timezone: str = Field("Europe/Amsterdam", description="The municipality's time zone: officers see every time in it.")

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'steunwijzer.sqlite').resolve()}"

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir

    def resolved_secret_key(self) -> bytes:
        """The configured key, or one generated once and kept in the data folder."""
        if self.secret_key:
            return self.secret_key.encode()
        path = self.ensure_data_dir() / "secret.key"
        if not path.exists():
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip().encode()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
