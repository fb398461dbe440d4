"""A volunteer on a phone (390×844, touch): questions read aloud in the page's language, a typed
answer saved during a pause in typing, a reload at any step of the application loses nothing (in
the same tab, without typing the code again), the finder's results open at their top, and every
button is big enough to tap."""

import json
import re

import pytest

from steunwijzer import applications, forms
from steunwijzer.config import Settings
from steunwijzer.i18n import gettext_for
from steunwijzer.store import open_database
from tests.browser import ARTIFACTS, english_left, shot, wait_idle
from tests.factories import COMPLETE

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
    frame = page.frame_locator("[class*='st-key-read_'] iframe[title*='steunwijzer_browser']").first
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
    reload_until(page, field)              # a reload: a new session, the tab brings the application back
    assert field.input_value() == "Buurtgroep Telefoon"
    page.get_by_text(_("Show my code")).first.click()
    page.locator("[data-testid=stCode] code").filter(has_text=code).first.wait_for()
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


def reload_until(page, shown):
    """Reload (a new Streamlit session) and wait until `shown` (a locator) is there: the tab
    opens its application again by itself, so the start screen must give way to it."""
    page.reload()
    shown.first.wait_for(timeout=60_000)
    wait_idle(page)


def tap_size(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return round(box["width"], 1), round(box["height"], 1)


def application_of(server, code):
    db = open_database(Settings(data_dir=server["data"]))
    with db.session() as s:
        return applications.resume(s, code, "test", Settings(data_dir=server["data"]).resolved_secret_key())


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_a_reload_loses_nothing_at_any_step(browser, server, lang):
    """Reload right after Start (code not yet acknowledged), on a question with typed text, and on
    the review screen: each time the same application, step, text and language are back."""
    _ = gettext_for(lang)
    context, page = phone(browser, locale="ar" if lang == "ar" else "nl-NL")
    page.goto(f"{server['url']}/application?lang={lang}")
    wait_idle(page)
    page.get_by_role("button", name=_("Start"), exact=True).click()
    wait_idle(page)
    code_box = page.locator("[data-testid=stCode] code").first
    code = code_box.inner_text().strip()

    # 1. right after Start, before "I have written down my code": the code is not lost
    acknowledge = page.get_by_text(_("I have written down my code"))
    reload_until(page, acknowledge)
    assert code_box.inner_text().strip() == code
    assert f"lang={lang}" in page.url
    shot(page, f"phone-reload-code-{lang}")
    acknowledge.click()
    wait_idle(page)
    assert application_of(server, code).answers == {}
    total = len(forms.load_form("application").questions_for("questions"))

    # 2. on a question with typed text (the first, then the second)
    field = page.get_by_label(_("Your answer"), exact=True)
    for n, text in ((1, "Buurtgroep Herladen"), (2, "Wij zijn zes buren.")):
        progress = page.get_by_text(re.compile(re.escape(_("Question {n} of {total}").format(n=n, total=total))))
        progress.first.wait_for()
        field.click()
        field.press_sequentially(text, delay=20)
        page.wait_for_timeout(2500)  # a pause in typing: saved
        wait_idle(page)
        reload_until(page, progress)
        assert field.input_value() == text
        assert f"lang={lang}" in page.url
        if n == 1:
            sizes = measure_taps(page, _)
            page.get_by_role("button", name=_("Save and go on")).click()
            wait_idle(page)
    shot(page, f"phone-reload-question-{lang}")
    sizes.update(measure_taps(page, _, back=True))
    (ARTIFACTS / f"phone-tap-sizes-{lang}.json").write_text(json.dumps(sizes, ensure_ascii=False, indent=1))
    small = {name: size for name, size in sizes.items() if size[0] < 44 or size[1] < 44}
    assert not small, small
    page.get_by_text(_("Show my code")).first.click()  # the same application: the code stays one tap away
    page.locator("[data-testid=stCode] code").filter(has_text=code).first.wait_for()

    # 3. the review screen (the other answers are filled in through the core, then "Save and go on")
    app = application_of(server, code)
    assert app.answers["group_name"].value == "Buurtgroep Herladen" and app.answers["who_you_are"].value == "Wij zijn zes buren."
    db = open_database(Settings(data_dir=server["data"]))
    with db.session() as s:
        for question_id in applications.missing(s, app):
            applications.save_answer(s, app.id, question_id, COMPLETE[question_id], language=lang)
    review = page.get_by_role("heading", name=_("Check your answers"))
    for _step in range(10):
        if review.count():
            break
        page.get_by_role("button", name=_("Save and go on")).click()
        wait_idle(page)
    reload_until(page, review)
    page.get_by_text("Buurtgroep Herladen").first.wait_for()
    assert f"lang={lang}" in page.url
    shot(page, f"phone-reload-review-{lang}")
    # icons that show a way to go (send, leave) point the way the page reads
    mirrored = page.evaluate("""() => [...document.querySelectorAll('.st-key-send_application [data-testid=stIconMaterial],'
                                + ' .st-key-stop_for_now [data-testid=stIconMaterial]')].map(i => getComputedStyle(i).transform)""")
    assert len(mirrored) == 2 and all((t != "none") == (lang == "ar") for t in mirrored), mirrored
    assert not english_left(page, lang), english_left(page, lang)

    # "Stop now, continue later" makes the tab forget: a reload then shows the start screen
    page.get_by_role("button", name=_("Stop now, continue later")).click()
    wait_idle(page)
    page.reload()
    wait_idle(page)
    page.wait_for_timeout(1500)
    wait_idle(page)
    assert page.get_by_role("button", name=_("Start"), exact=True).count()
    assert not page.evaluate("sessionStorage.getItem('steunwijzer.application')")
    context.close()


def measure_taps(page, _, back=False) -> dict:
    """Width and height in CSS px of what a thumb must hit (at least 44 × 44)."""
    sizes = {}
    for i, button in enumerate(page.locator("[data-testid=stMain] [data-testid=stButtonGroup]").first.locator("button").all()):
        sizes[f"language {i + 1}"] = tap_size(button)
    sizes["Save and go on"] = tap_size(page.get_by_role("button", name=_("Save and go on")))
    if back:
        sizes["Back"] = tap_size(page.get_by_role("button", name=_("Back"), exact=True))
        recorder = page.get_by_test_id("stAudioInput").first
        sizes["record"] = tap_size(recorder.get_by_role("button", name=re.compile("record", re.I)).first)
        # Streamlit's English "Upload" is replaced by our words (also the button's accessible name)
        sizes["choose a file"] = tap_size(page.get_by_test_id("stFileUploaderDropzone").get_by_role("button", name=_("Choose a file")).first)
    return sizes


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_the_finder_results_open_at_their_top(browser, server, lang):
    _ = gettext_for(lang)
    context, page = phone(browser, locale="ar" if lang == "ar" else "nl-NL")
    page.goto(f"{server['url']}/find_funding?lang={lang}")
    wait_idle(page)
    page.locator("[data-testid=stForm] [data-testid=stButtonGroup] button").first.click()   # one subject is enough
    wait_idle(page)
    page.get_by_role("button", name=_("Show the funds that fit")).click()
    wait_idle(page)
    top = page.locator(".st-key-results_top")
    top.wait_for()
    # in view, and not under Streamlit's bar at the top (where the menu button is)
    page.wait_for_function("() => { const r = document.querySelector('.st-key-results_top h3').getBoundingClientRect();"
                           " const bar = document.querySelector('[data-testid=stHeader]').getBoundingClientRect();"
                           " return r.top >= bar.bottom - 1 && r.bottom < window.innerHeight; }", timeout=10_000)
    heading = top.get_by_role("heading").first.inner_text()
    count = int(re.search(r"\d+", heading).group())
    assert heading == _.ngettext("{count} fund may fit your plan", "{count} funds may fit your plan", count).format(count=count)
    page.screenshot(path=str(ARTIFACTS / f"phone-finder-results-{lang}.png"))  # what the phone shows
    assert english_left(page, lang) == []
    context.close()


@pytest.mark.parametrize("lang", ["ar", "tr", "pl", "uk"])
def test_no_english_on_the_volunteer_pages_that_open_without_a_code(browser, server, lang):
    """Home, the finder, the application's and the report's first screens, on a phone: every visible
    text in the page's language (the pages behind a code are checked in the journeys above)."""
    context, page = phone(browser, locale=lang, voices=False)
    for path in ("", "find_funding", "application", "report"):
        page.goto(f"{server['url']}/{path}?lang={lang}")
        wait_idle(page)
        assert english_left(page, lang) == [], (path, english_left(page, lang))
    context.close()


def test_no_menu_item_is_cut_off_on_a_phone(browser, server):
    """The menu (sidebar) at phone size: every label is whole, in every language (Ukrainian was cut)."""
    context, page = phone(browser, voices=False)
    for lang in ("uk", "nl", "ar", "en", "tr", "pl"):
        page.goto(f"{server['url']}/?lang={lang}")
        wait_idle(page)
        if page.get_by_test_id("stExpandSidebarButton").is_visible():  # (the menu may still be open)
            page.get_by_test_id("stExpandSidebarButton").first.click()
        link = page.locator("[data-testid=stSidebar] [data-testid=stPageLink-NavLink]").last
        link.wait_for()
        page.wait_for_timeout(500)  # the menu slides in
        if lang == "uk":
            page.screenshot(path=str(ARTIFACTS / "phone-menu-uk.png"))
        cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stPageLink-NavLink] span')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > e.closest('[data-testid=stSidebar]').getBoundingClientRect().right)
            .map(e => e.innerText)""")
        assert not cut, (lang, cut)
    context.close()


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_a_sent_report_can_be_downloaded_on_a_phone(browser, server, lang):
    """The group that sent its report (demo DEMA-0000-0005) gets it as a Word file, named in its
    language, with a button big enough to tap."""
    import zipfile

    from ui.downloads import REPORT_FILE

    _ = gettext_for(lang)
    context, page = phone(browser, locale="ar" if lang == "ar" else "nl-NL", voices=False)
    page.goto(f"{server['url']}/report?lang={lang}")
    wait_idle(page)
    page.get_by_label(_("Your code"), exact=True).fill("DEMA-0000-0005")
    page.get_by_role("button", name=_("Continue"), exact=True).click()
    wait_idle(page)
    button = page.get_by_role("button", name=_("Download my report as Word file"))
    box = button.bounding_box()
    assert box["height"] >= 44, box
    with page.expect_download() as download:
        button.click()
    path = download.value.path()
    assert zipfile.is_zipfile(path) and "word/document.xml" in zipfile.ZipFile(path).namelist()
    number = re.search(r"\d+", download.value.suggested_filename).group()
    assert download.value.suggested_filename == _(REPORT_FILE).format(number=number)
    assert not english_left(page, lang), english_left(page, lang)
    context.close()
