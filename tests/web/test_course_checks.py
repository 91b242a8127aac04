"""Knowledge checks in a module page: the form in place of the placeholder, no key before
answering, answering right and wrong with or without JavaScript, and bad answers."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from sqlalchemy import select

from tests.factories.courses import (
    EXPLANATION,
    RIGHT_FEEDBACK,
    WRONG_FEEDBACK,
    add_module,
    make_course,
    make_question,
    modules_of,
    right_choice,
    wrong_choice,
)
from trainer.extensions import db
from trainer.models import Attempt, AttemptItem
from trainer.services import knowledge_checks

URL = "/courses/sig-codes/module-1"


@pytest.fixture
def course(app):
    return make_course("sig-codes", title="Sig codes", modules=2)


@pytest.fixture
def check(course):
    """The first module and the uid of its knowledge check."""
    module = modules_of(course)[0]
    return module, module.checks[0]


def learner_item(learner, module, uid) -> AttemptItem:
    db.session.expire_all()
    return knowledge_checks.module_check_item(learner, module, uid)


def answer_url(uid: str) -> str:
    return f"{URL}/checks/{uid}"


def test_the_placeholder_becomes_the_questions_form(client, auth, check):
    _, uid = check
    auth.login("learner")
    page = client.get(URL).get_data(as_text=True)
    assert 'class="knowledge-check"' not in page  # no placeholder left
    assert f'<section class="knowledge-check-box" id="check-{uid}"' in page
    assert f'action="{answer_url(uid)}"' in page
    assert "What does <strong><abbr" in page  # the stem, as stored on the learner's item
    assert page.count('type="radio" name="response"') == 3
    assert '<legend>Choose one answer</legend>' in page


def test_the_page_carries_no_key_before_the_check_is_answered(client, auth, check):
    module, uid = check
    learner = auth.login("learner")
    page = client.get(URL).get_data(as_text=True)
    item = learner_item(learner, module, uid)
    assert EXPLANATION not in page and RIGHT_FEEDBACK not in page and WRONG_FEEDBACK not in page
    assert "Correct answer" not in page and "verdict" not in page
    assert item.instance["answer_text"] == "Twice a day"
    section = page[page.index(f'id="check-{uid}"'):page.index("</section>", page.index(f'id="check-{uid}"'))]
    assert "key" not in section and "data-answer" not in section


def test_a_right_answer_shows_correct_feedback_and_the_explanation(client, auth, check):
    module, uid = check
    learner = auth.login("learner")
    client.get(URL)
    item = learner_item(learner, module, uid)
    response = client.post(answer_url(uid), data={"response": right_choice(item)})
    assert response.status_code == 302 and response.location.endswith(f"{URL}#check-{uid}")
    page = client.get(URL).get_data(as_text=True)
    assert '<p class="verdict ok">Correct.</p>' in page
    assert RIGHT_FEEDBACK in page and EXPLANATION in page
    assert "Correct answer: <strong>Twice a day</strong>" in page
    assert re.search(rf'value="{right_choice(item)}" checked', page)


def test_a_wrong_answer_shows_it_is_wrong_with_its_feedback(client, auth, check):
    module, uid = check
    learner = auth.login("learner")
    client.get(URL)
    item = learner_item(learner, module, uid)
    client.post(answer_url(uid), data={"response": wrong_choice(item)})
    page = client.get(URL).get_data(as_text=True)
    assert '<p class="verdict bad">Not correct.</p>' in page
    assert EXPLANATION in page and "Answer again" in page
    stored = learner_item(learner, module, uid)
    assert stored.correct is False and stored.graded_at is not None


def test_answering_again_keeps_the_latest_answer(client, auth, check):
    module, uid = check
    learner = auth.login("learner")
    client.get(URL)
    item = learner_item(learner, module, uid)
    client.post(answer_url(uid), data={"response": wrong_choice(item)})
    client.post(answer_url(uid), data={"response": right_choice(item)})
    assert learner_item(learner, module, uid).correct is True


def test_with_javascript_the_answer_comes_back_as_the_checks_html(client, auth, check):
    module, uid = check
    learner = auth.login("learner")
    client.get(URL)
    item = learner_item(learner, module, uid)
    response = client.post(answer_url(uid), data={"response": right_choice(item)},
                           headers={"Accept": "application/json"})
    data = response.get_json()
    assert response.status_code == 200 and data["answered"] is True
    assert data["html"].startswith('<section class="knowledge-check-box answered"')
    assert "Correct." in data["html"] and EXPLANATION in data["html"]


def test_a_blank_answer_is_refused_beside_the_check_and_nothing_is_stored(client, auth, check):
    module, uid = check
    learner = auth.login("learner")
    client.get(URL)
    response = client.post(answer_url(uid), data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="errors" id="check-{uid}-error">Choose an answer.</p>' in page
    assert learner_item(learner, module, uid).graded_at is None


def test_a_blank_answer_by_javascript_returns_the_error(client, auth, check):
    _, uid = check
    auth.login("learner")
    response = client.post(answer_url(uid), data={}, headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert response.get_json()["answered"] is False and "Choose an answer." in response.get_json()["html"]


@pytest.mark.parametrize("garbage", ["z", "<script>", "a" * 5000])
def test_a_choice_the_page_did_not_offer_is_refused(client, auth, check, garbage):
    module, uid = check
    learner = auth.login("learner")
    response = client.post(answer_url(uid), data={"response": garbage})
    assert response.status_code == 422
    assert "Choose one of the options shown." in response.get_data(as_text=True)
    assert learner_item(learner, module, uid).graded_at is None


def test_a_nul_character_as_the_answer_counts_as_no_answer(client, auth, check):
    # NUL characters are removed from every form before a view sees it (factory.py).
    module, uid = check
    learner = auth.login("learner")
    response = client.post(answer_url(uid), data={"response": "\x00"})
    assert response.status_code == 422
    assert "Choose an answer." in response.get_data(as_text=True)
    assert learner_item(learner, module, uid).graded_at is None


def test_a_check_that_is_not_in_the_module_is_404(client, auth, course):
    auth.login("learner")
    other = modules_of(course)[1].checks[0]
    assert client.post(answer_url(other), data={"response": "a"}).status_code == 404
    assert client.post(answer_url("no-such-question"), data={"response": "a"}).status_code == 404


def test_answering_needs_the_csrf_token(client, auth, check):
    module, uid = check
    learner = auth.login("learner")
    client.get(URL)
    item = learner_item(learner, module, uid)
    response = client.post(answer_url(uid), data={"response": right_choice(item)}, csrf=False)
    assert response.status_code == 400 and learner_item(learner, module, uid).graded_at is None


def test_a_learner_answers_only_their_own_item(client, auth, user_factory, check):
    module, uid = check
    other = user_factory()
    other_item = knowledge_checks.module_check_item(other, module, uid)
    db.session.commit()
    learner = auth.login("learner")
    client.get(URL)
    client.post(answer_url(uid), data={"response": right_choice(learner_item(learner, module, uid))})
    db.session.expire_all()
    assert db.session.get(AttemptItem, other_item.id).graded_at is None
    owners = set(db.session.scalars(select(Attempt.user_id).where(Attempt.kind == "module_check")))
    assert owners == {other.id, learner.id}


def test_a_check_whose_question_is_gone_is_shown_as_unavailable(client, auth, check):
    module, uid = check
    module.checks = [*module.checks, "deleted-question"]
    module.html += '<div class="knowledge-check" data-question="deleted-question"></div>'
    db.session.commit()
    auth.login("learner")
    response = client.get(URL)
    assert response.status_code == 200
    assert "This knowledge check is not available right now." in response.get_data(as_text=True)


def test_a_forged_placeholder_for_a_question_outside_the_checks_is_dropped(client, auth, check):
    module, _ = check
    make_question("secret-question")
    module.html += '<div class="knowledge-check" data-question="secret-question"></div>'
    db.session.commit()
    auth.login("learner")
    page = client.get(URL).get_data(as_text=True)
    assert "secret-question" not in page


# --- every kind of answer works without JavaScript -------------------------------------

QUESTIONS = {
    "kc-choices": {
        "type": "multiple_response", "stem": "Which are safe?",
        "choices": [{"text": "0.5 mg", "correct": True}, {"text": "5 mg", "correct": True},
                    {"text": ".5 mg"}],
    },
    "kc-boolean": {"type": "true_false", "stem": "A trailing zero is safe.", "answer": False},
    "kc-number": {"type": "numeric", "stem": "Round 0.6666 mL.", "answer": 0.67, "unit": "mL",
                  "tolerance": 0.001},
    "kc-text": {"type": "short_answer", "stem": "XLV in digits?", "answers": ["45"]},
    "kc-pairs": {"type": "matching", "stem": "Match.",
                 "pairs": [{"left": "cc", "right": "mL"}, {"left": "U", "right": "units"}]},
    "kc-order": {"type": "ordering", "stem": "Order the steps.", "items": ["Weigh", "Multiply", "Divide"]},
}


def right_form(item) -> dict:
    """The form fields a learner fills in with the right answer to `item`."""
    instance = item.instance
    kind = instance["type"]
    if kind == "multiple_response":
        return {"response": [c for c, w in instance["weights"].items() if Fraction(str(w)) > 0]}
    if kind == "true_false":
        return {"response": "true" if instance["key"] else "false"}
    if kind in ("numeric", "short_answer"):
        return {"response": instance["answer_text"]}
    if kind == "matching":
        return {f"pair-{left}": right for left, right in instance["key"].items()}
    if kind == "ordering":
        return {f"order-{item_id}": str(n) for n, item_id in enumerate(instance["key"], start=1)}
    raise AssertionError(kind)


@pytest.fixture
def every_kind(course):
    for uid, data in QUESTIONS.items():
        make_question(uid, {"id": uid, "explanation": f"Why {uid}.", **data})
    module = add_module(course, 3, list(QUESTIONS))
    db.session.commit()
    return module


def test_every_kind_of_check_renders_with_its_own_widget(client, auth, every_kind):
    auth.login("learner")
    page = client.get("/courses/sig-codes/module-3").get_data(as_text=True)
    assert page.count('type="checkbox" name="response"') == 3
    assert 'value="true"> True' in page
    assert 'id="check-kc-number-response"' in page and '<span class="unit">mL</span>' in page
    assert 'id="check-kc-text-response"' in page
    assert page.count('name="pair-') == 2 and page.count('name="order-') == 3
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "ids must be unique on a page with several checks"


@pytest.mark.parametrize("uid", list(QUESTIONS))
def test_every_kind_of_check_grades_a_right_answer_from_the_form(client, auth, every_kind, uid):
    learner = auth.login("learner")
    client.get("/courses/sig-codes/module-3")
    item = learner_item(learner, every_kind, uid)
    response = client.post(f"/courses/sig-codes/module-3/checks/{uid}", data=right_form(item))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert learner_item(learner, every_kind, uid).correct is True
