"""Sample questions of every type, as a bank file would hold them (after loading)."""

from __future__ import annotations

import copy

COMMON = {
    "explanation": "Because the reference says so.",
    "tags": ["sample"],
    "difficulty": "medium",
    "blueprint": ["ptce-2020:4.2"],
    "references": ["shared/reference/calculations.md"],
}


def question(qid: str, qtype: str, stem: str, **fields) -> dict:
    """A complete question: the common fields plus the type's own."""
    return copy.deepcopy({"id": qid, "type": qtype, "stem": stem, **fields, **COMMON})


SINGLE = question(
    "law-sched-001",
    "single_choice",
    "Which schedule is hydrocodone/acetaminophen in?",
    choices=[
        {"text": "Schedule II", "correct": True, "feedback": "Rescheduled in October 2014."},
        {"text": "Schedule III", "feedback": "It was, until 2014."},
        {"text": "Schedule IV"},
        {"text": "Schedule V"},
    ],
)

MULTIPLE = question(
    "safety-ismp-001",
    "multiple_response",
    "Which of these are on the ISMP list of error-prone abbreviations?",
    choices=[
        {"text": "cc", "correct": True},
        {"text": "IU", "correct": True},
        {"text": "mL"},
        {"text": "mcg"},
    ],
)

TRUE_FALSE = question(
    "safety-tz-001",
    "true_false",
    "A trailing zero (5.0 mg) is the safe way to write a whole-number dose.",
    answer=False,
    feedback_true="It can be read as 50 mg.",
)

NUMERIC = question(
    "calc-num-001",
    "numeric",
    "How many mL of a 250 mg/5 mL suspension hold 400 mg?",
    answer=8,
    unit="mL",
    tolerance=0.05,
)

CALCULATED = question(
    "calc-dv-003",
    "calculated",
    "The order is amoxicillin {dose} mg. The stock is {strength} mg/5 mL. How many mL is one dose?",
    variables={
        "dose": {"min": 100, "max": 500, "step": 50},
        "strength": {"choices": [125, 250, 400]},
    },
    answer={
        "family": "dose_volume",
        "params": {"dose": "{dose} mg", "concentration": "{strength} mg/5 mL"},
        "round_to": "0.1",
    },
    unit="mL",
    tolerance=0.05,
    sanity={"min": 0.5, "max": 60},
)

CALCULATED_FORMULA = question(
    "calc-iv-014",
    "calculated",
    "A 1,000 mL bag runs at {rate} mL/hr for {hours} hours. How many mL remain?",
    variables={"rate": {"choices": [75, 100, 125]}, "hours": {"min": 2, "max": 6, "step": 1}},
    answer={"formula": "1000 - rate * hours", "round_to": "1"},
    unit="mL",
    sanity={"min": 250, "max": 850},
)

MATCHING = question(
    "drugs-statins-001",
    "matching",
    "Match each brand to its generic name.",
    pairs=[
        {"left": "Lipitor", "right": "atorvastatin"},
        {"left": "Zocor", "right": "simvastatin"},
        {"left": "Crestor", "right": "rosuvastatin"},
    ],
    distractors=["pravastatin"],
)

SHORT = question(
    "drugs-lipitor-001",
    "short_answer",
    "What is the generic name of Lipitor?",
    answers=["atorvastatin", "atorvastatin calcium"],
)

ORDERING = question(
    "workflow-001",
    "ordering",
    "Put the steps of filling a prescription in order.",
    items=[
        "Receive the prescription and check it is complete",
        "Enter the prescription",
        "Fill and label",
        "Pharmacist verification",
    ],
)

ESSAY = question(
    "counsel-essay-001",
    "essay",
    "A patient asks why her amoxicillin suspension must be refrigerated. What do you tell her?",
    rubric="Names reduced potency at room temperature and the 14-day discard date.",
)

DESCRIPTION = question(
    "case-intro-001",
    "description",
    "The next three questions are about this prescription: amoxicillin 250 mg/5 mL, 500 mg TID x 10 days.",
)

RX_DRILLS = [
    question("rx-dea-001", "rx_drill", "Check the prescriber's DEA number.", rule="dea_check"),
    question("rx-ndc-001", "rx_drill", "Convert the NDC.", rule="ndc_to_11", settings={"shape": "5-4-1"}),
    question("rx-sig-001", "rx_drill", "Translate the sig.", rule="sig_translate"),
    question("rx-refill-001", "rx_drill", "Decide on the refill.", rule="refill_allowed", settings={"schedule": "CIII"}),
    question("rx-reject-001", "rx_drill", "Read the reject.", rule="reject_meaning", settings={"ask": "action"}),
]

ALL = [
    *RX_DRILLS,
    SINGLE,
    MULTIPLE,
    TRUE_FALSE,
    NUMERIC,
    CALCULATED,
    CALCULATED_FORMULA,
    MATCHING,
    SHORT,
    ORDERING,
    ESSAY,
    DESCRIPTION,
]


def key_response(instance: dict):
    """The response that a learner who knows the answer gives for an instance."""
    kind = instance["type"]
    if kind in ("single_choice", "multiple_response", "ordering", "rx_drill"):
        return copy.deepcopy(instance["key"])
    if kind == "true_false":
        return "true" if instance["key"] else "false"
    if kind in ("numeric", "calculated"):
        unit = instance["unit"]
        return f"{instance['answer_text']}" if unit else instance["answer"]
    if kind == "matching":
        return dict(instance["key"])
    if kind == "short_answer":
        return instance["answers"][-1].upper()
    if kind == "essay":
        return "It keeps its strength in the fridge; throw it away after 14 days."
    if kind == "description":
        return None
    raise AssertionError(f"no key response for {kind}")


# A spec each type must refuse.
BROKEN = {
    "single_choice": {"choices": [{"text": "A"}, {"text": "B"}]},
    "multiple_response": {"choices": [{"text": "A"}, {"text": "B"}]},
    "true_false": {"answer": "no"},
    "numeric": {"answer": "eight"},
    "calculated": {
        "variables": {"dose": {"min": 0, "max": 100, "step": 50}},
        "answer": {"formula": "dose / 10"},
        "sanity": {"min": 1, "max": 10},
    },
    "matching": {"pairs": [{"left": "Lipitor", "right": "atorvastatin"}]},
    "short_answer": {"answers": []},
    "ordering": {"items": ["only one"]},
    "essay": {"rubric": 5},
    "description": {"stem": "   "},
    "rx_drill": {"rule": "dea_check", "settings": {"defect": "forged"}},
}
