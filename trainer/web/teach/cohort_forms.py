"""Forms for cohorts, class lists, joining, assignments, extensions and gradebook weights.

Dates and times are typed in UTC, like the quiz builder's, and said so beside the field.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional

from trainer.services.accounts import MAX_PASSWORD_LENGTH
from trainer.services.assignments import ASSIGNMENT_KINDS, AssignmentValues
from trainer.web.auth.forms import LEARNER_TYPE_CHOICES
from trainer.web.teach.quiz_forms import DATETIME_FORMATS

_CONTROL = dict.fromkeys([*range(32), 127])


def _strip(value):
    return value.translate(_CONTROL).strip() if isinstance(value, str) else value


class CohortForm(FlaskForm):
    """A cohort's name, term and end date."""

    name = StringField("Name", filters=[_strip], validators=[DataRequired("Give the cohort a name."), Length(max=120)],
                       description="What learners see, e.g. Pharmacy Technician Program, evening class.")
    term = StringField("Term", filters=[_strip], validators=[Optional(), Length(max=60)],
                       description="Optional, e.g. Spring 2026.")
    ends_on = DateField("Last day", validators=[Optional()],
                        description="Optional. After this day the join code stops working.")


class JoinForm(FlaskForm):
    """The code a learner types to join a class."""

    code = StringField("Class code", filters=[_strip], validators=[DataRequired("Type the code your instructor gave you."),
                                                                   Length(max=40)],
                       description="Two groups of five letters and digits, e.g. K7MQP-X2RTW.")


class InstructorForm(FlaskForm):
    """Another instructor for the cohort, by email."""

    email = EmailField("Instructor's email", filters=[_strip],
                       validators=[DataRequired("Give the instructor's email."), Length(max=254)])


class ClassListForm(FlaskForm):
    """A class list pasted or uploaded as CSV."""

    file = FileField("CSV file")
    text = TextAreaField("Or paste the list", validators=[Optional(), Length(max=200_000)],
                         description="One email a line, or a CSV with an email column (and a name column if you have one).")


class InvitationRegisterForm(FlaskForm):
    """Registering from an invitation: the email is the invitation's."""

    name = StringField("Full name", filters=[_strip], validators=[DataRequired("Enter your name."), Length(max=120)])
    password = PasswordField(
        "Password", description="At least 10 characters. A short sentence is easy to remember and hard to guess.",
        validators=[DataRequired("Choose a password."), Length(max=MAX_PASSWORD_LENGTH)])
    confirm = PasswordField("Repeat the password", validators=[
        DataRequired("Repeat the password."), EqualTo("password", "The two passwords differ.")])
    learner_type = RadioField("I am a…", choices=LEARNER_TYPE_CHOICES, default="student",
                              validators=[DataRequired("Choose one.")])


LATE_POLICY_CHOICES = [
    ("accept", "Accept late work, marked late"),
    ("penalty", "Accept late work with a penalty per day late"),
    ("refuse", "Do not count late work"),
]


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class AssignmentForm(FlaskForm):
    """What to assign, when it opens and is due, how late work counts, and its weight."""

    target = SelectField("What to assign", choices=[], validate_choice=False)
    opens_at = DateTimeLocalField("Opens (UTC)", format=DATETIME_FORMATS,
                                  validators=[InputRequired("Give the date and time it opens.")])
    due_at = DateTimeLocalField("Due (UTC)", format=DATETIME_FORMATS,
                                validators=[InputRequired("Give the date and time it is due.")])
    late_policy = RadioField("Late work", choices=LATE_POLICY_CHOICES, default="accept")
    late_penalty_per_day = IntegerField("Penalty (percentage points per day late)", default=10,
                                        validators=[Optional(), NumberRange(1, 100, "must be 1 to 100")],
                                        description="Only with the penalty policy. A part of a day counts as a day.")
    weight = DecimalField("Weight in the total", default=Decimal(1), places=2,
                          validators=[InputRequired("Give a weight (0 leaves it out of the total)."),
                                      NumberRange(0, 1000, "must be 0 to 1000")],
                          description="Relative to the other assignments: a weight of 2 counts twice as much as 1.")

    def set_target_choices(self, options: dict[str, list], extra: tuple[str, str] | None = None) -> None:
        """Fill the select with every kind's options, each named with its kind (Quiz: …, Module: …)."""
        choices = [("", "Choose…")]
        for name, targets in options.items():
            label = ASSIGNMENT_KINDS[name].label
            choices += [(f"{name}:{t.id}", f"{label}: {t.detail} › {t.title}" if t.detail else f"{label}: {t.title}")
                        for t in targets]
        if extra is not None and all(extra[0] != value for value, _ in choices):
            choices.append(extra)
        self.target.choices = choices

    def values(self) -> AssignmentValues:
        """The typed values, for the service to check (problems stay beside the fields)."""
        kind, _, raw_id = (self.target.data or "").partition(":")
        target_id = int(raw_id) if raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 12 else None
        return AssignmentValues(
            kind=kind, target_id=target_id, opens_at=_aware(self.opens_at.data), due_at=_aware(self.due_at.data),
            late_policy=self.late_policy.data or "accept",
            late_penalty_per_day=self.late_penalty_per_day.data or 0,
            weight=self.weight.data if self.weight.data is not None else Decimal(1),
        )


class ExtensionForm(FlaskForm):
    """A later due date for one learner."""

    learner = SelectField("Learner", coerce=int, choices=[], validate_choice=False)
    due_at = DateTimeLocalField("New due date (UTC)", format=DATETIME_FORMATS,
                                validators=[InputRequired("Give the new due date and time.")])
    note = StringField("Note", filters=[_strip], validators=[Optional(), Length(max=200)],
                       description="Optional, e.g. why it was granted.")

    def due(self) -> datetime | None:
        return _aware(self.due_at.data)


class ExtraTimeForm(FlaskForm):
    """Extra minutes on an assigned quiz for one learner (the quiz's accommodation)."""

    learner = SelectField("Learner", coerce=int, choices=[], validate_choice=False)
    extra_minutes = IntegerField("Extra minutes", validators=[
        InputRequired("is required: a whole number of minutes"), NumberRange(1, 1440, "must be 1 to 1440 minutes")])
    note = StringField("Note", filters=[_strip], validators=[Optional(), Length(max=200)],
                       description="Optional, e.g. the accommodation plan it comes from.")


class LearnerIdForm(FlaskForm):
    """A button that acts on one learner."""

    user_id = HiddenField()
