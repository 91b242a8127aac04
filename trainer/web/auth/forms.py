"""Account forms. Field rules live here; password strength lives in trainer.services.accounts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from trainer.services.accounts import MAX_PASSWORD_LENGTH

# Control characters have no place in a name or an email, and PostgreSQL cannot even
# compare a NUL: drop them before the value reaches a query.
_CONTROL = dict.fromkeys([*range(32), 127])


def _strip(value):
    return value.translate(_CONTROL).strip() if isinstance(value, str) else value


LEARNER_TYPE_CHOICES = [
    ("student", "Student preparing for certification (PTCE or ExCPT)"),
    ("technician", "Working technician earning continuing education"),
]


class LoginForm(FlaskForm):
    email = EmailField("Email", filters=[_strip], validators=[DataRequired("Enter your email."), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=MAX_PASSWORD_LENGTH)]
    )
    remember = BooleanField("Keep me logged in on this device (30 days)")
    next = HiddenField()


class RegisterForm(FlaskForm):
    name = StringField("Full name", filters=[_strip], validators=[DataRequired("Enter your name."), Length(max=120)])
    email = EmailField(
        "Email",
        filters=[_strip],
        validators=[
            DataRequired("Enter your email."),
            Email("Enter an email address such as name@example.com."),
            Length(max=254),
        ],
    )
    password = PasswordField(
        "Password",
        description="At least 10 characters. A short sentence is easy to remember and hard to guess.",
        validators=[DataRequired("Choose a password."), Length(max=MAX_PASSWORD_LENGTH)],
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired("Repeat the password."), EqualTo("password", "The two passwords differ.")],
    )
    learner_type = RadioField(
        "I am a…", choices=LEARNER_TYPE_CHOICES, default="student",
        validators=[DataRequired("Choose one.")],
    )


class ProfileForm(FlaskForm):
    name = StringField("Full name", filters=[_strip], validators=[DataRequired("Enter your name."), Length(max=120)])
    learner_type = RadioField("I am a…", choices=LEARNER_TYPE_CHOICES, validators=[DataRequired("Choose one.")])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    password = PasswordField(
        "New password", validators=[DataRequired("Choose a new password."), Length(max=MAX_PASSWORD_LENGTH)]
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired("Repeat the new password."), EqualTo("password", "The two passwords differ.")],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", filters=[_strip], validators=[DataRequired("Enter your email."), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password", validators=[DataRequired("Choose a new password."), Length(max=MAX_PASSWORD_LENGTH)]
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired("Repeat the new password."), EqualTo("password", "The two passwords differ.")],
    )
