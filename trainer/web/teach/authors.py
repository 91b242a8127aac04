"""Owners and co-authors of courses, quizzes and questions, and copying a published item.

The rules live in trainer.services.ownership; these views read the form, call it, commit.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from trainer.extensions import db
from trainer.models import Course, Question, Quiz
from trainer.services import ownership
from trainer.services.accounts import find_user_by_email
from trainer.web.access import authorised, instructor_required
from trainer.web.forms import ActionForm
from trainer.web.teach.routes import bp

# kind in the address → (model, the column the address names it by, its page's endpoint and argument)
KINDS = {
    "courses": (Course, Course.slug, "teach.course", "slug"),
    "quizzes": (Quiz, Quiz.slug, "teach.quiz", "slug"),
    "questions": (Question, Question.uid, "teach.question", "uid"),
}


def _item(kind: str, key: str, *, edit: bool):
    if kind not in KINDS:
        abort(404)
    model, column, _, _ = KINDS[kind]
    item = db.session.scalar(select(model).where(column == key))
    if item is None:
        abort(404)
    return authorised(item, edit=edit)


def _page(kind: str, item):
    _, column, endpoint, argument = KINDS[kind]
    return url_for(endpoint, **{argument: getattr(item, column.key)})


@bp.post("/<kind>/<key>/authors")
@instructor_required
def authors(kind: str, key: str):
    """Add or remove a co-author (the owner and admins), or give the item to another instructor."""
    item = _item(kind, key, edit=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    action = request.form.get("action")
    if action not in ("add", "remove", "give"):
        abort(400)
    # co-authors write the item; who else writes it is for its owner (or an admin) to decide
    if current_user.role != "admin" and item.owner_id not in (None, current_user.id):
        abort(403)
    user = find_user_by_email(request.form.get("email", ""))
    try:
        if user is None:
            raise ownership.OwnershipRefused("No account has that email.")
        if action == "add":
            ownership.add_co_author(item, user, actor=current_user)
        elif action == "remove":
            ownership.remove_co_author(item, user, actor=current_user)
        else:
            ownership.give(item, user, actor=current_user)
    except ownership.OwnershipRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(_page(kind, item))
    db.session.commit()
    flash({"add": f"{user.email} now writes this with you.", "remove": f"{user.email} is no longer a co-author.",
           "give": f"{user.email} now owns this."}[action], "success")
    return redirect(_page(kind, item))


@bp.post("/<kind>/<key>/copy")
@instructor_required
def copy(kind: str, key: str):
    """A draft copy of a question or quiz the user may open, owned by them."""
    if kind not in ("quizzes", "questions"):
        abort(404)
    item = _item(kind, key, edit=False)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        made = (ownership.copy_question if kind == "questions" else ownership.copy_quiz)(item, actor=current_user)
    except ownership.OwnershipRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(_page(kind, item))
    db.session.commit()
    flash("Copied as a draft that is yours to change.", "success")
    return redirect(_page(kind, made))


def authors_panel(item) -> dict:
    """What the authors panel of an item's page shows (for the template)."""
    return {
        "owner": item.owner,
        "co_authors": list(item.co_authors),
        "may_edit": ownership.may_edit(current_user, item),
        "may_manage": current_user.role == "admin" or item.owner_id in (None, current_user.id),
    }


bp.add_app_template_global(authors_panel, "authors_panel")
