"""The grading queue of a quiz: essays waiting for the quiz's instructor, and the grade form."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from trainer.extensions import db
from trainer.models import Quiz
from trainer.services.grading import (
    can_grade,
    grade_by_hand,
    grading_queue,
    queued_item,
    read_grade,
)
from trainer.web.access import instructor_required
from trainer.web.forms import ActionForm
from trainer.web.teach.routes import bp


def _gradable_quiz(slug: str) -> Quiz:
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug))
    if quiz is None:
        abort(404)
    if not can_grade(current_user, quiz):
        abort(403)
    return quiz


@bp.get("/quizzes/<slug>/grading")
@instructor_required
def grading(slug: str):
    quiz = _gradable_quiz(slug)
    waiting, graded = grading_queue(quiz)
    return render_template("teach/quizzes/grading.html", quiz=quiz, waiting=waiting, graded=graded)


@bp.route("/quizzes/<slug>/grading/<int:item_id>", methods=["GET", "POST"])
@instructor_required
def grade_item(slug: str, item_id: int):
    quiz = _gradable_quiz(slug)
    item = queued_item(quiz, item_id)
    if item is None:
        abort(404)
    form = ActionForm()
    problems: list[tuple[str, str]] = []
    values = {
        "score": request.form.get("score", "") if request.method == "POST"
        else ("" if item.score is None or "awaiting_grading" in (item.grade_flags or []) else f"{item.score * 100:g}"),
        "comment": request.form.get("comment", "") if request.method == "POST" else (item.grader_comment or ""),
    }
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        percent, comment, problems = read_grade(values["score"], values["comment"])
        if not problems:
            grade_by_hand(item, percent, comment, grader=current_user)
            db.session.commit()
            flash(f"Graded: {item.attempt.user.name or item.attempt.user.email}, {percent:g}%.", "success")
            return redirect(url_for("teach.grading", slug=slug))
    return render_template(
        "teach/quizzes/grade_item.html", quiz=quiz, item=item, form=form, values=values,
        problems=dict(problems),
    ), (422 if problems else 200)
