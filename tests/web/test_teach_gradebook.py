"""The gradebook: cells and totals from real attempts, sorting, filtering, CSV, the drill-downs,
and a number of queries that does not grow with the class."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories.quizzes import make_question, quiz_of
from tests.factories.teaching import NOW, assign, enrol, graded_attempt, make_cohort, make_learners
from trainer.extensions import db
from trainer.services import gradebook


@pytest.fixture
def setup(instructor):
    """A cohort of three with two quizzes: one due last week (penalty 10 a day), one next week (weight 3)."""
    cohort = make_cohort(instructor)
    ana, ben, cy = make_learners(3)
    enrol(cohort, [ana, ben, cy])
    question = make_question("gb-1", "true_false")
    first = quiz_of([question], "first", title="First quiz")
    second = quiz_of([make_question("gb-2", "true_false")], "second", title="Second quiz")
    assign(cohort, "quiz", first.id, opens_at=NOW - timedelta(days=14), due_at=NOW - timedelta(days=7),
           late_policy="penalty", penalty=10)
    assign(cohort, "quiz", second.id, weight="3")
    q1, q2 = first.items[0].question, second.items[0].question
    # Ana: on time, 100; Ben: 2 days late, 100 → 80; Cy: nothing (missing)
    graded_attempt(ana, first, [{"question": q1, "score": 1}], started_at=NOW - timedelta(days=10))
    graded_attempt(ben, first, [{"question": q1, "score": 1}], started_at=NOW - timedelta(days=5, hours=12))
    graded_attempt(ana, second, [{"question": q2, "score": 0}], started_at=NOW - timedelta(days=1))
    return cohort, (ana, ben, cy), (first, second)


def test_cells_and_weighted_totals(setup):
    cohort, (ana, ben, cy), _ = setup
    book = gradebook.build_gradebook(cohort, now=NOW)
    rows = {row.learner_id: row for row in book.rows}
    assert [(c.status, c.score) for c in rows[ana.id].cells] == [("done", Decimal(100)), ("done", Decimal(0))]
    assert [(c.status, c.score, c.days_late) for c in rows[ben.id].cells] == [
        ("late", Decimal(80), 2), ("open", None, 0)]
    assert [c.status for c in rows[cy.id].cells] == ["missing", "open"]
    # Ana: (100·1 + 0·3) / 4 = 25; Ben: 80 (the open one is left out); Cy: 0
    assert [rows[u.id].total for u in (ana, ben, cy)] == [Decimal("25.00"), Decimal("80.00"), Decimal("0.00")]


def test_the_page_shows_scores_statuses_and_totals(client, setup):
    cohort, _, _ = setup
    page = client.get(f"/teach/cohorts/{cohort.id}/gradebook").get_data(as_text=True)
    assert "First quiz" in page and "Second quiz" in page
    assert "80 late" in page and "missing" in page and "<strong>25</strong>" in page


def test_the_table_sorts_by_total_and_filters_to_learners_behind(client, setup):
    cohort, (ana, ben, cy), _ = setup
    page = client.get(f"/teach/cohorts/{cohort.id}/gradebook?sort=total&desc=1").get_data(as_text=True)
    assert page.index(ben.name) < page.index(ana.name) < page.index(cy.name)
    page = client.get(f"/teach/cohorts/{cohort.id}/gradebook?show=missing").get_data(as_text=True)
    assert cy.name in page and ana.name not in page and ben.name not in page


def test_an_unknown_sort_or_filter_falls_back_to_the_defaults(client, setup):
    cohort, _, _ = setup
    assert client.get(f"/teach/cohorts/{cohort.id}/gradebook?sort=drop+table&show=x").status_code == 200


def test_the_csv_export_has_every_learner_with_scores_statuses_and_totals(client, setup):
    cohort, (ana, ben, cy), _ = setup
    response = client.get(f"/teach/cohorts/{cohort.id}/gradebook.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0] == ["name", "email", "First quiz", "First quiz (status)", "Second quiz", "Second quiz (status)", "total"]
    assert table[2] == [ben.name, ben.email, "80", "late (2 days)", "", "not started", "80"]
    assert len(table) == 4


def test_weights_are_set_from_the_gradebook(client, setup):
    cohort, (ana, _, _), _ = setup
    book = gradebook.build_gradebook(cohort, now=NOW)
    first, second = (c.assignment for c in book.columns)
    client.post(f"/teach/cohorts/{cohort.id}/gradebook/weights",
                data={f"weight-{first.id}": "1", f"weight-{second.id}": "1"})
    db.session.expire_all()
    rows = {row.learner_id: row for row in gradebook.build_gradebook(cohort, now=NOW).rows}
    assert rows[ana.id].total == Decimal("50.00")  # (100 + 0) / 2


def test_a_bad_weight_changes_nothing(client, setup):
    cohort, _, _ = setup
    book = gradebook.build_gradebook(cohort, now=NOW)
    first = book.columns[0].assignment
    response = client.post(f"/teach/cohorts/{cohort.id}/gradebook/weights", data={f"weight-{first.id}": "lots"})
    assert response.status_code == 302
    db.session.expire_all()
    assert gradebook.build_gradebook(cohort, now=NOW).columns[0].assignment.weight == Decimal(1)


def test_the_learner_drill_down_lists_their_attempts_with_review_links(client, setup):
    cohort, (ana, _, _), (first, _) = setup
    page = client.get(f"/teach/cohorts/{cohort.id}/learners/{ana.id}").get_data(as_text=True)
    assert "First quiz" in page and "Review" in page
    attempt_id = gradebook.learner_record(cohort, ana).attempts[first.id][0].id
    review = client.get(f"/teach/cohorts/{cohort.id}/learners/{ana.id}/attempts/{attempt_id}")
    assert review.status_code == 200 and "gb-1" in review.get_data(as_text=True)


def test_the_assignment_drill_down_shows_each_learners_result(client, setup):
    cohort, (ana, ben, cy), _ = setup
    first = gradebook.build_gradebook(cohort, now=NOW).columns[0].assignment
    page = client.get(f"/teach/cohorts/{cohort.id}/assignments/{first.id}").get_data(as_text=True)
    assert "100% before the penalty" in page and "missing" in page and "2 days" in page


def test_an_attempt_outside_the_cohort_is_not_found(client, setup, user_factory):
    cohort, (ana, _, _), (first, _) = setup
    stranger = user_factory()
    attempt = graded_attempt(stranger, first, [{"question": first.items[0].question, "score": 1}])
    assert client.get(f"/teach/cohorts/{cohort.id}/learners/{stranger.id}").status_code == 404
    assert client.get(f"/teach/cohorts/{cohort.id}/learners/{ana.id}/attempts/{attempt.id}").status_code == 404
    assert client.get(f"/teach/cohorts/{cohort.id}/learners/{stranger.id}/attempts/{attempt.id}").status_code == 404


# ---- queries do not grow with the class ----------------------------------------------------------------


def _class(instructor, size: int, quizzes):
    cohort = make_cohort(instructor, f"Class of {size}")
    learners = make_learners(size, prefix=f"c{size}x")
    enrol(cohort, learners)
    for quiz in quizzes:
        assign(cohort, "quiz", quiz.id)
    for learner in learners:
        for quiz in quizzes:
            graded_attempt(learner, quiz, [{"question": quiz.items[0].question, "score": 1}])
    return cohort


def test_the_gradebook_query_count_does_not_grow_with_the_class(client, instructor, count_queries):
    quizzes = [quiz_of([make_question(f"gq-{i}", "true_false")], f"gq-{i}") for i in range(3)]
    small, large = _class(instructor, 2, quizzes), _class(instructor, 12, quizzes)
    counts = []
    for url in (f"/teach/cohorts/{small.id}/gradebook", f"/teach/cohorts/{large.id}/gradebook"):
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_gradebook_service_reads_a_fixed_number_of_queries_per_kind(app, instructor, count_queries):
    quizzes = [quiz_of([make_question(f"gs-{i}", "true_false")], f"gs-{i}") for i in range(4)]
    cohort = _class(instructor, 5, quizzes)
    db.session.refresh(cohort)
    with count_queries() as statements:
        gradebook.build_gradebook(cohort, now=NOW)
    # learners, assignments, quiz titles, attempts, extensions
    assert len(statements) == 5
