from steunwijzer.config import Settings


def test_env_vars_configure(monkeypatch, tmp_path):
    monkeypatch.setenv("STEUNWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("STEUNWIJZER_LOCALE", "ar")
    monkeypatch.setenv("STEUNWIJZER_MAX_AUDIO_MINUTES", "3")
    s = Settings()
    assert s.locale == "ar" and s.max_audio_minutes == 3
    assert s.sqlalchemy_url == f"sqlite:///{tmp_path.resolve() / 'steunwijzer.sqlite'}"


def test_database_url_overrides(monkeypatch):
    monkeypatch.setenv("STEUNWIJZER_DATABASE_URL", "postgresql+psycopg://u:p@127.0.0.1/db")
    assert Settings().sqlalchemy_url.startswith("postgresql+psycopg://")


def test_generated_secret_is_kept(tmp_path):
    s = Settings(data_dir=tmp_path, secret_key=None)
    assert s.resolved_secret_key() == s.resolved_secret_key()
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
