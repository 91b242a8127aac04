"""The exam goal: which outline, and the exam date if the learner has one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional


class GoalForm(FlaskForm):
    """The exam a learner prepares for; the date makes the study plan."""

    outline = SelectField("Exam and outline", choices=[])
    exam_date = DateField("Exam date", validators=[Optional()],
                          description="Leave it empty if you have not booked it yet.")


class MockExamForm(FlaskForm):
    """Which outline a mock exam is drawn from, and how long its clock runs."""

    outline = SelectField("Outline", choices=[])
    extra_time = SelectField("Time", default="0", choices=[
        ("0", "Standard time"), ("50", "Time and a half"), ("100", "Double time"),
    ], description="Choose more time if you have (or are asking for) a testing accommodation.")
