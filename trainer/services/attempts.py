"""Attempts of every kind: building their items from bank questions, grading and scoring them.

Shared by quizzes, module knowledge checks, regrades and, later, scenarios and mock
exams: an item is made once from the question's current version and a seed, its stem is
rendered then and stored, and grading always uses the stored instance, never the live
question.
"""

from __future__ import annotations

import html
import logging
import secrets
from decimal import Decimal

from trainer.content import ImportFailed, render_module
from trainer.models import Attempt, AttemptItem, Question, QuestionVersion, utcnow
from trainer.questions import (
    QUESTION_TYPES,
    GradeResult,
    generate_question,
    grade_response,
    public_question_view,
    review_view,
)
from trainer.questions.four_options import exam_instance
from trainer.services.courses import glossary
from trainer.teaching.item_statistics import chosen_in_file_order

log = logging.getLogger(__name__)

SEED_LIMIT = 2**31 - 1  # fits the INTEGER column on every database
CLOSED = ("submitted", "expired")  # the statuses of an attempt whose answers no longer change


def new_seed() -> int:
    """A fresh random seed for an attempt or an item."""
    return secrets.randbelow(SEED_LIMIT)


def item_seed(attempt_seed: int, position: int) -> int:
    """Each item's seed follows from the attempt's, so the attempt's seed reproduces all of it."""
    return (attempt_seed * 1_000_003 + position * 7919) % SEED_LIMIT


def render_markdown(text: str) -> str:
    """Sanitised HTML for a stem or explanation (with the site glossary's abbreviations)."""
    if not text:
        return ""
    return render_module(text, glossary(), file="question").html


def rendered_text(version: QuestionVersion, instance: dict, field: str) -> str:
    """The instance's stem or explanation as HTML: the version's, rendered when it was saved,
    unless this instance's text differs (numbers filled in), which is rendered now."""
    text = instance.get(field, "")
    stored = getattr(version, f"{field}_html")
    if stored is not None and text == (version.data or {}).get(field, ""):
        return stored
    try:
        return render_markdown(text)
    except ImportFailed:
        # Saving checks the text by the renderer's rules, but a version saved before those
        # checks, or numbers filled into a template, may still fail: the learner gets the
        # text as written rather than an error page, and the log says which question.
        log.warning("question version %s: %s could not be rendered; shown as plain text", version.id, field)
        return f"<p>{html.escape(text)}</p>" if text else ""


def store_rendered_text(version: QuestionVersion) -> None:
    """Render the version's stem and explanation once, as it is saved."""
    data = version.data or {}
    version.stem_html = render_markdown(data.get("stem", "") or "")
    version.explanation_html = render_markdown(data.get("explanation", "") or "")


def make_item(question: Question, *, position: int, seed: int, shuffle_choices: bool = True,
              four_options: bool = False) -> AttemptItem:
    """A new attempt item: the question's current version drawn with `seed`, its text rendered once.

    `four_options` asks it as a mock exam does (trainer.questions.four_options).
    """
    version = question.current_version
    if four_options:
        instance = exam_instance(version.data, seed, shuffle_choices=shuffle_choices)
    else:
        instance = generate_question(version.data, seed, shuffle_choices=shuffle_choices)
    return AttemptItem(
        position=position,
        question_id=question.id,
        question_version_id=version.id,
        instance=instance,
        stem_html=rendered_text(version, instance, "stem"),
        explanation_html=rendered_text(version, instance, "explanation"),
    )


def public_view(item: AttemptItem) -> dict:
    """What the page may show before the item is graded: never the key."""
    return public_question_view(item.instance)


def review(item: AttemptItem) -> dict:
    """The key, explanation and worked steps, for after grading when answers may be shown."""
    return review_view(item.instance)


def record_response(item: AttemptItem, response) -> None:
    """Store an answer without grading it (autosave in a deferred-feedback quiz)."""
    item.response = response
    item.answered_at = utcnow()


def grade_item(item: AttemptItem, response=None, *, use_stored: bool = False) -> GradeResult:
    """Grade an item's answer (the given one, or the stored one) and store the grade on it."""
    if not use_stored:
        record_response(item, response)
    result = grade_response(item.instance, item.response)
    item.score = Decimal(str(round(result.score, 4)))
    item.correct = result.correct
    item.feedback = list(result.feedback)
    item.grade_flags = list(result.flags)
    item.graded_at = utcnow()
    item.chosen = chosen_in_file_order(item.instance, item.response)
    return result


def is_scored(item) -> bool:
    """Whether an item counts towards the attempt's total (a description does not, nor a pretest item).

    Takes an AttemptItem, or a light row of the question list that carries `type` and `scored`.
    """
    if item.scored is False:
        return False
    name = item.type if hasattr(item, "type") else (item.instance or {}).get("type")
    type_ = QUESTION_TYPES.get(name)
    return type_ is None or type_.scored


def takes_an_answer(item) -> bool:
    """Whether the learner is asked to answer the item (a description is not; a pretest item is).

    Takes an AttemptItem, or a light row of the question list that carries `type`.
    """
    name = item.type if hasattr(item, "type") else (item.instance or {}).get("type")
    type_ = QUESTION_TYPES.get(name)
    return type_ is None or type_.scored


def awaits_grading(item: AttemptItem) -> bool:
    """Whether an item's answer waits for an instructor to grade it by hand."""
    return "awaiting_grading" in (item.grade_flags or [])


def score_totals(attempt: Attempt, scores: dict[int, Decimal] | None = None) -> tuple[Decimal, Decimal, int]:
    """(points, possible, items awaiting grading) of an attempt; `scores` overrides items' scores by id."""
    scores = scores or {}
    counted = [item for item in attempt.items if is_scored(item)]
    points = sum((scores.get(item.id, item.score or Decimal(0)) for item in counted), Decimal(0))
    return points, Decimal(len(counted)), sum(1 for item in counted if awaits_grading(item))


def finalise_scores(attempt: Attempt) -> None:
    """Sum the item scores (0..1 each) into score, percent and, for a quiz, passed.

    A description is left out of the total, and so is a mock exam's unscored (pretest)
    item. While an essay awaits grading the score so far is kept and `passed` stays
    unknown (None); grading it by hand finalises again.
    """
    points, possible, pending = score_totals(attempt)
    attempt.score = points
    attempt.max_score = possible
    attempt.percent = (points * 100 / possible).quantize(Decimal("0.01")) if possible else Decimal("0.00")
    if attempt.kind == "quiz":
        pass_mark = Decimal(str(attempt.settings.get("pass_mark", 80)))
        # compare the exact ratio, not the rounded percent: 79.996 % has not passed 80
        attempt.passed = None if pending else bool(possible) and points * 100 >= pass_mark * possible
