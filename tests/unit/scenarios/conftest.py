"""Fixtures for the scenario core: the shipped drug reference, the shipped scenarios, and
a small scenario file to break one field at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.rx.scenarios import default_drugs, load_dir

ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = ROOT / "question_bank" / "scenarios"

# A sound dispensing scenario; tests replace one line to break it. Lines are numbered
# from the top of this text, so a message's line can be asserted exactly.
CLEAN = """\
scenarios:
  - id: lisinopril-clean
    title: Lisinopril, nothing wrong
    date: 2026-03-02
    areas: ['ptce-2020:4.2']
    patient:
      id: P-1
      first_name: Maria
      last_name: Lopez
      birth_date: 1968-04-12
      address: {street: 42 Oak Avenue, city: Springfield, state: IL, zip: '62704'}
      insurance: {bin: '610014', pcn: TRAIN01, group: RXT100, cardholder_id: ZX1, person_code: '01'}
    prescriber:
      id: D-1
      first_name: Anita
      last_name: Patel
      dea: AP9458072
      npi: '1302157361'
      address: {street: 10 Clinic Road, city: Springfield, state: IL, zip: '62702'}
    prescription:
      presentation: eprescribed
      drug: lisinopril 10 mg tablet
      generic: lisinopril
      strength: 10 mg
      form: tablet
      quantity: 30
      quantity_unit: tablet
      sig: 1 tab po daily
      refills: 5
      written: 2026-03-01
      rx_number: '6001001'
    plan:
      name: Training Health Plan
      formulary: [{generic: lisinopril, tier: 1}]
    shelf:
      - {ndc: 99998-883-39}
    expected:
      review: fill
      directions: Take 1 tablet by mouth daily.
      quantity: 30
      days_supply: 30
      refills: 5
      ndc: 99998-883-39
      claim: {rejects: [], dur: []}
"""


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line containing `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


@pytest.fixture(scope="session")
def drugs():
    return default_drugs()


@pytest.fixture(scope="session")
def shipped(drugs):
    return load_dir(SCENARIOS, drugs)


@pytest.fixture(scope="session")
def by_id(shipped):
    return {item.id: item for item in shipped}
