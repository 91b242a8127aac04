"""Settings, read from environment variables only, with safe defaults.

Every variable is listed, with its meaning, in the README's configuration table.
"""

from __future__ import annotations

import math
import os
import secrets
import sys
import zlib
from collections import Counter
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

ENVIRONMENTS = ("development", "production", "testing")

# argon2id cost: our defaults, and the floor from OWASP's Password Storage Cheat Sheet
# (19 MiB, 2 iterations, 1 lane). Production refuses less; development and tests may
# choose cheaper hashing to run faster.
ARGON2_DEFAULTS = {"ARGON2_TIME_COST": 3, "ARGON2_MEMORY_KIB": 65536, "ARGON2_PARALLELISM": 4}
ARGON2_MINIMUM = {"ARGON2_TIME_COST": 2, "ARGON2_MEMORY_KIB": 19456, "ARGON2_PARALLELISM": 1}

# Beyond these a setting is a typo, not a choice: a session of 100 years, a reset link that
# works for ten, a chain of 500 proxies.
MAX_SESSION_HOURS = 30 * 24
MAX_RESET_SECONDS = 24 * 3600
MAX_TRUSTED_PROXIES = 10


class ConfigError(RuntimeError):
    """The environment does not allow the app to start; the message says why in one line."""


def _int(env: Mapping, name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _int_between(env: Mapping, name: str, default: int, low: int, high: int, unit: str = "") -> int:
    """A whole number within [low, high]; anything else stops the app with one line naming the range."""
    value = _int(env, name, default)
    if not low <= value <= high:
        unit = f" {unit}" if unit else ""
        raise ConfigError(f"{name} must be between {low} and {high}{unit}, got {value}")
    return value


# A production SECRET_KEY signs every session, remember cookie and reset link: one that a
# person typed ("k" * 40, "changeme…") can be guessed. These bounds pass any key made by
# `secrets.token_hex(16)`, `token_hex(32)` or `token_urlsafe(32)` and refuse a repeated or
# patterned one. A 32-character hex key draws from 16 symbols, so about one in ten thousand
# shows only 9 of them or an empirical entropy under 96 bits: the bounds sit below that
# (none of 200,000 such keys refused), and compression still catches the patterns.
MIN_SECRET_DISTINCT = 8
MIN_SECRET_BITS = 88


def secret_key_problem(key: str) -> str | None:
    """Why a production SECRET_KEY is too weak, or None."""
    if len(key) < 32:
        return "TRAINER_ENV=production needs SECRET_KEY set to a random string of at least 32 characters"
    counts = Counter(key)
    bits = -sum(n * math.log2(n / len(key)) for n in counts.values())
    # a pattern repeated ("0123456789" * 4) has many characters but compresses well
    compressed = len(zlib.compress(key.encode(), 9))
    if len(counts) < MIN_SECRET_DISTINCT or bits < MIN_SECRET_BITS or compressed < len(key) * 0.75:
        return ("SECRET_KEY looks typed, not random (too few different characters); "
                "make one with: python -c 'import secrets; print(secrets.token_hex(32))'")
    return None


def _worker_count(env: Mapping, argv: list[str]) -> int:
    """How many server processes will share this configuration, as far as gunicorn tells us."""
    counts = [_int(env, "WEB_CONCURRENCY", 1)]
    words = [*(env.get("GUNICORN_CMD_ARGS") or "").split()]
    if any("gunicorn" in part for part in argv[:2]):
        words += argv
    for index, word in enumerate(words):
        value = None
        if word in ("-w", "--workers") and index + 1 < len(words):
            value = words[index + 1]
        elif word.startswith("--workers="):
            value = word.split("=", 1)[1]
        elif word.startswith("-w") and len(word) > 2:
            value = word[2:]
        if value is not None and value.isascii() and value.isdigit():
            counts.append(int(value))
    return max(counts)


def _limit(env: Mapping, name: str, default: str) -> str:
    """A rate limit such as "5 per minute;20 per hour", checked now rather than at the first request."""
    from limits import parse_many

    raw = env.get(name) or default
    try:
        parse_many(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a rate limit such as '5 per minute;20 per hour', got {raw!r}") from exc
    return raw


def _bool(env: Mapping, name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


def _engine_options(env: Mapping, database_url: str) -> dict:
    # No check on every checkout: trainer.database.ping_idle_connections checks the
    # connections that sat idle, and SQLite's file never drops a connection.
    options: dict = {"pool_pre_ping": False}
    if database_url.startswith("postgresql") and not _bool(env, "PG_PREPARED_STATEMENTS", True):
        # A pooler that gives each transaction whichever server connection is free
        # (PgBouncer's transaction mode) cannot keep psycopg's prepared statements.
        options["connect_args"] = {"prepare_threshold": None}
    return options


def _dev_secret_key(instance_path: Path) -> str:
    """Keep one generated key per checkout, so sessions survive a restart in development."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def settings_from_env(instance_path: str, env: Mapping[str, str] | None = None,
                      argv: list[str] | None = None) -> dict:
    """Build the Flask config mapping from environment variables; raise ConfigError (one line)."""
    env = os.environ if env is None else env
    argv = sys.argv if argv is None else argv
    trainer_env = env.get("TRAINER_ENV", "development").strip().lower() or "development"
    if trainer_env not in ENVIRONMENTS:
        raise ConfigError(
            f"TRAINER_ENV must be one of {', '.join(ENVIRONMENTS)}, got {trainer_env!r}"
        )
    production = trainer_env == "production"
    instance = Path(instance_path)

    secret_key = env.get("SECRET_KEY", "")
    if production and (problem := secret_key_problem(secret_key)):
        raise ConfigError(problem)
    if production and _bool(env, "FLASK_DEBUG", False):
        # the debugger runs any Python a visitor types into an error page
        raise ConfigError("FLASK_DEBUG must not be on with TRAINER_ENV=production (the debugger runs code)")
    if not secret_key:
        secret_key = _dev_secret_key(instance)

    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'rxtrainer.db'}"
    # Heroku-style URLs name the old driver; psycopg 3 is the one installed.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]

    remember_days = min(_int(env, "REMEMBER_COOKIE_DAYS", 30), 30)
    if remember_days < 1:
        raise ConfigError("REMEMBER_COOKIE_DAYS must be between 1 and 30")

    reset_max_age = _int(env, "PASSWORD_RESET_MAX_AGE", 3600)
    if reset_max_age < 60:
        raise ConfigError("PASSWORD_RESET_MAX_AGE must be at least 60 seconds")
    if reset_max_age > MAX_RESET_SECONDS:
        raise ConfigError(f"PASSWORD_RESET_MAX_AGE must be at most {MAX_RESET_SECONDS} seconds (one day), "
                          f"got {reset_max_age}")
    session_hours = _int_between(env, "SESSION_HOURS", 12, 1, MAX_SESSION_HOURS, "hours")
    trusted_proxies = _int_between(env, "TRUSTED_PROXIES", 0, 0, MAX_TRUSTED_PROXIES)

    rate_limit_storage = env.get("RATELIMIT_STORAGE_URI", "memory://")
    if production and rate_limit_storage.startswith("memory://") and (workers := _worker_count(env, argv)) > 1:
        # each process would count on its own: N workers let N times the attempts through
        raise ConfigError(f"RATELIMIT_STORAGE_URI=memory:// with {workers} workers counts each worker apart; "
                          "set it to a shared store such as redis://host:6379/0")

    argon2 = {name: _int(env, name, default) for name, default in ARGON2_DEFAULTS.items()}
    for name, minimum in ARGON2_MINIMUM.items():
        if production and argon2[name] < minimum:
            raise ConfigError(f"{name} must be at least {minimum} in production (OWASP's argon2id minimum)")

    return {
        "TRAINER_ENV": trainer_env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(env, database_url),
        "SQLITE_BUSY_TIMEOUT_MS": _int(env, "SQLITE_BUSY_TIMEOUT_MS", 5000),
        "RATELIMIT_STORAGE_URI": rate_limit_storage,
        # Off: Flask-Limiter's X-RateLimit-* headers cost every throttled request a second
        # trip to the shared store (Redis) for the window's figures, a quarter of a
        # calculator call. A refused request still says when to come back (Retry-After,
        # trainer.web.errors).
        "RATELIMIT_HEADERS_ENABLED": False,
        # A fixed window lets twice the limit through around the turn of each minute
        # (five guesses at :59, five more at :00); a moving window counts the last minute.
        "RATELIMIT_STRATEGY": "moving-window",
        # If Redis is unreachable, each server keeps counting in memory rather than
        # answering every login with a 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "LOGIN_LIMIT_PER_ACCOUNT": _limit(env, "LOGIN_LIMIT_PER_ACCOUNT", "5 per minute;20 per hour"),
        "LOGIN_LIMIT_PER_ADDRESS": _limit(env, "LOGIN_LIMIT_PER_ADDRESS", "20 per minute;100 per hour"),
        # Every reset request sends a mail: a few per hour to one address is plenty, and
        # the per-address limit keeps one client from mailing a whole class list.
        "REGISTER_LIMIT_PER_ADDRESS": _limit(env, "REGISTER_LIMIT_PER_ADDRESS", "10 per hour"),
        "REGISTER_LIMIT_PER_ACCOUNT": _limit(env, "REGISTER_LIMIT_PER_ACCOUNT", "5 per hour"),
        "RESET_LIMIT_PER_ACCOUNT": _limit(env, "RESET_LIMIT_PER_ACCOUNT", "3 per hour"),
        "RESET_LIMIT_PER_ADDRESS": _limit(env, "RESET_LIMIT_PER_ADDRESS", "5 per minute;30 per hour"),
        "CALC_RATE_LIMIT": _limit(env, "CALC_RATE_LIMIT", "60 per minute"),
        "CE_VERIFY_RATE_LIMIT": _limit(env, "CE_VERIFY_RATE_LIMIT", "20 per minute;200 per day"),
        "CE_FEED_RATE_LIMIT": _limit(env, "CE_FEED_RATE_LIMIT", "30 per minute"),
        # Every try at a cohort's join code (typed or in a link) counts, so codes cannot be guessed.
        "JOIN_LIMIT_PER_ACCOUNT": _limit(env, "JOIN_LIMIT_PER_ACCOUNT", "10 per minute;30 per hour"),
        "JOIN_LIMIT_PER_ADDRESS": _limit(env, "JOIN_LIMIT_PER_ADDRESS", "20 per minute;100 per hour"),
        "PASSWORD_RESET_MAX_AGE": reset_max_age,
        **argon2,
        "REMEMBER_COOKIE_DURATION": timedelta(days=remember_days),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production or _bool(env, "SECURE_COOKIES", False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or _bool(env, "SECURE_COOKIES", False),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=session_hours),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "TRUSTED_PROXIES": trusted_proxies,
        "CONTENT_ROOT": env.get("CONTENT_ROOT", str(Path(__file__).resolve().parent.parent)),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024),
        "TESTING": trainer_env == "testing",
    }
