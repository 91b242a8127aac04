"""Integrity: keys never reach the browser before grading, a learner reaches only their own
attempts, and no input causes a server error."""

from __future__ import annotations

import json

import pytest

from tests.factories.courses import add_module, make_course
from tests.factories.quizzes import (
    TYPES,
    autosave,
    fresh,
    key_response,
    make_questions,
    quiz_of,
    start_via_web,
    submit_via_web,
    wrong_response,
)
from trainer.extensions import db
from trainer.models import Attempt, Module
from trainer.services import knowledge_checks

# Types whose key text is not shown as an option anyway (a choice question's key is one
# of its choices, so for those the markers of correctness are searched for instead).
KEY_TEXT_HIDDEN = ("numeric", "calculated", "matching", "short_answer", "ordering")


def _secrets(item) -> list[str]:
    """Texts that give an item's answer away."""
    instance = item.instance
    found = ["rescheduled hydrocodone", "Do Not Use list", "decimal point can be missed",
             "concentration of the solution", "ordered dose over the stock", "-vastatin stem",
             "tartrate salt", "final check by the pharmacist", "Moved up from C-III"]
    if instance["type"] in KEY_TEXT_HIDDEN:
        found.append(instance["answer_text"])
    found.extend(instance.get("steps", []))
    return found


def _without_stems(text: str, attempt_or_items) -> str:
    # a calculated stem may by chance contain the answer's digits ("… 5 mL …"): the stem
    # is what the learner must see, so only the rest of the page is searched
    items = getattr(attempt_or_items, "items", attempt_or_items)
    for item in items:
        text = text.replace(item.stem_html, "").replace(json.dumps(item.stem_html)[1:-1], "")
    return text


@pytest.mark.parametrize("feedback", ["deferred", "immediate"])
def test_no_page_or_autosave_reply_carries_a_key_before_grading(client, auth, feedback):
    quiz = quiz_of(make_questions(types=TYPES).values(), "integrity", feedback=feedback,
                   show_answers="immediately")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    attempt = fresh(Attempt, attempt_id)
    bodies = [client.get(f"/quizzes/{quiz.slug}").get_data(as_text=True)]
    for number, item in enumerate(attempt.items, start=1):
        bodies.append(client.get(f"/quizzes/attempts/{attempt_id}?q={number}").get_data(as_text=True))
        bodies.append(autosave(client, attempt_id, number, response=key_response(item.instance)).get_data(as_text=True))
        bodies.append(autosave(client, attempt_id, number, flagged=True).get_data(as_text=True))
    bodies.append(client.get(f"/quizzes/attempts/{attempt_id}/finish").get_data(as_text=True))
    bodies.append(client.get("/dashboard").get_data(as_text=True))
    for body in bodies:
        text = _without_stems(body, attempt)
        assert '"correct"' not in text and "Correct answer:" not in text and '"key"' not in text
        assert '"answer_text"' not in text and '"explanation"' not in text
        for item in attempt.items:
            for secret in _secrets(item):
                assert secret not in text, (item.instance["type"], secret)


@pytest.mark.parametrize("show_answers", ["after_submit", "after_close", "never"])
def test_checking_an_answer_gives_its_grade_but_no_key_until_answers_may_be_shown(client, auth, show_answers):
    quiz = quiz_of(make_questions(types=TYPES).values(), "practice", feedback="immediate",
                   show_answers=show_answers)
    auth.login()
    attempt_id = start_via_web(client, quiz)
    attempt = fresh(Attempt, attempt_id)
    bodies = []
    for number, item in enumerate(attempt.items, start=1):
        checked = autosave(client, attempt_id, number, response=wrong_response(item.instance), check=True)
        assert checked.status_code == 200 and checked.get_json()["graded"] is True
        assert "review" not in checked.get_json()
        bodies.append(checked.get_data(as_text=True))
        bodies.append(client.get(f"/quizzes/attempts/{attempt_id}?q={number}").get_data(as_text=True))
    for body in bodies:
        text = _without_stems(body, attempt)
        assert "Correct answer:" not in text and '"answer_text"' not in text and '"explanation"' not in text
        for item in attempt.items:
            for secret in _secrets(item):
                assert secret not in text, (item.instance["type"], secret)


def test_a_module_page_carries_no_key_of_any_type_before_its_checks_are_answered(client, auth):
    questions = make_questions("kc", types=TYPES)
    course = make_course("leak-check", modules=1)
    module = add_module(course, 2, [q.uid for q in questions.values()])
    db.session.commit()
    learner = auth.login("learner")
    page = client.get(f"/courses/leak-check/{module.slug}")
    assert page.status_code == 200
    items = list(knowledge_checks.module_check_items(learner, fresh(Module, module.id)).values())
    assert len(items) == len(TYPES)
    text = _without_stems(page.get_data(as_text=True), items)
    assert "Correct answer" not in text and "Worked solution" not in text
    for item in items:
        for secret in _secrets(item):
            assert secret not in text, (item.instance["type"], secret)


def test_after_submitting_the_review_shows_keys_and_worked_steps(client, auth):
    quiz = quiz_of(make_questions(types=TYPES).values(), "integrity")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    submit_via_web(client, attempt_id)
    page = client.get(f"/quizzes/attempts/{attempt_id}/review").get_data(as_text=True)
    attempt = fresh(Attempt, attempt_id)
    calculated = next(item for item in attempt.items if item.instance["type"] == "calculated")
    assert calculated.instance["steps"] and all(step in page for step in calculated.instance["steps"])
    assert "Correct answer:" in page and "-vastatin stem" in page


# ---- only your own attempts ------------------------------------------------------------------------

ATTEMPT_ROUTES = [
    ("get", "/quizzes/attempts/{id}"),
    ("get", "/quizzes/attempts/{id}/finish"),
    ("get", "/quizzes/attempts/{id}/results"),
    ("get", "/quizzes/attempts/{id}/review"),
    ("post", "/quizzes/attempts/{id}"),
    ("post", "/quizzes/attempts/{id}/submit"),
]


@pytest.mark.parametrize("role", ["learner", "instructor", "admin"])
def test_someone_elses_attempt_is_not_found(client, auth, user_factory, role):
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "mine")
    owner = user_factory()
    auth.login(owner)
    attempt_id = start_via_web(client, quiz)
    autosave(client, attempt_id, 1, response=True)
    auth.logout()
    auth.login(role)
    for method, path in ATTEMPT_ROUTES:
        response = getattr(client, method)(path.format(id=attempt_id), data={"number": "1"})
        assert response.status_code == 404, (method, path)
    assert autosave(client, attempt_id, 1, response=False).status_code == 404
    attempt = fresh(Attempt, attempt_id)
    assert attempt.status == "in_progress" and attempt.items[0].response is True


def test_an_unknown_attempt_is_not_found(client, auth):
    auth.login()
    assert client.get("/quizzes/attempts/999999").status_code == 404
    assert autosave(client, 999999, 1, response="x").status_code == 404


def test_the_autosave_needs_the_csrf_header(client, auth):
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "mine")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    response = client.post(f"/quizzes/attempts/{attempt_id}/save", json={"number": 1, "response": True})
    assert response.status_code == 400
    assert fresh(Attempt, attempt_id).items[0].response is None


# ---- no input causes a server error ----------------------------------------------------------------

GARBAGE = [
    None, True, False, 0, -1, 3.5, 1e308, "", " ", "x" * 5000, "\x00", "ü€😀", "<script>alert(1)</script>",
    [], [None], [1, 2], ["a", "a"], ["zz"], [[["deep"]]], {}, {"1": None}, {"1": ["a"]}, {"x": "y"},
    {"1": {"2": "3"}}, "NaN", "Infinity", "1e999999", "-0", "8,000", ".5", "8 mL", "true",
]
PAYLOADS = [
    "not json", "[]", "null", "42", '"text"', "{}", '{"number": "1"}', '{"number": 1.5}', '{"number": true}',
    '{"number": -1, "response": "a"}', '{"number": 0, "response": "a"}', '{"number": 99999999999999999999}',
    '{"number": 1, "flagged": "yes"}', '{"number": 1, "check": "yes", "response": null}',
]


def test_garbage_answers_never_cause_a_server_error(client, auth):
    quiz = quiz_of(make_questions(types=TYPES).values(), "fuzz", feedback="immediate")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    url = f"/quizzes/attempts/{attempt_id}/save"
    headers = {"X-CSRFToken": client.csrf_token(), "Content-Type": "application/json", "Accept": "application/json"}
    for number in range(1, len(TYPES) + 1):
        for index, value in enumerate(GARBAGE):
            # checking grades (and locks) the item, so only every fifth value is checked
            response = autosave(client, attempt_id, number, response=value, check=index % 5 == 4)
            assert response.status_code in (200, 400, 409), (number, value, response.status_code)
            assert response.is_json
    for payload in PAYLOADS:
        response = client.post(url, data=payload, headers=headers)
        assert response.status_code in (200, 400, 404), (payload, response.status_code)


def test_garbage_form_posts_never_cause_a_server_error(client, auth):
    quiz = quiz_of(make_questions(types=TYPES).values(), "fuzz")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    url = f"/quizzes/attempts/{attempt_id}"
    forms = [
        {}, {"number": "x"}, {"number": "0"}, {"number": "-3"}, {"number": "999"},
        {"number": "1", "answering": "1", "response": "zz"},
        {"number": "1", "answering": "1", "response": ["a", "b", "zz"]},
        {"number": "5", "answering": "1", "response": "x" * 5000},
        {"number": "6", "answering": "1", "pair-1": "zz", "pair-99": "a"},
        {"number": "8", "answering": "1", "order-a": "9", "order-b": "x"},
        {"number": "2", "answering": "1", "go": "../../etc"}, {"number": "3", "go": "finish", "action": "check"},
    ]
    for data in forms:
        response = client.post(url, data=data)
        assert response.status_code in (302, 400, 404), (data, response.status_code)
    for query in ("?q=abc", "?q=-5", "?q=100000", "?q=1e9", "?q="):
        assert client.get(url + query).status_code == 200
