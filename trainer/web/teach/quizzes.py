"""The instructor's quizzes: the builder (fixed questions and random draws), states, extra time."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from trainer.extensions import db
from trainer.models import (
    AuditEvent,
    Question,
    QuestionArea,
    QuestionTag,
    Quiz,
    QuizAccommodation,
    QuizItem,
    User,
)
from trainer.models.questions import DIFFICULTIES
from trainer.models.quizzes import QUIZ_STATUSES
from trainer.questions import QUESTION_TYPES
from trainer.questions.quiz import matches_draw, quiz_bank_problems, validate_quiz
from trainer.services import ownership
from trainer.services.accounts import find_user_by_email
from trainer.services.grading import can_grade
from trainer.services.ownership import visible_to
from trainer.services.questions import quiz_file_data, save_quiz
from trainer.services.quizzes import grant_extra_time, when
from trainer.web.access import authorised, instructor_required
from trainer.web.forms import ActionForm
from trainer.web.numbers import whole_number
from trainer.web.teach.questions import area_choices
from trainer.web.teach.quiz_forms import (
    QUIZ_FORM_FIELDS,
    AccommodationForm,
    QuizForm,
    apply_item_op,
    item_data,
    rows_from_form,
    rows_from_quiz,
)
from trainer.web.teach.routes import bp, teach_section

SEARCH_LIMIT = 20

teach_section("teach.quizzes", "Quizzes",
              "Build quizzes from fixed questions and random draws, publish them, and grant extra time.")


def bank_pool(fixed: list[str]) -> dict[str, dict]:
    """What a quiz may draw from: every published question (and the fixed ones), as matches_draw reads them."""
    rows = db.session.execute(
        select(Question.id, Question.uid, Question.type, Question.status, Question.difficulty)
        .where(or_(Question.status == "published", Question.uid.in_(fixed)))
    ).all()
    pool = {r.uid: {"type": r.type, "status": r.status, "difficulty": r.difficulty, "tags": [], "blueprint": []}
            for r in rows}
    uid_of = {r.id: r.uid for r in rows}
    for question_id, tag in db.session.execute(
        select(QuestionTag.question_id, QuestionTag.tag).join(Question).where(Question.status == "published")
    ):
        if question_id in uid_of:
            pool[uid_of[question_id]]["tags"].append(tag)
    for question_id, code in db.session.execute(
        select(QuestionArea.question_id, QuestionArea.code).join(Question).where(Question.status == "published")
    ):
        if question_id in uid_of:
            pool[uid_of[question_id]]["blueprint"].append(code)
    return pool


def _get_quiz(slug: str, *, edit: bool = True) -> Quiz:
    """The quiz, if the current user may open it (and, with `edit`, change it)."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug))
    if quiz is None:
        abort(404)
    return authorised(quiz, edit=edit)


def may_accommodate(quiz: Quiz) -> bool:
    """Whether the current user grants extra time on the quiz: its authors and admins, and on
    shipped quizzes (which every programme sits, and only admins change) any instructor, as before."""
    return ownership.may_edit(current_user, quiz) or ownership.is_shipped(quiz)


def _quiz_for_accommodations(slug: str) -> Quiz:
    quiz = _get_quiz(slug, edit=False)
    # extra time is for a learner, not a change to the questions
    return quiz if may_accommodate(quiz) else authorised(quiz, edit=True)


@bp.get("/quizzes")
@instructor_required
def quizzes():
    item_counts = (select(QuizItem.quiz_id, func.count().label("n")).group_by(QuizItem.quiz_id).subquery())
    rows = db.session.execute(
        select(Quiz, func.coalesce(item_counts.c.n, 0))
        .outerjoin(item_counts, item_counts.c.quiz_id == Quiz.id)
        .where(visible_to(Quiz, current_user))
        .order_by(Quiz.title)
    ).all()
    return render_template("teach/quizzes/list.html", rows=rows)


@bp.get("/quizzes/<slug>")
@instructor_required
def quiz(slug: str):
    quiz = _get_quiz(slug, edit=False)
    return _render_quiz(quiz, AccommodationForm(formdata=None))


def _render_quiz(quiz: Quiz, accommodation_form: AccommodationForm, status_problems=()):
    data = quiz_file_data(quiz)
    fixed = [item["question"] for item in data["items"] if "question" in item]
    pool = bank_pool(fixed)
    # how many questions each draw can choose from (never the quiz's fixed questions)
    available = {
        index: sum(1 for uid, q in pool.items() if uid not in fixed and matches_draw(q, item))
        for index, item in enumerate(data["items"]) if "draw" in item
    }
    titles = _titles(fixed)
    accommodations = db.session.execute(
        select(QuizAccommodation, User)
        .join(User, User.id == QuizAccommodation.user_id)
        .where(QuizAccommodation.quiz_id == quiz.id)
        .order_by(User.email)
    ).all()
    return render_template(
        "teach/quizzes/detail.html", quiz=quiz, data=data, available=available, titles=titles,
        accommodations=accommodations, form=accommodation_form, statuses=QUIZ_STATUSES,
        status_problems=list(status_problems), can_grade=can_grade(current_user, quiz),
        may_accommodate=may_accommodate(quiz),
    ), (422 if accommodation_form.errors or status_problems else 200)


def _titles(uids: list[str]) -> dict[str, Question]:
    if not uids:
        return {}
    return {q.uid: q for q in db.session.scalars(select(Question).where(Question.uid.in_(uids)))}


@bp.route("/quizzes/new", methods=["GET", "POST"])
@instructor_required
def quiz_new():
    return _builder(None)


@bp.route("/quizzes/<slug>/edit", methods=["GET", "POST"])
@instructor_required
def quiz_edit(slug: str):
    return _builder(_get_quiz(slug))


def _builder(quiz: Quiz | None):
    form = QuizForm()
    row_errors: dict[int, list[str]] = {}
    if request.method == "GET":
        rows = []
        if quiz is not None:
            data = quiz_file_data(quiz)
            form.fill_from(data)
            rows = rows_from_quiz(data)
        return _render_builder(form, rows, row_errors, quiz)
    rows = rows_from_form(request.form)
    op = request.form.get("op", "save")
    if op != "save":
        # add, move, remove or search: the same page again with everything typed kept,
        # nothing saved, and a half-typed setting not yet called an error
        return _render_builder(form, apply_item_op(rows, op), row_errors, quiz)
    form.validate()
    settings = form.settings()
    if quiz is not None:
        settings["slug"] = quiz.slug
    data = {**settings, "items": [item_data(row) for row in rows]}
    problems = validate_quiz(data)
    if not problems:
        problems = quiz_bank_problems(data, bank_pool([i["question"] for i in data["items"] if "question" in i]))
    if quiz is None and settings["slug"] and db.session.scalar(select(Quiz.id).where(Quiz.slug == settings["slug"])):
        problems.append(("slug", "is already used by another quiz; choose a new slug"))
    _show_problems(form, row_errors, problems)
    if form.errors or row_errors:
        return _render_builder(form, rows, row_errors, quiz), 422
    saved, outcome = save_quiz(data, source="browser", actor=current_user)
    if outcome == "created":
        # a new quiz stays hidden from learners until the instructor publishes it
        saved.status = "draft"
    if outcome != "unchanged":
        # who changed the quiz (its co-authors too) is in the audit trail
        AuditEvent.record(f"quiz_{outcome}", subject=f"quiz:{saved.slug}", actor=current_user)
    db.session.commit()
    flash(f"Saved the quiz “{saved.title}”." if outcome != "unchanged" else "Nothing changed.", "success")
    return redirect(url_for("teach.quiz", slug=saved.slug))


def _show_problems(form: QuizForm, row_errors: dict[int, list[str]], problems) -> None:
    """Put each (field, message) problem beside its input or item row."""
    for field_path, message in problems:
        root = field_path.split("[", 1)[0].split(".", 1)[0]
        if field_path.startswith("items[") and "]" in field_path:
            index_text, _, rest = field_path[len("items["):].partition("]")
            if (index := whole_number(index_text, 0, 10**6)) is not None:
                detail = rest.lstrip(".")
                row_errors.setdefault(index, []).append(f"{detail}: {message}" if detail else message)
                continue
        if root in QUIZ_FORM_FIELDS:
            target = getattr(form, root)
            if not target.errors:  # the input's own check already said what is wrong
                target.errors = [*target.errors, message]
        else:
            form.form_errors.append(f"{field_path}: {message}" if field_path != "items" else f"Items: {message}")


def _render_builder(form: QuizForm, rows: list[dict], row_errors: dict, quiz: Quiz | None):
    fixed = [row["question"] for row in rows if row["kind"] == "question"]
    found = []
    text = (form.find.data or "").strip().lower()
    if text:
        stmt = (
            select(Question)
            .where(Question.status == "published")
            .where(or_(func.lower(Question.uid).contains(text, autoescape=True),
                       func.lower(Question.title).contains(text, autoescape=True)))
            .order_by(Question.uid).limit(SEARCH_LIMIT)
        )
        if fixed:
            stmt = stmt.where(Question.uid.not_in(fixed))
        found = db.session.scalars(stmt).all()
    return render_template(
        "teach/quizzes/edit.html", form=form, rows=rows, row_errors=row_errors, quiz=quiz,
        titles=_titles(fixed), found=found, searched=bool(text), difficulties=DIFFICULTIES,
        types=QUESTION_TYPES, area_codes=area_choices()[1:],
    )


@bp.post("/quizzes/<slug>/status")
@instructor_required
def quiz_status(slug: str):
    quiz = _get_quiz(slug)
    status = request.form.get("status")
    if not ActionForm().validate_on_submit() or status not in QUIZ_STATUSES:
        abort(400)
    if status == "published":
        # questions may have been retired since the quiz was saved: check it can still be filled
        data = quiz_file_data(quiz)
        problems = quiz_bank_problems(data, bank_pool([i["question"] for i in data["items"] if "question" in i]))
        if problems:
            return _render_quiz(quiz, AccommodationForm(formdata=None), problems)
    if status != quiz.status:
        AuditEvent.record("quiz_status_changed", subject=f"quiz:{slug}", actor=current_user,
                          old=quiz.status, new=status)
        quiz.status = status
        db.session.commit()
        flash(f"“{quiz.title}” is now {status}.", "success")
    return redirect(url_for("teach.quiz", slug=slug))


@bp.post("/quizzes/<slug>/accommodations")
@instructor_required
def accommodation_grant(slug: str):
    quiz = _quiz_for_accommodations(slug)
    form = AccommodationForm()
    learner = None
    if form.validate_on_submit():
        learner = find_user_by_email(form.email.data)
        if learner is None:
            form.email.errors = [*form.email.errors, "no account has this email"]
    if learner is None or form.errors:
        return _render_quiz(quiz, form)
    extended = grant_extra_time(quiz, learner, form.extra_minutes.data, form.note.data or "", actor=current_user)
    db.session.commit()
    flash(f"{learner.name} has {form.extra_minutes.data} extra minutes on this quiz.", "success")
    for attempt in extended:
        flash(f"Their attempt in progress now ends on {when(attempt.deadline_at)}.", "info")
    return redirect(url_for("teach.quiz", slug=slug))


@bp.post("/quizzes/<slug>/accommodations/<int:accommodation_id>/revoke")
@instructor_required
def accommodation_revoke(slug: str, accommodation_id: int):
    quiz = _quiz_for_accommodations(slug)
    accommodation = db.session.get(QuizAccommodation, accommodation_id)
    if accommodation is None or accommodation.quiz_id != quiz.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    learner = db.session.get(User, accommodation.user_id)
    AuditEvent.record("accommodation_revoked", subject=f"quiz:{slug}", actor=current_user,
                      user=learner.email if learner else None, extra_minutes=accommodation.extra_minutes)
    db.session.delete(accommodation)
    db.session.commit()
    flash("The extra time was revoked.", "success")
    return redirect(url_for("teach.quiz", slug=slug))
