import re

import pytest

from datetime import datetime, timedelta

from steunwijzer import audit, auth
from steunwijzer.errors import InvalidInput, NotAllowed, NotFound, SessionEnded, TooManyAttempts
from steunwijzer.store import OfficerRow

KEY = b"k" * 32


def test_resume_code_shape_and_entropy():
    codes = {auth.new_resume_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    # 12 symbols from a 32-symbol alphabet: 60 bits
    assert 12 * 5 >= 50


@pytest.mark.parametrize("typed", ["k7qm 2xpa 9rtb", "K7QM-2XPA-9RTB", " k7qm2xpa9rtb ", "K7QM.2XPA.9RTB"])
def test_resume_code_typed_loosely_gives_same_hash(typed):
    assert auth.hash_resume_code(typed, KEY) == auth.hash_resume_code("K7QM-2XPA-9RTB", KEY)


def test_confusable_letters_are_read_as_digits():
    assert auth.normalize_resume_code("O1IL-0000-0000") == "0111" + "0" * 8


@pytest.mark.parametrize("typed", ["", "K7QM", "K7QM-2XPA-9RTB-XXXX", "😀😀😀😀-2XPA-9RTB", "K7QM-2XPA-9RT!"])
def test_bad_codes_are_refused_clearly(typed):
    with pytest.raises(InvalidInput):
        auth.normalize_resume_code(typed)


def test_officer_password_is_hashed_and_checked(db):
    with db.session() as s:
        auth.add_officer(s, "anna", "correct horse battery", is_admin=True)
    with db.session() as s:
        row = s.query(OfficerRow).one()
        assert "correct horse" not in row.password_hash and row.password_hash.startswith("$argon2")
        assert auth.login(s, "anna", "correct horse battery", "192.0.2.1").is_admin


def test_short_password_refused(db):
    with db.session() as s, pytest.raises(InvalidInput):
        auth.add_officer(s, "bob", "short")


def test_duplicate_officer_refused_whatever_the_case(db):
    with db.session() as s:
        auth.add_officer(s, "anna", "correct horse battery")
    for name in ("anna", "Anna"):
        with db.session() as s, pytest.raises(InvalidInput):
            auth.add_officer(s, name, "another long password")


def _fail_login(db, user, address, password="wrong password!!"):
    with db.session() as s:
        auth.login(s, user, password, address)


def test_login_failures_are_limited_per_address_and_username(db):
    with db.session() as s:
        auth.add_officer(s, "anna", "correct horse battery")
    for _ in range(auth.LOGIN_FAILURES_ALLOWED):
        with pytest.raises(InvalidInput):
            _fail_login(db, "anna", "192.0.2.1")
    # from that address even the right password is refused until the window passes ...
    with pytest.raises(TooManyAttempts):
        _fail_login(db, "anna", "192.0.2.1", "correct horse battery")
    # ... but anna herself, from her own desk, is not locked out by someone else's guessing
    with db.session() as s:
        assert auth.login(s, "anna", "correct horse battery", "198.51.100.7").username == "anna"
    with db.session() as s:
        assert auth.locked_addresses(s, "anna") == 1


def test_a_good_login_clears_its_own_counter(db):
    with db.session() as s:
        auth.add_officer(s, "anna", "correct horse battery")
    for _ in range(2):
        for _ in range(auth.LOGIN_FAILURES_ALLOWED - 1):
            with pytest.raises(InvalidInput):
                _fail_login(db, "anna", "192.0.2.1")
        _fail_login(db, "anna", "192.0.2.1", "correct horse battery")


@pytest.mark.parametrize("case", ["unknown", "disabled"])
def test_refused_login_looks_the_same_for_unknown_and_disabled_names(db, case):
    with db.session() as s:
        auth.add_officer(s, "anna", "correct horse battery", is_admin=True)
        auth.add_officer(s, "bert", "correct horse battery")
        if case == "disabled":
            auth.set_active(s, "bert", False, actor="t")
    other = "nobody" if case == "unknown" else "bert"
    seen = {}
    for user, password in (("anna", "wrong password!!"), (other, "wrong password!!" if case == "unknown" else "correct horse battery")):
        outcomes = []
        for _ in range(auth.LOGIN_FAILURES_ALLOWED + 1):
            try:
                _fail_login(db, user, "192.0.2.9", password)
            except (InvalidInput, TooManyAttempts) as exc:
                outcomes.append((type(exc).__name__, exc.msgid))
        seen[user] = outcomes
    assert seen["anna"] == seen[other]  # same messages, and locked after the same number of tries
    assert seen["anna"][-1][0] == "TooManyAttempts"


def test_officer_management_and_audit(db):
    with db.session() as s:
        auth.add_officer(s, "anna", "correct horse battery", is_admin=True)
        auth.add_officer(s, "bert", "correct horse battery", fund_ids=["a"])
    with db.session() as s:
        auth.update_officer(s, "bert", "anna", is_admin=True, fund_ids=["b", "c"], full_name=" Bert  de Vries\u202e ",
                            job_title="Beleidsmedewerker")
        auth.set_password(s, "bert", "a brand new password", "anna")
        auth.set_active(s, "bert", False, "anna")
    with db.session() as s:
        bert = auth.get_officer_any(s, "bert")
        assert (bert.is_admin, bert.fund_ids, bert.full_name, bert.job_title, bert.active) == (
            True, ["b", "c"], "Bert de Vries", "Beleidsmedewerker", False)
        assert [o.username for o in auth.list_officers(s)] == ["anna"]
        assert len(auth.list_officers(s, include_inactive=True)) == 2
        with pytest.raises(InvalidInput):
            auth.login(s, "bert", "a brand new password", "192.0.2.1")  # disabled
        auth.set_active(s, "bert", True, "anna")
    with db.session() as s:
        assert auth.login(s, "bert", "a brand new password", "192.0.2.1").username == "bert"
        lines = [(e.actor, e.action, e.detail.get("officer")) for e in reversed(audit.entries(s))]
    assert ("anna", "officer.change", "bert") in lines
    assert ("anna", "officer.set_password", "bert") in lines
    assert ("anna", "officer.disable", "bert") in lines and ("anna", "officer.enable", "bert") in lines


def test_last_active_administrator_stays(db):
    with db.session() as s:
        auth.add_officer(s, "anna", "correct horse battery", is_admin=True)
        auth.add_officer(s, "bert", "correct horse battery")
    with db.session() as s:
        with pytest.raises(NotAllowed):
            auth.set_active(s, "anna", False, "anna")
        with pytest.raises(NotAllowed):
            auth.update_officer(s, "anna", "anna", is_admin=False)
    with db.session() as s:
        auth.update_officer(s, "bert", "anna", is_admin=True)
    with db.session() as s:
        auth.set_active(s, "anna", False, "bert")  # now there is another one
        with pytest.raises(NotAllowed):
            auth.update_officer(s, "bert", "bert", is_admin=False)


def test_unlock_clears_every_address(db):
    with db.session() as s:
        auth.add_officer(s, "anna", "correct horse battery")
    for address in ("192.0.2.1", "192.0.2.2"):
        for _ in range(auth.LOGIN_FAILURES_ALLOWED):
            with pytest.raises(InvalidInput):
                _fail_login(db, "Anna", address)
    with db.session() as s:
        assert auth.locked_addresses(s, "anna") == 2
        assert auth.unlock(s, "anna", "admin") == 2
    _fail_login(db, "anna", "192.0.2.1", "correct horse battery")


@pytest.mark.parametrize("call", [
    lambda s: auth.set_active(s, "ghost", False, "a"), lambda s: auth.update_officer(s, "ghost", "a", is_admin=True),
    lambda s: auth.set_password(s, "ghost", "a long password!", "a"), lambda s: auth.unlock(s, "ghost", "a")])
def test_unknown_officer_is_not_found(db, call):
    with db.session() as s, pytest.raises(NotFound):
        call(s)


def test_session_rules(db):
    with db.session() as s:
        auth.add_officer(s, "anna", "correct horse battery")
    now = datetime(2026, 12, 7, 12, 0)
    with db.session() as s:
        ok = auth.session_officer(s, "anna", now - timedelta(hours=7, minutes=59), now - timedelta(minutes=29), now, 30, 8)
        assert ok.username == "anna"
        for started, seen, reason in ((now, now - timedelta(minutes=31), "idle"),
                                      (now - timedelta(hours=8, minutes=1), now, "lifetime")):
            with pytest.raises(SessionEnded) as info:
                auth.session_officer(s, "anna", started, seen, now, 30, 8)
            assert info.value.params["reason"] == reason
    with db.session() as s:
        s.query(OfficerRow).update({"active": False})
    with db.session() as s, pytest.raises(SessionEnded):
        auth.session_officer(s, "anna", now, now, now, 30, 8)


def test_resume_attempts_limited_per_address_and_per_code(db):
    wrong = "AAAA-AAAA-AAAA"
    for i in range(auth.RESUME_FAILURES_PER_ADDRESS):
        with db.session() as s:
            auth.reserve_resume_try(s, "192.0.2.1", f"AAAA-AAAA-{i:04d}", KEY)
    with db.session() as s, pytest.raises(TooManyAttempts):
        auth.reserve_resume_try(s, "192.0.2.1", "ZZZZ-ZZZZ-ZZZZ", KEY)
    with db.session() as s:
        auth.reserve_resume_try(s, "192.0.2.2", "ZZZZ-ZZZZ-ZZZZ", KEY)  # another address is not blocked
    for i in range(auth.RESUME_FAILURES_PER_CODE):
        with db.session() as s:
            auth.reserve_resume_try(s, f"198.51.100.{i}", wrong, KEY)
            auth.resume_failed(s, wrong, KEY)
    with db.session() as s, pytest.raises(TooManyAttempts):
        auth.reserve_resume_try(s, "198.51.100.200", wrong, KEY)  # the same code from a new address


def test_audit_csv_defuses_formulas(db):
    with db.session() as s:
        audit.record(s, "=HYPERLINK(\"http://x\",\"y\")", "officer.login_failed")
        audit.record(s, "anna", "officer.change", officer="@SUM(A1)")
        text = audit.as_csv(audit.entries(s))
    import csv
    import io

    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not [c for c in cells if c[:1] in "=+-@\t\r" and c]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells
