"""Databases for the load bench and the profiler: migrated, the shipped content imported,
and the bench's accounts (a learner and an instructor) created.

SQLite by default (a file in a temporary folder); with TEST_DATABASE_URL, a database
named `<that database>_bench` on the same PostgreSQL server, dropped and made again.
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "bench-secret-key-Jq7vR2pXw9LmT4cZk8Hb3NfY6dGs1UaE"


def fresh_database_url(label: str = "bench") -> str:
    """An empty database to fill: PostgreSQL when TEST_DATABASE_URL is set, else a SQLite file."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        folder = Path(tempfile.mkdtemp(prefix=f"rxtrainer-{label}-"))
        return f"sqlite:///{folder / 'bench.db'}"
    url = make_url(base)
    name = f"{url.database}_{label}".replace("-", "_")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def rate_limit_store() -> str:
    """The shared rate-limit store the served app needs with several workers, as in production."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    address = make_url(url)
    try:
        socket.create_connection((address.host or "127.0.0.1", address.port or 6379), timeout=2).close()
    except OSError:
        raise SystemExit(f"The load bench serves the app as in production, whose throttles need a shared store "
                         f"with several workers: start Redis at {address.host}:{address.port or 6379} "
                         f"or set BENCH_REDIS_URL") from None
    return url


def app_environment(database_url: str, instance_path: str, *, workers: int = 2) -> dict:
    """Environment variables for serving the bench database as in production (calculator throttle raised)."""
    return {
        # one process counts its own throttles; several must share a store, as production refuses otherwise
        "RATELIMIT_STORAGE_URI": rate_limit_store() if workers > 1 else "memory://",
        "TRAINER_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "TRAINER_INSTANCE_PATH": instance_path,
        "CALC_RATE_LIMIT": "1000000 per minute",
        "CONTENT_ROOT": str(ROOT),
    }


def make_app(database_url: str):
    """The app on `database_url`, configured like the served one."""
    instance = tempfile.mkdtemp(prefix="rxtrainer-bench-instance-")
    os.environ.update(app_environment(database_url, instance, workers=1))
    from trainer import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def prepare_database(database_url: str) -> None:
    """Migrate, import the shipped content and create the bench accounts."""
    from flask_migrate import upgrade
    from pages import INSTRUCTOR_EMAIL, LEARNER_EMAIL, PASSWORD

    from trainer.database import writing
    from trainer.extensions import db
    from trainer.services import accounts
    from trainer.services.content_import import import_content

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        with writing():
            import_content(ROOT)
            db.session.commit()
            for email, role in ((LEARNER_EMAIL, "learner"), (INSTRUCTOR_EMAIL, "instructor")):
                if accounts.find_user_by_email(email) is None:
                    accounts.create_user(email, email.split("@")[0], PASSWORD, role=role,
                                         learner_type="technician")
            db.session.commit()
        db.engine.dispose()


def settle_database(database_url: str) -> None:
    """Let PostgreSQL gather its statistics now, not during a measurement.

    After the import every table is new: autovacuum would analyze them a minute later,
    in the middle of some page's run, and the plans before and after differ. A server in
    use has its statistics already. (SQLite gathers none unless asked, in the bench as in
    production.)
    """
    if not database_url.startswith("postgresql"):
        return
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
