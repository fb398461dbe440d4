"""The app in Chromium behind nginx with the security headers on (deploy/nginx.conf.template):
Streamlit still works under the Content-Security-Policy, the app's own style sheet (RTL) applies,
the microphone recorder is there, and the browser reports no blocked script, style or request."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from deploy.replicas import ReplicaSet
from tests.browser import prepare_data, shot, wait_idle

pytestmark = pytest.mark.e2e

REPORT_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def proxy():
    env = prepare_data(Path(tempfile.mkdtemp(prefix="steunwijzer-e2e-proxy-")))
    with ReplicaSet(1, env=env) as group:
        yield group


def test_the_app_works_under_the_security_headers(browser, proxy):
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, permissions=["microphone"])
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        response = page.goto(proxy.url + "/application?lang=en")
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        wait_idle(page)
        page.get_by_role("button", name="Start").click()
        wait_idle(page)
        page.get_by_text("I have written down my code").click()
        page.get_by_text("What is the name of your group?").first.wait_for()
        wait_idle(page)
        page.get_by_test_id("stAudioInput").wait_for()  # the recorder (microphone=(self))
        page.get_by_label("Your answer", exact=True).fill("Buurtkoks")
        page.get_by_label("Your answer", exact=True).press("Tab")
        wait_idle(page)
        page.get_by_role("button", name="Save and go on").click()
        page.get_by_text("Who are you, and who do you help?").first.wait_for()
        wait_idle(page)
        shot(page, "proxy-csp-application")
        assert page.evaluate("window.__csp") == [], "\n".join(page.evaluate("window.__csp"))

        page.goto(proxy.url + "/?lang=ar")
        wait_idle(page)
        page.get_by_role("heading", name="Steunwijzer").first.wait_for()
        direction = page.evaluate("getComputedStyle(document.querySelector('.stMain')).direction")
        assert direction == "rtl"  # the app's inline style sheet (st.html) is allowed
        shot(page, "proxy-csp-home-ar")
        assert page.evaluate("window.__csp") == [], "\n".join(page.evaluate("window.__csp"))
    finally:
        context.close()
