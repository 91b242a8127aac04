"""Page speed, as the test suite can see it: how many statements each page runs, that the
number does not grow with the learner's history, and that a plain view writes nothing.

Timings belong to the load bench (tests/bench, `make bench`); here only counts, which
are the same on every machine. The counts are exact on purpose: a new query on one of
these pages should be a decision, so the test that fails names the page and shows its
statements.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from tests.factories.courses import answer_checks, make_course, modules_of
from tests.factories.quizzes import autosave, make_questions, quiz_of, start_via_web
from trainer.extensions import db, limiter
from trainer.models import Attempt, Module, ModuleProgress, Question, utcnow
from trainer.services import attempts, progress
from trainer.services.questions import save_question

WRITES = ("INSERT", "UPDATE", "DELETE")


def run(client, count_queries, method: str, path: str, **kwargs) -> list[str]:
    """The statements one request runs (savepoints left out: they stand in for the
    transaction the test wraps around everything)."""
    with count_queries() as statements:
        response = client.open(path, method=method, **kwargs)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return [s for s in statements if "SAVEPOINT" not in s.upper()]


def writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(WRITES)]


def shown(statements: list[str]) -> str:
    return "\n".join(" ".join(s.split())[:120] for s in statements)


@pytest.fixture
def course(app):
    return make_course("sig-codes", modules=3, checks_per_module=2)


@pytest.fixture
def practice(app):
    questions = make_questions(types=("true_false", "short_answer", "numeric"))
    return quiz_of(questions.values(), "practice", title="Practice")


def add_history(learner, size: int) -> None:
    """`size` submitted quiz attempts and `size` module progress rows for the learner."""
    questions = make_questions(prefix=f"hist{size}", types=("true_false",))
    quiz = quiz_of(questions.values(), f"history-{size}", title=f"History {size}")
    other = make_course(f"history-{size}", title=f"History {size}", modules=1)
    now = utcnow()
    module_ids = db.session.execute(
        insert(Module).returning(Module.id),
        [{"course_id": other.id, "slug": f"extra-{n}", "position": n + 1, "title": f"Extra {n}",
          "objectives": [], "references": [], "toc": [], "checks": []} for n in range(size)],
    ).scalars().all()
    db.session.execute(insert(ModuleProgress), [
        {"user_id": learner.id, "module_id": module_id, "course_id": other.id, "started_at": now,
         "last_viewed_at": now - timedelta(minutes=n), "last_anchor": "", "completed_at": now}
        for n, module_id in enumerate(module_ids)
    ])
    db.session.execute(insert(Attempt), [
        {"user_id": learner.id, "kind": "quiz", "quiz_id": quiz.id, "status": "submitted", "seed": n,
         "settings": quiz.settings(), "started_at": now - timedelta(hours=n), "submitted_at": now,
         "last_position": 0, "score": Decimal(1), "max_score": Decimal(1), "percent": Decimal(100),
         "passed": True}
        for n in range(size)
    ])
    db.session.commit()


# --- exact counts --------------------------------------------------------------------


def test_the_home_page_runs_no_query_and_leaves_no_cookie(client, count_queries):
    with count_queries() as statements:
        response = client.get("/")
    assert response.status_code == 200
    assert statements == []
    assert "Set-Cookie" not in response.headers  # no session, no CSRF token for a page without a form


def test_the_catalog_runs_three_queries(client, auth, course, count_queries):
    auth.login("learner")
    statements = run(client, count_queries, "GET", "/courses/")
    # the user; the courses with module counts; the learner's module rows, post-test
    # scores and course credits (one query)
    assert len(statements) == 3, shown(statements)
    assert writes(statements) == []


def test_a_module_page_viewed_again_runs_five_queries_and_writes_nothing(client, auth, course, count_queries):
    auth.login("learner")
    client.get("/courses/sig-codes/module-1")  # first view: the check items and the view are recorded
    statements = run(client, count_queries, "GET", "/courses/sig-codes/module-1")
    # the user; the course with its modules; the module's body; the learner's check
    # items; module rows, post-test scores and course credits (one query)
    assert len(statements) == 5, shown(statements)
    assert writes(statements) == []


def test_the_dashboard_runs_ten_queries(client, auth, course, practice, count_queries):
    learner = auth.login("learner")
    answer_checks(learner, modules_of(course)[0])
    progress.complete_module(learner, modules_of(course)[0])
    db.session.commit()
    start_via_web(client, practice)
    statements = run(client, count_queries, "GET", "/dashboard")
    # the user; open and latest closed quiz attempts (one query); the readiness panel's goal, mastery rows,
    # missed questions due and flashcards due; the CE panel's credentials; the courses
    # started; their module rows, post-test scores and credits (one query); the learner's
    # assignments
    assert len(statements) == 10, shown(statements)
    assert writes(statements) == []


def test_a_quiz_question_page_runs_four_queries(client, auth, practice, count_queries):
    auth.login("learner")
    attempt_id = start_via_web(client, practice)
    statements = run(client, count_queries, "GET", f"/quizzes/attempts/{attempt_id}?q=2")
    # the user; the attempt with its quiz; its items' answers and flags; the item shown
    assert len(statements) == 4, shown(statements)
    assert writes(statements) == []


def test_an_autosave_reads_one_item_and_writes_it(client, auth, practice, count_queries):
    auth.login("learner")
    attempt_id = start_via_web(client, practice)
    autosave(client, attempt_id, 2, response="first")
    statements = run(client, count_queries, "POST", f"/quizzes/attempts/{attempt_id}/save",
                     json={"number": 2, "response": "second"},
                     headers={"X-CSRFToken": client.csrf_token(), "Accept": "application/json"})
    # the user; the attempt (locked); the one item; the item's update, and the attempt's
    # clock for time on this question restarting (item analysis reports time per item)
    assert len(statements) == 5, shown(statements)
    assert len(writes(statements)) == 2, shown(statements)


# --- counts do not grow with the data ------------------------------------------------


@pytest.mark.parametrize("path", ["/courses/", "/courses/sig-codes/module-1", "/dashboard"])
def test_learner_pages_run_as_many_queries_with_fifty_rows_of_history_as_with_one(
    client, auth, course, practice, count_queries, path
):
    learner = auth.login("learner")
    client.get("/courses/sig-codes/module-1")
    add_history(learner, 1)
    client.get("/courses/sig-codes/module-1")  # the view moved away by the history is recorded again
    few = run(client, count_queries, "GET", path)
    add_history(learner, 50)
    client.get("/courses/sig-codes/module-1")
    many = run(client, count_queries, "GET", path)
    assert len(few) == len(many), shown(many)


def test_the_quiz_pages_run_as_many_queries_with_fifty_attempts_as_with_one(
    client, auth, practice, count_queries
):
    learner = auth.login("learner")
    attempt_id = start_via_web(client, practice)
    add_history(learner, 1)
    few = (run(client, count_queries, "GET", f"/quizzes/attempts/{attempt_id}?q=1"),
           run(client, count_queries, "POST", f"/quizzes/attempts/{attempt_id}/save",
               json={"number": 1, "flagged": True}, headers={"X-CSRFToken": client.csrf_token()}))
    add_history(learner, 50)
    many = (run(client, count_queries, "GET", f"/quizzes/attempts/{attempt_id}?q=1"),
            run(client, count_queries, "POST", f"/quizzes/attempts/{attempt_id}/save",
                json={"number": 1, "flagged": False}, headers={"X-CSRFToken": client.csrf_token()}))
    assert [len(s) for s in few] == [len(s) for s in many]


# --- what a view writes --------------------------------------------------------------


def last_viewed_module(learner, course) -> int | None:
    db.session.expire_all()
    state = progress.course_progress(learner, db.session.get(type(course), course.id))
    return state.last_viewed.module_id if state.last_viewed else None


def test_a_module_view_is_written_the_first_time_and_when_the_learner_comes_back_from_another(
    client, auth, course, count_queries
):
    learner = auth.login("learner")
    first, second = modules_of(course)[:2]
    opened = run(client, count_queries, "GET", "/courses/sig-codes/module-1")
    assert any("module_progress" in s for s in writes(opened))
    assert writes(run(client, count_queries, "GET", "/courses/sig-codes/module-1")) == []
    assert writes(run(client, count_queries, "GET", "/courses/sig-codes/module-2")) != []
    assert last_viewed_module(learner, course) == second.id
    assert writes(run(client, count_queries, "GET", "/courses/sig-codes/module-1")) != []
    assert last_viewed_module(learner, course) == first.id  # the course page resumes here


def test_the_course_page_resumes_at_the_module_opened_last(client, auth, course):
    auth.login("learner")
    for path in ("module-1", "module-2", "module-1", "module-1"):
        client.get(f"/courses/sig-codes/{path}")
    page = client.get("/courses/sig-codes").get_data(as_text=True)
    assert '<a class="button" href="/courses/sig-codes/module-1">Continue where you left off</a>' in page


def test_answered_checks_show_on_a_view_that_writes_nothing(client, auth, course):
    learner = auth.login("learner")
    client.get("/courses/sig-codes/module-1")
    answer_checks(learner, modules_of(course)[0])
    db.session.commit()
    page = client.get("/courses/sig-codes/module-1").get_data(as_text=True)
    assert page.count("knowledge-check-box answered") == 2


# --- the rate limiter ----------------------------------------------------------------


def test_a_route_without_a_limit_does_not_consult_the_rate_limiter(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the rate limiter was consulted")

    monkeypatch.setattr(limiter.limit_manager, "resolve_limits", refuse)
    assert client.get("/").status_code == 200
    assert client.get("/courses/").status_code == 200


def test_a_limited_route_is_still_throttled(make_app):
    app = make_app(CALC_RATE_LIMIT="2 per minute")
    client = app.test_client()
    answers = [client.post("/api/v1/calc/dose_volume", json={"dose": "400 mg", "concentration": "250 mg/5 mL"})
               for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]



# --- markdown rendered once, when a question is saved --------------------------------


def test_a_saved_question_version_keeps_its_stem_and_explanation_rendered(app):
    make_course("rendered", modules=1)
    question = db.session.scalars(select(Question).where(Question.uid == "rendered-kc-1-1")).one()
    version = question.current_version
    assert version.stem_html == ('<p>What does <strong><abbr title="twice a day">bid</abbr></strong> '
                                 "mean on a prescription?</p>")  # with the glossary's abbreviations
    assert "Latin bis in die" in version.explanation_html


def test_a_first_module_view_renders_no_markdown(client, auth, course, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("markdown was rendered during a page view")

    monkeypatch.setattr(attempts, "render_module", refuse)
    auth.login("learner")
    page = client.get("/courses/sig-codes/module-1").get_data(as_text=True)
    assert page.count('<strong><abbr title="twice a day">bid</abbr></strong>') == 2  # both checks' stems


def test_importing_again_fills_the_html_of_versions_saved_before_it_was_kept(app):
    make_course("older", modules=1)
    question = db.session.scalars(select(Question).where(Question.uid == "older-kc-1-1")).one()
    question.current_version.stem_html = question.current_version.explanation_html = None
    db.session.commit()
    _, outcome = save_question(dict(question.current_version.data), source="tests")
    assert outcome == "unchanged"
    assert question.current_version.stem_html.startswith("<p>What does")
