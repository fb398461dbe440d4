from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

TIMEOUT = 60
APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture
def open_page():
    """Open app.py, optionally switch to a page, in a locale: open_page('pages/x.py', locale='ar')."""

    def _open(page: str | None = None, locale: str = "nl", state: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.session_state["locale"] = locale
        for key, value in (state or {}).items():
            at.session_state[key] = value
        if page:
            at.switch_page(page)
        return at.run()

    return _open
