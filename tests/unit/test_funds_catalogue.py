"""The fund catalogue file: validation with clear errors, export/import without loss, the shipped
catalogue's facts, languages and corrections, and the `funds import|export|match|check` commands."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml

from steunwijzer import funds
from steunwijzer.config import LOCALES
from steunwijzer.i18n import gettext_for
from steunwijzer.matching.texts import R_AMOUNT_LESS, R_ENTITY_NEEDED
from steunwijzer.errors import InvalidInput
from steunwijzer.matching import catalogue_text
from steunwijzer.models import KEY_FACTS

GOOD = """
funds:
  - id: buurtfonds-test
    name: Buurtfonds Test
    provider: Gemeente Test
    kind: municipality
    region: Gemeente Test
    municipalities: [Test]
    themes: [meeting, green]
    target_groups: [residents]
    min_amount_eur: 100
    max_amount_eur: 2500.50
    legal_entity: "no"
    spoken_application: "yes"
    any_time: false
    next_deadline: 2027-03-01
    deadline_text: {nl: "Twee keer per jaar.", en: "Twice a year."}
    summary: {nl: "Geld voor de buurt.", en: "Money for the neighbourhood.", ar: "مال للحي."}
    how_to_apply: {nl: ["Bel ons.", "Vul het formulier in."], en: ["Call us.", "Fill in the form."]}
    what_you_need: {nl: ["Een IBAN"]}
    accountability: {nl: "Een foto is genoeg."}
    report_tiers: [{up_to_eur: 1500, tier: story}, {tier: spending}]
    url: https://example.org/buurtfonds
    sources: [https://example.org/buurtfonds, https://example.org/regels]
    last_checked: 2026-11-01
    in_app: true
    question_overrides: {photos: false}
    extra_questions: [{id: street, type: short_text, text: "Which street?"}]
  - id: landelijk-fonds
    name: Landelijk Fonds
    provider: Stichting Landelijk
    kind: private_fund
    themes: [culture]
    legal_entity: "yes"
    summary: {nl: "Voor cultuur."}
    how_to_apply: {nl: ["Schrijf een brief."]}
    url: https://example.org/landelijk
    sources: [https://example.org/landelijk]
    last_checked: 2026-10-01
"""


def test_round_trip_loses_nothing():
    catalogue = funds.parse_catalogue(GOOD)
    text = funds.dump_catalogue(catalogue)
    again = funds.parse_catalogue(text)
    assert again == catalogue
    assert funds.dump_catalogue(again) == text


def test_export_reads_like_a_hand_written_file():
    data = yaml.safe_load(funds.dump_catalogue(funds.parse_catalogue(GOOD)))
    first = data["funds"][0]
    assert first["min_amount_eur"] == 100 and first["max_amount_eur"] == "2500.50"
    assert first["legal_entity"] == "no" and first["url"] == "https://example.org/buurtfonds"
    assert str(first["next_deadline"]) == "2027-03-01"


def test_demo_catalogue_round_trip():
    if not funds.DEMO_CATALOGUE.exists():
        pytest.skip("no demo catalogue yet")
    catalogue = funds.demo_catalogue()
    assert funds.parse_catalogue(funds.dump_catalogue(catalogue)) == catalogue


def _with(change: str, fund_index: int = 0) -> str:
    """GOOD with one line of the first fund replaced: 'key: value' (or removed: 'key: ~drop')."""
    key, _, value = change.partition(": ")
    lines = GOOD.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("  - id:")]
    start, end = starts[fund_index], (starts[fund_index + 1] if fund_index + 1 < len(starts) else len(lines))
    for i in range(start, end):
        if lines[i].strip().removeprefix("- ").startswith(key + ":"):
            prefix = lines[i][: len(lines[i]) - len(lines[i].lstrip())] + ("- " if lines[i].lstrip().startswith("- ") else "")
            lines[i] = "" if value == "~drop" else f"{prefix}{key}: {value}"
            return "\n".join(lines)
    raise AssertionError(f"no {key} in fund {fund_index}")


BAD = [
    ("not yaml", "funds: [\n  - id: x\n  name: y", ["line", "not valid YAML"]),
    ("no list", "fonds: []", ["top-level list 'funds:'"]),
    ("unknown theme", _with("themes: [meeting, football]"), ["'buurtfonds-test'", "themes.1"]),
    ("negative amount", _with("max_amount_eur: -5"), ["'buurtfonds-test'", "max_amount_eur", "greater than or equal to 0"]),
    ("min above max", _with("min_amount_eur: 5000"), ["'buurtfonds-test'", "min_amount_eur is larger than max_amount_eur"]),
    ("three decimals", _with("max_amount_eur: 10.505"), ["max_amount_eur", "decimal"]),
    ("missing name", _with("name: ~drop", 1), ["'landelijk-fonds'", "field name", "Field required"]),
    ("no Dutch summary", _with("summary: {en: Culture.}", 1), ["'landelijk-fonds'", "summary", "Dutch"]),
    ("bad url", _with("url: not a link", 1), ["'landelijk-fonds'", "url"]),
    ("bad legal rule", _with('legal_entity: "sometimes"', 1), ["'landelijk-fonds'", "legal_entity"]),
    ("bad date", _with("last_checked: yesterday", 1), ["'landelijk-fonds'", "last_checked"]),
    ("unknown field", _with("provider: Stichting Landelijk\n    budget: 5", 1), ["'landelijk-fonds'", "budget", "Extra inputs"]),
    ("duplicate id", _with("id: buurtfonds-test", 1), ["'buurtfonds-test'", "appears twice"]),
    ("no id", _with("id: ~drop", 1).replace("    name: Landelijk Fonds", "  - name: Landelijk Fonds"), ["fund #2", "field id"]),
    ("not a mapping", "funds:\n  - just a name\n", ["fund #1", "(the whole fund)"]),
]


@pytest.mark.parametrize("text, expected", [(t, e) for _, t, e in BAD], ids=[b[0] for b in BAD])
def test_bad_catalogue_names_file_fund_and_field(text, expected):
    with pytest.raises(InvalidInput) as exc:
        funds.parse_catalogue(text, source="funds.yaml")
    message = str(exc.value)
    assert message.startswith("funds.yaml")
    for fragment in expected:
        assert fragment in message, message


# ---- the commands ------------------------------------------------------------------------------

@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """Run `python -m steunwijzer …` in-process against a fresh data folder; returns (code, out, err)."""
    from steunwijzer import cli as cli_module
    from steunwijzer.config import get_settings

    monkeypatch.setenv("STEUNWIJZER_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()

    def run(*args):
        code = cli_module.main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run
    get_settings.cache_clear()


def test_import_export_round_trip_through_the_database(cli, tmp_path):
    source = tmp_path / "in.yaml"
    source.write_text(GOOD, encoding="utf-8")
    code, out, _ = cli("funds", "import", str(source))
    assert code == 0 and "Imported 2 funds" in out and "2 new" in out
    code, out, _ = cli("funds", "import", str(source))
    assert "2 replaced" in out
    exported = tmp_path / "out.yaml"
    assert cli("funds", "export", str(exported))[0] == 0
    assert funds.parse_catalogue(exported.read_text(encoding="utf-8")) == sorted(funds.parse_catalogue(GOOD), key=lambda f: f.name)
    code, out, _ = cli("funds", "export")
    assert code == 0 and yaml.safe_load(out)["funds"][0]["id"] == "buurtfonds-test"


def test_bad_import_changes_nothing_and_says_where(cli, tmp_path):
    source = tmp_path / "bad.yaml"
    source.write_text(_with("themes: [meeting, football]"), encoding="utf-8")
    code, out, err = cli("funds", "import", str(source))
    assert code == 2 and "buurtfonds-test" in err and "themes.1" in err and "Traceback" not in err
    code, out, _ = cli("funds", "export")
    assert yaml.safe_load(out) == {"funds": []}


def test_dry_run_only_checks(cli, tmp_path):
    source = tmp_path / "in.yaml"
    source.write_text(GOOD, encoding="utf-8")
    code, out, _ = cli("funds", "import", str(source), "--dry-run")
    assert code == 0 and "2 funds, all valid" in out
    assert yaml.safe_load(cli("funds", "export")[1]) == {"funds": []}


def test_match_prints_ranked_json_and_text(cli, tmp_path):
    source = tmp_path / "in.yaml"
    source.write_text(GOOD, encoding="utf-8")
    cli("funds", "import", str(source))
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"themes": ["meeting"], "municipality": "Test", "amount_eur": 3000, "legal_entity": False,
                                   "target_groups": ["residents"], "needed_by": "2027-02-01"}))
    code, out, _ = cli("funds", "match", "--profile", str(profile), "--json", "--today", "2026-11-29")
    assert code == 0
    result = json.loads(out)
    assert [r["fund_id"] for r in result] == ["buurtfonds-test", "landelijk-fonds"]
    assert [r["eligible"] for r in result] == [True, False]
    assert set(result[0]) == {"fund_id", "name", "score", "eligible", "reasons"}
    en = gettext_for("en")  # the reasons are printed in English by default, as en.po words them
    assert {"kind": "caution", "text": en(R_AMOUNT_LESS).format(max="€2,500.50", asked="€3,000")} in result[0]["reasons"]
    assert {"kind": "deal_breaker", "text": en(R_ENTITY_NEEDED)} in result[1]["reasons"]

    code, out, _ = cli("funds", "match", "--profile", str(profile), "--limit", "1", "--locale", "nl", "--today", "2026-11-29")
    assert code == 0 and out.startswith("1. Buurtfonds Test [buurtfonds-test]") and "landelijk-fonds" not in out
    assert "€\xa02.500,50" in out and "✓" in out and "⚠" in out


def test_match_with_a_bad_profile_says_what_is_wrong(cli, tmp_path):
    profile = tmp_path / "profile.json"
    profile.write_text('{"themes": ["football"]}')
    code, _, err = cli("funds", "match", "--profile", str(profile))
    assert code == 2 and "profile.json is not a valid funding profile" in err and "themes.0" in err
    code, _, err = cli("funds", "match", "--profile", str(tmp_path / "missing.json"))
    assert code == 2 and "Cannot read" in err


def test_match_on_an_empty_catalogue(cli, tmp_path):
    profile = tmp_path / "profile.json"
    profile.write_text("{}")
    assert cli("funds", "match", "--profile", str(profile), "--json")[1].strip() == "[]"
    code, _, err = cli("funds", "match", "--profile", str(profile))
    assert code == 1 and "funds import" in err


def test_catalogue_version_changes_with_the_catalogue(db):
    """The finder page rebuilds its prepared catalogue only when this changes."""
    catalogue = funds.parse_catalogue(GOOD)
    with db.session() as s:
        empty = funds.catalogue_version(s)
        funds.save_funds(s, catalogue[:1])
    with db.session() as s:
        one = funds.catalogue_version(s)
        funds.save_funds(s, [catalogue[0].model_copy(update={"name": "Nieuwe naam"})])
    with db.session() as s:
        renamed = funds.catalogue_version(s)
        funds.set_archived(s, catalogue[0].id, True, actor="test")
    with db.session() as s:
        archived = funds.catalogue_version(s)
    assert len({empty, one, renamed, archived}) == 4


# ---- the shipped catalogue: facts with sources, six languages, status (issue 19) ------------------

TEXT_FIELDS = ("summary", "how_to_apply", "deadline_text", "what_you_need", "accountability")


@pytest.fixture(scope="module")
def shipped():
    return {f.id: f for f in funds.demo_catalogue()}


def test_the_catalogue_has_at_least_40_funds_and_every_open_one_names_a_source_for_each_key_fact(shipped):
    assert len(shipped) >= 40
    for fund in shipped.values():
        if fund.is_open:
            assert set(fund.facts) == set(KEY_FACTS), fund.id


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_every_fund_has_its_texts_in_all_six_languages(shipped, field):
    for fund in shipped.values():
        texts = getattr(fund, field)
        if texts:
            assert sorted(texts) == sorted(LOCALES), (fund.id, field)
            if field == "how_to_apply":
                assert len({len(steps) for steps in texts.values()}) == 1, (fund.id, "same number of steps in each language")


def test_fund_texts_have_only_well_formed_amount_placeholders(shipped):
    for fund in shipped.values():
        for field in TEXT_FIELDS:
            for lang, text in getattr(fund, field).items():
                for piece in text if isinstance(text, list) else [text]:
                    assert "{" not in catalogue_text(piece, lang), (fund.id, field, lang)


def test_amount_placeholders_are_written_the_readers_way():
    assert catalogue_text("Tot {eur:5000}.", "nl") == "Tot €\xa05.000."
    assert catalogue_text("Up to {eur:5000}.", "en") == "Up to €5,000."
    assert catalogue_text("{eur:1500}", "pl") == "1\xa0500\xa0€"
    assert catalogue_text("Geen {bedrag} hier", "nl") == "Geen {bedrag} hier"  # funds check reports it


def test_the_fact_checks_corrections_are_in(shipped):
    f1818 = shipped["fonds-1818-bewonersinitiatief"]
    assert len(f1818.municipalities) >= 19 and {"Rijswijk", "Leidschendam-Voorburg", "Wassenaar", "Katwijk", "Leiden"} <= set(f1818.municipalities)
    assert [r.min_people for r in f1818.who_may_apply] == [3]
    rotterdam = shipped["rotterdam-bewonersinitiatieven"]
    assert rotterdam.max_amount_eur == 10000 and rotterdam.any_time and rotterdam.facts["amount"].kind == "regulation"
    assert "stemrondes" in rotterdam.deadline_text["nl"] and "6 weken" in rotterdam.deadline_text["nl"]
    old, new = shipped["drenthe-dorpsinitiatieven"], shipped["drenthe-wijk-buurt-dorp-initiatieven"]
    assert old.status == "replaced" and old.replaced_by == new.id and new.is_open
    assert (new.min_amount_eur, new.max_amount_eur, new.any_time) == (5000, 20000, True)
    assert shipped["oranje-fonds-burendag"].legal_entity == "no"
    assert shipped["kinderpostzegels"].min_amount_eur == 2000
    assert shipped["bunnik-aan-zet-fonds"].legal_entity == "no"
    assert "1 april" not in shipped["utrecht-initiatievenfonds"].deadline_text["nl"]
    assert "poverty" not in shipped["rcoak"].themes
    den_haag = shipped["den-haag-activiteitensubsidie"]
    assert (den_haag.who_may_apply[0].kind, den_haag.who_may_apply[0].up_to_eur) == ("natural_person", 750)
    assert any(h.phone == "14 010" for h in rotterdam.help)


def _catalogue_file(tmp_path, **changes) -> str:
    """GOOD's first fund with complete facts (checked on 2026-11-01), changed as asked."""
    data = yaml.safe_load(GOOD)
    fund = data["funds"][0]
    fund["facts"] = {name: {"url": "https://example.org/regels", "kind": "regulation", "checked": "2026-11-01"} for name in KEY_FACTS}
    for field in ("summary", "how_to_apply", "deadline_text", "what_you_need", "accountability"):
        text = fund[field]["nl"]
        fund[field] = {lang: text for lang in LOCALES}
    fund.update(changes)
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump({"funds": [fund]}), encoding="utf-8")
    return str(path)


def test_funds_check_passes_on_the_shipped_catalogue(cli):
    code, out, _ = cli("funds", "check", str(funds.DEMO_CATALOGUE))
    assert code == 0, out
    assert "nothing is due" in out and "0 due" in out


def test_funds_check_lists_what_is_due_and_exits_1(cli, tmp_path):
    path = _catalogue_file(tmp_path)
    assert cli("funds", "check", path, "--today", "2027-06-01")[0] == 0
    code, out, _ = cli("funds", "check", path, "--today", "2027-12-01")
    assert code == 1 and "due   buurtfonds-test: fact amount was checked on 2026-11-01, more than 365 days ago" in out
    assert cli("funds", "check", path, "--today", "2027-12-01", "--older-than", "400")[0] == 0

    path = _catalogue_file(tmp_path, summary={"nl": "Geld voor de buurt, {eur:500}.", "en": "Money for {bedrag}."})
    code, out, _ = cli("funds", "check", path, "--today", "2026-12-01")
    assert code == 1 and "summary has no text in ar, tr, pl, uk" in out and "placeholder other than {eur:NUMBER}" in out

    path = _catalogue_file(tmp_path, status="replaced", replaced_by="elders", in_app=True)
    code, out, _ = cli("funds", "check", path, "--today", "2026-12-01")
    assert code == 1 and "replaced_by 'elders' is not in the catalogue" in out and "still made in Steunwijzer" in out


def test_funds_check_reads_the_database_without_a_file(cli, tmp_path):
    cli("funds", "import", _catalogue_file(tmp_path, facts={}))
    code, out, _ = cli("funds", "check", "--today", "2026-12-01")
    assert code == 1 and "fact deadline has no source" in out and "the database: 1 funds" in out


@pytest.mark.parametrize("change, problem", [
    ({"status": "replaced"}, "status replaced needs replaced_by"),
    ({"replaced_by": "landelijk-fonds"}, "status replaced needs replaced_by"),
    ({"who_may_apply": [{"kind": "penvoerder"}]}, "does not agree with who_may_apply"),
    ({"legal_entity": None}, "give who_may_apply or legal_entity"),
    ({"help": [{"kind": "phone", "who": "Balie", "phone": "call us", "source": "https://example.org/"}]}, "help.0.phone"),
    ({"facts": {"amount": {"url": "https://example.org/", "kind": "blog", "checked": "2026-01-01"}}}, "facts.amount.kind"),
])
def test_status_who_may_apply_help_and_facts_are_validated(change, problem):
    data = yaml.safe_load(GOOD)
    data["funds"][0].update(change)
    with pytest.raises(InvalidInput) as exc:
        funds.parse_catalogue(yaml.safe_dump(data), source="funds.yaml")
    assert problem in str(exc.value)


def test_fact_is_due_after_a_year_or_when_unconfirmed(shipped):
    fact = shipped["initiatievenfonds-voorbeeld"].facts["amount"]
    assert not funds.fact_is_due(fact, fact.checked)
    assert funds.fact_is_due(fact, date.fromordinal(fact.checked.toordinal() + 366))
    assert funds.fact_is_due(fact.model_copy(update={"confirmed": False}), fact.checked)


# ---- the fund texts read well: B1 Dutch and the glossary in every language (issue 18) -----------

def test_the_shipped_catalogue_has_nothing_due_on_a_fixed_date(shipped):
    """A fixed date, so this does not start failing when the facts age (the `funds check` test above
    uses today): no Dutch sentence over 15 words, no word the glossary avoids, no stale fact."""
    due = [f for f in funds.check_catalogue(list(shipped.values()), date(2026, 12, 7)) if f.due]
    assert due == [], "\n".join(f"{f.fund_id}: {f.problem}" for f in due)


def _one_fund(**texts) -> list:
    """GOOD's first fund with complete facts and its texts in all six languages, some replaced:
    texts={"summary": {"uk": "…"}}."""
    data = yaml.safe_load(GOOD)
    fund = data["funds"][0]
    fund["facts"] = {name: {"url": "https://example.org/regels", "kind": "regulation", "checked": "2026-11-01"} for name in KEY_FACTS}
    for field in TEXT_FIELDS:
        fund[field] = {lang: fund[field]["nl"] for lang in LOCALES}
    for field, by_lang in texts.items():
        fund[field].update(by_lang)
    return funds.parse_catalogue(yaml.safe_dump({"funds": [fund]}, allow_unicode=True))


def test_check_finds_a_long_dutch_sentence_and_an_avoided_word():
    today = date(2026, 12, 7)
    assert [f for f in funds.check_catalogue(_one_fund(), today) if f.due] == []
    fifteen = "Jullie krijgen tot {eur:5000} voor een plan dat de buurt mooier en echt groener maakt."
    sixteen = "Dit is een zin van precies zestien woorden om te laten zien dat de check werkt."
    planted = _one_fund(summary={"nl": f"{fifteen} {sixteen}", "uk": "Це субсидія від держави."})
    problems = [f.problem for f in funds.check_catalogue(planted, today) if f.due]
    assert len(problems) == 2, problems
    assert problems[0].startswith("summary (nl) sentence of 16 words (at most 15): 'Dit is een zin")
    assert problems[1].startswith("summary (uk) uses 'субсиді'") and "'грант'" in problems[1]
