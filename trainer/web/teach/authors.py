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
from trainer.web.access import NOT_AUTHOR_REFUSAL, SHIPPED_REFUSAL, authorised, instructor_required
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
    if not ownership.may_manage(current_user, item):
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
    """A draft copy of a course, quiz or question the user may open, owned by them."""
    item = _item(kind, key, edit=False)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if kind == "courses":
            copied = ownership.copy_course(item, actor=current_user)
            made, message = copied.course, _course_copy_message(item, copied)
        else:
            made = (ownership.copy_question if kind == "questions" else ownership.copy_quiz)(item, actor=current_user)
            message = "Copied as a draft that is yours to change."
    except ownership.OwnershipRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(_page(kind, item))
    db.session.commit()
    flash(message, "success")
    return redirect(_page(kind, made))


def _course_copy_message(original: Course, copied: ownership.CourseCopy) -> str:
    parts = [f"Copied “{original.title}” as a draft course that is yours to change, with its "
             f"{len(copied.course.modules)} module{'s' if len(copied.course.modules) != 1 else ''}."]
    if copied.post_test is not None:
        parts.append(f"Its post-test was copied too, as your draft quiz “{copied.post_test.title}”: "
                     "publish it before the course.")
    elif copied.post_test_left_out:
        parts.append("Its post-test is another instructor's draft, so it was not copied: choose a post-test.")
    if original.uan:
        parts.append("The UAN was left empty: it belongs to the accredited provider's activity, "
                     "so enter your own provider's UAN if this copy is accredited.")
    return " ".join(parts)


def authors_panel(item) -> dict:
    """What the authors panel of an item's page shows (for the template)."""
    return {
        "owner": item.owner,
        "co_authors": list(item.co_authors),
        "may_edit": ownership.may_edit(current_user, item),
        "may_manage": ownership.may_manage(current_user, item),
        "shipped": ownership.is_shipped(item),
        # why the page offers a copy instead of its edit buttons
        "read_only_reason": SHIPPED_REFUSAL if ownership.is_shipped(item) else NOT_AUTHOR_REFUSAL,
    }


def may_change(item) -> bool:
    """Whether the current user may change the item: its page shows edit buttons, else "Copy to edit"."""
    return ownership.may_edit(current_user, item)


bp.add_app_template_global(authors_panel, "authors_panel")
bp.add_app_template_global(may_change, "may_change")
