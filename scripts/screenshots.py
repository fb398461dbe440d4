"""Screenshots of every page in Dutch and Arabic, for looking at what we built.

Usage: .venv/bin/python scripts/screenshots.py [OUT_DIR]   (default: test-artifacts/pages)
Starts the app on demo data in a temporary folder, logs in as an administrator for the officer
pages, and writes one PNG per page and language."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PORT = 8765


def wait(page) -> None:
    """Until the script has run and nothing is still drawn as a placeholder."""
    page.wait_for_selector("[data-testid=stMainBlockContainer] [data-testid=stElementContainer]", timeout=120_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                           " && !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=120_000)
    page.wait_for_timeout(1500)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "test-artifacts" / "pages")
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "STEUNWIJZER_DATA_DIR": tempfile.mkdtemp(prefix="steunwijzer-shots-")}
    py = [sys.executable, "-m", "steunwijzer"]
    subprocess.run([*py, "init-db", "--demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*py, "officer", "add", "admin", "--admin", "--password-stdin"], input="screenshot password\n",
                   env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(PORT),
                               "--server.headless", "true"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://localhost:{PORT}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            for lang in ("nl", "ar"):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.set_default_timeout(60_000)
                for path, name in (("", "home"), ("find_funding", "find_funding"), ("application", "application_start"),
                                   ("report", "report_start")):
                    page.goto(f"{url}/{path}?lang={lang}")
                    wait(page)
                    page.screenshot(path=str(out / f"{name}-{lang}.png"), full_page=True)
                # a draft application, opened with its code
                page.goto(f"{url}/application?lang={lang}")
                wait(page)
                page.locator("[data-testid=stMain] input[type=text]").first.fill("DEMA-0000-0003")
                page.locator("[data-testid=stBaseButton-primaryFormSubmit]").first.click()
                wait(page)
                page.screenshot(path=str(out / f"application_question-{lang}.png"), full_page=True)
                page.goto(f"{url}/officer_queue?lang={lang}")
                wait(page)
                page.screenshot(path=str(out / f"officer_login-{lang}.png"), full_page=True)
                page.locator("[data-testid=stMain] input[type=text]").first.fill("admin")
                page.locator("input[type=password]").first.fill("screenshot password")
                page.locator("[data-testid=stBaseButton-primaryFormSubmit]").first.click()
                wait(page)
                page.screenshot(path=str(out / f"officer_queue-{lang}.png"), full_page=True)
                for path in ("officer_review", "officer_catalogue", "officer_admin"):
                    # follow the menu: a new page load would be a new session, logged out
                    page.locator(f"[data-testid=stSidebar] a[href*='{path}']").first.click()
                    wait(page)
                    page.screenshot(path=str(out / f"{path}-{lang}.png"), full_page=True)
                page.close()
            browser.close()
    finally:
        server.terminate()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
