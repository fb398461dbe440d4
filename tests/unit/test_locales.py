"""Every catalogue is complete: nothing stale, missing, untranslated or fuzzy."""

from steunwijzer import i18n_catalog


def test_catalogues_complete_and_current():
    problems = i18n_catalog.problems()
    assert problems == [], "\n".join(problems[:50])
