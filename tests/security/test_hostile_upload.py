"""Issue 12 item 1 (media type), in a real browser: an HTML page uploaded as a voice note is
refused in the group's language, never stored, and nothing is ever served as text/html."""

from __future__ import annotations

import pytest

from steunwijzer.config import Settings
from steunwijzer.i18n import gettext_for
from steunwijzer.speech.audio import NOT_AUDIO
from steunwijzer.store import AudioRow, open_database
from tests.browser import shot, wait_idle
from tests.e2e.test_voice_jobs import start_and_reach_the_plan

pytestmark = pytest.mark.e2e
nl = gettext_for("nl")
PAGE = b"<!doctype html><html><body><script>document.title='owned'</script>hello</body></html>"


def test_an_html_page_named_ogg_is_refused_and_never_served(browser, server, tmp_path):
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    served = []
    page.on("response", lambda r: served.append((r.url, r.headers.get("content-type", ""))))
    start_and_reach_the_plan(page, server)
    hostile = tmp_path / "voicenote.ogg"
    hostile.write_bytes(PAGE)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(hostile))
    page.get_by_text(nl(NOT_AUDIO)).first.wait_for()
    wait_idle(page)
    shot(page, "security-hostile-upload-nl")
    assert page.title() != "owned"
    assert not [u for u, kind in served if "/media/" in u and "html" in kind], served
    db = open_database(Settings(data_dir=server["data"]))
    with db.session() as s:
        assert not [a for a in s.query(AudioRow) if PAGE[:20] in a.data], "the page was never stored"
    db.dispose()
    context.close()
