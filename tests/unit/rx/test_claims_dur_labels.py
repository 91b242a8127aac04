"""The simulated payer, DUR and labels, on the plain records the simulator builds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.unit.rx.factories import DRUGS, PHARMACY, PLAN, TODAY, fill, patient, prescription
from trainer.rx import claims, dur, labels

# ---- claims -----------------------------------------------------------------------------


def request(**fields) -> claims.ClaimRequest:
    base = claims.ClaimRequest(
        bin="610999",
        pcn="TRAIN",
        group="GRP100",
        cardholder_id="ZX123456",
        person_code="01",
        birth_date=date(1970, 6, 15),
        ndc="00000011030",
        quantity=Decimal(30),
        days_supply=30,
        daw=0,
        prescriber_npi="1234567893",
        written=date(2026, 2, 20),
        fill_date=TODAY,
        prescription_id="RX1",
    )
    return replace(base, **fields)


def adjudicate(req=None, who=None, plan=PLAN, **kwargs):
    return claims.adjudicate(req or request(), plan, who or patient(), DRUGS, today=TODAY, **kwargs)


def test_a_clean_claim_pays_with_the_tier_copay():
    response = adjudicate()
    assert response.paid and response.codes == []
    assert response.patient_pay == Decimal("3.00")  # cost 30 × $0.10 is below the $5 copay
    assert response.plan_pay == Decimal("0.00")


def test_the_reject_table_has_the_codes_the_issue_names_and_at_least_25():
    assert len(claims.REJECT_CODES) >= 25
    for code in ("70", "75", "76", "79", "88", "65", "25", "41", "MR"):
        known = claims.REJECTS[code]
        assert known.message and known.actions


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"bin": "61099"}, "01"),
        ({"bin": "004336"}, "01"),
        ({"pcn": ""}, "04"),
        ({"group": ""}, "06"),
        ({"group": "OTHER"}, "51"),
        ({"cardholder_id": ""}, "07"),
        ({"cardholder_id": "ZX999999"}, "52"),
        ({"person_code": "02"}, "53"),
        ({"birth_date": date(1971, 6, 15)}, "09"),
        ({"ndc": None}, "21"),
        ({"ndc": "0000-0110-30"}, "21"),
        ({"ndc": "99999999999"}, "54"),
        ({"quantity": Decimal(0)}, "E7"),
        ({"days_supply": 0}, "19"),
        ({"daw": 12}, "22"),
        ({"prescriber_npi": "1234567890"}, "25"),
        ({"written": None}, "28"),
        ({"fill_date": TODAY + timedelta(days=1)}, "82"),
        ({"fill_date": TODAY - timedelta(days=120), "written": date(2025, 10, 1)}, "81"),
        ({"days_supply": 120, "quantity": Decimal(120)}, "76"),
        ({"quantity": Decimal(60)}, "76"),
    ],
)
def test_each_claim_error_rejects_with_its_code(change, code):
    response = adjudicate(request(**change))
    assert not response.paid and code in response.codes, response.codes
    assert all(r.actions for r in response.rejects)


def test_rejects_read_as_cited_problems():
    field, message = adjudicate(request(pcn="")).problems[0]
    assert field == "pcn" and message.startswith("reject 04, M/I Processor Control Number") and "511-FB" in message


def test_coverage_rejects():
    assert adjudicate(request(ndc="00000010330")).codes == ["70"]  # naproxen: excluded
    assert adjudicate(request(ndc="00000010930")).codes == ["MR"]  # acetaminophen: not listed
    assert adjudicate(request(ndc="00000010830")).codes == ["75"]  # hydrocodone/APAP: PA
    termed = replace(PLAN, members=(replace(PLAN.members[0], terminated=date(2026, 1, 31)),))
    assert adjudicate(plan=termed).codes == ["65"]
    secondary = replace(PLAN, primary=False)
    assert adjudicate(plan=secondary).codes == ["41"]
    assert adjudicate(
        request(other_coverage_code=2, other_payer_patient_responsibility=Decimal("1")),
        plan=secondary,
    ).paid


def test_prior_authorisation_number_lets_it_pay():
    assert adjudicate(
        request(ndc="00000010830", prior_auth_number="PA123", quantity=Decimal(20), days_supply=5)
    ).paid


def test_refill_too_soon_and_its_override():
    who = patient(
        history=(fill("atorvastatin", TODAY - timedelta(days=10), prescription_id="RX0"),)
    )
    response = adjudicate(who=who)
    assert response.codes == ["79"] and "next fill date 2026-03-15" in response.rejects[0].detail
    assert adjudicate(request(submission_clarification="03"), who=who).paid


def test_a_refill_after_the_threshold_pays():
    who = patient(
        history=(fill("atorvastatin", TODAY - timedelta(days=23), prescription_id="RX0"),)
    )
    assert adjudicate(who=who).paid


def test_a_major_dur_alert_rejects_88_until_the_pharmacist_overrides():
    who = patient(history=(fill("ibuprofen", TODAY - timedelta(days=3)),))
    req = request(ndc="00000010130")
    response = adjudicate(req, who)
    assert response.codes == ["88"] and response.rejects[0].pharmacist
    assert "Route the DUR alert to the pharmacist" in response.rejects[0].actions[0]
    assert adjudicate(replace(req, dur_override=("DD", "M0", "1G")), who).paid


def test_daw_2_brand_pays_the_difference():
    response = adjudicate(request(ndc="00000011330", daw=2, brand_dispensed=True))
    assert response.paid and response.patient_pay > Decimal(40)


def test_reject_meaning_lookup():
    assert claims.meaning("75").message == "Prior Authorization Required"
    assert claims.meaning(79).message == "Refill Too Soon"
    assert claims.meaning("mr").code == "MR"
    assert claims.meaning("7").code == "07"
    assert claims.meaning(None) is None and claims.meaning("x" * 100) is None


# ---- DUR ---------------------------------------------------------------------------------


def review(rx, **kwargs):
    return dur.review(rx, DRUGS, fill_date=TODAY, **kwargs)


def test_drug_drug_interaction_by_class():
    who = patient(history=(fill("ibuprofen", TODAY - timedelta(days=3)),))
    alerts = review(prescription("warfarin", patient=who))
    assert [(a.code, a.severity) for a in alerts][:1] == [("DD", "major")]
    assert alerts[0].action == dur.ROUTE_TO_PHARMACIST


def test_penicillin_allergy_cross_sensitivity_with_cephalosporins():
    alerts = review(prescription("cephalexin", patient=patient(allergies=("penicillin",))))
    assert [(a.code, a.severity) for a in alerts] == [("DA", "moderate")]
    assert "cross-sensitivity" in alerts[0].message


def test_direct_allergy_and_sulfa():
    assert (
        review(prescription("amoxicillin", patient=patient(allergies=("PCN",))))[0].severity
        == "major"
    )
    assert (
        review(
            prescription("sulfamethoxazole/trimethoprim", patient=patient(allergies=("sulfa",)))
        )[0].code
        == "DA"
    )
    minor = review(prescription("hydrochlorothiazide", patient=patient(allergies=("sulfa",))))
    assert [(a.code, a.severity) for a in minor] == [("DA", "minor")]


def test_therapeutic_and_ingredient_duplication():
    who = patient(
        history=(
            fill("simvastatin", TODAY - timedelta(days=5)),
            fill("acetaminophen", TODAY - timedelta(days=2)),
        )
    )
    codes = {a.code for a in review(prescription("atorvastatin", patient=who))}
    assert "TD" in codes
    codes = {a.code for a in review(prescription("hydrocodone/acetaminophen", patient=who))}
    assert "ID" in codes


def test_early_refill_high_dose_age_and_pregnancy():
    who = patient(history=(fill("atorvastatin", TODAY - timedelta(days=5)),))
    assert "ER" in {a.code for a in review(prescription("atorvastatin", patient=who))}
    assert "HD" in {a.code for a in review(prescription("ibuprofen"), daily_dose=Decimal(4000))}
    older = patient(birth_date=date(1950, 1, 1))
    assert "PA" in {a.code for a in review(prescription("alprazolam", patient=older))}
    pregnant = patient(pregnant=True)
    assert [(a.code, a.severity) for a in review(prescription("warfarin", patient=pregnant))] == [
        ("PG", "major")
    ]


def test_alerts_read_as_cited_problems():
    alerts = review(prescription("cephalexin", patient=patient(allergies=("penicillin",))))
    ((field, message),) = dur.as_problems(alerts)
    assert field == "dur" and message.startswith("DA (drug–allergy, moderate)") and "dailymed" in message


def test_a_drug_missing_from_the_reference_raises_no_alert():
    assert review(prescription("unobtainium")) == []


# ---- labels ------------------------------------------------------------------------------

ATORVASTATIN = DRUGS["atorvastatin"]
ALPRAZOLAM = DRUGS["alprazolam"]


def label_for(rx, drug):
    return labels.build(
        rx, drug.products[0], PHARMACY, rx_number="6001234", fill_date=TODAY, drug=drug
    )


def test_a_built_label_passes_its_own_check():
    rx = prescription()
    label = label_for(rx, ATORVASTATIN)
    assert label.directions == "Take 1 tablet by mouth daily."
    assert label.auxiliary_labels == ("Avoid grapefruit juice",)
    assert labels.check(label, rx, drug=ATORVASTATIN).valid


def test_a_controlled_label_carries_the_transfer_caution():
    rx = prescription(
        "alprazolam", schedule="CIV", strength="0.5 mg", drug="alprazolam 0.5 mg tablet"
    )
    label = label_for(rx, ALPRAZOLAM)
    assert labels.TRANSFER_CAUTION in label.cautions
    stripped = labels.with_changes(label, cautions=())
    found = labels.check(stripped, rx, drug=ALPRAZOLAM)
    assert not found.valid and "290.5" in found.problems[0][1]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"patient_name": "Mario Lopez"}, "patient_name"),
        ({"directions": "Take 1 tab po qd"}, "directions"),
        ({"directions": "Take 2 tablets by mouth daily."}, "directions"),
        ({"rx_number": ""}, "rx_number"),
        ({"refills": 9}, "refills"),
        ({"quantity": "60 tablets"}, "quantity"),
        ({"drug": "simvastatin 20 mg tablet"}, "drug"),
        ({"auxiliary_labels": ()}, "auxiliary_labels"),
        ({"pharmacy_address": ""}, "pharmacy_address"),
    ],
)
def test_planted_label_errors_are_found(change, field):
    rx = prescription()
    label = labels.with_changes(label_for(rx, ATORVASTATIN), **change)
    found = labels.check(label, rx, drug=ATORVASTATIN)
    assert not found.valid and field in [f for f, _ in found.problems], found.problems


def test_a_training_ndc_is_always_shown_with_its_mark():
    label = label_for(prescription(), ATORVASTATIN)
    assert label.ndc_text.endswith(f"({labels.TRAINING_NDC_MARK})")


def test_check_refuses_what_is_not_a_label():
    assert not labels.check("label", prescription()).valid
