"""The prescription-processing simulator on stored data: scenarios, runs, steps, debriefs.

A scenario is stored as the plain data of its file (`Scenario.spec`); the rules core
(trainer.rx.scenarios) reads that data into its records and grades every step. A run
keeps its own copy of the data it started on, so it can always be replayed and graded
the same way, and the key never leaves the server before the run is submitted.

Steps are graded when they are answered and the grade is stored on the run (its
`state`), so the debrief reads what was awarded, never a recomputation. Practice mode
lets a learner answer an earlier step again; assessed mode does not. Finishing a run is
one conditional UPDATE (`status = 'in_progress'` → `'submitted'`), so two finishes at
once count once on SQLite and on PostgreSQL alike, and only the one that changed the row
records mastery evidence.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import bindparam, select, update

from trainer.extensions import db
from trainer.models import AuditEvent, Scenario, ScenarioRun, User, utcnow
from trainer.services import scenario_core as core
from trainer.services.assignments import AssignmentKind, Target, register_kind
from trainer.services.attempts import new_seed
from trainer.services.mastery import Evidence, record_evidence
from trainer.teaching.gradebook import Work

STEP_TITLES = {
    "review": "Review the prescription",
    "entry": "Enter the prescription",
    "product": "Select the product",
    "claim": "Submit the claim",
    "label": "Check the label",
    "validation": "Pharmacist check",
}
MODES = ("practice", "assessed")


class RunRefused(Exception):
    """A change to a run that its mode or state does not allow, with a message for the learner."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def spec_hash(spec: dict) -> str:
    """A stable fingerprint of a scenario's data (an import that changes nothing writes nothing)."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---- the scenarios --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioRow:
    """One scenario as the list shows it."""

    id: int
    slug: str
    title: str
    kind: str
    summary: str
    tags: tuple[str, ...]


def published_scenarios() -> list[ScenarioRow]:
    """The scenarios learners may play, dispensing first, by title (one query)."""
    rows = db.session.execute(
        select(Scenario.id, Scenario.slug, Scenario.title, Scenario.kind, Scenario.spec)
        .where(Scenario.status == "published").order_by(Scenario.kind, Scenario.title)
    )
    return [ScenarioRow(r.id, r.slug, r.title, r.kind, str((r.spec or {}).get("summary", "")),
                        tuple((r.spec or {}).get("tags", ()) or ())) for r in rows]


def scenario_by_slug(slug: str, *, published_only: bool = True) -> Scenario | None:
    """A scenario by its id in the files; drafts only when asked (instructors' pages)."""
    stmt = select(Scenario).where(Scenario.slug == slug)
    if published_only:
        stmt = stmt.where(Scenario.status == "published")
    return db.session.scalar(stmt)


def all_scenarios() -> list[Scenario]:
    """Every scenario, for instructors (one query)."""
    return list(db.session.scalars(select(Scenario).order_by(Scenario.kind, Scenario.title)))


# ---- saving scenarios (import and the browser) --------------------------------------------------------

SCENARIOS_DIR = "scenarios"  # question_bank/scenarios


def jsonable(value):
    """Data read from YAML as JSON can store it (dates as YYYY-MM-DD, which the loader reads back)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def read_scenarios(root: Path, drugs: dict | None = None) -> list[tuple[dict, str]]:
    """Every scenario under root/question_bank/scenarios, checked by the rules core, as (data, source).

    Raises ImportFailed with every problem, each naming the file, the line, the scenario
    id and the field. No folder, no scenarios.
    """
    import yaml

    from trainer.content.source import read_text
    from trainer.rx.scenarios import loader

    folder = Path(root) / "question_bank" / SCENARIOS_DIR
    if not folder.is_dir():
        return []
    items = loader.load_dir(folder, core.reference_drugs() if drugs is None else drugs)
    # The loader has checked every file (aliases refused, lines reported); the plain data to
    # store is read again with the fast C loader, which needs no line numbers.
    fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw_by_id: dict[str, tuple[dict, str]] = {}
    for path in sorted(folder.glob(loader.SCENARIO_FILES)):
        data = yaml.load(read_text(path, path.name), Loader=fast)  # noqa: S506 - a safe loader
        for raw in (data or {}).get("scenarios") or ():
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                raw_by_id.setdefault(raw["id"], (jsonable(raw), f"question_bank/{SCENARIOS_DIR}/{path.name}"))
    return [raw_by_id[item.id] for item in items if item.id in raw_by_id]


def save_scenario(spec: dict, *, source: str, actor: User | None = None, status: str | None = None) -> tuple[Scenario, str]:
    """Create or update a scenario from checked data; (scenario, "created" | "updated" | "unchanged")."""
    record = core.read(spec, source)  # the caller has checked it: this cannot fail
    digest = spec_hash(spec)
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == record.id))
    if scenario is not None and scenario.version_hash == digest and (status is None or scenario.status == status):
        return scenario, "unchanged"
    outcome = "updated"
    if scenario is None:
        scenario = Scenario(slug=record.id, author_id=actor.id if actor else None)
        db.session.add(scenario)
        outcome = "created"
    scenario.title = record.title
    scenario.kind = core.kind_of(record)
    scenario.spec = spec
    scenario.version_hash = digest
    scenario.blueprint = list(record.areas)
    scenario.source = source[:200]
    if status is not None:
        scenario.status = status
    elif scenario.status is None:
        scenario.status = "published"
    db.session.flush()
    return scenario, outcome


# ---- runs -----------------------------------------------------------------------------------------


def steps_of(run: ScenarioRun) -> tuple[str, ...]:
    """The steps of the run, in order (a review that stops the fill ends the run after step 1)."""
    return core.steps_for(run.kind)


def _new_run(user: User, *, spec: dict, title: str, kind: str, mode: str, seed: int, blueprint: list,
             scenario: Scenario | None, now: datetime) -> ScenarioRun:
    if mode not in MODES:
        raise RunRefused("Choose practice or assessed mode.")
    run = ScenarioRun(
        user_id=user.id, scenario_id=scenario.id if scenario else None, title=title[:200], kind=kind,
        mode=mode, status="in_progress", seed=seed, version_hash=spec_hash(spec), spec=spec,
        blueprint=list(blueprint), current_step=0, state={}, started_at=now, updated_at=now,
    )
    db.session.add(run)
    db.session.flush()
    return run


def start_run(user: User, scenario: Scenario, mode: str, *, now: datetime | None = None,
              seed: int | None = None) -> ScenarioRun:
    """Start a run of a stored scenario in practice or assessed mode."""
    now = now or utcnow()
    return _new_run(user, spec=scenario.spec, title=scenario.title, kind=scenario.kind, mode=mode,
                    seed=new_seed() if seed is None else seed, blueprint=scenario.blueprint,
                    scenario=scenario, now=now)


def start_generated_run(user: User, mode: str, *, kinds: list[str] | None = None, seed: int | None = None,
                        now: datetime | None = None) -> ScenarioRun:
    """Start a run of a freshly generated scenario (the generator plants errors of `kinds`)."""
    now = now or utcnow()
    seed = new_seed() if seed is None else seed
    spec = core.generate_spec(kinds or [], seed)
    record = core.read(spec, f"generated:{seed}")
    return _new_run(user, spec=spec, title=record.title, kind=core.kind_of(record), mode=mode, seed=seed,
                    blueprint=list(record.areas), scenario=None, now=now)


RUN_STATEMENT = select(ScenarioRun).where(ScenarioRun.id == bindparam("run_id"),
                                          ScenarioRun.user_id == bindparam("user_id"))


def learner_run(run_id: int, user: User, *, lock: bool = False) -> ScenarioRun | None:
    """One of the learner's own runs, or None (another learner's run is None too)."""
    stmt = RUN_STATEMENT
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(stmt, {"run_id": run_id, "user_id": user.id})


def runs_of(user: User, *, limit: int = 50) -> list[ScenarioRun]:
    """The learner's runs, newest first (one query)."""
    return list(db.session.scalars(
        select(ScenarioRun).where(ScenarioRun.user_id == user.id)
        .order_by(ScenarioRun.started_at.desc(), ScenarioRun.id.desc()).limit(limit)))


def open_step(run: ScenarioRun, name: str) -> None:
    """Refuse to show a step the run may not open now (RunRefused)."""
    steps = steps_of(run)
    if name not in steps:
        raise RunRefused("There is no such step.")
    index = steps.index(name)
    if run.status != "in_progress":
        raise RunRefused("This run is finished.")
    if index > run.current_step:
        raise RunRefused("Finish the earlier steps first.")
    if index < run.current_step and run.mode != "practice":
        raise RunRefused("In assessed mode a step cannot be answered again.")
    if index > 0 and _stopped_at_review(run):
        raise RunRefused("The prescription was not filled: there is nothing more to do.")


def _stopped_at_review(run: ScenarioRun) -> bool:
    review = (run.state or {}).get("review")
    return bool(review) and review.get("stops_fill", False)


def presented(run: ScenarioRun, name: str) -> core.StepView:
    """What the learner sees on a step: no key, no hint."""
    return core.step_view(run.spec, name, run.state or {}, seed=run.seed)


def answer_step(run: ScenarioRun, name: str, response: dict, *, now: datetime | None = None) -> list[tuple[str, str]]:
    """Grade and store the learner's answer to a step; problems with the input as (field, message).

    Input problems (a quantity that is not a number, nothing chosen) store nothing: the
    form shows them beside their fields with what was typed. The grade itself is never
    shown before the debrief.
    """
    now = now or utcnow()
    open_step(run, name)
    problems = core.input_problems(run.spec, name, response, run.state or {})
    if problems:
        return problems
    graded = core.grade_step(run.spec, name, response, run.state or {}, seed=run.seed)
    state = dict(run.state or {})
    earlier = state.get(name) or {}
    state[name] = {"response": response, "score": graded.score, "rows": graded.rows,
                   "tries": int(earlier.get("tries", 0)) + 1, "stops_fill": graded.stops_fill,
                   "extra": graded.extra}
    steps = steps_of(run)
    index = steps.index(name)
    run.current_step = max(run.current_step, index + 1)
    if graded.stops_fill:  # steps 2-5 are not played: the run can only be finished now
        run.current_step = len(steps)
    run.state = state
    run.updated_at = now
    return []


def claim_action(run: ScenarioRun, action: str, response: dict, *, now: datetime | None = None) -> list[tuple[str, str]]:
    """One exchange with the simulated payer in step 4 (send the claim, answer a reject)."""
    now = now or utcnow()
    open_step(run, "claim")
    state = dict(run.state or {})
    transcript, problems = core.claim_exchange(run.spec, state, action, response, seed=run.seed)
    if problems:
        return problems
    state["claim_transcript"] = transcript
    run.state = state
    run.updated_at = now
    return []


def is_complete(run: ScenarioRun) -> bool:
    """Whether every step the run needs has been answered."""
    return run.current_step >= len(steps_of(run))


def finish_run(run: ScenarioRun, *, now: datetime | None = None) -> bool:
    """Submit a run and count it; True if this call submitted it (a second finish changes nothing).

    One conditional UPDATE decides, so two finishes at once — two tabs, a double click,
    two app servers — count once; only the winner records mastery evidence.
    """
    now = now or utcnow()
    if not is_complete(run):
        raise RunRefused("Answer every step before you finish.")
    scores = step_scores(run)
    total = sum(scores.values()) / len(scores) if scores else 0.0
    score = Decimal(str(round(total, 4)))
    result = db.session.execute(
        update(ScenarioRun)
        .where(ScenarioRun.id == run.id, ScenarioRun.status == "in_progress")
        .values(status="submitted", submitted_at=now, updated_at=now, score=score,
                percent=(score * 100).quantize(Decimal("0.01")), state=run.state,
                current_step=run.current_step)
        .execution_options(synchronize_session=False)
    )
    won = result.rowcount == 1
    db.session.refresh(run)
    if won:
        record_evidence(run.user_id, [Evidence(
            codes=tuple(run.blueprint or ()), score=float(score), occurred_at=now, source="scenario",
            reference=f"scenario:{run.scenario.slug if run.scenario else 'generated'}:{run.id}",
        )])
    return won


def step_scores(run: ScenarioRun) -> dict[str, float]:
    """The score of each answered step, 0..1, in step order (a fill stopped at review counts step 1 only)."""
    state = run.state or {}
    return {name: float(state[name]["score"]) for name in steps_of(run) if name in state}


@dataclass
class Debrief:
    """The learner's entries beside the key, step by step, with the rule and what it meant for the patient."""

    steps: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)


def debrief(run: ScenarioRun) -> Debrief:
    """The debrief of a submitted run, from the grades stored on it."""
    state = run.state or {}
    steps = []
    for name in steps_of(run):
        entry = state.get(name)
        steps.append({"name": name, "title": STEP_TITLES.get(name, name), "played": entry is not None,
                      "score": float(entry["score"]) if entry else None,
                      "tries": entry.get("tries", 0) if entry else 0,
                      "rows": entry.get("rows", []) if entry else []})
    return Debrief(steps=steps, problems=core.planted_problems(run.spec))


# ---- results ----------------------------------------------------------------------------------------


def results_by_area(user: User) -> dict[str, list[float]]:
    """The learner's submitted runs' scores by outline code (one query)."""
    found: dict[str, list[float]] = defaultdict(list)
    for blueprint, score in db.session.execute(
        select(ScenarioRun.blueprint, ScenarioRun.score)
        .where(ScenarioRun.user_id == user.id, ScenarioRun.status == "submitted")
    ):
        for code in blueprint or ():
            found[code].append(float(score or 0))
    return found


# ---- teaching: a scenario as an assignment ---------------------------------------------------------


@register_kind
class ScenarioKind(AssignmentKind):
    """A scenario: every submitted run started after the opening is a try; the best counts."""

    name = "scenario"
    label = "Scenario"
    counts_before_open = False

    def _target(self, row) -> Target:
        return Target(row.id, row.title, ("scenarios.scenario", {"slug": row.slug}),
                      ("scenario_teach.preview", {"slug": row.slug}), available=row.status == "published")

    def options(self) -> list[Target]:
        rows = db.session.execute(select(Scenario.id, Scenario.slug, Scenario.title, Scenario.status)
                                  .where(Scenario.status == "published").order_by(Scenario.title))
        return [self._target(row) for row in rows]

    def targets(self, ids) -> dict[int, Target]:
        ids = list(ids)
        if not ids:
            return {}
        rows = db.session.execute(select(Scenario.id, Scenario.slug, Scenario.title, Scenario.status)
                                  .where(Scenario.id.in_(ids)))
        return {row.id: self._target(row) for row in rows}

    def work(self, ids, user_ids) -> dict[tuple[int, int], list[Work]]:
        ids, user_ids = list(ids), list(user_ids)
        found: dict[tuple[int, int], list[Work]] = defaultdict(list)
        if not ids or not user_ids:
            return found
        rows = db.session.execute(
            select(ScenarioRun.scenario_id, ScenarioRun.user_id, ScenarioRun.started_at,
                   ScenarioRun.submitted_at, ScenarioRun.status, ScenarioRun.percent)
            .where(ScenarioRun.scenario_id.in_(ids), ScenarioRun.user_id.in_(user_ids))
        )
        for scenario_id, user_id, started, submitted, status, percent in rows:
            closed = status == "submitted"
            found[(scenario_id, user_id)].append(
                Work(started, submitted if closed else None, percent if closed else None))
        return found


def audit_authored(scenario: Scenario, actor: User, outcome: str) -> None:
    """Log a scenario written or changed in the browser."""
    AuditEvent.record("scenario_saved", subject=f"scenario:{scenario.slug}", actor=actor, outcome=outcome)


# ---- writing a scenario in the browser ---------------------------------------------------------------

AUTHOR_FILE = "your scenario"


def yaml_of(scenario: Scenario) -> str:
    """A stored scenario as the YAML an instructor edits (the format of the scenario files)."""
    import yaml

    return yaml.safe_dump(scenario.spec, sort_keys=False, allow_unicode=True, width=100)


def authoring_example() -> str:
    """The example shown beside the editor: the first shipped scenario, or a short skeleton."""
    first = db.session.scalar(select(Scenario).where(Scenario.source.like("question_bank/%"))
                              .order_by(Scenario.kind, Scenario.slug).limit(1))
    return yaml_of(first) if first is not None else ""


def authored_spec(text: str, *, expected_id: str | None = None) -> tuple[dict | None, list]:
    """Read one scenario written in the browser and check it through the rules core.

    Returns (data, []) or (None, problems); each problem names the line of the text, the
    scenario id and the field, as an import would. The text is one scenario (a mapping);
    it is checked exactly as a file holding it would be.
    """
    from trainer.content.source import ImportFailed, SourceProblem, load_yaml
    from trainer.questions.bank import plain_data
    from trainer.rx.scenarios import loader

    if "\t" in text:
        text = text.replace("\t", "  ")
    try:
        raw = load_yaml(text, AUTHOR_FILE)
    except ImportFailed as failed:
        return None, failed.problems
    if not isinstance(raw, dict):
        return None, [SourceProblem(AUTHOR_FILE, 1, "a scenario is a mapping of fields (id:, title:, …)")]
    if expected_id is not None and raw.get("id") != expected_id:
        return None, [SourceProblem(AUTHOR_FILE, getattr(raw, "line_of", lambda _k: 1)("id"),
                                    f"keep the id {expected_id!r}: write a new scenario to use another", field="id")]
    # as the one item of a scenario file, so every message names its line in the text
    wrapped = "scenarios:\n" + "\n".join(("  - " if i == 0 else "    ") + line
                                         for i, line in enumerate(text.splitlines()))
    try:
        loader.load_text(wrapped, AUTHOR_FILE, core.reference_drugs())
    except ImportFailed as failed:
        return None, [SourceProblem(p.file, p.line - 1 if p.line else p.line, p.message, p.item, p.field)
                      for p in failed.problems]
    return jsonable(plain_data(raw)), []


# ---- generated scenarios as files ------------------------------------------------------------------------


def _plain(value):
    """A record's value as file data: dates as YYYY-MM-DD, whole Decimals as numbers, tuples as lists."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value.normalize())
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _fields(record, names, **extra) -> dict:
    out = {}
    for name in names:
        value = getattr(record, name)
        if value is None or value == () or value == "":
            continue
        out[name] = _plain(value)
    for name, value in extra.items():
        if value not in (None, (), "", [], {}):
            out[name] = value
    return out


def _address_data(address) -> dict:
    return _fields(address, ("street", "city", "state", "zip"))


def _patient_data(patient, **extra) -> dict:
    data = _fields(patient, ("first_name", "last_name", "birth_date", "sex", "allergies", "conditions", "weight_kg"),
                   address=_address_data(patient.address),
                   profile=[_fields(f, ("generic", "fill_date", "days_supply", "quantity", "ndc"),
                                    rx_number=f.prescription_id) for f in patient.history])
    if patient.pregnant:
        data["pregnant"] = True
    return {**extra, **data}


def _prescriber_data(prescriber, **extra) -> dict:
    return {**extra, **_fields(prescriber, ("first_name", "last_name", "credentials", "dea", "npi", "phone"),
                               address=_address_data(prescriber.address))}


def scenario_data(scenario) -> dict:
    """A generated dispensing scenario in the format of the scenario files (what `from_dict` reads back).

    The rules core gives records, not files; the command that writes a generated scenario
    to a file needs this (see docs/scenarios.md: the web half's own writer).
    """
    from trainer.rx.scenarios.model import DEFAULT_PHARMACY

    rx = scenario.prescription
    card = scenario.insurance
    plan = scenario.plan
    data = {
        "id": scenario.id, "title": scenario.title, "summary": scenario.summary, "date": _plain(scenario.date),
        "areas": list(scenario.areas), "tags": list(scenario.tags),
        "patient": _patient_data(scenario.patient, id=scenario.patient_id, insurance=_fields(
            card, ("bin", "pcn", "group", "cardholder_id", "person_code", "relationship", "cardholder_name",
                   "effective", "terminated"),
            # the plan's membership dates, which a file gives on the card
            **({"effective": _plain(plan.members[0].effective)} if card.effective is None and plan.members else {}))),
        "lookalike_patients": [_patient_data(p, id=pid) for pid, p in scenario.lookalike_patients],
        "prescriber": _prescriber_data(scenario.prescriber, id=scenario.prescriber_id),
        "lookalike_prescribers": [_prescriber_data(p, id=pid) for pid, p in scenario.lookalike_prescribers],
        "prescription": _fields(rx, ("presentation", "drug", "generic", "strength", "form", "quantity",
                                     "quantity_unit", "quantity_written", "sig", "refills", "written", "daw",
                                     "indication", "earliest_fill", "rx_number", "fill_number", "notes"),
                                handwritten_sig=rx.handwritten_sig or None, signed=None if rx.signed else False,
                                transfer=rx.transfer and _fields(rx.transfer, (
                                    "from_pharmacy", "from_phone", "from_pharmacist", "original_rx_number",
                                    "original_written", "first_filled", "last_filled", "refills_remaining",
                                    "previous_transfers")),
                                phone_call=rx.phone_call and _fields(rx.phone_call, ("caller", "received_by", "callback"))),
        "plan": {"name": plan.name, "bin": plan.bin, "pcn": plan.pcn, "group": plan.group,
                 "formulary": [_fields(e, ("generic", "tier", "quantity_limit", "limit_days", "brand_tier",
                                           "min_age", "sex"), prior_auth=e.prior_auth or None)
                               for e in plan.formulary],
                 "excluded": list(plan.excluded), "copays": {int(k): _plain(v) for k, v in plan.copays.items()},
                 "refill_threshold": _plain(plan.refill_threshold), "max_days_supply": plan.max_days_supply,
                 "primary": plan.primary, "pays_refills": plan.pays_refills,
                 "pharmacy_in_network": plan.pharmacy_in_network, "brand_penalty": plan.brand_penalty},
        "shelf": [_fields(s, ("trap", "note", "lot", "expires", "on_hand"), ndc=s.product.ndc) for s in scenario.shelf],
        "problems": [_fields(p, ("kind", "field", "note", "consequence", "rule"),
                             resolution={k: _plain(v) for k, v in p.resolution.items()}) for p in scenario.problems],
        "expected": _fields(scenario.expected, ("review", "directions", "quantity", "days_supply", "refills", "daw",
                                                "ndc", "label_fixes"),
                            fillable=None if scenario.expected.fillable else False,
                            claim=_fields(scenario.expected.claim, ("rejects", "dur"),
                                          actions=dict(scenario.expected.claim.actions),
                                          resubmit={k: _plain(v) for k, v in scenario.expected.claim.resubmit.items()},
                                          paid_after_resubmit=None if scenario.expected.claim.paid_after_resubmit else False)),
        "label_errors": {k: _plain(v) for k, v in scenario.label_errors.items()},
        "actuations": scenario.actuations,
        "state_validity_months": scenario.state_validity_months if scenario.state_validity_months != 12 else None,
    }
    if scenario.pharmacy != DEFAULT_PHARMACY:
        data["pharmacy"] = _fields(scenario.pharmacy, ("name", "phone", "npi"), address=_address_data(scenario.pharmacy.address))
    return {k: v for k, v in data.items() if v not in (None, [], {}, "")}


def generated_yaml(kinds: list[str], seed: int, count: int = 1) -> str:
    """Generated scenarios as a scenario file (`flask trainer scenarios generate`)."""
    import yaml

    from trainer.rx.scenarios import generate_many

    made = generate_many(kinds, seed, count, core.reference_drugs() or None)
    return yaml.safe_dump({"scenarios": [scenario_data(s) for s in made]}, sort_keys=False, allow_unicode=True,
                          width=100)


def export_scenarios(folder: Path) -> int:
    """Write every stored scenario back to scenario files: each to the file it came from, those
    written in the browser to authored.yaml. Returns how many were written."""
    import yaml

    by_file: dict[str, list[dict]] = defaultdict(list)
    for scenario in db.session.scalars(select(Scenario).order_by(Scenario.slug)):
        source = scenario.source or ""
        name = Path(source).name if source.startswith(f"question_bank/{SCENARIOS_DIR}/") else "authored.yaml"
        by_file[name].append(scenario.spec)
    if by_file:
        folder.mkdir(parents=True, exist_ok=True)
    for name, items in by_file.items():
        (folder / name).write_text(yaml.safe_dump({"scenarios": items}, sort_keys=False, allow_unicode=True, width=100),
                                   encoding="utf-8")
    return sum(len(items) for items in by_file.values())
