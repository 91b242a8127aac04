"""The editor's live preview: validates and draws the question as a learner sees it, and never saves."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories.bank import TYPE_FIELDS, editor_form, make_question, question_data
from trainer.extensions import db
from trainer.models import Question, QuestionVersion


def _preview(client, qtype: str, data: dict, **extra) -> str:
    form = {**editor_form(data), "type": qtype, **extra}
    response = client.post("/teach/questions/preview", data=form)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _saved() -> int:
    return db.session.scalar(select(func.count()).select_from(QuestionVersion))


@pytest.mark.parametrize("qtype", list(TYPE_FIELDS))
def test_each_type_previews_with_its_key_graded_correct_and_nothing_saved(client, instructor, qtype):
    fragment = _preview(client, qtype, question_data("pv-001", qtype))
    assert "As a learner sees it" in fragment and "grades as correct" in fragment
    assert "does not grade as correct" not in fragment and "problem" not in fragment.split("Key and")[0]
    assert _saved() == 0


def test_the_preview_renders_the_stem_as_markdown(client, instructor):
    fragment = _preview(client, "single_choice", question_data("pv-md", stem="Which is **Schedule II**?"))
    assert "<strong>Schedule II</strong>" in fragment


def test_the_preview_sanitises_the_stem(client, instructor):
    fragment = _preview(client, "single_choice", question_data("pv-xss", stem='Pick one <script>alert(1)</script>'))
    assert "<script>" not in fragment


def test_the_preview_shows_choices_and_feedback_for_the_instructor(client, instructor):
    fragment = _preview(client, "single_choice", question_data("pv-ch"))
    assert 'type="radio"' in fragment and "Schedule IV" in fragment
    assert "Rescheduled in October 2014." in fragment


def test_the_preview_lists_problems_and_draws_nothing_for_a_broken_spec(client, instructor):
    data = question_data("pv-bad", "single_choice", choices=[{"text": "A", "correct": True}])
    fragment = _preview(client, "single_choice", data)
    assert "to fix" in fragment and "choices" in fragment and "As a learner sees it" not in fragment


def test_missing_metadata_is_listed_but_the_question_still_previews(client, instructor):
    data = question_data("pv-meta", "true_false", tags=[], explanation="")
    fragment = _preview(client, "true_false", data)
    assert "tags" in fragment and "explanation" in fragment and "As a learner sees it" in fragment


def test_the_preview_of_an_existing_question_does_not_save(client, instructor):
    make_question("pv-edit", actor=instructor)
    _preview(client, "single_choice", question_data("pv-edit", stem="Changed?"), uid="pv-edit")
    assert db.session.scalar(select(Question).where(Question.uid == "pv-edit")).current_version.number == 1


def test_the_preview_button_works_without_javascript_and_saves_nothing(client, instructor):
    form = {**editor_form(question_data("pv-nojs", "numeric")), "action": "preview"}
    response = client.post("/teach/questions/new/numeric", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "As a learner sees it" in page and "8 mL" in page
    assert 'value="pv-nojs"' in page  # the form is still there, as typed
    assert _saved() == 0


def test_the_preview_needs_a_known_type(client, instructor):
    response = client.post("/teach/questions/preview", data={**editor_form(question_data()), "type": "cloze"})
    assert response.status_code == 400


def test_the_preview_never_carries_unparseable_yaml_into_a_500(client, instructor):
    form = {**editor_form(question_data("pv-yaml")), "type": "single_choice", "spec": "a: [\n"}
    response = client.post("/teach/questions/preview", data=form)
    assert response.status_code == 200 and "not valid YAML" in response.get_data(as_text=True)


# ---- calculated templates ------------------------------------------------------------------


def test_a_calculated_question_shows_five_solvable_samples_with_values_and_steps(client, instructor):
    fragment = _preview(client, "calculated", question_data("pv-calc", "calculated"))
    samples = fragment.split("Five generated samples", 1)[1]
    rows = samples.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>")
    assert rows == 5 and samples.count(">solvable<") == 5
    assert "dose=" in samples and "strength=" in samples and " mL" in samples
    assert "Worked steps" in samples and "concentration" in samples.lower()


def test_a_calculated_question_with_an_absurd_answer_is_reported(client, instructor):
    data = question_data("pv-absurd", "calculated", sanity={"min": 0.5, "max": 2})
    fragment = _preview(client, "calculated", data)
    assert "to fix" in fragment and "sanity" in fragment and "Five generated samples" not in fragment


def test_a_calculated_question_with_an_unknown_family_is_reported(client, instructor):
    data = question_data("pv-family", "calculated")
    data["answer"] = {**data["answer"], "family": "dose_vol"}
    fragment = _preview(client, "calculated", data)
    assert "answer.family" in fragment


def test_a_calculated_question_is_refused_on_save_when_broken(client, instructor):
    data = question_data("pv-broken", "calculated", sanity={"min": 0.5, "max": 2})
    response = client.post("/teach/questions/new/calculated", data=editor_form(data))
    assert response.status_code == 422 and "sanity" in response.get_data(as_text=True)
    assert _saved() == 0


def test_a_sample_that_cannot_be_drawn_is_reported_per_seed(app):
    from trainer.web.teach.question_forms import QuestionDraft
    from trainer.web.teach.questions import preview_question

    # valid by structure, but the stem names a value no draw has: each sample says so
    data = question_data("pv-gen", "calculated")
    with app.test_request_context():
        preview = preview_question(QuestionDraft({**data, "stem": "Give {nothing} mL"}, []))
    assert len(preview.samples) == 5 and all(s.problem for s in preview.samples)
