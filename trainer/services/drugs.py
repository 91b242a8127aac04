"""The drug reference in the database: saved by the import, read back as trainer.rx records.

    from trainer.services import drugs
    drugs.reference()                       # {generic: Drug} for DUR, claims and labels
    drugs.get("atorvastatin")               # a Drug, or None
    drugs.search("lipitor", schedule="CII")  # Drugs for the reference page and the API

Rows hold each drug as plain JSON (`drug_data`); `drug_from_data` turns it back into the
frozen dataclasses of trainer.rx.records, so the rules never see a row.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.extensions import db
from trainer.models import DrugEntry, DrugProduct
from trainer.rx import ndc as ndc_rules
from trainer.rx.formulary import DrugReference
from trainer.rx.records import DoseRange, Drug, Interaction, LasaPartner, Product, Source

MAX_QUERY = 80
PAGE = 50


def _plain(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def drug_data(drug: Drug) -> dict:
    """A Drug as JSON-ready data (Decimals as text), products included."""
    return _plain(asdict(drug))


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def product_from_data(data: dict) -> Product:
    """A Product from its stored data."""
    return Product(
        **{
            **data,
            "package_size": Decimal(str(data["package_size"])),
            "unit_price": Decimal(str(data.get("unit_price", "0"))),
        }
    )


def drug_from_data(data: dict) -> Drug:
    """The Drug a row stores."""
    dose = data.get("usual_adult_dose")
    return Drug(
        generic=data["generic"],
        brands=tuple(data.get("brands", ())),
        drug_class=data.get("drug_class", ""),
        classes=tuple(data.get("classes", ())),
        schedule=data.get("schedule"),
        forms=tuple(data.get("forms", ())),
        usual_adult_dose=DoseRange(dose["text"], _decimal(dose.get("max_daily")), dose.get("unit"), dose.get("source", "")) if dose else None,
        lasa=tuple(LasaPartner(**p) for p in data.get("lasa", ())),
        interactions=tuple(Interaction(**i) for i in data.get("interactions", ())),
        pregnancy=data.get("pregnancy"),
        pregnancy_avoid=bool(data.get("pregnancy_avoid")),
        older_adults=data.get("older_adults"),
        min_age_years=data.get("min_age_years"),
        storage=data.get("storage", ""),
        auxiliary_labels=tuple(data.get("auxiliary_labels", ())),
        high_alert=bool(data.get("high_alert")),
        products=tuple(product_from_data(p) for p in data.get("products", ())),
        sources=tuple(Source(**s) for s in data.get("sources", ())),
        rank=data.get("rank"),
    )


def _search_text(drug: Drug) -> str:
    words = [drug.generic, *drug.brands, drug.drug_class, *drug.classes, *(p.name for p in drug.lasa)]
    return " | ".join(w.casefold() for w in words)


def save_drug(drug: Drug, source: str = "") -> tuple[DrugEntry, str]:
    """Insert or update one drug and its products by generic name: (row, created|updated|unchanged)."""
    data = drug_data(drug)
    row = db.session.scalar(select(DrugEntry).where(DrugEntry.generic == drug.generic))
    outcome = "created"
    if row is None:
        row = DrugEntry(generic=drug.generic)
        db.session.add(row)
    elif row.data == data and row.source == source:
        return row, "unchanged"
    else:
        outcome = "updated"
    row.brands = "; ".join(drug.brands)[:400]
    row.drug_class = drug.drug_class[:200]
    row.schedule = drug.schedule
    row.search_text = _search_text(drug)
    row.data = data
    row.source = source[:200]
    wanted = {ndc_rules.billing(p.ndc): p for p in drug.products}
    for product in list(row.products):
        if product.ndc11 not in wanted:
            row.products.remove(product)
    have = {p.ndc11: p for p in row.products}
    for key, product in wanted.items():
        stored = have.get(key)
        if stored is None:
            stored = DrugProduct(ndc11=key)
            row.products.append(stored)
        stored.ndc = product.ndc
        stored.training = product.training
        stored.data = _plain(asdict(product))
    return row, outcome


def save_reference(reference: DrugReference) -> dict[str, int]:
    """Upsert every drug of a reference (the caller commits): outcome → count."""
    counts: dict[str, int] = {}
    # products move between drugs only when an NDC is reassigned; flush deletions first
    for generic, drug in reference.drugs.items():
        _, outcome = save_drug(drug, reference.origin.get(generic, "").rsplit(":", 1)[0])
        counts[outcome] = counts.get(outcome, 0) + 1
    db.session.flush()
    return counts


def reference() -> dict[str, Drug]:
    """Every drug in the database by generic name."""
    rows = db.session.scalars(select(DrugEntry).order_by(DrugEntry.generic)).all()
    return {row.generic: drug_from_data(row.data) for row in rows}


def get(generic: str) -> Drug | None:
    """One drug by generic name, or None."""
    if not isinstance(generic, str) or len(generic) > 120:
        return None
    row = db.session.scalar(select(DrugEntry).where(DrugEntry.generic == generic))
    return drug_from_data(row.data) if row else None


def by_ndc(code: str) -> tuple[Drug, Product] | None:
    """The drug and product of an NDC in any shape, or None."""
    try:
        key = ndc_rules.billing(code)
    except ndc_rules.NdcError:
        return None
    product = db.session.scalar(
        select(DrugProduct).where(DrugProduct.ndc11 == key).options(selectinload(DrugProduct.drug))
    )
    if product is None:
        return None
    return drug_from_data(product.drug.data), product_from_data(product.data)


def search(
    text: str = "", *, schedule: str | None = None, drug_class: str | None = None, limit: int = PAGE
) -> list[Drug]:
    """Drugs whose generic, brand, class or look-alike partner contains `text`, filtered."""
    query = select(DrugEntry).order_by(DrugEntry.generic)
    needle = " ".join(str(text or "").casefold().split())[:MAX_QUERY]
    if needle:
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(DrugEntry.search_text.like(f"%{escaped}%", escape="\\"))
    if schedule == "none":
        query = query.where(DrugEntry.schedule.is_(None))
    elif schedule:
        query = query.where(DrugEntry.schedule == schedule)
    if drug_class:
        query = query.where(DrugEntry.drug_class == drug_class)
    rows = db.session.scalars(query.limit(max(1, min(limit, 300)))).all()
    return [drug_from_data(row.data) for row in rows]


def classes() -> list[str]:
    """Every drug class in the reference, for the filter."""
    return list(db.session.scalars(select(DrugEntry.drug_class).distinct().order_by(DrugEntry.drug_class)))


def count() -> int:
    """How many drugs the reference holds."""
    return len(db.session.scalars(select(DrugEntry.id)).all())
