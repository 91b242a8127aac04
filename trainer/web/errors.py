"""Friendly error pages: a user never sees a stack trace."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("Something was wrong with that request", "The page could not use what was sent. Go back, reload the page and try again."),
    403: ("You do not have access to this page", "Your account's role does not allow this. If you think it should, ask an administrator."),
    404: ("Page not found", "There is nothing at this address. It may have moved, or the link may be mistyped."),
    405: ("That action is not allowed here", "This page does not accept that kind of request."),
    413: ("That upload is too large", "Choose a smaller file and try again."),
    429: ("Too many attempts", "You have tried this too often in a short time. Wait a minute, then try again."),
    500: ("Something went wrong on our side", "The error has been logged. Please try again in a moment."),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def _render(code: int, detail: str | None = None):
    title, text = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    if _wants_json():
        return jsonify({"error": detail or title}), code
    return render_template("error.html", code=code, title=title, text=detail or text), code


def register_error_handlers(app) -> None:
    """Install the handlers on `app`."""

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return _render(400, "Your form expired or was sent from elsewhere. Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def _http(exc):
        return _render(exc.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _render(500)
