"""The shipped bank, imported for real: each ready quiz can be taken start to submit, and
answering every item with its key scores 100%."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories.quizzes import autosave, fresh, key_response, start_via_web, submit_via_web
from trainer.extensions import db
from trainer.models import Attempt, Question
from trainer.services import quizzes

SHIPPED_QUIZZES = (
    "calculations-1", "calculations-2", "days-supply", "controlled-substances", "medication-safety", "top-drugs",
)


@pytest.mark.shipped_content
def test_every_shipped_quiz_scores_full_marks_with_its_keys(app, client, auth):
    assert db.session.scalar(select(func.count(Question.id))) >= 200
    auth.login()
    for slug in SHIPPED_QUIZZES:
        quiz = quizzes.published_quiz(slug)
        assert quiz is not None, slug
        attempt_id = start_via_web(client, quiz)
        attempt = fresh(Attempt, attempt_id)
        assert len(attempt.items) == quizzes.question_count(quiz), slug
        page = client.get(f"/quizzes/attempts/{attempt_id}")
        assert page.status_code == 200, slug
        for number, item in enumerate(attempt.items, start=1):
            saved = autosave(client, attempt_id, number, response=key_response(item.instance))
            assert saved.status_code == 200, (slug, item.instance["question_id"], saved.get_json())
        submit_via_web(client, attempt_id)
        attempt = fresh(Attempt, attempt_id)
        wrong = [(i.instance["question_id"], i.feedback) for i in attempt.items if not i.correct]
        assert attempt.percent == 100 and wrong == [], (slug, wrong)
        assert client.get(f"/quizzes/attempts/{attempt_id}/review").status_code == 200
        assert quizzes.results_by_area(attempt), slug
