"""The instructor's question bank: access, the editor for every type, versions, states, search, export."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import func, select

from tests.factories.bank import (
    TYPE_FIELDS,
    editor_form,
    make_attempt_item,
    make_question,
    question_data,
)
from trainer.extensions import db
from trainer.models import AttemptItem, AuditEvent, Question, QuestionVersion

# Every page of this area, with a method; each must refuse a learner.
TEACH_ROUTES = [
    ("get", "/teach/questions"),
    ("get", "/teach/questions/new"),
    ("get", "/teach/questions/new/numeric"),
    ("post", "/teach/questions/new/numeric"),
    ("get", "/teach/questions/bank-q-001"),
    ("get", "/teach/questions/bank-q-001/edit"),
    ("post", "/teach/questions/bank-q-001/edit"),
    ("post", "/teach/questions/bank-q-001/status"),
    ("get", "/teach/questions/bank-q-001/versions/1"),
    ("get", "/teach/questions/bank-q-001/diff"),
    ("post", "/teach/questions/preview"),
    ("get", "/teach/questions/export?format=gift"),
    ("get", "/teach/questions/import"),
    ("post", "/teach/questions/import"),
    ("post", "/teach/questions/import/confirm"),
    ("get", "/teach/quizzes"),
    ("get", "/teach/quizzes/new"),
    ("post", "/teach/quizzes/new"),
    ("get", "/teach/quizzes/calc-practice"),
    ("get", "/teach/quizzes/calc-practice/edit"),
    ("post", "/teach/quizzes/calc-practice/edit"),
    ("post", "/teach/quizzes/calc-practice/status"),
    ("post", "/teach/quizzes/calc-practice/accommodations"),
    ("post", "/teach/quizzes/calc-practice/accommodations/1/revoke"),
]


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize(("method", "url"), TEACH_ROUTES)
def test_a_learner_gets_403_on_every_bank_and_quiz_page(client, auth, method, url):
    from tests.factories.bank import make_quiz

    make_question()
    make_quiz(items=[{"question": "bank-q-001"}])
    auth.login("learner")
    assert getattr(client, method)(url).status_code == 403


@pytest.mark.parametrize(("method", "url"), [r for r in TEACH_ROUTES if r[0] == "post"])
def test_every_post_needs_a_csrf_token(client, instructor, method, url):
    from tests.factories.bank import make_quiz

    make_question()
    make_quiz(items=[{"question": "bank-q-001"}])
    assert client.post(url, data={}, csrf=False).status_code == 400


def test_the_landing_page_links_to_the_bank_gift_and_quizzes(client, instructor):
    page = client.get("/teach/").get_data(as_text=True)
    assert "/teach/questions" in page and "/teach/questions/import" in page and "/teach/quizzes" in page


# ---- creating ------------------------------------------------------------------------------


def test_the_new_question_page_offers_every_type(client, instructor):
    page = client.get("/teach/questions/new").get_data(as_text=True)
    for name in TYPE_FIELDS:
        assert f"/teach/questions/new/{name}" in page


def test_a_new_question_form_starts_with_its_types_template(client, instructor):
    page = client.get("/teach/questions/new/matching").get_data(as_text=True)
    assert "pairs:" in page and "Lipitor" in page


@pytest.mark.parametrize("qtype", list(TYPE_FIELDS))
def test_an_instructor_creates_a_question_of_each_type(client, instructor, qtype):
    data = question_data(f"new-{qtype.replace('_', '-')}", qtype)
    response = client.post(f"/teach/questions/new/{qtype}", data=editor_form(data))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    saved = db.session.scalar(select(Question).where(Question.uid == data["id"]))
    assert saved.type == qtype and saved.current_version.number == 1
    assert saved.current_version.data == data
    assert saved.current_version.created_by_id == instructor.id
    assert saved.source == "browser"


def test_typed_text_is_stored_with_unix_newlines(client, instructor):
    form = editor_form(question_data("crlf-001"))
    form["stem"] = "First line\r\nsecond line"
    client.post("/teach/questions/new/single_choice", data=form)
    assert db.session.scalar(select(Question).where(Question.uid == "crlf-001")).data["stem"] == "First line\nsecond line"


def test_bad_input_keeps_the_form_with_each_error_beside_its_field(client, instructor):
    form = editor_form(question_data("Bad Id"))
    form["tags"] = "Dose Volume"
    form["blueprint"] = "ptce-2020:9.9"
    form["spec"] = "choices:\n  - text: only one\n    correct: true\n"
    response = client.post("/teach/questions/new/single_choice", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _count(Question) == 0
    assert 'id="id-error"' in page and 'id="tags-error"' in page and 'id="blueprint-error"' in page
    assert 'id="spec-error"' in page and "choices" in page
    # nothing typed is lost
    assert 'value="Bad Id"' in page and "only one" in page and "ptce-2020:9.9" in page


def test_an_unknown_blueprint_area_is_reported_beside_the_blueprint_input(client, instructor):
    form = editor_form(question_data("bp-001"))
    form["blueprint"] = "ptce-2020:9.9"
    page = client.post("/teach/questions/new/single_choice", data=form).get_data(as_text=True)
    error = page.split('id="blueprint-error"', 1)[1].split("</ul>", 1)[0]
    assert "not an area or domain of any exam outline (see the list of exam areas)" in error


def test_a_yaml_mistake_is_shown_with_its_line(client, instructor):
    form = editor_form(question_data("yaml-001"))
    form["spec"] = "choices:\n  - text: a\n    correct: true\n  - text: [unclosed\n"
    response = client.post("/teach/questions/new/single_choice", data=form)
    error = response.get_data(as_text=True).split('id="spec-error"', 1)[1].split("</ul>", 1)[0]
    assert response.status_code == 422 and "line " in error and "not valid YAML" in error


def test_a_type_field_problem_names_its_path_and_line(client, instructor):
    form = editor_form(question_data("path-001"))
    form["spec"] = "choices:\n  - text: A\n    correct: true\n  - text: ''\n"
    page = client.post("/teach/questions/new/single_choice", data=form).get_data(as_text=True)
    error = page.split('id="spec-error"', 1)[1].split("</ul>", 1)[0]
    assert "choices[1].text (line 4)" in error


def test_a_common_field_in_the_yaml_box_is_refused(client, instructor):
    form = editor_form(question_data("clash-001"))
    form["spec"] += "stem: a second stem\n"
    response = client.post("/teach/questions/new/single_choice", data=form)
    assert response.status_code == 422 and "has its own input above" in response.get_data(as_text=True)


def test_an_id_in_use_is_refused_instead_of_overwriting(client, instructor):
    make_question("taken-001")
    response = client.post("/teach/questions/new/true_false", data=editor_form(question_data("taken-001", "true_false")))
    assert response.status_code == 422 and "already used" in response.get_data(as_text=True)
    assert _count(QuestionVersion) == 1


def test_an_unknown_type_is_404(client, instructor):
    assert client.get("/teach/questions/new/cloze").status_code == 404


# ---- editing and versions ---------------------------------------------------------------------


def test_the_edit_form_is_filled_from_the_current_version(client, instructor):
    make_question("fill-001", "numeric", actor=instructor)
    page = client.get("/teach/questions/fill-001/edit").get_data(as_text=True)
    assert "answer: 8" in page and "unit: mL" in page and "dose-volume" in page and "ptce-2020:4.2" in page


def test_an_edit_makes_a_new_version_and_an_attempt_keeps_its_own(client, instructor, user_factory):
    question = make_question("edit-001", actor=instructor)
    first = question.current_version_id
    item = make_attempt_item(question, user_factory())
    form = editor_form(question_data("edit-001", stem="Which schedule is hydrocodone in, since 2014?"))
    form["note"] = "clearer stem"
    form["base_version"] = "1"
    assert client.post("/teach/questions/edit-001/edit", data=form).status_code == 302
    db.session.expire_all()
    question = db.session.get(Question, question.id)
    assert question.current_version.number == 2 and question.current_version.note == "clearer stem"
    assert "since 2014" in question.current_version.data["stem"]
    assert db.session.get(AttemptItem, item.id).question_version_id == first


def test_saving_without_a_change_adds_no_version(client, instructor):
    make_question("same-001", actor=instructor)
    form = editor_form(question_data("same-001"))
    form["base_version"] = "1"
    client.post("/teach/questions/same-001/edit", data=form)
    assert _count(QuestionVersion) == 1


def test_the_id_cannot_change_on_edit(client, instructor):
    make_question("keep-001", actor=instructor)
    form = editor_form(question_data("other-001", stem="A new stem?"))
    form["base_version"] = "1"
    client.post("/teach/questions/keep-001/edit", data=form)
    assert _count(Question, Question.uid == "other-001") == 0
    assert db.session.scalar(select(Question).where(Question.uid == "keep-001")).current_version.number == 2


def test_a_save_made_meanwhile_is_reported_and_nothing_is_lost(client, instructor):
    make_question("race-001", actor=instructor)
    form = editor_form(question_data("race-001", stem="My wording?"))
    form["base_version"] = "0"
    response = client.post("/teach/questions/race-001/edit", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "saved by someone else" in page and "My wording?" in page
    assert _count(QuestionVersion) == 1


def test_the_detail_page_lists_versions_with_author_note_and_attempts(client, instructor, user_factory):
    question = make_question("hist-001", actor=instructor)
    make_attempt_item(question, user_factory())
    make_attempt_item(question, user_factory())
    make_question("hist-001", stem="Second wording?")
    page = client.get("/teach/questions/hist-001").get_data(as_text=True)
    assert "Versions" in page and instructor.name in page and "factory" in page
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")
    newest, oldest = rows[1], rows[2]
    assert ">2</a>" in newest and "<td>0</td>" in newest
    assert ">1</a>" in oldest and "<td>2</td>" in oldest


def test_an_old_version_can_be_viewed(client, instructor):
    make_question("old-001", stem="First wording?", actor=instructor)
    make_question("old-001", stem="Second wording?", actor=instructor)
    page = client.get("/teach/questions/old-001/versions/1").get_data(as_text=True)
    assert "First wording?" in page and "Second wording?" not in page


def test_the_diff_shows_removed_and_added_yaml_lines(client, instructor):
    make_question("diff-001", stem="First wording?", actor=instructor)
    make_question("diff-001", stem="Second wording?", actor=instructor)
    page = client.get("/teach/questions/diff-001/diff?from=1&to=2").get_data(as_text=True)
    assert "<del>-stem: First wording?</del>" in page and "<ins>+stem: Second wording?</ins>" in page


def test_an_unknown_version_is_404(client, instructor):
    make_question("v-001", actor=instructor)
    assert client.get("/teach/questions/v-001/versions/9").status_code == 404
    assert client.get("/teach/questions/v-001/diff?from=1&to=9").status_code == 404
    assert client.get("/teach/questions/nothing-here").status_code == 404


# ---- states ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "retired", "published"])
def test_an_instructor_sets_each_state(client, instructor, status):
    make_question("state-001", status="draft" if status == "published" else "published", actor=instructor)
    assert client.post("/teach/questions/state-001/status", data={"status": status}).status_code == 302
    question = db.session.scalar(select(Question).where(Question.uid == "state-001"))
    assert question.status == status and question.current_version.data["status"] == status


def test_a_state_change_is_audited(client, instructor):
    make_question("audit-001", actor=instructor)
    client.post("/teach/questions/audit-001/status", data={"status": "retired"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "question_status_changed"))
    assert (event.actor_id, event.subject, event.details) == (instructor.id, "question:audit-001",
                                                              {"old": "published", "new": "retired"})


def test_an_unknown_state_is_refused(client, instructor):
    make_question("state-002", actor=instructor)
    assert client.post("/teach/questions/state-002/status", data={"status": "deleted"}).status_code == 400


# ---- search and filters ------------------------------------------------------------------------


@pytest.fixture
def bank():
    make_question("calc-a", "numeric", tags=["dose-volume"], blueprint=["ptce-2020:4.2"], difficulty="easy",
                  stem="How many mL of amoxicillin?")
    make_question("law-a", "single_choice", tags=["controlled"], blueprint=["ptce-2020:2.2"], difficulty="hard",
                  stem="Which schedule is hydrocodone in?")
    make_question("safety-a", "true_false", tags=["abbreviations"], blueprint=["ptce-2026:3"], status="draft",
                  stem="Is a trailing zero safe?")


def _listed(client, query: str) -> set[str]:
    page = client.get(f"/teach/questions?{query}").get_data(as_text=True)
    return {uid for uid in ("calc-a", "law-a", "safety-a") if f"<code>{uid}</code>" in page}


@pytest.mark.parametrize(("query", "expected"), [
    ("", {"calc-a", "law-a", "safety-a"}),
    ("q=hydrocodone", {"law-a"}),
    ("q=CALC", {"calc-a"}),
    ("tag=controlled", {"law-a"}),
    ("area=ptce-2020:4.2", {"calc-a"}),
    ("area=ptce-2020:2", {"law-a"}),
    ("area=ptce-2026:3", {"safety-a"}),
    ("type=true_false", {"safety-a"}),
    ("difficulty=easy", {"calc-a"}),
    ("status=draft", {"safety-a"}),
    ("tag=dose-volume&difficulty=hard", set()),
], ids=lambda v: v if isinstance(v, str) else None)
def test_the_bank_is_searched_and_filtered(client, instructor, bank, query, expected):
    assert _listed(client, query) == expected


def test_the_bank_is_paginated(client, instructor):
    for n in range(53):
        make_question(f"page-{n:03d}")
    first = client.get("/teach/questions").get_data(as_text=True)
    second = client.get("/teach/questions?page=2").get_data(as_text=True)
    assert "page-049" in first and "page-050" not in first and "page-050" in second
    assert "53 questions found" in first


def test_a_search_with_like_wildcards_is_taken_literally(client, instructor, bank):
    assert _listed(client, "q=%25") == set()


# ---- export ---------------------------------------------------------------------------------


def test_the_filtered_questions_export_as_bank_yaml(client, instructor, bank):
    response = client.get("/teach/questions/export?format=yaml&tag=controlled")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = yaml.safe_load(response.get_data(as_text=True))
    assert [q["id"] for q in data["questions"]] == ["law-a"]


def test_the_ticked_questions_export_as_gift(client, instructor, bank):
    response = client.get("/teach/questions/export?format=gift&uid=calc-a&uid=law-a")
    text = response.get_data(as_text=True)
    assert "Which schedule is hydrocodone in?" in text and "How many mL of amoxicillin?" in text
    assert "trailing zero" not in text


def test_an_id_that_is_the_address_of_a_bank_page_is_refused(client, instructor):
    response = client.post("/teach/questions/new/true_false", data=editor_form(question_data("export", "true_false")))
    assert response.status_code == 422 and 'id="id-error"' in response.get_data(as_text=True)


def test_a_state_change_is_a_version_made_by_the_instructor(client, instructor):
    make_question("by-001", actor=instructor)
    client.post("/teach/questions/by-001/status", data={"status": "retired"})
    version = db.session.scalar(select(Question).where(Question.uid == "by-001")).current_version
    assert (version.number, version.created_by_id, version.note) == (2, instructor.id, "status: retired")


def test_nested_yaml_aliases_in_the_type_fields_are_refused_beside_the_field(client, instructor):
    form = editor_form(question_data("laughs-001"))
    form["spec"] = "choices: &a\n  - text: a\n    correct: true\nmore: [*a, *a, *a, *a]\n"
    response = client.post("/teach/questions/new/single_choice", data=form)
    error = response.get_data(as_text=True).split('id="spec-error"', 1)[1].split("</ul>", 1)[0]
    assert response.status_code == 422 and "are not allowed" in error


def test_a_calculated_hint_that_misleads_on_some_draw_is_refused_beside_the_explanation(client, instructor):
    form = editor_form(question_data("hint-001", "calculated"))
    form["explanation"] = "A dose smaller than the strength per 5 mL must come out under 5 mL."
    response = client.post("/teach/questions/new/calculated", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "says the answer is under 5 mL, but it is" in page and "a hint must fit every draw" in page
    assert _count(Question) == 0
