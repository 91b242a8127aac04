"""Worked examples from published course material, one table per family.

Each row cites where the example comes from. Where the source rounds differently from the
family's stated rule, the row passes round_to so the source's own answer is checked, and
says so. Rows marked "computed from" apply a formula in /work/shared/reference/calculations.md
(the project's checked reference) to numbers of the usual textbook kind; they are not
quotations.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from trainer.calc import solve

D = Decimal


def ex(family, params, value, unit, *, text=None, round_to=None, extra=None, id=None):
    """One example row: the family, its parameters and the published answer."""
    return pytest.param(family, params, D(value), unit, text, round_to, extra or {}, id=id)


EXAMPLES = [
    # ---- dose_volume --------------------------------------------------------------
    # US Army Medical Dept. Center & School, subcourse MD0904 "Pharmacology Math for the
    # Practical Nurse", answers to practical exercise (b): 400 mg from 250 mg/5 mL = 8 mL.
    # armymedical.tpub.com/MD0904/Answers-to-Practical-Exercise-cont-Pharmacology-Math-for-the-Practical-Nurse-143.htm
    ex("dose_volume", {"dose": "400 mg", "concentration": "250 mg/5 mL"}, "8", "mL", text="8 mL", id="md0904-b"),
    # same source, answer (a): 200 mg from 105 mg/5 mL = 9.5 mL
    ex("dose_volume", {"dose": "200 mg", "concentration": "105 mg/5 mL"}, "9.5", "mL", id="md0904-a"),
    # same source, answer (d): 0.08 mg from 0.05 mg/1 mL = 1.6 mL
    ex("dose_volume", {"dose": "0.08 mg", "concentration": "0.05 mg/mL"}, "1.6", "mL", id="md0904-d"),
    # Ngee Ann Polytechnic dosage calculation worksheet, questions 3-5, as worked at
    # veryfatoldman.blogspot.com/2015/12/dosage-calculation-mass-liquid-for.html (from dosagehelp.com)
    ex("dose_volume", {"dose": "60 mg", "concentration": "15 mg/mL"}, "4", "mL", id="ngee-ann-3"),
    ex("dose_volume", {"dose": "0.6 g", "concentration": "400 mg/2 mL"}, "3", "mL", id="ngee-ann-4-g-to-mg"),
    ex("dose_volume", {"dose": "45 mg", "concentration": "50 mg/2 mL"}, "1.8", "mL", id="ngee-ann-5"),
    # manuelsweb.com/dose.htm: theophylline 100 mg from 27 mg/5 mL = 18.52, "18.5 mL"
    ex("dose_volume", {"dose": "100 mg", "concentration": "27 mg/5 mL"}, "18.5", "mL", id="manuelsweb-theophylline"),
    # same page: acetaminophen 650 mg from 120 mg/5 mL = 27.08 mL, given there as "27 mL"
    # (the source rounds to whole mL, so round_to="1")
    ex("dose_volume", {"dose": "650 mg", "concentration": "120 mg/5 mL"}, "27", "mL", round_to="1", id="manuelsweb-apap"),
    # quizwizapp.com/study/ch-9-conversion-and-calculations: heparin 10,000 units from
    # 40,000 units/mL = 0.25 mL
    ex("dose_volume", {"dose": "10,000 units", "concentration": "40,000 units/mL"}, "0.25", "mL", id="heparin-sc"),
    # Davis's Drug Guide, "Pediatric Dosage Calculations", example 1 (anesth.unboundmedicine.com):
    # 200 mg of amoxicillin 400 mg/5 mL = 2.5 mL
    ex("dose_volume", {"dose": "200 mg", "concentration": "400 mg/5 mL"}, "2.5", "mL", id="davis-amoxicillin"),
    # computed from calculations.md ("1:1000 = 0.1% = 1 mg/mL"): 0.3 mg of 1:1000 = 0.3 mL
    ex("dose_volume", {"dose": "0.3 mg", "concentration": "1:1000"}, "0.3", "mL", id="ratio-strength"),
    # computed from calculations.md (U-100 = 100 units/mL): 10 units = 0.1 mL
    ex("dose_volume", {"dose": "10 units", "concentration": "U-100"}, "0.1", "mL", id="insulin-u100"),
    # ---- dose_count ---------------------------------------------------------------
    # coconote.app/notes/4fa6b75e-68dd-424f-99d3-16d295faaf69 (quantity to dispense lecture):
    # 500 mg with 250 mg tablets = 2 tablets; 250 mg with 125 mg tablets = 2 tablets
    ex("dose_count", {"dose": "500 mg", "strength": "250 mg/tab"}, "2", "tablets", text="2 tablets", id="coconote-500"),
    ex("dose_count", {"dose": "250 mg", "strength": "125 mg"}, "2", "tablets", id="coconote-250"),
    # waybuilder.net free-ed "Dosage by Patient Weight" example 3: Depakene 250 mg a dose
    # (750 mg/day in 3 doses) from 125 mg capsules = 2 capsules
    ex("dose_count", {"dose": "250 mg", "strength": "125 mg/cap"}, "2", "capsules", id="waybuilder-depakene"),
    # computed from calculations.md (tablets to the nearest half): 375 mg of 250 mg tablets
    ex("dose_count", {"dose": "375 mg", "strength": "250 mg/tab"}, "1.5", "tablets", text="1.5 tablets", id="half-tablet"),
    # computed from calculations.md (1 g = 1,000 mg): 0.5 g from 250 mg tablets
    ex("dose_count", {"dose": "0.5 g", "strength": "250 mg/tab"}, "2", "tablets", id="grams"),
    # ---- weight_based_dose --------------------------------------------------------
    # Davis's Drug Guide, Pediatric Dosage Calculations, example 1: 22 lb child, amoxicillin
    # 40 mg/kg/day in 2 divided doses = 400 mg/day, 200 mg/dose
    ex(
        "weight_based_dose",
        {"weight": "22 lb", "dose_rate": "40 mg/kg/day", "doses_per_day": 2},
        "200",
        "mg",
        extra={"daily_dose": "400"},
        id="davis-amoxicillin",
    ),
    # same source, example 2: 18 kg, ceftriaxone 100 mg/kg once daily = 1,800 mg
    ex("weight_based_dose", {"weight": "18 kg", "dose_rate": "100 mg/kg/day", "doses_per_day": "daily"}, "1800", "mg", text="1,800 mg", id="davis-ceftriaxone"),
    # waybuilder.net "Dosage by Patient Weight" example 1: 10 mg/kg/dose for 20 kg = 200 mg
    ex("weight_based_dose", {"weight": "20 kg", "dose_rate": "10 mg/kg/dose"}, "200", "mg", id="waybuilder-1"),
    # example 2: 2 mg/kg/dose for 15 kg = 30 mg
    ex("weight_based_dose", {"weight": "15 kg", "dose_rate": "2 mg/kg/dose"}, "30", "mg", id="waybuilder-2"),
    # example 3: 15 mg/kg/day, 110 lb, 3 divided doses = 750 mg/day, 250 mg/dose
    ex(
        "weight_based_dose",
        {"weight": "110 lb", "dose_rate": "15 mg/kg/day", "doses_per_day": "tid"},
        "250",
        "mg",
        extra={"daily_dose": "750"},
        id="waybuilder-3",
    ),
    # calculator7.snowdaycalculatornow.com/heparin-calculation-units-per-hour/, example 1:
    # 18 units/kg/hour for 82 kg = 1,476 units/hour
    ex("weight_based_dose", {"weight": "82 kg", "dose_rate": "18 units/kg/hr"}, "1476", "units/hr", id="heparin-rate"),
    # ---- bsa_mosteller ------------------------------------------------------------
    # calculatorlib.com/bsa-mosteller-calculator worked example: 180 cm, 80 kg = 2.00 m²
    ex("bsa_mosteller", {"height": "180 cm", "weight": "80 kg"}, "2", "m²", text="2 m²", id="calculatorlib-2"),
    # calculatorlib.com/bsa-body-surface-area-calculator: 180 cm, 75 kg = 1.9365, "about 1.94 m²"
    ex("bsa_mosteller", {"height": "180 cm", "weight": "75 kg"}, "1.94", "m²", id="calculatorlib-194"),
    # medicalequations.com/body-surface-area/: 170 cm, 70 kg = "about 1.818 m²"
    ex("bsa_mosteller", {"height": "170 cm", "weight": "70 kg"}, "1.82", "m²", id="medicalequations"),
    # pharmacytutor.com/understanding-bsa-and-its-importance, example 2: 120 cm, 20 kg = 0.82 m²
    ex("bsa_mosteller", {"height": "120 cm", "weight": "20 kg"}, "0.82", "m²", id="pharmacytutor-child"),
    # ---- bsa_dose -----------------------------------------------------------------
    # Polk State College NUR 1140C "Dosages based on surface area", example 1: vinblastine
    # 7.4 mg/m² for 1.91 m² = 14.134, "14 mg" (the source rounds to whole mg)
    ex("bsa_dose", {"bsa": "1.91 m2", "dose_rate": "7.4 mg/m2"}, "14", "mg", round_to="1", id="polk-vinblastine"),
    # pharmacytutor.com BSA article: 10 mg/m² × 0.82 m² = 8.2 mg; 150 mg/m² × 1.84 m² = 276 mg
    ex("bsa_dose", {"bsa": "0.82", "dose_rate": "10 mg/m2"}, "8.2", "mg", id="pharmacytutor-child"),
    ex("bsa_dose", {"bsa": "1.84 m²", "dose_rate": "150 mg/m²"}, "276", "mg", id="pharmacytutor-adult"),
    # ---- clarks_rule, youngs_rule, frieds_rule ----------------------------------------
    # Wikipedia "Clark's rule" and Austin Community College Rx Success (austincc.edu/rxsucces/ped7.html):
    # 30 lb child, adult dose 30 mg = 6 mg
    ex("clarks_rule", {"weight": "30 lb", "adult_dose": "30 mg"}, "6", "mg", id="austincc"),
    # easycalculation.com/medical/learn-pediatric-dosage-clark-rule.php: 60 lb, 400 mg = 160 mg
    ex("clarks_rule", {"weight": 60, "adult_dose": "400 mg"}, "160", "mg", id="easycalculation"),
    # drugsdose.com/clarks-rule/ example 2: 35 kg = 77 lb, adult 500 mg = "257 mg" (whole mg)
    ex("clarks_rule", {"weight": "35 kg", "adult_dose": "500 mg"}, "257", "mg", round_to="1", id="drugsdose-kg"),
    # algebra.com question 122043 (Young's rule): 10 years, adult 100 mg = 1000/22 = 45.5 mg
    ex("youngs_rule", {"age": "10", "adult_dose": "100 mg"}, "45.5", "mg", id="algebra-com"),
    # respiratorytherapyzone.com Fried's rule: 10 months, adult 300 mg = 20 mg
    ex("frieds_rule", {"age": "10 months", "adult_dose": "300 mg"}, "20", "mg", id="rtzone"),
    # ---- percent_strength, percent_amount, ratio_to_percent, percent_to_ratio ---------
    # pharmacalculation.com/2022/11/percentage-calculation-formula.html, pharmaceutical
    # example 3: 1.8 g sodium chloride made up to 200 mL = 0.9%
    ex("percent_strength", {"amount": "1.8 g", "total": "200 mL"}, "0.9", "%", text="0.9% w/v", id="nacl"),
    # pharmacy-tech-test.com/hydrocortisone-compound.html: 0.9 g in 45 g = 2% (w/w)
    ex("percent_strength", {"amount": "0.9 g", "total": "45 g"}, "2", "%", text="2% w/w", id="hydrocortisone"),
    # pharmacalculation.com percentage page, example 2: 250 g of 10% w/w holds 25 g
    ex("percent_amount", {"percent": "10% w/w", "total": "250 g"}, "25", "g", id="pharmacalculation-ww"),
    # US Navy Hospital Corpsman manual, "Percentage Calculations" (medical.tpub.com/14295):
    # 120 g of a 38% product holds 45.6 g
    ex("percent_amount", {"percent": "38%", "total": "120 g"}, "45.6", "g", id="navy-38"),
    # computed from calculations.md (w/v = g per 100 mL): 1000 mL of 0.9% holds 9 g
    ex("percent_amount", {"percent": "0.9%", "total": "1 L"}, "9", "g", id="ns-litre"),
    # pharmacalculation.com percentage page: 1:2000 = 0.05%; 1 in 200 = 0.5% w/v
    ex("ratio_to_percent", {"ratio": "1:2000"}, "0.05", "%", text="0.05%", id="1-2000"),
    ex("ratio_to_percent", {"ratio": "1 in 200"}, "0.5", "%", id="1-in-200"),
    # University of Kent SLAS "Pharmacy calculations: converting strengths", example 2:
    # 1 part in 500 = 0.2%
    ex("ratio_to_percent", {"ratio": "1:500"}, "0.2", "%", id="kent-500"),
    # rxcal.org practice 89: 1:160 = 0.625%
    ex("ratio_to_percent", {"ratio": "1:160"}, "0.625", "%", id="rxcal-160"),
    # calculations.md: 1:1000 = 0.1% = 1 mg/mL
    ex("ratio_to_percent", {"ratio": "1:1000"}, "0.1", "%", extra={"mg_per_ml": "1"}, id="1-1000"),
    # University of Kent SLAS, example 1: 5% = 1 part in 20
    ex("percent_to_ratio", {"percent": "5%"}, "20", "", text="1:20", id="kent-5"),
    # pharmacalculation.com percentage page, example 2: 0.5% = 1 part in 200
    ex("percent_to_ratio", {"percent": "0.5"}, "200", "", text="1:200", id="pharmacalculation-05"),
    # calculations.md: 0.1% = 1:1000
    ex("percent_to_ratio", {"percent": "0.1%"}, "1000", "", text="1:1,000", id="0.1"),
    # ---- milliequivalents, meq_to_mass --------------------------------------------------
    # pharmacalculation.com/2022/11/milliequivalents-and-millimoles.html, problem 2:
    # 250 mg penicillin V potassium, MW 388.48, valence 1 = 0.644 mEq
    ex("milliequivalents", {"mass": "250 mg", "molecular_weight": "388.48", "valence": 1}, "0.644", "mEq", id="pen-vk"),
    # same page, problem 3: 1 g magnesium sulfate, MW 246.47, valence 2 = "8.114 mEq"
    # (to hundredths here: 8.11)
    ex("milliequivalents", {"mass": "1 g", "molecular_weight": "246.47", "valence": 2}, "8.11", "mEq", round_to="0.01", id="mgso4"),
    # ntro.it.com "how many mEq is 600 mg of potassium": 600 mg KCl, MW 74.548 = 8.05 mEq
    ex("milliequivalents", {"mass": "600 mg", "molecular_weight": "74.548 g/mol", "valence": 1}, "8.05", "mEq", round_to="0.01", id="kcl-600"),
    # pharmacalculation.com mEq page, problem 1: 1 mEq of calcium (MW 40.08, valence 2) = 20.04 mg
    ex("meq_to_mass", {"meq": "1 mEq", "molecular_weight": "40.08", "valence": 2}, "20.04", "mg", round_to="0.01", id="calcium"),
    # computed from calculations.md (mg = mEq × MW ÷ valence): 20 mEq KCl, MW 74.5 = 1,490 mg
    ex("meq_to_mass", {"meq": "20 mEq", "molecular_weight": "74.5", "valence": "1"}, "1490", "mg", text="1,490 mg", id="kcl-20"),
    # ---- reconstitution -----------------------------------------------------------
    # calculatorhunt.com/chemistry/reconstitution: 500 mg, 0.2 mL displacement, 9.8 mL
    # diluent = 10 mL at 50 mg/mL
    ex(
        "reconstitution",
        {"drug_amount": "500 mg", "diluent_volume": "9.8 mL", "powder_volume": "0.2 mL"},
        "50",
        "mg/mL",
        text="50 mg/mL",
        extra={"final_volume": "10"},
        id="calculatorhunt",
    ),
    # Polk State College NUR 1140C "Reconstituting powder medications", problem 1: penicillin
    # 500,000 units, add 4.8 mL to give 100,000 units per mL (a final volume of 5 mL)
    ex(
        "reconstitution",
        {"drug_amount": "500,000 units", "diluent_volume": "4.8 mL", "final_volume": "5 mL"},
        "100000",
        "units/mL",
        text="100,000 units/mL",
        extra={"powder_volume": "0.2"},
        id="polk-penicillin",
    ),
    # calculatorsir.com reconstitution, example 2: vancomycin 1000 mg + 10 mL = 100 mg/mL
    # (powder volume taken as negligible)
    ex("reconstitution", {"drug_amount": "1000 mg", "diluent_volume": "10 mL", "powder_volume": "0 mL"}, "100", "mg/mL", id="vancomycin"),
    # ---- dilution -----------------------------------------------------------------
    # proreckoner.com/pharmacy/concentration-dilution.html: 10% stock to 2% in 200 mL =
    # 40 mL stock + 160 mL diluent
    ex("dilution", {"c1": "10%", "c2": "2%", "v2": "200 mL"}, "40", "mL", extra={"diluent": "160"}, id="proreckoner-percent"),
    # same page: 10 mg/mL to 2 mg/mL in 50 mL = 10 mL stock + 40 mL diluent
    ex("dilution", {"c1": "10 mg/mL", "c2": "2 mg/mL", "v2": "50 mL"}, "10", "mL", extra={"diluent": "40"}, id="proreckoner-mg"),
    # naplexbank.com/calculators/dilution: 100 mL of 5 mg/mL gentamicin from 40 mg/mL =
    # 12.5 mL stock + 87.5 mL diluent
    ex("dilution", {"c1": "40 mg/mL", "c2": "5 mg/mL", "v2": "100 mL"}, "12.5", "mL", extra={"diluent": "87.5"}, id="naplexbank"),
    # certsforce.com PTCE question 9: 100 mL of 20% diluted to 2% makes 1000 mL
    ex("dilution", {"c1": "20%", "v1": "100 mL", "c2": "2%"}, "1000", "mL", text="1,000 mL", extra={"diluent": "900"}, id="ptce-q9"),
    # computed from calculations.md (C1 × V1 = C2 × V2): 50 mL of 10% made to 250 mL is 2%
    ex("dilution", {"c1": "10%", "v1": "50 mL", "v2": "250 mL"}, "2", "%", text="2%", id="solve-c2"),
    # ---- alligation ---------------------------------------------------------------
    # mis.kyeop.go.ke/shelf/51247537: 2.5% and 1% hydrocortisone to make 30 g of 1.5% =
    # 10 g of 2.5% and 20 g of 1%
    ex(
        "alligation",
        {"high": "2.5%", "low": "1%", "target": "1.5%", "total": "30 g"},
        "10",
        "g",
        extra={"low_amount": "20", "high_parts": "0.5", "low_parts": "1"},
        id="hydrocortisone",
    ),
    # qoschin.com/qa/0bLtoVVdGgj8: 2.5% with 240 g of 0.25% to make 1%: 360 g in all,
    # 120 g of the 2.5% (1.5 of 2.25 parts are the weaker)
    ex(
        "alligation",
        {"high": "2.5%", "low": "0.25%", "target": "1%", "total": "360 g"},
        "120",
        "g",
        extra={"low_amount": "240", "high_parts": "0.75", "low_parts": "1.5"},
        id="qoschin",
    ),
    # calculations.md alligation rule with a diluent (0%): 95% alcohol and water to 500 mL of 70%
    ex(
        "alligation",
        {"high": "95%", "low": "0%", "target": "70%", "total": "500 mL"},
        "368.4",
        "mL",
        extra={"low_amount": "131.6", "high_parts": "70", "low_parts": "25"},
        id="alcohol-water",
    ),
    # ---- compound_scale -----------------------------------------------------------
    # pharmacalculation.com/2022/11/reducing-and-enlarging-formulas.html, example 1:
    # 5 g in a 1000 mL formula; for 50 mL, 0.25 g
    ex("compound_scale", {"amount": "5 g", "from_total": "1000 mL", "to_total": "50 mL"}, "0.25", "g", id="pharmacalculation-1"),
    # collegeofpharmacy.com Paraffin Ointment BP 1988, 1000 g formula made as 1500 g:
    # white beeswax 20 g -> 30 g; white soft paraffin 900 g -> 1,350 g
    ex("compound_scale", {"amount": "20 g", "from_total": "1000 g", "to_total": "1500 g"}, "30", "g", id="paraffin-beeswax"),
    ex("compound_scale", {"amount": "900 g", "from_total": "1 kg", "to_total": "1.5 kg"}, "1350", "g", text="1,350 g", id="paraffin-wsp"),
    # US Army MD0802 "Pharmaceutical Calculations", reduction of formulas sample problem:
    # Peppermint Spirit (100 mL oil in 1000 mL) for 240 mL; answer computed with its formula
    ex("compound_scale", {"amount": "100 mL", "from_total": "1000 mL", "to_total": "240 mL"}, "24", "mL", id="md0802-peppermint"),
    # pharmacalculation.com example 3: calamine 75 g per 1000 mL, 250 mL wanted (factor 0.25);
    # 18.75 g computed with that factor, to hundredths
    ex("compound_scale", {"amount": "75 g", "from_total": "1000 mL", "to_total": "250 mL"}, "18.75", "g", round_to="0.01", id="calamine"),
    # ---- specific_gravity -----------------------------------------------------------
    # US Army MD0802, Lesson 2: 10 mL of mineral oil weighing 8.5 g has sp gr 0.85
    ex("specific_gravity", {"weight": "8.5 g", "volume": "10 mL"}, "0.85", "", text="0.85", id="md0802-mineral-oil"),
    # MD0802 specific gravity triangle: alcohol, 1000 mL weighing 810 g = 0.81
    ex("specific_gravity", {"weight": "810 g", "volume": "1 L"}, "0.81", "", id="md0802-alcohol"),
    # MD0802 example: 45 g of glycerin (sp gr 1.25) = 36 mL
    ex("specific_gravity", {"weight": "45 g", "sg": "1.25"}, "36", "mL", id="md0802-glycerin"),
    # MD0802 example: 240 mL of light liquid petrolatum (sp gr 0.81) weighs 194.4 g
    ex("specific_gravity", {"volume": "240 mL", "sg": 0.81}, "194.4", "g", id="md0802-petrolatum"),
    # ---- iv_rate ------------------------------------------------------------------
    # manuelsweb.com/IVrate.htm example 1: 1000 mL every 8 hours = 125 mL/hr
    ex("iv_rate", {"volume": "1000 mL", "time": "8 hr"}, "125", "mL/hr", text="125 mL/hr", id="manuelsweb-1"),
    # example 2: 50 mL over 3 minutes = 1,000 mL/hour
    ex("iv_rate", {"volume": "50 mL", "time": "3 min"}, "1000", "mL/hr", id="manuelsweb-2"),
    # getrevising.co.uk medications management: 1 L over 6 hours = 166.7 mL/hr
    ex("iv_rate", {"volume": "1 L", "time": "6 h"}, "166.7", "mL/hr", id="getrevising"),
    # droracle.ai article 465265: 1000 units/hr from 25,000 units/500 mL = 20 mL/hr
    ex("iv_rate", {"dose_rate": "1000 units/hr", "concentration": "25,000 units/500 mL"}, "20", "mL/hr", id="heparin-500"),
    # dhearts.com heparin drip rate: 880 units/hr from 40,000 units in 1,000 mL = 22 mL/hr
    ex("iv_rate", {"dose_rate": "880 units/hr", "concentration": "40,000 units/1000 mL"}, "22", "mL/hr", id="dhearts"),
    # Calculate with Confidence 6th ed., ch. 23 problem 15 (as worked on studysmarter):
    # 1,800 units/hr at 100 units/mL = 18 mL/hr
    ex("iv_rate", {"dose_rate": "1,800 units/hr", "concentration": "100 units/mL"}, "18", "mL/hr", id="gray-morris"),
    # snowdaycalculatornow heparin examples: 18 units/kg/hr, 82 kg, 25,000 units/250 mL =
    # 14.76, 14.8 mL/hr; 12 units/kg/hr, 70 kg = 8.4 mL/hr
    ex("iv_rate", {"dose_rate": "18 units/kg/hr", "weight": "82 kg", "concentration": "25,000 units/250 mL"}, "14.8", "mL/hr", id="heparin-weight"),
    ex("iv_rate", {"dose_rate": "12 units/kg/hr", "weight": "70 kg", "concentration": "25,000 units/250 mL"}, "8.4", "mL/hr", id="heparin-weight-2"),
    # computed from calculations.md (mL/hr = dose per hour ÷ amount per mL):
    # 5 mcg/kg/min, 70 kg, 400 mg/250 mL = 21 mg/hr ÷ 1.6 mg/mL = 13.125 mL/hr
    ex("iv_rate", {"dose_rate": "5 mcg/kg/min", "weight": "70 kg", "concentration": "400 mg/250 mL"}, "13.1", "mL/hr", id="mcg-kg-min"),
    # ---- drip_rate ----------------------------------------------------------------
    # dosagehelp.com/iv_rate_drop.html: 1200 mL over 6 hours at 15 gtt/mL = 50 gtt/min
    ex("drip_rate", {"volume": "1200 mL", "time": "6 hr", "drop_factor": "15 gtt/mL"}, "50", "gtt/min", text="50 gtt/min", id="dosagehelp-1"),
    # same page: 200 mL over 120 minutes at 20 gtt/mL = 33 gtt/min
    ex("drip_rate", {"volume": "200 mL", "time": "120 min", "drop_factor": 20}, "33", "gtt/min", id="dosagehelp-2"),
    # testandcalc.com/drugcalc/help/flow.htm: 1500 mL over 12 hours at 15 drops/mL = 31 drops/min
    ex("drip_rate", {"volume": "1500 mL", "time": "12 hr", "drop_factor": "15 gtt/mL"}, "31", "gtt/min", id="testandcalc"),
    # coursehero "Formulas for IV calculations": 1 L over 12 hours at 12 gtt/mL = 16.6, "17 drops per minute"
    ex("drip_rate", {"volume": "1 L", "time": "12 hr", "drop_factor": "12 gtt/mL"}, "17", "gtt/min", id="coursehero"),
    # ---- infusion_time, infused_volume ------------------------------------------------
    # medicalequations.com/iv-infusion-time/: 1000 mL at 125 mL/hr = 8 hours
    ex("infusion_time", {"volume": "1000 mL", "rate": "125 mL/hr"}, "8", "hr", text="8 hr", id="medicalequations"),
    # calculator7.snowdaycalculatornow.com/how-do-you-calculate-the-hours-to-infuse/:
    # 750 mL at 60 mL/hr = 12.5 hours (12 h 30 min); 500 mL at 80 mL/hr = 6.25 h (6 h 15 min)
    ex("infusion_time", {"volume": "750 mL", "rate": "60 mL/hr"}, "12.5", "hr", text="12.5 hr (12 hr 30 min)", id="snowday-750"),
    ex("infusion_time", {"volume": "500 mL", "rate": "80 mL/hr"}, "6.25", "hr", text="6.25 hr (6 hr 15 min)", id="snowday-500"),
    # medicalequations.com: 6.5 hours at 75 mL/hr = 487.5 mL
    ex("infused_volume", {"rate": "75 mL/hr", "time": "6.5 hr"}, "487.5", "mL", id="medicalequations"),
    # computed from calculations.md: 125 mL/hr for 2 h 30 min = 312.5 mL
    ex("infused_volume", {"rate": "125 mL/hr", "time": "2 h 30 min"}, "312.5", "mL", id="hours-and-minutes"),
    # ---- days_supply --------------------------------------------------------------
    # pharmacy-tech-resources.com/days-supply.html example 1: #30, 1 tablet 3 times daily = 10 days
    ex("days_supply", {"quantity": "30 tab", "dose": "1 tab", "per_day": "tid"}, "10", "days", text="10 days", id="ptr-motrin"),
    # example 2: #80, not more than 4 a day = 20 days
    ex("days_supply", {"quantity": 80, "dose": 1, "per_day": 4}, "20", "days", id="ptr-ketorolac"),
    # example 4: tobramycin 5 mL, 1 drop in each eye 3 times daily (6 drops/day),
    # 15 drops per mL = 12.5, rounded down to 12 days
    ex(
        "days_supply",
        {"quantity": "5 mL", "dose": "2 gtt", "per_day": 3, "drops_per_ml": "15 gtt/mL"},
        "12",
        "days",
        id="ptr-tobramycin",
    ),
    # calculator7.snowdaycalculatornow.com eye drop day supply: 5 mL at 20 drops/mL,
    # 1 drop both eyes twice daily = 25 days
    ex("days_supply", {"quantity": "5 mL", "dose": "2 gtt", "per_day": "bid"}, "25", "days", id="snowday-ou"),
    # same page: 10 mL at 15 drops/mL, 1 drop one eye four times daily = 37.5 days (billed whole)
    ex("days_supply", {"quantity": "10 mL", "dose": "1 gtt", "per_day": "qid", "drops_per_ml": 15}, "37", "days", id="snowday-od"),
    # zaro.info insulin supply: 10 mL of 100 units/mL, 50 units a day = 20 days
    ex("days_supply", {"quantity": "10 mL", "dose": "50 units", "per_day": 1, "concentration": "100 units/mL"}, "20", "days", id="zaro-insulin"),
    # insulinprimingdayssupply.com: 5 pens of 300 units (15 mL of U-100), 30 units daily = 50 days
    ex("days_supply", {"quantity": "15 mL", "dose": "30 units", "per_day": "daily", "concentration": "U-100"}, "50", "days", id="pens"),
    # pop.freespeechforpeople.org (days supply): 60 tablets twice daily = 30 days
    ex("days_supply", {"quantity": "60 tablets", "dose": "1 tablet", "per_day": "twice daily"}, "30", "days", id="60-bid"),
    # computed from calculations.md (inhalers): 200 puffs, 2 puffs four times a day = 25 days
    ex("days_supply", {"quantity": "200 puffs", "dose": "2 puffs", "per_day": "qid"}, "25", "days", id="inhaler"),
    # ---- quantity_to_dispense -----------------------------------------------------
    # coconote.app quantity-to-dispense lecture: 1 tablet twice daily for 10 days = 20 tablets;
    # 2 tablets 3 times daily for 14 days = 84 tablets
    ex("quantity_to_dispense", {"dose": "1 tab", "per_day": "bid", "days": "10"}, "20", "tablets", text="20 tablets", id="coconote-20"),
    ex("quantity_to_dispense", {"dose": "2 tab", "per_day": 3, "days": "14 days"}, "84", "tablets", id="coconote-84"),
    # massachusetts-pharmacytechcomplete.examzify.com: 1 teaspoon QID for 10 days = 200 mL
    ex("quantity_to_dispense", {"dose": "1 tsp", "per_day": "qid", "days": 10}, "200", "mL", id="tsp-qid"),
    # pop.freespeechforpeople.org: 5 mL three times daily for 10 days = 150 mL
    ex("quantity_to_dispense", {"dose": "5 mL", "per_day": "tid", "days": "10"}, "150", "mL", id="5ml-tid"),
    # ---- roman --------------------------------------------------------------------
    # basicmedicalkey.com "Apothecary and Household Measurements": ix = 9, xiv = 14, xxiv = 24, cxc = 190
    ex("roman", {"value": "ix"}, "9", "", id="ix"),
    ex("roman", {"value": "xiv"}, "14", "", id="xiv"),
    ex("roman", {"value": "XXIV"}, "24", "", id="xxiv"),
    ex("roman", {"value": "cxc"}, "190", "", id="cxc"),
    # Kendall Hunt Pharmacy Calculations 7e, 1.1 Number Systems: "XXX tabs" = 30 tablets
    ex("roman", {"value": "XXX"}, "30", "", id="xxx"),
    # "ss" abbreviates semis, one half (riunitedformarriage.org apothecary abbreviations):
    ex("roman", {"value": "ss"}, "0.5", "", id="ss"),
    ex("roman", {"value": "iss"}, "1.5", "", id="iss"),
    # issue 3: solve("roman", value=14).text == "XIV"
    ex("roman", {"value": 14}, "14", "", text="XIV", id="14"),
    ex("roman", {"value": "7.5"}, "7.5", "", text="VIIss", id="7.5"),
    # ---- temperature --------------------------------------------------------------
    # josephjsunday.tripod.com: 98.6 °F = 37 °C; 100 °C = 212 °F
    ex("temperature", {"value": "98.6 F", "to": "C"}, "37", "°C", text="37 °C", id="body"),
    ex("temperature", {"value": "100 °C", "to": "°F"}, "212", "°F", id="boiling"),
    # pharmacytechreview.com/temperature-conversions: 6 °C = 42.8 °F; 32 °F = 0 °C
    ex("temperature", {"value": "6 C", "to": "F"}, "42.8", "°F", id="fridge"),
    ex("temperature", {"value": "32 F", "to": "C"}, "0", "°C", id="freezing"),
    # networkworld-digital.com: 68 °F = 20 °C
    ex("temperature", {"value": "68 degrees F", "to": "celsius"}, "20", "°C", id="room"),
    # ---- convert ------------------------------------------------------------------
    # learnmath.org/topics/nursing/weight-based-dosing/: 44 lb ÷ 2.2 = 20 kg
    ex("convert", {"value": "44 lb", "to": "kg"}, "20", "kg", text="20 kg", id="learnmath"),
    # coconote weight-based lecture: 150 lb ÷ 2.2 = 68.2 kg (to tenths there)
    ex("convert", {"value": "150 lb", "to": "kg"}, "68.2", "kg", round_to="0.1", id="150lb"),
    # US Navy Hospital Corpsman manual, table 6-2/6-3: 1 grain = 65 mg; 480 mL = 16 fl oz =
    # 1 pint; 960 mL = 1 quart; 15 mL = 1 tablespoonful; 30 mL = 1 fl oz
    ex("convert", {"value": "1 grain", "to": "mg"}, "65", "mg", id="navy-grain"),
    ex("convert", {"value": "1 pint", "to": "mL"}, "480", "mL", id="navy-pint"),
    ex("convert", {"value": "1 pint", "to": "fl oz"}, "16", "fl oz", id="navy-pint-floz"),
    ex("convert", {"value": "1 quart", "to": "mL"}, "960", "mL", id="navy-quart"),
    ex("convert", {"value": "1 tbsp", "to": "mL"}, "15", "mL", id="navy-tbsp"),
    ex("convert", {"value": "2 fl oz", "to": "mL"}, "60", "mL", id="navy-floz"),
    # quizwizapp ch. 9 conversion factors: 1 tsp = 5 mL, 1 lb = 16 oz, 1 inch = 2.54 cm, 1 cup = 8 fl oz
    ex("convert", {"value": "3 tsp", "to": "mL"}, "15", "mL", id="tsp"),
    ex("convert", {"value": "1 lb", "to": "oz"}, "16", "oz", id="lb-oz"),
    ex("convert", {"value": "10 in", "to": "cm"}, "25.4", "cm", id="inch"),
    ex("convert", {"value": "1 cup", "to": "fl oz"}, "8", "fl oz", id="cup"),
    # joewongcomedy.com dosage page: with 60 mg = gr 1, gr ½ = 30 mg
    ex("convert", {"value": "gr ss", "to": "mg", "grain_mg": "60"}, "30", "mg", id="gr-ss-60"),
    # computed from calculations.md (60 mg grain on older nitroglycerin references): gr 1/150 = 0.4 mg
    ex("convert", {"value": "gr 1/150", "to": "mg", "grain_mg": 60}, "0.4", "mg", id="nitroglycerin"),
    # US Army MD0802 general rules: 0.05 g = 50 mg
    ex("convert", {"value": "0.05 g", "to": "mg"}, "50", "mg", id="md0802-g-mg"),
    # calculations.md equivalents: 1 lb = 454 g, 1 oz = 28.35 g, pint 473 mL when chosen
    ex("convert", {"value": "1 lb", "to": "g"}, "454", "g", id="lb-g"),
    ex("convert", {"value": "2 oz", "to": "g"}, "56.7", "g", id="oz-g"),
    ex("convert", {"value": "1 pint", "to": "mL", "pint_ml": "473"}, "473", "mL", id="pint-473"),
    ex("convert", {"value": "1 gallon", "to": "mL", "pint_ml": "473"}, "3785", "mL", id="gallon-473"),
    # computed from calculations.md (1 g = 1,000,000 mcg): 250 mcg = 0.25 mg; 250 µg is the same
    ex("convert", {"value": "250 mcg", "to": "mg"}, "0.25", "mg", id="mcg"),
    ex("convert", {"value": "250 µg", "to": "mg"}, "0.25", "mg", id="micro-sign"),
    ex("convert", {"value": "250 μg", "to": "mg"}, "0.25", "mg", id="greek-mu"),
    # calculations.md: 1:1000 = 0.1% = 1 mg/mL
    ex("convert", {"value": "0.1%", "to": "mg/mL"}, "1", "mg/mL", id="percent-mg-ml"),
    # ---- markup -------------------------------------------------------------------
    # pharmacy-tech-test.com/Business-math-to-study.html: cost $20, sold for $30 = 50% markup
    ex("markup", {"cost": "$20", "price": "$30"}, "50", "%", text="50%", extra={"markup": "10"}, id="ptt-50"),
    # pharmacytutor.com markup guide: $30 at 25% = $37.50; $50 at 20% = $60
    ex("markup", {"cost": "$30", "markup_percent": "25%"}, "37.5", "$", text="$37.50", extra={"markup": "7.5"}, id="pharmacytutor-30"),
    ex("markup", {"cost": "50", "markup_percent": 20}, "60", "$", text="$60.00", id="pharmacytutor-50"),
    # bsimm2.com pharmacy markup: cost $698, price $849 = 21.6% (to tenths there)
    ex("markup", {"cost": "$698", "price": "$849"}, "21.6", "%", round_to="0.1", id="jublia"),
]


@pytest.mark.parametrize(("family", "params", "value", "unit", "text", "round_to", "extra"), EXAMPLES)
def test_published_example(family, params, value, unit, text, round_to, extra):
    result = solve(family, round_to=round_to, **params)
    assert result.value == value
    assert result.unit == unit
    if text is not None:
        assert result.text == text
    for name, expected in extra.items():
        assert result.extra[name].value == Decimal(expected), name
    assert result.steps, "every answer comes with its worked steps"
    assert result.steps[-1].startswith(("Rounding rule", "Rounded")), "the last step names the rounding rule"


def test_every_family_has_a_published_or_reference_example():
    from trainer.calc import FAMILIES

    covered = {row.values[0] for row in EXAMPLES}
    assert set(FAMILIES) <= covered
