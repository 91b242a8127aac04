"""Moodle GIFT: reading an upload into bank questions, and writing questions out.

Supported: multiple choice (one answer → single_choice; several with % weights →
multiple_response), true/false, short answer, matching, numeric with a tolerance
(`{#8:0.1}`) or a range (`{#1..5}`), `$CATEGORY:` (its last part becomes a tag),
per-answer feedback (`#`), general feedback (`####`, our explanation), weights
(`~%50%`), titles (`::title::`, our id), `//` comments, `[markdown]`-style format
markers and the escapes `\\~ \\= \\# \\{ \\} \\: \\\\ \\n`.

GIFT has no place for tags, difficulty, blueprint, references or a unit, so the
uploader supplies `defaults`, and `write_gift` keeps our other fields in a
`// rxtrainer: {…}` comment before each question (Moodle ignores comments), which
`parse_gift` reads back: an export imports again unchanged. A question that cannot be
read or does not fit our format produces a problem and no question.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from trainer.calc import format_number
from trainer.content.source import SourceProblem
from trainer.questions.answers import to_decimal
from trainer.questions.placeholders import escape_braces, fill_placeholders
from trainer.questions.question import ID_PATTERN, MAX_ID_LENGTH, validate_question

META_PREFIX = "rxtrainer:"
DEFAULT_KEYS = ("tags", "difficulty", "blueprint", "references", "status", "id_prefix")
BLANK = "_____"

# Escaped characters stand in as private-use characters while the structure is parsed.
_ESCAPES = {
    "~": "\ue000",
    "=": "\ue001",
    "#": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    ":": "\ue005",
    "\\": "\ue006",
    "n": "\ue007",
}
_RESTORE = {v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()}
_PRIVATE = re.compile("[\ue000-\ue007]")
_FORMAT_MARKER = re.compile(r"\[(?:html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"%(-?[0-9]+(?:\.[0-9]+)?)%")
_NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"
_NUMERIC_ANSWER = re.compile(rf"(?P<a>{_NUMBER})(?:(?P<sep>:|\.\.)(?P<b>{_NUMBER}))?")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


@dataclass
class GiftResult:
    """Questions in our bank format, and the problems found, per question with its line."""

    questions: list[dict] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)


class _Refused(ValueError):
    """A question that cannot be imported; carries the message and the field."""

    def __init__(self, message: str, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)


def _protect(text: str) -> str:
    text = _PRIVATE.sub("", text)
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _restore(text: str) -> str:
    return _PRIVATE.sub(lambda m: _RESTORE[m.group(0)], text)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug


@dataclass
class _Block:
    line: int
    text: str
    meta: str | None = None
    meta_line: int | None = None


def _blocks(text: str) -> list[_Block]:
    """Blank-line separated blocks, without comment lines; a meta comment goes with its block."""
    blocks: list[_Block] = []
    lines: list[str] = []
    start = 0
    meta: tuple[str, int] | None = None
    pending_meta: tuple[str, int] | None = None

    def close() -> None:
        nonlocal lines, meta
        if lines:
            found = meta
            blocks.append(_Block(start, "\n".join(lines), *(found or (None, None))))
        lines = []
        meta = None

    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            close()
            continue
        if stripped.startswith("//"):
            comment = stripped[2:].strip()
            if comment.startswith(META_PREFIX):
                pending_meta = (comment[len(META_PREFIX) :].strip(), number)
            continue
        if not lines:
            start = number
            meta, pending_meta = pending_meta, None
        lines.append(line)
    close()
    return blocks


def _split_answers(content: str) -> list[tuple[str, str]]:
    """(marker, text) for each answer starting with = or ~ ; text before the first is refused."""
    parts = re.split(r"(?=[=~])", content)
    if parts and parts[0].strip():
        raise _Refused(f"text before the first answer: {_restore(parts[0].strip())!r}")
    return [(part[0], part[1:]) for part in parts if part]


def _weight_and_feedback(text: str) -> tuple[Decimal | None, str, str | None]:
    weight = None
    match = _WEIGHT.match(text.strip())
    if match:
        weight = Decimal(match.group(1))
        text = text.strip()[match.end() :]
    body, _, feedback = text.partition("#")
    feedback = _restore(feedback).strip() or None
    return weight, _restore(body).strip(), feedback


def _number(text: Decimal) -> int | float:
    """A number as a bank file writes it: 8, not 8.0; 0.25 as a float."""
    return int(text) if text == text.to_integral_value() else float(text)


def _choice_question(answers: list[tuple[str, str]]) -> dict:
    parsed = [(marker, *_weight_and_feedback(text)) for marker, text in answers]
    if any(not text for _, _, text, _ in parsed):
        raise _Refused("an answer has no text", "choices")
    single = any(marker == "=" for marker, *_ in parsed)
    choices = []
    if single:
        if sum(1 for marker, *_ in parsed if marker == "=") != 1:
            raise _Refused(
                "more than one answer is marked = (correct); use ~%50% weights for multiple response",
                "choices",
            )
        for marker, weight, text, feedback in parsed:
            if weight is not None and not (marker == "=" and weight == 100) and weight != 0:
                raise _Refused(
                    f"partial credit ({weight}%) on a one-answer question is not supported: "
                    "mark the choices with ~%n% weights to make it multiple response",
                    "choices",
                )
            choice = {"text": text, **({"correct": True} if marker == "=" else {})}
            if feedback:
                choice["feedback"] = feedback
            choices.append(choice)
        return {"type": "single_choice", "choices": choices}
    weights = [weight if weight is not None else Decimal(0) for _, weight, _, _ in parsed]
    correct_count = sum(1 for w in weights if w > 0)
    if not correct_count:
        raise _Refused(
            "no answer is correct: mark one with = or give positive % weights", "choices"
        )
    for (_, _, text, feedback), weight in zip(parsed, weights, strict=True):
        choice: dict = {"text": text}
        if weight > 0:
            choice["correct"] = True
        default = Fraction(100 if weight > 0 else -100, correct_count)
        if abs(Fraction(weight) - default) >= Fraction(1, 100):
            choice["weight"] = _number(weight)
        if feedback:
            choice["feedback"] = feedback
        choices.append(choice)
    return {"type": "multiple_response", "choices": choices}


def _true_false_question(content: str) -> dict:
    word, *feedback = content.split("#")
    answer = _TRUE_FALSE[word.strip().upper()]
    wrong_feedback = _restore(feedback[0]).strip() if feedback else ""
    right_feedback = _restore(feedback[1]).strip() if len(feedback) > 1 else ""
    question: dict = {"type": "true_false", "answer": answer}
    # in GIFT the first feedback is for a wrong answer, the second for a right one
    by_answer = {answer: right_feedback, (not answer): wrong_feedback}
    if by_answer[True]:
        question["feedback_true"] = by_answer[True]
    if by_answer[False]:
        question["feedback_false"] = by_answer[False]
    return question


def _short_answer_question(answers: list[tuple[str, str]]) -> dict:
    accepted = []
    for _, text in answers:
        weight, body, feedback = _weight_and_feedback(text)
        if weight is not None and weight != 100:
            raise _Refused(
                f"partial credit ({weight}%) on a short answer is not supported", "answers"
            )
        if feedback:
            raise _Refused(
                "feedback on each short answer is not supported; use general feedback (####)",
                "answers",
            )
        if "*" in body:
            raise _Refused("wildcards (*) in short answers are not supported", "answers")
        accepted.append(body)
    return {"type": "short_answer", "answers": accepted}


def _matching_question(answers: list[tuple[str, str]]) -> dict:
    pairs, distractors = [], []
    for marker, text in answers:
        if marker != "=" or "->" not in text:
            raise _Refused("each matching pair is written =left -> right", "pairs")
        left, _, right = text.partition("->")
        if "#" in right or "#" in left:
            raise _Refused("matching pairs cannot have feedback", "pairs")
        left, right = _restore(left).strip(), _restore(right).strip()
        if not right:
            raise _Refused("a matching pair has no right-hand side", "pairs")
        if left:
            pairs.append({"left": left, "right": right})
        else:
            distractors.append(right)
    question: dict = {"type": "matching", "pairs": pairs}
    if distractors:
        question["distractors"] = distractors
    return question


def _numeric_question(body: str) -> dict:
    body = body.strip()
    if "#" in body and not body.startswith("="):
        raise _Refused(
            "feedback on a numeric answer is not supported; use general feedback (####)", "answer"
        )
    if body.startswith("="):
        answers = [_weight_and_feedback(text) for _, text in _split_answers(body)]
        full = [a for a in answers if a[0] is None or a[0] == 100]
        if len(answers) != 1 or len(full) != 1:
            raise _Refused(
                "several numeric answers with partial credit are not supported", "answer"
            )
        _, body, feedback = full[0]
        if feedback:
            raise _Refused(
                "feedback on a numeric answer is not supported; use general feedback (####)",
                "answer",
            )
    match = _NUMERIC_ANSWER.fullmatch(_restore(body).replace(" ", ""))
    if not match:
        raise _Refused(
            f"{_restore(body)!r} is not a number, number:tolerance or min..max", "answer"
        )
    first = Decimal(match.group("a"))
    if match.group("sep") == "..":
        last = Decimal(match.group("b"))
        if last < first:
            raise _Refused("a range is written low..high", "answer")
        return {
            "type": "numeric",
            "answer": _number((first + last) / 2),
            "tolerance": _number((last - first) / 2),
        }
    question: dict = {"type": "numeric", "answer": _number(first)}
    if match.group("sep") == ":":
        question["tolerance"] = _number(Decimal(match.group("b")))
    return question


def _split_title(text: str) -> tuple[str | None, str]:
    """(title or None, the rest) of one protected block; raise _Refused."""
    text = text.strip()
    if not text.startswith("::"):
        return None, text
    end = text.find("::", 2)
    if end < 0:
        raise _Refused("the title is not closed with ::")
    return _restore(text[2:end]).strip(), text[end + 2 :]


def _read_question(text: str) -> dict:
    """The question fields GIFT gives, from one protected block without its title; raise _Refused."""
    text = text.strip()
    marker = _FORMAT_MARKER.match(text)
    if marker:
        text = text[marker.end() :].strip()
    opening = text.find("{")
    if opening < 0:
        raise _Refused(
            "no answer block {…}: descriptions and essays without answers are not imported"
        )
    closing = text.find("}", opening)
    if closing < 0:
        raise _Refused("the answer block is not closed with }")
    before, content, after = (
        text[:opening].strip(),
        text[opening + 1 : closing],
        text[closing + 1 :].strip(),
    )
    if "{" in after or "}" in after:
        raise _Refused("more than one answer block in a question (escape a literal brace as \\{)")
    stem = f"{before} {BLANK} {after}".strip() if after else before
    if not stem:
        raise _Refused("the question has no text", "stem")
    content, _, general = content.partition("####")
    content = content.strip()
    if not content:
        raise _Refused("essay questions (an empty answer block) are not supported")
    # the order Moodle decides in: a ~ makes multiple choice even if a text has ->
    if content.startswith("#"):
        question = _numeric_question(content[1:])
    elif "~" in content:
        question = _choice_question(_split_answers(content))
    elif "->" in content and "=" in content:
        question = _matching_question(_split_answers(content))
    elif content.split("#")[0].strip().upper() in _TRUE_FALSE:
        question = _true_false_question(content)
    elif content.startswith("="):
        question = _short_answer_question(_split_answers(content))
    else:
        raise _Refused("cannot tell the question type: answers start with = or ~")
    stem, explanation = _restore(stem), _restore(general).strip()
    if question["type"] == "numeric":
        # numeric stems are templates in our format: a literal brace is written twice
        stem, explanation = escape_braces(stem), escape_braces(explanation)
    return {"stem": stem, **question, "explanation": explanation}


def _check_defaults(defaults: Mapping | None) -> dict:
    defaults = dict(defaults or {})
    unknown = set(defaults) - set(DEFAULT_KEYS)
    if unknown:
        raise ValueError(f"unknown GIFT import defaults: {sorted(unknown)}")
    return defaults


def parse_gift(
    text: str,
    file: str = "upload.gift",
    defaults: Mapping | None = None,
    require_metadata: bool = False,
) -> GiftResult:
    """Read GIFT text into bank questions, with problems per question (file, line, question).

    `defaults` fills what GIFT cannot say: tags, difficulty (else medium), blueprint,
    references, status, and id_prefix (put before every id, so two uploads of
    `gift-1` do not overwrite each other). `require_metadata=True` also reports
    questions still missing an explanation, tags, blueprint or references.
    """
    defaults = _check_defaults(defaults)
    result = GiftResult()
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    category_tag = None
    used_ids: set[str] = set()
    number = 0
    for block in _blocks(_protect(text)):
        if block.text.lstrip().startswith("$CATEGORY:"):
            category, _, rest = block.text.lstrip().partition("\n")
            category_tag = _category_tag(category[len("$CATEGORY:") :])
            if not rest.strip():
                continue
            # a question written straight under the category line, without a blank line
            block = _Block(block.line + 1, rest, block.meta, block.meta_line)
        number += 1
        title = None
        try:
            title, rest = _split_title(block.text)
            question = _read_question(rest)
        except _Refused as exc:
            label = title or f"question {number}"
            result.problems.append(SourceProblem(file, block.line, exc.message, label, exc.field))
            continue
        label = title or f"question {number}"
        said_by_gift = {"id", "type", *question}
        tags = list(defaults.get("tags") or [])
        if category_tag and category_tag not in tags:
            tags.append(category_tag)
        question = {
            "id": None,
            "type": question["type"],
            **question,
            "tags": tags,
            "difficulty": defaults.get("difficulty", "medium"),
            "blueprint": list(defaults.get("blueprint") or []),
            "references": list(defaults.get("references") or []),
        }
        if "status" in defaults:
            question["status"] = defaults["status"]
        meta_problem = _apply_meta(question, block, said_by_gift)
        if meta_problem:
            result.problems.append(SourceProblem(file, block.meta_line, meta_problem, label))
            continue
        if not question["id"]:
            slug = _slug(title) if title else ""
            question["id"] = defaults.get("id_prefix", "") + (slug or f"gift-{number}")
        question["id"] = _unique(question["id"], used_ids)
        problems = validate_question(question, require_metadata=require_metadata)
        if problems:
            for field_name, message in problems:
                result.problems.append(
                    SourceProblem(file, block.line, message, question["id"], field_name)
                )
            continue
        used_ids.add(question["id"])
        result.questions.append(question)
    return result


def _category_tag(path: str) -> str | None:
    """The tag for a Moodle category path: its last real part ($course$/top/IV rates → iv-rates)."""
    skip = {"$course$", "$system$", "$module$", "$cat1$", "top", ""}
    parts = [p.strip() for p in _restore(path).split("/") if p.strip() not in skip]
    return (_slug(parts[-1]) or None) if parts else None


def _apply_meta(question: dict, block: _Block, said_by_gift: set[str]) -> str | None:
    """Add the fields kept in a `// rxtrainer: {…}` comment; a message if it cannot be read.

    The comment fills in what GIFT cannot say; it never overrides what the GIFT text
    itself says (a hand-edited file could otherwise hide a different key in a comment).
    """
    if block.meta is None:
        return None
    try:
        meta = json.loads(block.meta)
    except ValueError:
        return "the rxtrainer comment is not valid JSON"
    if not isinstance(meta, dict):
        return "the rxtrainer comment must hold a JSON object"
    if "tolerance_percent" in meta:
        # Moodle got the percent as an absolute tolerance; ours is the percent
        question.pop("tolerance", None)
    question.update({key: value for key, value in meta.items() if key not in said_by_gift})
    return None


def _unique(qid: str, used: set[str]) -> str:
    if not ID_PATTERN.fullmatch(qid) or len(qid) > MAX_ID_LENGTH:
        return qid  # validation reports it
    candidate, n = qid, 2
    while candidate in used:
        candidate = f"{qid}-{n}"
        n += 1
    return candidate


# ---- writing --------------------------------------------------------------------------

# What the GIFT text itself says for each type; every other field goes in the comment.
_IN_GIFT = {
    "single_choice": {"choices"},
    "multiple_response": {"choices"},
    "true_false": {"answer", "feedback_true", "feedback_false"},
    "short_answer": {"answers"},
    "matching": {"pairs", "distractors"},
    "numeric": {"answer", "tolerance"},
}
_ALWAYS_IN_GIFT = {"id", "type", "stem", "explanation"}


def _escape(text: str) -> str:
    text = re.sub(r"([\\~=#{}:])", r"\\\1", text)
    return text.replace("\n", "\\n")


def _weight_guard(text: str, weight: int) -> str:
    """Escaped text; one starting with % gets its weight written, or it would be read as one."""
    return f"%{weight}%{_escape(text)}" if text.startswith("%") else _escape(text)


def _percent(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.5f}".rstrip("0").rstrip(".")


def _gift_number(value: object) -> str:
    number = to_decimal(value)
    assert number is not None
    return format(number.normalize(), "f")


def _answers(question: dict) -> str:
    qtype = question["type"]
    if qtype == "single_choice":
        return "\n".join(
            f"\t{'=' if c.get('correct') else '~'}{_weight_guard(c['text'], 100 if c.get('correct') else 0)}"
            + (f"#{_escape(c['feedback'])}" if c.get("feedback") else "")
            for c in question["choices"]
        )
    if qtype == "multiple_response":
        k = sum(1 for c in question["choices"] if c.get("correct"))
        lines = []
        for c in question["choices"]:
            weight = (
                Fraction(str(c["weight"]))
                if "weight" in c
                else Fraction(100 if c.get("correct") else -100, k)
            )
            lines.append(
                f"\t~%{_percent(weight)}%{_escape(c['text'])}"
                + (f"#{_escape(c['feedback'])}" if c.get("feedback") else "")
            )
        return "\n".join(lines)
    if qtype == "true_false":
        answer = question["answer"]
        right = question.get("feedback_true" if answer else "feedback_false") or ""
        wrong = question.get("feedback_false" if answer else "feedback_true") or ""
        feedback = (
            f"#{_escape(wrong)}#{_escape(right)}"
            if right
            else (f"#{_escape(wrong)}" if wrong else "")
        )
        return ("TRUE" if answer else "FALSE") + feedback
    if qtype == "short_answer":
        return "\n".join(f"\t={_weight_guard(a, 100)}" for a in question["answers"])
    if qtype == "matching":
        lines = [f"\t={_escape(p['left'])} -> {_escape(p['right'])}" for p in question["pairs"]]
        lines += [f"\t= -> {_escape(d)}" for d in question.get("distractors") or []]
        return "\n".join(lines)
    answer = _gift_number(question["answer"])
    tolerance = question.get("tolerance")
    if tolerance is None and question.get("tolerance_percent") is not None:
        tolerance = (
            abs(to_decimal(question["answer"])) * to_decimal(question["tolerance_percent"]) / 100
        )
    return f"#{answer}" + (f":{_gift_number(tolerance)}" if tolerance is not None else "")


def _why_not(question: dict) -> str | None:
    qtype = question.get("type")
    if qtype not in _IN_GIFT:
        return f"{qtype} questions have no GIFT form"
    if qtype == "matching" and any(
        "->" in p["left"] or "->" in p["right"] for p in question["pairs"]
    ):
        return "a matching text contains '->', which GIFT cannot escape"
    if qtype == "short_answer" and any("->" in a for a in question["answers"]):
        return "an answer contains '->', which GIFT would read as matching"
    return None


def write_gift(questions: list[dict]) -> str:
    """GIFT text for valid bank questions; types GIFT cannot hold are listed in comments."""
    out: list[str] = [
        "// Exported from RxTrainer. Lines starting // rxtrainer: keep fields GIFT has no place for.",
        "",
    ]
    category = None
    for question in questions:
        reason = _why_not(question)
        if reason:
            out += [f"// skipped {question.get('id')}: {reason}", ""]
            continue
        tags = question.get("tags") or []
        if tags and tags[0] != category:
            category = tags[0]
            out += [f"$CATEGORY: rxtrainer/{category}", ""]
        meta = {
            k: v
            for k, v in question.items()
            if k not in _ALWAYS_IN_GIFT | _IN_GIFT[question["type"]]
        }
        if meta:
            out.append(f"// {META_PREFIX} " + json.dumps(meta, ensure_ascii=False, default=str))
        stem, explanation = question["stem"], question.get("explanation") or ""
        if question["type"] == "numeric":
            # numeric text is a template in our format; Moodle shows it filled
            answer = to_decimal(question["answer"])
            stem = fill_placeholders(stem, {})
            explanation = fill_placeholders(explanation, {"answer": answer}, format_number)
        general = f"####{_escape(explanation)}" if explanation else ""
        body = _answers(question)
        separator = "\n" if "\n" in body else ""
        out.append(
            f"::{question['id']}::[markdown]{_escape(stem)}{{{separator}{body}{separator}{general}}}"
        )
        out.append("")
    return "\n".join(out)
