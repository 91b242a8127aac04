"""Prescription rules: DEA, NPI, NDC, sig codes, days supply, controlled substances,
claims, DUR and labels. A pure package (no Flask, no database): see README.md here.

    from trainer.rx import dea, npi, ndc, sig, controlled
"""

from trainer.rx import (  # noqa: F401 - the public modules
    abbreviations,
    claims,
    controlled,
    dea,
    dur,
    labels,
    ndc,
    npi,
    records,
    sig,
    supply,
)
from trainer.rx.check import Check
from trainer.rx.ndc import NDC, NdcError
from trainer.rx.sig import Flag

__all__ = [
    "NDC",
    "Check",
    "Flag",
    "NdcError",
    "abbreviations",
    "claims",
    "controlled",
    "dea",
    "dur",
    "labels",
    "ndc",
    "npi",
    "records",
    "sig",
    "supply",
]
