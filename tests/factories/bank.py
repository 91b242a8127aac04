"""Bank questions, quizzes and attempts for the instructor's question and quiz pages.

Rows are saved through trainer.services.questions (the same code the pages use) and committed; the
test's transaction is rolled back afterwards.
"""

from __future__ import annotations

import copy

from trainer.extensions import db
from trainer.models import Attempt, AttemptItem, Question, Quiz
from trainer.questions.bank import dump_question
from trainer.questions.question import COMMON_FIELDS
from trainer.services.attempts import make_item
from trainer.services.questions import save_question, save_quiz
from trainer.web.teach.question_forms import as_yaml

COMMON = {
    "explanation": "Volume = dose ÷ concentration.",
    "tags": ["dose-volume"],
    "difficulty": "medium",
    "blueprint": ["ptce-2020:4.2"],
    "references": ["shared/reference/calculations.md"],
}

# The type's own fields of a valid question of each type.
TYPE_FIELDS = {
    "single_choice": {"choices": [
        {"text": "Schedule II", "correct": True, "feedback": "Rescheduled in October 2014."},
        {"text": "Schedule III"}, {"text": "Schedule IV"}, {"text": "Schedule V"},
    ]},
    "multiple_response": {"choices": [
        {"text": "cc", "correct": True}, {"text": "IU", "correct": True}, {"text": "mL"}, {"text": "mcg"},
    ]},
    "true_false": {"answer": False, "feedback_true": "It can be read as 50 mg."},
    "numeric": {"answer": 8, "unit": "mL", "tolerance": 0.05},
    "calculated": {
        "variables": {"dose": {"min": 100, "max": 500, "step": 50}, "strength": {"choices": [125, 250, 400]}},
        "answer": {"family": "dose_volume", "params": {"dose": "{dose} mg", "concentration": "{strength} mg/5 mL"},
                   "round_to": "0.1"},
        "unit": "mL",
        "tolerance": 0.05,
        "sanity": {"min": 0.5, "max": 60},
    },
    "matching": {"pairs": [
        {"left": "Lipitor", "right": "atorvastatin"}, {"left": "Zocor", "right": "simvastatin"},
        {"left": "Crestor", "right": "rosuvastatin"},
    ], "distractors": ["pravastatin"]},
    "short_answer": {"answers": ["atorvastatin", "atorvastatin calcium"]},
    "ordering": {"items": [
        "Receive the prescription and check it is complete", "Enter the prescription",
        "Fill and label", "Pharmacist verification",
    ]},
}

STEMS = {
    "calculated": "The order is amoxicillin {dose} mg. The stock is {strength} mg/5 mL. How many mL is one dose?",
    "numeric": "How many mL of a 250 mg/5 mL suspension hold 400 mg?",
}


def question_data(uid: str = "bank-q-001", qtype: str = "single_choice", **fields) -> dict:
    """A valid question of `qtype` in the bank format; keyword fields replace the defaults."""
    data = {
        "id": uid, "type": qtype, "status": "published",
        "stem": STEMS.get(qtype, f"Which answer is right for {uid}?"),
        **copy.deepcopy(TYPE_FIELDS[qtype]), **copy.deepcopy(COMMON),
    }
    data.update(fields)
    return dump_question(data)


def make_question(uid: str = "bank-q-001", qtype: str = "single_choice", actor=None, **fields) -> Question:
    """A saved question (version 1)."""
    question, _ = save_question(question_data(uid, qtype, **fields), source="tests", actor=actor, note="factory")
    db.session.commit()
    return question


def editor_form(data: dict) -> dict:
    """The question editor's fields for bank data, as a browser would post them."""
    return {
        "id": data.get("id", ""),
        "stem": data.get("stem", ""),
        "spec": as_yaml({k: v for k, v in data.items() if k not in COMMON_FIELDS}),
        "explanation": data.get("explanation", ""),
        "tags": ", ".join(data.get("tags") or []),
        "difficulty": data.get("difficulty", "medium"),
        "blueprint": ", ".join(data.get("blueprint") or []),
        "references": "\n".join(data.get("references") or []),
        "status": data.get("status", "published"),
        "note": "",
    }


def make_attempt_item(question: Question, user) -> AttemptItem:
    """An attempt by `user` holding one item made from the question's current version."""
    attempt = Attempt(user_id=user.id, kind="quiz", seed=7)
    db.session.add(attempt)
    db.session.flush()
    item = make_item(question, position=0, seed=7)
    item.attempt_id = attempt.id
    db.session.add(item)
    db.session.commit()
    return item


def make_quiz(slug: str = "calc-practice", items: list[dict] | None = None, status: str = "draft", actor=None,
              **fields) -> Quiz:
    """A saved quiz; its fixed questions must exist already. Made by `actor` it is theirs, else shipped content."""
    data = {"slug": slug, "title": fields.pop("title", "Calculations practice"), "pass_mark": 80,
            "items": items or [], **fields}
    quiz, _ = save_quiz(data, source="tests", actor=actor)
    quiz.status = status
    db.session.commit()
    return quiz
