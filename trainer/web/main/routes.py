"""The visitor's home page and the learner's dashboard."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user, login_required

from trainer.web.access import home_url

bp = Blueprint("main", __name__, template_folder="templates")


@bp.get("/")
def home():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    if "_flashes" in session or current_app.jinja_env.auto_reload:
        return render_template("main/home.html")  # a message to show, or templates being edited
    # Otherwise the page is the same for every visitor (no form, no token, no name): it is
    # rendered once per worker and prefix the site is served under (its links carry it).
    # The headers are still added to every response.
    cache = current_app.extensions.setdefault("trainer_home_page", {})
    if request.script_root not in cache:
        cache[request.script_root] = render_template("main/home.html")
    return cache[request.script_root]


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
