"""Two reference pages of no work of their own, added to the app the load bench serves.

They measure, served the same way as every page, the floor a logged-in page stands on
before it runs a query or renders a line of its own:

- `/_bench/logged-in` answers "ok" once Flask-Login has loaded the learner (the session
  cookie opened and checked, the user row read and its session version compared);
- `/_bench/layout` renders an empty page in the site's layout on top of that (navigation,
  the account menu with its log-out form and CSRF token, the flash messages).

A page's ratio cannot be higher than its floor's, so these rows tell which targets any
amount of work on the page's own queries and template can still reach. The routes exist
only in this module: the shipped app (`app.py`) has no such addresses.
"""

from flask import render_template
from flask_login import login_required


def add_floor_pages(app):
    """Add the two reference pages to `app` (before its first request); returns it."""
    # Compiled once, like the site's own templates.
    empty_page = app.jinja_env.from_string(
        '{% extends "base.html" %}{% block title %}Empty{% endblock %}{% block content %}<h1>Empty</h1>{% endblock %}'
    )

    @app.get("/_bench/logged-in")
    @login_required
    def logged_in_floor():
        return "ok"

    @app.get("/_bench/layout")
    @login_required
    def layout_floor():
        return render_template(empty_page)

    return app
