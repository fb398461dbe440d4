"""The text checks themselves: plural forms, the glossary, sentence length, whole sentences."""

from __future__ import annotations

import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from steunwijzer import i18n, i18n_catalog, wording
from steunwijzer.errors import InvalidInput, Plural, SpeechError, too_long
from steunwijzer.i18n import Texts, gettext_for, language_name


def texts_of(catalog: Catalog, locale: str) -> Texts:
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Texts(Translations(buf), locale)


# ---- plural forms ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("n", "form"), [(1, "minutę"), (2, "minuty"), (4, "minuty"), (5, "minut"), (12, "minut"),
                                         (22, "minuty"), (25, "minut")])
def test_a_polish_count_picks_one_of_three_forms(n, form):
    catalog = Catalog(locale="pl")
    catalog.add(("Wait {minutes} minute.", "Wait {minutes} minutes."), ("Czekaj {minutes} minutę.", "Czekaj {minutes} minuty.", "Czekaj {minutes} minut."))
    error = InvalidInput(Plural("Wait {minutes} minute.", "Wait {minutes} minutes.", "minutes"), minutes=n)
    assert error.translated(texts_of(catalog, "pl")) == f"Czekaj {n} {form}."


def test_arabic_has_six_forms_and_the_shipped_catalogue_fills_them():
    _ = gettext_for("ar")
    two, few, many = (_.ngettext("You can add at most {n} photo.", "You can add at most {n} photos.", n) for n in (2, 3, 11))
    assert len({two, few, many}) == 3  # the dual, 3–10 (plural) and 11–99 (singular) are three different words
    assert gettext_for("en").ngettext("{count} application", "{count} applications", 1).format(count=1) == "1 application"


def test_a_fraction_of_a_minute_is_written_the_readers_way():
    error = SpeechError(Plural("The limit is {minutes} minute.", "The limit is {minutes} minutes.", "minutes"), minutes=2.5)
    assert "2,5" in error.translated(gettext_for("nl"))
    assert error.msgid.number(error.params) == 3  # the form of 3 is chosen for 2.5


def test_a_stored_plural_message_comes_back_whole():
    message = too_long(5000, 6001)
    stored = Plural.key(message.msgid)
    assert stored == message.msgid.singular
    assert Plural.stored(stored) is message.msgid


def test_every_plural_form_must_be_filled_and_keep_its_placeholders():
    from steunwijzer.i18n_catalog import _key, entry_problems

    catalog = Catalog(locale="uk")
    catalog.add(("{n} fund", "{n} funds"), ("{n} фонд", "{n} фонди", ""))
    catalog.add(("{n} day", "{n} days"), ("{n} день", "{n} дні", "днів"))
    catalog.add(("{n} hour", "{n} hours"), ("{n} година", "{n} години"))
    wanted = {_key(m) for m in catalog if m.id}
    problems = entry_problems("uk", catalog, wanted)
    assert "uk: untranslated ('{n} fund', '{n} funds')" in problems
    assert "uk: ('{n} day', '{n} days') lost placeholder {n}" in problems
    assert "uk: ('{n} hour', '{n} hours') has 2 plural forms, the language has 3" in problems


# ---- the glossary --------------------------------------------------------------------------------

def test_an_avoided_word_is_found_with_the_term_to_use():
    found = wording.avoided("Ми виплатимо субсидію після звіту.", "uk")
    assert [(a.word, a.use) for a in found] == [("субсиді", "грант")]
    assert not wording.avoided("Ми виплатимо грант після звіту.", "uk")


def test_an_officer_only_text_may_use_the_legal_word_a_volunteer_would_not_read():
    assert wording.avoided("Zapytaj urzędnika", "pl", volunteer=True)
    assert not wording.avoided("Zapytaj urzędnika", "pl", volunteer=False)
    assert wording.is_volunteer_facing([("pages/2_application.py", None)])
    assert not wording.is_volunteer_facing([("pages/6_officer_review.py", None), ("ui/inbox.py", None)])
    assert wording.is_volunteer_facing([("pages/6_officer_review.py", None), ("steunwijzer/workflow.py", None)])


def test_the_catalogue_check_names_the_avoided_word():
    catalog = Catalog(locale="nl")
    catalog.add("Report", "Verantwoording", locations=[("pages/3_report.py", None)])
    assert i18n_catalog.wording_problems({"nl": catalog}) == [
        "nl: 'Report' uses 'verantwoording'; the glossary says 'verslag' (report)"]


# ---- short Dutch sentences -----------------------------------------------------------------------

def test_a_long_dutch_volunteer_sentence_is_found_and_a_placeholder_is_one_word():
    long = " ".join(["woord"] * 21) + "."
    assert wording.long_sentences(long, 20) == [long]
    assert wording.long_sentences(" ".join(["woord"] * 19) + " {eur:5000}.", 20) == []
    catalog = Catalog(locale="nl")
    catalog.add("Long", long, locations=[("pages/2_application.py", None)])
    catalog.add("Officer", long, locations=[("pages/6_officer_review.py", None)])
    problems = i18n_catalog.wording_problems({"nl": catalog})
    assert len(problems) == 1 and "'Long' has a sentence of 21 words" in problems[0]


def test_the_shipped_catalogues_pass_all_checks():
    from steunwijzer import i18n_catalog

    assert [p for p in i18n_catalog.problems() if "uses" in p or "words" in p or "plural forms" in p] == []


# ---- whole sentences -----------------------------------------------------------------------------

def test_a_language_name_mid_sentence_follows_the_language():
    assert language_name("ar", "pl") == "arabski" and language_name("ar", "pl", label=True) == "Arabski"
    assert language_name("ar", "nl") == "Arabisch"
    assert i18n.native_name("uk") == "Українська"
