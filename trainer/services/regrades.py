"""Regrading: rebuilding stored items from a question's current version and rescoring them.

For when a question's key was wrong. Each stored item is rebuilt with its own seed, so
the learner's numbers stay; the stored answer is carried over and graded again. A plan
is computed first and written only on request (`flask trainer regrade` previews it), and
the write is logged as a Regrade row and an audit event: awarded scores never change
silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer.extensions import db
from trainer.models import Attempt, AttemptItem, AuditEvent, Question, Regrade, utcnow
from trainer.questions import (
    GenerationFailed,
    GradeResult,
    generate_question,
    get_type,
    grade_response,
)
from trainer.questions.four_options import PRESENTATION as FOUR_OPTIONS
from trainer.questions.four_options import NotFourOptions, exam_instance
from trainer.questions.question import public_question_view
from trainer.services.attempts import (
    CLOSED,
    awaits_grading,
    finalise_scores,
    grade_item,
    item_seed,
    render_markdown,
    score_totals,
)
from trainer.services.mastery import regrade_evidence


@dataclass
class ItemRegrade:
    """One stored item rebuilt from the question's current version."""

    item: AttemptItem
    instance: dict
    response: object
    old_score: Decimal | None
    new_score: Decimal | None
    shown_differently: bool


@dataclass
class AttemptRegrade:
    """How one attempt's score changes."""

    attempt: Attempt
    old_score: Decimal | None
    new_score: Decimal | None
    old_percent: Decimal | None
    new_percent: Decimal | None
    old_passed: bool | None
    new_passed: bool | None

    @property
    def changed(self) -> bool:
        return (self.old_score, self.old_passed) != (self.new_score, self.new_passed)


@dataclass
class RegradePlan:
    """What regrading a question would change; nothing is written until apply_regrade."""

    question: Question
    items: list[ItemRegrade] = field(default_factory=list)
    attempts: list[AttemptRegrade] = field(default_factory=list)
    # items the current version cannot rebuild with their seed: left as they are
    unbuildable: list[AttemptItem] = field(default_factory=list)

    @property
    def changed_attempts(self) -> list[AttemptRegrade]:
        return [a for a in self.attempts if a.changed]

    @property
    def changed_items(self) -> list[ItemRegrade]:
        return [i for i in self.items if i.old_score != i.new_score]

    @property
    def shown_differently(self) -> int:
        """Items whose rebuilt question would look different from what the learner saw."""
        return sum(1 for i in self.items if i.shown_differently)


def _carry_response(old: dict, new: dict, response):
    """Map a choice answer onto the rebuilt instance by the choices' place in the file."""
    if "choices" not in old or "choices" not in new:
        return response
    source_of = {c["id"]: c.get("source") for c in old["choices"]}
    shown_as = {c.get("source"): c["id"] for c in new["choices"]}

    def carry(choice_id):
        return shown_as.get(source_of.get(choice_id), choice_id) if isinstance(choice_id, str) else choice_id

    if isinstance(response, str):
        return carry(response)
    if isinstance(response, list):
        return [carry(choice_id) for choice_id in response]
    return response


def _score(result: GradeResult) -> Decimal:
    return Decimal(str(round(result.score, 4))).quantize(Decimal("0.0001"))


def plan_regrade(question: Question) -> RegradePlan:
    """Rebuild every stored item of `question` from its current version with the item's own seed
    and regrade the stored answers, without writing anything."""
    plan = RegradePlan(question)
    version = question.current_version
    items = list(db.session.scalars(
        select(AttemptItem).where(AttemptItem.question_id == question.id)
        .options(joinedload(AttemptItem.attempt).selectinload(Attempt.items),
                 joinedload(AttemptItem.attempt).joinedload(Attempt.user))
        .order_by(AttemptItem.attempt_id, AttemptItem.position)
    ))
    new_scores: dict[int, Decimal] = {}
    for item in items:
        attempt = item.attempt
        seed = item.instance.get("seed")
        if not isinstance(seed, int):
            seed = item_seed(attempt.seed, item.position)
        shuffle = bool((attempt.settings or {}).get("shuffle_choices", True))
        try:
            if item.instance.get("presented_as") == FOUR_OPTIONS:
                instance = exam_instance(version.data, seed, shuffle_choices=shuffle)
            else:
                instance = generate_question(version.data, seed, shuffle_choices=shuffle)
        except (GenerationFailed, NotFourOptions):
            plan.unbuildable.append(item)
            continue
        response = _carry_response(item.instance, instance, item.response)
        new_score = _score(grade_response(instance, response)) if item.graded_at is not None else None
        if get_type(instance["type"]).graded_by_hand or awaits_grading(item):
            # an instructor's score (or the wait for one) is not the machine's to change
            new_score = None
        plan.items.append(ItemRegrade(
            item, instance, response, item.score, new_score,
            public_question_view(item.instance) != public_question_view(instance),
        ))
        if new_score is not None:
            new_scores[item.id] = new_score
    seen: set[int] = set()
    for entry in plan.items:
        attempt = entry.item.attempt
        if attempt.id in seen or attempt.score is None:
            continue
        seen.add(attempt.id)
        points, possible, pending = score_totals(attempt, new_scores)
        percent = (points * 100 / possible).quantize(Decimal("0.01")) if possible else Decimal("0.00")
        passed = attempt.passed
        if attempt.kind == "quiz" and attempt.status in CLOSED and not pending:
            pass_mark = Decimal(str(attempt.settings.get("pass_mark", 80)))
            passed = bool(possible) and points * 100 >= pass_mark * possible
        plan.attempts.append(AttemptRegrade(
            attempt, attempt.score, points, attempt.percent, percent, attempt.passed, passed,
        ))
    return plan


def apply_regrade(plan: RegradePlan, *, actor=None, now: datetime | None = None) -> Regrade:
    """Write a planned regrade: new instances and grades, attempt scores, a Regrade row and an audit event."""
    now = now if now is not None else utcnow()
    question = plan.question
    version = question.current_version
    changes = []
    before = {a.attempt.id: a for a in plan.attempts}
    for entry in plan.items:
        item = entry.item
        item.instance = entry.instance
        item.question_version_id = version.id
        item.stem_html = render_markdown(entry.instance.get("stem", ""))
        item.explanation_html = render_markdown(entry.instance.get("explanation", ""))
        if item.graded_at is not None:
            item.response = entry.response
            grade_item(item, use_stored=True)
            item.graded_at = now
        if entry.old_score != entry.new_score:
            attempt_change = before.get(item.attempt_id)
            changes.append({
                "attempt_item_id": item.id,
                "attempt_id": item.attempt_id,
                "user_id": item.attempt.user_id,
                "old_score": _text(entry.old_score),
                "new_score": _text(entry.new_score),
                "old_percent": _text(attempt_change.old_percent) if attempt_change else None,
                "new_percent": _text(attempt_change.new_percent) if attempt_change else None,
            })
    for change in plan.attempts:
        attempt = change.attempt
        if attempt.kind != "module_check" and attempt.status not in CLOSED:
            continue  # an open attempt is scored when it closes
        finalise_scores(attempt)
        if attempt.kind == "module_check":
            attempt.passed = None
    # the learners' mastery was counted with the old grades
    regrade_evidence([
        (entry.item.id, entry.item.attempt.user_id, entry.new_score)
        for entry in plan.items if entry.old_score != entry.new_score
    ])
    regrade = Regrade(
        question_id=question.id, to_version_id=version.id, performed_at=now,
        performed_by_id=getattr(actor, "id", None), changes=changes,
    )
    db.session.add(regrade)
    AuditEvent.record(
        "question_regraded", subject=question.uid, actor=actor, version=version.number,
        items=len(plan.items), items_changed=len(changes), attempts_changed=len(plan.changed_attempts),
    )
    db.session.flush()
    return regrade


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")
