"""GIFT conformance: every construct in Moodle's GIFT documentation, read as Moodle reads it.

Each case is a snippet written for this suite and the parse Moodle's reader
(`question/format/gift/format.php`) produces for it, in Moodle's own terms: the
question type, the question text, and the answers with their fractions and feedback.
`moodle_view` turns our imported question back into those terms, so each case checks
that nothing was read differently, only stored in this site's shape.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from trainer.questions import validate_question
from trainer.questions.gift import parse_gift, write_gift
from trainer.questions.short_answer import accepted_answers


def _fraction(value) -> Fraction:
    return Fraction(str(value)) / 100


def moodle_view(question: dict) -> dict:
    """One of our questions in the terms of Moodle's reader (qtype, texts, answers, fractions)."""
    qtype = question["type"]
    view: dict = {"questiontext": question["stem"], "generalfeedback": question["explanation"]}
    if qtype in ("single_choice", "multiple_response"):
        choices = question["choices"]
        k = sum(1 for c in choices if c.get("correct"))
        answers = []
        for c in choices:
            if "weight" in c:
                fraction = _fraction(c["weight"])
            elif qtype == "single_choice":
                fraction = Fraction(1 if c.get("correct") else 0)
            else:
                fraction = Fraction(1 if c.get("correct") else -1, k)
            answers.append((c["text"], fraction, c.get("feedback", "")))
        view |= {"qtype": "multichoice", "single": qtype == "single_choice", "answers": answers}
    elif qtype == "true_false":
        view |= {
            "qtype": "truefalse",
            "correctanswer": question["answer"],
            "feedbacktrue": question.get("feedback_true", ""),
            "feedbackfalse": question.get("feedback_false", ""),
        }
    elif qtype == "short_answer":
        view |= {
            "qtype": "shortanswer",
            "answers": [
                (a["text"], _fraction(a["weight"]), a.get("feedback", ""))
                for a in accepted_answers(question["answers"])
            ],
        }
    elif qtype == "numeric":
        answers = [
            (
                Fraction(str(question["answer"])),
                Fraction(str(question.get("tolerance", 0))),
                Fraction(1),
                question.get("feedback", ""),
            )
        ]
        for other in question.get("other_answers", []):
            answers.append(
                (
                    Fraction(str(other["answer"])),
                    Fraction(str(other.get("tolerance", 0))),
                    _fraction(other["weight"]),
                    other.get("feedback", ""),
                )
            )
        if question.get("feedback_wrong"):
            answers.append(("*", "", Fraction(0), question["feedback_wrong"]))
        view |= {"qtype": "numerical", "answers": answers}
    elif qtype == "matching":
        pairs = [(p["left"], p["right"]) for p in question["pairs"]]
        pairs += [("", d) for d in question.get("distractors", [])]
        view |= {"qtype": "match", "pairs": pairs}
    else:
        view |= {"qtype": {"essay": "essay", "description": "description"}[qtype]}
    return view


F = Fraction
# (name, GIFT snippet, Moodle's parse)
CASES = [
    (
        "multiple choice",
        "Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}",
        {
            "qtype": "multichoice",
            "single": True,
            "questiontext": "Who's buried in Grant's tomb?",
            "generalfeedback": "",
            "answers": [("Grant", F(0), ""), ("Jefferson", F(0), ""), ("no one", F(1), "")],
        },
    ),
    (
        "missing word keeps Moodle's spacing",
        "Grant is {~buried =entombed ~living} in Grant's tomb.",
        {
            "qtype": "multichoice",
            "single": True,
            "questiontext": "Grant is _____ in Grant's tomb.",
            "generalfeedback": "",
            "answers": [("buried", F(0), ""), ("entombed", F(1), ""), ("living", F(0), "")],
        },
    ),
    (
        "missing word right before the full stop",
        "The dose is written in {=mL ~cc}.",
        {
            "qtype": "multichoice",
            "single": True,
            "questiontext": "The dose is written in _____.",
            "generalfeedback": "",
            "answers": [("mL", F(1), ""), ("cc", F(0), "")],
        },
    ),
    (
        "answers on several lines, a title and per-answer feedback",
        "::Q2:: What's between orange and green in the spectrum?\n{\n"
        "    =yellow # right; good!\n    ~red # wrong, it's yellow\n    ~blue # wrong, it's yellow\n}",
        {
            "qtype": "multichoice",
            "single": True,
            "questiontext": "What's between orange and green in the spectrum?",
            "generalfeedback": "",
            "answers": [
                ("yellow", F(1), "right; good!"),
                ("red", F(0), "wrong, it's yellow"),
                ("blue", F(0), "wrong, it's yellow"),
            ],
        },
    ),
    (
        "multiple right answers with weights (no =)",
        "What two people are entombed in Grant's tomb? "
        "{~%-100%No one ~%50%Grant ~%50%Grant's wife ~%-100%Grant's father}",
        {
            "qtype": "multichoice",
            "single": False,
            "questiontext": "What two people are entombed in Grant's tomb?",
            "generalfeedback": "",
            "answers": [
                ("No one", F(-1), ""),
                ("Grant", F(1, 2), ""),
                ("Grant's wife", F(1, 2), ""),
                ("Grant's father", F(-1), ""),
            ],
        },
    ),
    (
        "one right answer with partial credit and a penalty",
        "Pick the best. {=best ~%50%half right ~%-25%a penalty ~wrong}",
        {
            "qtype": "multichoice",
            "single": True,
            "questiontext": "Pick the best.",
            "generalfeedback": "",
            "answers": [
                ("best", F(1), ""),
                ("half right", F(1, 2), ""),
                ("a penalty", F(-1, 4), ""),
                ("wrong", F(0), ""),
            ],
        },
    ),
    (
        "several = answers each worth full marks",
        "Which are opioids? {=morphine =oxycodone ~ibuprofen}",
        {
            "qtype": "multichoice",
            "single": True,
            "questiontext": "Which are opioids?",
            "generalfeedback": "",
            "answers": [("morphine", F(1), ""), ("oxycodone", F(1), ""), ("ibuprofen", F(0), "")],
        },
    ),
    (
        "a right answer whose text starts with % keeps it (no weight after =)",
        "Strength? {=%5% dextrose ~water}",
        {
            "qtype": "multichoice",
            "single": True,
            "questiontext": "Strength?",
            "generalfeedback": "",
            "answers": [("%5% dextrose", F(1), ""), ("water", F(0), "")],
        },
    ),
    (
        "true/false with T",
        "Grant was buried in a tomb in New York City.{T}",
        {
            "qtype": "truefalse",
            "correctanswer": True,
            "questiontext": "Grant was buried in a tomb in New York City.",
            "generalfeedback": "",
            "feedbacktrue": "",
            "feedbackfalse": "",
        },
    ),
    (
        "true/false with FALSE and feedback: the wrong answer's first",
        "The sun rises in the West.{FALSE#No, it rises in the East.#Right: east.}",
        {
            "qtype": "truefalse",
            "correctanswer": False,
            "questiontext": "The sun rises in the West.",
            "generalfeedback": "",
            "feedbacktrue": "No, it rises in the East.",
            "feedbackfalse": "Right: east.",
        },
    ),
    (
        "{true} in lowercase is a short answer, as in Moodle",
        "Is it so? {true}",
        {
            "qtype": "shortanswer",
            "questiontext": "Is it so?",
            "generalfeedback": "",
            "answers": [("true", F(1), "")],
        },
    ),
    (
        "{One} without = is a short answer",
        "How many? {One}",
        {
            "qtype": "shortanswer",
            "questiontext": "How many?",
            "generalfeedback": "",
            "answers": [("One", F(1), "")],
        },
    ),
    (
        "short answer with several answers",
        "Who's buried in Grant's tomb?{=Grant =Ulysses S. Grant =Ulysses Grant}",
        {
            "qtype": "shortanswer",
            "questiontext": "Who's buried in Grant's tomb?",
            "generalfeedback": "",
            "answers": [
                ("Grant", F(1), ""),
                ("Ulysses S. Grant", F(1), ""),
                ("Ulysses Grant", F(1), ""),
            ],
        },
    ),
    (
        "short answer as a missing word",
        "Two plus two equals {=four =4}.",
        {
            "qtype": "shortanswer",
            "questiontext": "Two plus two equals _____.",
            "generalfeedback": "",
            "answers": [("four", F(1), ""), ("4", F(1), "")],
        },
    ),
    (
        "short answer with partial credit and feedback",
        "Name the pet. {=Dog#Yes =%50%Cat#Close =%0%*#No}",
        {
            "qtype": "shortanswer",
            "questiontext": "Name the pet.",
            "generalfeedback": "",
            "answers": [("Dog", F(1), "Yes"), ("Cat", F(1, 2), "Close"), ("*", F(0), "No")],
        },
    ),
    (
        "matching with a distractor",
        "Match the countries with their capitals. {=Canada -> Ottawa =Italy -> Rome "
        "=Japan -> Tokyo = -> Paris}",
        {
            "qtype": "match",
            "questiontext": "Match the countries with their capitals.",
            "generalfeedback": "",
            "pairs": [("Canada", "Ottawa"), ("Italy", "Rome"), ("Japan", "Tokyo"), ("", "Paris")],
        },
    ),
    (
        "matching: a ~ anywhere makes it multiple choice",
        "Which? {=a->b ~c}",
        {
            "qtype": "multichoice",
            "single": True,
            "questiontext": "Which?",
            "generalfeedback": "",
            "answers": [("a->b", F(1), ""), ("c", F(0), "")],
        },
    ),
    (
        "numerical with a tolerance",
        "When was Ulysses S. Grant born?{#1822:5}",
        {
            "qtype": "numerical",
            "questiontext": "When was Ulysses S. Grant born?",
            "generalfeedback": "",
            "answers": [(F(1822), F(5), F(1), "")],
        },
    ),
    (
        "numerical after the text is a missing word (text follows the block)",
        "What is pi to 3 decimal places? {#3.14159:0.0005}.",
        {
            "qtype": "numerical",
            "questiontext": "What is pi to 3 decimal places? _____.",
            "generalfeedback": "",
            "answers": [(F("3.14159"), F("0.0005"), F(1), "")],
        },
    ),
    (
        "numerical range",
        "What is pi to 3 decimal places? {#3.141..3.142}",
        {
            "qtype": "numerical",
            "questiontext": "What is pi to 3 decimal places?",
            "generalfeedback": "",
            "answers": [(F("3.1415"), F("0.0005"), F(1), "")],
        },
    ),
    (
        "numerical with several answers, partial credit, feedback and a catch-all",
        "When was Grant born? {#\n=1822:0#Correct!\n=%50%1822:2#Close\n~#Completely wrong}",
        {
            "qtype": "numerical",
            "questiontext": "When was Grant born?",
            "generalfeedback": "",
            "answers": [
                (F(1822), F(0), F(1), "Correct!"),
                (F(1822), F(2), F(1, 2), "Close"),
                ("*", "", F(0), "Completely wrong"),
            ],
        },
    ),
    (
        "numbers written .5 and 1.5e6",
        "Half? {#.5}",
        {
            "qtype": "numerical",
            "questiontext": "Half?",
            "generalfeedback": "",
            "answers": [(F(1, 2), F(0), F(1), "")],
        },
    ),
    (
        "exponent notation",
        "Units in the vial? {#1.5e6:1e4}",
        {
            "qtype": "numerical",
            "questiontext": "Units in the vial?",
            "generalfeedback": "",
            "answers": [(F(1500000), F(10000), F(1), "")],
        },
    ),
    (
        "essay",
        "Write a short biography of Dag Hammarskjöld. {}",
        {
            "qtype": "essay",
            "questiontext": "Write a short biography of Dag Hammarskjöld.",
            "generalfeedback": "",
        },
    ),
    (
        "essay with general feedback",
        "Why refrigerate amoxicillin suspension? {####It keeps its potency for 14 days.}",
        {
            "qtype": "essay",
            "questiontext": "Why refrigerate amoxicillin suspension?",
            "generalfeedback": "It keeps its potency for 14 days.",
        },
    ),
    (
        "description (no answer block)",
        "You can use your pencil and paper for these next math questions.",
        {
            "qtype": "description",
            "questiontext": "You can use your pencil and paper for these next math questions.",
            "generalfeedback": "",
        },
    ),
    (
        "general feedback after the last ####",
        "Is it? {T####Because #### it is.}",
        {
            "qtype": "truefalse",
            "correctanswer": True,
            "questiontext": "Is it?",
            "generalfeedback": "it is.",
            # the answer is then T####Because, split at # into T, '' and ##Because
            "feedbacktrue": "##Because",
            "feedbackfalse": "",
        },
    ),
    (
        "escapes",
        "What does 1\\:1000 mean \\{w/v\\}? {=1 g in 1000 mL ~1 g \\= 100 mL ~a \\~ b \\# c}",
        {
            "qtype": "multichoice",
            "single": True,
            "questiontext": "What does 1:1000 mean {w/v}?",
            "generalfeedback": "",
            "answers": [
                ("1 g in 1000 mL", F(1), ""),
                ("1 g = 100 mL", F(0), ""),
                ("a ~ b # c", F(0), ""),
            ],
        },
    ),
    (
        "format markers on the text, answers, feedback and general feedback",
        "[html]Pick the <b>safe</b> one. {=[html]<b>0.5 mg</b>#[html]<i>Leading zero</i> ~[plain].5 mg#[markdown]**No**"
        "####[markdown]Write **0.5**.}",
        {
            "qtype": "multichoice",
            "single": True,
            "questiontext": "Pick the <b>safe</b> one.",
            "generalfeedback": "Write **0.5**.",
            "answers": [("<b>0.5 mg</b>", F(1), "Leading zero"), (".5 mg", F(0), "No")],
        },
    ),
    (
        "plain text is shown as written",
        "[plain]Is 2*3*4 = 24? {T}",
        {
            "qtype": "truefalse",
            "correctanswer": True,
            "questiontext": "Is 2\\*3\\*4 = 24?",
            "generalfeedback": "",
            "feedbacktrue": "",
            "feedbackfalse": "",
        },
    ),
]


@pytest.mark.parametrize(("name", "gift", "moodle"), CASES, ids=[c[0] for c in CASES])
def test_gift_reads_as_moodle_reads_it(name, gift, moodle):
    result = parse_gift(gift)
    assert result.problems == [], [str(p) for p in result.problems]
    (question,) = result.questions
    assert moodle_view(question) == moodle
    assert validate_question(question, require_metadata=False) == []


@pytest.mark.parametrize(("name", "gift", "moodle"), CASES, ids=[c[0] for c in CASES])
def test_gift_to_site_to_gift_compares_equal(name, gift, moodle):
    first = parse_gift(gift).questions
    again = parse_gift(write_gift(first))
    assert again.problems == []
    assert again.questions == first


def test_html_in_a_choice_is_sanitised_and_marked_as_html():
    (q,) = parse_gift(
        "Pick. {=[html]<b onclick\\='x()'>bold</b><script>bad()</script> ~plain}"
    ).questions
    assert q["choices"][0] == {"text": "<b>bold</b>", "correct": True, "format": "html"}
    assert q["choices"][1] == {"text": "plain"}


def test_comment_tags_and_id_number():
    text = "// [tag:Dosing] [tag:week-3]\n// [id:CALC 101]\n::Title::Is it? {T}"
    (q,) = parse_gift(text).questions
    assert q["id"] == "calc-101"
    assert q["tags"] == ["dosing", "week-3"]


def test_a_category_line_directly_followed_by_a_question():
    result = parse_gift("$CATEGORY: $course$/top/IV rates\n::Drip::Drip? {T}\n\n::Next::Next? {F}")
    assert [(q["id"], q["tags"]) for q in result.questions] == [
        ("drip", ["iv-rates"]),
        ("next", ["iv-rates"]),
    ]


def test_a_title_without_its_closing_colons_is_part_of_nothing():
    # Moodle drops the opening :: and names the question from its text
    (q,) = parse_gift("::Is it so? {T}").questions
    assert q["stem"] == "Is it so?" and q["id"] == "gift-1"


def test_text_after_the_answer_block_keeps_its_braces_as_text():
    (q,) = parse_gift("Pick {=a ~b} then see {this}.").questions
    assert q["stem"] == "Pick _____ then see {this}."


def test_a_question_without_general_feedback_imports_with_an_empty_explanation():
    (q,) = parse_gift("::Q::Is it? {T}").questions
    assert (q["explanation"], q["status"]) == ("", "draft")
    published = {**q, "status": "published"}
    assert ("explanation", "is required: why the key is right") in validate_question(published)


def test_the_writer_guards_a_correct_short_answer_starting_with_percent():
    question = parse_gift("Strength? {=x}").questions[0] | {"answers": ["%50% of it"]}
    text = write_gift([question])
    assert "=%100%%50% of it" in text
    assert parse_gift(text).questions[0]["answers"] == ["%50% of it"]


def test_the_writer_guards_a_wrong_choice_starting_with_percent():
    (question,) = parse_gift("Pick. {=right ~other}").questions
    question["choices"][1]["text"] = "%5% dextrose"
    text = write_gift([question])
    assert "~%0%%5% dextrose" in text
    assert parse_gift(text).questions[0]["choices"] == question["choices"]


def test_the_writer_guards_a_text_starting_with_a_format_marker():
    (question,) = parse_gift("Pick. {=right ~other}").questions
    question["choices"][0]["text"] = "[html] is a tag"
    question["stem"] = "[plain] looks like a marker"
    text = write_gift([question])
    assert "=[plain][html] is a tag" in text and "[markdown][plain] looks like a marker" in text
    assert parse_gift(text).questions[0] == question


def test_a_draft_may_lack_its_explanation_but_a_published_question_may_not():
    (q,) = parse_gift(
        "::Q::Is it? {T}",
        defaults={"tags": ["x"], "blueprint": ["ptce-2020:4.2"], "references": ["r"]},
    ).questions
    assert validate_question({**q, "status": "draft"}) == []
    assert validate_question({**q, "status": "published"}) == [
        ("explanation", "is required: why the key is right")
    ]
