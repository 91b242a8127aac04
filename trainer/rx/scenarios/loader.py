"""Scenario files (question_bank/scenarios/*.yaml): read, turned into records, checked through the rules core.

    from trainer.rx.scenarios import load_dir
    items = load_dir("question_bank/scenarios", drugs)   # raises ImportFailed: file, line, id, field

A file holds `scenarios:`, a list of dispensing scenarios (`kind: dispensing`, the
default) and pharmacist-check exercises (`kind: validation`). The YAML is read with the
line-keeping safe loader of `trainer.content.source`; anchors and aliases are refused
(a scenario file has no use for them, and aliases are how a small file becomes a huge
document). Every problem names the file, the line, the scenario id and the field.

A scenario that reads well is then validated through the rules core (`validate`): the
problems it plants must be exactly the ones the core finds, and its key (directions,
days supply, refills, NDC, the payer's answer, the label) must be what the core computes.
The format is documented in question_bank/scenarios/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from trainer.content.source import (
    ImportFailed,
    LineDict,
    LineList,
    ProblemList,
    SourceProblem,
    load_yaml,
    read_text,
)
from trainer.rx import claims, sig
from trainer.rx import ndc as ndc_rules
from trainer.rx.records import (
    Address,
    Drug,
    Fill,
    FormularyEntry,
    Member,
    Patient,
    Pharmacy,
    PlanRules,
    Prescriber,
    Product,
)
from trainer.rx.scenarios import checks
from trainer.rx.scenarios.kinds import (
    CLAIM_ACTIONS_FOR,
    ERROR_KINDS,
    REVIEW_STRENGTH,
    VALIDATION_KINDS,
)
from trainer.rx.scenarios.model import (
    CLAIM_ACTIONS,
    DEFAULT_PHARMACY,
    PRESENTATIONS,
    RELATIONSHIP_CODES,
    REVIEW_ACTIONS,
    SHELF_TRAPS,
    ClaimKey,
    Expected,
    Insurance,
    PhoneCall,
    PlantedProblem,
    PresentedRx,
    Scenario,
    ShelfEntry,
    Transfer,
    ValidationExercise,
)

MAX_FILE_BYTES = 1_000_000
MAX_SCENARIOS_PER_FILE = 200
SCENARIO_FILES = "*.yaml"
_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,79}")
_AREA = re.compile(r"[a-z0-9-]+:[0-9]+(\.[0-9]+)?")
# Review problems that a resolution (the prescriber's answer) can clear.
_RESOLVABLE = ("missing_quantity", "missing_date", "missing_signature", "dea_check_digit", "dea_surname", "c2_refills")

Item = Scenario | ValidationExercise


class ScenarioError(ImportFailed):
    """Raised when scenario data cannot be read or fails the rules core; carries every problem."""


# ---- public entry points ----------------------------------------------------------------------------


def load_file(
    path, drugs: Mapping[str, Drug] | None = None, *, name: str | None = None, areas: Collection[str] | None = None
) -> list[Item]:
    """Read one scenario file and validate every item through the rules core; raise ScenarioError.

    `areas` are the blueprint codes items may name (default: question_bank/blueprints.yaml).
    """
    drugs = default_drugs() if drugs is None else drugs
    file = name or Path(path).name
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise ScenarioError([SourceProblem(file, None, f"cannot be read ({exc.strerror})")]) from exc
    if size > MAX_FILE_BYTES:
        raise ScenarioError([SourceProblem(file, None, f"is larger than {MAX_FILE_BYTES} bytes")])
    try:
        text = read_text(path, file)
    except ImportFailed as exc:
        raise ScenarioError(exc.problems) from exc
    return load_text(text, file, drugs, areas=areas)


def load_text(
    text: str, file: str, drugs: Mapping[str, Drug] | None = None, *, areas: Collection[str] | None = None
) -> list[Item]:
    """Read scenario YAML text (named `file` in messages) and validate every item; raise ScenarioError."""
    drugs = default_drugs() if drugs is None else drugs
    areas = default_areas() if areas is None else areas
    _refuse_aliases(text, file)
    try:
        data = load_yaml(text, file)
    except ImportFailed as exc:
        raise ScenarioError(exc.problems) from exc
    problems = ProblemList(file)
    if not isinstance(data, LineDict) or not isinstance(data.get("scenarios"), LineList):
        raise ScenarioError([SourceProblem(file, 1, "a scenario file is a mapping with a `scenarios:` list")])
    unknown = [k for k in data if k != "scenarios"]
    for key in unknown:
        problems.add(data.line_of(key), f"unknown top-level key {key!r}", field=str(key))
    raw_items = data["scenarios"]
    if len(raw_items) > MAX_SCENARIOS_PER_FILE:
        problems.add(raw_items.line, f"at most {MAX_SCENARIOS_PER_FILE} scenarios in one file")
        raise ScenarioError(problems.problems)
    items: list[Item] = []
    seen: dict[str, int | None] = {}
    for index, raw in enumerate(raw_items):
        line = raw_items.line_of(index)
        if not isinstance(raw, LineDict):
            problems.add(line, "each scenario is a mapping", field=f"scenarios[{index}]")
            continue
        item = parse_item(raw, drugs, problems, source=f"{file}:{line}", areas=areas)
        if item is None:
            continue
        if item.id in seen:
            problems.add(raw.line_of("id"), f"id {item.id!r} is also used on line {seen[item.id]}", item.id, "id")
            continue
        seen[item.id] = raw.line_of("id")
        for field_name, message in validate(item, drugs):
            problems.add(_line(raw, field_name), message, item.id, field_name)
        items.append(item)
    if problems:
        raise ScenarioError(problems.problems)
    return items


def load_dir(path, drugs: Mapping[str, Drug] | None = None, *, areas: Collection[str] | None = None) -> list[Item]:
    """Every scenario file of a folder (sorted by name); ids must be unique across files; raise ScenarioError."""
    drugs = default_drugs() if drugs is None else drugs
    areas = default_areas() if areas is None else areas
    folder = Path(path)
    problems: list[SourceProblem] = []
    items: list[Item] = []
    where: dict[str, str] = {}
    for file in sorted(folder.glob(SCENARIO_FILES)):
        try:
            loaded = load_file(file, drugs, areas=areas)
        except ImportFailed as exc:
            problems.extend(exc.problems)
            continue
        for item in loaded:
            if item.id in where:
                problems.append(
                    SourceProblem(file.name, None, f"id {item.id!r} is also used in {where[item.id]}", item.id, "id")
                )
                continue
            where[item.id] = item.source
            items.append(item)
    if problems:
        raise ScenarioError(problems)
    return items


def parse(data: Mapping, drugs: Mapping[str, Drug] | None = None, *, source: str = "<stored>") -> Item:
    """One item from plain data without the rules-core validation (data checked when it was saved); raise ScenarioError if unreadable."""
    drugs = default_drugs() if drugs is None else drugs
    problems = ProblemList(source)
    item = parse_item(_as_line_dict(data), drugs, problems, source=source)
    if problems or item is None:
        raise ScenarioError(problems.problems)
    return item


def from_dict(
    data: Mapping, drugs: Mapping[str, Drug] | None = None, *, source: str = "<form>", areas: Collection[str] | None = None
) -> Item:
    """One scenario from plain data (a browser form, a stored copy), validated; raise ScenarioError."""
    drugs = default_drugs() if drugs is None else drugs
    areas = default_areas() if areas is None else areas
    problems = ProblemList(source)
    raw = _as_line_dict(data)
    item = parse_item(raw, drugs, problems, source=source, areas=areas)
    if item is not None:
        for field_name, message in validate(item, drugs):
            problems.add(None, message, item.id, field_name)
    if problems or item is None:
        raise ScenarioError(problems.problems)
    return item


_DRUGS_CACHE: dict[str, Mapping[str, Drug]] = {}


def default_drugs() -> Mapping[str, Drug]:
    """The shipped drug reference (question_bank/data), read once per process."""
    if "shipped" not in _DRUGS_CACHE:
        from trainer.rx.formulary import load_drug_dir

        root = Path(__file__).resolve().parents[3]
        _DRUGS_CACHE["shipped"] = load_drug_dir(root / "question_bank" / "data").drugs
    return _DRUGS_CACHE["shipped"]


def default_areas() -> frozenset[str]:
    """Every `outline:area` and `outline:domain` code of question_bank/blueprints.yaml, read once per process."""
    if "areas" not in _AREAS_CACHE:
        from trainer.questions.blueprints import read_blueprints

        path = Path(__file__).resolve().parents[3] / "question_bank" / "blueprints.yaml"
        problems = ProblemList(path.name)
        blueprints = read_blueprints(load_yaml(read_text(path), path.name), problems)
        if problems:
            raise ScenarioError(problems.problems)
        _AREAS_CACHE["areas"] = blueprints.codes
    return _AREAS_CACHE["areas"]


_AREAS_CACHE: dict[str, frozenset[str]] = {}


# ---- YAML hygiene ---------------------------------------------------------------------------------------


# An anchor or alias token starts with & or * after a space, a line start or a flow indicator;
# text without one cannot hold either, and is spared a second parse.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[\]{},:-])[&*][^\s]", re.MULTILINE)


def _refuse_aliases(text: str, file: str) -> None:
    if not _MAYBE_ANCHOR.search(text):
        return
    problems: list[SourceProblem] = []
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    SourceProblem(file, event.start_mark.line + 1, f"YAML alias *{event.anchor} is not allowed: write the value out")
                )
            elif getattr(event, "anchor", None):
                problems.append(
                    SourceProblem(file, event.start_mark.line + 1, f"YAML anchor &{event.anchor} is not allowed: write the value out")
                )
            if len(problems) >= 20:
                break
    except yaml.YAMLError:
        return  # load_yaml reports the syntax error with its line
    if problems:
        raise ScenarioError(problems)


def _as_line_dict(value):
    if isinstance(value, LineDict | LineList):
        return value
    if isinstance(value, Mapping):
        out = LineDict({k: _as_line_dict(v) for k, v in value.items()})
        out.line = None
        out.key_lines = {}
        return out
    if isinstance(value, list | tuple):
        out_list = LineList(_as_line_dict(v) for v in value)
        out_list.line = None
        out_list.item_lines = []
        return out_list
    return value


def _line(raw: LineDict, path: str) -> int | None:
    """The line of a dotted field path ("expected.claim.rejects", "problems[1].kind") in the raw item."""
    node = raw
    line = raw.line
    for part in re.split(r"\.", path):
        match = re.fullmatch(r"([^\[]+)(?:\[(\d+)\])?", part)
        if not match or not isinstance(node, LineDict):
            break
        key, index = match.group(1), match.group(2)
        if key not in node:
            break
        line = node.line_of(key) or line
        node = node[key]
        if index is not None:
            if isinstance(node, LineList) and int(index) < len(node):
                line = node.line_of(int(index)) or line
                node = node[int(index)]
            else:
                break
    return line


# ---- reading one item -----------------------------------------------------------------------------------


class _Reader:
    """Reads the fields of one raw mapping, reporting each problem with its line and dotted field."""

    def __init__(self, problems: ProblemList, item: str | None):
        self.problems = problems
        self.item = item

    def add(self, raw, key, message: str, path: str) -> None:
        line = raw.line_of(key) if isinstance(raw, LineDict) and key is not None else getattr(raw, "line", None)
        self.problems.add(line, message, self.item, path)

    def mapping(self, raw, key, path, *, required=True, allowed=()) -> LineDict | None:
        value = raw.get(key) if isinstance(raw, Mapping) else None
        if value is None:
            if required:
                self.add(raw, key, "is required", path)
            return None
        if not isinstance(value, LineDict):
            self.add(raw, key, "must be a mapping", path)
            return None
        if allowed:
            for extra in value:
                if extra not in allowed:
                    self.add(value, extra, f"unknown field {extra!r} (allowed: {', '.join(allowed)})", f"{path}.{extra}")
        return value

    def items(self, raw, key, path, *, required=False) -> list[tuple[int, object]]:
        value = raw.get(key) if isinstance(raw, Mapping) else None
        if value is None:
            if required:
                self.add(raw, key, "is required", path)
            return []
        if not isinstance(value, LineList):
            self.add(raw, key, "must be a list", path)
            return []
        return list(enumerate(value))

    def text(self, raw, key, path, *, required=False, default="", limit=500) -> str:
        value = raw.get(key) if isinstance(raw, Mapping) else None
        if value is None or value == "":
            if required:
                self.add(raw, key, "is required", path)
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(raw, key, "must be text", path)
            return default
        text = str(value).strip()
        if len(text) > limit:
            self.add(raw, key, f"is longer than {limit} characters", path)
            return text[:limit]
        return text

    def texts(self, raw, key, path) -> tuple[str, ...]:
        out = []
        for index, value in self.items(raw, key, path):
            if isinstance(value, bool) or not isinstance(value, str | int | float) or not str(value).strip():
                self.add(raw, key, f"item {index + 1} must be text", f"{path}[{index}]")
                continue
            out.append(str(value).strip())
        return tuple(out)

    def day(self, raw, key, path, *, required=False) -> date | None:
        value = raw.get(key) if isinstance(raw, Mapping) else None
        if value is None:
            if required:
                self.add(raw, key, "is required", path)
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(raw, key, "must be a date written YYYY-MM-DD", path)
        return None

    def number(self, raw, key, path, *, required=False, default=None) -> Decimal | None:
        value = raw.get(key) if isinstance(raw, Mapping) else None
        if value is None:
            if required:
                self.add(raw, key, "is required", path)
            return default
        if isinstance(value, bool):
            self.add(raw, key, "must be a number", path)
            return default
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            self.add(raw, key, "must be a number", path)
            return default
        if not number.is_finite() or number < 0 or number > 100_000:
            self.add(raw, key, "must be a number from 0 to 100000", path)
            return default
        return number

    def whole(self, raw, key, path, *, required=False, default=None, low=0, high=10_000) -> int | None:
        value = raw.get(key) if isinstance(raw, Mapping) else None
        if value is None:
            if required:
                self.add(raw, key, "is required", path)
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(raw, key, f"must be a whole number from {low} to {high}", path)
            return default
        return value

    def flag(self, raw, key, path, *, default=False) -> bool:
        value = raw.get(key) if isinstance(raw, Mapping) else None
        if value is None:
            return default
        if not isinstance(value, bool):
            self.add(raw, key, "must be true or false", path)
            return default
        return value

    def choice(self, raw, key, path, choices, *, default=None, required=False):
        value = raw.get(key) if isinstance(raw, Mapping) else None
        if value is None:
            if required:
                self.add(raw, key, "is required", path)
            return default
        if value not in choices:
            self.add(raw, key, f"must be one of: {', '.join(str(c) for c in choices)}", path)
            return default
        return value


ITEM_FIELDS_DISPENSING = (
    "id", "kind", "title", "summary", "date", "areas", "tags", "patient", "lookalike_patients",
    "prescriber", "lookalike_prescribers", "prescription", "plan", "shelf", "problems",
    "expected", "label_errors", "actuations", "state_validity_months", "pharmacy",
)
ITEM_FIELDS_VALIDATION = (
    "id", "kind", "title", "summary", "date", "areas", "tags", "patient", "prescriber",
    "prescription", "dispensed", "label_changes", "problems", "expected", "pharmacy",
)
PATIENT_FIELDS = (
    "id", "first_name", "last_name", "birth_date", "sex", "address", "allergies", "conditions",
    "pregnant", "weight_kg", "profile", "insurance",
)
PRESCRIBER_FIELDS = ("id", "first_name", "last_name", "credentials", "dea", "npi", "address", "phone")
RX_FIELDS = (
    "presentation", "drug", "generic", "strength", "form", "quantity", "quantity_unit",
    "quantity_written", "sig", "handwritten_sig", "refills", "written", "daw", "signed",
    "indication", "earliest_fill", "rx_number", "fill_number", "notes", "transfer", "phone_call",
)
LABEL_FIELDS = (
    "pharmacy_name", "pharmacy_address", "rx_number", "patient_name", "prescriber_name", "drug",
    "quantity", "directions", "refills", "cautions", "auxiliary_labels",
)


def parse_item(
    raw: LineDict,
    drugs: Mapping[str, Drug],
    problems: ProblemList,
    *,
    source: str = "",
    areas: Collection[str] | None = None,
) -> Item | None:
    """One raw scenario mapping as a Scenario or ValidationExercise, or None (problems recorded).

    `areas`, when given, are the blueprint codes an item may name (readiness counts by them).
    """
    ident = raw.get("id")
    item_id = ident if isinstance(ident, str) else None
    r = _Reader(problems, item_id)
    before = len(problems.problems)
    if item_id is None or not _ID.fullmatch(item_id):
        r.add(raw, "id", "is required: lower-case letters, digits and hyphens, 2 to 80 characters", "id")
    kind = r.choice(raw, "kind", "kind", ("dispensing", "validation"), default="dispensing")
    allowed = ITEM_FIELDS_VALIDATION if kind == "validation" else ITEM_FIELDS_DISPENSING
    for key in raw:
        if key not in allowed:
            r.add(raw, key, f"unknown field {key!r} for a {kind} scenario", str(key))
    title = r.text(raw, "title", "title", required=True, limit=200)
    summary = r.text(raw, "summary", "summary", limit=2000)
    today = r.day(raw, "date", "date", required=True)
    item_areas = r.texts(raw, "areas", "areas")
    for index, area in enumerate(item_areas):
        if not _AREA.fullmatch(area):
            r.add(raw, "areas", f"area {area!r} is not <outline>:<area>, such as ptce-2020:2.2", f"areas[{index}]")
        elif areas is not None and area not in areas:
            r.add(raw, "areas", f"area {area!r} is not in question_bank/blueprints.yaml", f"areas[{index}]")
    tags = r.texts(raw, "tags", "tags")
    patient_raw = r.mapping(raw, "patient", "patient", allowed=PATIENT_FIELDS)
    patient = _patient(r, patient_raw, "patient", drugs) if patient_raw is not None else None
    prescriber_raw = r.mapping(raw, "prescriber", "prescriber", allowed=PRESCRIBER_FIELDS)
    prescriber = _prescriber(r, prescriber_raw, "prescriber") if prescriber_raw is not None else None
    rx_raw = r.mapping(raw, "prescription", "prescription", allowed=RX_FIELDS)
    rx = _prescription(r, rx_raw, drugs) if rx_raw is not None else None
    planted = _problems(r, raw, kind)
    pharmacy = _pharmacy(r, raw)
    if kind == "validation":
        return _validation(r, raw, before, item_id, title, summary, today, item_areas, tags, patient, prescriber, rx, planted, pharmacy, drugs, source)
    insurance = None
    if patient_raw is not None:
        card = r.mapping(patient_raw, "insurance", "patient.insurance", allowed=(
            "bin", "pcn", "group", "cardholder_id", "person_code", "relationship", "cardholder_name", "effective", "terminated"))
        if card is not None:
            insurance = _insurance(r, card)
        else:
            r.add(patient_raw, "insurance", "is required for a dispensing scenario (the claim needs the card)", "patient.insurance")
    plan = _plan(r, raw, insurance, patient, today, drugs)
    shelf = _shelf(r, raw, drugs)
    expected = _expected(r, raw)
    label_errors = _label_changes(r, raw, "label_errors")
    lookalike_patients = tuple(
        (r.text(p, "id", f"lookalike_patients[{i}].id", required=True), _patient(r, p, f"lookalike_patients[{i}]", drugs))
        for i, p in r.items(raw, "lookalike_patients", "lookalike_patients")
        if isinstance(p, LineDict)
    )
    lookalike_prescribers = tuple(
        (r.text(p, "id", f"lookalike_prescribers[{i}].id", required=True), _prescriber(r, p, f"lookalike_prescribers[{i}]"))
        for i, p in r.items(raw, "lookalike_prescribers", "lookalike_prescribers")
        if isinstance(p, LineDict)
    )
    actuations = r.whole(raw, "actuations", "actuations", low=1, high=2000)
    validity = r.whole(raw, "state_validity_months", "state_validity_months", default=12, low=1, high=24)
    if len(problems.problems) > before or None in (today, patient, prescriber, rx, plan, expected):
        return None
    # the refill rule in the kinds table leaves the share for the plan to state
    threshold = f"{(plan.refill_threshold * 100).normalize():f}%"  # type: ignore[union-attr]
    planted = tuple(replace(p, rule=p.rule.replace("{threshold}", threshold)) for p in planted)
    return Scenario(
        id=item_id,  # type: ignore[arg-type]
        title=title,
        date=today,  # type: ignore[arg-type]
        patient=patient,  # type: ignore[arg-type]
        prescriber=prescriber,  # type: ignore[arg-type]
        prescription=rx,  # type: ignore[arg-type]
        plan=plan,  # type: ignore[arg-type]
        insurance=insurance,
        shelf=shelf,
        expected=expected,  # type: ignore[arg-type]
        problems=planted,
        areas=item_areas,
        tags=tags,
        summary=summary,
        patient_id=r.text(patient_raw, "id", "patient.id", default="P1"),
        lookalike_patients=lookalike_patients,
        lookalike_prescribers=lookalike_prescribers,
        prescriber_id=r.text(prescriber_raw, "id", "prescriber.id", default="D1"),
        pharmacy=pharmacy,
        label_errors=label_errors,
        actuations=actuations,
        state_validity_months=validity or 12,
        source=source,
    )


def _address(r: _Reader, raw, key, path) -> Address:
    value = r.mapping(raw, key, path, required=False, allowed=("street", "city", "state", "zip"))
    if value is None:
        return Address()
    return Address(
        r.text(value, "street", f"{path}.street"),
        r.text(value, "city", f"{path}.city"),
        r.text(value, "state", f"{path}.state"),
        r.text(value, "zip", f"{path}.zip"),
    )


def _patient(r: _Reader, raw: LineDict, path: str, drugs: Mapping[str, Drug]) -> Patient | None:
    history = []
    for index, fill in r.items(raw, "profile", f"{path}.profile"):
        where = f"{path}.profile[{index}]"
        if not isinstance(fill, LineDict):
            r.add(raw, "profile", "each profile entry is a mapping", where)
            continue
        generic = r.text(fill, "generic", f"{where}.generic", required=True)
        if generic and generic not in drugs:
            r.add(fill, "generic", f"{generic!r} is not in the drug reference (question_bank/data)", f"{where}.generic")
        filled = r.day(fill, "fill_date", f"{where}.fill_date", required=True)
        days = r.whole(fill, "days_supply", f"{where}.days_supply", required=True, low=1, high=365)
        if generic and filled and days:
            history.append(
                Fill(
                    generic=generic,
                    fill_date=filled,
                    days_supply=days,
                    quantity=r.number(fill, "quantity", f"{where}.quantity", default=Decimal(0)) or Decimal(0),
                    ndc=r.text(fill, "ndc", f"{where}.ndc") or None,
                    prescription_id=r.text(fill, "rx_number", f"{where}.rx_number") or None,
                )
            )
    first = r.text(raw, "first_name", f"{path}.first_name", required=True, limit=80)
    last = r.text(raw, "last_name", f"{path}.last_name", required=True, limit=80)
    born = r.day(raw, "birth_date", f"{path}.birth_date", required=True)
    if born is None:
        return None
    return Patient(
        first_name=first,
        last_name=last,
        birth_date=born,
        sex=r.choice(raw, "sex", f"{path}.sex", ("female", "male", "unknown"), default="unknown"),
        address=_address(r, raw, "address", f"{path}.address"),
        allergies=r.texts(raw, "allergies", f"{path}.allergies"),
        conditions=r.texts(raw, "conditions", f"{path}.conditions"),
        pregnant=r.flag(raw, "pregnant", f"{path}.pregnant"),
        weight_kg=r.number(raw, "weight_kg", f"{path}.weight_kg"),
        history=tuple(history),
    )


def _prescriber(r: _Reader, raw: LineDict, path: str) -> Prescriber:
    return Prescriber(
        first_name=r.text(raw, "first_name", f"{path}.first_name", required=True, limit=80),
        last_name=r.text(raw, "last_name", f"{path}.last_name", required=True, limit=80),
        credentials=r.text(raw, "credentials", f"{path}.credentials", default="MD", limit=20),
        dea=r.text(raw, "dea", f"{path}.dea", limit=30) or None,
        npi=r.text(raw, "npi", f"{path}.npi", required=True, limit=20) or None,
        address=_address(r, raw, "address", f"{path}.address"),
        phone=r.text(raw, "phone", f"{path}.phone", limit=40),
    )


def _insurance(r: _Reader, raw: LineDict) -> Insurance:
    path = "patient.insurance"
    return Insurance(
        bin=r.text(raw, "bin", f"{path}.bin", required=True, limit=10),
        pcn=r.text(raw, "pcn", f"{path}.pcn", required=True, limit=20),
        group=r.text(raw, "group", f"{path}.group", required=True, limit=20),
        cardholder_id=r.text(raw, "cardholder_id", f"{path}.cardholder_id", required=True, limit=30),
        person_code=r.text(raw, "person_code", f"{path}.person_code", default="01", limit=3),
        relationship=r.choice(raw, "relationship", f"{path}.relationship", tuple(RELATIONSHIP_CODES), default=1),
        cardholder_name=r.text(raw, "cardholder_name", f"{path}.cardholder_name", limit=120),
        effective=r.day(raw, "effective", f"{path}.effective"),
        terminated=r.day(raw, "terminated", f"{path}.terminated"),
    )


def _prescription(r: _Reader, raw: LineDict, drugs: Mapping[str, Drug]) -> PresentedRx | None:
    path = "prescription"
    presentation = r.choice(raw, "presentation", f"{path}.presentation", PRESENTATIONS, required=True)
    generic = r.text(raw, "generic", f"{path}.generic", required=True, limit=120)
    if generic and generic not in drugs:
        r.add(raw, "generic", f"{generic!r} is not in the drug reference (question_bank/data)", f"{path}.generic")
    transfer = None
    transfer_raw = r.mapping(raw, "transfer", f"{path}.transfer", required=presentation == "transfer", allowed=(
        "from_pharmacy", "from_phone", "from_pharmacist", "original_rx_number", "original_written",
        "first_filled", "last_filled", "refills_remaining", "previous_transfers"))
    if transfer_raw is not None:
        p = f"{path}.transfer"
        transfer = Transfer(
            from_pharmacy=r.text(transfer_raw, "from_pharmacy", f"{p}.from_pharmacy", required=True),
            from_phone=r.text(transfer_raw, "from_phone", f"{p}.from_phone"),
            from_pharmacist=r.text(transfer_raw, "from_pharmacist", f"{p}.from_pharmacist"),
            original_rx_number=r.text(transfer_raw, "original_rx_number", f"{p}.original_rx_number"),
            original_written=r.day(transfer_raw, "original_written", f"{p}.original_written"),
            first_filled=r.day(transfer_raw, "first_filled", f"{p}.first_filled"),
            last_filled=r.day(transfer_raw, "last_filled", f"{p}.last_filled"),
            refills_remaining=r.whole(transfer_raw, "refills_remaining", f"{p}.refills_remaining", default=0, high=99) or 0,
            previous_transfers=r.whole(transfer_raw, "previous_transfers", f"{p}.previous_transfers", default=0, high=9) or 0,
        )
    call = None
    call_raw = r.mapping(raw, "phone_call", f"{path}.phone_call", required=presentation == "phoned", allowed=("caller", "received_by", "callback"))
    if call_raw is not None:
        call = PhoneCall(
            caller=r.text(call_raw, "caller", f"{path}.phone_call.caller", required=True),
            received_by=r.text(call_raw, "received_by", f"{path}.phone_call.received_by"),
            callback=r.text(call_raw, "callback", f"{path}.phone_call.callback"),
        )
    sig_text = r.text(raw, "sig", f"{path}.sig", required=True)
    if not presentation:
        return None
    return PresentedRx(
        presentation=presentation,
        drug=r.text(raw, "drug", f"{path}.drug", required=True, limit=200),
        generic=generic,
        strength=r.text(raw, "strength", f"{path}.strength", required=True, limit=60),
        form=r.text(raw, "form", f"{path}.form", required=True, limit=60),
        quantity=r.number(raw, "quantity", f"{path}.quantity"),
        quantity_unit=r.text(raw, "quantity_unit", f"{path}.quantity_unit", limit=30),
        quantity_written=r.text(raw, "quantity_written", f"{path}.quantity_written", limit=60),
        sig=sig_text,
        handwritten_sig=r.flag(raw, "handwritten_sig", f"{path}.handwritten_sig"),
        refills=r.whole(raw, "refills", f"{path}.refills", default=0, high=99) or 0,
        written=r.day(raw, "written", f"{path}.written"),
        daw=r.whole(raw, "daw", f"{path}.daw", default=0, high=9) or 0,
        signed=r.flag(raw, "signed", f"{path}.signed", default=True),
        indication=r.text(raw, "indication", f"{path}.indication") or None,
        earliest_fill=r.day(raw, "earliest_fill", f"{path}.earliest_fill"),
        rx_number=r.text(raw, "rx_number", f"{path}.rx_number", limit=20),
        fill_number=r.whole(raw, "fill_number", f"{path}.fill_number", default=0, high=99) or 0,
        notes=r.text(raw, "notes", f"{path}.notes", limit=1000),
        transfer=transfer,
        phone_call=call,
    )


def _problems(r: _Reader, raw: LineDict, kind: str) -> tuple[PlantedProblem, ...]:
    out = []
    table = VALIDATION_KINDS | ERROR_KINDS if kind == "validation" else ERROR_KINDS
    for index, value in r.items(raw, "problems", "problems"):
        where = f"problems[{index}]"
        if not isinstance(value, LineDict):
            r.add(raw, "problems", "each problem is a mapping", where)
            continue
        for key in value:
            if key not in ("kind", "field", "note", "consequence", "rule", "resolution"):
                r.add(value, key, f"unknown field {key!r}", f"{where}.{key}")
        code = r.choice(value, "kind", f"{where}.kind", tuple(table), required=True)
        if code is None:
            continue
        known = table[code]
        resolution = r.mapping(value, "resolution", f"{where}.resolution", required=False)
        out.append(
            PlantedProblem(
                kind=code,
                field=r.text(value, "field", f"{where}.field", default=known.field, limit=60),
                note=r.text(value, "note", f"{where}.note", required=True, limit=2000),
                consequence=r.text(value, "consequence", f"{where}.consequence", default=known.consequence, limit=1000),
                rule=r.text(value, "rule", f"{where}.rule", default=known.rule, limit=1000),
                resolution=_resolution(r, resolution, f"{where}.resolution") if resolution is not None else {},
            )
        )
    return tuple(out)


_RESOLUTION_FIELDS = {
    "quantity": "number", "written": "date", "signed": "flag", "refills": "whole", "sig": "text",
    "daw": "whole", "prescriber.dea": "text", "prescriber.npi": "text", "strength": "text",
}


def _resolution(r: _Reader, raw: LineDict, path: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for key in raw:
        how = _RESOLUTION_FIELDS.get(key)
        if how is None:
            r.add(raw, key, f"a resolution sets one of: {', '.join(_RESOLUTION_FIELDS)}", f"{path}.{key}")
            continue
        reader = {"number": r.number, "date": r.day, "flag": r.flag, "whole": r.whole, "text": r.text}[how]
        out[key] = reader(raw, key, f"{path}.{key}")
    return out


def _pharmacy(r: _Reader, raw: LineDict) -> Pharmacy:
    value = r.mapping(raw, "pharmacy", "pharmacy", required=False, allowed=("name", "address", "phone", "npi"))
    if value is None:
        return DEFAULT_PHARMACY
    return Pharmacy(
        name=r.text(value, "name", "pharmacy.name", required=True),
        address=_address(r, value, "address", "pharmacy.address"),
        phone=r.text(value, "phone", "pharmacy.phone"),
        npi=r.text(value, "npi", "pharmacy.npi") or None,
    )


def _plan(r: _Reader, raw: LineDict, card: Insurance | None, patient: Patient | None, today: date | None, drugs) -> PlanRules | None:
    value = r.mapping(raw, "plan", "plan", allowed=(
        "name", "bin", "pcn", "group", "formulary", "excluded", "refill_threshold", "max_days_supply",
        "copays", "primary", "pays_refills", "pharmacy_in_network", "brand_penalty"))
    if value is None or card is None or patient is None or today is None:
        return None
    entries = []
    for index, entry in r.items(value, "formulary", "plan.formulary"):
        where = f"plan.formulary[{index}]"
        if not isinstance(entry, LineDict):
            r.add(value, "formulary", "each formulary entry is a mapping", where)
            continue
        generic = r.text(entry, "generic", f"{where}.generic", required=True)
        if generic and generic not in drugs:
            r.add(entry, "generic", f"{generic!r} is not in the drug reference", f"{where}.generic")
        entries.append(
            FormularyEntry(
                generic=generic,
                tier=r.whole(entry, "tier", f"{where}.tier", default=1, low=1, high=5) or 1,
                prior_auth=r.flag(entry, "prior_auth", f"{where}.prior_auth"),
                quantity_limit=r.number(entry, "quantity_limit", f"{where}.quantity_limit"),
                limit_days=r.whole(entry, "limit_days", f"{where}.limit_days", default=30, low=1, high=365) or 30,
                brand_tier=r.whole(entry, "brand_tier", f"{where}.brand_tier", low=1, high=5),
                min_age=r.whole(entry, "min_age", f"{where}.min_age", high=120),
                sex=r.choice(entry, "sex", f"{where}.sex", ("female", "male")),
            )
        )
    copays_raw = r.mapping(value, "copays", "plan.copays", required=False)
    copays = {1: Decimal("5"), 2: Decimal("15"), 3: Decimal("40"), 4: Decimal("75"), 5: Decimal("150")}
    if copays_raw is not None:
        for tier in copays_raw:
            if tier not in copays:
                r.add(copays_raw, tier, "copay tiers are 1 to 5", f"plan.copays.{tier}")
                continue
            copays[tier] = r.number(copays_raw, tier, f"plan.copays.{tier}", default=copays[tier])
    member = Member(
        cardholder_id=card.cardholder_id,
        person_code=card.person_code,
        first_name=patient.first_name,
        last_name=patient.last_name,
        birth_date=patient.birth_date,
        effective=card.effective or (today - timedelta(days=365)),
        terminated=card.terminated,
        sex=patient.sex,
    )
    return PlanRules(
        name=r.text(value, "name", "plan.name", required=True),
        bin=r.text(value, "bin", "plan.bin", default=card.bin),
        pcn=r.text(value, "pcn", "plan.pcn", default=card.pcn),
        group=r.text(value, "group", "plan.group", default=card.group),
        members=(member,),
        formulary=tuple(entries),
        excluded=r.texts(value, "excluded", "plan.excluded"),
        copays=copays,
        refill_threshold=r.number(value, "refill_threshold", "plan.refill_threshold", default=Decimal("0.75")),
        max_days_supply=r.whole(value, "max_days_supply", "plan.max_days_supply", default=90, low=1, high=365) or 90,
        brand_penalty=r.flag(value, "brand_penalty", "plan.brand_penalty", default=True),
        primary=r.flag(value, "primary", "plan.primary", default=True),
        pays_refills=r.flag(value, "pays_refills", "plan.pays_refills", default=True),
        pharmacy_in_network=r.flag(value, "pharmacy_in_network", "plan.pharmacy_in_network", default=True),
    )


def _product(r: _Reader, raw: LineDict, key: str, path: str, drugs: Mapping[str, Drug]) -> Product | None:
    code = r.text(raw, key, path, required=True, limit=20)
    if not code:
        return None
    check = ndc_rules.check(code)
    if not check.valid:
        r.add(raw, key, check.problems[0][1], path)
        return None
    found = claims.find_product(code, drugs)
    if found is None:
        r.add(raw, key, f"NDC {code} is not a product of the drug reference (use the training NDCs in question_bank/data)", path)
        return None
    return found[1]


def _shelf(r: _Reader, raw: LineDict, drugs) -> tuple[ShelfEntry, ...]:
    out = []
    for index, value in r.items(raw, "shelf", "shelf", required=True):
        where = f"shelf[{index}]"
        if not isinstance(value, LineDict):
            r.add(raw, "shelf", "each shelf entry is a mapping", where)
            continue
        for key in value:
            if key not in ("ndc", "trap", "note", "lot", "expires", "on_hand"):
                r.add(value, key, f"unknown field {key!r}", f"{where}.{key}")
        product = _product(r, value, "ndc", f"{where}.ndc", drugs)
        trap = r.choice(value, "trap", f"{where}.trap", SHELF_TRAPS)
        if product is None:
            continue
        out.append(
            ShelfEntry(
                product=product,
                trap=trap,
                note=r.text(value, "note", f"{where}.note", limit=1000),
                lot=r.text(value, "lot", f"{where}.lot", limit=30),
                expires=r.day(value, "expires", f"{where}.expires"),
                on_hand=r.number(value, "on_hand", f"{where}.on_hand", default=Decimal(100)) or Decimal(0),
            )
        )
    return tuple(out)


def _expected(r: _Reader, raw: LineDict) -> Expected | None:
    value = r.mapping(raw, "expected", "expected", allowed=(
        "review", "fillable", "directions", "quantity", "days_supply", "refills", "daw", "ndc", "claim", "label_fixes"))
    if value is None:
        return None
    fillable = r.flag(value, "fillable", "expected.fillable", default=True)
    claim_raw = r.mapping(value, "claim", "expected.claim", required=False, allowed=(
        "rejects", "dur", "actions", "resubmit", "paid_after_resubmit"))
    claim = ClaimKey()
    if claim_raw is not None:
        actions_raw = r.mapping(claim_raw, "actions", "expected.claim.actions", required=False)
        actions: dict[str, str] = {}
        if actions_raw is not None:
            for code in actions_raw:
                action = r.choice(actions_raw, code, f"expected.claim.actions.{code}", CLAIM_ACTIONS, required=True)
                if action:
                    actions[str(code)] = action
        resubmit_raw = r.mapping(claim_raw, "resubmit", "expected.claim.resubmit", required=False, allowed=(
            "quantity", "days_supply", "daw", "ndc", "prior_auth_number", "submission_clarification", "dur_override"))
        resubmit: dict[str, object] = {}
        if resubmit_raw is not None:
            for key in resubmit_raw:
                where = f"expected.claim.resubmit.{key}"
                if key == "quantity":
                    resubmit[key] = r.number(resubmit_raw, key, where)
                elif key in ("days_supply", "daw"):
                    resubmit[key] = r.whole(resubmit_raw, key, where, high=365)
                elif key == "dur_override":
                    codes = r.texts(resubmit_raw, key, where)
                    if len(codes) != 3:
                        r.add(resubmit_raw, key, "DUR override codes are three: reason, professional service, result", where)
                    resubmit[key] = codes
                else:
                    resubmit[key] = r.text(resubmit_raw, key, where)
        claim = ClaimKey(
            rejects=tuple(str(c) for c in r.texts(claim_raw, "rejects", "expected.claim.rejects")),
            dur=r.texts(claim_raw, "dur", "expected.claim.dur"),
            actions=actions,
            resubmit=resubmit,
            paid_after_resubmit=r.flag(claim_raw, "paid_after_resubmit", "expected.claim.paid_after_resubmit", default=True),
        )
    return Expected(
        review=r.choice(value, "review", "expected.review", REVIEW_ACTIONS, default="fill"),
        fillable=fillable,
        directions=r.text(value, "directions", "expected.directions", required=fillable),
        quantity=r.number(value, "quantity", "expected.quantity", required=fillable),
        days_supply=r.whole(value, "days_supply", "expected.days_supply", required=fillable, low=1, high=365),
        refills=r.whole(value, "refills", "expected.refills", required=fillable, high=99),
        daw=r.whole(value, "daw", "expected.daw", default=0, high=9) or 0,
        ndc=r.text(value, "ndc", "expected.ndc", required=fillable, limit=20),
        claim=claim,
        label_fixes=r.texts(value, "label_fixes", "expected.label_fixes"),
    )


def _label_changes(r: _Reader, raw: LineDict, key: str) -> dict[str, object]:
    value = r.mapping(raw, key, key, required=False, allowed=LABEL_FIELDS)
    if value is None:
        return {}
    out: dict[str, object] = {}
    for name in value:
        where = f"{key}.{name}"
        if name in ("cautions", "auxiliary_labels"):
            out[name] = r.texts(value, name, where)
        elif name == "refills":
            out[name] = r.whole(value, name, where, high=99)
        else:
            out[name] = r.text(value, name, where)
    return out


def _validation(r, raw, before, item_id, title, summary, today, areas, tags, patient, prescriber, rx, planted, pharmacy, drugs, source):
    dispensed = r.mapping(raw, "dispensed", "dispensed", allowed=("ndc", "quantity"))
    product = _product(r, dispensed, "ndc", "dispensed.ndc", drugs) if dispensed is not None else None
    quantity = r.number(dispensed, "quantity", "dispensed.quantity") if dispensed is not None else None
    changes = _label_changes(r, raw, "label_changes")
    expected_raw = r.mapping(raw, "expected", "expected", allowed=("dispense",))
    dispense = None
    if expected_raw is not None:
        dispense = expected_raw.get("dispense")
        if not isinstance(dispense, bool):
            r.add(expected_raw, "dispense", "is required: true or false", "expected.dispense")
            dispense = None
    expected_product = None
    if rx is not None and rx.generic in drugs:
        expected_product = next((p for p in drugs[rx.generic].products if checks.matches(p, rx)), None)
        if expected_product is None:
            r.add(raw.get("prescription"), "strength", f"the drug reference has no {rx.generic} {rx.strength} {rx.form}", "prescription.strength")
    if len(r.problems.problems) > before or None in (today, patient, prescriber, rx, product, expected_product, dispense):
        return None
    if product is not None and expected_product is not None and checks.matches(product, rx):
        expected_product = product
    return ValidationExercise(
        id=item_id,
        title=title,
        date=today,
        patient=patient,
        prescriber=prescriber,
        prescription=rx,
        product=product,
        expected_product=expected_product,
        label_changes=changes,
        problems=planted,
        dispense=dispense,
        areas=areas,
        tags=tags,
        summary=summary,
        pharmacy=pharmacy,
        dispensed_quantity=quantity,
        source=source,
    )


# ---- validation through the rules core ------------------------------------------------------------------


def validate(item: Item, drugs: Mapping[str, Drug]) -> list[tuple[str, str]]:
    """Every way a scenario disagrees with the rules core, as (field, message) pairs; [] when it is sound."""
    if isinstance(item, ValidationExercise):
        return _validate_exercise(item, drugs)
    return _validate_scenario(item, drugs)


def _planted_vs_found(planted: tuple[PlantedProblem, ...], found: list[checks.Finding]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    kinds = {p.kind for p in planted}
    seen: set[str] = set()
    for finding in found:
        if finding.kind.startswith("label:"):
            continue
        if finding.kind == "other":
            out.append((finding.field, f"the rules core finds a problem no planted kind covers: {finding.message}"))
        elif finding.kind not in kinds and finding.kind not in seen:
            seen.add(finding.kind)
            out.append((finding.field, f"the rules core finds {finding.kind} but no problem of that kind is planted: {finding.message}"))
    found_kinds = {f.kind for f in found}
    for index, problem in enumerate(planted):
        if problem.kind not in found_kinds:
            out.append((f"problems[{index}].kind", f"{problem.kind} is planted but the rules core does not find it"))
    return out


def _validate_scenario(s: Scenario, drugs: Mapping[str, Drug]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    rx, prescriber = checks.resolved(s)
    # the review key follows from what is planted
    review_kinds = [ERROR_KINDS[p.kind] for p in s.problems if ERROR_KINDS[p.kind].step == "review"]
    want_review = max((k.action for k in review_kinds), key=REVIEW_STRENGTH.__getitem__, default="fill")
    if s.expected.review != want_review:
        out.append(("expected.review", f"the planted problems call for {want_review!r}, not {s.expected.review!r}"))
    unresolved = [
        p for p in s.problems
        if ERROR_KINDS[p.kind].stops_fill or (p.kind in _RESOLVABLE and not p.resolution)
    ]
    want_fillable = not unresolved
    if s.expected.fillable != want_fillable:
        why = ", ".join(p.kind for p in unresolved) or "nothing stops it"
        out.append(("expected.fillable", f"should be {str(want_fillable).lower()} ({why})"))
    found = checks.findings(s, drugs)
    out += _planted_vs_found(s.problems, found)
    if s.prescription.presentation == "transfer" and s.prescription.transfer is None:
        out.append(("prescription.transfer", "a transferred prescription says where it came from"))
    if not s.expected.fillable:
        return out
    # resolutions must clear what they answer
    if any(p.resolution for p in s.problems):
        cleared = replace(s, prescription=rx, prescriber=prescriber, problems=())
        for finding in checks.findings(cleared, drugs):
            if ERROR_KINDS.get(finding.kind) is not None and ERROR_KINDS[finding.kind].step == "review":
                out.append(("problems", f"after the resolutions the core still finds {finding.kind}: {finding.message}"))
    entry = checks.prescribed_product(s, rx)
    if entry is None:
        out.append(("shelf", f"the shelf has no {rx.generic} {rx.strength} {rx.form} without a trap"))
    elif not ndc_rules.same_product(s.expected.ndc, entry.product.ndc) and not any(
        e.trap is None and checks.matches(e.product, rx) and ndc_rules.same_product(e.product.ndc, s.expected.ndc)
        for e in s.shelf
    ):
        out.append(("expected.ndc", f"the prescribed product on the shelf is {entry.product.ndc}, not {s.expected.ndc}"))
    for index, shelf_entry in enumerate(s.shelf):
        out += [(f"shelf[{index}].trap", m) for m in _trap_problems(shelf_entry, rx, drugs)]
    want_directions = checks.directions(rx.sig)
    if _folded(s.expected.directions) != _folded(want_directions):
        out.append(("expected.directions", f"the sig translates to {want_directions!r}"))
    if rx.quantity is not None and s.expected.quantity != rx.quantity:
        out.append(("expected.quantity", f"the prescription is for {rx.quantity.normalize():f}"))
    sched = checks.schedule(rx, drugs)
    want_refills = 0 if sched == "CII" else rx.refills
    if s.expected.refills != want_refills:
        out.append(("expected.refills", f"should be {want_refills}"))
    if rx.daw == 1 and s.expected.daw != 1:
        out.append(("expected.daw", "the prescriber wrote dispense as written: DAW 1"))
    if entry is not None:
        worked = checks.days_supply(rx, entry.product, actuations=s.actuations)
        if worked is not None and worked.days is not None and worked.days != s.expected.days_supply:
            out.append(("expected.days_supply", f"the core works out {worked.days} days: " + " ".join(worked.steps[-2:])))
        if worked is not None and worked.quantity is not None and rx.quantity is not None and worked.quantity != rx.quantity:
            out.append(("prescription.quantity", f"the taper needs {worked.quantity.normalize():f}"))
    if not sig.read(rx.sig).clauses:
        out.append(("prescription.sig", "the sig cannot be read"))
    out += _validate_claim(s, drugs)
    label_fields = sorted({f.field for f in found if f.kind.startswith("label:")})
    if sorted(s.expected.label_fixes) != label_fields:
        out.append(("expected.label_fixes", f"the core finds these label fields wrong: {', '.join(label_fields) or 'none'}"))
    return out


def _trap_problems(entry: ShelfEntry, rx: PresentedRx, drugs: Mapping[str, Drug]) -> list[str]:
    """Whether a shelf trap is what it claims to be, by the drug data."""
    product, trap = entry.product, entry.trap
    if trap is None:
        return []
    if checks.matches(product, rx):
        return ["this product is the prescribed one: it is no trap"]
    same_form = checks._fold(product.form) == checks._fold(rx.form)
    if trap == "wrong_strength" and not (product.generic == rx.generic and same_form):
        return [f"{product.label_name} is not {rx.generic} {rx.form} in another strength"]
    if trap == "lasa" and not checks._lasa(drugs.get(rx.generic), drugs.get(product.generic)):
        return [f"the drug data lists no look-alike/sound-alike pair of {rx.generic} and {product.generic}"]
    if trap == "wrong_form" and same_form and product.generic == rx.generic:
        return [f"{product.label_name} is the prescribed form"]
    return []


def _validate_claim(s: Scenario, drugs: Mapping[str, Drug]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    key = s.expected.claim
    response = checks.submit(s, checks.key_request(s), drugs)
    if sorted(response.codes) != sorted(key.rejects):
        detail = "; ".join(f"{r.code} {r.message} {r.detail}".strip() for r in response.rejects) or "paid"
        out.append(("expected.claim.rejects", f"the simulated payer answers: {detail}"))
    alert_codes = sorted({a.code for a in checks.dur_alerts(s, drugs)})
    if sorted(set(key.dur)) != alert_codes:
        out.append(("expected.claim.dur", f"the DUR review raises: {', '.join(alert_codes) or 'nothing'}"))
    for code in [c for c in key.rejects if c != "88"] + list(key.dur):
        allowed = CLAIM_ACTIONS_FOR.get(code)
        action = key.actions.get(code)
        if action is None:
            out.append(("expected.claim.actions", f"say what the technician does about {code}"))
        elif allowed and action not in allowed:
            out.append((f"expected.claim.actions.{code}", f"{action!r} is not a right response to {code} (one of {', '.join(allowed)})"))
    if key.resubmit:
        again = checks.submit(s, checks.key_request(s, **key.resubmit), drugs)
        if again.paid != key.paid_after_resubmit:
            outcome = "paid" if again.paid else "rejected " + ", ".join(again.codes)
            out.append(("expected.claim.resubmit", f"the resubmitted claim is {outcome}"))
    elif any(a == "correct_and_resubmit" for a in key.actions.values()):
        out.append(("expected.claim.resubmit", "say which corrected fields the resubmission carries"))
    return out


def _validate_exercise(e: ValidationExercise, drugs: Mapping[str, Drug]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    found = checks.exercise_findings(e, drugs)
    kinds = {p.kind for p in e.problems}
    seen: set[str] = set()
    for finding in found:
        if finding.kind == "other":
            out.append((finding.field, f"the rules core finds a problem no planted kind covers: {finding.message}"))
        elif finding.kind not in kinds and finding.kind not in seen:
            seen.add(finding.kind)
            out.append((finding.field, f"the rules core finds {finding.kind} but it is not planted: {finding.message}"))
    found_kinds = {f.kind for f in found}
    for index, problem in enumerate(e.problems):
        if problem.kind in VALIDATION_KINDS and problem.kind not in found_kinds:
            out.append((f"problems[{index}].kind", f"{problem.kind} is planted but the rules core does not find it"))
        if problem.kind in ERROR_KINDS:
            out.append((f"problems[{index}].kind", f"{problem.kind} is a dispensing kind; a pharmacist check plants one of: {', '.join(VALIDATION_KINDS)}"))
    want = not e.problems
    if e.dispense != want:
        out.append(("expected.dispense", f"should be {str(want).lower()}"))
    return out


def _folded(text: str) -> str:
    return " ".join(text.casefold().replace(".", "").split())


__all__ = [
    "ScenarioError",
    "default_areas",
    "default_drugs",
    "from_dict",
    "load_dir",
    "load_file",
    "load_text",
    "parse",
    "parse_item",
    "validate",
]

