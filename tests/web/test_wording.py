"""What learners read says what happened, in plain words, and says it the same way everywhere.

Worked solutions say "as asked" only when the learner was asked (the rounding is shown
beside the answer box), and never the setting's name; a key agrees in number with its
unit; counts agree with their nouns; the last question offers one way to the review; a
score is rounded by one rule on every page; logging out says what it did; and one
policy on error-prone ways of writing an amount is stated beside every amount box and
applied alike in quizzes, knowledge checks and the calculator.
"""

from __future__ import annotations

import re

import pytest

from tests.factories.courses import make_course, modules_of
from tests.factories.quizzes import (
    autosave,
    fresh,
    key_response,
    make_question,
    make_questions,
    quiz_of,
    start_via_web,
    submit_via_web,
)
from trainer.extensions import db
from trainer.models import Attempt
from trainer.services.courses import apply_module_text


def text_of(response) -> str:
    """The words of a page, without its tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def one_tablet(uid: str = "w-tab-001"):
    return make_question(uid, "numeric", stem="How many tablets of 250 mg make a 250 mg dose?",
                         answer=1, unit="tablets", tolerance=0, explanation="One tablet holds the dose.")


def sit(client, quiz, answers: dict[int, object]) -> int:
    """Start, answer by position (1-based) and submit, through the pages."""
    attempt_id = start_via_web(client, quiz)
    for number, answer in answers.items():
        assert autosave(client, attempt_id, number, response=answer).status_code == 200
    submit_via_web(client, attempt_id)
    return attempt_id


# --- worked solutions and keys ----------------------------------------------------------


def test_a_worked_solution_says_as_asked_and_the_rounding_was_asked_on_screen(client, auth):
    quiz = quiz_of(make_questions(types=("calculated",)).values(), "rounding")
    auth.login("learner")
    attempt_id = start_via_web(client, quiz)
    question_page = text_of(client.get(f"/quizzes/attempts/{attempt_id}"))
    assert "Type a number in mL, to the nearest 0.1; you may add the unit." in question_page
    item = fresh(Attempt, attempt_id).items[0]
    autosave(client, attempt_id, 1, response=key_response(item.instance))
    submit_via_web(client, attempt_id)
    review = text_of(client.get(f"/quizzes/attempts/{attempt_id}/review"))
    assert "Rounded to the nearest 0.1, as asked" in review or "to the nearest 0.1, as asked" in review
    assert "round_to" not in review


def test_the_key_agrees_in_number_with_its_unit(client, auth):
    quiz = quiz_of([one_tablet()], "tablets")
    auth.login("learner")
    attempt_id = sit(client, quiz, {1: "2"})
    review = text_of(client.get(f"/quizzes/attempts/{attempt_id}/review"))
    assert "Correct answer: 1 tablet " in review and "1 tablets" not in review


def test_a_catalog_count_of_one_reads_matches(client, auth, app):
    make_course("safety", title="Medication safety", modules=1, ce_topic="05")
    make_course("sigs", title="Sig codes", modules=1, ce_topic="04")
    auth.login("learner")
    assert "1 course matches your filters." in text_of(client.get("/courses/?topic=05"))
    assert "2 courses." in text_of(client.get("/courses/"))


def test_the_last_question_offers_review_and_submit_once(client, auth):
    quiz = quiz_of(make_questions(types=("true_false", "short_answer")).values(), "last")
    auth.login("learner")
    attempt_id = start_via_web(client, quiz)
    first = client.get(f"/quizzes/attempts/{attempt_id}?q=1").get_data(as_text=True)
    last = client.get(f"/quizzes/attempts/{attempt_id}?q=2").get_data(as_text=True)
    assert first.count("Review and submit") == 1
    assert last.count("Review and submit") + last.count("Save and review") == 1


def test_a_score_is_one_whole_percent_rounded_down_on_the_dashboard_and_the_results(client, auth):
    questions = [make_question(f"w-tf-{n}", "true_false") for n in range(3)]
    quiz = quiz_of(questions, "thirds", pass_mark=50)
    auth.login("learner")
    attempt_id = start_via_web(client, quiz)
    for number, item in enumerate(fresh(Attempt, attempt_id).items, start=1):
        answer = key_response(item.instance) if number < 3 else not key_response(item.instance)
        autosave(client, attempt_id, number, response=answer)
    submit_via_web(client, attempt_id)  # 2 of 3: 66.67%
    results = text_of(client.get(f"/quizzes/attempts/{attempt_id}/results"))
    dashboard = text_of(client.get("/dashboard"))
    assert "66%" in results and "66%" in dashboard
    assert "67%" not in results and "66.67" not in dashboard and "66.6667" not in dashboard


def test_logging_out_says_it_signed_out_every_other_browser_too(client, auth):
    auth.login("learner")
    page = text_of(client.post("/logout", follow_redirects=True))
    assert "You are logged out. This also signed you out in every other browser and device" in page


# --- one policy on error-prone forms ----------------------------------------------------


def test_a_wrong_value_written_without_its_leading_zero_is_called_wrong_as_well(client, auth):
    quiz = quiz_of([one_tablet()], "naked")
    auth.login("learner")
    attempt_id = sit(client, quiz, {1: ".5"})
    review = text_of(client.get(f"/quizzes/attempts/{attempt_id}/review"))
    assert "The value is not correct, and the way it is written is error-prone too:" in review
    assert "Write a leading zero (0.5, not .5)" in review


@pytest.fixture
def volume_check_course(app):
    """A course whose one module checks a volume of 7 mL."""
    make_question("w-vol-001", "numeric", stem="How many mL hold 350 mg of a 50 mg/mL solution?",
                  answer=7, unit="mL", tolerance=0, explanation="350 mg ÷ 50 mg/mL.")
    course = make_course("volumes", title="Volumes", modules=1)
    module = modules_of(course)[0]
    apply_module_text(module, title=module.title, objectives=module.objectives, minutes=10,
                      references=module.references, markdown="# Volumes\n\n[[check: w-vol-001]]\n")
    db.session.commit()
    return course


def test_a_trailing_zero_loses_the_mark_alike_in_a_quiz_and_a_knowledge_check(client, auth, volume_check_course):
    auth.login("learner")
    quiz = quiz_of([make_question("w-vol-002", "numeric", stem="How many mL hold 350 mg of 50 mg/mL?",
                                  answer=7, unit="mL", tolerance=0)], "trailing")
    attempt_id = sit(client, quiz, {1: "7.0 mL"})
    review = text_of(client.get(f"/quizzes/attempts/{attempt_id}/review"))
    client.post("/courses/volumes/module-1/checks/w-vol-001", data={"response": "7.0 mL"})
    module = text_of(client.get("/courses/volumes/module-1"))
    for page in (review, module):
        assert "The number is right, but the way it is written loses the mark." in page
        assert "Leave off trailing zeros" in page


def test_the_policy_is_stated_beside_every_amount_box(client, auth, volume_check_course):
    auth.login("learner")
    quiz = quiz_of([one_tablet()], "stated")
    attempt_id = start_via_web(client, quiz)
    policy = "Write 0.5, not .5, and 5, not 5.0: either form loses the mark, even when the value is right."
    assert policy in text_of(client.get(f"/quizzes/attempts/{attempt_id}"))
    assert policy in text_of(client.get("/courses/volumes/module-1"))
    assert policy in text_of(client.get("/calculator/dose_volume"))
    help_page = text_of(client.get("/calculator/how-amounts-are-marked"))
    assert "The Joint Commission" in help_page and "Loses the mark" in help_page


def test_the_calculator_warns_about_a_missing_leading_zero_as_a_quiz_would(client):
    response = client.post("/calculator/dose_volume", data={"dose": ".5 mg", "concentration": "1 mg/mL"})
    page = text_of(response)
    assert "Check how you wrote it" in page
    assert "Write a leading zero (0.5, not .5)" in page
    assert "In a quiz or a knowledge check this answer would lose the mark." in page
    assert "0.5 mL" in page  # it still works the answer


def test_the_calculators_field_help_reads_as_separate_sentences(client):
    page = text_of(client.get("/calculator/dose_volume"))
    assert "20 mEq Example" not in page
    assert "The dose ordered, such as 400 mg, 5,000 units or 20 mEq. For example: 400 mg." in page
