"""The fund catalogue file: validation with clear errors, export/import without loss, and the
`funds import|export|match` commands."""

from __future__ import annotations

import json

import pytest
import yaml

from steunwijzer import funds
from steunwijzer.errors import InvalidInput

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
    languages: [nl, en, ar]
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
    assert {"kind": "caution", "text": "This fund gives up to €2,500.50; you asked €3,000."} in result[0]["reasons"]
    assert {"kind": "deal_breaker", "text": "This fund only gives money to a stichting or vereniging with a KvK number."} in result[1]["reasons"]

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
