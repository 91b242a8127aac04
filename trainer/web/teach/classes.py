"""The learner's side of cohorts: joining with a code or link, accepting an invitation, and
their assignments (a page, and a dashboard panel ordered by due date).

Every look-up of a join code, typed or in a link, is rate-limited per account and per
address, so codes cannot be found by trying; a wrong code says only that it is wrong.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user
from sqlalchemy.exc import IntegrityError

from trainer.extensions import db, limiter
from trainer.models import AuditEvent, Cohort, utcnow
from trainer.services import accounts, cohorts
from trainer.services.assignments import learner_assignments
from trainer.services.quizzes import when
from trainer.teaching.gradebook import percent_text
from trainer.web.forms import ActionForm
from trainer.web.main.routes import dashboard_panel
from trainer.web.teach.cohort_forms import InvitationRegisterForm, JoinForm

bp = Blueprint("classes", __name__, template_folder="templates")


def _join_account_key() -> str:
    return f"join-account:{current_user.id}"


def _anonymous() -> bool:
    # a visitor who is not logged in is sent to log in first; only the address limit counts them
    return not current_user.is_authenticated


def _join_account_limit() -> str:
    return current_app.config["JOIN_LIMIT_PER_ACCOUNT"]


def _join_address_limit() -> str:
    return current_app.config["JOIN_LIMIT_PER_ADDRESS"]


def _register_limit() -> str:
    return current_app.config["REGISTER_LIMIT_PER_ADDRESS"]


def _join(code: str, form: JoinForm):
    try:
        cohort, joined = cohorts.join_with_code(current_user, code)
    except cohorts.JoinRefused as refused:
        db.session.rollback()
        form.code.errors = [*form.code.errors, refused.message]
        return render_template("classes/join.html", form=form), 400
    db.session.commit()
    flash(f"You joined {cohort.name}." if joined else f"You are already in {cohort.name}.",
          "success" if joined else "info")
    return redirect(url_for("classes.assignments"))


@bp.route("/join", methods=["GET", "POST"])
@login_required
@limiter.limit(_join_account_limit, key_func=_join_account_key, methods=["POST"], exempt_when=_anonymous)
@limiter.limit(_join_address_limit, methods=["POST"])
def join():
    form = JoinForm()
    if request.method == "GET":
        form.code.data = request.args.get("code", "")[:40]
        return render_template("classes/join.html", form=form)
    if not form.validate_on_submit():
        return render_template("classes/join.html", form=form), 400
    return _join(form.code.data, form)


@bp.get("/join/<code>")
@login_required
@limiter.limit(_join_account_limit, key_func=_join_account_key, exempt_when=_anonymous)
@limiter.limit(_join_address_limit)
def join_link(code: str):
    """A join link: names the class and asks to confirm (a GET never joins anyone)."""
    cohort = cohorts.cohort_by_code(code)
    form = JoinForm(formdata=None)
    form.code.data = code[:40]
    if cohort is None:
        form.code.errors = [cohorts.WRONG_CODE]
        return render_template("classes/join.html", form=form), 404
    member = cohorts.membership(cohort, current_user.id)
    problem = None
    if member is not None and member.removed_at is not None:
        problem = "Your instructor took you out of this class. Ask them to add you again."
    elif member is None:
        problem = cohorts.join_problem(cohort)
    return render_template("classes/join_link.html", form=form, cohort=cohort, problem=problem,
                           already=member is not None and member.removed_at is None)


# ---- invitations -------------------------------------------------------------------------------


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def invitation(token: str):
    """An invitation from a class list: register (or log in) and join the class."""
    invitation, reason = cohorts.invitation_from_token(token)
    if invitation is None:
        return render_template("classes/invitation_invalid.html", reason=reason), 400
    cohort = db.session.get(Cohort, invitation.cohort_id)
    if current_user.is_authenticated:
        return _accept_as_current_user(invitation, cohort)
    if accounts.find_user_by_email(invitation.email) is not None:
        # they have an account already (registered since the list was sent): log in, then accept
        return render_template("classes/invitation_login.html", invitation=invitation, cohort=cohort,
                               login_url=url_for("auth.login", next=request.path))
    form = InvitationRegisterForm()
    if request.method == "GET":
        form.name.data = invitation.name
    elif form.validate_on_submit():
        problems = accounts.password_problems(form.password.data, invitation.email, form.name.data)
        if problems:
            form.password.errors = [*form.password.errors, *problems]
        else:
            return _register_and_join(invitation, form)
    status = 200 if request.method == "GET" else 400
    return render_template("classes/invitation_register.html", form=form, invitation=invitation,
                           cohort=cohort), status


def _accept_as_current_user(invitation, cohort):
    if current_user.email != invitation.email:
        return render_template("classes/invitation_invalid.html", reason=(
            f"This invitation is for {invitation.email}, and you are logged in as {current_user.email}. "
            "Log out, then open the link again.")), 403
    if request.method == "GET":
        return render_template("classes/invitation_accept.html", invitation=invitation, cohort=cohort)
    if not ActionForm().validate_on_submit():
        return render_template("classes/invitation_accept.html", invitation=invitation, cohort=cohort), 400
    cohorts.accept_invitation(invitation, current_user)
    db.session.commit()
    flash(f"You joined {cohort.name}.", "success")
    return redirect(url_for("classes.assignments"))


def _register_and_join(invitation, form):
    user = accounts.create_user(invitation.email, form.name.data, form.password.data,
                                learner_type=form.learner_type.data)
    try:
        db.session.flush()
    except IntegrityError:
        # the address registered between the check and this insert: log in to accept instead
        db.session.rollback()
        flash("An account with this email exists now. Log in to accept the invitation.", "info")
        return redirect(url_for("auth.login", next=request.path))
    AuditEvent.record("account_created", subject=user.email, actor=user, via="cohort_invitation")
    cohort = cohorts.accept_invitation(invitation, user)
    user.last_login_at = utcnow()
    db.session.commit()
    login_user(user)
    flash(f"Welcome to RxTrainer. You are in {cohort.name}.", "success")
    return redirect(url_for("classes.assignments"))


# ---- the learner's assignments -------------------------------------------------------------------


@bp.get("/assignments")
@login_required
def assignments():
    entries = learner_assignments(current_user)
    return render_template("classes/assignments.html", entries=entries, classes=cohorts.learner_cohorts(current_user),
                           when=when, percent_text=percent_text)


def _status_text(entry) -> str:
    cell = entry.cell
    if cell.status in ("done", "late"):
        text = f"{cell.label}, {percent_text(cell.score)}%"
        return text + (f" ({cell.days_late} day{'s' if cell.days_late != 1 else ''} late)" if cell.status == "late" else "")
    if cell.status == "in_progress" and cell.progress is not None:
        return f"in progress, {cell.progress}%"
    return cell.label


@dashboard_panel
def assignments_panel(user) -> dict | None:
    """The learner's assignments, soonest due first, with their status; for learners in a class."""
    entries = learner_assignments(user)
    if not entries and user.is_instructor:
        return None
    pending = [e for e in entries if e.cell.status not in ("done", "late")]
    shown = (pending or entries)[:6]
    lines = []
    for entry in shown:
        link = entry.target.learner_link
        lines.append({
            "text": f"{entry.target.title}: due {when(entry.due_at)} · {_status_text(entry)}",
            "url": url_for(link[0], **link[1]) if link and entry.target.available else None,
        })
    return {
        "title": "Assignments",
        "lines": lines,
        "empty": "You are not in a class yet. If your instructor gave you a code, join with it.",
        "link": {"text": "All assignments" if entries else "Join a class",
                 "url": url_for("classes.assignments" if entries else "classes.join")},
    }
