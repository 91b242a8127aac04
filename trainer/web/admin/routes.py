"""Admin pages: users and roles, and password-reset links while there is no mail server."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from trainer.extensions import db
from trainer.models import AuditEvent, User
from trainer.services import accounts
from trainer.web.access import admin_required
from trainer.web.admin.forms import RoleForm
from trainer.web.forms import ActionForm
from trainer.web.numbers import query_number

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

PAGE_SIZE = 50
MAX_PAGE = 100_000


@bp.get("/users")
@admin_required
def users():
    q = request.args.get("q", "").replace("\x00", "").strip()[:254]
    # Clamped: a huge page number would overflow the database's integer OFFSET.
    page = max(query_number("page", 1, 1, MAX_PAGE), 1)
    stmt = select(User).order_by(User.created_at.desc(), User.id.desc())
    if q:
        # % and _ in the search are literal characters, not wildcards.
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        stmt = stmt.where(or_(func.lower(User.email).like(like, escape="\\"),
                              func.lower(User.name).like(like, escape="\\")))
    rows = db.session.scalars(stmt.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    return render_template(
        "admin/users.html",
        users=rows[:PAGE_SIZE],
        has_next=len(rows) > PAGE_SIZE,
        page=page,
        q=q,
        role_form=RoleForm,
    )


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int):
    user = _get_user(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Choose one of the listed roles.", "error")
        return redirect(url_for("admin.users"))
    new_role = form.role.data
    if user.role == "admin" and new_role != "admin" and accounts.count_admins() <= 1:
        flash("This is the last admin. Make another admin first.", "error")
        return redirect(url_for("admin.users"))
    if new_role != user.role:
        AuditEvent.record("role_changed", subject=user.email, actor=current_user,
                          old=user.role, new=new_role)
        user.role = new_role
        db.session.commit()
        flash(f"{user.name} is now {new_role}.", "success")
    return redirect(url_for("admin.users", q=request.args.get("q", "")))


@bp.post("/users/<int:user_id>/reset-link")
@admin_required
def reset_link(user_id: int):
    user = _get_user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    url = url_for("auth.reset_password", token=accounts.make_reset_token(user), _external=True)
    accounts.send_password_reset(user, url, requested_by=current_user)
    db.session.commit()
    return render_template("admin/reset_link.html", user=user, url=url,
                           lifetime=accounts.reset_link_lifetime())
