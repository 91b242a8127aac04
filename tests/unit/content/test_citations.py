"""A citation a learner can open: public sources pass, repository paths and bare notes fail."""

from __future__ import annotations

import pytest

from trainer.content.citations import citation_problems, is_public_source, is_repository_path


@pytest.mark.parametrize(
    "reference",
    [
        "21 CFR 1306.22 — refills of Schedule III–V prescriptions",
        "42 U.S.C. 1396r-8(g)(2)(A) — prospective drug use review",
        "FDA final rule, 91 FR 10749 (5 March 2026)",
        "Lipitor (atorvastatin calcium) prescribing information, DailyMed",
        "ISMP List of High-Alert Medications in Community/Ambulatory Care Settings",
        "The Joint Commission, Official \"Do Not Use\" List",
        "USP General Chapter <797> Pharmaceutical Compounding—Sterile Preparations",
        "NCPDP Telecommunication Standard D.0, field 405-D5 Days Supply",
        "MedlinePlus, Understanding Medical Words",
        "Some article, https://example.org/page",
    ],
)
def test_a_public_source_passes(reference):
    assert is_public_source(reference)
    assert citation_problems([reference]) == []


@pytest.mark.parametrize(
    "reference",
    [
        "shared/reference/prescription-rules.md (NDC)",
        "Pharmacy calculation conventions, shared/reference/calculations.md (days supply)",
        "RxTrainer reference: pharmacy calculation conventions",
        "RxTrainer course rx-intake, module 3: Sig codes",
        "see question_bank/calc-iv.yaml",
        "prescription-rules.md",
    ],
)
def test_a_repository_path_is_not_a_source(reference):
    assert is_repository_path(reference)
    assert not is_public_source(reference)


def test_a_url_whose_path_ends_in_md_is_still_public():
    assert is_public_source("Guide, https://example.org/docs/guide.md")


def test_a_repository_path_is_reported_even_beside_a_public_source():
    problems = citation_problems(["21 CFR 207.33", "shared/reference/prescription-rules.md (NDC)"])
    assert problems == [
        "cites a repository path, which learners cannot open: 'shared/reference/prescription-rules.md (NDC)'"
    ]


def test_references_without_any_public_source_are_reported():
    assert citation_problems(["My class notes"]) == [
        "cites no public source (a URL, a CFR section, a label, a published list)"
    ]
    assert citation_problems([]) == [
        "cites no public source (a URL, a CFR section, a label, a published list)"
    ]
