"""Password rules: long enough, not on the shipped common-password list; the list is reproducible."""
import importlib.util

import pytest

from webapp import create_app
from webapp.auth.passwords import COMMON, MIN_LENGTH, password_problem
from webapp.config import TestConfig

from ..conftest import DATA


@pytest.fixture(scope="module")
def english():
    app = create_app(type("Cfg", (TestConfig,), {"CONTENT_DIR": DATA}))
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _builder():
    spec = importlib.util.spec_from_file_location("build_common_passwords", COMMON.parent / "build_common_passwords.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_list_is_substantial_and_only_holds_passwords_the_length_rule_lets_through():
    entries = [line for line in COMMON.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert len(entries) > 5000
    assert all(len(e) >= MIN_LENGTH and e == e.lower() and e.strip() == e for e in entries)
    assert len(entries) == len(set(entries))


def test_the_shipped_list_is_exactly_what_its_script_writes():
    builder = _builder()
    assert builder.MIN_LENGTH == MIN_LENGTH
    assert COMMON.read_text(encoding="utf-8") == builder.render(builder.build()), \
        "common-passwords.txt was edited by hand: change build_common_passwords.py and run it instead"


@pytest.mark.parametrize("password", ["Motdepasse123", "AZERTYUIOP", "azerty123456", "password2024", "Passerelle123",
                                      "qwertyuiop1", "Dakar12345", "1q2w3e4r5t", "iloveyou123", "summer2026",
                                      "senegal2025", "football123!", "sunshine12345", "aaaaaaaaaaaa", "abababababab"])
def test_common_passwords_are_refused_whatever_their_case(english, password):
    assert password_problem(password) == "This password is too common: choose another one."


@pytest.mark.parametrize("password", ["short", "123456789"])
def test_short_passwords_are_refused(english, password):
    assert password_problem(password) == f"Use at least {MIN_LENGTH} characters."


@pytest.mark.parametrize("password", ["une phrase assez longue", "Baobab sous la pluie 7", "k9#Lm2!qZx@4"])
def test_a_long_uncommon_password_is_accepted(english, password):
    assert password_problem(password) is None


def test_production_stores_passwords_with_scrypt_and_only_tests_use_a_cheap_hash(tmp_path):
    """The test configuration's one-round PBKDF2 must never be what a real site stores."""
    from webapp.auth.services import authenticate, register
    from webapp.config import Config
    from webapp.extensions import db

    cfg = type("Prod", (Config,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}", "CONTENT_DIR": DATA})
    app = create_app(cfg)
    assert Config.PASSWORD_HASH_METHOD == "scrypt" and TestConfig.PASSWORD_HASH_METHOD != "scrypt"
    with app.app_context():
        db.create_all()
        user = register(name="Awa", email="awa@example.org", password="a long enough secret")
        assert user.password_hash.startswith("scrypt:")
        assert authenticate("awa@example.org", "a long enough secret", "127.0.0.1") == user
        db.engine.dispose()
