"""Forms for the quiz builder: the quiz's settings, its items, and extra-time accommodations.

The items are plain rows of the posted form (items-0-kind, items-0-question, …) rather
than a WTForms FieldList, so adding, moving and removing a row re-renders the page with
everything typed kept, without JavaScript and without saving a half-built quiz.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from trainer.models.questions import DIFFICULTIES
from trainer.questions import QUESTION_TYPES
from trainer.questions.quiz import QUIZ_DEFAULTS
from trainer.web.numbers import whole_number
from trainer.web.teach.question_forms import split_words, unix_newlines

MAX_ITEMS = 200
_ITEM_KEY = re.compile(r"items-(\d{1,4})-kind")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
QUIZ_FORM_FIELDS = (
    "slug", "title", "description", "pass_mark", "time_limit_minutes", "attempts_allowed",
    "shuffle_questions", "shuffle_choices", "feedback", "show_answers", "available_from", "available_until",
)
SHOW_ANSWER_CHOICES = [
    ("immediately", "Immediately, with each graded question"),
    ("after_submit", "After the learner submits"),
    ("after_close", "After the quiz closes (availability ends)"),
    ("never", "Never"),
]


class QuizForm(FlaskForm):
    """A quiz's settings (the items travel as plain rows beside them)."""

    title = StringField("Title", validators=[Length(max=200)])
    slug = StringField("Slug", validators=[Length(max=80)],
                       description="Lowercase letters, digits and hyphens, e.g. calculations-3. It cannot change later.")
    description = TextAreaField("Description", validators=[Optional()])
    pass_mark = IntegerField("Pass mark (%)", default=80,
                             validators=[InputRequired("is required"), NumberRange(0, 100, "must be 0 to 100")])
    time_limit_minutes = IntegerField("Time limit (minutes)", description="Leave empty for no limit.",
                                      validators=[Optional(), NumberRange(1, 1440, "must be 1 to 1440 minutes")])
    attempts_allowed = IntegerField("Attempts allowed", default=0, description="0 for unlimited.",
                                    validators=[InputRequired("is required"), NumberRange(0, 1000, "must be 0 to 1000")])
    shuffle_questions = BooleanField("Shuffle the order of questions", default=True)
    shuffle_choices = BooleanField("Shuffle the choices within questions", default=True)
    feedback = RadioField("Feedback", default=QUIZ_DEFAULTS["feedback"], choices=[
        ("immediate", "Immediate: each question is graded as it is answered (practice)"),
        ("deferred", "Deferred: graded when the quiz is submitted (exam)"),
    ])
    show_answers = SelectField("Show correct answers and explanations", choices=SHOW_ANSWER_CHOICES,
                               default=QUIZ_DEFAULTS["show_answers"])
    available_from = DateTimeLocalField("Available from (UTC)", format=DATETIME_FORMATS, validators=[Optional()],
                                        description="Leave empty to open it at once.")
    available_until = DateTimeLocalField("Available until (UTC)", format=DATETIME_FORMATS, validators=[Optional()],
                                         description="Leave empty to keep it open.")
    find = StringField("Find a question by id or words of its stem", validators=[Optional(), Length(max=200)])

    def fill_from(self, data: dict) -> None:
        """Put quiz-file data (from quiz_file_data) into the inputs."""
        for name in QUIZ_FORM_FIELDS:
            if name.startswith("available_"):
                value = data.get(name)
                getattr(self, name).data = _aware(value).replace(tzinfo=None) if value else None
            else:
                getattr(self, name).data = data.get(name)

    def settings(self) -> dict:
        """The settings in the quiz-file format (times as UTC ISO text)."""
        data = {
            "slug": (self.slug.data or "").strip(),
            "title": (self.title.data or "").strip(),
            "description": unix_newlines(self.description.data).strip(),
            "pass_mark": self.pass_mark.data,
            "time_limit_minutes": self.time_limit_minutes.data,
            "attempts_allowed": self.attempts_allowed.data if self.attempts_allowed.data is not None else 0,
            "shuffle_questions": bool(self.shuffle_questions.data),
            "shuffle_choices": bool(self.shuffle_choices.data),
            "feedback": self.feedback.data,
            "show_answers": self.show_answers.data,
        }
        for name in ("available_from", "available_until"):
            value = getattr(self, name).data
            data[name] = value.replace(tzinfo=UTC).isoformat() if value else None
        return data


def _aware(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.astimezone(UTC) if value.tzinfo else value


# ---- item rows --------------------------------------------------------------------------


def _joined(value) -> str:
    if value is None:
        return ""
    return ", ".join(value) if isinstance(value, list) else str(value)


def _listed(value) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def rows_from_quiz(data: dict) -> list[dict]:
    """The builder's rows for a saved quiz's items."""
    rows = []
    for item in data.get("items") or []:
        if "question" in item:
            rows.append({"kind": "question", "question": item["question"]})
        else:
            rows.append({
                "kind": "draw", "draw": str(item.get("draw", "")), "tags": _joined(item.get("tags")),
                "blueprint": _joined(item.get("blueprint")), "difficulty": _listed(item.get("difficulty")),
                "type": _listed(item.get("type")),
            })
    return rows


def new_draw_row() -> dict:
    """An empty random draw: one question from the whole published bank until filters are set."""
    return {"kind": "draw", "draw": "1", "tags": "", "blueprint": "", "difficulty": [], "type": []}


def rows_from_form(formdata) -> list[dict]:
    """The builder's rows as posted, in their order on the page."""
    indexes = sorted({int(m.group(1)) for key in formdata if (m := _ITEM_KEY.fullmatch(key))})
    rows = []
    for index in indexes[:MAX_ITEMS]:
        prefix = f"items-{index}-"
        kind = formdata.get(prefix + "kind")
        if kind == "question":
            rows.append({"kind": "question", "question": (formdata.get(prefix + "question") or "").strip()[:80]})
        elif kind == "draw":
            rows.append({
                "kind": "draw",
                "draw": (formdata.get(prefix + "draw") or "").strip()[:6],
                "tags": (formdata.get(prefix + "tags") or "")[:500],
                "blueprint": (formdata.get(prefix + "blueprint") or "")[:500],
                "difficulty": [d for d in formdata.getlist(prefix + "difficulty") if d in DIFFICULTIES],
                "type": [t for t in formdata.getlist(prefix + "type") if t in QUESTION_TYPES],
            })
    return rows


def _one_or_list(values: list[str]):
    return values[0] if len(values) == 1 else values


def item_data(row: dict) -> dict:
    """A row in the quiz-file format: {question: id} or {draw: N, …filters}."""
    if row["kind"] == "question":
        return {"question": row["question"]}
    count = row["draw"]
    # A count that is not a plain number is kept as typed, for the quiz rules to report.
    number = whole_number(count, 0, 10**6)
    item: dict = {"draw": number if number is not None else count}
    tags = split_words(row["tags"])
    if tags:
        item["tags"] = tags
    blueprint = split_words(row["blueprint"])
    if blueprint:
        item["blueprint"] = _one_or_list(blueprint)
    for name in ("difficulty", "type"):
        if row[name]:
            item[name] = _one_or_list(row[name])
    return item


def apply_item_op(rows: list[dict], op: str) -> list[dict]:
    """Add, move or remove a row as a builder button asks ("add-draw", "add:<id>", "up:2", …)."""
    rows = list(rows)
    action, _, argument = op.partition(":")
    if action == "add-draw" and len(rows) < MAX_ITEMS:
        rows.append(new_draw_row())
    elif action == "add" and argument and len(rows) < MAX_ITEMS:
        if not any(r["kind"] == "question" and r["question"] == argument for r in rows):
            rows.append({"kind": "question", "question": argument})
    elif action in ("up", "down", "remove") and (index := whole_number(argument, 0, len(rows) - 1)) is not None:
        if action == "remove":
            rows.pop(index)
        else:
            other = index - 1 if action == "up" else index + 1
            if 0 <= other < len(rows):
                rows[index], rows[other] = rows[other], rows[index]
    return rows


class AccommodationForm(FlaskForm):
    """Extra time for one learner on one quiz."""

    email = EmailField("Learner's email", validators=[InputRequired("is required"), Length(max=254)])
    extra_minutes = IntegerField("Extra minutes", validators=[
        InputRequired("is required: a whole number of minutes"), NumberRange(1, 1440, "must be 1 to 1440 minutes")])
    note = StringField("Note", validators=[Optional(), Length(max=200)],
                       description="Optional, e.g. the accommodation plan it comes from.")
