"""A cohort's assignments: set, change and withdraw them; one assignment's results, with
per-learner extensions and extra time."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.extensions import db
from trainer.models import User
from trainer.services import assignments as service
from trainer.services.gradebook import assignment_results
from trainer.services.quizzes import when
from trainer.web.access import instructor_required
from trainer.web.forms import ActionForm
from trainer.web.teach.cohort_forms import AssignmentForm, ExtensionForm, ExtraTimeForm
from trainer.web.teach.cohorts import _cohort, _copy_problems
from trainer.web.teach.routes import bp


def _assignment(cohort, assignment_id: int):
    assignment = service.assignment_in(cohort, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


def _options() -> dict[str, list]:
    return {name: kind.options() for name, kind in service.ASSIGNMENT_KINDS.items()}


def _render_form(cohort, form, assignment=None, status: int = 200):
    current = None
    if assignment is not None:
        # the current target stays choosable even if it is no longer published
        target = service.describe([assignment])[assignment.id]
        current = (f"{assignment.kind}:{assignment.target_id}", f"{target.title} (as assigned)")
    form.set_target_choices(_options(), current)
    return render_template("teach/assignments/form.html", cohort=cohort, form=form, assignment=assignment), status


@bp.route("/cohorts/<int:cohort_id>/assignments/new", methods=["GET", "POST"])
@instructor_required
def assignment_new(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = AssignmentForm()
    if request.method == "GET":
        form.target.data = request.args.get("target", "")
        return _render_form(cohort, form)
    form.validate()
    values = form.values()
    _copy_problems(form, service.assignment_problems(cohort, values))
    if form.errors:
        return _render_form(cohort, form, status=422)
    service.create_assignment(cohort, values, actor=current_user)
    db.session.commit()
    flash(f"Assigned. It is due on {when(values.due_at)}.", "success")
    return redirect(url_for("teach.cohort", cohort_id=cohort.id) + "#assignments")


@bp.route("/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@instructor_required
def assignment_edit(cohort_id: int, assignment_id: int):
    cohort = _cohort(cohort_id)
    assignment = _assignment(cohort, assignment_id)
    if request.method == "GET":
        form = AssignmentForm(formdata=None, obj=assignment)
        form.target.data = f"{assignment.kind}:{assignment.target_id}"
        form.opens_at.data = assignment.opens_at.replace(tzinfo=None)
        form.due_at.data = assignment.due_at.replace(tzinfo=None)
        form.late_penalty_per_day.data = assignment.late_penalty_per_day or 10
        return _render_form(cohort, form, assignment)
    form = AssignmentForm()
    form.validate()
    values = form.values()
    _copy_problems(form, service.assignment_problems(cohort, values, assignment))
    if form.errors:
        return _render_form(cohort, form, assignment, 422)
    service.update_assignment(assignment, values, actor=current_user)
    db.session.commit()
    flash("Saved.", "success")
    return redirect(url_for("teach.assignment", cohort_id=cohort.id, assignment_id=assignment.id))


@bp.post("/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/delete")
@instructor_required
def assignment_delete(cohort_id: int, assignment_id: int):
    cohort = _cohort(cohort_id)
    assignment = _assignment(cohort, assignment_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    service.delete_assignment(assignment, actor=current_user)
    db.session.commit()
    flash("The assignment was withdrawn. The learners' attempts and progress are kept.", "success")
    return redirect(url_for("teach.cohort", cohort_id=cohort.id) + "#assignments")


@bp.get("/cohorts/<int:cohort_id>/assignments/<int:assignment_id>")
@instructor_required
def assignment(cohort_id: int, assignment_id: int):
    cohort = _cohort(cohort_id)
    assignment = _assignment(cohort, assignment_id)
    return _render_results(cohort, assignment, ExtensionForm(formdata=None), ExtraTimeForm(formdata=None))


def _render_results(cohort, assignment, extension_form, extra_form, status: int = 200):
    results = assignment_results(cohort, assignment)
    choices = [(row.learner_id, f"{row.name} ({row.email})") for row, _, _ in results.rows]
    extension_form.learner.choices = choices
    extra_form.learner.choices = choices
    extensions = service.extensions_for([assignment.id])
    names = {row.learner_id: row.name for row, _, _ in results.rows}
    return render_template(
        "teach/assignments/results.html", cohort=cohort, assignment=assignment, results=results,
        extension_form=extension_form, extra_form=extra_form,
        extensions=sorted(extensions.values(), key=lambda e: names.get(e.user_id, "")), names=names,
    ), status


def _learner(cohort, user_id) -> User | None:
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not service.is_member(cohort.id, user.id):
        return None
    return user


@bp.post("/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/extensions")
@instructor_required
def assignment_extend(cohort_id: int, assignment_id: int):
    cohort = _cohort(cohort_id)
    assignment = _assignment(cohort, assignment_id)
    form = ExtensionForm()
    learner = None
    if form.validate_on_submit():
        learner = _learner(cohort, form.learner.data)
        if learner is None:
            form.learner.errors = ["Choose a learner of this cohort."]
        else:
            _copy_problems(form, service.grant_extension(assignment, learner, form.due(), form.note.data or "",
                                                         actor=current_user))
    if learner is None or form.errors:
        return _render_results(cohort, assignment, form, ExtraTimeForm(formdata=None), 422)
    db.session.commit()
    flash(f"{learner.name} now has until {when(form.due())}.", "success")
    return redirect(url_for("teach.assignment", cohort_id=cohort.id, assignment_id=assignment.id) + "#extensions")


@bp.post("/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/extensions/<int:extension_id>/revoke")
@instructor_required
def assignment_extension_revoke(cohort_id: int, assignment_id: int, extension_id: int):
    cohort = _cohort(cohort_id)
    assignment = _assignment(cohort, assignment_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not service.revoke_extension(assignment, extension_id, actor=current_user):
        abort(404)
    db.session.commit()
    flash("The extension was taken back.", "success")
    return redirect(url_for("teach.assignment", cohort_id=cohort.id, assignment_id=assignment.id) + "#extensions")


@bp.post("/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/extra-time")
@instructor_required
def assignment_extra_time(cohort_id: int, assignment_id: int):
    cohort = _cohort(cohort_id)
    assignment = _assignment(cohort, assignment_id)
    form = ExtraTimeForm()
    learner = None
    extended = []
    if form.validate_on_submit():
        learner = _learner(cohort, form.learner.data)
        if learner is None:
            form.learner.errors = ["Choose a learner of this cohort."]
        else:
            problems, extended = service.grant_assignment_extra_time(
                assignment, learner, form.extra_minutes.data, form.note.data or "", actor=current_user)
            _copy_problems(form, problems)
    if learner is None or form.errors:
        return _render_results(cohort, assignment, ExtensionForm(formdata=None), form, 422)
    db.session.commit()
    flash(f"{learner.name} has {form.extra_minutes.data} extra minutes on this quiz, wherever they take it.",
          "success")
    for attempt in extended:
        flash(f"Their attempt in progress now ends on {when(attempt.deadline_at)}.", "info")
    return redirect(url_for("teach.assignment", cohort_id=cohort.id, assignment_id=assignment.id) + "#extra-time")

