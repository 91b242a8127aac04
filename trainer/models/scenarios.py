"""Prescription-processing scenarios and learners' runs through them.

A scenario is stored as the plain data its file (or the browser form) gave, checked by
the rules core (trainer.rx.scenarios) before it is saved. A run keeps its own copy of
the scenario it was started on (`ScenarioRun.spec`), so re-importing or editing a
scenario later never changes what a learner was shown or how they were graded, and a
generated scenario (the "random scenario" button) needs no row of its own.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.models.base import UTCDateTime, utcnow

SCENARIO_KINDS = ("dispense", "validation")
SCENARIO_STATUSES = ("draft", "published", "retired")
RUN_MODES = ("practice", "assessed")
RUN_STATUSES = ("in_progress", "submitted")


class Scenario(db.Model):
    """One scenario as imported from question_bank/scenarios or written in the browser."""

    __tablename__ = "scenarios"
    __table_args__ = (
        CheckConstraint(f"kind IN {SCENARIO_KINDS}", name="kind"),
        CheckConstraint(f"status IN {SCENARIO_STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The scenario's own id in its file (`id:`), stable across edits.
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="dispense")
    status: Mapped[str] = mapped_column(String(20), default="published", index=True)
    # sha256 of the canonical JSON of `spec`: an import that changes nothing writes nothing.
    version_hash: Mapped[str] = mapped_column(String(64))
    spec: Mapped[dict] = mapped_column(JSON)
    # Exam outline codes ("ptce-2020:4.2") a run counts towards (readiness mastery).
    blueprint: Mapped[list] = mapped_column(JSON, default=list)
    # Where it came from: "question_bank/scenarios/refills.yaml" or "browser".
    source: Mapped[str] = mapped_column(String(200), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    author = relationship("User")


class ScenarioRun(db.Model):
    """A learner's run through one scenario: stored like a quiz attempt (seeded, resumable, owned)."""

    __tablename__ = "scenario_runs"
    __table_args__ = (
        CheckConstraint(f"mode IN {RUN_MODES}", name="mode"),
        CheckConstraint(f"status IN {RUN_STATUSES}", name="status"),
        CheckConstraint(f"kind IN {SCENARIO_KINDS}", name="kind"),
        Index("ix_scenario_runs_user_scenario", "user_id", "scenario_id"),
        Index("ix_scenario_runs_user_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Null for a generated scenario; RESTRICT so a scenario with runs is retired, not deleted.
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenarios.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="dispense")
    mode: Mapped[str] = mapped_column(String(20), default="practice")
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    seed: Mapped[int] = mapped_column(Integer)
    version_hash: Mapped[str] = mapped_column(String(64), default="")
    # The scenario as it was when the run started, key included: never sent to the
    # browser before the run is submitted.
    spec: Mapped[dict] = mapped_column(JSON)
    blueprint: Mapped[list] = mapped_column(JSON, default=list)
    # 0-based index of the step the learner is on (len(steps) once every step is answered).
    current_step: Mapped[int] = mapped_column(Integer, default=0)
    # {step name: {"response": {...}, "tries": n, "score": 0..1, "rows": [...], ...}}
    state: Mapped[dict] = mapped_column(JSON, default=dict)
    score: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))  # 0..1
    percent: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")

    scenario = relationship("Scenario")
    user = relationship("User")
