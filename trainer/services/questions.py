"""The question bank in the database: saving questions as versions, saving quizzes.

Used by the file import, the instructor's pages and the GIFT upload alike, so a
question saved any way gets the same versioning, tags and blueprint areas.
"""

from __future__ import annotations

import hashlib
import json
import re

from sqlalchemy import func, select

from trainer.extensions import db
from trainer.models import (
    Question,
    QuestionArea,
    QuestionTag,
    QuestionVersion,
    Quiz,
    QuizItem,
)
from trainer.questions.question import needs_explanation
from trainer.questions.quiz import quiz_time
from trainer.services.attempts import store_rendered_text


def content_hash(data: dict) -> str:
    """SHA-256 of a question's canonical JSON: equal content, equal hash."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _title_of(stem: str) -> str:
    text = re.sub(r"[`*_#>\[\]()!|]", " ", stem or "")
    return " ".join(text.split())[:300]


def get_question(uid: str) -> Question | None:
    """The question with this bank id, if any."""
    return db.session.scalar(select(Question).where(Question.uid == uid))


def save_question(data: dict, *, source: str = "", actor=None, note: str = "") -> tuple[Question, str]:
    """Create or update a question from bank-format data; returns it and "created", "updated" or "unchanged".

    An update adds a new version and makes it current; unchanged content adds nothing.
    The caller validates the data first and commits afterwards.
    """
    digest = content_hash(data)
    question = get_question(data["id"])
    if question is None:
        # made by someone in the teach area: theirs (trainer.services.ownership); by the CLI: the site's
        question = Question(uid=data["id"], owner_id=getattr(actor, "id", None))
        db.session.add(question)
        outcome, number = "created", 1
    elif question.current_version is not None and question.current_version.content_hash == digest:
        if question.current_version.stem_html is None:  # saved before versions kept their HTML
            store_rendered_text(question.current_version)
        return question, "unchanged"
    else:
        outcome = "updated"
        number = (db.session.scalar(
            select(func.max(QuestionVersion.number)).where(QuestionVersion.question_id == question.id)
        ) or 0) + 1
    question.type = data["type"]
    question.status = data.get("status", "published")
    question.difficulty = data.get("difficulty", "medium")
    question.title = _title_of(data.get("stem", ""))
    question.needs_explanation = needs_explanation(data)
    question.source = source
    db.session.flush()
    version = QuestionVersion(
        question_id=question.id, number=number, data=data, content_hash=digest,
        created_by_id=getattr(actor, "id", None), note=note,
    )
    store_rendered_text(version)
    db.session.add(version)
    db.session.flush()
    question.current_version = version
    question.tags = [QuestionTag(tag=tag) for tag in dict.fromkeys(data.get("tags") or [])]
    question.areas = [_area(code) for code in dict.fromkeys(data.get("blueprint") or [])]
    return question, outcome


def _area(code: str) -> QuestionArea:
    outline, _, area = code.partition(":")
    return QuestionArea(code=code, outline=outline, area=area, domain=area.split(".")[0])


class PublishRefused(ValueError):
    """A question cannot be published as it is; `message` says why, for the instructor."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def set_question_status(question: Question, status: str) -> None:
    """Draft, publish or retire a question; its history stays. Raise PublishRefused without an explanation."""
    if status == "published" and question.current_version is not None and needs_explanation(question.data):
        raise PublishRefused(
            f"{question.uid} needs an explanation before it can be published: edit it and write why the key is right."
        )
    question.status = status
    if question.current_version is not None:
        data = dict(question.current_version.data)
        data["status"] = status
        save_question(data, source=question.source, note=f"status: {status}")


def save_quiz(data: dict, *, source: str = "", actor=None) -> tuple[Quiz, str]:
    """Create or update a quiz from quiz-file data (its questions must already be saved)."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == data["slug"]))
    outcome = "updated"
    if quiz is None:
        # made by someone in the teach area: theirs (trainer.services.ownership); by the CLI: the site's
        quiz = Quiz(slug=data["slug"], created_by_id=getattr(actor, "id", None), owner_id=getattr(actor, "id", None))
        db.session.add(quiz)
        outcome = "created"
    before = quiz_file_data(quiz) if outcome == "updated" else None
    quiz.title = data["title"]
    quiz.description = data.get("description") or ""
    quiz.pass_mark = int(data.get("pass_mark", 80))
    quiz.time_limit_minutes = data.get("time_limit_minutes")
    quiz.attempts_allowed = int(data.get("attempts_allowed") or 0)
    quiz.shuffle_questions = bool(data.get("shuffle_questions", True))
    quiz.shuffle_choices = bool(data.get("shuffle_choices", True))
    quiz.feedback_mode = data.get("feedback", "immediate")
    quiz.show_answers = data.get("show_answers", "after_submit")
    # the data was validated: a time is there and readable, or None
    quiz.available_from = quiz_time(data.get("available_from"))
    quiz.available_until = quiz_time(data.get("available_until"))
    quiz.status = "published" if outcome == "created" else quiz.status
    quiz.source = source
    items = []
    for position, item in enumerate(data.get("items") or []):
        if "question" in item:
            question = get_question(item["question"])
            items.append(QuizItem(position=position, question_id=question.id, draw_count=0, draw_filter={}))
        else:
            draw_filter = {k: item[k] for k in ("tags", "blueprint", "difficulty", "type") if k in item}
            items.append(QuizItem(position=position, question_id=None, draw_count=int(item["draw"]),
                                  draw_filter=draw_filter))
    quiz.items = items
    db.session.flush()
    if before is not None and before == quiz_file_data(quiz):
        outcome = "unchanged"
    return quiz, outcome


def quiz_file_data(quiz: Quiz) -> dict:
    """A quiz in the quiz-file format, for export and comparison."""
    items = []
    for item in quiz.items:
        if item.question_id is not None:
            items.append({"question": item.question.uid})
        else:
            items.append({"draw": item.draw_count, **(item.draw_filter or {})})
    data = {
        "slug": quiz.slug,
        "title": quiz.title,
        "description": quiz.description or "",
        "pass_mark": quiz.pass_mark,
        "time_limit_minutes": quiz.time_limit_minutes,
        "attempts_allowed": quiz.attempts_allowed,
        "shuffle_questions": quiz.shuffle_questions,
        "shuffle_choices": quiz.shuffle_choices,
        "feedback": quiz.feedback_mode,
        "show_answers": quiz.show_answers,
        "available_from": quiz.available_from.isoformat() if quiz.available_from else None,
        "available_until": quiz.available_until.isoformat() if quiz.available_until else None,
        "items": items,
    }
    return data
