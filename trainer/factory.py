"""The app factory proper: extensions, blueprints, CLI, security headers, error pages."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from flask import Flask, Request, abort, g, request
from flask.globals import _cv_request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix

from trainer.config import ConfigError, settings_from_env
from trainer.database import (
    commit_read_only_transactions,
    configure_sqlite,
    include_in_autogenerate,
    ping_idle_connections,
    reset_write_intent,
    set_write_intent,
)
from trainer.extensions import csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CONFIG_ERROR_STATUS = 4

# No inline script or style anywhere: everything the pages need is in /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Sent with every answer unless the view set its own (HSTS too, in production).
SECURITY_HEADERS = [
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
]


class ParametersWithoutNul(ImmutableMultiDict):
    """Query and form parameters with NUL characters removed.

    No text here ever contains NUL, and PostgreSQL refuses it in a query, which would
    surface as a server error; without it, each page's own validation answers as usual.
    """

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        if isinstance(mapping, MultiDict):
            pairs = mapping.items(multi=True)
        elif isinstance(mapping, dict):
            pairs = mapping.items()
        else:
            pairs = mapping
        super().__init__([(_without_nul(key), _without_nul(value)) for key, value in pairs])


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class TrainerRequest(Request):
    """Flask's request, hardened against two inputs that would otherwise be server errors.

    NUL characters never reach a view (see ParametersWithoutNul). JSON too deeply nested
    to parse is bad input: the decoder raises RecursionError (not ValueError) on `[[[[…`,
    which `get_json(silent=True)` does not catch.
    """

    parameter_storage_class = ParametersWithoutNul

    def get_json(self, force=False, silent=False, cache=True):
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            if silent:
                return None
            raise BadRequest("The JSON body is nested too deeply.") from None


class TrainerFlask(Flask):
    """Flask, with each address a page links to worked out once per worker.

    Building a URL walks werkzeug's rules; the layout alone links to a dozen endpoints
    and a catalog to a few dozen more. Within a request, a relative URL depends only on
    the endpoint, its values and the script root, so it is remembered under those.
    Anything else (external URLs, a scheme or method, values other than text and whole
    numbers, URL-default hooks) is built as before.
    """

    URL_CACHE_SIZE = 4096

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._url_cache: dict = {}

    def url_for(self, endpoint, *, _anchor=None, _method=None, _scheme=None, _external=None, **values):
        request_context = _cv_request.get(None)
        if (request_context is None or _method is not None or _scheme is not None or _external
                or request_context.url_adapter is None or self.url_default_functions
                or not all(type(value) in (str, int) for value in values.values())):
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                                   _external=_external, **values)
        # ".name" is relative to the current blueprint, so the blueprint is part of the key.
        blueprint = request_context.request.blueprint if endpoint[:1] == "." else None
        key = (request_context.url_adapter.script_name, blueprint, endpoint, _anchor,
               *sorted(values.items()))
        url = self._url_cache.get(key)
        if url is None:
            url = super().url_for(endpoint, _anchor=_anchor, **values)
            if len(self._url_cache) >= self.URL_CACHE_SIZE:
                self._url_cache.clear()  # addresses with ids (attempts, items) are many
            self._url_cache[key] = url
        return url


def build_app(config: dict | None = None) -> Flask:
    """Create and wire a Flask app (see trainer.create_app)."""
    app = TrainerFlask(
        "trainer",
        instance_path=os.environ.get("TRAINER_INSTANCE_PATH") or str(ROOT / "instance"),
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
        template_folder="templates",
    )
    env = dict(os.environ)
    # These two decide how the rest is read, so an explicit config may set them too.
    for key in ("TRAINER_ENV", "SECRET_KEY"):
        if config and key in config:
            env[key] = config[key]
    try:
        app.config.update(settings_from_env(app.instance_path, env))
    except ConfigError as exc:
        # One line, no traceback: this is an operator's mistake, not a bug. Status 4 is
        # gunicorn's "app failed to load": it stops, instead of restarting workers forever.
        print(f"RxTrainer cannot start: {exc}", file=sys.stderr)
        raise SystemExit(CONFIG_ERROR_STATUS) from None
    if config:
        app.config.update(config)
    # Werkzeug caps each form field at 500 KB on its own; uploads may be as large as the
    # request, so a pasted GIFT file is not refused below the documented limit.
    if not (config and "MAX_FORM_MEMORY_SIZE" in config):
        app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_CONTENT_LENGTH"]
    app.request_class = TrainerRequest
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    _init_extensions(app)
    # Before any route is added: every <int:…> in the site is bounded (trainer.web.numbers).
    from trainer.web.numbers import IdConverter

    app.url_map.converters["int"] = IdConverter
    _register_blueprints(app)
    _register_request_hooks(app)

    from trainer.web.errors import register_error_handlers

    register_error_handlers(app)

    from trainer.cli import register_cli

    register_cli(app)

    from trainer.content.bounded import warm_up

    warm_up()  # the markdown worker starts importing now, not at the first editor save

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


def _init_extensions(app: Flask) -> None:
    import trainer.models  # noqa: F401 - registers every table on db.metadata

    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
        else:
            ping_idle_connections(engine)
            commit_read_only_transactions(engine)
    migrate.init_app(
        app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True,
        include_name=include_in_autogenerate,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.refresh_view = "auth.login"

    from trainer.web.auth.session import load_user_from_id

    login_manager.user_loader(load_user_from_id)


def _register_blueprints(app: Flask) -> None:
    from trainer.web.admin.routes import bp as admin_bp
    from trainer.web.api.routes import bp as api_bp
    from trainer.web.auth.routes import bp as auth_bp
    from trainer.web.calc.routes import bp as calc_bp
    from trainer.web.ce.routes import bp as ce_bp
    from trainer.web.courses.routes import bp as courses_bp
    from trainer.web.drugs.routes import bp as drugs_bp
    from trainer.web.main.routes import bp as main_bp
    from trainer.web.quizzes.routes import bp as quizzes_bp
    from trainer.web.teach.classes import bp as classes_bp
    from trainer.web.teach.routes import bp as teach_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(teach_bp)
    app.register_blueprint(quizzes_bp)
    app.register_blueprint(calc_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(courses_bp)
    app.register_blueprint(drugs_bp)
    app.register_blueprint(ce_bp)
    app.register_blueprint(classes_bp)

    from trainer.web.flashcards.routes import bp as flashcards_bp
    from trainer.web.readiness.routes import bp as readiness_bp

    app.register_blueprint(readiness_bp)
    app.register_blueprint(flashcards_bp)

    from trainer.web.scenarios.routes import bp as scenarios_bp
    from trainer.web.scenarios.teach import bp as scenarios_teach_bp

    app.register_blueprint(scenarios_bp)
    app.register_blueprint(scenarios_teach_bp)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _register_request_hooks(app: Flask) -> None:
    @app.before_request
    def _refuse_nul_in_the_path():
        # No page's address contains NUL, and PostgreSQL would refuse it in a lookup. The
        # API answers unknown names itself (with the list of what exists).
        if "\x00" in request.path and not request.path.startswith("/api/"):
            abort(404)

    @app.before_request
    def _declare_write_intent():
        g._write_token = set_write_intent(request.method not in SAFE_METHODS)

    @app.teardown_request
    def _clear_write_intent(_exc):
        token = g.pop("_write_token", None)
        if token is not None:
            reset_write_intent(token)

    security_headers = list(SECURITY_HEADERS)
    if app.config["TRAINER_ENV"] == "production":
        security_headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        wanted = security_headers
        if request.endpoint and not request.endpoint.endswith("static"):
            # Pages may show a learner's answers or grades: never cache them in shared caches.
            wanted = [*security_headers, ("Cache-Control", "no-store")]
        # A view may set its own; the rest are added in one pass (werkzeug's setdefault
        # scans the headers once per name).
        present = {name.lower() for name, _ in headers.items()}
        headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
        return response

    from trainer.rx.abbreviations import AMOUNT_POLICY, AMOUNT_POLICY_SHORT

    app.jinja_env.globals.update(amount_policy=AMOUNT_POLICY, amount_policy_short=AMOUNT_POLICY_SHORT)

    @app.template_filter("percent")
    def _percent(value) -> str:
        """A learner's score as a whole percent, by the one rule of trainer.calc.numbers.whole_percent."""
        from trainer.calc.numbers import whole_percent

        shown = whole_percent(value)
        return "–" if shown is None else f"{shown}%"

    @app.context_processor
    def _inject_template_globals():
        from flask_login import current_user

        return {
            "action_form": ACTION_FORM_ON_DEMAND,
            "trainer_env": app.config["TRAINER_ENV"],
            "nav_links": _nav_links(app, current_user),
        }


class ActionFormOnDemand:
    """The CSRF-only form templates reach as `action_form`, built the first time a template uses it.

    Building a WTForms form for every render made a CSRF token, and so opened and changed
    the session, for pages without a form, anonymous visitors included. A page with a form
    still gets its token, once per request (Flask-WTF keeps it in `g`).
    """

    def __getattr__(self, name):
        form = g.get("_action_form")
        if form is None:
            from trainer.web.forms import ActionForm

            form = g._action_form = ActionForm()
        return getattr(form, name)


ACTION_FORM_ON_DEMAND = ActionFormOnDemand()


# (endpoint, label, who sees it). An area appears in the navigation once its blueprint
# is registered, so the layout never links to a page that does not exist.
NAVIGATION = [
    # Instructors and admins start from the teaching home; their own learning dashboard
    # is linked from there.
    ("main.dashboard", "Dashboard", "learner"),
    ("teach.index", "Home", "instructor"),
    ("courses.catalog", "Courses", "anyone"),
    ("quizzes.index", "Quizzes", "user"),
    ("scenarios.index", "Simulator", "user"),
    ("readiness.index", "Readiness", "user"),
    ("flashcards.index", "Flashcards", "user"),
    ("calc.calculator", "Calculator", "anyone"),
    ("drugs.index", "Drugs", "anyone"),
    ("ce.dashboard", "CE", "user"),
    ("admin.users", "Admin", "admin"),
]


def _nav_links(app: Flask, user) -> list[tuple[str, str]]:
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    # The same for everyone with a role once the blueprints are registered: worked out once.
    cache = app.extensions.setdefault("trainer_nav_links", {})
    if role not in cache:
        cache[role] = _links_for_role(app, role)
    return cache[role]


def _links_for_role(app: Flask, role: str | None) -> list[tuple[str, str]]:
    allowed = {
        "anyone": True,
        "user": role is not None,
        "learner": role == "learner",
        "instructor": role in ("instructor", "admin"),
        "admin": role == "admin",
    }
    return [
        (endpoint, label)
        for endpoint, label, audience in NAVIGATION
        if allowed[audience] and endpoint in app.view_functions
    ]

