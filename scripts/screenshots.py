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


def resume(page, url: str, lang: str, code: str, path: str = "application") -> None:
    # as in a new tab: this tab would otherwise open the application it had open before (sessionStorage)
    page.evaluate("() => { try { sessionStorage.clear(); } catch (e) {} }")
    page.goto(f"{url}/{path}?lang={lang}")
    wait(page)
    page.locator("[data-testid=stMain] input[type=text]").first.fill(code)
    page.locator("[data-testid=stBaseButton-primaryFormSubmit]").first.click()
    wait(page)


def snap(page, path: Path) -> None:
    """The whole page, not only what fits on the screen: Streamlit scrolls inside its main
    element, so a "full page" screenshot would stop at the screen's height. The screen is made
    as tall as the content for the picture, then set back."""
    size = page.viewport_size
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar]')]"
                           ".map(e => e.scrollHeight), window.innerHeight)")
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12_000)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def shoot(page, url: str, lang: str, file, report_id: int) -> None:
    """Every page a volunteer and an officer sees, in one language at one size."""
    for path, name in (("", "home"), ("find_funding", "find_funding"), ("application", "application_start"),
                       ("report", "report_start")):
        page.goto(f"{url}/{path}?lang={lang}")
        wait(page)
        snap(page, file(name))
    page.goto(f"{url}/find_funding?lang={lang}")                # the finder's results (one subject tapped)
    wait(page)
    page.locator("[data-testid=stForm] [data-testid=stButtonGroup] button").first.click()
    page.locator("[data-testid=stBaseButton-primaryFormSubmit]").first.click()
    wait(page)
    page.screenshot(path=str(file("find_funding_results_screen")))  # where the phone opens them
    snap(page, file("find_funding_results"))
    resume(page, url, lang, "DEMA-0000-0003")                    # a draft: one question on screen
    snap(page, file("application_question"))
    resume(page, url, lang, "DEMA-0000-0004")                    # granted: the decision and its letters
    snap(page, file("application_granted"))
    page.locator("a[href*='report']").last.click()               # the report it asks
    wait(page)
    snap(page, file("report_form"))
    page.goto(f"{url}/officer_queue?lang={lang}")
    wait(page)
    snap(page, file("officer_login"))
    for path in ("officer_queue", "officer_review", "officer_catalogue", "officer_admin"):
        # by its address, not through the menu (on a phone the menu is folded away): a new page
        # load is a new session, so log in on the page itself each time
        page.goto(f"{url}/{path}?lang={lang}")
        wait(page)
        log_in(page)
        if path == "officer_review":  # the demo application with a report to read (DEMA-0000-0005)
            page.locator("[data-testid=stNumberInput] input").first.fill(str(report_id))
            page.locator("[data-testid=stNumberInput] input").first.press("Enter")
            wait(page)
        snap(page, file(path))


def log_in(page) -> None:
    if not page.locator("input[type=password]").count():
        return
    page.locator("[data-testid=stMain] input[type=text]").first.fill("admin")
    page.locator("input[type=password]").first.fill("screenshot password")
    page.locator("[data-testid=stBaseButton-primaryFormSubmit]").first.click()
    wait(page)


def demo_id(code: str, data: Path) -> int:
    """The number of a demo application (the numbers do not follow the codes)."""
    sys.path.insert(0, str(ROOT))
    from steunwijzer import applications
    from steunwijzer.config import Settings
    from steunwijzer.store import open_database

    settings = Settings(data_dir=data)
    db = open_database(settings)
    with db.session() as s:
        number = applications.resume(s, code, "screenshots", settings.resolved_secret_key()).id
    db.dispose()
    return number


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "test-artifacts" / "pages")
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "STEUNWIJZER_DATA_DIR": tempfile.mkdtemp(prefix="steunwijzer-shots-")}
    py = [sys.executable, "-m", "steunwijzer"]
    subprocess.run([*py, "init-db", "--demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*py, "officer", "add", "admin", "--admin", "--password-stdin"], input="screenshot password\n",
                   env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    report_id = demo_id("DEMA-0000-0005", Path(env["STEUNWIJZER_DATA_DIR"]))
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
            for size, viewport, mobile in (("desktop", {"width": 1280, "height": 900}, False),
                                           ("phone", {"width": 390, "height": 844}, True)):
                for lang in ("nl", "ar"):
                    context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile)
                    page = context.new_page()
                    page.set_default_timeout(60_000)
                    shoot(page, url, lang, lambda name: out / f"{name}-{lang}-{size}.png", report_id)
                    context.close()
            browser.close()
    finally:
        server.terminate()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
