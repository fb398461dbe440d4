"""A volunteer on a phone (390×844, touch): questions read aloud in the page's language, a typed
answer saved during a pause in typing (a reload right after loses nothing), big enough to tap."""

import re

import pytest

from steunwijzer.i18n import gettext_for
from tests.browser import english_left, shot, wait_idle

pytestmark = pytest.mark.e2e

# Chromium on a server has no voices: give it one Dutch and one Arabic voice, and record what is spoken.
FAKE_VOICES = """
(() => {
  const voices = [{lang: 'nl-NL', name: 'Nederlands', default: true}, {lang: 'ar-SA', name: 'Arabic'}];
  window.__spoken = [];
  const synth = {getVoices: () => voices, cancel: () => {}, speak: u => { window.__spoken.push([u.lang, u.text]); },
                 onvoiceschanged: null};
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; };
})();
"""


def phone(browser, locale="nl-NL", voices=True):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale=locale)
    if voices:
        context.add_init_script(FAKE_VOICES)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def start_application(page, url, lang):
    _ = gettext_for(lang)
    page.goto(f"{url}/application?lang={lang}")
    wait_idle(page)
    page.get_by_role("button", name=_("Start"), exact=True).click()
    wait_idle(page)
    code = page.locator("[data-testid=stCode] code").first.inner_text().strip()
    page.get_by_text(_("I have written down my code")).click()
    wait_idle(page)
    return code


def read_aloud_frame(page):
    frame = page.frame_locator("iframe[title*='steunwijzer_browser']").first
    return frame


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_phone_read_aloud_and_saved_while_typing(browser, server, lang):
    _ = gettext_for(lang)
    context, page = phone(browser)
    code = start_application(page, server["url"], lang)
    button = read_aloud_frame(page).get_by_role("button")
    button.click()
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    said = [f.evaluate("window.__spoken || []") for f in page.frames if f != page.main_frame]
    said = [s for s in said if s]
    assert said and said[0][0][0].startswith(lang), said
    assert _("What is the name of your group?") in said[0][0][1]

    field = page.get_by_label(_("Your answer"), exact=True)
    field.click()
    field.press_sequentially("Buurtgroep Telefoon", delay=30)
    page.wait_for_timeout(2500)            # a pause in typing: the answer is committed and saved
    wait_idle(page)
    shot(page, f"phone-typing-{lang}")
    page.reload()                          # a reload: a new session, the group comes back with its code
    wait_idle(page)
    page.locator("[data-testid=stMain] input[type=text]").first.fill(code)
    page.locator("[data-testid=stBaseButton-primaryFormSubmit]").first.click()
    wait_idle(page)
    assert page.get_by_label(_("Your answer"), exact=True).input_value() == "Buurtgroep Telefoon"
    shot(page, f"phone-resumed-{lang}")
    assert not english_left(page, lang), english_left(page, lang)
    page.goto(f"{server['url']}/find_funding?lang={lang}")   # the finder too
    wait_idle(page)
    assert not english_left(page, lang), english_left(page, lang)
    context.close()


def test_without_a_voice_the_button_says_so(browser, server):
    context, page = phone(browser, voices=False)
    page.add_init_script("Object.defineProperty(window, 'speechSynthesis', {value: {getVoices: () => [], cancel() {}, speak() {}}})")
    start_application(page, server["url"], "nl")
    frame = read_aloud_frame(page)
    frame.get_by_role("button").click()
    expected = gettext_for("nl")("This phone or computer has no voice for {language}.").format(language="Nederlands")
    frame.get_by_text(re.compile(re.escape(expected))).wait_for()
    context.close()
