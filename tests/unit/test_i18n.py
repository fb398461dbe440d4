from decimal import Decimal

import pytest

from steunwijzer import i18n
from steunwijzer.errors import InvalidInput


@pytest.mark.parametrize("text, locale, expected", [
    ("1.500,50", "nl", "1500.50"),
    ("1,500.50", "en", "1500.50"),
    ("€ 1.500", "nl", "1500.00"),
    ("1500", "nl", "1500.00"),
    ("12,5", "nl", "12.50"),
    ("€1,234", "en", "1234.00"),
    ("٣٠٠", "ar", "300.00"),
    ("250,-", "nl", "250.00"),
    ("0", "nl", "0.00"),
    ("1 500,50", "pl", "1500.50"),
    ("1.500,50", "tr", "1500.50"),
])
def test_parse_money_per_locale(text, locale, expected):
    assert i18n.parse_money(text, locale) == Decimal(expected)


@pytest.mark.parametrize("text, locale", [
    ("1,500.50", "nl"),     # English writing in a Dutch form is refused, not misread as 1.5
    ("1.500,50", "en"),
    ("", "nl"),
    ("abc", "nl"),
    ("-5", "nl"),
    ("1,234", "nl") if False else ("12,345", "nl"),
    ("1.23456", "en"),
    ("9" * 30, "nl"),
    ("1e5", "en"),
])
def test_parse_money_refuses(text, locale):
    with pytest.raises(InvalidInput):
        i18n.parse_money(text, locale)


def test_refusal_names_an_example_in_the_locale():
    with pytest.raises(InvalidInput) as exc:
        i18n.parse_money("1,500.50", "nl")
    assert exc.value.params["example"] == "1.500,50"


@pytest.mark.parametrize("value, expected", [
    ("ar-MA", "ar"), ("en_US", "en"), ("NL", "nl"), ("fr-FR", "nl"), (None, "nl"), ("", "nl"), ("uk-UA", "uk"),
])
def test_normalize_locale(value, expected):
    assert i18n.normalize_locale(value) == expected


def test_native_names_in_own_script():
    assert i18n.native_name("nl") == "Nederlands"
    assert i18n.native_name("ar") == "العربية"
    assert i18n.native_name("uk") == "Українська"
    assert i18n.native_name("tr") == "Türkçe"


def test_rtl():
    assert i18n.is_rtl("ar") and not i18n.is_rtl("nl")


def test_money_format():
    assert i18n.format_money(Decimal("1500.5"), "nl") == "€\xa01.500,50"
    assert i18n.format_money(Decimal("1500.5"), "en") == "€1,500.50"


def test_catalogues_translate():
    assert i18n.gettext_for("nl")("Language") == "Taal"
    assert i18n.gettext_for("ar")("Language") != "Language"
    assert i18n.gettext_for("en")("Language") == "Language"
