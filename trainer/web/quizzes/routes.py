"""Taking quizzes: the list, a quiz's page, the attempt one question at a time, results and review.

Views only translate: they read the request, call trainer.services.quizzes, commit, and render.
A learner reaches only their own attempts; any other attempt id is a 404.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from trainer.calc.numbers import whole_percent
from trainer.content.sanitize import sanitize_html
from trainer.database import writing
from trainer.extensions import db
from trainer.models import utcnow
from trainer.questions import get_type
from trainer.services import post_tests, quizzes, readiness
from trainer.services.attempts import public_view, review
from trainer.services.progress import complete_courses_after_attempt
from trainer.web.forms import ActionForm
from trainer.web.main.routes import dashboard_panel
from trainer.web.numbers import NumberRefused, whole_number
from trainer.web.quizzes.responses import (
    FormAnswer,
    ResponseInvalid,
    clean_response,
    form_response,
    shown_answer,
    widget_state,
)

bp = Blueprint("quizzes", __name__, url_prefix="/quizzes", template_folder="templates")

# Seconds before the deadline at which the page warns that time is running out.
WARN_SECONDS = 300


def current_time():
    """The clock the views use (tests replace it to move time on)."""
    return utcnow()


@bp.app_template_filter("choice_text")
def choice_text(choice: dict) -> Markup:
    """A choice's text for a page: sanitised HTML when it is marked as HTML, else escaped text."""
    if isinstance(choice, dict) and choice.get("format") == "html":
        return Markup(sanitize_html(str(choice.get("text", ""))))  # noqa: S704 - sanitised just now
    return Markup.escape(choice.get("text", "") if isinstance(choice, dict) else choice)


def _kind(item) -> str:
    try:
        return get_type(item.instance.get("type")).response_kind
    except KeyError:
        return ""


def _own_attempt(attempt_id: int, *, lock: bool = False, items: bool = True):
    attempt = quizzes.learner_attempt(attempt_id, current_user, lock=lock, items=items)
    if attempt is None:
        abort(404)
    return attempt


def _settle_if_overdue(attempt_id: int, now) -> bool:
    """Close an attempt whose time is up, from a page view; True if it is now closed.

    A GET runs in a read transaction; the close gets a write transaction of its own
    (BEGIN IMMEDIATE on SQLite) and the row lock, like any other change to an attempt.
    """
    db.session.rollback()
    with writing():
        attempt = _own_attempt(attempt_id, lock=True)
        closed = quizzes.close_if_overdue(attempt, now)
        db.session.commit()
    return closed


# ---- the list and a quiz's page --------------------------------------------------------------


@bp.get("/")
@login_required
def index():
    now = current_time()
    available = quizzes.open_quizzes(now)
    records = quizzes.quiz_records(current_user, [q.id for q in available])
    return render_template(
        "quizzes/index.html", quizzes=available, records=records,
        counts={q.id: quizzes.question_count(q) for q in available},
    )


@bp.get("/<slug>")
@login_required
def quiz(slug):
    quiz = quizzes.published_quiz(slug)
    if quiz is None:
        abort(404)
    now = current_time()
    record = quizzes.quiz_records(current_user, [quiz.id])[quiz.id]
    problem = None if record.in_progress_id else quizzes.start_problem(quiz, current_user, now)
    return render_template(
        "quizzes/quiz.html", quiz=quiz, record=record, problem=problem,
        ce=post_tests.standing(quiz, current_user, now),
        count=quizzes.question_count(quiz), attempts=quizzes.attempts_at(current_user, quiz),
    )


@bp.post("/<slug>/start")
@login_required
def start(slug):
    quiz = quizzes.published_quiz(slug)
    if quiz is None:
        abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        attempt = quizzes.start_attempt(current_user, quiz, now=current_time())
    except quizzes.QuizUnavailable as refused:
        db.session.commit()  # an overdue attempt may have closed itself on the way
        flash(refused.message, "error")
        return redirect(url_for("quizzes.quiz", slug=slug))
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


# ---- the attempt ------------------------------------------------------------------------------


def _number_arg(attempt, total: int) -> int:
    """The 1-based question number asked for (?q=), or where the learner left off."""
    number = whole_number(request.args.get("q", ""))
    if number is None:
        number = attempt.last_position + 1
    return min(max(number, 1), max(total, 1))


def _time_left(attempt, now) -> dict | None:
    if attempt.deadline_at is None:
        return None
    seconds = max(int((attempt.deadline_at - now).total_seconds()), 0)
    return {
        "deadline": attempt.deadline_at.isoformat(),
        "seconds": seconds,
        "minutes": (seconds + 59) // 60,
        "warn": seconds <= WARN_SECONDS,
        "warn_seconds": WARN_SECONDS,
    }


def _render_attempt(attempt, number: int, now, *, answer: FormAnswer | None = None, status: int = 200,
                    states: list | None = None):
    states = states if states is not None else quizzes.item_states(attempt)
    item = quizzes.item_at(attempt, number - 1)
    kind = _kind(item)
    view = public_view(item)
    graded = item.graded_at is not None
    typed = answer.typed if answer is not None else {}
    visible = graded and quizzes.answers_visible(attempt, item, now=now)
    return render_template(
        "quizzes/attempt.html",
        attempt=attempt, quiz=attempt.quiz, item=item, number=number, total=len(states), nav=states,
        kind=kind, view=view, state=widget_state(kind, view, item.response, typed),
        error=answer.error if answer is not None else None, graded=graded,
        immediate=attempt.settings.get("feedback_mode") == "immediate",
        key=review(item) if visible else None,
        answered=[quizzes.is_answered(i) for i in states],
        time_left=_time_left(attempt, now),
    ), status


def _results_if_closed(attempt, now):
    """A redirect to the results when the attempt is over (closing it first if time is up)."""
    if quizzes.is_overdue(attempt, now) and _settle_if_overdue(attempt.id, now):
        flash("Time is up. Your attempt was graded with the answers saved before the deadline.", "warning")
        return redirect(url_for("quizzes.results", attempt_id=attempt.id))
    if attempt.status != "in_progress":
        return redirect(url_for("quizzes.results", attempt_id=attempt.id))
    return None


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id):
    now = current_time()
    # The items' answers and flags for the list of questions, and only the one shown in full.
    attempt = _own_attempt(attempt_id, items=False)
    closed = _results_if_closed(attempt, now)
    if closed is not None:
        return closed
    states = quizzes.item_states(attempt)
    if not states:
        return redirect(url_for("quizzes.finish", attempt_id=attempt_id))
    return _render_attempt(attempt, _number_arg(attempt, len(states)), now, states=states)


def _target(attempt, number: int, go: str) -> int | None:
    """The 1-based question to show next, or None for the review screen before submitting."""
    total = len(attempt.items)
    if go == "finish" or (go == "next" and number >= total):
        return None
    if go == "next":
        return number + 1
    if go == "prev":
        return max(number - 1, 1)
    return whole_number(go, 1, total) or number


GO_WORDS = ("stay", "next", "prev", "finish")


def _checked_go(attempt, go: str) -> str:
    """The `go` button pressed: a word or a question number, else a 400 before anything is saved."""
    total = len(attempt.items)
    if go not in GO_WORDS and whole_number(go, 1, total) is None:
        raise NumberRefused(f"The question to go to must be a number from 1 to {total}.")
    return go


@bp.post("/attempts/<int:attempt_id>")
@login_required
def answer(attempt_id):
    """The no-JavaScript path: save the answer (and flag) of one question, then move on."""
    now = current_time()
    attempt = _own_attempt(attempt_id, lock=True)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    number = whole_number(request.form.get("number", ""), 1, len(attempt.items))
    try:
        item = quizzes.item_at(attempt, number - 1) if number is not None else abort(404)
    except LookupError:
        abort(404)
    if attempt.status != "in_progress":
        flash("This attempt is closed: its answers can no longer change.", "info")
        return redirect(url_for("quizzes.results", attempt_id=attempt_id))
    check = request.form.get("action") == "check"
    go = _checked_go(attempt, request.form.get("go", "stay" if check else "next"))
    try:
        if request.form.get("flagging"):
            quizzes.set_flag(attempt, number - 1, bool(request.form.get("flagged")), now=now)
        if request.form.get("answering") and item.graded_at is None:
            given = form_response(_kind(item), public_view(item), request.form)
            if given.error:
                db.session.commit()  # the flag is kept; the answer is shown again as typed
                return _render_attempt(attempt, number, now, answer=given, status=400)
            quizzes.save_answer(attempt, number - 1, given.response, now=now, check=check)
        target = number if check else _target(attempt, number, go)
        quizzes.visit(attempt, target - 1 if target is not None else None, now=now)
    except quizzes.AnswerRefused as refused:
        db.session.commit()
        flash(refused.message, "error")
        if attempt.status != "in_progress":
            return redirect(url_for("quizzes.results", attempt_id=attempt_id))
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id, q=number))
    db.session.commit()
    if target is None:
        return redirect(url_for("quizzes.finish", attempt_id=attempt_id))
    return redirect(url_for("quizzes.attempt", attempt_id=attempt_id, q=target))


def _json_error(message: str, status: int, **extra):
    return jsonify({"error": message, **extra}), status


@bp.post("/attempts/<int:attempt_id>/save")
@login_required
def save(attempt_id):
    """Autosave (JSON): {"number": n, "response": …, "flagged": bool, "check": bool}; any part may be left out."""
    now = current_time()
    attempt = _own_attempt(attempt_id, lock=True, items=False)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _json_error("Send a JSON object.", 400)
    number = data.get("number")
    try:
        if isinstance(number, bool) or not isinstance(number, int):
            raise LookupError(number)
        item = quizzes.item_at(attempt, number - 1)
    except LookupError:
        return _json_error("There is no such question in this attempt.", 404)
    check = data.get("check") is True
    try:
        if "response" in data:
            response = clean_response(_kind(item), public_view(item), data["response"])
            quizzes.save_answer(attempt, number - 1, response, now=now, check=check)
        if "flagged" in data:
            quizzes.set_flag(attempt, number - 1, data["flagged"] is True, now=now)
    except ResponseInvalid as invalid:
        return _json_error(invalid.message, 400)
    except quizzes.AnswerRefused as refused:
        db.session.commit()
        closed = attempt.status != "in_progress"
        return _json_error(
            refused.message, 409, closed=closed,
            redirect=url_for("quizzes.results", attempt_id=attempt_id) if closed else None,
        )
    # The answer before the commit, which would expire the item and read it back.
    body = {"saved": True, "number": number, "answered": quizzes.is_answered(item), "flagged": item.flagged}
    if item.graded_at is not None:
        body.update(graded=True, correct=bool(item.correct), score=float(item.score or 0),
                    feedback=list(item.feedback or []))
        if quizzes.answers_visible(attempt, item, now=now):
            body["review"] = review(item)
    db.session.commit()
    return jsonify(body)


@bp.get("/attempts/<int:attempt_id>/finish")
@login_required
def finish(attempt_id):
    """The review screen before submitting: what is unanswered, what is flagged."""
    now = current_time()
    attempt = _own_attempt(attempt_id)
    closed = _results_if_closed(attempt, now)
    if closed is not None:
        return closed
    numbered = list(enumerate(attempt.items, start=1))
    return render_template(
        "quizzes/finish.html", attempt=attempt, quiz=attempt.quiz,
        unanswered=[n for n, item in numbered if not quizzes.is_answered(item)],
        flagged=[n for n, item in numbered if item.flagged],
        total=len(attempt.items), time_left=_time_left(attempt, now),
    )


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id):
    now = current_time()
    attempt = _own_attempt(attempt_id, lock=True)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if quizzes.submit_attempt(attempt, now=now):
        if attempt.status == "expired":
            flash("Time was up before you submitted. Your attempt was graded with the answers saved "
                  "before the deadline.", "warning")
        else:
            flash("Your answers were submitted.", "success")
        # Passing a course's post-test last completes the course (and records its CE) now.
        for credit in complete_courses_after_attempt(attempt, now=now):
            flash(f"Course complete: {credit.title}. {credit.hours.normalize():f} CE hours recorded.", "success")
    else:
        flash("This attempt was already submitted; it counts once.", "info")
    db.session.commit()
    return redirect(url_for("quizzes.results", attempt_id=attempt_id))


def _closed_attempt(attempt_id: int, now):
    attempt = _own_attempt(attempt_id)
    if quizzes.is_overdue(attempt, now):
        _settle_if_overdue(attempt_id, now)
        attempt = _own_attempt(attempt_id)
    return attempt


@bp.get("/attempts/<int:attempt_id>/results")
@login_required
def results(attempt_id):
    now = current_time()
    attempt = _closed_attempt(attempt_id, now)
    if attempt.status == "in_progress":
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    if attempt.kind == "mock_exam":  # its score report by domain, with the scaled-score caveat
        return redirect(url_for("readiness.mock_report", attempt_id=attempt_id))
    domains = quizzes.results_by_area(attempt)
    # One outline version at a time (a question may name areas of several): the learner's
    # choice, else the outline of their exam goal.
    goal = readiness.goal_of(current_user.id, now.date())
    outlines, outline = quizzes.outline_choices(
        domains, [request.args.get("outline", ""), goal.outline.code if goal else ""])
    return render_template(
        "quizzes/results.html", attempt=attempt, quiz=attempt.quiz,
        domains=[domain for domain in domains if domain.outline == outline],
        outlines=outlines, outline=outline,
        correct=sum(1 for item in attempt.items if item.correct),
        note=quizzes.visibility_note(attempt, now=now),
    )


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review_attempt(attempt_id):
    now = current_time()
    attempt = _closed_attempt(attempt_id, now)
    if attempt.status == "in_progress":
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    visible = quizzes.answers_visible(attempt, now=now)
    entries = []
    for item in attempt.items:
        view = public_view(item)
        entries.append({
            "item": item,
            "view": view,
            "given": shown_answer(_kind(item), view, item.response),
            "key": review(item) if visible else None,
        })
    return render_template(
        "quizzes/review.html", attempt=attempt, quiz=attempt.quiz, entries=entries,
        withheld=not visible and attempt.settings.get("show_answers") == post_tests.AFTER_PASS,
        note=quizzes.visibility_note(attempt, now=now),
    )


# ---- the dashboard ----------------------------------------------------------------------------


@dashboard_panel
def quizzes_panel(user) -> dict:
    """Quizzes in progress to resume, and the latest results."""
    open_, closed = quizzes.recent_attempts(user)
    lines = []
    for attempt in open_:
        lines.append({
            "text": f"Resume {attempt.quiz_title} (question {attempt.last_position + 1})",
            "url": url_for("quizzes.attempt", attempt_id=attempt.id),
        })
    for attempt in closed:
        verdict = "passed" if attempt.passed else "not passed"
        lines.append({
            "text": f"{attempt.quiz_title}: {whole_percent(attempt.percent) or 0}% ({verdict})",
            "url": url_for("quizzes.results", attempt_id=attempt.id),
        })
    return {
        "title": "Quizzes",
        "lines": lines,
        "empty": "You have not taken a quiz yet.",
        "link": {"text": "Browse quizzes", "url": url_for("quizzes.index")},
    }
