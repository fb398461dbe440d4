"""End-to-end: a real Streamlit server and Debian's Chromium driven by Playwright.

Screenshots of every step go to test-artifacts/ (look at them)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import wave
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OFFICER = ("e2e-officer", "e2e officer password")
OFFICER_ADMIN = ("e2e-admin", "e2e admin password")




def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_data(data: Path) -> dict:
    """A data folder with demo data and one officer; returns the environment for the app."""
    # translation is off by default; on here so the officer's "English translation" is tested
    env = {**os.environ, "STEUNWIJZER_DATA_DIR": str(data), "STEUNWIJZER_SPEECH_TRANSLATION": "true"}
    env.pop("STEUNWIJZER_DATABASE_URL", None)
    run = lambda *a, **k: subprocess.run([sys.executable, "-m", "steunwijzer", *a], env=env, cwd=ROOT, check=True,  # noqa: E731
                                         capture_output=True, text=True, **k)
    run("init-db", "--demo")
    run("officer", "add", OFFICER[0], "--password-stdin", input=OFFICER[1] + "\n")
    run("officer", "add", OFFICER_ADMIN[0], "--admin", "--password-stdin", input=OFFICER_ADMIN[1] + "\n")
    return env


def start_server(env: dict, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run app.py` and wait until it answers."""
    port = port or _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    pytest.fail("streamlit did not start")


@pytest.fixture(scope="session")
def server():
    """The app as a user gets it: demo data, one officer, its own data folder."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (scripts/test.sh installs it)")
    data = Path(tempfile.mkdtemp(prefix="steunwijzer-e2e-"))
    env = prepare_data(data)
    proc, url = start_server(env)
    yield {"url": url, "env": env, "data": data}
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def fake_voice_wav(tmp_path_factory) -> Path:
    """The Dutch test clip as a WAV for Chromium's fake microphone."""
    from steunwijzer.speech.audio import decode_audio

    audio = decode_audio((ROOT / "tests" / "audio" / "nl_buurthuis.ogg").read_bytes(), "nl.ogg")
    pcm = (np.clip(audio.samples, -1, 1) * 32767).astype("<i2")
    silence = np.zeros(8000, dtype="<i2")
    path = tmp_path_factory.mktemp("voice") / "voice.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(np.concatenate([silence, pcm, silence]).tobytes())
    return path


@pytest.fixture(scope="session")
def browser(fake_voice_wav):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            *CHROMIUM_FLAGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={fake_voice_wav}"])
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="nl-NL",
                                  permissions=["microphone"])
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def wait_idle(page) -> None:
    """Wait until Streamlit has finished running the script and no element is still shown faded
    as stale from the run before."""
    page.wait_for_selector("[data-testid=stMainBlockContainer] [data-testid=stElementContainer]", timeout=180_000)
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                           " && !document.querySelector('[data-stale=\"true\"]')", timeout=180_000)


def record_with_fake_microphone(page, heard_text: str) -> None:
    """Press record, let Chromium's fake microphone play the Dutch clip, stop, and wait until
    the transcript is there (`heard_text`: the start of the 'We heard' caption)."""
    recorder = page.get_by_test_id("stAudioInput")
    recorder.get_by_role("button", name=re.compile("record", re.I)).click()
    page.wait_for_timeout(9000)  # the clip is about 8 s
    recorder.get_by_role("button", name=re.compile("stop", re.I)).click()
    page.get_by_text(heard_text).first.wait_for(timeout=180_000)
    wait_idle(page)


# Streamlit's own English texts that must not be seen; what stays English is listed in the README.
STREAMLIT_ENGLISH = ("Press Enter", "Drag and drop", "per file", "An error has occurred", "Browse files")


def english_left(page, lang: str) -> list[str]:
    """Our English message ids and Streamlit's English hints that a page in `lang` still shows."""
    from babel.messages.pofile import read_po

    from steunwijzer.i18n import gettext_for

    _ = gettext_for(lang)
    with open(ROOT / "locales" / "messages.pot", "rb") as fh:
        msgids = [m.id for m in read_po(fh) if isinstance(m.id, str) and len(m.id) >= 15 and "{" not in m.id]
    visible = page.locator("body").inner_text()
    ours = [m for m in msgids if _(m) != m and m in visible]
    return ours + [s for s in STREAMLIT_ENGLISH if s in visible]


def search_queue(page, text: str, view_all: bool = True, lang: str = "nl") -> None:
    """In the officers' inbox: show all applications (not only what needs action) and search."""
    from steunwijzer.i18n import gettext_for

    nl = gettext_for(lang)
    page.locator("[data-testid=stSidebar] a[href*='officer_queue']").first.click()
    wait_idle(page)
    if view_all and not page.get_by_test_id("stBaseButton-segmented_controlActive").filter(
            has_text=nl("All applications")).count():
        page.get_by_test_id("stButtonGroup").get_by_text(nl("All applications"), exact=True).click()
        wait_idle(page)
    page.get_by_label(nl("Search: number, group or contact")).fill(text)
    page.get_by_label(nl("Search: number, group or contact")).press("Enter")
    wait_idle(page)


def open_in_queue(page, text: str, lang: str = "nl") -> None:
    """Search a group (or #number); "Open" opens the only row found."""
    from steunwijzer.i18n import gettext_for

    search_queue(page, text, lang=lang)
    page.get_by_role("button", name=gettext_for(lang).pgettext("button: open an application", "Open"), exact=True).click()
    wait_idle(page)


def select_queue_row(page, row: int) -> None:
    """Tick a row of the inbox table (st.dataframe draws on a canvas: click its row marker)."""
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 * (row + 1) + 17)
    wait_idle(page)
