"""What an instructor sees first: their cohorts, what falls due soon, and the questions flagged by
item analysis. Shown on the Teach page and, as panels, on the dashboard they land on."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from trainer.services import cohorts, item_analysis
from trainer.services.gradebook import DueSoon, due_soon
from trainer.services.quizzes import when
from trainer.web.main.routes import dashboard_panel

FLAGGED_SHOWN = 8


@dataclass
class InstructorHome:
    """The instructor's cohorts (with learner counts), assignments due soon, and flagged questions."""

    cohorts: list
    counts: dict[int, int]
    due: list[DueSoon]
    flagged: list[tuple[object, object]]  # (quiz overview, question result)
    flagged_total: int


def instructor_home(user) -> InstructorHome:
    """Everything the instructor's home shows, in a fixed number of queries."""
    shown = cohorts.visible_cohorts(user)
    ids = None if user.is_admin else [c.id for c in shown]
    scope = item_analysis.Scope(None if ids is None else tuple(ids), "")
    quiz_ids = item_analysis.assigned_quiz_ids(ids)
    flagged = [
        (overview, result)
        for overview in item_analysis.overview(scope, quiz_ids=quiz_ids)
        for result in overview.flagged
    ]
    return InstructorHome(shown, cohorts.member_count([c.id for c in shown]), due_soon(ids),
                          flagged[:FLAGGED_SHOWN], len(flagged))


@dashboard_panel
def teaching_panel(user) -> dict | None:
    """For instructors: cohorts, due dates and flagged questions, linking to the Teach page."""
    if not user.is_instructor:
        return None
    home = instructor_home(user)
    lines = [{"text": f"{c.name}{' · ' + c.term if c.term else ''}: {home.counts.get(c.id, 0)} learners",
              "url": url_for("teach.cohort", cohort_id=c.id)} for c in home.cohorts[:6]]
    for entry in home.due[:5]:
        lines.append({
            "text": f"Due {when(entry.assignment.due_at)}: {entry.target.title} ({entry.cohort.name}), "
                    f"{entry.not_done} of {entry.learners} not done",
            "url": url_for("teach.assignment", cohort_id=entry.cohort.id, assignment_id=entry.assignment.id),
        })
    for overview, result in home.flagged[:5]:
        lines.append({
            "text": f"Flagged: {result.question.uid} in {overview.quiz.title} — {result.stats.flags[0].message}",
            "url": url_for("teach.analysis_question", uid=result.question.uid),
        })
    return {
        "title": "Teaching",
        "lines": lines,
        "empty": "You have no cohorts yet. Create one and give your learners its code.",
        "link": {"text": "Open Teach", "url": url_for("teach.index")},
    }
