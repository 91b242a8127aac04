"""The drug reference: import, service, learner pages and the JSON API."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trainer.content import ImportFailed
from trainer.extensions import db
from trainer.models import DrugEntry, DrugProduct
from trainer.rx.formulary import load_drug_dir
from trainer.rx.labels import TRAINING_NDC_MARK
from trainer.services import drugs
from trainer.services.content_import import read_drugs

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "question_bank" / "data"
SOME = ("atorvastatin", "lisinopril", "hydrochlorothiazide", "hydrocodone/acetaminophen", "warfarin", "ibuprofen")


@pytest.fixture(scope="module")
def shipped():
    return load_drug_dir(DATA)


@pytest.fixture
def some_drugs(app, shipped):
    for generic in SOME:
        drugs.save_drug(shipped.drugs[generic], "question_bank/data/test.yaml")
    db.session.commit()
    return shipped


def test_saving_is_an_idempotent_upsert(app, shipped):
    drug = shipped.drugs["atorvastatin"]
    assert drugs.save_drug(drug)[1] == "created"
    db.session.commit()
    assert drugs.save_drug(drug)[1] == "unchanged"
    rows = db.session.scalar(select(func.count()).select_from(DrugProduct))
    assert rows == len(drug.products)


def test_rows_turn_back_into_the_same_records(app, some_drugs):
    for generic in SOME:
        assert drugs.get(generic) == some_drugs.drugs[generic]
    assert set(drugs.reference()) == set(SOME)


def test_lookup_by_ndc_in_any_shape(app, some_drugs):
    product = some_drugs.drugs["warfarin"].products[0]
    found = drugs.by_ndc(product.ndc.replace("-", "") if len(product.ndc.replace("-", "")) == 11 else product.ndc)
    assert found is not None and found[0].generic == "warfarin"
    assert drugs.by_ndc("not an ndc") is None


def test_search_by_brand_class_schedule_and_partner(app, some_drugs):
    assert [d.generic for d in drugs.search("lipitor")] == ["atorvastatin"]
    assert [d.generic for d in drugs.search("hydroxyzine")] == ["hydrochlorothiazide"]
    assert [d.generic for d in drugs.search("", schedule="CII")] == ["hydrocodone/acetaminophen"]
    assert "warfarin" not in [d.generic for d in drugs.search("", schedule="CII")]
    assert [d.generic for d in drugs.search("100%_")] == []


def test_the_search_page(client, some_drugs):
    page = client.get("/drugs/?q=zestril").get_data(as_text=True)
    assert 'href="/drugs/lisinopril"' in page and "atorvastatin" not in page


def test_the_search_page_filters_by_schedule_and_class(client, some_drugs):
    page = client.get("/drugs/?schedule=CII").get_data(as_text=True)
    assert "hydrocodone/acetaminophen" in page and "/drugs/lisinopril" not in page
    page = client.get("/drugs/?class=nonsteroidal anti-inflammatory drug (NSAID)").get_data(as_text=True)
    assert "ibuprofen" in page and "warfarin</a>" not in page


def test_the_drug_page_shows_facts_sources_and_the_training_mark(client, some_drugs):
    page = client.get("/drugs/hydrochlorothiazide").get_data(as_text=True)
    assert "hydrOXYzine" in page and "Tall Man" in page
    assert "dailymed.nlm.nih.gov" in page
    assert page.count(TRAINING_NDC_MARK) >= len(some_drugs.drugs["hydrochlorothiazide"].products)


def test_the_drug_page_runs_few_queries(client, some_drugs, count_queries):
    with count_queries() as statements:
        assert client.get("/drugs/warfarin").status_code == 200
    assert len([s for s in statements if "drugs" in s]) == 1


def test_an_unknown_drug_is_a_404(client, some_drugs):
    assert client.get("/drugs/unobtainium").status_code == 404
    assert client.get("/api/v1/drugs/unobtainium").status_code == 404


def test_hostile_search_input_is_harmless(client, some_drugs):
    for query in ("<script>alert(1)</script>", "' OR 1=1 --", "x" * 5000, "%", "\\"):
        response = client.get("/drugs/", query_string={"q": query, "schedule": "C9", "class": "z" * 900})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_the_json_api(client, some_drugs):
    listing = client.get("/api/v1/drugs?q=statin").get_json()
    assert [d["generic"] for d in listing["drugs"]] == ["atorvastatin"]
    detail = client.get("/api/v1/drugs/hydrocodone/acetaminophen").get_json()
    assert detail["schedule"] == "CII"
    assert all(p["ndc_note"] == TRAINING_NDC_MARK for p in detail["products"])
    assert detail["usual_adult_dose"]["source"].startswith("FDA labeling")


def test_a_bad_drug_file_stops_the_import_with_file_and_line(tmp_path):
    shutil.copytree(DATA, tmp_path / "question_bank" / "data")
    broken = tmp_path / "question_bank" / "data" / "drugs-other.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("class: vitamin\n", "clas: vitamin\n", 1), encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        read_drugs(tmp_path)
    assert any(p.file == "question_bank/data/drugs-other.yaml" and "unknown field 'clas'" in p.message for p in failed.value.problems)


def test_the_import_command_loads_the_reference(app, runner):
    result = runner.invoke(args=["trainer", "import", "--check"])
    assert result.exit_code == 0, result.output
    assert "drugs: 271 valid" in result.output or "drugs:" in result.output
    assert db.session.scalar(select(func.count()).select_from(DrugEntry)) == 0
