"""Forms shared by every area of the site."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state (log out, start a quiz)."""
