"""axe-core on every page in Dutch and Arabic: no serious or critical violation in our content."""

import json

import pytest

from tests.browser import ARTIFACTS, OFFICER_ADMIN, ROOT, wait_idle

pytestmark = pytest.mark.e2e
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "find_funding", "application", "report", "officer_queue"]


def axe_violations(page, name: str) -> list[dict]:
    """Run axe-core on the main area; write all findings to test-artifacts, return the serious ones."""
    page.wait_for_timeout(1000)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document.querySelector('[data-testid=stMain]'), {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.html.slice(0, 160) + ' ' + JSON.stringify((n.any[0] || {}).data || {})).slice(0, 5)}));
    }""")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.fixture(autouse=True)
def axe_installed():
    if not AXE.exists():
        pytest.fail("axe-core is not installed (scripts/test.sh runs: npm install --no-save axe-core@4)")


@pytest.mark.parametrize("lang", ["nl", "ar"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(page, server, path, lang):
    page.goto(f"{server['url']}/{path}?lang={lang}")
    wait_idle(page)
    serious = axe_violations(page, f"{path or 'home'}-{lang}")
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_finder_results_with_a_fund_card_open(page, server, lang):
    """The results and an opened fund card: reasons, sources as links, phone numbers, the mark."""
    page.goto(f"{server['url']}/find_funding?lang={lang}")
    wait_idle(page)
    page.locator(".st-key-fp_municipality button", has_text="Rotterdam").first.click()
    page.locator(".st-key-fp_legal_entity button").first.click()  # "no"
    page.locator(".st-key-fp_submit button").click()
    wait_idle(page)
    page.locator(".st-key-details_rotterdam-bewonersinitiatieven button").click()
    wait_idle(page)
    assert page.locator(".st-key-fund_rotterdam-bewonersinitiatieven a[href='tel:14010']").count() == 1
    serious = axe_violations(page, f"finder-card-{lang}")
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_officer_pages_logged_in(page, server, lang):
    """The officer pages behind the login, reached through the menu (one session)."""
    from steunwijzer.i18n import gettext_for

    _ = gettext_for(lang)
    page.goto(f"{server['url']}/officer_queue?lang={lang}")
    wait_idle(page)
    page.get_by_label(_("Username"), exact=True).fill(OFFICER_ADMIN[0])
    page.get_by_label(_("Password"), exact=True).fill(OFFICER_ADMIN[1])
    page.get_by_role("button", name=_("Log in"), exact=True).click()
    wait_idle(page)
    found = {"officer_queue": axe_violations(page, f"officer_queue-in-{lang}")}
    page.get_by_role("button", name=_.pgettext("button: open an application", "Open"), exact=True).first.click()
    wait_idle(page)
    found["officer_review"] = axe_violations(page, f"officer_review-{lang}")
    for path in ("officer_catalogue", "officer_admin"):
        page.locator(f"[data-testid=stSidebar] a[href*='{path}']").first.click()
        wait_idle(page)
        found[path] = axe_violations(page, f"{path}-{lang}")
    serious = {k: v for k, v in found.items() if v}
    assert serious == {}, json.dumps(serious, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_a_question_with_voice_and_upload(page, server, lang):
    """A question screen: the answer field, read aloud, the recorder and the upload button (named
    in the page's language by the browser helper, not Streamlit's English "Upload")."""
    from steunwijzer.i18n import gettext_for

    _ = gettext_for(lang)
    page.goto(f"{server['url']}/application?lang={lang}")
    wait_idle(page)
    page.get_by_role("button", name=_("Start"), exact=True).click()
    wait_idle(page)
    page.get_by_text(_("I have written down my code")).click()
    wait_idle(page)
    page.get_by_role("button", name=_("Save and go on")).wait_for()
    upload = page.locator("[data-testid=stFileUploaderDropzone] button").first
    page.wait_for_function("b => b.getAttribute('aria-label')", arg=upload.element_handle(), timeout=10_000)
    assert upload.get_attribute("aria-label") == _("Choose a file")
    serious = axe_violations(page, f"question-{lang}")
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)
