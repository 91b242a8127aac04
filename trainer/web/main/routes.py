"""The visitor's home page and the learner's dashboard."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template
from flask_login import current_user, login_required

from trainer.web.access import home_url

bp = Blueprint("main", __name__, template_folder="templates")


@bp.get("/")
def home():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    return render_template("main/home.html")


@bp.get("/dashboard")
@login_required
def dashboard():
    return render_template("main/dashboard.html", panels=dashboard_panels(current_user))


# Each area of the site contributes a panel to the dashboard by registering a function
# here; the dashboard itself knows nothing about courses, quizzes or CE.
_PANEL_PROVIDERS: list = []


def dashboard_panel(provider):
    """Register a function(user) -> dict | None that describes one dashboard panel."""
    _PANEL_PROVIDERS.append(provider)
    return provider


def dashboard_panels(user) -> list[dict]:
    """The panels for this user's dashboard, from every registered provider."""
    panels = []
    for provider in _PANEL_PROVIDERS:
        panel = provider(user)
        if panel:
            panels.append(panel)
    return panels
