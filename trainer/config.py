"""Settings, read from environment variables only, with safe defaults.

Every variable is listed, with its meaning, in the README's configuration table.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ENVIRONMENTS = ("development", "production", "testing")


class ConfigError(RuntimeError):
    """The environment does not allow the app to start; the message says why in one line."""


def _int(env: dict, name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _bool(env: dict, name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


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


def settings_from_env(instance_path: str, env: dict | None = None) -> dict:
    """Build the Flask config mapping from environment variables."""
    env = dict(os.environ if env is None else env)
    trainer_env = env.get("TRAINER_ENV", "development").strip().lower() or "development"
    if trainer_env not in ENVIRONMENTS:
        raise ConfigError(
            f"TRAINER_ENV must be one of {', '.join(ENVIRONMENTS)}, got {trainer_env!r}"
        )
    production = trainer_env == "production"
    instance = Path(instance_path)

    secret_key = env.get("SECRET_KEY", "")
    if production and len(secret_key) < 32:
        raise ConfigError(
            "TRAINER_ENV=production needs SECRET_KEY set to a random string of at least 32 characters"
        )
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

    return {
        "TRAINER_ENV": trainer_env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SQLITE_BUSY_TIMEOUT_MS": _int(env, "SQLITE_BUSY_TIMEOUT_MS", 5000),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ACCOUNT": env.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute;20 per hour"),
        "LOGIN_LIMIT_PER_ADDRESS": env.get("LOGIN_LIMIT_PER_ADDRESS", "20 per minute;100 per hour"),
        "CALC_RATE_LIMIT": env.get("CALC_RATE_LIMIT", "60 per minute"),
        "PASSWORD_RESET_MAX_AGE": _int(env, "PASSWORD_RESET_MAX_AGE", 3600),
        "ARGON2_TIME_COST": _int(env, "ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_KIB": _int(env, "ARGON2_MEMORY_KIB", 65536),
        "ARGON2_PARALLELISM": _int(env, "ARGON2_PARALLELISM", 4),
        "REMEMBER_COOKIE_DURATION": timedelta(days=remember_days),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production or _bool(env, "SECURE_COOKIES", False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or _bool(env, "SECURE_COOKIES", False),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_int(env, "SESSION_HOURS", 12)),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "TRUSTED_PROXIES": _int(env, "TRUSTED_PROXIES", 0),
        "CONTENT_ROOT": env.get("CONTENT_ROOT", str(Path(__file__).resolve().parent.parent)),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024),
        "TESTING": trainer_env == "testing",
    }
