"""The security replays use the browser and the app server of the end-to-end tests."""

from tests.e2e.conftest import browser, fake_voice_wav, server  # noqa: F401
