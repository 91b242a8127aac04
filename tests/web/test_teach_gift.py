"""Uploading Moodle GIFT in the browser: a preview with problems per question, then a confirmed import."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.factories.bank import make_question
from trainer.extensions import db
from trainer.models import AuditEvent, Question, QuestionVersion

GOOD = """$CATEGORY: $course$/top/Statins

::Lipitor generic::What is the generic name of Lipitor? {=atorvastatin =atorvastatin calcium ####Lipitor is atorvastatin.}

::Schedule::Which schedule is hydrocodone/APAP in? {=Schedule II ~Schedule III ~Schedule IV ####Rescheduled in 2014.}

::TF::A trailing zero is safe. {F ####It can be misread as ten times the dose.}
"""

# the third question (line 7) never closes its answers
ONE_BROKEN = """::Lipitor generic::What is the generic name of Lipitor? {=atorvastatin ####Lipitor is atorvastatin.}

::Schedule::Which schedule is hydrocodone/APAP in? {=Schedule II ~Schedule III ####Rescheduled in 2014.}

::Broken::This one has no closing brace {=yes ~no

::TF::A trailing zero is safe. {F ####It can be misread.}
"""

DEFAULTS = {
    "tags": "statins, top-drugs",
    "difficulty": "easy",
    "blueprint": "ptce-2020:1.1",
    "references": "FDA Orange Book",
    "status": "draft",
    "id_prefix": "",
}


@pytest.fixture
def instructor(auth):
    return auth.login("instructor")


def _questions() -> int:
    return db.session.scalar(select(func.count()).select_from(Question))


def _upload(client, text: str, **fields):
    return client.post("/teach/questions/import", data={"text": text, **DEFAULTS, **fields})


def _confirm(client, text: str, filename: str = "pasted.gift", **fields):
    return client.post("/teach/questions/import/confirm",
                       data={"text": text, "filename": filename, **DEFAULTS, **fields})


def test_the_preview_lists_each_question_and_what_import_would_do_and_saves_nothing(client, instructor):
    response = _upload(client, GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing is saved yet" in page and "3 valid questions: 3 to create" in page
    for uid in ("lipitor-generic", "schedule", "tf"):
        assert f"<code>{uid}</code>" in page
    assert _questions() == 0


def test_the_preview_lists_problems_per_question_with_line_numbers(client, instructor):
    page = _upload(client, ONE_BROKEN).get_data(as_text=True)
    problems = page.split('id="problems-heading"', 1)[1].split("</table>", 1)[0]
    assert "<td>5</td><td>Broken</td>" in problems and "not closed" in problems
    assert "1 question has problems" in page
    assert _questions() == 0


def test_a_question_missing_an_explanation_is_a_problem_of_that_question(client, instructor):
    text = "::Bare::What is the generic name of Zocor? {=simvastatin}\n"
    page = _upload(client, text).get_data(as_text=True)
    assert "explanation" in page and "<td>1</td><td>bare</td>" in page


def test_an_uploaded_file_is_read_and_its_name_kept(client, instructor):
    data = {**DEFAULTS, "file": (io.BytesIO(GOOD.encode("utf-8")), "statins.gift")}
    response = client.post("/teach/questions/import", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "Check the import of statins.gift" in page and 'name="filename" value="statins.gift"' in page


def test_a_file_that_is_not_utf8_is_refused_beside_the_file_input(client, instructor):
    data = {**DEFAULTS, "file": (io.BytesIO("caf\xe9 {=T}".encode("latin-1")), "old.gift")}
    response = client.post("/teach/questions/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and 'id="file-error"' in response.get_data(as_text=True)


def test_an_empty_upload_is_refused(client, instructor):
    response = _upload(client, "   ")
    assert response.status_code == 422 and 'id="text-error"' in response.get_data(as_text=True)


def test_the_defaults_gift_cannot_carry_are_required_and_checked(client, instructor):
    response = _upload(client, GOOD, tags="", blueprint="ptce-2020:9.9", references="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="tags-error"' in page and 'id="blueprint-error"' in page and 'id="references-error"' in page
    assert "ptce-2020:9.9" in page  # kept as typed


def test_confirm_saves_every_question_in_one_go_with_the_defaults(client, instructor):
    response = _confirm(client, GOOD, filename="statins.gift")
    assert response.status_code == 302
    saved = {q.uid: q for q in db.session.scalars(select(Question))}
    assert set(saved) == {"lipitor-generic", "schedule", "tf"}
    tf = saved["tf"]
    assert tf.status == "draft" and tf.difficulty == "easy" and tf.source == "gift:statins.gift"
    assert tf.data["blueprint"] == ["ptce-2020:1.1"] and tf.data["references"] == ["FDA Orange Book"]
    assert set(tf.data["tags"]) == {"statins", "top-drugs"}
    assert tf.current_version.created_by_id == instructor.id


def test_confirm_is_audited(client, instructor):
    _confirm(client, GOOD, filename="statins.gift")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "questions_imported"))
    assert event.subject == "gift:statins.gift" and event.details["created"] == 3


def test_a_file_with_problems_is_refused_unless_the_instructor_ticks_import_the_valid_ones(client, instructor):
    response = _confirm(client, ONE_BROKEN)
    assert response.status_code == 422 and "tick the box" in response.get_data(as_text=True)
    assert _questions() == 0


def test_ticking_imports_only_the_valid_questions(client, instructor):
    page = _upload(client, ONE_BROKEN).get_data(as_text=True)
    assert "Import the 3 valid questions and leave out the 1 with problems" in page
    assert _confirm(client, ONE_BROKEN, skip_invalid="y").status_code == 302
    assert set(db.session.scalars(select(Question.uid))) == {"lipitor-generic", "schedule", "tf"}


@pytest.mark.parametrize("text", [
    "{=no question text}\n\n{",
    "::Only::{=a}\n\n::Bad::Which? {~a ~b}\n",
    "just some words without any answers",
])
def test_malformed_gift_saves_nothing(client, instructor, text):
    _upload(client, text)
    _confirm(client, text, skip_invalid="y")
    assert _questions() == 0


def test_an_existing_question_is_shown_as_an_update_and_gets_a_new_version(client, instructor):
    make_question("tf", "true_false")
    page = _upload(client, GOOD).get_data(as_text=True)
    assert "1 to update" in page
    _confirm(client, GOOD)
    question = db.session.scalar(select(Question).where(Question.uid == "tf"))
    assert question.current_version.number == 2 and question.current_version.note == "GIFT upload"


def test_an_id_prefix_keeps_uploads_apart(client, instructor):
    make_question("tf", "true_false")
    _confirm(client, GOOD, id_prefix="moodle-")
    assert {"moodle-tf", "moodle-schedule", "moodle-lipitor-generic"} <= set(db.session.scalars(select(Question.uid)))
    assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 4


def test_an_unchanged_question_is_not_saved_again(client, instructor):
    _confirm(client, GOOD)
    _confirm(client, GOOD)
    assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 3


def test_the_preview_carries_the_text_back_unchanged(client, instructor):
    page = _upload(client, GOOD).get_data(as_text=True)
    assert "Which schedule is hydrocodone/APAP in? {=Schedule II" in page


def test_change_the_upload_returns_to_the_form_with_everything_kept(client, instructor):
    response = client.post("/teach/questions/import", data={"text": GOOD, **DEFAULTS, "op": "edit"})
    page = response.get_data(as_text=True)
    assert "Check the questions" in page and "Lipitor generic" in page and 'value="statins, top-drugs"' in page
    assert _questions() == 0


def test_an_export_imports_again_unchanged(client, instructor):
    make_question("round-trip", "single_choice", tags=["controlled"], blueprint=["ptce-2020:2.2"])
    text = client.get("/teach/questions/export?format=gift&uid=round-trip").get_data(as_text=True)
    _confirm(client, text)
    assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 1
