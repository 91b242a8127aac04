"""Who may see what: role checks for views."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import Forbidden

# Why an instructor may not change an item, on the 403 page (trainer.services.ownership).
SHIPPED_REFUSAL = "Shipped content is changed by an administrator; copy it to adapt it."
NOT_AUTHOR_REFUSAL = "Only its owner and co-authors change this; copy it to adapt it."


class EditRefused(Forbidden):
    """A 403 whose message, shown on the error page, says why the item cannot be changed."""

    shown_to_user = True


def role_required(*roles: str):
    """View decorator: the user must be logged in and hold one of `roles` (admin always may)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles and current_user.role != "admin":
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


instructor_required = role_required("instructor")
admin_required = role_required("admin")


def home_url(user) -> str:
    """Where a user lands after logging in: the teaching home for instructors and admins, else the dashboard."""
    if getattr(user, "is_instructor", False) and "teach.index" in current_app.view_functions:
        return url_for("teach.index")
    return url_for("main.dashboard")
def authorised(item, *, edit: bool):
    """The item, if the current user may open it (and, with `edit`, change it).

    Another instructor's draft is not there for them (404); a published item they do not
    write, or shipped content, is theirs to read and copy, not to change (403, saying why).
    See trainer.services.ownership.
    """
    from trainer.services import ownership

    if not ownership.may_view(current_user, item):
        abort(404)
    if edit and not ownership.may_edit(current_user, item):
        raise EditRefused(SHIPPED_REFUSAL if ownership.is_shipped(item) else NOT_AUTHOR_REFUSAL)
    return item
