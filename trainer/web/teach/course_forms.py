"""Forms for authoring courses and modules in the browser.

Field rules are the content loader's (trainer.content.courses), so a course written
here exports to files that import again. Checks that need the database (a slug already
taken, a knowledge check missing from the bank) are made by the views.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.ce.post_test import DEFAULT_ATTEMPTS, DEFAULT_WAIT_HOURS, MAX_ATTEMPTS, MAX_WAIT_HOURS
from trainer.content.courses import (
    ACTIVITY_TYPES,
    AUDIENCES,
    CE_TOPICS,
    MAX_CE_HOURS,
    MAX_MINUTES,
    SLUG,
    UAN,
)
from trainer.models.content import COURSE_STATUSES

# ACPE topic designators, worded as in /work/shared/reference/ce-rules.md.
ACPE_TOPICS = {
    "01": "Disease state management / drug therapy",
    "02": "HIV/AIDS therapy",
    "03": "Law (pharmacy practice)",
    "04": "General pharmacy",
    "05": "Patient safety",
    "06": "Immunizations",
    "07": "Compounding",
    "08": "Pain management / opioids",
}

AUDIENCE_LABELS = {
    "both": "Students and technicians",
    "students": "Students preparing for certification",
    "technicians": "Working technicians",
}
ACTIVITY_LABELS = {
    "knowledge": "Knowledge-based",
    "application": "Application-based",
}
STATUS_LABELS = {
    "draft": "Draft: only instructors can see it",
    "published": "Published: in the catalog for learners",
}
MAX_HOURS = Decimal(MAX_CE_HOURS)
MAX_MARKDOWN = 200_000  # characters; the longest shipped module is a small fraction of this
SLUG_MESSAGE = "Use lowercase letters, digits and single hyphens, e.g. sig-codes."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _unix_newlines(value):
    # Browsers send textarea lines ending in CRLF; stored text (and its diffs) use LF.
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def _upper(value):
    return value.upper() if isinstance(value, str) else value


def lines_of(text: str | None) -> list[str]:
    """The non-blank lines of a one-entry-a-line textarea, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def slug_from_title(title: str) -> str:
    """A slug made from a title: "Reading the Sig" → "reading-the-sig"."""
    return "-".join(re.findall(r"[a-z0-9]+", (title or "").lower()))[:80].strip("-")


def parse_hours(text: str | None) -> Decimal | None:
    """CE hours as a Decimal, or None when the text is not a finite number."""
    try:
        hours = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return hours if hours.is_finite() else None


def _quarter_hours(form, field) -> None:
    hours = parse_hours(field.data)
    if hours is None:
        raise ValidationError("Enter the contact hours as a number, e.g. 1.5.")
    # Same rule as the course loader: more than 0, in steps of 0.25 hours.
    if hours <= 0 or (hours * 4) % 1 != 0:
        raise ValidationError("Use more than 0 hours, in steps of 0.25 (0.25, 0.5, 0.75, 1…).")
    if hours > MAX_HOURS:
        raise ValidationError(f"A course awards at most {MAX_HOURS} hours.")


def _universal_activity_number(form, field) -> None:
    if not field.data:
        return
    match = UAN.fullmatch(field.data)
    if match is None:
        raise ValidationError(
            "This is not an ACPE UAN. The pattern is PPPP-JJJJ-YY-SSS-FTT-A, e.g. "
            "0669-0000-23-023-H03-T or JA4008164-0000-24-001-H05-T."
        )
    if match["topic"] not in CE_TOPICS:
        raise ValidationError(f"The UAN's topic designator {match['topic']} is not 01–08.")
    if form.ce_topic.data in CE_TOPICS and match["topic"] != form.ce_topic.data:
        raise ValidationError(
            f"The UAN's topic designator {match['topic']} does not match the ACPE topic "
            f"chosen above ({form.ce_topic.data})."
        )


def _one_entry_at_least(message: str):
    def check(form, field) -> None:
        if not lines_of(field.data):
            raise ValidationError(message)

    return check


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CourseForm(FlaskForm):
    """A course's details: what the catalog shows and the CE it awards."""

    title = StringField("Title", filters=[_strip], validators=[
        DataRequired("Give the course a title."), Length(max=200)])
    summary = TextAreaField(
        "Summary", filters=[_unix_newlines, _strip],
        description="Markdown. Shown in the catalog and at the top of the course page.",
        validators=[DataRequired("Write a short summary of the course."), Length(max=20_000)],
        render_kw={"rows": 6},
    )
    audience = SelectField("Audience", choices=[(a, AUDIENCE_LABELS[a]) for a in AUDIENCES],
                           default="both")
    ce_hours = StringField(
        "CE contact hours", filters=[_strip], description="In steps of 0.25, e.g. 1.5.",
        validators=[_quarter_hours], render_kw={"inputmode": "decimal"},
    )
    ce_topic = SelectField("ACPE topic", choices=[(code, f"{code} {ACPE_TOPICS[code]}")
                                                  for code in CE_TOPICS],
                           default="04")
    activity_type = SelectField("Activity type", choices=[(a, ACTIVITY_LABELS[a]) for a in ACTIVITY_TYPES],
                                default="knowledge")
    uan = StringField(
        "UAN (optional)", filters=[_strip, _upper],
        description="ACPE Universal Activity Number, when the course has one.",
        validators=[Optional(), Length(max=40), _universal_activity_number],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    post_test = SelectField("Post-test quiz", choices=[], description=(
        "Learners complete the course by passing this quiz. Needed before publishing."))
    pass_mark = IntegerField("Pass mark (percent)", default=80, validators=[
        InputRequired("Enter the percent needed to pass."),
        NumberRange(1, 100, "Enter a whole percent from 1 to 100.")])
    post_test_attempts = IntegerField(
        "Post-test attempts", default=DEFAULT_ATTEMPTS,
        description="How many attempts a learner has at the post-test of a course that awards CE.",
        # Optional: left out, a new course takes the default and an edited one keeps its own.
        validators=[Optional(), NumberRange(1, MAX_ATTEMPTS, f"Enter a whole number from 1 to {MAX_ATTEMPTS}.")])
    post_test_wait_hours = IntegerField(
        "Hours between attempts", default=DEFAULT_WAIT_HOURS,
        description="Time to review the course before trying again; 0 for no wait.",
        validators=[Optional(), NumberRange(0, MAX_WAIT_HOURS,
                                            f"Enter a whole number of hours from 0 to {MAX_WAIT_HOURS}.")])
    prerequisites = CheckboxListField("Prerequisites", choices=[], description=(
        "Courses a learner finishes before starting this one."))
    references = TextAreaField("References", filters=[_strip], description="One a line.",
                               validators=[Length(max=20_000)], render_kw={"rows": 4})
    status = RadioField("Status", choices=[(s, STATUS_LABELS[s]) for s in COURSE_STATUSES],
                        default="draft")


class NewCourseForm(CourseForm):
    """A new course: its slug is chosen once, here."""

    slug = StringField(
        "Slug (optional)", filters=[_strip],
        description="The course's address and folder name; it cannot change later. "
                    "Left empty, it is made from the title.",
        validators=[Optional(), Length(max=80), Regexp(f"^{SLUG.pattern}$", message=SLUG_MESSAGE)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class ModuleForm(FlaskForm):
    """A module's front matter and markdown."""

    title = StringField("Title", filters=[_strip], validators=[
        DataRequired("Give the module a title."), Length(max=200)])
    objectives = TextAreaField(
        "Learning objectives", description="One a line.", render_kw={"rows": 4},
        validators=[_one_entry_at_least("List at least one learning objective."), Length(max=10_000)],
    )
    minutes = IntegerField("Estimated minutes", default=15, validators=[
        InputRequired("Enter the minutes a learner needs."),
        NumberRange(1, MAX_MINUTES, f"Enter a whole number of minutes from 1 to {MAX_MINUTES}.")])
    references = TextAreaField(
        "References", description="One a line. Every module cites its sources.", render_kw={"rows": 3},
        validators=[_one_entry_at_least("Cite at least one source."), Length(max=10_000)],
    )
    markdown = TextAreaField(
        "Text (markdown)", filters=[_unix_newlines],
        description="A knowledge check is a line of its own: [[check: question-id]]. "
                    "In the editor, Tab indents; press Esc then Tab to move on. Ctrl+S saves.",
        # The length limit is checked with the text's other problems (trainer.web.teach.courses).
        validators=[DataRequired("Write the module's text.")],
        render_kw={"rows": 26, "spellcheck": "true", "data-markdown-editor": "", "maxlength": MAX_MARKDOWN},
    )
    # The version the author started from: a save over someone else's newer save is refused.
    version = HiddenField()


class NewModuleForm(ModuleForm):
    """A new module: its slug is chosen once, here."""

    slug = StringField(
        "Slug (optional)", filters=[_strip],
        description="Unique within the course; it cannot change later. Left empty, it is made from the title.",
        validators=[Optional(), Length(max=80), Regexp(f"^{SLUG.pattern}$", message=SLUG_MESSAGE)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class PreviewForm(FlaskForm):
    """The live preview's request: markdown only (the CSRF token comes with it)."""

    markdown = TextAreaField(filters=[_unix_newlines])


class MoveForm(FlaskForm):
    """Move a module one place up or down."""

    direction = HiddenField(validators=[AnyOf(("up", "down"))])


class StatusForm(FlaskForm):
    """Publish a course or return it to draft."""

    status = HiddenField(validators=[AnyOf(COURSE_STATUSES)])
