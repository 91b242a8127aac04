"""Register, log in and out, profile, change and reset password."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME
from sqlalchemy.exc import IntegrityError

from trainer.extensions import db, limiter
from trainer.models import AuditEvent, utcnow
from trainer.services import accounts
from trainer.web.access import home_url
from trainer.web.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from trainer.web.auth.session import is_local_path
from trainer.web.forms import ActionForm

bp = Blueprint("auth", __name__, template_folder="templates")

EMAIL_TAKEN = "An account with this email already exists. Log in, or reset the password."


def _email_key(prefix: str) -> str:
    # Keyed on the email exactly as the account look-up sees it (one normalising function),
    # so a variant such as "vic\x01tim@…" counts against the same account.
    return prefix + accounts.normalise_email(request.form.get("email", ""))[:254]


def _login_account_key() -> str:
    return _email_key("login-account:")


def _register_account_key() -> str:
    return _email_key("register-account:")


def _register_account_limit() -> str:
    return current_app.config["REGISTER_LIMIT_PER_ACCOUNT"]


def _failed_login(response) -> bool:
    # Only failed attempts count toward the throttle: a successful login redirects.
    return response.status_code != 302


def _account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def _register_limit() -> str:
    return current_app.config["REGISTER_LIMIT_PER_ADDRESS"]


def _reset_account_key() -> str:
    # Counted whether or not the account exists, so a 429 reveals nothing about it.
    return _email_key("reset-account:")


def _reset_account_limit() -> str:
    return current_app.config["RESET_LIMIT_PER_ACCOUNT"]


def _reset_address_limit() -> str:
    return current_app.config["RESET_LIMIT_PER_ADDRESS"]


def _add_field_errors(field, messages) -> None:
    field.errors = list(field.errors) + list(messages)


@bp.route("/register", methods=["GET", "POST"])
# Each registration costs an argon2 hash (64 MiB); a throttle keeps one client from
# using that to tie up the server, and from mass-creating accounts.
@limiter.limit(_register_limit, methods=["POST"])
# Whether an email has an account is said on the page only after a submit; per email, so
# trying one address after another from many places is throttled too.
@limiter.limit(_register_account_limit, key_func=_register_account_key, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        problems = accounts.password_problems(form.password.data, form.email.data, form.name.data)
        if accounts.find_user_by_email(form.email.data):
            # As slow as creating the account, so the time taken does not tell either.
            accounts.spend_a_hash(form.password.data)
            _add_field_errors(form.email, [EMAIL_TAKEN])
        elif problems:
            _add_field_errors(form.password, problems)
        else:
            user = accounts.create_user(
                form.email.data, form.name.data, form.password.data,
                learner_type=form.learner_type.data,
            )
            try:
                db.session.flush()
            except IntegrityError:
                # Someone registered the same email between our check and this insert.
                db.session.rollback()
                _add_field_errors(form.email, [EMAIL_TAKEN])
            else:
                AuditEvent.record("account_created", subject=user.email, actor=user)
                user.last_login_at = utcnow()
                db.session.commit()
                login_user(user)
                flash("Welcome to RxTrainer. Your account is ready.", "success")
                return redirect(url_for("main.dashboard"))
    return render_template("auth/register.html", form=form), 200 if request.method == "GET" else 400


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_account_limit, key_func=_login_account_key, methods=["POST"], deduct_when=_failed_login)
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed_login)
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    if form.validate_on_submit():
        # Same message, and the same work, whether the account exists or not: no account
        # discovery here, by the answer or by its timing.
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            user.last_login_at = utcnow()
            db.session.commit()
            login_user(user, remember=bool(form.remember.data))
            target = form.next.data
            return redirect(target if is_local_path(target) else home_url(user))
        _add_field_errors(form.password, ["That email and password do not match an account."])
    status = 200 if request.method == "GET" else 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    accounts.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    # What happened, in full: the session version is bumped, so every browser signed in as
    # this account (a shared pharmacy computer too) is signed out, not only this one.
    flash("You are logged out. This also signed you out in every other browser and device where "
          "you were signed in.", "info")
    return redirect(url_for("main.home"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.learner_type = form.learner_type.data
        db.session.commit()
        flash("Your profile is saved.", "success")
        return redirect(url_for("auth.profile"))
    status = 200 if request.method == "GET" else 400
    return render_template("auth/profile.html", form=form), status


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        problems = accounts.password_problems(form.password.data, current_user.email, current_user.name)
        if not accounts.verify_password(current_user, form.current.data):
            _add_field_errors(form.current, ["That is not your current password."])
        elif problems:
            _add_field_errors(form.password, problems)
        else:
            accounts.set_password(current_user, form.password.data)
            AuditEvent.record("password_changed", subject=current_user.email, actor=current_user)
            db.session.commit()
            # The version bump logged out every other device; keep this one logged in,
            # and remembered if it was (its old remember cookie names the old version).
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
            login_user(current_user._get_current_object(), remember=remembered)
            flash("Your password is changed. Other devices have been logged out.", "success")
            return redirect(url_for("auth.profile"))
    status = 200 if request.method == "GET" else 400
    return render_template("auth/change_password.html", form=form), status


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_account_limit, key_func=_reset_account_key, methods=["POST"])
@limiter.limit(_reset_address_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.find_user_by_email(form.email.data)
        if user is not None and user.active:
            url = url_for("auth.reset_password", token=accounts.make_reset_token(user), _external=True)
            accounts.send_password_reset(user, url)
            db.session.commit()
        # The same answer either way, so this page does not reveal who has an account.
        flash("If that email has an account, a reset link is on its way. "
              f"It works once, for {accounts.reset_link_lifetime()}.", "info")
        return redirect(url_for("auth.login"))
    status = 200 if request.method == "GET" else 400
    return render_template("auth/forgot_password.html", form=form, lifetime=accounts.reset_link_lifetime()), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user, reason = accounts.user_from_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html", reason=reason), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        problems = accounts.password_problems(form.password.data, user.email, user.name)
        if problems:
            _add_field_errors(form.password, problems)
        else:
            accounts.set_password(user, form.password.data)
            AuditEvent.record("password_reset", subject=user.email, actor=user)
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()
            flash("Your password is changed. Log in with the new one.", "success")
            return redirect(url_for("auth.login"))
    status = 200 if request.method == "GET" else 400
    return render_template("auth/reset_password.html", form=form, user=user), status
