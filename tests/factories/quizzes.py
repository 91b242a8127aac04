"""Questions of every type, quizzes and answers for the quiz-taking tests.

Questions are saved through trainer.services.questions.save_question and quizzes through save_quiz (the
code the import and the instructor's pages use), then committed; each test's transaction
is rolled back afterwards. Texts are chosen so that a key can be searched for in a page
without matching anything else on it.
"""

from __future__ import annotations

import copy

from trainer.extensions import db
from trainer.models import Question, Quiz, QuizAccommodation
from trainer.questions import get_type
from trainer.services.questions import save_question, save_quiz

COMMON = {
    "tags": ["quiz-test"],
    "difficulty": "medium",
    "references": ["tests/factories/quizzes.py"],
}

# A small valid question of each type: (spec, blueprint areas).
SPECS = {
    "single_choice": ({
        "stem": "Which schedule is hydrocodone/acetaminophen in?",
        "choices": [
            {"text": "Schedule II", "correct": True, "feedback": "Moved up from C-III in October 2014."},
            {"text": "Schedule III"}, {"text": "Schedule IV"}, {"text": "Schedule V"},
        ],
        "explanation": "The DEA rescheduled hydrocodone combination products in 2014.",
    }, ["ptce-2020:2.2"]),
    "multiple_response": ({
        "stem": "Which abbreviations are on the Do Not Use list?",
        "choices": [{"text": "cc", "correct": True}, {"text": "IU", "correct": True},
                    {"text": "mL"}, {"text": "mcg"}],
        "explanation": "The Joint Commission lists U, IU, QD, QOD, trailing and naked zeros, MS and MSO4.",
    }, ["ptce-2020:3.2"]),
    "true_false": ({
        "stem": "A trailing zero (5.0 mg) is a safe way to write a dose.",
        "answer": False,
        "explanation": "The decimal point can be missed and the dose read as fifty milligrams.",
    }, ["ptce-2020:3.2"]),
    "numeric": ({
        "stem": "How many mL of a 40 mg/mL solution hold 290 mg?",
        "answer": 7.25, "unit": "mL", "tolerance": 0.01,
        "explanation": "Divide the dose by the concentration of the solution.",
    }, ["ptce-2020:4.2"]),
    "calculated": ({
        "stem": "The order is amoxicillin {dose} mg. The stock is {strength} mg per 5 mL. How many mL is one dose?",
        "variables": {"dose": {"min": 100, "max": 500, "step": 50}, "strength": {"choices": [125, 250, 400]}},
        "answer": {"family": "dose_volume",
                   "params": {"dose": "{dose} mg", "concentration": "{strength} mg/5 mL"},
                   "round_to": "0.1"},
        "unit": "mL", "tolerance": 0.05, "sanity": {"min": 0.5, "max": 60},
        "explanation": "Work out the volume as the ordered dose over the stock strength.",
    }, ["ptce-2020:4.2", "ptce-2026:4"]),
    "matching": ({
        "stem": "Match each brand with its generic name.",
        "pairs": [{"left": "Lipitor", "right": "atorvastatin"}, {"left": "Zocor", "right": "simvastatin"},
                  {"left": "Crestor", "right": "rosuvastatin"}],
        "distractors": ["pravastatin"],
        "explanation": "Statins share the -vastatin stem.",
    }, ["ptce-2020:1.1"]),
    "short_answer": ({
        "stem": "What is the generic name of Lopressor?",
        "answers": ["metoprolol tartrate", "metoprolol"],
        "explanation": "Lopressor is the tartrate salt; Toprol-XL is the succinate.",
    }, ["ptce-2020:1.1"]),
    "ordering": ({
        "stem": "Put the steps of filling a prescription in order.",
        "items": ["Receive the prescription and check it is complete", "Enter the prescription",
                  "Fill and label", "Pharmacist verification"],
        "explanation": "Intake, entry, filling, then the final check by the pharmacist.",
    }, ["ptce-2020:4.1"]),
}
TYPES = tuple(SPECS)


def question_data(uid: str, qtype: str = "single_choice", **overrides) -> dict:
    """A valid question in the bank format; keyword fields replace the defaults."""
    spec, blueprint = SPECS[qtype]
    data = {"id": uid, "type": qtype, **copy.deepcopy(COMMON), "blueprint": list(blueprint),
            **copy.deepcopy(spec)}
    data.update(overrides)
    return data


def make_question(uid: str, qtype: str = "single_choice", **overrides) -> Question:
    """A saved, published question (or a new version of it)."""
    question, _ = save_question(question_data(uid, qtype, **overrides), source="tests")
    db.session.commit()
    return question


def make_questions(prefix: str = "qt", types=TYPES, **overrides) -> dict[str, Question]:
    """One saved question of each type, by type: ids like qt-numeric."""
    return {qtype: make_question(f"{prefix}-{qtype.replace('_', '-')}", qtype, **overrides) for qtype in types}


def make_quiz(slug: str = "practice", items: list[dict] | None = None, *, status: str = "published",
              **settings) -> Quiz:
    """A saved quiz; defaults: deferred feedback, answers after submit, questions in order."""
    data = {
        "slug": slug, "title": settings.pop("title", f"Quiz {slug}"), "pass_mark": 80,
        "feedback": "deferred", "show_answers": "after_submit", "shuffle_questions": False,
        "items": items or [], **settings,
    }
    quiz, _ = save_quiz(data, source="tests")
    quiz.status = status
    db.session.commit()
    return quiz


def quiz_of(questions, slug: str = "practice", **settings) -> Quiz:
    """A quiz of fixed questions, in the order given."""
    return make_quiz(slug, [{"question": q.uid} for q in questions], **settings)


def grant_extra_time(quiz: Quiz, user, minutes: int) -> QuizAccommodation:
    """An accommodation: `minutes` extra on every timed attempt at `quiz`."""
    accommodation = QuizAccommodation(quiz_id=quiz.id, user_id=user.id, extra_minutes=minutes)
    db.session.add(accommodation)
    db.session.commit()
    return accommodation


def kind_of(instance: dict) -> str:
    """The response kind (widget) of an instance."""
    return get_type(instance["type"]).response_kind


def key_response(instance: dict):
    """The answer that scores full marks, in the shape the JSON autosave takes."""
    qtype = instance["type"]
    if qtype in ("single_choice", "multiple_response", "matching", "ordering"):
        return copy.deepcopy(instance["key"])
    if qtype == "true_false":
        return instance["key"]
    if qtype in ("numeric", "calculated"):
        return instance["answer_text"]
    if qtype == "short_answer":
        return instance["answers"][0]
    raise ValueError(qtype)


def wrong_response(instance: dict):
    """An answer that scores nothing."""
    qtype = instance["type"]
    if qtype == "single_choice":
        return next(c["id"] for c in instance["choices"] if c["id"] != instance["key"])
    if qtype == "multiple_response":
        return [c["id"] for c in instance["choices"] if c["id"] not in instance["key"]]
    if qtype == "true_false":
        return not instance["key"]
    if qtype in ("numeric", "calculated"):
        return "9999"
    if qtype == "short_answer":
        return "aspirin"
    if qtype == "matching":
        wrong_right = next(r["id"] for r in instance["right"] if r["id"] not in instance["key"].values())
        return {left: wrong_right for left in instance["key"]}
    if qtype == "ordering":
        key = instance["key"]
        return key[1:] + key[:1] if len(key) > 1 else key
    raise ValueError(qtype)


def form_fields(instance: dict, response) -> dict:
    """The form fields a browser without JavaScript posts for `response`."""
    kind = kind_of(instance)
    if kind == "pairs":
        return {f"pair-{left}": right for left, right in response.items()}
    if kind == "order":
        return {f"order-{item}": str(place) for place, item in enumerate(response, start=1)}
    if kind == "boolean":
        return {"response": "true" if response else "false"}
    return {"response": response}


# ---- driving the pages ------------------------------------------------------------------------


def start_via_web(client, quiz: Quiz) -> int:
    """Press Start on the quiz page; the new (or resumed) attempt's id."""
    response = client.post(f"/quizzes/{quiz.slug}/start")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert "/quizzes/attempts/" in response.location, response.location
    return int(response.location.rstrip("/").rsplit("/", 1)[1])


def fresh(model, ident):
    """A row as the database holds it now (after requests made in their own sessions)."""
    db.session.expire_all()
    return db.session.get(model, ident)


def autosave(client, attempt_id: int, number: int, **payload):
    """The JSON autosave the page's script sends, with its CSRF header."""
    return client.post(
        f"/quizzes/attempts/{attempt_id}/save", json={"number": number, **payload},
        headers={"X-CSRFToken": client.csrf_token(), "Accept": "application/json"},
    )


def post_answer(client, attempt_id: int, number: int, instance: dict | None, response=None, **fields):
    """The attempt page's form, posted without JavaScript."""
    data = {"number": str(number), "flagging": "1", **fields}
    if instance is not None:
        data["answering"] = "1"
        if response is not None:
            data.update(form_fields(instance, response))
    return client.post(f"/quizzes/attempts/{attempt_id}", data=data)


def submit_via_web(client, attempt_id: int):
    """Press Submit on the review screen."""
    return client.post(f"/quizzes/attempts/{attempt_id}/submit")
