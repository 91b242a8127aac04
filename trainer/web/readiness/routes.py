"""Exam readiness: the readiness page, the exam goal, mock exams and their score reports,
adaptive practice, and the instructors' bank check.

Mock exams and practice sessions are taken on the quiz pages (trainer.web.quizzes);
these views only start them and report on them.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from trainer.extensions import db
from trainer.models import utcnow
from trainer.services import flashcards, missed_questions, mock_exams, practice, quizzes, readiness
from trainer.services.mastery import outlines
from trainer.web.access import instructor_required
from trainer.web.forms import ActionForm
from trainer.web.main.routes import dashboard_panel
from trainer.web.readiness.chart import STANDING_WORDS, mastery_chart
from trainer.web.readiness.forms import GoalForm, MockExamForm
from trainer.web.teach.routes import teach_section

bp = Blueprint("readiness", __name__, url_prefix="/readiness", template_folder="templates")

teach_section("readiness.bank_check", "Mock exam bank check",
              "Whether the question bank holds enough four-option questions per exam domain for full mock exams.")


def current_time():
    """The clock the views use (tests replace it to move time on)."""
    return utcnow()


def _outline_choices() -> list[tuple[str, str]]:
    return [
        (code, f"{outline.title}{'' if outline.official else ' (weights unofficial)'}")
        for code, outline in outlines().items()
    ]


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = ([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest else [])
    return " ".join(parts) or "0 min"


@bp.app_template_filter("duration")
def duration_filter(minutes: int) -> str:
    return _duration(int(minutes))


@bp.get("/")
@login_required
def index():
    now = current_time()
    goal = readiness.goal_of(current_user.id, now.date())
    if goal is None:
        return render_template("readiness/unavailable.html")
    report = readiness.report_for(current_user.id, goal.outline, now)
    form = GoalForm(outline=goal.outline.code, exam_date=goal.exam_date)
    form.outline.choices = _outline_choices()
    plan = readiness.plan_for(report, goal.exam_date, now.date(), readiness.mock_exams_taken(current_user.id))
    return render_template(
        "readiness/index.html", goal=goal, report=report, chart=mastery_chart(report), form=form,
        plan=plan, missed=missed_questions.queue_summary(current_user.id, now),
        cards_due=flashcards.due_today(current_user, now),
        open_mock=mock_exams.open_mock_exam(current_user), standing_words=STANDING_WORDS,
    )


@bp.post("/goal")
@login_required
def set_goal():
    now = current_time()
    form = GoalForm()
    form.outline.choices = _outline_choices()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        flash("That date could not be read: write it as YYYY-MM-DD.", "error")
        return redirect(url_for("readiness.index"))
    problems = readiness.set_goal(current_user.id, form.outline.data, form.exam_date.data, now.date())
    if problems:
        for _, message in problems:
            flash(message, "error")
        return redirect(url_for("readiness.index"))
    db.session.commit()
    flash("Your exam goal is saved.", "success")
    return redirect(url_for("readiness.index"))


# ---- mock exams -----------------------------------------------------------------------------------


@bp.get("/mock-exams")
@login_required
def mock_exams_page():
    forms = []
    for outline in outlines().values():
        forms.append({"outline": outline, "plan": mock_exams.form_plan(outline)})
    return render_template(
        "readiness/mock_exams.html", forms=forms, open_mock=mock_exams.open_mock_exam(current_user),
        time_choices=MockExamForm.extra_time.kwargs["choices"],
        finished=mock_exams.finished_mock_exams(current_user),
    )


@bp.post("/mock-exams/start")
@login_required
def start_mock_exam():
    form = MockExamForm()
    form.outline.choices = _outline_choices()
    if not form.validate_on_submit():
        abort(400)
    try:
        attempt = mock_exams.start_mock_exam(current_user, form.outline.data, now=current_time(),
                                             extra_time_percent=int(form.extra_time.data))
    except quizzes.QuizUnavailable as refused:
        db.session.commit()  # an overdue mock exam may have closed itself on the way
        flash(refused.message, "error")
        return redirect(url_for("readiness.mock_exams_page"))
    if attempt.settings.get("outline") != form.outline.data:
        flash("You have a mock exam in progress: finish or submit it before starting another.", "info")
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.get("/mock-exams/<int:attempt_id>/report")
@login_required
def mock_report(attempt_id):
    attempt = quizzes.learner_attempt(attempt_id, current_user)
    if attempt is None or attempt.kind != "mock_exam":
        abort(404)
    if attempt.status == "in_progress" and not quizzes.is_overdue(attempt, current_time()):
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    if attempt.status == "in_progress":
        return redirect(url_for("quizzes.results", attempt_id=attempt_id))  # closes it, then comes back
    return render_template("readiness/mock_report.html", attempt=attempt,
                           report=mock_exams.score_report(attempt))


@bp.get("/bank-check")
@instructor_required
def bank_check():
    return render_template("readiness/bank_check.html", checked=mock_exams.bank_check())


# ---- practice -------------------------------------------------------------------------------------


def _start_practice(start):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        attempt = start()
    except quizzes.QuizUnavailable as refused:
        db.session.rollback()
        flash(refused.message, "info")
        return redirect(url_for("readiness.index"))
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.post("/practice/weak-areas")
@login_required
def practise_weak_areas():
    now = current_time()
    goal = readiness.goal_of(current_user.id, now.date())
    if goal is None:
        abort(404)
    return _start_practice(lambda: practice.start_weak_area_practice(current_user, goal.outline, now=now))


@bp.post("/practice/missed")
@login_required
def practise_missed():
    now = current_time()
    return _start_practice(lambda: practice.start_missed_practice(current_user, now=now))


# ---- the dashboard ----------------------------------------------------------------------------------


@dashboard_panel
def readiness_panel(user) -> dict | None:
    """For learners: how ready they are, what is due, and the way to the readiness page."""
    if user.role != "learner":
        return None
    now = current_time()
    goal = readiness.goal_of(user.id, now.date())
    if goal is None:
        return None
    report = readiness.report_for(user.id, goal.outline, now)
    lines = []
    if report.prediction is not None:
        chance = min(max(round(report.prediction.likelihood * 100), 1), 99)
        lines.append({"text": f"{goal.outline.exam}: about {chance}% likely to pass "
                              f"({report.prediction.confidence} confidence)"})
    if report.weak:
        lines.append({"text": "Weakest: " + ", ".join(p.title for p in report.weak[:2])})
    due = missed_questions.due_count(user.id, now)
    if due:
        lines.append({"text": f"{due} missed question{'s' if due != 1 else ''} due"})
    cards = flashcards.due_today(user, now)
    if cards:
        lines.append({"text": f"{cards} flashcard review{'s' if cards != 1 else ''} due today",
                      "url": url_for("flashcards.index")})
    return {
        "title": "Exam readiness",
        "lines": lines,
        "empty": "Answer some questions and your readiness for the exam shows here.",
        "link": {"text": "See your readiness", "url": url_for("readiness.index")},
    }

