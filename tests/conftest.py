"""Fixtures shared by every test: the app on a migrated database, clients, accounts.

Isolation: the schema is built once per test process by running the real migrations;
each test then runs inside a transaction on one connection and the transaction is
rolled back afterwards, so tests never see each other's rows and never recreate tables.

TEST_DATABASE_URL selects PostgreSQL (each xdist worker gets its own database on that
server); without it every worker uses its own SQLite file.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import tempfile

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from itsdangerous import URLSafeTimedSerializer
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

os.environ.setdefault("TRAINER_INSTANCE_PATH", tempfile.mkdtemp(prefix="rxtrainer-test-instance-"))

from tests.e2e.requirements import missing_requirement  # noqa: E402
from trainer import create_app  # noqa: E402
from trainer.content import bounded  # noqa: E402
from trainer.extensions import db  # noqa: E402

# Production renders markdown within 1.5 s (trainer.content.bounded); a test machine running
# several suites at once may take longer for an ordinary module. The bound's own tests set 1.5.
bounded.RENDER_SECONDS = 20.0

# Fixed for tests, but shaped like a real key: production apps built in tests accept it.
TEST_SECRET_KEY = "test-secret-key-Jq7vR2pXw9LmT4cZk8Hb3NfY6dGs1UaE"

# Fast argon2 parameters for tests; the production defaults are checked in their own test.
FAST_HASHING = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024, "ARGON2_PARALLELISM": 1}


def base_config(database_url: str) -> dict:
    """The configuration every test app starts from."""
    return {
        "TRAINER_ENV": "testing",
        "SECRET_KEY": TEST_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": "localhost",
        **FAST_HASHING,
    }


def _create_postgres_database(base_url: str, worker: str) -> str:
    url = make_url(base_url)
    # The process id keeps two suites run at once on one server (two developers, or a
    # developer and CI) from dropping each other's databases.
    name = f"{url.database}_{worker}_{os.getpid()}".replace("-", "_")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(base_url: str, url: str) -> None:
    admin = create_engine(make_url(base_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def migrate_database(url: str) -> None:
    """Bring an empty database to the newest schema with the real migrations."""
    from flask_migrate import upgrade

    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    """A migrated, empty database for this test process."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        url = _create_postgres_database(base, worker_id)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    migrate_database(url)
    yield url
    if base:
        _drop_postgres_database(base, url)


class ShippedImport:
    """A database this test process filled once with `flask trainer import`, and what it printed."""

    def __init__(self, url: str, output: str):
        self.url, self.output = url, output


@pytest.fixture(scope="session")
def shipped_import(tmp_path_factory, worker_id):
    """The shipped content imported once per test process, into a database of its own.

    Importing the whole bank, the courses, drugs and scenarios takes a minute of CPU; a test
    marked `shipped_content` gets its app on this database instead, inside the same rolled-back
    transaction as any other test, so it reads the real import's rows without paying for it.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        url = _create_postgres_database(base, f"{worker_id}_shipped")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('shipped') / 'shipped.db'}"
    migrate_database(url)
    app = create_app(base_config(url))
    app.test_cli_runner_class = IsolatedCliRunner
    result = app.test_cli_runner().invoke(args=["trainer", "import"])
    with app.app_context():
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    yield ShippedImport(url, result.output)
    if base:
        _drop_postgres_database(base, url)


@pytest.fixture(scope="session")
def worker_id(request):
    """The xdist worker name, or "main" when the suite runs in one process."""
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "main"


class CSRFClient(FlaskClient):
    """A test client that adds a valid CSRF token to form posts, unless told not to.

    The token is made the way Flask-WTF makes it: a random value kept in the session,
    signed with the secret key. Pass `csrf=False` to send a post without one.
    """

    def csrf_token(self) -> str:
        """A valid token for this client's session."""
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", os.urandom(20).hex())
        secret = self.application.config.get("WTF_CSRF_SECRET_KEY") or self.application.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)

    def open(self, *args, csrf: bool = True, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        data = kwargs.get("data")
        if csrf and method == "POST" and (data is None or isinstance(data, dict)) and "json" not in kwargs:
            data = dict(data or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        # Each request runs in a fresh context, as it would in a server: otherwise it
        # would reuse the test's app context, and with it `g` (the logged-in user) and
        # the database session of earlier requests.
        return contextvars.Context().run(super().open, *args, **kwargs)


class SharedTemplateCode(BytecodeCache):
    """Compiled templates kept for the whole test process, shared by every app built in it.

    Each test builds its own app, and each app's Jinja environment would otherwise parse and
    compile every template it renders again (tens of milliseconds a page, thousands of tests).
    Jinja checks each entry against the template's source, so an edited template is compiled afresh.
    """

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = SharedTemplateCode()


class IsolatedCliRunner(FlaskCliRunner):
    """Runs each command in a fresh context, so it uses its own app, not the test's."""

    def invoke(self, *args, **kwargs):
        return contextvars.Context().run(super().invoke, *args, **kwargs)


@pytest.fixture
def make_app(request, database_url):
    """Build an app on the test database with extra configuration (no transaction).

    A test marked `shipped_content` gets the database the shipped content was imported into.
    """
    engines = []
    if request.node.get_closest_marker("shipped_content"):
        database_url = request.getfixturevalue("shipped_import").url

    def factory(**overrides):
        app = create_app({**base_config(database_url), **overrides})
        app.test_client_class = CSRFClient
        app.test_cli_runner_class = IsolatedCliRunner
        app.jinja_env.bytecode_cache = TEMPLATE_CODE
        with app.app_context():
            engines.append(db.engine)
        return app

    yield factory
    for engine in engines:
        engine.dispose()


def share_test_connection(app, other):
    """Make `other` (another app built in the test) use `app`'s rolled-back connection."""
    with other.app_context():
        db.engines[None] = app.extensions["test_connection"]
    return other


@pytest.fixture
def app(make_app):
    """The app, inside an app context, with every database write rolled back after the test."""
    app = make_app()
    with app.app_context():
        engine = db.engine
        connection = engine.connect()
        transaction = connection.begin()
        # Every session the code under test opens uses this one connection; its commits
        # become savepoints (see extensions.db), and the rollback below undoes them all.
        db.engines[None] = connection
        app.extensions["test_connection"] = connection
        try:
            yield app
        finally:
            db.session.remove()
            transaction.rollback()
            connection.close()
            db.engines[None] = engine


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def count_queries(app):
    """Context manager that records the SQL statements run inside it."""
    connection = app.extensions["test_connection"]

    @contextlib.contextmanager
    def counting():
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(connection, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(connection, "before_cursor_execute", record)

    return counting


# --- accounts ------------------------------------------------------------------------

DEFAULT_PASSWORD = "correct horse battery"


@pytest.fixture
def user_factory(app):
    """Create users straight in the database: user_factory(role="instructor", ...)."""
    from trainer.services import accounts

    counter = {"n": 0}

    def make(email=None, name=None, password=DEFAULT_PASSWORD, role="learner",
             learner_type="student", active=True):
        counter["n"] += 1
        user = accounts.create_user(
            email or f"user{counter['n']}@example.org",
            name or f"Test User {counter['n']}",
            password,
            role=role,
            learner_type=learner_type,
        )
        user.active = active
        db.session.commit()
        return user

    return make


class AuthActions:
    """Log a test client in and out through the real pages."""

    def __init__(self, client, user_factory):
        self._client = client
        self._user_factory = user_factory

    def login(self, user_or_email="learner", password=DEFAULT_PASSWORD, remember=False):
        """Log in; given a role name, first create a user with that role."""
        if isinstance(user_or_email, str) and "@" not in user_or_email:
            user = self._user_factory(role=user_or_email)
            email = user.email
        elif isinstance(user_or_email, str):
            user, email = None, user_or_email
        else:
            user, email = user_or_email, user_or_email.email
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        response = self._client.post("/login", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    def login_as_owner(self, *items, role="instructor"):
        """Log in as a new instructor who owns `items` (shipped content, without an owner,
        is changed by admins only: trainer.services.ownership)."""
        user = self._user_factory(role=role)
        for item in items:
            item.owner_id = user.id
        db.session.commit()
        return self.login(user)

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client, user_factory):
    return AuthActions(client, user_factory)


@pytest.fixture
def instructor(auth):
    """An instructor, logged in on `client`."""
    return auth.login("instructor")


# ---- browser tests on a machine without a browser ---------------------------------------------


def pytest_collection_modifyitems(config, items):
    """Leave the browser tests out when Chromium or playwright is missing (the summary says why);
    otherwise keep them on one worker (`--dist loadgroup`), which seeds one site for all of them."""
    if missing_requirement() is None:
        for item in items:
            if item.get_closest_marker("e2e"):
                # seeding a site for the browser takes over a minute of CPU: once, not once per worker
                item.add_marker(pytest.mark.xdist_group("browser"))
        return
    browser = [item for item in items if item.get_closest_marker("e2e")]
    if browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if not item.get_closest_marker("e2e")]


def pytest_terminal_summary(terminalreporter, config):
    """One line, not one skip per test, that says how to get the browser tests running."""
    reason = missing_requirement()
    if reason and not hasattr(config, "workerinput"):
        terminalreporter.write_line(f"Browser tests (tests/e2e) not run: {reason}.", yellow=True, bold=True)
