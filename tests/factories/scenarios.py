"""Scenario test data on simvastatin, checked by the rules core: two dispensing scenarios, one
whose review stops the fill (expired), and a pharmacist check."""

from __future__ import annotations

from trainer.extensions import db

SCENARIO_YAML = """\
scenarios:
  - id: test-simvastatin-written
    title: Simvastatin on a written pad
    summary: A written prescription for a statin.
    date: 2026-03-02
    areas: [ptce-2020:4.4]
    tags: [written]
    patient:
      id: P1
      first_name: Maria
      last_name: Lopez
      birth_date: 1961-04-12
      sex: female
      address: {street: 12 Oak Street, city: Springfield, state: IL, zip: "62701"}
      allergies: [penicillin]
      insurance: {bin: "610014", pcn: RXTRAIN, group: GRP100, cardholder_id: ML123456, person_code: "01", relationship: 1}
    lookalike_patients:
      - id: P2
        first_name: Maria
        last_name: Lopez
        birth_date: 1988-09-30
        sex: female
    prescriber:
      id: D1
      first_name: Alan
      last_name: Brown
      credentials: MD
      dea: BB1388568
      npi: "1234567893"
      phone: (217) 555-0142
      address: {street: 1 Clinic Way, city: Springfield, state: IL, zip: "62702"}
    prescription:
      presentation: written
      drug: simvastatin 20 mg tablet
      generic: simvastatin
      strength: 20 mg
      form: tablet
      quantity: 30
      quantity_unit: tablet
      quantity_written: "thirty (30)"
      sig: 1 tab po daily in the evening
      handwritten_sig: true
      refills: 3
      written: 2026-02-27
      rx_number: "6000101"
    plan:
      name: Training Health Plan
      formulary:
        - {generic: simvastatin, tier: 1}
    shelf:
      - {ndc: 99998-364-00, lot: A123, expires: 2027-05-31}
      - {ndc: 99997-0156-3, trap: wrong_strength, note: The 40 mg bottle sits beside the 20 mg.}
    problems:
      - kind: wrong_strength_on_shelf
        note: Simvastatin 20 mg and 40 mg bottles look alike; read the strength and scan the NDC.
    expected:
      review: fill
      directions: Take 1 tablet by mouth daily in the evening.
      quantity: 30
      days_supply: 30
      refills: 3
      daw: 0
      ndc: 99998-364-00
  - id: test-simvastatin-claim
    title: Simvastatin with a plan limit
    summary: A written prescription for a statin.
    date: 2026-03-02
    areas: [ptce-2020:4.4]
    tags: [written]
    patient:
      id: P1
      first_name: Maria
      last_name: Lopez
      birth_date: 1961-04-12
      sex: female
      address: {street: 12 Oak Street, city: Springfield, state: IL, zip: "62701"}
      allergies: [penicillin]
      insurance: {bin: "610014", pcn: RXTRAIN, group: GRP100, cardholder_id: ML123456, person_code: "01", relationship: 1}
    lookalike_patients:
      - id: P2
        first_name: Maria
        last_name: Lopez
        birth_date: 1988-09-30
        sex: female
    prescriber:
      id: D1
      first_name: Alan
      last_name: Brown
      credentials: MD
      dea: BB1388568
      npi: "1234567893"
      phone: (217) 555-0142
      address: {street: 1 Clinic Way, city: Springfield, state: IL, zip: "62702"}
    prescription:
      presentation: eprescribed
      drug: simvastatin 20 mg tablet
      generic: simvastatin
      strength: 20 mg
      form: tablet
      quantity: 90
      quantity_unit: tablet
      quantity_written: "ninety (90)"
      sig: 1 tab po daily in the evening
      handwritten_sig: true
      refills: 3
      written: 2026-02-27
      rx_number: "6000101"
    plan:
      name: Training Health Plan
      formulary:
        - {generic: simvastatin, tier: 1}
      max_days_supply: 30
    shelf:
      - {ndc: 99998-364-00, lot: A123, expires: 2027-05-31}
      - {ndc: 99997-0156-3, trap: wrong_strength, note: The 40 mg bottle sits beside the 20 mg.}
    problems:
      - kind: wrong_strength_on_shelf
        note: Simvastatin 20 mg and 40 mg bottles look alike; read the strength and scan the NDC.
      - kind: days_supply_limit
        note: The plan pays for 30 days at a time.
    label_errors:
      auxiliary_labels: []
    expected:
      review: fill
      directions: Take 1 tablet by mouth daily in the evening.
      quantity: 90
      days_supply: 90
      refills: 3
      daw: 0
      ndc: 99998-364-00
      claim:
        rejects: ["76"]
        actions: {"76": correct_and_resubmit}
        resubmit: {quantity: 30, days_supply: 30}
      label_fixes: [auxiliary_labels]
  - kind: validation
    id: test-check-strength
    title: Check a simvastatin fill
    summary: A written prescription for a statin.
    date: 2026-03-02
    areas: [ptce-2020:4.4]
    tags: [written]
    patient:
      first_name: Maria
      last_name: Lopez
      birth_date: 1961-04-12
      sex: female
      address: {street: 12 Oak Street, city: Springfield, state: IL, zip: "62701"}
      allergies: [penicillin]
    prescriber:
      first_name: Alan
      last_name: Brown
      credentials: MD
      dea: BB1388568
      npi: "1234567893"
      phone: (217) 555-0142
      address: {street: 1 Clinic Way, city: Springfield, state: IL, zip: "62702"}
    prescription:
      presentation: written
      drug: simvastatin 20 mg tablet
      generic: simvastatin
      strength: 20 mg
      form: tablet
      quantity: 30
      quantity_unit: tablet
      quantity_written: "thirty (30)"
      sig: 1 tab po daily in the evening
      handwritten_sig: true
      refills: 3
      written: 2026-02-27
      rx_number: "6000101"
    dispensed: {ndc: 99997-0156-3, quantity: 30}
    problems:
      - kind: wrong_strength_dispensed
        field: product
        note: The vial holds the 40 mg tablets; the prescription is for 20 mg.
    expected: {dispense: false}
  - id: test-simvastatin-expired
    title: Simvastatin written long ago
    date: 2026-03-02
    areas: [ptce-2020:2.2]
    patient:
      id: P1
      first_name: Maria
      last_name: Lopez
      birth_date: 1961-04-12
      sex: female
      insurance: {bin: "610014", pcn: RXTRAIN, group: GRP100, cardholder_id: ML123456}
    prescriber: {id: D1, first_name: Alan, last_name: Brown, dea: BB1388568, npi: "1234567893"}
    prescription:
      presentation: written
      drug: simvastatin 20 mg tablet
      generic: simvastatin
      strength: 20 mg
      form: tablet
      quantity: 30
      quantity_unit: tablet
      sig: 1 tab po daily in the evening
      refills: 3
      written: 2024-12-01
    plan:
      name: Training Health Plan
      formulary:
        - {generic: simvastatin, tier: 1}
    shelf:
      - {ndc: 99998-364-00}
    problems:
      - kind: expired
        note: Written fifteen months ago; a new prescription is needed.
    expected: {review: contact_prescriber, fillable: false}
"""
# the drugs the scenarios above name (the shelf, the prescription)
GENERICS = ("simvastatin",)


def save_drugs(generics=GENERICS) -> None:
    """Put the shipped reference entries of `generics` in the database (the site serves from it)."""
    from trainer.rx.scenarios import default_drugs
    from trainer.services import drugs

    shipped = default_drugs()
    for generic in generics:
        drugs.save_drug(shipped[generic], "question_bank/data/test.yaml")
    db.session.flush()


def scenario_specs(text: str = SCENARIO_YAML) -> dict[str, dict]:
    """The scenarios of a YAML text as stored data, by id."""
    from trainer.content.source import load_yaml
    from trainer.questions.bank import plain_data
    from trainer.services.scenarios import jsonable

    data = plain_data(load_yaml(text, "test.yaml"))
    return {item["id"]: jsonable(item) for item in data["scenarios"]}


def add_scenarios(text: str = SCENARIO_YAML, *, status: str = "published") -> dict:
    """Save the drugs and the scenarios of `text`; the Scenario rows by id."""
    from trainer.services.scenarios import save_scenario

    save_drugs()
    saved = {}
    for slug, spec in scenario_specs(text).items():
        saved[slug], _ = save_scenario(spec, source="tests", status=status)
    db.session.commit()
    return saved

