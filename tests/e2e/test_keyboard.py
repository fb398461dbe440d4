"""The volunteer's first steps with the keyboard alone: Tab, typing and Enter are enough to
start an application and answer a question, and every field has a label."""

import pytest

from steunwijzer.i18n import gettext_for
from tests.e2e.conftest import shot, wait_idle

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


def test_start_and_answer_with_the_keyboard_alone(page, server):
    page.goto(server["url"] + "/application")
    wait_idle(page)
    tab_to(page, nl("Start"))
    page.keyboard.press("Enter")
    page.get_by_text(nl("Question {n} of {total}").format(n=1, total=11)).wait_for()
    wait_idle(page)
    tab_to(page, nl("Your answer"))
    page.keyboard.type("Buurtkoks")
    tab_to(page, nl("Save and go on"))
    page.keyboard.press("Enter")
    page.get_by_text(nl("Who are you, and who do you help?")).first.wait_for()
    wait_idle(page)
    tab_to(page, nl("Your answer"))
    page.keyboard.type("Buren die samen koken.")
    tab_to(page, nl("Save and go on"))
    page.keyboard.press("Enter")
    page.get_by_text(nl("What do you want to do?")).first.wait_for()
    shot(page, "keyboard-nl")
    labels = page.evaluate("""() => [...document.querySelectorAll('.stMain input, .stMain textarea')]
        .filter(e => e.type !== 'file' && e.offsetParent !== null)
        .map(e => e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText) || '')""")
    assert labels and all(label.strip() for label in labels), labels
