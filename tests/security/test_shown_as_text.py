"""Issue 12 item 1 (text): a group name, answer or message with Markdown links, images, raw URLs
or HTML is shown to the officer as exactly those characters, in a real browser: no link, no image
fetched, no element from the group's text."""

from __future__ import annotations

import pytest

from steunwijzer import applications, review
from steunwijzer.config import Settings
from steunwijzer.i18n import gettext_for
from steunwijzer.models import Officer
from steunwijzer.store import open_database
from tests.browser import OFFICER, open_in_queue, shot, wait_idle
from tests.factories import send

pytestmark = pytest.mark.e2e
nl = gettext_for("nl")
HOSTILE_NAME = "[Listen](/media/x.html) ![pixel](http://127.0.0.1:9/pixel.png) www.evil.example"
HOSTILE_TEXT = "<img src=x onerror=alert(1)> **bold** https://evil.example/login mail@evil.example"


def test_group_text_reaches_the_officer_as_text(browser, server):
    db = open_database(Settings(data_dir=server["data"]))
    with db.session() as s:
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", Settings(data_dir=server["data"]).resolved_secret_key())
        applications.save_answer(s, app.id, "group_name", HOSTILE_NAME)
        applications.save_answer(s, app.id, "plan", HOSTILE_TEXT)
        send(s, app.id)
        review.ask_group(s, Officer(username=OFFICER[0], is_admin=True), app.id, None, HOSTILE_TEXT)
    db.dispose()

    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server["url"] + "/officer_queue")
    wait_idle(page)
    page.get_by_label(nl("Username"), exact=True).fill(OFFICER[0])
    page.get_by_label(nl("Password"), exact=True).fill(OFFICER[1])
    page.get_by_role("button", name=nl("Log in"), exact=True).click()
    wait_idle(page)
    open_in_queue(page, f"#{app.id}")
    for tab in (nl("Answers"), nl("Conversation")):
        page.get_by_role("tab", name=tab).click()
        wait_idle(page)
    shot(page, "security-hostile-text")

    main = page.locator("[data-testid=stMain]")
    shown = main.locator("h1").first.inner_text().replace("\u2060", "")
    assert shown.endswith(HOSTILE_NAME), shown  # the title shows the characters
    assert "https:\u2060//evil.example/login" in main.inner_text()
    links = [a.get_attribute("href") or "" for a in main.locator("a").all() if not (a.get_attribute("href") or "").startswith("#")]
    assert not [h for h in links if "media" in h or "evil" in h or "mail" in h], links
    images = [i.get_attribute("src") or "" for i in main.locator("img").all()]
    assert not [s for s in images if "pixel" in s or s == "x"], images
    assert main.locator("strong", has_text="bold").count() == 0
    assert not [u for u in requested if "pixel.png" in u or "evil" in u]
    context.close()
