"""Settings come from the environment, with safe defaults and a hard stop in production."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from trainer.config import ConfigError, settings_from_env

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "Jq7vR2pXw9LmT4cZk8Hb3NfY6dGs1UaE-4f1c"


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


def _engine_options(tmp_path, **env):
    return settings_from_env(str(tmp_path), env)["SQLALCHEMY_ENGINE_OPTIONS"]


def test_postgresql_lets_psycopg_prepare_statements_by_default(tmp_path):
    assert "connect_args" not in _engine_options(tmp_path, DATABASE_URL="postgresql://u@h/db")


def test_postgresql_prepared_statements_can_be_turned_off_for_a_transaction_pooler(tmp_path):
    options = _engine_options(tmp_path, DATABASE_URL="postgresql://u@h/db", PG_PREPARED_STATEMENTS="off")
    assert options["connect_args"] == {"prepare_threshold": None}


def test_the_prepared_statement_switch_leaves_sqlite_alone(tmp_path):
    # sqlite3.connect() has no prepare_threshold: passing it would stop the app.
    assert "connect_args" not in _engine_options(tmp_path, PG_PREPARED_STATEMENTS="off")


def test_remember_cookie_never_lasts_more_than_30_days(tmp_path):
    settings = settings_from_env(str(tmp_path), {"REMEMBER_COOKIE_DAYS": "365"})
    assert settings["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)


def test_production_cookies_are_secure_httponly_and_lax(tmp_path):
    settings = settings_from_env(str(tmp_path), {"TRAINER_ENV": "production", "SECRET_KEY": STRONG_KEY})
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


class RecordingEnv(dict):
    """An environment that notes every variable looked up in it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


def _variables_the_app_reads(tmp_path) -> set[str]:
    read = set()
    for env in (RecordingEnv(), RecordingEnv(TRAINER_ENV="production", SECRET_KEY=STRONG_KEY)):
        settings_from_env(str(tmp_path), env)
        read |= env.read
    # The instance folder is chosen before the settings are read (trainer/factory.py).
    factory = (ROOT / "trainer" / "factory.py").read_text()
    return read | set(re.findall(r"os\.environ\.get\(\"([A-Z0-9_]+)\"", factory))


def test_every_environment_variable_is_in_the_readme_table(tmp_path):
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Configuration"):]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    documented = {name for row in rows for name in re.findall(r"`([A-Z0-9_]+)`", row.split("|")[1])}
    read = _variables_the_app_reads(tmp_path)
    assert {"SECRET_KEY", "DATABASE_URL", "TRAINER_INSTANCE_PATH", "ARGON2_MEMORY_KIB"} <= read
    assert read - documented == set()


def test_the_readme_has_exactly_two_set_up_commands():
    readme = (ROOT / "README.md").read_text()
    setup = readme[readme.index("## Set up"):readme.index("\n## ", readme.index("## Set up") + 1)]
    commands = re.findall(r"^    (\S.*)$", setup, re.M)
    assert commands == ["make run", "make test"]


@pytest.mark.parametrize(("name", "value"), [("ARGON2_TIME_COST", "1"), ("ARGON2_MEMORY_KIB", "1024"),
                                             ("ARGON2_PARALLELISM", "0")])
def test_production_refuses_password_hashing_below_the_owasp_minimum(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        settings_from_env(str(tmp_path), {"TRAINER_ENV": "production", "SECRET_KEY": STRONG_KEY, name: value})


def test_development_may_choose_cheaper_hashing(tmp_path):
    settings = settings_from_env(str(tmp_path), {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024"})
    assert (settings["ARGON2_TIME_COST"], settings["ARGON2_MEMORY_KIB"]) == (1, 1024)


@pytest.mark.parametrize("name", ["LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_ADDRESS", "RESET_LIMIT_PER_ACCOUNT",
                                  "RESET_LIMIT_PER_ADDRESS", "CALC_RATE_LIMIT"])
def test_a_rate_limit_the_app_cannot_read_stops_it_at_start(tmp_path, name):
    with pytest.raises(ConfigError, match=name):
        settings_from_env(str(tmp_path), {name: "five a minute"})


def test_a_reset_link_must_live_at_least_a_minute(tmp_path):
    with pytest.raises(ConfigError, match="PASSWORD_RESET_MAX_AGE"):
        settings_from_env(str(tmp_path), {"PASSWORD_RESET_MAX_AGE": "0"})


@pytest.mark.slow
def test_gunicorn_stops_instead_of_restarting_workers_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(TRAINER_ENV="production", TRAINER_INSTANCE_PATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "gunicorn", "app:app", "--bind", "127.0.0.1:0"],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 4
    assert result.stderr.count("RxTrainer cannot start: TRAINER_ENV=production needs SECRET_KEY") == 1


# --- settings the probe found accepted in production, each refused at start in one line ---

PRODUCTION = {"TRAINER_ENV": "production", "SECRET_KEY": STRONG_KEY}


@pytest.mark.parametrize("key", ["k" * 32, "k" * 64, "abab" * 10, "0123456789" * 4, "password" * 5,
                                 "changeme-changeme-changeme-changeme"])
def test_production_refuses_a_secret_key_that_is_not_random(tmp_path, key):
    with pytest.raises(ConfigError, match="SECRET_KEY looks typed"):
        settings_from_env(str(tmp_path), {**PRODUCTION, "SECRET_KEY": key})


def test_production_accepts_keys_made_by_the_secrets_module(tmp_path):
    import secrets

    for _ in range(50):
        for key in (secrets.token_hex(16), secrets.token_hex(32), secrets.token_urlsafe(32)):
            assert settings_from_env(str(tmp_path), {**PRODUCTION, "SECRET_KEY": key})["SECRET_KEY"] == key


def test_production_accepts_a_hex_key_that_happens_to_repeat_its_digits(tmp_path):
    # secrets.token_hex(16) once gave this: nine of the sixteen hex digits, 96.4 bits by count
    key = "3a3877fe883371814fae730a0871e8f7"
    assert settings_from_env(str(tmp_path), {**PRODUCTION, "SECRET_KEY": key})["SECRET_KEY"] == key


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_production_refuses_the_debugger(tmp_path, value):
    with pytest.raises(ConfigError, match="FLASK_DEBUG"):
        settings_from_env(str(tmp_path), {**PRODUCTION, "FLASK_DEBUG": value})


def test_development_may_use_the_debugger(tmp_path):
    assert settings_from_env(str(tmp_path), {"FLASK_DEBUG": "1"})["TRAINER_ENV"] == "development"


@pytest.mark.parametrize("hours", ["0", "-5", str(100 * 365 * 24), "721"])
def test_a_session_lifetime_of_zero_negative_or_years_is_refused(tmp_path, hours):
    with pytest.raises(ConfigError, match=r"SESSION_HOURS must be between 1 and 720 hours"):
        settings_from_env(str(tmp_path), {**PRODUCTION, "SESSION_HOURS": hours})


def test_a_reset_link_living_ten_years_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="PASSWORD_RESET_MAX_AGE must be at most 86400"):
        settings_from_env(str(tmp_path), {**PRODUCTION, "PASSWORD_RESET_MAX_AGE": str(10 * 365 * 86400)})


@pytest.mark.parametrize("value", ["-3", "11", "two"])
def test_a_trusted_proxy_count_that_is_negative_absurd_or_not_a_number_is_refused(tmp_path, value):
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        settings_from_env(str(tmp_path), {"TRUSTED_PROXIES": value})


@pytest.mark.parametrize(("env", "argv"), [
    ({"WEB_CONCURRENCY": "4"}, ["app"]),
    ({"GUNICORN_CMD_ARGS": "--bind 0.0.0.0:8000 --workers 3"}, ["app"]),
    ({}, ["/usr/bin/gunicorn", "app:app", "-w", "4"]),
    ({}, ["/venv/lib/gunicorn/__main__.py", "app:app", "--workers=2"]),
])
def test_production_refuses_per_process_rate_limits_with_several_workers(tmp_path, env, argv):
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI=memory:// with [0-9] workers"):
        settings_from_env(str(tmp_path), {**PRODUCTION, **env}, argv=argv)


def test_one_worker_may_count_in_memory_and_several_may_share_redis(tmp_path):
    one = settings_from_env(str(tmp_path), PRODUCTION, argv=["gunicorn", "app:app", "-w", "1"])
    several = settings_from_env(str(tmp_path), {**PRODUCTION, "RATELIMIT_STORAGE_URI": "redis://r:6379/0"},
                                argv=["gunicorn", "app:app", "-w", "8"])
    assert one["RATELIMIT_STORAGE_URI"] == "memory://"
    assert several["RATELIMIT_STORAGE_URI"] == "redis://r:6379/0"


def test_a_refused_setting_stops_the_app_with_one_line(tmp_path):
    env = {**os.environ, **PRODUCTION, "TRUSTED_PROXIES": "-3", "TRAINER_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", "import app"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if line]
    assert lines == ["RxTrainer cannot start: TRUSTED_PROXIES must be between 0 and 10, got -3"]
