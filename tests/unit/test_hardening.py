"""Hardening: properties of parsing and validation (hypothesis), many writers at once, and
secrets that must never be stored in the clear."""

import threading
from decimal import Decimal

import pytest
from babel import numbers
from hypothesis import given, settings
from hypothesis import strategies as st

from steunwijzer import answer_types, applications, auth, funds, i18n
from steunwijzer.config import LOCALES
from steunwijzer.errors import InvalidInput
from steunwijzer.models import Question

money = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999999.99"), places=2, allow_nan=False, allow_infinity=False)


@given(amount=money, locale=st.sampled_from(LOCALES))
def test_a_formatted_amount_reads_back_the_same(amount, locale):
    written = numbers.format_decimal(amount, format="#,##0.00", locale=locale)
    assert i18n.parse_money(written, locale) == amount


@given(text=st.text(max_size=60), locale=st.sampled_from(LOCALES))
def test_parse_money_never_crashes(text, locale):
    try:
        value = i18n.parse_money(text, locale)
    except InvalidInput:
        return
    assert value >= 0 and value == value.quantize(Decimal("0.01"))


def _iban(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


@given(bank=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=4), account=st.from_regex(r"[0-9]{10}", fullmatch=True))
def test_every_valid_dutch_iban_passes_and_one_changed_digit_fails(bank, account):
    iban = _iban("NL", bank + account)
    assert answer_types.validate_iban(" ".join(iban[i:i + 4] for i in range(0, 18, 4)).lower()) == iban
    changed = iban[:-1] + str((int(iban[-1]) + 1) % 10)
    with pytest.raises(InvalidInput):
        answer_types.validate_iban(changed)


LONG = Question(id="plan", type="long_text", text="t", max_length=5000)


@settings(max_examples=200)
@given(text=st.text(max_size=300))
def test_any_text_is_either_refused_clearly_or_stored_clean(text):
    try:
        value = answer_types.validate(LONG, text, "nl")
    except InvalidInput as exc:
        assert exc.msgid == "Please answer this question."
        return
    assert value == value.strip() and not any(ord(c) < 32 and c not in "\n\t" for c in value)


def test_twenty_sessions_save_at_once_without_losing_a_write(db):
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        ids = [applications.start(s, "initiatievenfonds-voorbeeld", "nl", b"k")[0].id for _ in range(20)]
    errors: list[Exception] = []

    def volunteer(app_id: int) -> None:
        try:
            for n in range(10):
                with db.session() as s:
                    applications.save_answer(s, app_id, "plan", f"versie {n} van {app_id}")
                    applications.save_answer(s, app_id, f"extra_{n}", str(n))
        except Exception as exc:  # noqa: BLE001 - every failure counts
            errors.append(exc)

    threads = [threading.Thread(target=volunteer, args=(i,)) for i in ids]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    with db.session() as s:
        for app_id in ids:
            app = applications.load(s, app_id)
            assert app.answers["plan"].value == f"versie 9 van {app_id}" and len(app.answers) == 11


def test_database_file_holds_no_resume_code_or_password(tmp_path):
    from steunwijzer.store import Database

    path = tmp_path / "secrets.sqlite"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    password = "Correct-Horse-Battery-Staple-42"
    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        auth.add_officer(s, "anna", password)
        _, code = applications.start(s, "initiatievenfonds-voorbeeld", "nl", b"server-key")
    db.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("secrets.sqlite*"))
    for secret in (password, code, auth.normalize_resume_code(code), code.replace("-", " ")):
        assert secret.encode() not in raw
