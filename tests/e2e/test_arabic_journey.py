"""The whole journey in Arabic, in a real browser: find the demo fund, apply (typed, recorded,
uploaded), leave and come back with the code, send; the officer asks a question, the group
answers by voice, the officer grants € 1,200; the group reports; the officer approves.
Screenshots of each step land in test-artifacts/journey-ar-*.png."""

import pytest

from steunwijzer.i18n import gettext_for
from tests.browser import OFFICER, ROOT, open_in_queue, record_with_fake_microphone, shot, wait_idle

pytestmark = pytest.mark.e2e
ar, nl = gettext_for("ar"), gettext_for("nl")


def click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    wait_idle(page)


def fill_answer(page, text: str) -> None:
    page.get_by_label(ar("Your answer"), exact=True).fill(text)
    page.get_by_label(ar("Your answer"), exact=True).press("Tab")
    wait_idle(page)


def record(page) -> None:
    record_with_fake_microphone(page, ar("We heard: {language}. Please read the text above and correct it where needed.").split("{")[0])


def officer_login(op, url: str) -> None:
    op.goto(url + "/officer_queue")
    wait_idle(op)
    op.get_by_label(nl("Username"), exact=True).fill(OFFICER[0])
    op.get_by_label(nl("Password"), exact=True).fill(OFFICER[1])
    click(op, nl("Log in"))


def test_arabic_volunteer_and_dutch_officer(browser, server):
    url = server["url"]
    volunteer = browser.new_context(viewport={"width": 1200, "height": 1100}, locale="nl-NL", accept_downloads=True)
    page = volunteer.new_page()
    page.set_default_timeout(60_000)

    # 1. the app opens in Dutch; the volunteer switches to Arabic and finds the demo fund
    page.goto(url)
    wait_idle(page)
    page.get_by_test_id("stMain").get_by_text("العربية", exact=True).first.click()
    wait_idle(page)
    page.wait_for_function("() => getComputedStyle(document.querySelector('.stMain')).direction === 'rtl'")
    shot(page, "journey-ar-0-home")
    page.get_by_test_id("stMain").get_by_role("link", name=ar("Find money for your plan")).click()
    wait_idle(page)
    click(page, ar("Show the funds that fit"))
    shot(page, "journey-ar-1-funds")
    page.get_by_role("button", name=ar("Details"), exact=True).first.click()
    wait_idle(page)
    click(page, ar("Prepare my application"))
    click(page, ar("Start"))
    code = page.get_by_test_id("stCode").inner_text().strip()
    page.get_by_label(ar("I have written down my code")).click(force=True)  # check() fails: the notice goes away at once
    wait_idle(page)

    # 2. typed, recorded and uploaded answers
    fill_answer(page, "نساء الحي يطبخن")
    click(page, ar("Save and go on"))
    page.get_by_label(ar("The language you speak")).click()
    page.get_by_role("option", name="الهولندية").click()   # this group member speaks Dutch here
    wait_idle(page)
    record(page)
    shot(page, "journey-ar-2-recorded")
    click(page, ar("Save and go on"))
    page.get_by_label(ar("The language you speak")).click()
    page.get_by_role("option", name="الإنجليزية").click()
    wait_idle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(ROOT / "tests" / "audio" / "en_gardens.ogg"))
    page.get_by_text(ar("We heard: {language}. Please read the text above and correct it where needed.").split("{")[0]).first.wait_for(timeout=180_000)
    wait_idle(page)
    assert "gardens" in page.get_by_label(ar("Your answer"), exact=True).input_value().lower()
    click(page, ar("Save and go on"))
    volunteer.close()  # the tab is closed

    # 3. back with the code, finish, send, download
    volunteer = browser.new_context(viewport={"width": 1200, "height": 1100}, locale="nl-NL", accept_downloads=True)
    page = volunteer.new_page()
    page.set_default_timeout(60_000)
    page.goto(url + "/application?lang=ar")  # back later: Arabic chosen again
    wait_idle(page)
    page.get_by_label(ar("Your code"), exact=True).fill(code)
    click(page, ar("Continue"))
    for text in ("لأن النساء وحيدات.", "كل يوم ثلاثاء في المركز."):
        fill_answer(page, text)
        click(page, ar("Save and go on"))
    page.get_by_label(ar("Number of people")).fill("18")
    click(page, ar("Save and go on"))
    page.get_by_label(ar("Cost {n}: what for?").format(n=1)).fill("مواد الطبخ")
    page.get_by_label(ar("Amount in euros")).first.fill("1200")
    page.get_by_label(ar("Amount in euros")).first.press("Tab")
    wait_idle(page)
    click(page, ar("Save and go on"))
    page.get_by_label(ar("Amount in euros")).fill("1200")
    click(page, ar("Save and go on"))
    click(page, ar("Save and go on"))  # who else helps: may stay empty
    page.get_by_label(ar.pgettext("form field: your name", "Name"), exact=True).fill("Samira")
    page.get_by_label(ar("Phone number")).fill("06 87654321")
    click(page, ar("Save and go on"))
    page.get_by_label(ar("IBAN (bank account number)")).fill("NL86 INGB 0002 4455 88")
    page.get_by_label(ar("Name of the account holder")).fill("S. Haddad")
    click(page, ar("Save and go on"))
    page.get_by_role("button", name=ar("Download as Word file"), exact=True).wait_for()
    wait_idle(page)  # as for the letter below: the click must come in the run that drew the button
    with page.expect_download() as download:
        click(page, ar("Download as Word file"))
    assert download.value.suggested_filename.endswith(".docx")
    page.get_by_label(ar("I agree that my answers and recordings are stored for this application.")).check(force=True)
    wait_idle(page)
    click(page, ar("Send my application"))
    page.get_by_text(ar("Your application was sent. An officer will read it. You will hear from us within 4 weeks.")).wait_for()
    shot(page, "journey-ar-3-sent")

    # 4. the officer (Dutch) finds it, listens, asks a question
    officer = browser.new_context(viewport={"width": 1300, "height": 1100}, locale="nl-NL", accept_downloads=True)
    op = officer.new_page()
    op.set_default_timeout(60_000)
    officer_login(op, url)
    open_in_queue(op, "نساء الحي يطبخن")
    shot(op, "journey-ar-4-officer-review")
    op.get_by_test_id("stAudio").first.wait_for()
    assert op.get_by_test_id("stAudio").count() >= 2, "the officer can listen to the spoken answers"
    op.get_by_role("button", name=nl("Machine translation into English")).first.click()
    op.get_by_text(nl("Machine translation, may contain errors:")).first.wait_for(timeout=180_000)
    shot(op, "journey-ar-4b-translation")
    op.get_by_role("tab", name=nl("Conversation")).click()
    op.get_by_label(nl("Your own question (the group reads it as you write it)")).fill("من سيطبخ؟")
    click(op, nl("Send the question"))

    # 5. the group answers by voice
    page.goto(url + "/application?lang=ar")  # back later: Arabic chosen again
    wait_idle(page)
    page.get_by_label(ar("Your code"), exact=True).fill(code)
    click(page, ar("Continue"))
    page.get_by_text("من سيطبخ؟").first.wait_for()
    page.get_by_label(ar("The language you speak")).click()
    page.get_by_role("option", name="الهولندية").click()
    wait_idle(page)
    record(page)
    heard = page.get_by_label(ar("Your answer"), exact=True).input_value()
    assert heard.strip()
    page.reload()  # before sending: the answer is kept, with its recording
    wait_idle(page)
    page.get_by_label(ar("Your code"), exact=True).fill(code)
    click(page, ar("Continue"))
    page.get_by_text("من سيطبخ؟").first.wait_for()
    assert page.get_by_label(ar("Your answer"), exact=True).input_value() == heard
    shot(page, "journey-ar-5-reply-kept")
    click(page, ar("Send my answer"))
    shot(page, "journey-ar-5-answered")

    # 6. the officer grants € 1,200 and downloads the letter
    officer_login(op, url)
    open_in_queue(op, "نساء الحي يطبخن")
    op.get_by_role("tab", name=nl("Decision")).click()
    op.get_by_label(nl("Amount granted")).fill("1.200")
    op.get_by_label(nl("Amount granted")).press("Tab")
    wait_idle(op)
    click(op, nl("Save the decision"))
    letter_button = op.get_by_role("button", name=nl("Decision letter ({language})").format(language="Arabisch"))
    letter_button.wait_for()
    wait_idle(op)  # a file built on click is asked for by its id in the run that drew the button
    with op.expect_download() as letter:
        letter_button.click()
    assert letter.value.suggested_filename.endswith(".docx")
    shot(op, "journey-ar-6-granted")

    # 7. the group tells how it went; the officer approves
    page.goto(url + "/report?lang=ar")
    wait_idle(page)
    page.get_by_label(ar("Your code"), exact=True).fill(code)
    click(page, ar("Continue"))
    for area in page.get_by_label(ar("Your answer"), exact=True).all():
        area.fill("جرى كل شيء بشكل جيد.")
        area.press("Tab")
        wait_idle(page)
    page.get_by_label(ar("Number of people")).fill("20")
    page.get_by_label(ar("Number of people")).press("Tab")
    wait_idle(page)
    click(page, ar("Send my report"))
    page.get_by_text(ar("Thank you for telling us how it went.")).wait_for()
    shot(page, "journey-ar-7-reported")
    officer_login(op, url)
    open_in_queue(op, "نساء الحي يطبخن")
    op.get_by_role("tab", name=nl("Report")).click()
    click(op, nl("Approve the report and close the grant"))
    shot(op, "journey-ar-8-approved")
    volunteer.close()
    officer.close()
