"""The shipped drug reference and its loader: every fact sourced, problems name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.content import ImportFailed
from trainer.rx import controlled, dur, ndc
from trainer.rx.formulary import load_drug_dir, load_drug_file

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "question_bank" / "data"


@pytest.fixture(scope="module")
def reference():
    return load_drug_dir(DATA)


def test_at_least_250_drugs(reference):
    assert len(reference.drugs) >= 250


def test_every_drug_has_the_required_facts_and_their_sources(reference):
    for drug in reference.drugs.values():
        assert drug.generic and drug.drug_class and drug.forms, drug.generic
        assert drug.usual_adult_dose and drug.usual_adult_dose.text, drug.generic
        assert drug.usual_adult_dose.source.startswith("FDA labeling"), drug.generic
        urls = [s.url or "" for s in drug.sources]
        assert urls[0].startswith("https://"), drug.generic
        if drug.schedule:
            assert any("1308" in s.cite for s in drug.sources), drug.generic
        if drug.older_adults:
            assert any("Beers" in s.cite for s in drug.sources), drug.generic
        for partner in drug.lasa:
            assert partner.source.startswith(("ISMP", "FDA")), (drug.generic, partner)


def test_every_product_has_a_well_formed_training_ndc(reference):
    shapes = set()
    seen = set()
    for drug in reference.drugs.values():
        for product in drug.products:
            assert product.training and "not a real product code" in product.source
            shapes.add(ndc.parse(product.ndc).shape)
            key = ndc.billing(product.ndc)
            assert key not in seen
            seen.add(key)
    assert shapes == {"4-4-2", "5-3-2", "5-4-1"}


def test_schedules_are_valid_and_known_examples_are_right(reference):
    drugs = reference.drugs
    for drug in drugs.values():
        assert drug.schedule in (None, *controlled.SCHEDULES)
    assert drugs["hydrocodone/acetaminophen"].schedule == "CII"  # rescheduled 6 October 2014
    assert drugs["tramadol"].schedule == "CIV"
    assert drugs["pregabalin"].schedule == "CV"
    assert drugs["gabapentin"].schedule is None
    assert drugs["testosterone"].schedule == "CIII"


def test_tall_man_pairs_follow_the_lists(reference):
    partners = {p.tall_man for p in reference.drugs["hydrochlorothiazide"].lasa}
    assert {"hydrALAZINE", "hydrOXYzine"} <= partners
    assert "busPIRone" in {p.tall_man for p in reference.drugs["bupropion"].lasa}
    assert "glyBURIDE" in {p.tall_man for p in reference.drugs["glipizide"].lasa}


def test_insulin_products_carry_their_discard_period(reference):
    pens = [p for p in reference.drugs["insulin glargine"].products if p.form == "pen"]
    assert pens and all(p.in_use_days == 28 for p in pens)
    assert all(p.in_use_days == 56 for p in reference.drugs["insulin degludec"].products)


def test_the_reference_drives_dur(reference):
    from datetime import date, timedelta

    from tests.unit.rx.factories import fill, patient, prescription

    today = date(2026, 3, 2)
    who = patient(
        history=(fill("ibuprofen", today - timedelta(days=2)),), allergies=("penicillin",)
    )
    alerts = dur.review(prescription("warfarin", patient=who), reference.drugs, fill_date=today)
    assert ("DD", "major") in {(a.code, a.severity) for a in alerts}
    cephalexin = dur.review(
        prescription("cephalexin", patient=who), reference.drugs, fill_date=today
    )
    assert cephalexin[0].code == "DA"


def test_search_by_brand_generic_class_and_partner(reference):
    assert reference.search("lipitor")[0].generic == "atorvastatin"
    assert any(d.generic == "lisinopril" for d in reference.search("ACE inhibitor"))
    assert any(d.generic == "hydrochlorothiazide" for d in reference.search("hydroxyzine"))
    assert reference.search("") == []


GOOD = """\
drugs:
  - generic: testdrug
    class: test class
    forms: {tablet: [10 mg]}
    dose: 10 mg once daily
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("    dose: 10 mg once daily\n", "", 2, "is required"),
        (
            "    forms: {tablet: [10 mg]}",
            "    forms: {tablet: [ten]}",
            4,
            "not an amount with a unit",
        ),
        (
            "    dose: 10 mg once daily",
            "    dose: 10 mg once daily\n    colour: blue",
            6,
            "unknown field 'colour'",
        ),
        (
            "    dose: 10 mg once daily",
            "    dose: 10 mg once daily\n    schedule: C-VI",
            6,
            "not a DEA schedule",
        ),
        (
            "    dose: 10 mg once daily",
            "    dose: 10 mg once daily\n    max_daily: lots",
            6,
            "amount such as 80 mg",
        ),
        (
            "    dose: 10 mg once daily",
            "    dose: 10 mg once daily\n    lasa: [{name: x, tall_man: y, list: ismp-tall-man}]",
            6,
            "same name",
        ),
        (
            "    dose: 10 mg once daily",
            "    dose: 10 mg once daily\n    lasa: [{name: x, list: blog}]",
            6,
            "list must name the source",
        ),
        (
            "    dose: 10 mg once daily",
            "    dose: 10 mg once daily\n    interactions: [{with: x, severity: huge, effect: y}]",
            6,
            "severity must be",
        ),
        (
            "    dose: 10 mg once daily",
            "    dose: 10 mg once daily\n    label: http://example.org",
            6,
            "https://",
        ),
        ("  - generic: testdrug", "  - generic: [testdrug", 3, "not valid YAML"),
    ],
)
def test_problems_name_file_and_line(tmp_path, old, new, line, message):
    assert old in GOOD
    path = tmp_path / "drugs-test.yaml"
    path.write_text(GOOD.replace(old, new), encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        load_drug_file(path)
    found = [p for p in failed.value.problems if message in p.message]
    assert found and (found[0].file, found[0].line) == (str(path), line), failed.value.problems


def test_a_generic_defined_twice_across_files_is_refused(tmp_path):
    (tmp_path / "drugs-a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "drugs-b.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ImportFailed, match="already defined at"):
        load_drug_dir(tmp_path)


def test_an_interaction_with_an_unknown_drug_is_refused(tmp_path):
    text = GOOD + "    interactions: [{with: nothing, severity: minor, effect: none}]\n"
    (tmp_path / "drugs-a.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed, match="no drug or class of that name"):
        load_drug_dir(tmp_path)


def test_yaml_tags_are_refused(tmp_path):
    path = tmp_path / "drugs-a.yaml"
    path.write_text("drugs: !!python/object:os.system [x]\n", encoding="utf-8")
    with pytest.raises(ImportFailed):
        load_drug_file(path)
