"""Issue 13 in a real browser at 1440×900: two officers. One assigns the case to the other, who
writes a private note and asks the group a question; the group changes its application while
the question is open, and the thread survives into version 2; a grant above the four-eyes
amount waits until the second officer approves it. Screenshots in test-artifacts/cases-*.png."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from steunwijzer.i18n import gettext_for
from tests.browser import OFFICER, OFFICER_ADMIN, ROOT, open_in_queue, search_queue, select_queue_row, shot, wait_idle

pytestmark = pytest.mark.e2e
nl, ar = gettext_for("nl"), gettext_for("ar")
GROUP = "Buurtgroep Zonnepit"
MAKE_CASE = """
from steunwijzer import applications, store
from steunwijzer.config import get_settings
from tests.factories import send
settings = get_settings()
db = store.open_database(settings)
with db.session() as s:
    for n in range(16):  # a busy week: more than a screen of new applications
        other, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", settings.resolved_secret_key())
        applications.save_answer(s, other.id, "group_name", f"Buurtinitiatief {n}")
        send(s, other.id)
    app, code = applications.start(s, "initiatievenfonds-voorbeeld", "nl", settings.resolved_secret_key())
    applications.save_answer(s, app.id, "group_name", "%s")
    send(s, app.id)
print(app.id, code)
""" % GROUP


def click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    wait_idle(page)
    assert not page.get_by_test_id("stException").count(), page.get_by_test_id("stException").first.inner_text()


def login(browser, url: str, who: tuple[str, str], locale: str = "nl"):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{url}/officer_queue?lang={locale}")
    wait_idle(page)
    _ = gettext_for(locale)
    page.get_by_label(_("Username"), exact=True).fill(who[0])
    page.get_by_label(_("Password"), exact=True).fill(who[1])
    click(page, _("Log in"))
    return context, page


def test_two_officers_notes_four_eyes_and_a_changed_application_that_keeps_its_thread(browser, server):
    url = server["url"]
    made = subprocess.run([sys.executable, "-c", MAKE_CASE], env=server["env"], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    case_id, code = made.stdout.split()[-2:]

    # 1. Officer Anna (e2e-officer) sees the inbox at 1440×900 and assigns the case to her colleague
    anna_context, anna = login(browser, url, OFFICER)
    grid = anna.get_by_test_id("stDataFrame").first
    grid.wait_for()
    box = grid.bounding_box()
    assert box["height"] >= 16 * 35 and box["y"] + 16 * 35 <= 900, f"15 rows and the header fit 1440×900: {box}"
    shot(anna, "cases-1-inbox-nl")
    search_queue(anna, f"#{case_id}", view_all=False)
    select_queue_row(anna, 0)
    anna.get_by_text(nl.ngettext("{n} selected", "{n} selected", 1).format(n=1)).first.wait_for()
    anna.get_by_test_id("stMain").get_by_role("combobox").last.click()   # "Assign to"
    anna.get_by_role("option", name=OFFICER_ADMIN[0]).click()
    wait_idle(anna)
    click(anna, nl("Assign"))
    search_queue(anna, f"#{case_id}", view_all=False)

    # 2. Officer Bram (e2e-admin) finds it under "My cases", writes a private note, asks the group
    bram_context, bram = login(browser, url, OFFICER_ADMIN)
    bram.get_by_text(nl("My cases"), exact=True).click()
    wait_idle(bram)
    click(bram, nl.pgettext("button: open an application", "Open"))
    bram.get_by_role("heading", name=re.compile(GROUP)).first.wait_for()
    bram.get_by_text(nl("Assigned to {name}").format(name=OFFICER_ADMIN[0])).first.wait_for()
    notes_tab = bram.get_by_role("tab", name=re.compile(nl("Notes and advice ({n})").split(" (")[0]))
    notes_tab.click()
    bram.get_by_label(nl("Private note"), exact=True).fill("Bekende groep, vorig jaar goed verslag")
    click(bram, nl("Save the note"))
    notes_tab.click()
    bram.get_by_text("Bekende groep, vorig jaar goed verslag").first.wait_for()
    bram.get_by_role("tab", name=nl("Conversation")).click()
    bram.get_by_label(nl("Your own question (the group reads it as you write it)")).fill("Wie doet de boodschappen")
    click(bram, nl("Send the question"))

    # 3. The group sees the question, changes its application, sends it again: the question stays
    group_context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="nl-NL")
    group = group_context.new_page()
    group.set_default_timeout(60_000)
    group.goto(url + "/application?lang=nl")
    wait_idle(group)
    group.get_by_label(nl("Your code"), exact=True).fill(code)
    click(group, nl("Continue"))
    group.get_by_text("Wie doet de boodschappen").first.wait_for()
    click(group, nl("Change my application"))
    group.get_by_text("Wie doet de boodschappen").first.wait_for()   # still in view while changing
    click(group, nl("Save and go on"))
    group.get_by_role("heading", name=nl("Who are you, and who do you help?")).wait_for()
    wait_idle(group)
    group.get_by_label(nl("Your answer"), exact=True).fill("Wij zijn acht buren die samen koken.")
    group.get_by_label(nl("Your answer"), exact=True).press("Tab")
    wait_idle(group)
    progress = re.compile(nl("Question {n} of {total}").format(n=r"(\d+)", total=r"(\d+)"))
    while True:  # on through the other screens, one at a time (each click waits for the next screen)
        shown = group.get_by_text(progress).first.inner_text()
        n, total = map(int, progress.search(shown).groups())
        click(group, nl("Save and go on"))
        if n == total:
            group.get_by_role("heading", name=nl("Check your answers")).wait_for()
            break
        group.get_by_text(nl("Question {n} of {total}").format(n=n + 1, total=total)).first.wait_for()
        wait_idle(group)
    group.get_by_text("Wij zijn acht buren die samen koken.").first.wait_for()
    group.get_by_label(nl("I agree that my answers and recordings are stored for this application.")).check(force=True)
    wait_idle(group)
    click(group, nl("Send my application"))
    group.get_by_text(nl("The officer has a question for you. Please answer it below.")).wait_for()
    group.get_by_text("Wie doet de boodschappen").first.wait_for()
    shot(group, "cases-3-group-changed-question-open")

    # 4. Bram sees version 2, what changed, the note and the question; proposes € 6,000
    open_in_queue(bram, f"#{case_id}")
    bram.get_by_text(nl.ngettext("Version {n}: the group changed {count} answer.", "Version {n}: the group changed {count} answers.", 1).format(n=2, count=1)).first.wait_for()
    bram.get_by_text("Wij zijn acht buren die samen koken.").first.wait_for()
    bram.get_by_role("tab", name=nl("Conversation")).click()
    bram.get_by_text("Wie doet de boodschappen").first.wait_for()
    bram.get_by_role("tab", name=nl("Decision")).click()
    bram.get_by_label(nl("Amount granted")).fill("6.000")
    bram.get_by_label(nl("Amount granted")).press("Tab")
    wait_idle(bram)
    bram.get_by_text(nl("This is more than the fund's maximum.")).first.wait_for()
    bram.get_by_label(nl("Why this amount? (needed to save)")).fill("Twee buurten doen mee")
    bram.get_by_label(nl("Why this amount? (needed to save)")).press("Tab")
    wait_idle(bram)
    click(bram, nl("Save the decision"))
    bram.get_by_text(nl("A second officer must approve this grant. You proposed it yourself.")).first.wait_for()
    for tab in (nl("Report"), nl("History"), nl("Decision")):
        bram.get_by_role("tab", name=tab).click()
    assert not bram.get_by_test_id("stException").count()
    shot(bram, "cases-4-review-waiting-for-second-officer-nl")

    # 5. Anna sees it waiting for a second officer and approves it
    open_in_queue(anna, f"#{case_id}")
    anna.get_by_role("tab", name=nl("Decision")).click()
    click(anna, nl("Approve the grant (second officer)"))
    anna.get_by_text(nl("Approved by {name}").format(name=OFFICER[0])).first.wait_for()
    shot(anna, "cases-5-review-approved-nl")

    # 6. The inbox and a review page in Arabic at 1440×900
    ar_context, ar_page = login(browser, url, OFFICER, locale="ar")
    ar_page.get_by_test_id("stDataFrame").first.wait_for()
    shot(ar_page, "cases-6-inbox-ar")
    open_in_queue(ar_page, f"#{case_id}", lang="ar")
    assert not ar_page.get_by_test_id("stException").count()
    shot(ar_page, "cases-7-review-ar")
    for context in (anna_context, bram_context, group_context, ar_context):
        context.close()
