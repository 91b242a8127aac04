"""Taking a quiz: starting, draws from the seed, answering each type, feedback modes, autosave,
resuming, flagging, submitting once, attempts allowed and the availability window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories.quizzes import (
    TYPES,
    autosave,
    fresh,
    key_response,
    make_question,
    make_questions,
    make_quiz,
    post_answer,
    quiz_of,
    start_via_web,
    submit_via_web,
    wrong_response,
)
from trainer.extensions import db
from trainer.models import Attempt, Course, utcnow
from trainer.services import quizzes
from trainer.services.questions import set_question_status

# ---- the list and the quiz page ---------------------------------------------------------------


def test_the_quiz_list_shows_open_quizzes_with_your_best_score(client, auth):
    questions = make_questions(types=("true_false", "short_answer"))
    quiz_of(questions.values(), "practice", title="Practice quiz")
    make_quiz("hidden", [{"question": "qt-true-false"}], status="draft", title="Draft quiz")
    user = auth.login()
    attempt = quizzes.start_attempt(user, quizzes.published_quiz("practice"))
    quizzes.save_answer(attempt, 0, False)
    quizzes.submit_attempt(attempt)
    db.session.commit()
    page = client.get("/quizzes/").get_data(as_text=True)
    assert "Practice quiz" in page and "Draft quiz" not in page
    assert "50%" in page


def test_the_quiz_page_describes_the_settings_and_offers_a_start_button(client, auth):
    questions = make_questions(types=("true_false",))
    quiz_of(questions.values(), "timed", time_limit_minutes=20, attempts_allowed=2, pass_mark=75)
    auth.login()
    page = client.get("/quizzes/timed").get_data(as_text=True)
    assert "20 minutes" in page and "75%" in page and "2 allowed" in page
    assert 'action="/quizzes/timed/start"' in page and 'name="csrf_token"' in page


def test_a_draft_quiz_is_not_found(client, auth):
    make_questions(types=("true_false",))
    make_quiz("secret", [{"question": "qt-true-false"}], status="draft")
    auth.login()
    assert client.get("/quizzes/secret").status_code == 404
    assert client.post("/quizzes/secret/start").status_code == 404


def test_quizzes_need_a_login(client):
    assert client.get("/quizzes/").status_code == 302


# ---- starting ------------------------------------------------------------------------------------


def test_starting_makes_an_attempt_with_the_settings_frozen(client, auth, app):
    questions = make_questions(types=("numeric", "true_false"))
    quiz = quiz_of(questions.values(), "practice", pass_mark=70)
    user = auth.login()
    attempt = fresh(Attempt, start_via_web(client, quiz))
    assert attempt.user_id == user.id and attempt.kind == "quiz" and attempt.status == "in_progress"
    assert attempt.settings == quiz.settings()
    assert [item.question_id for item in attempt.items] == [questions["numeric"].id, questions["true_false"].id]
    quiz.pass_mark = 90
    db.session.commit()
    assert fresh(Attempt, attempt.id).settings["pass_mark"] == 70


def test_starting_needs_the_form_token(client, auth):
    quiz_of(make_questions(types=("true_false",)).values(), "practice")
    auth.login()
    assert client.post("/quizzes/practice/start", csrf=False).status_code == 400


def test_starting_again_resumes_the_attempt_in_progress(client, auth):
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "practice")
    auth.login()
    first = start_via_web(client, quiz)
    assert start_via_web(client, quiz) == first


def test_items_are_made_from_the_attempt_seed(app, user_factory):
    quiz = quiz_of(make_questions(types=("calculated", "single_choice")).values(), "practice")
    attempt = quizzes.start_attempt(user_factory(), quiz, seed=4242)
    for item in attempt.items:
        assert item.instance["seed"] == quizzes.item_seed(4242, item.position)


# ---- draws ---------------------------------------------------------------------------------------


def _pool(prefix: str, n: int, **fields):
    return [make_question(f"{prefix}-{i}", "true_false", **fields) for i in range(n)]


def test_a_draw_takes_published_matches_and_never_a_fixed_question(app, user_factory):
    pool = _pool("dose", 6, tags=["dose-volume"])
    set_question_status(pool[5], "retired")
    _pool("other", 3, tags=["other-topic"])
    db.session.commit()
    quiz = make_quiz("draws", [{"question": "dose-0"}, {"draw": 4, "tags": ["dose-volume"]}])
    for seed in range(20):
        questions = quizzes.draw_questions(quiz, seed)
        uids = [q.uid for q in questions]
        assert uids[0] == "dose-0" and len(set(uids)) == 5
        assert set(uids) <= {f"dose-{i}" for i in range(5)}


def test_draw_filters_area_or_domain_difficulty_and_type(app, user_factory):
    make_question("area-42", "true_false", blueprint=["ptce-2020:4.2"], difficulty="hard")
    make_question("area-41", "true_false", blueprint=["ptce-2020:4.1"], difficulty="hard")
    make_question("area-41-easy", "true_false", blueprint=["ptce-2020:4.1"], difficulty="easy")
    make_question("area-41-num", "numeric", blueprint=["ptce-2020:4.1"], difficulty="hard")
    make_question("area-2", "true_false", blueprint=["ptce-2020:2.2"], difficulty="hard")
    quiz = make_quiz("filters", [
        {"draw": 3, "blueprint": "ptce-2020:4", "difficulty": "hard", "type": "true_false"}
    ][:1])
    with pytest.raises(quizzes.QuizUnavailable):
        quizzes.draw_questions(quiz, 1)  # only two hard true/false questions in domain 4
    quiz.items[0].draw_count = 2
    db.session.commit()
    assert {q.uid for q in quizzes.draw_questions(quiz, 1)} == {"area-42", "area-41"}


def test_competing_draws_are_always_filled(app):
    make_question("shared-1", "true_false", tags=["alpha", "beta"])
    make_question("alpha-only", "true_false", tags=["alpha"])
    quiz = make_quiz("compete", [{"draw": 1, "tags": ["alpha", "beta"]}, {"draw": 1, "tags": ["alpha"]}][::-1])
    quiz2 = make_quiz("compete-2", [{"draw": 1, "tags": ["alpha"]}, {"draw": 1, "tags": ["beta"]}])
    for seed in range(30):
        assert {q.uid for q in quizzes.draw_questions(quiz, seed)} == {"shared-1", "alpha-only"}
        assert [q.uid for q in quizzes.draw_questions(quiz2, seed)] == ["alpha-only", "shared-1"]


def test_the_same_seed_gives_the_same_questions_order_and_numbers(app, user_factory):
    pool = [make_question(f"calc-{i}", "calculated", tags=["dose-volume"]) for i in range(8)]
    fixed = make_question("fixed-mc", "multiple_response")
    quiz = make_quiz("repro", [{"question": fixed.uid}, {"draw": 5, "tags": ["dose-volume"]}],
                     shuffle_questions=True)
    assert len(pool) == 8
    one = quizzes.start_attempt(user_factory(), quiz, seed=99)
    two = quizzes.start_attempt(user_factory(), quiz, seed=99)
    other = quizzes.start_attempt(user_factory(), quiz, seed=100)
    assert [(i.question_id, i.instance) for i in one.items] == [(i.question_id, i.instance) for i in two.items]
    assert [(i.question_id, i.instance) for i in one.items] != [(i.question_id, i.instance) for i in other.items]


def test_shuffling_questions_follows_the_seed(app):
    questions = [make_question(f"order-{i}", "true_false") for i in range(6)]
    shuffled = quiz_of(questions, "shuffled", shuffle_questions=True)
    in_order = quiz_of(questions, "in-order", shuffle_questions=False)
    orders = {tuple(q.uid for q in quizzes.draw_questions(shuffled, seed)) for seed in range(10)}
    assert len(orders) > 1
    assert [q.uid for q in quizzes.draw_questions(in_order, 3)] == [q.uid for q in questions]


# ---- answering each type through the pages ------------------------------------------------------


@pytest.mark.parametrize("qtype", TYPES)
def test_each_type_grades_right_and_wrong_answers_posted_without_javascript(client, auth, qtype):
    questions = make_questions(types=(qtype,))
    quiz = quiz_of(list(questions.values()) * 1 + [make_question("extra-q", qtype)], "practice")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    attempt = fresh(Attempt, attempt_id)
    right, wrong = attempt.items
    page = client.get(f"/quizzes/attempts/{attempt_id}?q=1").get_data(as_text=True)
    assert 'name="answering"' in page
    assert post_answer(client, attempt_id, 1, right.instance, key_response(right.instance)).status_code == 302
    assert post_answer(client, attempt_id, 2, wrong.instance, wrong_response(wrong.instance)).status_code == 302
    submit_via_web(client, attempt_id)
    attempt = fresh(Attempt, attempt_id)
    assert [item.correct for item in attempt.items] == [True, False]
    assert attempt.score == 1 and attempt.max_score == 2 and attempt.percent == 50 and attempt.passed is False


@pytest.mark.parametrize("qtype", TYPES)
def test_each_type_takes_its_answer_through_the_autosave(client, auth, qtype):
    quiz = quiz_of(make_questions(types=(qtype,)).values(), "practice")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    instance = fresh(Attempt, attempt_id).items[0].instance
    response = autosave(client, attempt_id, 1, response=key_response(instance))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["answered"] is True
    submit_via_web(client, attempt_id)
    assert fresh(Attempt, attempt_id).percent == 100


def test_a_number_answer_may_carry_its_unit(client, auth):
    quiz = quiz_of(make_questions(types=("numeric",)).values(), "practice")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    assert 'inputmode="decimal"' in page and "mL" in page
    post_answer(client, attempt_id, 1, fresh(Attempt, attempt_id).items[0].instance, "7.25 mL")
    submit_via_web(client, attempt_id)
    assert fresh(Attempt, attempt_id).items[0].correct is True


def test_an_ordering_with_repeated_positions_is_shown_again_with_the_error(client, auth):
    quiz = quiz_of(make_questions(types=("ordering",)).values(), "practice")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    ids = [entry["id"] for entry in fresh(Attempt, attempt_id).items[0].instance["items"]]
    data = {"number": "1", "answering": "1", "flagging": "1", **{f"order-{i}": "1" for i in ids}}
    response = client.post(f"/quizzes/attempts/{attempt_id}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "different position" in page
    assert page.count('value="1" selected') == len(ids)  # what was typed is kept
    assert fresh(Attempt, attempt_id).items[0].response is None


# ---- feedback modes ------------------------------------------------------------------------------


def test_immediate_feedback_grades_a_checked_answer_at_once(client, auth):
    quiz = quiz_of(make_questions(types=("single_choice", "numeric")).values(), "practice",
                   feedback="immediate", show_answers="immediately")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    instance = fresh(Attempt, attempt_id).items[0].instance
    response = post_answer(client, attempt_id, 1, instance, key_response(instance), action="check")
    assert response.status_code == 302 and response.location.endswith("q=1")
    page = client.get(response.location).get_data(as_text=True)
    assert "Correct" in page and "Moved up from C-III" in page
    assert "rescheduled hydrocodone combination" in page  # the explanation, since answers show immediately
    item = fresh(Attempt, attempt_id).items[0]
    assert item.correct is True and item.graded_at is not None
    assert fresh(Attempt, attempt_id).status == "in_progress"


def test_a_checked_answer_is_final(client, auth):
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "practice", feedback="immediate")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    response = autosave(client, attempt_id, 1, response=True, check=True)
    assert response.get_json()["graded"] is True and response.get_json()["correct"] is False
    again = autosave(client, attempt_id, 1, response=False, check=True)
    assert again.status_code == 409 and "already" in again.get_json()["error"]
    assert fresh(Attempt, attempt_id).items[0].response is True


def test_deferred_feedback_saves_without_grading(client, auth):
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "exam", feedback="deferred")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    body = autosave(client, attempt_id, 1, response=False).get_json()
    assert body == {"saved": True, "number": 1, "answered": True, "flagged": False}
    assert autosave(client, attempt_id, 1, response=False, check=True).status_code == 409
    item = fresh(Attempt, attempt_id).items[0]
    assert item.graded_at is None and item.score is None
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    assert "Check answer" not in page and "Not correct" not in page


# ---- autosave, resume, flags ---------------------------------------------------------------------


def test_an_autosaved_answer_survives_a_reload_and_the_attempt_resumes_where_it_was(client, auth):
    questions = make_questions(types=("true_false", "short_answer", "numeric"))
    quiz = quiz_of(questions.values(), "practice")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    assert autosave(client, attempt_id, 2, response="metoprolol").status_code == 200
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)  # no ?q=: resume
    assert "Question 2 of 3" in page and 'value="metoprolol"' in page


def test_save_and_next_without_javascript_keeps_the_answer_and_moves_on(client, auth):
    quiz = quiz_of(make_questions(types=("true_false", "short_answer")).values(), "practice")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    response = post_answer(client, attempt_id, 1, {"type": "true_false"}, False, go="next")
    assert response.location.endswith(f"/quizzes/attempts/{attempt_id}?q=2")
    assert fresh(Attempt, attempt_id).items[0].response is False
    page = client.get(f"/quizzes/attempts/{attempt_id}?q=1").get_data(as_text=True)
    assert 'value="false" checked' in page
    last = post_answer(client, attempt_id, 2, {"type": "short_answer"}, "metoprolol", go="next")
    assert last.location.endswith(f"/quizzes/attempts/{attempt_id}/finish")


def test_clearing_an_answer_marks_the_question_unanswered(client, auth):
    quiz = quiz_of(make_questions(types=("short_answer",)).values(), "practice")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    autosave(client, attempt_id, 1, response="metoprolol")
    assert autosave(client, attempt_id, 1, response="  ").get_json()["answered"] is False
    assert fresh(Attempt, attempt_id).items[0].response is None


def test_flags_and_unanswered_questions_are_listed_before_submitting(client, auth):
    quiz = quiz_of(make_questions(types=("true_false", "short_answer", "numeric")).values(), "practice")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    autosave(client, attempt_id, 1, response=True)
    assert autosave(client, attempt_id, 3, flagged=True).get_json()["flagged"] is True
    post_answer(client, attempt_id, 2, None, flagged="1")
    page = client.get(f"/quizzes/attempts/{attempt_id}/finish").get_data(as_text=True)
    unanswered, flagged = page.split('id="flagged-title"')
    assert "Question 2" in unanswered and "Question 3" in unanswered and "Question 1<" not in unanswered
    assert "Question 2" in flagged and "Question 3" in flagged
    assert "2 unanswered questions will score zero" in page
    assert [i.flagged for i in fresh(Attempt, attempt_id).items] == [False, True, True]


def test_the_navigator_shows_answered_and_flagged_questions(client, auth):
    quiz = quiz_of(make_questions(types=("true_false", "short_answer")).values(), "practice")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    autosave(client, attempt_id, 1, response=True, flagged=True)
    page = client.get(f"/quizzes/attempts/{attempt_id}?q=2").get_data(as_text=True)
    assert 'aria-label="Question 1: answered, flagged"' in page
    assert 'aria-label="Question 2: not answered"' in page


# ---- submitting ----------------------------------------------------------------------------------


def test_submitting_twice_counts_once(client, auth):
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "practice", attempts_allowed=2)
    auth.login()
    attempt_id = start_via_web(client, quiz)
    autosave(client, attempt_id, 1, response=False)
    first = submit_via_web(client, attempt_id)
    closed = fresh(Attempt, attempt_id)
    submitted_at, score = closed.submitted_at, closed.score
    second = submit_via_web(client, attempt_id)
    assert first.status_code == second.status_code == 302
    assert "already submitted" in client.get(second.location).get_data(as_text=True)
    again = fresh(Attempt, attempt_id)
    assert (again.submitted_at, again.score, again.status) == (submitted_at, score, "submitted")
    assert db.session.scalar(select(func.count(Attempt.id)).where(Attempt.quiz_id == quiz.id)) == 1


def test_submit_reports_whether_it_closed_the_attempt(app, user_factory):
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "practice")
    attempt = quizzes.start_attempt(user_factory(), quiz)
    assert quizzes.submit_attempt(attempt) is True
    assert quizzes.submit_attempt(attempt) is False


def test_answers_cannot_change_after_submitting(client, auth):
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "practice")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    submit_via_web(client, attempt_id)
    response = autosave(client, attempt_id, 1, response=False)
    assert response.status_code == 409 and response.get_json()["closed"] is True
    assert client.get(f"/quizzes/attempts/{attempt_id}").location.endswith("/results")


def test_the_pass_mark_decides_passed(app, user_factory):
    questions = make_questions(types=("true_false", "short_answer", "numeric", "single_choice"))
    quiz = quiz_of(questions.values(), "practice", pass_mark=75)
    attempt = quizzes.start_attempt(user_factory(), quiz)
    for position in range(3):
        quizzes.save_answer(attempt, position, key_response(attempt.items[position].instance))
    quizzes.submit_attempt(attempt)
    assert attempt.percent == 75 and attempt.passed is True


# ---- attempts allowed and the window -------------------------------------------------------------


def test_attempts_allowed_is_enforced_with_a_clear_message(client, auth):
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "once", attempts_allowed=1)
    auth.login()
    submit_via_web(client, start_via_web(client, quiz))
    response = client.post("/quizzes/once/start")
    assert response.location.endswith("/quizzes/once")
    page = client.get(response.location).get_data(as_text=True)
    assert "You have used all 1 attempt allowed at this quiz." in page
    assert 'action="/quizzes/once/start"' not in page


def test_a_quiz_cannot_be_started_before_it_opens_or_after_it_closes(app, user_factory):
    now = utcnow()
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "window",
                   available_from=(now + timedelta(days=1)).isoformat(),
                   available_until=(now + timedelta(days=2)).isoformat())
    learner = user_factory()
    with pytest.raises(quizzes.QuizUnavailable, match="opens on"):
        quizzes.start_attempt(learner, quiz, now=now)
    with pytest.raises(quizzes.QuizUnavailable, match="closed on"):
        quizzes.start_attempt(learner, quiz, now=now + timedelta(days=3))
    assert quizzes.start_attempt(learner, quiz, now=now + timedelta(days=1, hours=1)).status == "in_progress"


def test_the_list_leaves_out_quizzes_outside_their_window(client, auth):
    now = utcnow()
    quiz_of(make_questions(types=("true_false",)).values(), "later", title="Later quiz",
            available_from=(now + timedelta(days=1)).isoformat())
    auth.login()
    assert "Later quiz" not in client.get("/quizzes/").get_data(as_text=True)
    page = client.get("/quizzes/later").get_data(as_text=True)
    assert "This quiz opens on" in page


# ---- the dashboard and queries -----------------------------------------------------------------


def test_the_dashboard_offers_to_resume_and_shows_recent_results(client, auth):
    questions = make_questions(types=("true_false", "short_answer"))
    quiz_of([questions["true_false"]], "first", title="First quiz")
    quiz_of([questions["short_answer"]], "second", title="Second quiz")
    auth.login()
    done = start_via_web(client, quizzes.published_quiz("first"))
    autosave(client, done, 1, response=False)
    submit_via_web(client, done)
    open_ = start_via_web(client, quizzes.published_quiz("second"))
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Resume Second quiz" in page and f"/quizzes/attempts/{open_}" in page
    assert "First quiz: 100% (passed)" in page


def test_the_dashboard_lists_open_attempts_then_the_three_latest_results(client, auth):
    questions = make_questions(types=("true_false",))
    quiz_of([questions["true_false"]], "first", title="First quiz")
    learner = auth.login()
    closed = []
    for _ in range(4):
        attempt = start_via_web(client, quizzes.published_quiz("first"))
        autosave(client, attempt, 1, response=False)
        submit_via_web(client, attempt)
        closed.append(attempt)
    open_ = start_via_web(client, quizzes.published_quiz("first"))
    open_rows, closed_rows = quizzes.recent_attempts(learner)
    assert ([row.id for row in open_rows], [row.id for row in closed_rows]) == ([open_], closed[:0:-1])


def test_the_attempt_page_runs_as_many_queries_with_ten_answers_as_with_one(client, auth, count_queries):
    questions = [make_question(f"many-{i}", "short_answer") for i in range(10)]
    quiz = quiz_of(questions, "many")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    autosave(client, attempt_id, 1, response="metoprolol")
    with count_queries() as one:
        assert client.get(f"/quizzes/attempts/{attempt_id}?q=1").status_code == 200
    for number in range(2, 11):
        autosave(client, attempt_id, number, response="metoprolol", flagged=True)
    with count_queries() as ten:
        assert client.get(f"/quizzes/attempts/{attempt_id}?q=1").status_code == 200
    assert len(one) == len(ten) <= 6


def test_the_attempt_resumes_at_the_question_last_moved_to(client, auth):
    quiz = quiz_of(make_questions(types=("true_false", "short_answer", "numeric")).values(), "practice")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    assert post_answer(client, attempt_id, 1, None, go="3").location.endswith("q=3")
    assert "Question 3 of 3" in client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)


def test_a_course_post_test_is_listed_with_its_course_not_among_the_quizzes(client, auth):
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "post-test", title="Course post-test")
    db.session.add(Course(slug="a-course", title="A course", post_test_quiz_id=quiz.id))
    db.session.commit()
    auth.login()
    assert "Course post-test" not in client.get("/quizzes/").get_data(as_text=True)
    assert client.get("/quizzes/post-test").status_code == 200


@pytest.mark.parametrize("page", ["finish", "results", "review"])
def test_the_review_pages_run_as_many_queries_for_ten_questions_as_for_two(client, auth, count_queries, page):
    counts = []
    for size in (2, 10):
        questions = [make_question(f"q{size}-{i}", "short_answer") for i in range(size)]
        quiz = quiz_of(questions, f"size-{size}")
        auth.login()
        attempt_id = start_via_web(client, quiz)
        for number in range(1, size + 1):
            autosave(client, attempt_id, number, response="metoprolol", flagged=number % 2 == 0)
        if page != "finish":
            submit_via_web(client, attempt_id)
        with count_queries() as queries:
            assert client.get(f"/quizzes/attempts/{attempt_id}/{page}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
