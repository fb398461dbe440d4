"""The volunteer's application with the keyboard alone: Tab, typing, Space and Enter are enough
to start, answer every question, agree and send; every field has a label."""

import pytest

from steunwijzer.i18n import gettext_for
from tests.browser import shot, wait_idle

pytestmark = pytest.mark.e2e
nl = gettext_for("nl")
FOCUS_NAME = """() => {
    const el = document.activeElement;
    if (!el || !['BUTTON', 'INPUT', 'TEXTAREA', 'A'].includes(el.tagName)) return '';
    return (el.getAttribute('aria-label') || el.innerText || '').trim();
}"""


def tab_to(page, accessible_name: str, limit: int = 60) -> None:
    """Press Tab until a control with this name (its label, or its text after an icon) has focus."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate(FOCUS_NAME)
        seen.append(name)
        if name == accessible_name or name.split("\n")[-1] == accessible_name:
            return
    raise AssertionError(f"{accessible_name!r} cannot be reached with Tab; focus went to {seen}")


def save_and_wait(page, next_text: str) -> None:
    tab_to(page, nl("Save and go on"))
    page.keyboard.press("Enter")
    page.get_by_text(next_text).first.wait_for()
    wait_idle(page)


def test_whole_application_with_the_keyboard_alone(page, server):
    page.goto(server["url"] + "/application")
    wait_idle(page)
    tab_to(page, nl("Start"))
    page.keyboard.press("Enter")
    page.get_by_text(nl("I have written down my code")).wait_for()  # the code comes first
    wait_idle(page)
    tab_to(page, nl("I have written down my code"))
    page.keyboard.press("Space")
    page.get_by_text(nl("Question {n} of {total}").format(n=1, total=11)).wait_for()
    wait_idle(page)
    texts = [("What is the name of your group?", "Buurtkoks"), ("Who are you, and who do you help?", "Buren die samen koken."),
             ("What do you want to do?", "Samen koken."), ("Why is this important?", "Minder eenzaam."),
             ("When and where will it happen?", "Elke woensdag in het buurthuis.")]
    following = [q for q, _ in texts[1:]] + ["About how many people will take part?"]
    for (_, text), next_question in zip(texts, following):
        tab_to(page, nl("Your answer"))
        page.keyboard.type(text)
        save_and_wait(page, nl(next_question))
    labels = page.evaluate("""() => [...document.querySelectorAll('.stMain input, .stMain textarea')]
        .filter(e => e.type !== 'file' && e.offsetParent !== null)
        .map(e => e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText) || '')""")
    assert labels and all(label.strip() for label in labels), labels
    tab_to(page, nl("Number of people"))
    page.keyboard.type("20")
    save_and_wait(page, nl("What will it cost?"))
    tab_to(page, nl("Cost {n}: what for?").format(n=1))
    page.keyboard.type("Eten")
    page.keyboard.press("Tab")
    page.keyboard.type("300")
    save_and_wait(page, nl("How much money do you ask?"))
    tab_to(page, nl("Amount in euros"))
    page.keyboard.type("300")
    save_and_wait(page, nl("Who else helps?"))
    save_and_wait(page, nl("Who can we call or e-mail about this?"))  # optional: skipped
    tab_to(page, nl.pgettext("form field: your name", "Name"))
    page.keyboard.type("Kees")
    tab_to(page, nl("Phone number"))
    page.keyboard.type("0612345678")
    save_and_wait(page, nl("Where should the money go?"))
    tab_to(page, nl("IBAN (bank account number)"))
    page.keyboard.type("NL91ABNA0417164300")
    tab_to(page, nl("Name of the account holder"))
    page.keyboard.type("K. Jansen")
    save_and_wait(page, nl("Check your answers"))
    tab_to(page, nl("I agree that my answers and recordings are stored for this application."))
    page.keyboard.press("Space")
    wait_idle(page)
    tab_to(page, nl("Send my application"))
    page.keyboard.press("Enter")
    page.get_by_text(nl("Your application was sent. An officer will read it. You will hear from us within 4 weeks.")).wait_for()
    shot(page, "keyboard-sent-nl")
