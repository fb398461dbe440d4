"""Mail end to end: a real app server and Chromium, a real SMTP server (aiosmtpd) and
`python -m steunwijzer outbox send`. The officer asks the Arabic demo group a question and the
mail arrives in Arabic; then the group uses "I lost my code" and opens its application with the
code from the mail. Screenshots land in test-artifacts/mail-*.png."""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from steunwijzer.i18n import gettext_for
from tests.browser import open_in_queue, OFFICER, ROOT, _free_port, prepare_data, shot, start_server, wait_idle
from tests.mailserver import MailServer

pytestmark = pytest.mark.e2e
ar, nl = gettext_for("ar"), gettext_for("nl")
CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
ARABIC_GROUP = "مطبخ الجيران"   # DEMA-0000-0002, contact samira@example.nl, may be mailed


@pytest.fixture(scope="module")
def mail_app():
    mail = MailServer().start()
    port = _free_port()
    data = Path(tempfile.mkdtemp(prefix="steunwijzer-e2e-mail-"))
    env = {**prepare_data(data), "STEUNWIJZER_SMTP_URL": mail.url(query="starttls=off"),
           "STEUNWIJZER_BASE_URL": f"http://127.0.0.1:{port}", "STEUNWIJZER_MAIL_FROM": "Steunwijzer <noreply@gemeente.test>"}
    proc, url = start_server(env, port)
    yield {"url": url, "env": env, "mail": mail}
    proc.terminate()
    proc.wait(timeout=20)
    mail.stop()


def send_outbox(env) -> str:
    result = subprocess.run([sys.executable, "-m", "steunwijzer", "outbox", "send"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    wait_idle(page)


def test_question_mail_in_arabic_and_lost_code_route(browser, mail_app):
    url, env, mail = mail_app["url"], mail_app["env"], mail_app["mail"]
    send_outbox(env)  # the demo's "received" mails
    received_before = len(mail.received)
    assert received_before >= 1

    # the officer asks the Arabic group a question
    officer = browser.new_context(viewport={"width": 1300, "height": 1100}, locale="nl-NL")
    op = officer.new_page()
    op.set_default_timeout(60_000)
    op.goto(url + "/officer_queue")
    wait_idle(op)
    op.get_by_label(nl("Username"), exact=True).fill(OFFICER[0])
    op.get_by_label(nl("Password"), exact=True).fill(OFFICER[1])
    click(op, nl("Log in"))
    open_in_queue(op, ARABIC_GROUP)
    wait_idle(op)
    op.get_by_role("tab", name=nl("Conversation")).click()
    op.get_by_label(nl("Your own question (the group reads it as you write it)")).fill("من سيطبخ؟ سؤال سري")
    click(op, nl("Send the question"))
    shot(op, "mail-1-officer-asked")
    officer.close()

    assert "Sent 1," in send_outbox(env)
    question = mail.received[-1]
    assert question.rcpt_tos == ["samira@example.nl"]
    assert question.message["Subject"] == ar("We have a question about your application")
    assert question.message["Content-Language"] == "ar" and 'dir="rtl"' in question.html()
    text = question.text()
    assert ar("Log in with your code to read the question and to answer it.") in text
    assert "سؤال سري" not in text and not CODE.search(text) and "DEMA" not in text

    # the link in the mail opens the application page in Arabic
    group = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="nl-NL")
    page = group.new_page()
    page.set_default_timeout(60_000)
    link = re.search(r"http://127\.0\.0\.1:\d+/application\?lang=ar", text).group(0)
    page.goto(link)
    wait_idle(page)
    page.wait_for_function("() => getComputedStyle(document.querySelector('.stMain')).direction === 'rtl'")

    # "I lost my code": the neutral sentence, a mail with a new code, the old code no longer works
    page.get_by_text(ar("I lost my code")).click()
    page.get_by_label(ar("E-mail address"), exact=True).fill("samira@example.nl")
    click(page, ar("Send me a new code"))
    neutral = ar("If we know this e-mail address, we have sent a new code to it. Look in your mailbox, also in the spam folder. "
                 "No e-mail? Call {municipality}.").split("{")[0]
    page.get_by_text(neutral).first.wait_for()
    shot(page, "mail-2-lost-code-asked")
    assert "Sent 1," in send_outbox(env)
    lost = mail.received[-1]
    assert lost.rcpt_tos == ["samira@example.nl"] and lost.message["Subject"] == ar("Your new code for Steunwijzer")
    new_code = CODE.search(lost.text()).group(0)

    page.get_by_label(ar("Your code"), exact=True).fill("DEMA-0000-0002")
    click(page, ar("Continue"))
    page.get_by_text(ar("We do not know this code. Check it and try again.")).first.wait_for()
    page.get_by_label(ar("Your code"), exact=True).fill(new_code)
    click(page, ar("Continue"))
    page.get_by_text("من سيطبخ؟ سؤال سري").first.wait_for()  # the question, behind the code
    shot(page, "mail-3-opened-with-new-code")
    group.close()
