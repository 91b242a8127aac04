"""Friendly error pages: a user never sees a stack trace."""

from __future__ import annotations

import contextlib
import math
import time

from flask import current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from trainer.extensions import db, limiter

MESSAGES = {
    400: ("Something was wrong with that request", "The page could not use what was sent. Go back, reload the page and try again."),
    403: ("You do not have access to this page", "Your account's role does not allow this. If you think it should, ask an administrator."),
    404: ("Page not found", "There is nothing at this address. It may have moved, or the link may be mistyped."),
    405: ("That action is not allowed here", "This page does not accept that kind of request."),
    413: ("That upload is too large", "Choose a smaller file and try again."),
    429: ("Too many attempts", "You have tried this too often in a short time. Wait a few minutes, then try again."),
    500: ("Something went wrong on our side", "The error has been logged. Please try again in a moment."),
}

# The database cannot be reached: the full layout would try again (to load the logged-in
# user) and fail the same way, so these go straight to the plain page.
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)

# Headers of an HTTPException worth keeping on our page (405 must say what is allowed).
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _wants_json() -> bool:
    return (
        request.path.startswith("/api/")
        or request.is_json
        or request.accept_mimetypes.best == "application/json"
    )


def _retry_seconds() -> int | None:
    """Seconds until the breached rate limit resets, if the limiter knows."""
    limit = limiter.current_limit
    if limit is None or not limit.breached:
        return None
    try:
        return max(1, math.ceil(limit.reset_at - time.time()))
    except Exception:  # the limit store went away: the general advice will do
        return None


def _retry_text(seconds: int | None) -> str | None:
    """How long until the breached rate limit resets, in words."""
    if seconds is None:
        return None
    minutes = max(1, round(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"You have tried this too often in a short time. Try again in {minutes} {unit}."


def _rollback() -> None:
    """Discard the failed transaction, so nothing after the error reuses it."""
    # The database may be unreachable; the error page must render all the same.
    with contextlib.suppress(Exception):
        db.session.rollback()


def _render(code: int, detail: str | None = None, headers=None, plain: bool = False):
    title, text = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    headers = list(headers or [])
    if _wants_json():
        return jsonify({"error": detail or title, "status": code}), code, headers
    context = {"code": code, "title": title, "text": detail or text}
    if not plain:
        try:
            return render_template("error.html", **context), code, headers
        except Exception:
            # The layout reads the logged-in user and the role's navigation from the
            # database; if that is what is broken, fall back to the plain page.
            current_app.logger.exception("Error page %s could not use the full layout", code)
            _rollback()
    # Rendered straight from the environment: no context processors, so nothing here
    # touches the database or the logged-in user.
    page = current_app.jinja_env.get_template("error_plain.html").render(**context)
    return page, code, headers


def register_error_handlers(app) -> None:
    """Install the handlers on `app`."""

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return _render(400, "Your form expired or was sent from elsewhere. Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def _http(exc):
        code = exc.code or 500
        kept = [(k, v) for k, v in exc.get_headers() if k in _KEPT_HEADERS]
        detail = None
        if code == 429:
            seconds = _retry_seconds()
            detail = _retry_text(seconds)
            if seconds is not None and not any(k == "Retry-After" for k, _ in kept):
                kept.append(("Retry-After", str(seconds)))
        if getattr(exc, "shown_to_user", False):
            detail = exc.description  # written for the visitor (trainer.web.numbers.NumberRefused)
        return _render(code, detail, kept)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        _rollback()
        return _render(500, plain=isinstance(exc, DATABASE_DOWN))
