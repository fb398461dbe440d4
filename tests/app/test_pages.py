"""Every page of the menu opens without an error, in every language, for whom it is meant."""

import time

import pytest
from streamlit.testing.v1 import AppTest

from steunwijzer.config import LOCALES
from steunwijzer.models import Officer
from tests.app.conftest import APP
from ui.menu import MENU


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("path", [item.path for item in MENU])
def test_every_page_opens(path, locale):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["locale"] = locale
    if any(item.path == path and item.role for item in MENU):
        at.session_state["officer"] = Officer(username="smoke-admin", is_admin=True).model_dump()
        at.session_state["officer_seen"] = time.time()
    if path != "app.py":
        at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
