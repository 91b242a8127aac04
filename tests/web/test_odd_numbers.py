"""Odd numbers in addresses, query strings and forms are a 404 or a 400 with a message, never a 500.

Found by an outside probe: ids beyond 64 bits overflowed SQLite, "²" passed `str.isdigit()`
and then failed in `int()`, and "9" * 5000 is beyond Python's digit limit.
"""

from __future__ import annotations

import pytest

from tests.factories import bank as bank_factories
from tests.factories.quizzes import (
    grant_extra_time,
    make_questions,
    quiz_of,
    start_via_web,
)
from trainer.models import Attempt
from trainer.web.numbers import MAX_ID, whole_number

HUGE = "99999999999999999999999"  # beyond 64 bits
ODD_NUMBERS = ["²", "٣", "1²", "9" * 5000, HUGE, "-1", "1e3", " ", "0x10"]


@pytest.mark.parametrize(("text", "expected"), [
    ("0", 0), ("42", 42), (" 7 ", 7), (str(MAX_ID), MAX_ID),
    (str(MAX_ID + 1), None), ("²", None), ("٣", None), ("9" * 5000, None), ("-1", None), ("", None),
    ("1.0", None), (None, None), ("+3", None),
])
def test_a_whole_number_is_ascii_digits_within_range(text, expected):
    assert whole_number(text) == expected


def test_a_whole_number_outside_the_asked_range_is_none():
    assert whole_number("5", 1, 4) is None and whole_number("4", 1, 4) == 4


@pytest.mark.parametrize("path", [
    f"/quizzes/attempts/{HUGE}", f"/quizzes/attempts/{HUGE}/results", f"/quizzes/attempts/{HUGE}/review",
    f"/quizzes/attempts/{MAX_ID + 1}", "/quizzes/attempts/²", "/quizzes/attempts/٣",
    f"/teach/questions/bank-q-001/versions/{HUGE}", f"/teach/courses/x/modules/{HUGE}",
    f"/teach/cohorts/{HUGE}", f"/ce/credentials/{HUGE}",
])
def test_an_id_beyond_64_bits_in_an_address_is_not_found(client, auth, path):
    auth.login("admin")
    bank_factories.make_question()
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", [f"/admin/users/{HUGE}/role", f"/admin/users/{HUGE}/reset-link",
                                  f"/teach/quizzes/practice/accommodations/{HUGE}/revoke"])
def test_an_id_beyond_64_bits_in_a_form_address_is_not_found(client, auth, path):
    auth.login("admin")
    assert client.post(path, data={"role": "learner"}).status_code == 404


@pytest.mark.parametrize("query", [f"?page={HUGE}", "?page=²", "?page=" + "9" * 5000])
@pytest.mark.parametrize("path", ["/teach/questions", "/admin/users"])
def test_an_odd_page_number_is_a_400_that_says_why(client, auth, path, query):
    auth.login("admin")
    response = client.get(path + query)
    assert response.status_code == 400
    assert "?page= must be a whole number" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", [f"?to={HUGE}", f"?from={HUGE}", "?to=²", "?from=-1"])
def test_odd_version_numbers_in_a_diff_are_a_400_or_404(client, auth, query):
    auth.login("instructor")
    bank_factories.make_question()
    assert client.get("/teach/questions/bank-q-001/diff" + query).status_code in (400, 404)


@pytest.fixture
def attempt_url(client, auth):
    questions = make_questions(types=("single_choice", "ordering", "numeric"))
    quiz = quiz_of(questions.values(), "odd")
    auth.login()
    return f"/quizzes/attempts/{start_via_web(client, quiz)}"


@pytest.mark.parametrize("go", ["²", "9" * 5000, "0", "4", HUGE, "../../etc"])
def test_an_odd_go_button_is_a_400_that_says_why_and_saves_nothing(client, attempt_url, go):
    response = client.post(attempt_url, data={"number": "1", "go": go})
    assert response.status_code == 400
    assert "The question to go to must be a number from 1 to 3." in response.get_data(as_text=True)


@pytest.mark.parametrize("go", ["1", "3", "next", "prev", "finish", "stay"])
def test_every_real_go_button_still_works(client, attempt_url, go):
    assert client.post(attempt_url, data={"number": "2", "go": go}).status_code == 302


@pytest.mark.parametrize("number", ["²", HUGE, "9" * 5000])
def test_an_odd_question_number_is_not_found(client, attempt_url, number):
    assert client.post(attempt_url, data={"number": number, "go": "next"}).status_code == 404


@pytest.mark.parametrize("query", [f"?q={HUGE}", "?q=²", "?q=" + "9" * 5000])
def test_an_odd_question_asked_for_shows_where_the_learner_left_off(client, attempt_url, query):
    assert client.get(attempt_url + query).status_code == 200


@pytest.mark.parametrize("position", ["²", "9" * 5000, HUGE])
def test_an_odd_position_in_an_ordering_answer_is_a_400_beside_the_question(client, attempt_url, position):
    attempt = Attempt.query.order_by(Attempt.id.desc()).first()
    item = attempt.items[1]
    fields = {f"order-{key}": "1" for key in item.instance["key"]}
    fields[f"order-{item.instance['key'][0]}"] = position
    response = client.post(attempt_url, data={"number": "2", "answering": "1", "go": "next", **fields})
    assert response.status_code == 400
    assert "Give every item a position from 1 to" in response.get_data(as_text=True)


def test_an_accommodation_id_beyond_64_bits_is_not_found(client, auth, user_factory):
    questions = make_questions(types=("numeric",))
    quiz = quiz_of(questions.values(), "timed", time_limit_minutes=10)
    grant_extra_time(quiz, user_factory(), 10)
    auth.login("instructor")
    assert client.post(f"/teach/quizzes/timed/accommodations/{HUGE}/revoke").status_code == 404


SETTINGS = {"title": "Odd numbers", "slug": "odd-numbers", "pass_mark": "75", "feedback": "deferred",
            "show_answers": "after_close", "attempts_allowed": "1"}


@pytest.mark.parametrize("op", ["up:²", "down:" + "9" * 5000, f"remove:{HUGE}", "up:-1"])
def test_an_odd_row_number_in_the_quiz_builder_changes_nothing(client, auth, op):
    auth.login("instructor")
    rows = {"items-0-kind": "draw", "items-0-draw": "2", "items-1-kind": "draw", "items-1-draw": "3"}
    response = client.post("/teach/quizzes/new", data={**SETTINGS, **rows, "op": op})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("count", ["²", "9" * 5000, HUGE])
def test_an_odd_draw_count_is_reported_on_its_row(client, auth, count):
    auth.login("instructor")
    rows = {"items-0-kind": "draw", "items-0-draw": count}
    response = client.post("/teach/quizzes/new", data={**SETTINGS, **rows, "op": "save"})
    assert response.status_code == 422  # the builder's answer to every problem it reports
    assert "draw" in response.get_data(as_text=True)
