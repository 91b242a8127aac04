"""Settings come from the environment, with safe defaults and a hard stop in production."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from trainer.config import ConfigError, settings_from_env

ROOT = Path(__file__).resolve().parent.parent


def test_production_without_secret_key_refuses_to_start_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(TRAINER_ENV="production", TRAINER_INSTANCE_PATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", "import app"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if line]
    assert lines == ["RxTrainer cannot start: TRAINER_ENV=production needs SECRET_KEY set to a random string of at least 32 characters"]


def test_production_with_a_short_secret_key_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        settings_from_env(str(tmp_path), {"TRAINER_ENV": "production", "SECRET_KEY": "short"})


def test_development_generates_a_secret_key_once_and_keeps_it(tmp_path):
    first = settings_from_env(str(tmp_path), {})["SECRET_KEY"]
    second = settings_from_env(str(tmp_path), {})["SECRET_KEY"]
    assert len(first) >= 32 and first == second
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path):
    url = settings_from_env(str(tmp_path), {})["SQLALCHEMY_DATABASE_URI"]
    assert url == f"sqlite:///{tmp_path / 'rxtrainer.db'}"


@pytest.mark.parametrize("given", ["postgresql://u@h/db", "postgres://u@h/db", "postgresql+psycopg://u@h/db"])
def test_database_url_selects_postgresql_with_psycopg(tmp_path, given):
    url = settings_from_env(str(tmp_path), {"DATABASE_URL": given})["SQLALCHEMY_DATABASE_URI"]
    assert url == "postgresql+psycopg://u@h/db"


def test_remember_cookie_never_lasts_more_than_30_days(tmp_path):
    settings = settings_from_env(str(tmp_path), {"REMEMBER_COOKIE_DAYS": "365"})
    assert settings["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)


def test_production_cookies_are_secure_httponly_and_lax(tmp_path):
    settings = settings_from_env(str(tmp_path), {"TRAINER_ENV": "production", "SECRET_KEY": "k" * 40})
    for prefix in ("SESSION_COOKIE_", "REMEMBER_COOKIE_"):
        assert settings[prefix + "SECURE"] is True
        assert settings[prefix + "HTTPONLY"] is True
        assert settings[prefix + "SAMESITE"] == "Lax"


def test_rate_limit_storage_comes_from_the_environment(tmp_path):
    settings = settings_from_env(str(tmp_path), {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"})
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_unknown_environment_name_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="TRAINER_ENV"):
        settings_from_env(str(tmp_path), {"TRAINER_ENV": "staging"})


def test_default_password_hashing_meets_the_owasp_argon2id_minimum(tmp_path):
    # OWASP Password Storage Cheat Sheet: argon2id with at least 19 MiB, 2 iterations, 1 lane.
    settings = settings_from_env(str(tmp_path), {})
    assert settings["ARGON2_MEMORY_KIB"] >= 19 * 1024
    assert settings["ARGON2_TIME_COST"] >= 2
    assert settings["ARGON2_PARALLELISM"] >= 1


def test_stored_hashes_are_argon2id(app, user_factory):
    user = user_factory()
    assert user.password_hash.startswith("$argon2id$")
