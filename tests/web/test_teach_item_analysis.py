"""Item analysis over stored attempts: first attempts by default, the sample stated, choices,
time, calculated values, flags linked to the editor and the regrade command, and a number of
queries that does not grow with the responses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories.quizzes import make_question, make_quiz
from tests.factories.teaching import NOW, assign, enrol, graded_attempt, make_cohort, make_learners
from trainer.extensions import db
from trainer.services import item_analysis
from trainer.services.item_analysis import Scope


@pytest.fixture
def bank(app):
    return {
        "choice": make_question("ia-choice", "single_choice"),
        "tf": make_question("ia-tf", "true_false"),
        "calc": make_question("ia-calc", "calculated"),
    }


@pytest.fixture
def quiz(bank):
    return make_quiz("ia-quiz", [{"question": q.uid} for q in bank.values()], title="Item analysis quiz")


def _cohort_with(instructor, quiz, count):
    cohort = make_cohort(instructor)
    learners = make_learners(count, prefix=f"ia{count}x")
    enrol(cohort, learners)
    assign(cohort, "quiz", quiz.id)
    return cohort, learners


def test_facility_and_discrimination_from_first_attempts_by_hand(instructor, bank, quiz):
    cohort, (a, b, c, d) = _cohort_with(instructor, quiz, 4)
    # item scores (choice, tf, calc) per learner, first attempts:
    #   a: 1 1 1   b: 1 0 1   c: 0 1 0   d: 0 0 0
    # the true/false item's rest scores: a 2/2, b 2/2, c 0/2, d 0/2 → rests 1, 1, 0, 0
    # tf scores 1, 0, 1, 0: mean 0.5, rest mean 0.5, Σ products = .25 - .25 - .25 + .25 = 0 → r = 0
    plan = {a: (1, 1, 1), b: (1, 0, 1), c: (0, 1, 0), d: (0, 0, 0)}
    for learner, scores in plan.items():
        graded_attempt(learner, quiz, [{"question": q, "score": s} for q, s in zip(bank.values(), scores, strict=True)],
                       started_at=NOW - timedelta(days=2))
    # a later, better attempt by d is not a first attempt
    graded_attempt(d, quiz, [{"question": q, "score": 1} for q in bank.values()], started_at=NOW - timedelta(days=1))
    result = item_analysis.analyse_quiz(quiz, Scope((cohort.id,), cohort.name))
    stats = {r.question.uid: r.stats for r in result.questions}
    assert result.totals.n == 4 and result.learners == 4
    assert stats["ia-choice"].n == 4 and stats["ia-choice"].facility == 0.5
    assert stats["ia-tf"].point_biserial == pytest.approx(0)
    # choice item: scores 1,1,0,0 with rests (tf+calc)/2 = 1, .5, .5, 0 → mean .5;
    # Σ products = .5·.5 + .5·0 + (-.5)·0 + (-.5)(-.5) = .5; Σ score² = 1; Σ rest² = .5 → r = .5/√.5 = .7071
    assert stats["ia-choice"].point_biserial == pytest.approx(0.7071, abs=1e-4)
    every = item_analysis.analyse_quiz(quiz, Scope((cohort.id,), cohort.name), first_only=False)
    assert every.totals.n == 5


def test_choices_are_counted_by_their_place_in_the_file(instructor, bank, quiz):
    cohort, learners = _cohort_with(instructor, quiz, 5)
    picks = [["a"], ["a"], ["b"], ["c"], None]  # a is the key (Schedule II)
    for learner, chosen in zip(learners, picks, strict=True):
        graded_attempt(learner, quiz, [{"question": bank["choice"], "score": int(chosen == ["a"]), "chosen": chosen}])
    result = item_analysis.analyse_question(bank["choice"], Scope((cohort.id,), ""))
    counts = {c.text: c.count for c in result.stats.choices}
    assert counts == {"Schedule II": 2, "Schedule III": 1, "Schedule IV": 1, "Schedule V": 0}
    assert result.stats.no_answer == 1


def test_median_time_comes_from_the_recorded_seconds(instructor, bank, quiz):
    cohort, learners = _cohort_with(instructor, quiz, 3)
    for learner, seconds in zip(learners, (20, 40, None), strict=True):
        graded_attempt(learner, quiz, [{"question": bank["tf"], "score": 1, "seconds": seconds}])
    stats = item_analysis.analyse_question(bank["tf"], Scope((cohort.id,), "")).stats
    assert (stats.median_seconds, stats.timed, stats.n) == (30, 2, 3)


def test_calculated_items_show_which_drawn_values_are_hard(instructor, bank, quiz):
    cohort, learners = _cohort_with(instructor, quiz, 12)
    # strength 400: 1 right of 6; strength 125: 6 of 6 → overall 7/12 = .58, 400 is .17: hard
    for i, learner in enumerate(learners):
        strength = "400" if i < 6 else "125"
        score = 1 if (strength == "125" or i == 0) else 0
        graded_attempt(learner, quiz, [{"question": bank["calc"], "score": score,
                                        "values": {"dose": "250", "strength": strength}}])
    stats = item_analysis.analyse_question(bank["calc"], Scope((cohort.id,), "")).stats
    strength = next(v for v in stats.variables if v.name == "strength")
    assert [(r.label, r.count, r.hard) for r in strength.ranges] == [("125", 6, False), ("250", 0, False), ("400", 6, True)]


def test_the_question_page_states_the_sample_and_links_each_flag(client, instructor, bank, quiz):
    cohort, learners = _cohort_with(instructor, quiz, 10)
    for learner in learners:  # everyone right: almost all right, flagged
        graded_attempt(learner, quiz, [{"question": bank["tf"], "score": 1, "chosen": ["false"]}])
    page = client.get(f"/teach/analysis/questions/ia-tf?cohort={cohort.id}").get_data(as_text=True)
    assert "Sample: 10 responses from 10 learners" in page
    assert "Almost everyone gets this right (100%)" in page
    # shipped: the link goes to the question, to copy; its owner gets the editor
    assert "/teach/questions/ia-tf/edit" not in page and 'href="/teach/questions/ia-tf"' in page
    bank["tf"].owner_id = instructor.id
    db.session.commit()
    page = client.get(f"/teach/analysis/questions/ia-tf?cohort={cohort.id}").get_data(as_text=True)
    assert "/teach/questions/ia-tf/edit" in page
    assert "flask --app app trainer regrade ia-tf" in page


def test_negative_discrimination_is_flagged_on_the_quiz_page_and_the_home(client, instructor, bank, quiz):
    cohort, learners = _cohort_with(instructor, quiz, 10)
    # the five strongest on the other items all get the choice item wrong; the five weakest get it right
    for i, learner in enumerate(learners):
        strong = i < 5
        graded_attempt(learner, quiz, [
            {"question": bank["choice"], "score": 0 if strong else 1},
            {"question": bank["tf"], "score": 1 if strong else 0},
            {"question": bank["calc"], "score": 1 if strong else 0},
        ])
    page = client.get(f"/teach/analysis/quizzes/ia-quiz?cohort={cohort.id}").get_data(as_text=True)
    assert "Sample: 10 first attempts by 10 learners" in page
    assert "Discriminates negatively (-1.00)" in page
    home = client.get("/teach/").get_data(as_text=True)
    assert "Flagged questions" in home and "ia-choice" in home
    assert "ia-choice" in client.get("/dashboard").get_data(as_text=True)


def test_the_index_lists_every_quiz_with_its_sample(client, instructor, bank, quiz):
    cohort, learners = _cohort_with(instructor, quiz, 2)
    for learner in learners:
        graded_attempt(learner, quiz, [{"question": bank["tf"], "score": 1}])
    page = client.get("/teach/analysis").get_data(as_text=True)
    assert "Item analysis quiz" in page and "/teach/analysis/quizzes/ia-quiz" in page


def test_an_instructor_without_cohorts_is_told_to_make_one(client, instructor):
    page = client.get("/teach/analysis").get_data(as_text=True)
    assert "You teach no cohort yet" in page


@pytest.mark.parametrize("path", ["/teach/analysis/quizzes/nope", "/teach/analysis/questions/nope",
                                  "/teach/analysis?cohort=abc", "/teach/analysis?cohort=999999"])
def test_unknown_quizzes_questions_and_cohorts_are_not_found(client, instructor, path):
    assert client.get(path).status_code == 404


# ---- queries do not grow with the data -----------------------------------------------------------------


def _responses(instructor, quiz, bank, learners: int) -> int:
    cohort, people = _cohort_with(instructor, quiz, learners)
    for i, learner in enumerate(people):
        graded_attempt(learner, quiz, [
            {"question": bank["choice"], "score": i % 2, "chosen": ["a" if i % 2 else "b"], "seconds": 10 + i},
            {"question": bank["tf"], "score": 1, "chosen": ["false"]},
            {"question": bank["calc"], "score": int(i % 3 == 0), "values": {"dose": "250", "strength": "125"},
             "response": "9"},
        ])
    return cohort.id


@pytest.mark.parametrize("page", ["/teach/analysis/quizzes/ia-quiz", "/teach/analysis/questions/ia-calc",
                                  "/teach/analysis"])
def test_analysis_query_counts_do_not_grow_with_the_cohort(client, instructor, bank, quiz, count_queries, page):
    small, large = _responses(instructor, quiz, bank, 3), _responses(instructor, quiz, bank, 15)
    counts = []
    for cohort_id in (small, large):
        db.session.expire_all()
        with count_queries() as statements:
            assert client.get(f"{page}?cohort={cohort_id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_homes_query_count_does_not_grow_with_the_classes(app, client, instructor, bank, quiz, count_queries):
    counts = []
    for size in (3, 15):
        _responses(instructor, quiz, bank, size)
        app.extensions.pop("teaching_flagged", None)  # the flags are worked out afresh each time
        db.session.expire_all()
        with count_queries() as statements:
            assert client.get("/teach/").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_homes_flags_follow_new_attempts(client, instructor, bank, quiz):
    cohort, learners = _cohort_with(instructor, quiz, 10)
    for learner in learners[:9]:
        graded_attempt(learner, quiz, [{"question": bank["tf"], "score": 1}])
    assert "ia-tf" not in client.get("/teach/").get_data(as_text=True)  # nine: too few to flag
    graded_attempt(learners[9], quiz, [{"question": bank["tf"], "score": 1}])
    assert "ia-tf" in client.get("/teach/").get_data(as_text=True)


def _bank_question(uid: str, qtype: str, **fields):
    from trainer.services.questions import save_question

    question, _ = save_question({"id": uid, "type": qtype, "stem": f"{uid} stem", "explanation": "Why.",
                                 "tags": ["ia"], "difficulty": "medium", "blueprint": ["ptce-2020:4.2"],
                                 "references": ["tests"], **fields}, source="tests")
    db.session.commit()
    return question


def test_descriptions_and_essays_awaiting_grading_are_left_out(instructor, bank):
    description = _bank_question("ia-description", "description")
    essay = _bank_question("ia-essay", "essay", rubric="Names the schedule.")
    quiz = make_quiz("ia-mixed", [{"question": q.uid} for q in (bank["tf"], description, essay)])
    cohort, (graded, waiting) = _cohort_with(instructor, quiz, 2)
    for learner, flags in ((graded, []), (waiting, ["awaiting_grading"])):
        attempt = graded_attempt(learner, quiz, [{"question": bank["tf"], "score": 1},
                                                 {"question": description, "score": 0},
                                                 {"question": essay, "score": 1 if not flags else 0}])
        attempt.items[2].grade_flags = flags
    db.session.commit()
    result = item_analysis.analyse_quiz(quiz, Scope((cohort.id,), ""))
    stats = {r.question.uid: r.stats for r in result.questions}
    assert "ia-description" not in stats
    assert stats["ia-essay"].n == 1 and stats["ia-essay"].facility == 1.0
