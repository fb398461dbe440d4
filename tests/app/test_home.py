from steunwijzer.i18n import gettext_for


def texts(at):
    return " ".join(m.value for m in at.markdown) + " " + " ".join(t.value for t in at.title)


def test_home_in_dutch(open_page):
    at = open_page(locale="nl")
    assert not at.exception
    assert "Steunwijzer" in texts(at)
    assert gettext_for("nl")("For groups of volunteers and residents, also without a foundation. Type or speak, in your own language.") in texts(at)
    assert "direction: rtl" not in str([h.proto for h in at.get("html")])


def test_home_in_arabic_is_right_to_left(open_page):
    at = open_page(locale="ar")
    assert not at.exception
    ar = gettext_for("ar")
    assert ar("For groups of volunteers and residents, also without a foundation. Type or speak, in your own language.") in texts(at)
    assert any("direction: rtl" in h.proto.body for h in at.get("html"))


def test_language_picker_switches_and_keeps_choice(open_page):
    at = open_page(locale="nl")
    picker = at.sidebar.selectbox(key="_language_picker")
    assert picker.value == "nl"
    assert "العربية" in picker.options and "Українська" in picker.options
    picker.set_value("ar").run()
    assert at.session_state["locale"] == "ar"
    assert any("direction: rtl" in h.proto.body for h in at.get("html"))
    at.run()  # the choice is kept on the next run
    assert at.session_state["locale"] == "ar"


def test_browser_language_is_first_guess():
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = "uk"
    at.run()
    assert at.session_state["locale"] == "uk"


def test_language_buttons_on_the_home_page(open_page):
    at = open_page(locale="nl")
    buttons = at.get("button_group")[0]
    buttons.set_value("ar").run()
    assert at.session_state["locale"] == "ar"
    assert any("direction: rtl" in h.proto.body for h in at.get("html"))
