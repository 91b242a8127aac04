"""Item analysis pages: every quiz with attempts in scope, one quiz's questions, one question.

Whose attempts count is the scope: the learners of the instructor's cohorts, or one of
them (`?cohort=`); an admin may see everyone's. Another instructor's cohort is a 404.
`?attempts=all` reads every closed attempt instead of each learner's first.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from trainer.extensions import db
from trainer.models import Question, Quiz
from trainer.services import cohorts, ownership
from trainer.services import item_analysis as service
from trainer.teaching.item_statistics import (
    ALMOST_ALL_RIGHT,
    ALMOST_ALL_WRONG,
    MIN_RESPONSES_TO_FLAG,
)
from trainer.web.access import instructor_required
from trainer.web.teach.routes import bp, teach_section

teach_section("teach.analysis", "Item analysis",
              "How each question and quiz performs with your learners: facility, discrimination, "
              "distractors, time, and the items to look at.")


def regrade_command(question: Question) -> str:
    """The command that regrades stored answers once a question's key is fixed."""
    return f"flask --app app trainer regrade {question.uid}"


def _scope() -> tuple[service.Scope, object]:
    """The scope the address asks for, and the cohort if one was chosen; 404 for one not taught."""
    raw = request.args.get("cohort", "")
    if raw:
        if not (raw.isascii() and raw.isdigit() and len(raw) < 12):
            abort(404)
        cohort = cohorts.cohort_for(current_user, int(raw))
        if cohort is None:
            abort(404)
        return service.Scope((cohort.id,), cohort.name), cohort
    ids = cohorts.visible_cohort_ids(current_user)
    if ids is None:
        return service.Scope(None, "all learners"), None
    return service.Scope(tuple(ids), "the learners of your cohorts"), None


def _first_only() -> bool:
    return request.args.get("attempts") != "all"


def _common(scope, cohort) -> dict:
    return {
        "scope": scope, "cohort": cohort, "first_only": _first_only(),
        "cohorts": cohorts.visible_cohorts(current_user), "regrade_command": regrade_command,
        "min_responses": MIN_RESPONSES_TO_FLAG, "almost_right": ALMOST_ALL_RIGHT, "almost_wrong": ALMOST_ALL_WRONG,
    }


@bp.get("/analysis", endpoint="analysis")
@instructor_required
def analysis_index():
    scope, cohort = _scope()
    quizzes = service.overview(scope, first_only=_first_only())
    return render_template("teach/analysis/index.html", quizzes=quizzes, **_common(scope, cohort))


@bp.get("/analysis/quizzes/<slug>")
@instructor_required
def analysis_quiz(slug: str):
    scope, cohort = _scope()
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug))
    if quiz is None:
        abort(404)
    result = service.analyse_quiz(quiz, scope, first_only=_first_only()) if not scope.empty else None
    # one query for the whole table: which questions get an Edit link (trainer.services.ownership)
    editable = ownership.editable_ids(Question, current_user, [e.question.id for e in result.questions]) \
        if result is not None else set()
    return render_template("teach/analysis/quiz.html", quiz=quiz, result=result, editable=editable,
                           **_common(scope, cohort))


@bp.get("/analysis/questions/<uid>")
@instructor_required
def analysis_question(uid: str):
    scope, cohort = _scope()
    question = db.session.scalar(select(Question).where(Question.uid == uid))
    if question is None:
        abort(404)
    result = service.analyse_question(question, scope, first_only=_first_only()) if not scope.empty else None
    return render_template("teach/analysis/question.html", question=question, result=result,
                           **_common(scope, cohort))
