"""The contract every shipped item keeps with the graders: the key scores full marks at every
step, and an empty answer scores below it without raising."""

from __future__ import annotations

from trainer.rx.scenarios import (
    ClaimAnswer,
    EntryAnswer,
    LabelAnswer,
    ReviewAnswer,
    Scenario,
    ValidationAnswer,
    checks,
    claim_key,
    entry_key,
    grade_claim,
    grade_entry,
    grade_label,
    grade_product,
    grade_review,
    grade_validation,
)
from trainer.rx.scenarios.kinds import ERROR_KINDS


def key_answers(s: Scenario, drugs):
    review = ReviewAnswer(
        s.expected.review,
        tuple((p.field, p.kind) for p in s.problems if ERROR_KINDS[p.kind].step == "review"),
    )
    key_label = checks.key_label(s, drugs)
    label = LabelAnswer({name: getattr(key_label, name) for name in s.expected.label_fixes}) if key_label else LabelAnswer()
    claim = ClaimAnswer(claim_key(s), dict(s.expected.claim.resubmit))
    return review, entry_key(s), s.expected.ndc, claim, label


def test_the_key_of_every_shipped_item_scores_full_marks(shipped, drugs):
    for item in shipped:
        if not isinstance(item, Scenario):
            named = tuple((p.field, p.kind) for p in item.problems)
            assert grade_validation(item, ValidationAnswer(item.dispense, named), drugs).correct, item.id
            continue
        review, entry, ndc, claim, label = key_answers(item, drugs)
        assert grade_review(item, review, drugs).correct, item.id
        if not item.expected.fillable:
            continue
        results = {
            "entry": grade_entry(item, entry, drugs),
            "product": grade_product(item, ndc, drugs),
            "claim": grade_claim(item, claim, drugs),
            "label": grade_label(item, label, drugs),
        }
        assert {step: r.correct for step, r in results.items()} == dict.fromkeys(results, True), item.id


def test_an_empty_answer_scores_below_the_key_and_never_raises(shipped, drugs):
    for item in shipped:
        if not isinstance(item, Scenario):
            result = grade_validation(item, ValidationAnswer(None), drugs)  # type: ignore[arg-type]
            assert result.earned < result.possible, item.id
            continue
        assert not grade_review(item, ReviewAnswer(""), drugs).correct, item.id
        if item.expected.fillable:
            assert grade_entry(item, EntryAnswer(), drugs).earned == 0, item.id
            assert not grade_product(item, "", drugs).correct, item.id
            claim = grade_claim(item, ClaimAnswer(), drugs)
            assert claim.correct == (not claim_key(item)), item.id
            label = grade_label(item, LabelAnswer(), drugs)
            assert label.correct == (not item.expected.label_fixes), item.id
