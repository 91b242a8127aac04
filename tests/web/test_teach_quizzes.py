"""The quiz builder: settings, fixed questions and random draws, validation against the bank, states."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tests.factories.bank import make_question, make_quiz
from trainer.content.source import load_yaml
from trainer.extensions import db
from trainer.models import AuditEvent, Question, Quiz, QuizItem

SETTINGS = {
    "title": "Calculations III",
    "slug": "calculations-3",
    "description": "Fresh numbers every time.",
    "pass_mark": "75",
    "time_limit_minutes": "30",
    "attempts_allowed": "2",
    "shuffle_questions": "y",
    "feedback": "deferred",
    "show_answers": "after_close",
    "available_from": "2026-01-01T08:00",
    "available_until": "2026-06-30T20:00",
}


@pytest.fixture
def bank():
    for n in range(3):
        make_question(f"calc-{n}", "numeric", tags=["dose-volume"], blueprint=["ptce-2020:4.2"])
    make_question("law-1", "single_choice", tags=["controlled"], blueprint=["ptce-2020:2.2"], difficulty="hard",
                  stem="Which schedule is hydrocodone in?")
    make_question("draft-1", "true_false", tags=["dose-volume"], status="draft")


def _quiz(slug: str = "calculations-3") -> Quiz | None:
    return db.session.scalar(select(Quiz).where(Quiz.slug == slug))


def _items(*rows: dict) -> dict:
    """Builder item rows as the page posts them."""
    data = {}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{index}-{key}"] = value
    return data


def test_an_instructor_creates_a_quiz_with_fixed_questions_and_a_draw(client, instructor, bank):
    items = _items({"kind": "question", "question": "law-1"},
                   {"kind": "draw", "draw": "2", "tags": "dose-volume", "blueprint": "ptce-2020:4", "difficulty": "medium"})
    response = client.post("/teach/quizzes/new", data={**SETTINGS, **items, "op": "save"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    quiz = _quiz()
    assert quiz.status == "draft" and quiz.created_by_id == instructor.id
    assert (quiz.title, quiz.pass_mark, quiz.time_limit_minutes, quiz.attempts_allowed) == ("Calculations III", 75, 30, 2)
    assert (quiz.shuffle_questions, quiz.shuffle_choices) == (True, False)
    assert (quiz.feedback_mode, quiz.show_answers) == ("deferred", "after_close")
    assert quiz.available_from.isoformat() == "2026-01-01T08:00:00+00:00"
    assert quiz.available_until.isoformat() == "2026-06-30T20:00:00+00:00"
    assert [(i.question.uid if i.question else None, i.draw_count, i.draw_filter) for i in quiz.items] == [
        ("law-1", 0, {}),
        (None, 2, {"tags": ["dose-volume"], "blueprint": "ptce-2020:4", "difficulty": "medium"}),
    ]


def test_the_edit_form_is_filled_from_the_saved_quiz(client, instructor, bank):
    make_quiz("calculations-3", items=[{"question": "law-1"}, {"draw": 2, "tags": ["dose-volume"]}],
              time_limit_minutes=45, available_until="2026-06-30T20:00:00+00:00", actor=instructor)
    page = client.get("/teach/quizzes/calculations-3/edit").get_data(as_text=True)
    assert 'value="45"' in page and 'name="items-0-question" value="law-1"' in page
    assert 'name="items-1-tags" value="dose-volume"' in page and 'value="2026-06-30T20:00"' in page


def test_editing_a_quiz_keeps_its_slug_and_status(client, instructor, bank):
    make_quiz("calculations-3", items=[{"question": "law-1"}], status="published", actor=instructor)
    data = {**SETTINGS, "slug": "something-else", "title": "Renamed", **_items({"kind": "question", "question": "law-1"})}
    assert client.post("/teach/quizzes/calculations-3/edit", data=data).status_code == 302
    quiz = _quiz()
    assert quiz.title == "Renamed" and quiz.status == "published" and _quiz("something-else") is None


def test_bad_settings_stay_on_the_form_with_errors_beside_them(client, instructor, bank):
    data = {**SETTINGS, "title": "", "slug": "Bad Slug", "pass_mark": "120", "time_limit_minutes": "soon",
            **_items({"kind": "question", "question": "law-1"})}
    response = client.post("/teach/quizzes/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and _quiz("bad-slug") is None
    for name in ("title", "slug", "pass_mark", "time_limit_minutes"):
        assert f'id="{name}-error"' in page
    assert 'value="Bad Slug"' in page and 'value="soon"' in page and 'value="law-1"' in page


def test_a_quiz_needs_items(client, instructor):
    page = client.post("/teach/quizzes/new", data=SETTINGS).get_data(as_text=True)
    assert "Items: is required" in page and _quiz() is None


def test_a_draw_larger_than_the_published_bank_is_reported_on_its_row(client, instructor, bank):
    data = {**SETTINGS, **_items({"kind": "draw", "draw": "4", "tags": "dose-volume"})}
    response = client.post("/teach/quizzes/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "asks for 4 questions but only 3 published ones match" in page
    assert _quiz() is None


def test_draws_competing_for_the_same_questions_are_reported(client, instructor, bank):
    data = {**SETTINGS, **_items({"kind": "draw", "draw": "2", "tags": "dose-volume"},
                                 {"kind": "draw", "draw": "2", "blueprint": "ptce-2020:4.2"})}
    page = client.post("/teach/quizzes/new", data=data).get_data(as_text=True)
    assert "ask for 4 different questions but only 3 match" in page


def test_a_draft_question_cannot_be_a_fixed_item(client, instructor, bank):
    data = {**SETTINGS, **_items({"kind": "question", "question": "draft-1"})}
    page = client.post("/teach/quizzes/new", data=data).get_data(as_text=True)
    assert "draft-1 is draft, not published" in page


def test_a_slug_in_use_is_refused(client, instructor, bank):
    make_quiz("calculations-3", items=[{"question": "law-1"}])
    data = {**SETTINGS, **_items({"kind": "question", "question": "calc-0"})}
    page = client.post("/teach/quizzes/new", data=data).get_data(as_text=True)
    assert "already used by another quiz" in page
    assert [i.question.uid for i in _quiz().items] == ["law-1"]


def test_the_window_must_end_after_it_starts(client, instructor, bank):
    data = {**SETTINGS, "available_until": "2025-01-01T00:00", **_items({"kind": "question", "question": "law-1"})}
    page = client.post("/teach/quizzes/new", data=data).get_data(as_text=True)
    assert 'id="available_until-error"' in page and "must be after available_from" in page


# ---- building without saving ------------------------------------------------------------------


def test_finding_and_adding_a_question_keeps_the_form_and_saves_nothing(client, instructor, bank):
    found = client.post("/teach/quizzes/new", data={**SETTINGS, "find": "hydrocodone", "op": "search"})
    page = found.get_data(as_text=True)
    assert 'value="add:law-1"' in page and "add:calc-0" not in page and "add:draft-1" not in page
    added = client.post("/teach/quizzes/new", data={**SETTINGS, "op": "add:law-1"}).get_data(as_text=True)
    assert 'name="items-0-question" value="law-1"' in added and 'value="Calculations III"' in added
    assert _quiz() is None


def test_draws_are_added_moved_and_removed_without_saving(client, instructor, bank):
    rows = _items({"kind": "question", "question": "law-1"}, {"kind": "draw", "draw": "2", "tags": "dose-volume"})
    moved = client.post("/teach/quizzes/new", data={**SETTINGS, **rows, "op": "up:1"}).get_data(as_text=True)
    assert moved.index('name="items-0-draw" value="2"') < moved.index('name="items-1-question" value="law-1"')
    removed = client.post("/teach/quizzes/new", data={**SETTINGS, **rows, "op": "remove:0"}).get_data(as_text=True)
    assert "law-1" not in removed and 'name="items-0-draw" value="2"' in removed
    added = client.post("/teach/quizzes/new", data={**SETTINGS, **rows, "op": "add-draw"}).get_data(as_text=True)
    assert 'name="items-2-kind" value="draw"' in added
    assert db.session.scalar(select(func.count()).select_from(QuizItem)) == 0


def test_a_half_typed_setting_is_kept_while_building(client, instructor, bank):
    page = client.post("/teach/quizzes/new", data={**SETTINGS, "pass_mark": "8o", "op": "add-draw"}).get_data(as_text=True)
    assert 'value="8o"' in page and 'id="pass_mark-error"' not in page


# ---- the quiz page and its states --------------------------------------------------------------


def test_the_quiz_page_shows_items_and_how_many_questions_each_draw_can_use(client, instructor, bank):
    make_quiz("calculations-3", items=[{"question": "law-1"}, {"draw": 2, "tags": ["dose-volume"]}])
    page = client.get("/teach/quizzes/calculations-3").get_data(as_text=True)
    assert "law-1" in page and "2 questions drawn at random" in page and "3 match" in page


def test_the_quiz_list_shows_every_quiz_with_its_status(client, instructor, bank):
    make_quiz("calculations-3", items=[{"question": "law-1"}], status="published")
    make_quiz("law-practice", items=[{"question": "law-1"}], title="Law practice")
    page = client.get("/teach/quizzes").get_data(as_text=True)
    assert "Calculations practice" in page and "Law practice" in page and ">draft<" in page and ">published<" in page


@pytest.mark.parametrize("status", ["published", "retired", "draft"])
def test_an_instructor_sets_each_quiz_state(client, instructor, bank, status):
    make_quiz("calculations-3", items=[{"question": "law-1"}], status="published" if status == "draft" else "draft",
              actor=instructor)
    assert client.post("/teach/quizzes/calculations-3/status", data={"status": status}).status_code == 302
    assert _quiz().status == status
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "quiz_status_changed")).details["new"] == status


def test_a_quiz_whose_questions_were_retired_cannot_be_published(client, instructor, bank):
    make_quiz("calculations-3", items=[{"question": "law-1"}], actor=instructor)
    db.session.scalar(select(Question).where(Question.uid == "law-1")).owner_id = instructor.id
    db.session.commit()
    assert client.post("/teach/questions/law-1/status", data={"status": "retired"}).status_code == 302
    response = client.post("/teach/quizzes/calculations-3/status", data={"status": "published"})
    assert response.status_code == 422 and "law-1 is retired" in response.get_data(as_text=True)
    assert _quiz().status == "draft"


def test_an_unknown_quiz_is_404(client, instructor):
    assert client.get("/teach/quizzes/nothing").status_code == 404
    assert client.get("/teach/quizzes/nothing/edit").status_code == 404


@pytest.mark.parametrize(
    ("written", "hour"), [("2026-01-01", 0), ("2026-01-01T08:00:00", 8), ("2026-01-01T10:00:00+02:00", 8)]
)
def test_a_quiz_file_time_without_a_zone_is_saved_as_utc(app, written, hour):
    # YAML reads a bare date or a time without Z as a naive value: the quiz keeps it as UTC
    value = load_yaml(f"t: {written}\n", "quiz.yaml")["t"]
    quiz = make_quiz("dated", available_from=value)
    db.session.expire_all()
    saved = db.session.get(Quiz, quiz.id).available_from
    assert saved == datetime(2026, 1, 1, hour, tzinfo=UTC)
