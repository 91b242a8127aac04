"""A small site with one of everything, owned by named people, for the security suites.

Two learners (Lena, who owns the learner-side things, and Otto, who owns nothing of
hers), two instructors (Ines, who owns the teaching-side things, and Ivan, who does not)
and an admin. Every URL parameter of every route has a real row to point at, so the
access matrix asks "who may open this?" and never "does it exist?".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from tests.conftest import DEFAULT_PASSWORD
from tests.factories import ce as ce_make
from tests.factories.courses import make_course
from tests.factories.quizzes import make_question, quiz_of
from tests.factories.teaching import NOW, assign, enrol, make_cohort
from tests.unit.ce.files import pdf_bytes
from trainer.extensions import db
from trainer.models import Attempt, QuizAccommodation, utcnow
from trainer.models.ce import CECertificate
from trainer.models.teaching import AssignmentExtension, CohortInvitation
from trainer.rx.formulary import load_drug_dir
from trainer.services import accounts, assignments, ce_documents, cohorts, drugs, flashcards
from trainer.services.courses import keep_revision
from trainer.services.questions import save_question
from trainer.services.quizzes import start_attempt, submit_attempt

DRUG_DATA = Path(__file__).resolve().parents[2] / "question_bank" / "data"


@dataclass
class World:
    """The people and the ids the matrix fills route parameters from."""

    people: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.ids[name]


def _person(email: str, name: str, role: str):
    user = accounts.create_user(email, name, DEFAULT_PASSWORD, role=role)
    db.session.commit()
    return user


def build_world() -> World:
    """Everything the routes of the site point at, committed (the test rolls it back)."""
    world = World()
    admin = _person("ada.admin@example.org", "Ada Admin", "admin")
    ines = _person("ines.instructor@example.org", "Ines Instructor", "instructor")
    ivan = _person("ivan.instructor@example.org", "Ivan Instructor", "instructor")
    lena = _person("lena.learner@example.org", "Lena Learner", "learner")
    otto = _person("otto.learner@example.org", "Otto Learner", "learner")
    world.people = {"admin": admin, "ines": ines, "ivan": ivan, "lena": lena, "otto": otto}

    # A published course with modules, knowledge checks and a post-test (the learner side),
    # and a draft course of Ines's (the authoring side).
    course = make_course("sec-course", title="Security course", modules=2)
    module = course.modules[0]
    draft = make_course("sec-draft", title="Ines's draft", modules=1, status="draft", post_test=False)
    draft.created_by_id = draft.owner_id = ines.id
    draft_module = draft.modules[0]
    keep_revision(draft_module, actor=ines)
    draft_module.version += 1
    shipped = load_drug_dir(DRUG_DATA)
    drugs.save_drug(shipped.drugs["amoxicillin"], "question_bank/data/test.yaml")

    # Ines's published quiz with an essay waiting for a grade, her draft question, a deck.
    choice = make_question("sec-choice", "single_choice")
    essay, _ = save_question({
        "id": "sec-essay", "type": "essay", "stem": "Why is amoxicillin suspension refrigerated?",
        "rubric": "Potency and the 14-day discard date.", "tags": ["sec"], "difficulty": "medium",
        "blueprint": ["ptce-2020:1.1"], "references": ["tests"],
    }, source="tests", actor=ines)
    for question in (choice, essay):
        question.created_by_id = question.owner_id = ines.id
    quiz = quiz_of([choice, essay], "sec-quiz")
    quiz.created_by_id = quiz.owner_id = ines.id
    draft_question = make_question("sec-draft-q", "true_false", status="draft")
    draft_question.created_by_id = draft_question.owner_id = ines.id
    deck, problems = flashcards.save_deck(slug="sec-deck", title="Ines's deck", description="",
                                          blueprint=[], cards_text="bid :: twice a day", actor=ines)
    assert problems == [], problems
    db.session.commit()

    # Lena: a submitted attempt with an essay waiting for a grade, one in progress, a mock exam.
    graded = start_attempt(lena, quiz)
    for item in graded.items:
        if item.instance["type"] == "essay":
            item.response, item.answered_at = "It loses potency.", NOW
    submit_attempt(graded)
    db.session.commit()
    essay_item = next(item for item in graded.items if item.instance["type"] == "essay")
    open_attempt = start_attempt(lena, quiz)
    db.session.commit()
    mock = Attempt(user_id=lena.id, kind="mock_exam", status="submitted", seed=3, settings={},
                   started_at=NOW - timedelta(hours=2), submitted_at=NOW - timedelta(hours=1),
                   score=Decimal(0), max_score=Decimal(0), percent=Decimal(0), passed=False)
    db.session.add(mock)
    db.session.commit()

    # Lena's CE: a credential, an entry with an uploaded certificate, a course credit (which
    # gets a certificate of completion), a calendar feed.
    today = utcnow().date()
    credential = ce_make.credential(lena, expires=today + timedelta(days=400))
    evidence, problems = ce_documents.store_evidence(lena, pdf_bytes(), "lena.pdf")
    assert problems == []
    record = ce_make.entry(lena, title="Lena's law course", evidence=evidence,
                           completed=today - timedelta(days=3), today=today)
    credit = ce_make.course_credit(lena, course)
    feed_token = ce_documents.new_feed(lena)
    db.session.commit()
    certificate = db.session.scalar(select(CECertificate).where(CECertificate.credit_id == credit.id))

    # Ines's cohort: Lena enrolled, an assignment with an extension, an invitation.
    cohort = make_cohort(ines, "Ines's evening class")
    enrol(cohort, [lena])
    assignment = assign(cohort, "quiz", quiz.id)
    assert assignments.grant_extension(assignment, lena, NOW + timedelta(days=30), actor=ines) == []
    db.session.flush()
    extension = db.session.scalar(select(AssignmentExtension))
    invitation = CohortInvitation(cohort_id=cohort.id, email="newcomer@example.org", created_by_id=ines.id)
    db.session.add(invitation)
    db.session.commit()
    accommodation = QuizAccommodation(quiz_id=quiz.id, user_id=lena.id, extra_minutes=15,
                                      granted_by_id=ines.id)
    db.session.add(accommodation)
    db.session.commit()

    # A published scenario and Lena's practice run in it (the simulator's side).
    from tests.factories.scenarios import add_scenarios
    from trainer.services import scenarios as scenario_runs

    scenario = next(iter(add_scenarios().values()))
    run = scenario_runs.start_run(lena, scenario, "practice")
    db.session.commit()

    world.ids = {
        "admin": admin.id, "ines": ines.id, "ivan": ivan.id, "lena": lena.id, "otto": otto.id,
        "course": course.slug, "module": module.slug, "module_id": module.id,
        "check": module.checks[0], "shipped_quiz": course.post_test.slug, "draft": draft.slug, "draft_module_id": draft_module.id,
        "quiz": quiz.slug, "question": choice.uid, "draft_question": draft_question.uid,
        "essay_item": essay_item.id, "deck": deck.slug,
        "attempt": open_attempt.id, "graded_attempt": graded.id, "mock": mock.id,
        "credential": credential.id, "evidence": evidence.id, "record": record.id,
        "credit": credit.id, "certificate": certificate.id, "certificate_code": certificate.code, "feed_token": feed_token,
        "cohort": cohort.id, "assignment": assignment.id, "extension": extension.id,
        "invitation": invitation.id, "invitation_token": cohorts.invitation_token(invitation),
        "join_code": cohort.join_code, "accommodation": accommodation.id,
        "reset_token": accounts.make_reset_token(otto),
        "scenario": scenario.slug, "run": run.id,
    }
    return world
