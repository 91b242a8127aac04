"""The drug reference files (question_bank/data/drugs-*.yaml): read, checked, turned into Drugs.

    from trainer.rx.formulary import load_drug_dir
    reference = load_drug_dir("question_bank/data")     # raises ImportFailed naming file and line
    reference.drugs["atorvastatin"].usual_adult_dose.text

Every fact carries its source: a drug's `label` (its FDA labeling on DailyMed, made from
the generic name unless given) covers the forms, dose, interactions, pregnancy, storage
and auxiliary labels; look-alike partners name the list they come from; a schedule cites
21 CFR 1308; an older-adult caution cites the AGS Beers Criteria. The format is in
question_bank/data/README.md. Products get well-formed training NDCs (marked as not
real) unless a file gives a real one with its source.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote

from trainer.content.source import (
    ImportFailed,
    LineDict,
    LineList,
    ProblemList,
    SourceProblem,
    load_yaml,
    read_text,
)
from trainer.rx import controlled, ndc
from trainer.rx.records import DoseRange, Drug, Interaction, LasaPartner, Product, Source

DRUG_FILES = "drugs-*.yaml"
SOURCES_FILE = "sources.yaml"
MAX_FILE_BYTES = 2_000_000

LIST_SOURCES = {
    "ismp-tall-man": Source(
        "ISMP List of Look-Alike Drug Names with Recommended Tall Man (Mixed Case) Letters",
        "https://www.ismp.org/recommendations/tall-man-letters-list",
    ),
    "fda-tall-man": Source(
        "FDA Name Differentiation Project (Tall Man lettering)",
        "https://www.fda.gov/drugs/medication-errors-related-cder-regulated-drug-products/fda-name-differentiation-project",
    ),
    "ismp-confused": Source(
        "ISMP List of Confused Drug Names",
        "https://www.ismp.org/tools/confused-drug-names-list",
    ),
}
BEERS_SOURCE = Source(
    "American Geriatrics Society 2023 Updated AGS Beers Criteria, J Am Geriatr Soc 2023;71(7):2052-2081",
    "https://doi.org/10.1111/jgs.18372",
)
SCHEDULE_SOURCE = Source(
    "21 CFR Part 1308, Schedules of Controlled Substances",
    "https://www.ecfr.gov/current/title-21/chapter-II/part-1308",
)
HIGH_ALERT_SOURCE = Source(
    "ISMP List of High-Alert Medications in Community/Ambulatory Care Settings",
    "https://www.ismp.org/recommendations/high-alert-medications-community-ambulatory-list",
)
STORAGE = {
    "room": "Store at 20–25 °C (68–77 °F); excursions permitted to 15–30 °C (USP controlled room temperature)",
    "fridge": "Refrigerate at 2–8 °C (36–46 °F); do not freeze",
}
DRUG_FIELDS = (
    "generic",
    "brands",
    "class",
    "classes",
    "schedule",
    "forms",
    "dose",
    "max_daily",
    "lasa",
    "interactions",
    "pregnancy",
    "older_adults",
    "min_age",
    "storage",
    "auxiliary",
    "high_alert",
    "label",
    "in_use_days",
    "note",
)
SEVERITIES = ("major", "moderate", "minor")
_AMOUNT = re.compile(
    r"(\d+(?:\.\d+)?)\s*(mg|mcg|g|units|mL|puffs|sprays|drops|patches|tablets|capsules)"
)
_STRENGTH = re.compile(r"[0-9][0-9.,/ ]*(?:mg|mcg|g|units|mEq|%|mL|IU)(?:[/ ].*)?")
# Training NDCs use labeler codes picked for practice; every Product made here is marked
# `training=True`, and every screen that shows one says it is not a real product code.
TRAINING_LABELERS = {"4-4-2": "0999", "5-3-2": "99998", "5-4-1": "99997"}
PACKAGES = {
    "tablet": (Decimal(30), "tablet"),
    "capsule": (Decimal(30), "capsule"),
    "oral suspension": (Decimal(100), "mL"),
    "oral solution": (Decimal(120), "mL"),
    "ophthalmic solution": (Decimal(5), "mL"),
    "inhaler": (Decimal(1), "inhaler"),
    "vial": (Decimal(10), "mL"),
    "pen": (Decimal(15), "mL"),
    "cream": (Decimal(30), "g"),
    "ointment": (Decimal(30), "g"),
    "patch": (Decimal(10), "patch"),
    "nasal spray": (Decimal(1), "bottle"),
}


def _package(form: str) -> tuple[Decimal, str]:
    """The package a training product comes in: 30 of a solid, a bottle, a tube, a pen box."""
    if form in PACKAGES:
        return PACKAGES[form]
    for kind in ("tablet", "capsule"):
        if kind in form:
            return Decimal(30), kind
    return Decimal(1), form


@dataclass
class DrugReference:
    """Every drug of the reference by generic name, and which file and line each came from."""

    drugs: dict[str, Drug] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)  # generic → "file:line"
    taken_ndcs: set[str] = field(default_factory=set)  # 11-digit forms already given out

    def search(self, text: str, limit: int = 50) -> list[Drug]:
        """Drugs whose generic, brand, class or look-alike partner contains the text."""
        needle = " ".join(str(text).casefold().split())[:80]
        if not needle:
            return []
        found = []
        for drug in self.drugs.values():
            haystack = [
                drug.generic,
                *drug.brands,
                drug.drug_class,
                *drug.classes,
                *(p.name for p in drug.lasa),
            ]
            if any(needle in h.casefold() for h in haystack):
                found.append(drug)
        return found[:limit]


def dailymed(generic: str) -> Source:
    """The DailyMed search for a drug's FDA labeling: the public page a learner can open."""
    return Source(
        f"FDA labeling for {generic} (DailyMed)",
        "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query="
        + quote(generic.replace("/", " and ")),
    )


def training_ndc(
    generic: str, form: str, strength: str, shape: str, taken: set[str] | None = None
) -> str:
    """A well-formed NDC made from the drug, form and strength: stable across edits of the file.

    `taken` holds the 11-digit forms already given out; a clash takes the next candidate.
    """
    for attempt in range(1000):
        code = _candidate(
            f"{generic}|{form}|{strength}|{attempt}" if attempt else f"{generic}|{form}|{strength}",
            shape,
        )
        if taken is None or ndc.billing(code) not in taken:
            if taken is not None:
                taken.add(ndc.billing(code))
            return code
    raise ValueError("no free training NDC")  # pragma: no cover - 10⁵ codes per shape


def _candidate(key: str, shape: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()
    number = int(digest[:12], 16)
    labeler = TRAINING_LABELERS[shape]
    lengths = ndc.SHAPES[shape]
    product = str(number % 10 ** lengths[1]).zfill(lengths[1])
    package = str(number // 10 ** lengths[1] % 10 ** lengths[2]).zfill(lengths[2])
    return f"{labeler}-{product}-{package}"


def _text(
    node: LineDict, name: str, problems: ProblemList, item: str, required: bool = False
) -> str | None:
    value = node.get(name)
    if value is None:
        if required:
            problems.add(node.line_of(name), "is required", item, name)
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(node.line_of(name), "must be text", item, name)
        return None
    return " ".join(value.split())


def _texts(node: LineDict, name: str, problems: ProblemList, item: str) -> tuple[str, ...]:
    value = node.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(node.line_of(name), "must be a list of text", item, name)
        return ()
    return tuple(" ".join(v.split()) for v in value)


def _amount(text: str) -> tuple[Decimal, str] | None:
    match = _AMOUNT.fullmatch(text.strip())
    if not match:
        return None
    try:
        return Decimal(match.group(1)), match.group(2)
    except InvalidOperation:
        return None


def _drug(
    node: object, line: int | None, problems: ProblemList, shape_cycle: list[int], taken: set[str]
) -> Drug | None:
    if not isinstance(node, LineDict):
        problems.add(line, "a drug is a mapping of fields")
        return None
    generic = node.get("generic")
    item = generic if isinstance(generic, str) else None
    before = len(problems.problems)
    for key in node:
        if key not in DRUG_FIELDS:
            problems.add(
                node.line_of(key),
                f"unknown field {key!r} (known: {', '.join(DRUG_FIELDS)})",
                item,
                str(key),
            )
    generic = _text(node, "generic", problems, item, required=True)
    drug_class = _text(node, "class", problems, item, required=True)
    brands = _texts(node, "brands", problems, item)
    classes = _texts(node, "classes", problems, item)
    schedule = None
    if node.get("schedule") is not None:
        try:
            schedule = controlled.schedule_of(node.get("schedule"))
        except ValueError as exc:
            problems.add(node.line_of("schedule"), str(exc), item, "schedule")
    label = dailymed(generic or "")
    if node.get("label") is not None:
        url = _text(node, "label", problems, item)
        if url is not None and not url.startswith("https://"):
            problems.add(
                node.line_of("label"), "must be an https:// address of the FDA label", item, "label"
            )
        elif url is not None:
            label = Source(f"FDA labeling for {generic}", url)
    in_use = node.get("in_use_days")
    if in_use is not None and (
        isinstance(in_use, bool) or not isinstance(in_use, int) or not 1 <= in_use <= 365
    ):
        problems.add(
            node.line_of("in_use_days"), "must be a whole number of days", item, "in_use_days"
        )
        in_use = None
    forms_node = node.get("forms")
    forms: list[str] = []
    products: list[Product] = []
    if not isinstance(forms_node, LineDict) or not forms_node:
        problems.add(
            node.line_of("forms"), "is required: each dosage form with its strengths", item, "forms"
        )
    else:
        for form, strengths in forms_node.items():
            where = forms_node.line_of(form)
            if not isinstance(form, str) or not isinstance(strengths, list) or not strengths:
                problems.add(
                    where,
                    "each form lists its strengths, e.g. tablet: [10 mg, 20 mg]",
                    item,
                    "forms",
                )
                continue
            good = [
                str(s) for s in strengths if isinstance(s, str) and _STRENGTH.fullmatch(s.strip())
            ]
            if len(good) != len(strengths):
                problems.add(
                    where,
                    f"a strength of {form} is not an amount with a unit such as 10 mg or 100 units/mL",
                    item,
                    "forms",
                )
                continue
            forms.append(f"{form} {', '.join(good)}")
            if generic is None:
                continue
            size, unit = _package(form)
            for strength in good:
                shape = ndc.TEN_DIGIT_SHAPES[shape_cycle[0] % 3]
                shape_cycle[0] += 1
                products.append(
                    Product(
                        ndc=training_ndc(generic, form, strength, shape, taken),
                        generic=generic,
                        strength=strength,
                        form=form,
                        package_size=size,
                        package_unit=unit,
                        training=True,
                        unit_price=Decimal("0.25")
                        if unit in ("tablet", "capsule")
                        else Decimal("2.50"),
                        in_use_days=in_use
                        if form in ("pen", "vial", "ophthalmic solution")
                        else None,
                        source="training NDC made up for practice: not a real product code",
                    )
                )
            if brands and generic is not None and good:
                shape = ndc.TEN_DIGIT_SHAPES[shape_cycle[0] % 3]
                shape_cycle[0] += 1
                products.append(
                    Product(
                        ndc=training_ndc(generic, form + "|" + brands[0], good[0], shape, taken),
                        generic=generic,
                        strength=good[0],
                        form=form,
                        package_size=size,
                        package_unit=unit,
                        brand=brands[0],
                        training=True,
                        unit_price=Decimal("5.00")
                        if unit in ("tablet", "capsule")
                        else Decimal("25.00"),
                        in_use_days=in_use
                        if form in ("pen", "vial", "ophthalmic solution")
                        else None,
                        source="training NDC made up for practice: not a real product code",
                    )
                )
    dose_text = _text(node, "dose", problems, item, required=True)
    max_daily = None
    unit = None
    if node.get("max_daily") is not None:
        raw = node.get("max_daily")
        parsed = _amount(raw) if isinstance(raw, str) else None
        if parsed is None:
            problems.add(
                node.line_of("max_daily"), "must be an amount such as 80 mg", item, "max_daily"
            )
        else:
            max_daily, unit = parsed
    lasa: list[LasaPartner] = []
    lasa_node = node.get("lasa")
    if lasa_node is not None:
        if not isinstance(lasa_node, LineList):
            problems.add(
                node.line_of("lasa"), "must be a list of {name, tall_man, list}", item, "lasa"
            )
        else:
            for index, partner in enumerate(lasa_node):
                where = lasa_node.line_of(index)
                if not isinstance(partner, LineDict) or not isinstance(partner.get("name"), str):
                    problems.add(
                        where,
                        "a look-alike partner is {name: …, tall_man: …, list: …}",
                        item,
                        "lasa",
                    )
                    continue
                listed = partner.get("list")
                if listed not in LIST_SOURCES:
                    problems.add(
                        where, "list must name the source: " + ", ".join(LIST_SOURCES), item, "lasa"
                    )
                    continue
                tall = partner.get("tall_man")
                if tall is not None and (
                    not isinstance(tall, str) or tall.casefold() != partner["name"].casefold()
                ):
                    problems.add(
                        where,
                        "tall_man must be the same name with some letters in capitals",
                        item,
                        "lasa",
                    )
                    continue
                lasa.append(LasaPartner(partner["name"], tall, str(LIST_SOURCES[listed])))
    interactions: list[Interaction] = []
    inter_node = node.get("interactions")
    if inter_node is not None:
        if not isinstance(inter_node, LineList):
            problems.add(
                node.line_of("interactions"),
                "must be a list of {with, severity, effect}",
                item,
                "interactions",
            )
        else:
            for index, entry in enumerate(inter_node):
                where = inter_node.line_of(index)
                if (
                    not isinstance(entry, LineDict)
                    or set(entry) - {"with", "severity", "effect"}
                    or not all(
                        isinstance(entry.get(k), str) for k in ("with", "severity", "effect")
                    )
                ):
                    problems.add(
                        where,
                        "an interaction is {with: …, severity: major|moderate|minor, effect: …}",
                        item,
                        "interactions",
                    )
                    continue
                if entry["severity"] not in SEVERITIES:
                    problems.add(
                        where, "severity must be major, moderate or minor", item, "interactions"
                    )
                    continue
                interactions.append(
                    Interaction(entry["with"], entry["severity"], entry["effect"], str(label))
                )
    pregnancy_avoid = False
    pregnancy = None
    preg = node.get("pregnancy")
    if preg is not None:
        if (
            isinstance(preg, LineDict)
            and isinstance(preg.get("text"), str)
            and isinstance(preg.get("avoid", False), bool)
            and set(preg) <= {"text", "avoid"}
        ):
            pregnancy = " ".join(preg["text"].split())
            pregnancy_avoid = preg.get("avoid", False)
        else:
            problems.add(
                node.line_of("pregnancy"), "must be {text: …, avoid: true|false}", item, "pregnancy"
            )
    older = _text(node, "older_adults", problems, item)
    min_age = node.get("min_age")
    if min_age is not None and (
        isinstance(min_age, bool) or not isinstance(min_age, int) or not 0 <= min_age <= 21
    ):
        problems.add(node.line_of("min_age"), "must be an age in whole years", item, "min_age")
        min_age = None
    storage_raw = node.get("storage", "room")
    storage = STORAGE.get(storage_raw, storage_raw) if isinstance(storage_raw, str) else None
    if storage is None:
        problems.add(
            node.line_of("storage"), "must be room, fridge or text from the label", item, "storage"
        )
    high_alert = node.get("high_alert", False)
    if not isinstance(high_alert, bool):
        problems.add(node.line_of("high_alert"), "must be true or false", item, "high_alert")
        high_alert = False
    if node.get("note") is not None:
        _text(node, "note", problems, item)
    if (
        len(problems.problems) > before
        or generic is None
        or drug_class is None
        or dose_text is None
    ):
        return None
    sources = [label]
    if schedule:
        sources.append(SCHEDULE_SOURCE)
    if older:
        sources.append(BEERS_SOURCE)
    if high_alert:
        sources.append(HIGH_ALERT_SOURCE)
    sources.extend(
        LIST_SOURCES[p["list"]]
        for p in lasa_node or []
        if isinstance(p, dict) and p.get("list") in LIST_SOURCES
    )
    unique_sources = tuple(dict.fromkeys(sources))
    return Drug(
        generic=generic,
        brands=brands,
        drug_class=drug_class,
        classes=classes or (drug_class,),
        schedule=schedule,
        forms=tuple(forms),
        usual_adult_dose=DoseRange(dose_text, max_daily, unit, str(label)),
        lasa=tuple(lasa),
        interactions=tuple(interactions),
        pregnancy=pregnancy,
        pregnancy_avoid=pregnancy_avoid,
        older_adults=older,
        min_age_years=min_age,
        storage=storage or "",
        auxiliary_labels=_texts(node, "auxiliary", problems, item),
        high_alert=high_alert,
        products=tuple(products),
        sources=unique_sources,
    )


def load_drug_file(
    path: str | Path, reference: DrugReference | None = None, label: str | None = None
) -> DrugReference:
    """Read one drugs-*.yaml file into a reference (a new one unless given); raise ImportFailed."""
    path = Path(path)
    label = label or str(path)
    reference = reference if reference is not None else DrugReference()
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFailed(
            [SourceProblem(label, None, f"the file is larger than {MAX_FILE_BYTES:,} bytes")]
        )
    data = load_yaml(read_text(path, label), label)
    problems = ProblemList(label)
    if not isinstance(data, LineDict) or not isinstance(data.get("drugs"), LineList):
        problems.add(getattr(data, "line", 1), "a drug file has a top-level `drugs:` list")
        raise ImportFailed(problems.problems)
    for key in data:
        if key != "drugs":
            problems.add(data.line_of(key), f"unknown top-level key {key!r}; drugs go in `drugs:`")
    shape_cycle = [0]
    for index, node in enumerate(data["drugs"]):
        drug = _drug(
            node, data["drugs"].line_of(index), problems, shape_cycle, reference.taken_ndcs
        )
        if drug is None:
            continue
        line = data["drugs"].line_of(index)
        if drug.generic in reference.drugs:
            problems.add(
                line,
                f"{drug.generic} is already defined at {reference.origin[drug.generic]}",
                drug.generic,
                "generic",
            )
            continue
        reference.drugs[drug.generic] = drug
        reference.origin[drug.generic] = f"{label}:{line}"
    if problems:
        raise ImportFailed(problems.problems)
    return reference


def load_drug_dir(root: str | Path, label_root: str | None = None) -> DrugReference:
    """Every drugs-*.yaml in a folder, checked across files; raise ImportFailed with every problem."""
    root = Path(root)
    reference = DrugReference()
    problems: list[SourceProblem] = []
    files = sorted(root.glob(DRUG_FILES))
    if not files:
        raise ImportFailed([SourceProblem(str(root), None, "no drugs-*.yaml files")])
    for path in files:
        shown = f"{label_root}/{path.name}" if label_root else str(path)
        try:
            load_drug_file(path, reference, shown)
        except ImportFailed as exc:
            problems.extend(exc.problems)
    problems.extend(_cross_file_problems(reference))
    if problems:
        raise ImportFailed(problems)
    return reference


def _cross_file_problems(reference: DrugReference) -> list[SourceProblem]:
    """Interactions name a drug or class that exists; NDCs are unique."""
    problems: list[SourceProblem] = []
    known = set(reference.drugs) | {c for d in reference.drugs.values() for c in d.classes}
    seen: dict[str, str] = {}
    for drug in reference.drugs.values():
        where, _, line = reference.origin[drug.generic].rpartition(":")
        for item in drug.interactions:
            if item.with_ not in known:
                problems.append(
                    SourceProblem(
                        where,
                        int(line),
                        f"interaction with {item.with_!r}: no drug or class of that name",
                        drug.generic,
                        "interactions",
                    )
                )
        for product in drug.products:
            key = ndc.billing(product.ndc)
            if key in seen and seen[key] != drug.generic:
                problems.append(
                    SourceProblem(
                        where,
                        int(line),
                        f"NDC {product.ndc} is also {seen[key]}'s",
                        drug.generic,
                        "products",
                    )
                )
            seen[key] = drug.generic
    return problems
