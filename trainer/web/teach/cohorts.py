"""The instructor's cohorts: create and edit, the join code and link, learners, instructors,
class lists with invitation links.

Every page loads its cohort through `_cohort(id)`, which is a 404 for a cohort the
instructor does not teach (admins see all), so another instructor's cohort cannot be
seen or changed even by typing its address.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.extensions import db
from trainer.services import assignments as assignment_service
from trainer.services import cohorts
from trainer.services import gradebook as gradebook_service
from trainer.teaching.gradebook import percent_text
from trainer.web.access import instructor_required
from trainer.web.forms import ActionForm
from trainer.web.teach.cohort_forms import ClassListForm, CohortForm, InstructorForm
from trainer.web.teach.question_forms import unix_newlines
from trainer.web.teach.routes import bp, teach_section

teach_section("teach.cohorts", "Cohorts",
              "Your classes: join codes, class lists, assignments with due dates, the gradebook and item analysis.")


@bp.app_template_filter("plain_number")
def plain_number(value) -> str:
    """A number without needless decimals or exponent: 100, 72.5, 2 (Decimal.normalize writes 1E+2)."""
    if value is None:
        return ""
    return percent_text(value if isinstance(value, Decimal) else Decimal(str(value)))


def _cohort(cohort_id: int):
    cohort = cohorts.cohort_for(current_user, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


def _require_action_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def join_url(cohort) -> str:
    """The link learners open to join (the code is in it)."""
    return url_for("classes.join_link", code=cohort.join_code, _external=True)


def invitation_url(invitation) -> str:
    """A fresh link for an invitation (it works for cohorts.INVITATION_DAYS days from now)."""
    return url_for("classes.invitation", token=cohorts.invitation_token(invitation), _external=True)


def _copy_problems(form, problems) -> None:
    for name, message in problems:
        target = getattr(form, name, None)
        if target is not None:
            target.errors = [*target.errors, message]
        else:
            form.form_errors.append(message)


@bp.get("/cohorts", endpoint="cohorts")
@instructor_required
def cohorts_index():
    shown = cohorts.visible_cohorts(current_user)
    return render_template("teach/cohorts/list.html", cohorts=shown,
                           counts=cohorts.member_count([c.id for c in shown]))


@bp.route("/cohorts/new", methods=["GET", "POST"])
@instructor_required
def cohort_new():
    form = CohortForm()
    if form.validate_on_submit():
        problems = cohorts.cohort_problems(form.name.data, form.term.data or "", form.ends_on.data)
        _copy_problems(form, problems)
        if not problems:
            cohort = cohorts.create_cohort(form.name.data, form.term.data or "", form.ends_on.data, actor=current_user)
            db.session.commit()
            flash(f"Cohort “{cohort.name}” created. Give your learners its code or link.", "success")
            return redirect(url_for("teach.cohort", cohort_id=cohort.id))
    status = 200 if request.method == "GET" else 422
    return render_template("teach/cohorts/form.html", form=form, cohort=None), status


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@instructor_required
def cohort_edit(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = CohortForm(obj=cohort)
    if form.validate_on_submit():
        problems = cohorts.cohort_problems(form.name.data, form.term.data or "", form.ends_on.data, cohort=cohort)
        _copy_problems(form, problems)
        if not problems:
            cohorts.update_cohort(cohort, form.name.data, form.term.data or "", form.ends_on.data, actor=current_user)
            db.session.commit()
            flash("Saved.", "success")
            return redirect(url_for("teach.cohort", cohort_id=cohort.id))
    status = 200 if request.method == "GET" else 422
    return render_template("teach/cohorts/form.html", form=form, cohort=cohort), status


@bp.get("/cohorts/<int:cohort_id>")
@instructor_required
def cohort(cohort_id: int):
    cohort = _cohort(cohort_id)
    return _render_cohort(cohort, InstructorForm(formdata=None))


def _render_cohort(cohort, instructor_form, status: int = 200):
    invitations = cohorts.pending_invitations(cohort)
    assignments = assignment_service.cohort_assignments(cohort)
    return render_template(
        "teach/cohorts/detail.html", cohort=cohort, join_url=join_url(cohort),
        join_problem=cohorts.join_problem(cohort), members=cohorts.members(cohort),
        removed=cohorts.members(cohort, removed=True), instructors=cohorts.instructors_of(cohort),
        invitations=[(inv, invitation_url(inv)) for inv in invitations], instructor_form=instructor_form,
        assignments=assignments, targets=assignment_service.describe(assignments),
        kinds=assignment_service.ASSIGNMENT_KINDS, lifetime=cohorts.INVITATION_DAYS,
        due_soon=gradebook_service.due_soon([cohort.id], days=14, limit=5),
    ), status


@bp.post("/cohorts/<int:cohort_id>/code")
@instructor_required
def cohort_regenerate_code(cohort_id: int):
    cohort = _cohort(cohort_id)
    _require_action_form()
    code = cohorts.regenerate_code(cohort, actor=current_user)
    db.session.commit()
    flash(f"The new code is {code}. The old code and link no longer work.", "success")
    return redirect(url_for("teach.cohort", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/joining")
@instructor_required
def cohort_joining(cohort_id: int):
    cohort = _cohort(cohort_id)
    _require_action_form()
    open_ = request.form.get("open") == "1"
    cohorts.set_joining(cohort, open_, actor=current_user)
    db.session.commit()
    flash("Learners can join with the code again." if open_ else
          "Joining with the code is closed. You can still add learners from a class list.", "success")
    return redirect(url_for("teach.cohort", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/members/<int:user_id>/remove")
@instructor_required
def cohort_remove_member(cohort_id: int, user_id: int):
    cohort = _cohort(cohort_id)
    _require_action_form()
    if not cohorts.remove_member(cohort, user_id, actor=current_user):
        abort(404)
    db.session.commit()
    flash("The learner was removed. Their work is kept; their code no longer brings them back.", "success")
    return redirect(url_for("teach.cohort", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/instructors")
@instructor_required
def cohort_add_instructor(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = InstructorForm()
    if form.validate_on_submit():
        problems = cohorts.add_instructor(cohort, form.email.data, actor=current_user)
        _copy_problems(form, problems)
        if not problems:
            db.session.commit()
            flash("They now teach this cohort too.", "success")
            return redirect(url_for("teach.cohort", cohort_id=cohort.id) + "#instructors")
    return _render_cohort(cohort, form, 422)


@bp.post("/cohorts/<int:cohort_id>/instructors/<int:user_id>/remove")
@instructor_required
def cohort_remove_instructor(cohort_id: int, user_id: int):
    cohort = _cohort(cohort_id)
    _require_action_form()
    problem = cohorts.remove_instructor(cohort, user_id, actor=current_user)
    if problem:
        flash(problem, "error")
        return redirect(url_for("teach.cohort", cohort_id=cohort.id) + "#instructors")
    db.session.commit()
    flash("They no longer teach this cohort.", "success")
    if user_id == current_user.id and not current_user.is_admin:
        return redirect(url_for("teach.cohorts"))
    return redirect(url_for("teach.cohort", cohort_id=cohort.id) + "#instructors")


# ---- class lists and invitations -----------------------------------------------------------------


def _class_list_text(form: ClassListForm) -> str | None:
    """The uploaded file's text, else the pasted text; None (with the error shown) if unreadable."""
    upload = form.file.data
    if upload is not None and getattr(upload, "filename", ""):
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors = ["is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”, or paste it below"]
            return None
        form.text.data = text
        return text
    text = unix_newlines(form.text.data or "")
    if not text.strip():
        form.text.errors = ["Choose a file or paste the class list."]
        return None
    return text


@bp.route("/cohorts/<int:cohort_id>/class-list", methods=["GET", "POST"])
@instructor_required
def cohort_class_list(cohort_id: int):
    """Upload or paste a class list; the preview shows what each line would do."""
    cohort = _cohort(cohort_id)
    form = ClassListForm()
    if request.method == "GET" or request.form.get("op") == "edit":
        return render_template("teach/cohorts/class_list.html", cohort=cohort, form=form)
    form.validate()
    text = _class_list_text(form)
    if text is None or form.errors:
        return render_template("teach/cohorts/class_list.html", cohort=cohort, form=form), 422
    plan = cohorts.plan_class_list(cohort, text)
    filename = Path(form.file.data.filename).name if getattr(form.file.data, "filename", "") else ""
    return render_template("teach/cohorts/class_list_preview.html", cohort=cohort, form=form, plan=plan,
                           filename=filename)


@bp.post("/cohorts/<int:cohort_id>/class-list/confirm")
@instructor_required
def cohort_class_list_confirm(cohort_id: int):
    """Save the previewed list: the text comes back and is read and checked again, never trusted."""
    cohort = _cohort(cohort_id)
    form = ClassListForm()
    form.validate()
    text = unix_newlines(form.text.data or "")
    if not text.strip() or form.errors:
        return render_template("teach/cohorts/class_list.html", cohort=cohort, form=form), 422
    plan = cohorts.plan_class_list(cohort, text)
    if plan.problems:
        return render_template("teach/cohorts/class_list_preview.html", cohort=cohort, form=form, plan=plan,
                               filename=""), 422
    invitations = cohorts.apply_class_list(cohort, plan, actor=current_user)
    db.session.commit()
    added = plan.count("add") + plan.count("return")
    flash(f"{added} learner{'s' if added != 1 else ''} added; {len(invitations)} invitation"
          f"{'s' if len(invitations) != 1 else ''} to send"
          + (f"; {len(plan.errors)} line{'s' if len(plan.errors) != 1 else ''} skipped." if plan.errors else "."),
          "success")
    return render_template("teach/cohorts/invitations.html", cohort=cohort,
                           invitations=[(inv, invitation_url(inv)) for inv in invitations],
                           lifetime=cohorts.INVITATION_DAYS)


@bp.post("/cohorts/<int:cohort_id>/invitations/<int:invitation_id>/revoke")
@instructor_required
def cohort_revoke_invitation(cohort_id: int, invitation_id: int):
    cohort = _cohort(cohort_id)
    _require_action_form()
    if not cohorts.revoke_invitation(cohort, invitation_id, actor=current_user):
        abort(404)
    db.session.commit()
    flash("The invitation was withdrawn: its links no longer work.", "success")
    return redirect(url_for("teach.cohort", cohort_id=cohort.id) + "#invitations")
