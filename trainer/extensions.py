"""Flask extensions, created once here and bound to an app in create_app."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so migrations can drop and alter them on SQLite (batch mode) and
# PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# create_savepoint matters only when tests bind the session to an outer connection:
# a commit in the code under test then releases a savepoint instead of ending the
# test's transaction, which is rolled back afterwards.
db = SQLAlchemy(model_class=Base, session_options={"join_transaction_mode": "create_savepoint"})


class RouteLimiter(Limiter):
    """Flask-Limiter, consulted only on the routes that declare a limit.

    Flask-Limiter looks for default, application-wide and blueprint limits in a
    before_request hook on every request, static files and plain pages included (about
    0.1 ms each). This site declares every limit on its route, and a route's own limits
    are checked by its decorator, so the hook is skipped unless such a wider limit is
    configured: nothing that is throttled today stops being throttled.
    """

    def init_app(self, app) -> None:
        # init_app gives the app a storage of its own, but Flask-Limiter keeps "the storage
        # is dead" and the strategy on this one object from an earlier app: after an app
        # whose Redis was down, the next app counted in the fallback until a health check
        # switched it back mid-count, splitting one account's failed logins over two stores.
        self._storage_dead = False
        self._strategy = None
        super().init_app(app)

    def _check_request_limit(self, callable_name=None, in_middleware=True):
        if in_middleware and not self._limits_beyond_routes():
            return None
        return super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)

    def _limits_beyond_routes(self) -> bool:
        manager = self.limit_manager
        return bool(manager.default_limits or manager.application_limits
                    or manager._blueprint_limits or manager._endpoint_hints)


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = RouteLimiter(key_func=get_remote_address, default_limits=[])
