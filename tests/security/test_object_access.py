"""Owners: what one learner or instructor has is closed to another of the same role.

The access matrix settles what each role may do; this table settles whose things they
may do it to. Each entry names a thing, its owner, and the person of the same role who
must not reach it (Lena and Otto are learners, Ines and Ivan instructors; see world.py).
The owner gets `allowed`; the other person gets a 404 (the thing is not theirs to know
about) or a 403 where the page already says the thing exists.

POSTs are sent with a valid CSRF token and the fields given, and are rolled back.
"""

from __future__ import annotations

import pytest

from tests.security.test_access_matrix import LOGIN, Visitors, outcome_of
from tests.security.world import build_world

DENIED = (403, 404)


def _thing(what, method, path, owner, other, allowed, **form):
    return what, method, path, owner, other, allowed, form


OWNED = {
    "quiz attempts": [
    _thing("attempt page", "GET", "/quizzes/attempts/{attempt}", "lena", "otto", 200),
    _thing("attempt answer", "POST", "/quizzes/attempts/{attempt}", "lena", "otto", 302, number="1"),
    _thing("attempt autosave", "POST", "/quizzes/attempts/{attempt}/save", "lena", "otto", 400),
    _thing("attempt submit", "POST", "/quizzes/attempts/{attempt}/submit", "lena", "otto", 302),
    _thing("attempt finish", "GET", "/quizzes/attempts/{attempt}/finish", "lena", "otto", 200),
    _thing("attempt results", "GET", "/quizzes/attempts/{graded_attempt}/results", "lena", "otto", 200),
    _thing("attempt review", "GET", "/quizzes/attempts/{graded_attempt}/review", "lena", "otto", 200),
    _thing("mock exam report", "GET", "/readiness/mock-exams/{mock}/report", "lena", "otto", 200),
    ],
    "CE records, uploads and transcripts": [
    _thing("CE credential", "GET", "/ce/credentials/{credential}", "lena", "otto", 200),
    _thing("CE credential archive", "POST", "/ce/credentials/{credential}/archive", "lena", "otto", 302),
    _thing("CE record correction", "GET", "/ce/record/{record}/correct", "lena", "otto", 200),
    _thing("CE record withdrawal", "POST", "/ce/record/{record}/withdraw", "lena", "otto", 422),
    _thing("CE uploaded certificate", "GET", "/ce/evidence/{evidence}", "lena", "otto", 200),
    _thing("CE certificate of completion", "GET", "/ce/certificates/{credit}.pdf", "lena", "otto", 200),
    _thing("CE transcript PDF", "GET", "/ce/credentials/{credential}/transcript.pdf", "lena", "otto", 200),
    _thing("CE transcript CSV", "GET", "/ce/credentials/{credential}/transcript.csv", "lena", "otto", 200),
    _thing("CE audit pack", "GET", "/ce/credentials/{credential}/audit-pack.zip", "lena", "otto", 200),
    ],
    "cohorts": [
    _thing("cohort page", "GET", "/teach/cohorts/{cohort}", "ines", "ivan", 200),
    _thing("cohort edit", "GET", "/teach/cohorts/{cohort}/edit", "ines", "ivan", 200),
    _thing("cohort rename", "POST", "/teach/cohorts/{cohort}/edit", "ines", "ivan", 302,
           name="Taken over", term="Spring 2026"),
    _thing("cohort join code", "POST", "/teach/cohorts/{cohort}/code", "ines", "ivan", 302),
    _thing("cohort class list", "GET", "/teach/cohorts/{cohort}/class-list", "ines", "ivan", 200),
    _thing("cohort gradebook", "GET", "/teach/cohorts/{cohort}/gradebook", "ines", "ivan", 200),
    _thing("cohort gradebook CSV", "GET", "/teach/cohorts/{cohort}/gradebook.csv", "ines", "ivan", 200),
    _thing("cohort learner", "GET", "/teach/cohorts/{cohort}/learners/{lena}", "ines", "ivan", 200),
    _thing("cohort learner's attempt", "GET", "/teach/cohorts/{cohort}/learners/{lena}/attempts/{graded_attempt}",
           "ines", "ivan", 200),
    _thing("cohort member removal", "POST", "/teach/cohorts/{cohort}/members/{lena}/remove", "ines", "ivan", 302),
    _thing("cohort assignment", "GET", "/teach/cohorts/{cohort}/assignments/{assignment}", "ines", "ivan", 200),
    _thing("cohort assignment delete", "POST", "/teach/cohorts/{cohort}/assignments/{assignment}/delete",
           "ines", "ivan", 302),
    _thing("cohort analysis", "GET", "/teach/analysis?cohort={cohort}", "ines", "ivan", 200),
    ],
    "drafts and authoring: courses, questions, quizzes": [
    _thing("draft course", "GET", "/teach/courses/{draft}", "ines", "ivan", 200),
    _thing("draft course edit", "GET", "/teach/courses/{draft}/edit", "ines", "ivan", 200),
    _thing("draft course preview", "GET", "/teach/courses/{draft}/preview", "ines", "ivan", 200),
    _thing("draft module edit", "GET", "/teach/courses/{draft}/modules/{draft_module_id}", "ines", "ivan", 200),
    _thing("draft module save", "POST", "/teach/courses/{draft}/modules/{draft_module_id}", "ines", "ivan", 200),
    _thing("draft module delete", "POST", "/teach/courses/{draft}/modules/{draft_module_id}/delete",
           "ines", "ivan", 302),
    _thing("draft course publish", "POST", "/teach/courses/{draft}/status", "ines", "ivan", 302,
           status="published"),
    _thing("draft question edit", "GET", "/teach/questions/{draft_question}/edit", "ines", "ivan", 200),
    _thing("draft question save", "POST", "/teach/questions/{draft_question}/edit", "ines", "ivan", 422),
    _thing("draft question publish", "POST", "/teach/questions/{draft_question}/status", "ines", "ivan", 302,
           status="published"),
    _thing("quiz grading queue", "GET", "/teach/quizzes/{quiz}/grading", "ines", "ivan", 200),
    _thing("quiz edit", "GET", "/teach/quizzes/{quiz}/edit", "ines", "ivan", 200),
    _thing("course co-authors", "POST", "/teach/courses/{draft}/authors", "ines", "ivan", 302,
           action="add", email="ivan.instructor@example.org"),
    _thing("draft course copy", "POST", "/teach/courses/{draft}/copy", "ines", "ivan", 302),
    _thing("draft question copy", "POST", "/teach/questions/{draft_question}/copy", "ines", "ivan", 302),
    ],
    "scenario runs": [
    _thing("scenario run", "GET", "/scenarios/runs/{run}", "lena", "otto", 302),
    _thing("scenario step", "GET", "/scenarios/runs/{run}/review", "lena", "otto", 200),
    _thing("scenario step answer", "POST", "/scenarios/runs/{run}/review", "lena", "otto", 422),
    _thing("scenario run finish page", "GET", "/scenarios/runs/{run}/finish", "lena", "otto", 200),
    _thing("scenario run submit", "POST", "/scenarios/runs/{run}/finish", "lena", "otto", 302),
    _thing("scenario debrief", "GET", "/scenarios/runs/{run}/debrief", "lena", "otto", 302),
    ],
}


# Shipped content (no owner: the published course of world.py, its module and its post-test
# quiz): every instructor reads and copies it, only an admin changes it.
SHIPPED = [
    # (what, method, path, instructor's outcome, admin's outcome, form)
    ("shipped course page", "GET", "/teach/courses/{course}", 200, 200, {}),
    ("shipped course edit", "GET", "/teach/courses/{course}/edit", 403, 200, {}),
    ("shipped course status", "POST", "/teach/courses/{course}/status", 403, 302, {"status": "draft"}),
    ("shipped module edit", "GET", "/teach/courses/{course}/modules/{module_id}", 403, 200, {}),
    ("shipped module history", "GET", "/teach/courses/{course}/modules/{module_id}/history", 200, 200, {}),
    ("shipped course co-authors", "POST", "/teach/courses/{course}/authors", 403, 302,
     {"action": "add", "email": "ivan.instructor@example.org"}),
    ("shipped course copy", "POST", "/teach/courses/{course}/copy", 302, 302, {}),
    ("shipped quiz edit", "GET", "/teach/quizzes/{shipped_quiz}/edit", 403, 200, {}),
    ("shipped quiz copy", "POST", "/teach/quizzes/{shipped_quiz}/copy", 302, 302, {}),
    ("shipped question edit", "GET", "/teach/questions/{check}/edit", 403, 200, {}),
    ("shipped question copy", "POST", "/teach/questions/{check}/copy", 302, 302, {}),
]


def test_shipped_content_is_changed_by_an_admin_and_copied_by_instructors(app, world):
    visitors = Visitors(app, world, people=("ines", "ivan", "admin"))
    wrong = []
    for what, method, template, instructor_gets, admin_gets, form in SHIPPED:
        path = template.format(**world.ids)
        data = form if method == "POST" else None
        for person, expected in (("ines", instructor_gets), ("ivan", instructor_gets), ("admin", admin_gets)):
            got = outcome_of(visitors.request(person, method, path, data=data))
            if got != expected:
                wrong.append(f"{what}: {person} got {got} from {method} {path}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def visitors(app, world):
    return Visitors(app, world, people=("lena", "otto", "ines", "ivan"))


@pytest.mark.parametrize("section", OWNED)
def test_the_owner_reaches_it_and_the_other_person_does_not(world, visitors, section):
    wrong = []
    for what, method, template, owner, other, allowed, form in OWNED[section]:
        path = template.format(**world.ids)
        data = form if method == "POST" else None
        got = outcome_of(visitors.request(other, method, path, data=data))
        if got not in DENIED:
            wrong.append(f"{what}: {other} got {got} from {method} {path}, expected one of {DENIED}")
        got = outcome_of(visitors.request(owner, method, path, data=data))
        if got != allowed or got == LOGIN:
            wrong.append(f"{what}: the owner {owner} got {got} from {method} {path}, expected {allowed}")
    assert not wrong, "\n".join(wrong)
