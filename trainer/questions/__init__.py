"""Question types, calculated templates, answer grading, and the bank's file formats.

A pure package: plain data in, plain data out; no Flask, no database. Importing it
registers every question type.
"""

from trainer.questions import (  # noqa: F401 - importing a type module registers it
    calculated,
    choice,
    essay,
    matching,
    numeric,
    ordering,
    rx_drill,
    short_answer,
)
from trainer.questions.calculated import GenerationFailed
from trainer.questions.question import (
    generate_question,
    grade_response,
    public_question_view,
    review_view,
    validate_question,
)
from trainer.questions.registry import QUESTION_TYPES, GradeResult, QuestionType, get_type

__all__ = [
    "QUESTION_TYPES",
    "GenerationFailed",
    "GradeResult",
    "QuestionType",
    "generate_question",
    "get_type",
    "grade_response",
    "public_question_view",
    "review_view",
    "validate_question",
]
