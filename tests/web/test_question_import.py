"""The one import page: every format, a preview that saves nothing, then a confirmed, all-or-nothing import."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories.bank import make_question
from trainer.extensions import db
from trainer.models import AuditEvent, PendingImport, Question, QuestionVersion

FIXTURES = Path(__file__).resolve().parents[1] / "unit" / "questions" / "fixtures"

GOOD = """$CATEGORY: $course$/top/Statins

::Lipitor generic::What is the generic name of Lipitor? {=atorvastatin =atorvastatin calcium ####Lipitor is atorvastatin.}

::Schedule::Which schedule is hydrocodone/APAP in? {=Schedule II ~Schedule III ~Schedule IV ####Rescheduled in 2014.}

::TF::A trailing zero is safe. {F ####It can be misread as ten times the dose.}
"""

# the third question (line 5) never closes its answers
ONE_BROKEN = """::Lipitor generic::What is the generic name of Lipitor? {=atorvastatin ####Lipitor is atorvastatin.}

::Schedule::Which schedule is hydrocodone/APAP in? {=Schedule II ~Schedule III ####Rescheduled in 2014.}

::Broken::This one has no closing brace {=yes ~no

::TF::A trailing zero is safe. {F ####It can be misread.}
"""

AIKEN = "Which schedule is hydrocodone/APAP in?\nA. Schedule II\nB. Schedule III\nANSWER: A\n"

DEFAULTS = {
    "tags": "statins, top-drugs",
    "difficulty": "easy",
    "blueprint": "ptce-2020:1.1",
    "references": "FDA Orange Book",
    "status": "draft",
    "id_prefix": "",
}


def _questions() -> int:
    return db.session.scalar(select(func.count()).select_from(Question))


def _preview(client, text: str | None = None, *, file: tuple[bytes, str] | None = None, **fields):
    data = {**DEFAULTS, **fields}
    if file is not None:
        data["file"] = (io.BytesIO(file[0]), file[1])
        return client.post("/teach/questions/import", data=data, content_type="multipart/form-data")
    return client.post("/teach/questions/import", data={"text": text, **data})


def _token(page: str) -> str:
    match = re.search(r'name="token" value="([^"]*)"', page)
    return match.group(1) if match else ""


def _confirm(client, text: str | None = None, *, file=None, skip_invalid: bool = False, **fields):
    page = _preview(client, text, file=file, **fields).get_data(as_text=True)
    data = {**DEFAULTS, **fields, "token": _token(page)}
    if skip_invalid:
        data["skip_invalid"] = "y"
    return client.post("/teach/questions/import/confirm", data=data)


def _canvas_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("g1/g1.xml", (FIXTURES / "canvas" / "quiz.xml").read_bytes())
    return buffer.getvalue()


# ---- the preview ----------------------------------------------------------------------------


def test_the_preview_lists_each_question_and_what_import_would_do_and_saves_nothing(client, instructor):
    response = _preview(client, GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing is saved yet" in page and "3 valid questions: 3 to create" in page
    assert "Read as <strong>GIFT (Moodle)</strong> (detected)" in page
    for uid in ("lipitor-generic", "schedule", "tf"):
        assert f"<code>{uid}</code>" in page
    assert _questions() == 0


def test_the_preview_lists_problems_per_question_with_line_numbers(client, instructor):
    page = _preview(client, ONE_BROKEN).get_data(as_text=True)
    problems = page.split('id="problems-heading"', 1)[1].split("</table>", 1)[0]
    assert "<td>5</td><td>Broken</td>" in problems and "not closed" in problems
    assert "1 question has problems" in page
    assert _questions() == 0


@pytest.mark.parametrize(
    ("upload", "label", "count"),
    [
        (((FIXTURES / "moodle_export.xml").read_bytes(), "export.xml"), "Moodle XML", 10),
        ((AIKEN.encode(), "week3.txt"), "Aiken", 1),
        ((_canvas_zip(), "canvas-export.zip"), "Canvas QTI 1.2 (.zip)", 8),
    ],
    ids=["moodle-xml", "aiken", "canvas-qti"],
)
def test_each_format_is_detected_and_previewed(client, instructor, upload, label, count):
    page = _preview(client, file=upload).get_data(as_text=True)
    assert f"Read as <strong>{label}</strong> (detected)" in page
    assert f"{count} valid question" in page
    assert _questions() == 0


def test_a_chosen_format_overrides_detection(client, instructor):
    page = _preview(client, AIKEN, format="gift").get_data(as_text=True)
    assert "Read as <strong>GIFT (Moodle)</strong>." in page


def test_problems_in_moodle_xml_name_the_element(client, instructor):
    page = _preview(client, file=((FIXTURES / "moodle_export.xml").read_bytes(), "export.xml")).get_data(as_text=True)
    assert "question 11 “Cloze” &lt;question type=&#34;multianswer&#34;&gt;" in page


def test_a_problem_in_the_third_moodle_question_names_its_line(client, instructor):
    from tests.unit.questions.moodle_lines import DOSAGE_3_LINE, THREE_DOSAGES

    page = _preview(client, file=(THREE_DOSAGES.encode(), "dosage.xml")).get_data(as_text=True)
    assert f"line {DOSAGE_3_LINE}, question 3 “Dosage 3” &lt;question type=&#34;numerical&#34;&gt;: " in page
    assert f"<tr><td>{DOSAGE_3_LINE}</td><td>Dosage 3</td>" in page  # the table's line column too
    assert _questions() == 0


def test_notes_say_what_changed_on_the_way(client, instructor):
    page = _preview(client, file=((FIXTURES / "moodle_export.xml").read_bytes(), "export.xml")).get_data(as_text=True)
    assert "Imported with changes" in page and "the wildcard {V} is called v here" in page


def test_a_question_without_general_feedback_is_shown_as_a_draft_that_needs_an_explanation(client, instructor):
    page = _preview(client, "::Bare::What is the generic name of Zocor? {=simvastatin}\n", status="published").get_data(as_text=True)
    assert "draft: needs an explanation" in page
    assert "1 without general feedback will be drafts that need an explanation" in page


def test_the_preview_carries_only_a_token_for_the_kept_upload(client, instructor):
    page = _preview(client, GOOD).get_data(as_text=True)
    assert _token(page) and 'name="text"' not in page.split('class="gift-confirm"', 1)[1]
    pending = db.session.scalar(select(PendingImport))
    assert pending.token == _token(page) and pending.data == GOOD.encode()


# ---- refused uploads ------------------------------------------------------------------------


def test_a_file_that_is_not_text_is_refused_beside_the_file_input(client, instructor):
    response = _preview(client, file=("caf\xe9 {=T}".encode("latin-1"), "old.gift"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="file-error"' in page and "not text (UTF-8)" in page


def test_an_empty_upload_is_refused(client, instructor):
    response = _preview(client, "   ")
    assert response.status_code == 422 and 'id="text-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa">]><quiz>&a;</quiz>', "declares a DTD or entities"),
        (b"<quiz><question></quiz>", "not well-formed XML"),
        (bytes(range(256)) * 20, "not text (UTF-8)"),
    ],
    ids=["xml-bomb", "malformed-xml", "binary-junk"],
)
def test_hostile_files_give_a_clear_error_and_save_nothing(client, instructor, data, message):
    response = _preview(client, file=(data, "hostile.xml"))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _questions() == 0 and db.session.scalar(select(func.count()).select_from(PendingImport)) == 0


def test_a_zip_slip_package_saves_nothing(client, instructor):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../evil.xml", (FIXTURES / "canvas" / "quiz.xml").read_bytes())
    response = _preview(client, file=(buffer.getvalue(), "canvas.zip"))
    assert response.status_code == 422 and "leaves the package" in response.get_data(as_text=True)
    assert _questions() == 0


def test_a_fifty_megabyte_upload_is_refused_with_a_page_not_a_stack_trace(client, instructor):
    response = _preview(client, file=(b"x" * (50 * 1024 * 1024), "huge.gift"))
    assert response.status_code == 413
    assert "That upload is too large" in response.get_data(as_text=True)
    assert _questions() == 0


def test_the_defaults_the_file_cannot_carry_are_required_and_checked(client, instructor):
    response = _preview(client, GOOD, tags="", blueprint="ptce-2020:9.9", references="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="tags-error"' in page and 'id="blueprint-error"' in page and 'id="references-error"' in page


# ---- confirming -----------------------------------------------------------------------------


def test_confirm_saves_every_question_in_one_go_with_the_defaults(client, instructor):
    response = _confirm(client, GOOD)
    assert response.status_code == 302
    saved = {q.uid: q for q in db.session.scalars(select(Question))}
    assert set(saved) == {"lipitor-generic", "schedule", "tf"}
    tf = saved["tf"]
    assert tf.status == "draft" and tf.difficulty == "easy" and tf.source == "gift:pasted.txt"
    assert tf.data["blueprint"] == ["ptce-2020:1.1"] and tf.data["references"] == ["FDA Orange Book"]
    assert tf.current_version.created_by_id == instructor.id
    assert db.session.scalar(select(func.count()).select_from(PendingImport)) == 0


def test_confirm_is_audited(client, instructor):
    _confirm(client, file=(GOOD.encode(), "statins.gift"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "questions_imported"))
    assert event.subject == "gift:statins.gift" and event.details["created"] == 3


def test_a_file_with_problems_saves_nothing_unless_the_instructor_ticks_import_the_valid_ones(client, instructor):
    response = _confirm(client, ONE_BROKEN)
    assert response.status_code == 422 and "tick the box" in response.get_data(as_text=True)
    assert _questions() == 0


def test_ticking_imports_only_the_valid_questions(client, instructor):
    page = _preview(client, ONE_BROKEN).get_data(as_text=True)
    assert "Import the 3 valid questions and leave out the 1 with problems" in page
    assert _confirm(client, ONE_BROKEN, skip_invalid=True).status_code == 302
    assert set(db.session.scalars(select(Question.uid))) == {"lipitor-generic", "schedule", "tf"}


def test_a_token_of_another_user_imports_nothing(client, auth, user_factory):
    auth.login("instructor")
    token = _token(_preview(client, GOOD).get_data(as_text=True))
    auth.logout()
    auth.login(user_factory(role="instructor", email="other@example.org"))
    response = client.post("/teach/questions/import/confirm", data={**DEFAULTS, "token": token})
    assert response.status_code == 302 and _questions() == 0


def test_every_format_imports(client, instructor):
    _confirm(client, file=((FIXTURES / "moodle_export.xml").read_bytes(), "export.xml"), skip_invalid=True)
    _confirm(client, file=(_canvas_zip(), "canvas.zip"), skip_invalid=True, id_prefix="canvas-")
    _confirm(client, file=(AIKEN.encode(), "aiken.txt"), id_prefix="aiken-")
    types = set(db.session.scalars(select(Question.type)))
    assert types == {"single_choice", "multiple_response", "true_false", "short_answer", "numeric",
                     "matching", "essay", "description", "calculated"}


def test_an_existing_question_is_shown_as_an_update_and_gets_a_new_version(client, instructor):
    make_question("tf", "true_false", actor=instructor)  # theirs: shipped ones are refused (test_teach_course_copy)
    assert "1 to update" in _preview(client, GOOD).get_data(as_text=True)
    _confirm(client, GOOD)
    question = db.session.scalar(select(Question).where(Question.uid == "tf"))
    assert question.current_version.number == 2


def test_an_unchanged_question_is_not_saved_again(client, instructor):
    _confirm(client, GOOD)
    _confirm(client, GOOD)
    assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 3


def test_change_the_upload_returns_to_the_form_with_the_file_kept(client, instructor):
    token = _token(_preview(client, GOOD).get_data(as_text=True))
    page = client.post("/teach/questions/import", data={**DEFAULTS, "token": token, "op": "edit"}).get_data(as_text=True)
    assert "The file you checked is kept" in page and 'value="statins, top-drugs"' in page
    again = client.post("/teach/questions/import", data={**DEFAULTS, "token": token, "tags": "other"})
    assert "3 valid questions" in again.get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["gift", "moodle_xml"])
def test_an_export_imports_again_unchanged(client, instructor, fmt):
    make_question("round-trip", "single_choice", tags=["controlled"], blueprint=["ptce-2020:2.2"])
    body = client.get(f"/teach/questions/export?format={fmt}&uid=round-trip").get_data()
    _confirm(client, file=(body, "export"))
    assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 1


def test_aiken_export_holds_single_choice_questions(client, instructor):
    make_question("aiken-one", "single_choice")
    body = client.get("/teach/questions/export?format=aiken&uid=aiken-one").get_data(as_text=True)
    assert "A. Schedule II" in body and "ANSWER: A" in body


# ---- needs an explanation -------------------------------------------------------------------


def test_imported_drafts_without_an_explanation_have_their_own_filter(client, instructor):
    response = _confirm(client, "::Bare::What is the generic name of Zocor? {=simvastatin}\n\n" + GOOD, status="published")
    assert response.status_code == 302 and "needs=explanation" in response.location
    bare = db.session.scalar(select(Question).where(Question.uid == "bare"))
    assert (bare.status, bare.needs_explanation) == ("draft", True)
    page = client.get("/teach/questions?needs=explanation").get_data(as_text=True)
    assert "<code>bare</code>" in page and "<code>tf</code>" not in page
    assert "1 question found" in page


def test_publishing_still_requires_an_explanation(client, instructor):
    _confirm(client, "::Bare::What is the generic name of Zocor? {=simvastatin}\n")
    response = client.post("/teach/questions/bare/status", data={"status": "published"})
    assert response.status_code == 302
    follow = client.get(response.location).get_data(as_text=True)
    assert "needs an explanation before it can be published" in follow
    assert db.session.scalar(select(Question.status).where(Question.uid == "bare")) == "draft"
