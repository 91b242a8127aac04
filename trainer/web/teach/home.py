"""What an instructor sees first: their cohorts, what falls due soon and what is past due, essays to
grade, their drafts and the questions flagged by item analysis. Shown on the teaching home that
instructors and admins land on, and as a panel on their own learning dashboard."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from flask import current_app, url_for

from trainer.services import cohorts, item_analysis
from trainer.services.gradebook import DueSoon, behind, due_soon
from trainer.services.quizzes import when
from trainer.services.workbench import (
    Drafts,
    GradingQueue,
    SiteCounts,
    drafts_of,
    grading_queues,
    site_counts,
)
from trainer.web.main.routes import dashboard_panel

FLAGGED_SHOWN = 8


@dataclass
class InstructorHome:
    """The instructor's cohorts (with learner counts), assignments due soon and behind, and flagged questions."""

    cohorts: list
    counts: dict[int, int]
    due: list[DueSoon]
    flagged: list[FlaggedItem]
    flagged_total: int
    behind: list[DueSoon] = field(default_factory=list)


@dataclass
class Workbench:
    """The teaching home: the instructor's classes, what waits for them, and for an admin the site."""

    home: InstructorHome
    grading: list[GradingQueue]
    drafts: Drafts
    site: SiteCounts | None


@dataclass(frozen=True)
class FlaggedItem:
    """A question item analysis flags, in the quiz that asked it (plain data: it is cached)."""

    uid: str
    quiz_title: str
    messages: tuple[str, ...]


def instructor_home(user, *, with_behind: bool = False) -> InstructorHome:
    """Everything the instructor's home shows, in a fixed number of queries."""
    shown = cohorts.visible_cohorts(user)
    ids = None if user.is_admin else [c.id for c in shown]
    flagged = _flagged(ids)
    return InstructorHome(shown, cohorts.member_count([c.id for c in shown]), due_soon(ids),
                          flagged[:FLAGGED_SHOWN], len(flagged), behind(ids) if with_behind else [])


def workbench(user) -> Workbench:
    """The teaching home for an instructor, with the site's counts for an admin."""
    return Workbench(instructor_home(user, with_behind=True), grading_queues(user), drafts_of(user),
                     site_counts() if user.is_admin else None)


_FLAG_CACHE_SIZE = 64


def _flagged(cohort_ids: list[int] | None) -> list[FlaggedItem]:
    """The flagged questions of the quizzes assigned to these cohorts, from their learners' first attempts.

    The analysis reads every response, which a large class makes heavy for a page opened
    as often as the home. It is kept (per process) until a new attempt closes or a
    question is regraded, which the key below notices in one small query.
    """
    scope = item_analysis.Scope(None if cohort_ids is None else tuple(cohort_ids), "")
    quiz_ids = item_analysis.assigned_quiz_ids(cohort_ids)
    if scope.empty or not quiz_ids:
        return []
    key = (scope.cohort_ids, tuple(sorted(quiz_ids)), item_analysis.responses_version(scope, quiz_ids))
    cache: OrderedDict = current_app.extensions.setdefault("teaching_flagged", OrderedDict())
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    flagged = [
        FlaggedItem(result.question.uid, overview.quiz.title, tuple(flag.message for flag in result.stats.flags))
        for overview in item_analysis.overview(scope, quiz_ids=quiz_ids)
        for result in overview.flagged
    ]
    cache[key] = flagged
    while len(cache) > _FLAG_CACHE_SIZE:
        cache.popitem(last=False)
    return flagged


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
    for item in home.flagged[:5]:
        lines.append({
            "text": f"Flagged: {item.uid} in {item.quiz_title} — {item.messages[0]}",
            "url": url_for("teach.analysis_question", uid=item.uid),
        })
    return {
        "title": "Teaching",
        "lines": lines,
        "empty": "You have no cohorts yet. Create one and give your learners its code.",
        "link": {"text": "Open Teach", "url": url_for("teach.index")},
    }
