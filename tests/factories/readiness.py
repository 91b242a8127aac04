"""Exam-style banks, graded answers and flashcard decks for the readiness tests.

Questions are saved through trainer.services.questions (as the import saves them) and
committed; each test's transaction is rolled back afterwards.
"""

from __future__ import annotations

from datetime import datetime

from tests.factories.quizzes import key_response, make_question, question_data, wrong_response
from trainer.extensions import db
from trainer.models import Attempt, Question
from trainer.services import quizzes
from trainer.services.questions import save_question

# A PTCE 2020 domain's area, with the PTCE 2026 domain it also belongs to.
AREAS = {"1": "ptce-2020:1.1", "2": "ptce-2020:2.2", "3": "ptce-2020:3.2", "4": "ptce-2020:4.2"}


def four_option_question(uid: str, domain: str, *, qtype: str = "single_choice", status: str = "published") -> Question:
    """A published question a mock exam can ask, in one PTCE 2020 domain (and its 2026 domain)."""
    data = question_data(uid, qtype, blueprint=[AREAS[domain], f"ptce-2026:{domain}"])
    if status != "published":
        data["status"] = status
    question, _ = save_question(data, source="tests")
    return question


def exam_bank(per_domain: dict[str, int], *, prefix: str = "xb", calculated_in: str | None = None) -> list[Question]:
    """Four-option questions per PTCE 2020 domain; with `calculated_in`, that domain's are calculated."""
    made = []
    for domain, count in per_domain.items():
        qtype = "calculated" if domain == calculated_in else "single_choice"
        for n in range(count):
            made.append(four_option_question(f"{prefix}-{domain}-{n:03d}", domain, qtype=qtype))
    db.session.commit()
    return made


# Enough for a whole PTCE 2020 form (36, 11, 24, 19 with pretest items) and a 2026 one (32, 17, 21, 20).
FULL_PTCE = {"1": 36, "2": 17, "3": 24, "4": 20}


def answer_all(attempt: Attempt, *, right: bool | None = True, now: datetime, only=None) -> None:
    """Autosave an answer to every item (or those `only` picks): the key, a wrong one, or none."""
    for item in attempt.items:
        if only is not None and not only(item):
            continue
        response = None if right is None else (key_response(item.instance) if right else wrong_response(item.instance))
        quizzes.save_answer(attempt, item.position, response, now=now)


def graded_quiz(user, questions, *, right: list[bool], now: datetime, slug: str = "graded") -> Attempt:
    """A quiz of the questions, answered (right or wrong, in order) and submitted at `now`."""
    from tests.factories.quizzes import quiz_of

    quiz = quiz_of(questions, slug)
    attempt = quizzes.start_attempt(user, quiz, now=now)
    for item, is_right in zip(attempt.items, right, strict=True):
        response = key_response(item.instance) if is_right else wrong_response(item.instance)
        quizzes.save_answer(attempt, item.position, response, now=now)
    quizzes.submit_attempt(attempt, now=now)
    db.session.commit()
    return attempt


def tagged_question(uid: str, *codes: str, qtype: str = "true_false") -> Question:
    """A published question naming exactly these outline codes."""
    return make_question(uid, qtype, blueprint=list(codes))
