"""The drug reference as the site serves it: one row a drug, one row a product (NDC).

A drug's facts and their sources live in `data` (the plain form of trainer.rx.records.Drug,
written by trainer.services.drugs); the columns beside it are what pages search and
filter by. Rows are written only by `flask trainer import`, so several app servers serve
the same reference.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.models.base import UTCDateTime, utcnow


class DrugEntry(db.Model):
    __tablename__ = "drugs"

    id: Mapped[int] = mapped_column(primary_key=True)
    generic: Mapped[str] = mapped_column(String(120), unique=True, index=True)
    brands: Mapped[str] = mapped_column(String(400), default="")  # "Lipitor; …" for search
    drug_class: Mapped[str] = mapped_column(String(200), default="", index=True)
    schedule: Mapped[str | None] = mapped_column(String(4), index=True)
    # lower-cased generic, brands, classes and look-alike partners, for one LIKE search
    search_text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(200), default="")  # the file it came from
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    products: Mapped[list[DrugProduct]] = relationship(
        back_populates="drug", cascade="all, delete-orphan", order_by="DrugProduct.ndc11"
    )


class DrugProduct(db.Model):
    __tablename__ = "drug_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    drug_id: Mapped[int] = mapped_column(ForeignKey("drugs.id", ondelete="CASCADE"), index=True)
    ndc: Mapped[str] = mapped_column(String(14))  # as printed, hyphenated
    ndc11: Mapped[str] = mapped_column(String(11), unique=True, index=True)  # billing form
    training: Mapped[bool] = mapped_column(Boolean, default=True)  # made up: never a real code
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    drug: Mapped[DrugEntry] = relationship(back_populates="products")
