import re

import pytest

from steunwijzer import auth
from steunwijzer.errors import InvalidInput, TooManyAttempts
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
        assert auth.login(s, "anna", "correct horse battery").is_admin


def test_short_password_refused(db):
    with db.session() as s, pytest.raises(InvalidInput):
        auth.add_officer(s, "bob", "short")


def test_duplicate_officer_refused(db):
    with db.session() as s:
        auth.add_officer(s, "anna", "correct horse battery")
    with db.session() as s, pytest.raises(InvalidInput):
        auth.add_officer(s, "anna", "another long password")


def test_login_failures_are_limited(db):
    with db.session() as s:
        auth.add_officer(s, "anna", "correct horse battery")
    for _ in range(auth.LOGIN_FAILURES_ALLOWED):
        with pytest.raises(InvalidInput):
            with db.session() as s:
                auth.login(s, "anna", "wrong password!!")
    # now even the right password is refused until the window passes
    with pytest.raises(TooManyAttempts):
        with db.session() as s:
            auth.login(s, "anna", "correct horse battery")


def test_unknown_user_and_wrong_password_look_the_same(db):
    with db.session() as s:
        auth.add_officer(s, "anna", "correct horse battery")
    messages = []
    for user in ("anna", "nobody"):
        try:
            with db.session() as s:
                auth.login(s, user, "wrong password!!")
        except InvalidInput as exc:
            messages.append(exc.msgid)
    assert messages[0] == messages[1]


def test_resume_attempts_limited_per_client_and_globally(db):
    for _ in range(auth.RESUME_FAILURES_PER_CLIENT):
        with db.session() as s:
            auth.check_resume_limits(s, "client-1")
            auth.record_resume_failure(s, "client-1")
    with db.session() as s, pytest.raises(TooManyAttempts):
        auth.check_resume_limits(s, "client-1")
    with db.session() as s:
        auth.check_resume_limits(s, "client-2")  # another client is not blocked yet
