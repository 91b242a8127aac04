"""Moodle GIFT: reading an upload as Moodle's own reader does, and writing questions out.

The reader follows Moodle's `question/format/gift/format.php` step by step: blocks
separated by blank lines, `//` comment lines (with `[tag:…]` and `[id:…]` in them),
`$CATEGORY:`, `::title::`, the first `{` … first `}` as the answer block, general
feedback after the last `####`, and the type decided in Moodle's order (no block:
description; empty block: essay; `#`: numerical; a `~`: multiple choice; `=` with `->`:
matching; exactly `T`/`TRUE`/`F`/`FALSE`: true/false; anything else: short answer).
Format markers (`[html]`, `[moodle]`, `[plain]`, `[markdown]`) are honoured on every
text (see trainer.questions.textformat). Where this site reads differently, the README
says so and why.

GIFT has no place for difficulty, blueprint, references or a unit, so the uploader
supplies `defaults`, and `write_gift` keeps our other fields in a `// rxtrainer: {…}`
comment before each question (Moodle ignores comments), which `parse_gift` reads back:
an export imports again unchanged. A question that cannot be read or does not fit our
format produces a problem and no question.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from trainer.calc import format_number
from trainer.questions.answers import to_decimal
from trainer.questions.interchange import (
    DEFAULT_KEYS,
    Collector,
    ImportResult,
    Refused,
    bounded_decimal,
    category_tag,
    check_defaults,
)
from trainer.questions.placeholders import escape_braces, fill_placeholders
from trainer.questions.short_answer import accepted_answers
from trainer.questions.textformat import (
    split_format_marker,
    to_choice,
    to_markdown,
    to_plain,
)

__all__ = ["BLANK", "DEFAULT_KEYS", "GiftResult", "META_PREFIX", "parse_gift", "write_gift"]

META_PREFIX = "rxtrainer:"
BLANK = "_____"
GiftResult = ImportResult
_Refused = Refused

# Escaped characters stand in as private-use characters while the structure is parsed
# (Moodle does the same with &&058; and friends). `\\` is a backslash.
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
# Moodle's answer weight: %, optional minus signs, one or two digits, optional decimals, %
_WEIGHT = re.compile(r"^%(-*)([0-9]{1,2}\.?[0-9]{0,12})%")
_GIFT_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f])+)\]")
_IDNUMBER = re.compile(r"\[id:((?:\\\]|[^\]\[\x00-\x1f])+)\]")


def _protect(text: str) -> str:
    text = _PRIVATE.sub("", text)
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _restore(text: str) -> str:
    return _PRIVATE.sub(lambda m: _RESTORE[m.group(0)], text)


@dataclass
class _Block:
    line: int
    lines: list[str] = field(default_factory=list)
    comments: list[tuple[int, str]] = field(default_factory=list)


def _blocks(text: str) -> list[_Block]:
    """Blank-line separated blocks; comment lines are kept aside, with their line numbers."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if current is not None:
                blocks.append(current)
            current = None
            continue
        if current is None:
            current = _Block(number)
        if stripped.startswith("//"):
            current.comments.append((number, stripped))
        else:
            if not current.lines:
                current.line = number
            current.lines.append(line)
    if current is not None:
        blocks.append(current)
    return blocks


@dataclass
class _Text:
    text: str
    format: str


def _with_format(raw: str, default: str) -> _Text:
    """Moodle's parse_text_with_format: a leading marker sets the format; escapes restored."""
    fmt, rest = split_format_marker(raw)
    return _Text(_restore(rest).strip(), fmt or default)


def _weight(answer: str) -> tuple[Fraction | None, str]:
    """(weight as a fraction of full marks, the rest) when the answer starts with %n%."""
    match = _WEIGHT.match(answer)
    if not match:
        return None, answer
    try:
        value = Fraction(Decimal(match.group(2))) / 100
    except (InvalidOperation, ValueError):
        return None, answer
    return (-value if match.group(1) else value), answer[match.end() :]


def _comment(answer: str, default: str) -> tuple[_Text, _Text]:
    body, _, feedback = answer.partition("#")
    return _with_format(body.strip(), default), _with_format(feedback.strip(), default)


def _split_on(text: str, marker: str) -> list[str]:
    """Moodle's explode-then-drop-an-empty-first-part."""
    parts = text.split(marker)
    if parts and not parts[0].strip():
        parts = parts[1:]
    return parts


def _as_percent(value: Fraction) -> int | float:
    percent = value * 100
    return int(percent) if percent.denominator == 1 else float(round(percent, 5))


def _number(text: Decimal) -> int | float:
    """A number as a bank file writes it: 8, not 8.0; 0.25 as a float."""
    return int(text) if text == text.to_integral_value() else float(text)


def _feedback(text: _Text) -> str | None:
    return to_plain(text.text, text.format).strip() or None


# ---- the types -----------------------------------------------------------------------


def _multichoice(answertext: str, fmt: str, notes: list[str]) -> dict:
    single = "=" in answertext
    answers = _split_on(answertext.replace("=", "~="), "~")
    if len(answers) < 2:
        raise Refused("a multiple choice question needs at least two answers", "choices")
    parsed = []
    for answer in answers:
        answer = answer.strip()
        if answer.startswith("="):
            weight, answer = Fraction(1), answer[1:]
        else:
            found, answer = _weight(answer)
            weight = found if found is not None else Fraction(0)
        text, feedback = _comment(answer, fmt)
        if not text.text:
            raise Refused("an answer has no text", "choices")
        choice_text, is_html = to_choice(text.text, text.format)
        choice: dict = {"text": choice_text}
        if is_html:
            choice["format"] = "html"
        if _feedback(feedback):
            choice["feedback"] = _feedback(feedback)
        parsed.append((choice, weight))
    if single:
        if not any(weight == 1 for _, weight in parsed):
            raise Refused("no answer is worth full marks", "choices")
        choices = []
        for choice, weight in parsed:
            if weight == 1:
                choice = {
                    "text": choice["text"],
                    "correct": True,
                    **{k: v for k, v in choice.items() if k != "text"},
                }
            elif weight != 0:
                choice["weight"] = _as_percent(weight)
            choices.append(choice)
        return {"type": "single_choice", "choices": choices}
    correct_count = sum(1 for _, weight in parsed if weight > 0)
    if not correct_count:
        raise Refused("no answer is correct: mark one with = or give positive % weights", "choices")
    choices = []
    for choice, weight in parsed:
        if weight > 0:
            choice = {
                "text": choice["text"],
                "correct": True,
                **{k: v for k, v in choice.items() if k != "text"},
            }
        default = Fraction(1 if weight > 0 else -1, correct_count)
        if abs(weight - default) >= Fraction(1, 10000):
            choice["weight"] = _as_percent(weight)
        choices.append(choice)
    return {"type": "multiple_response", "choices": choices}


def _match(answertext: str, fmt: str, notes: list[str]) -> dict:
    answers = _split_on(answertext, "=")
    if len(answers) < 2:
        raise Refused("a matching question needs at least two pairs", "pairs")
    pairs, distractors = [], []
    for answer in answers:
        if "->" not in answer:
            raise Refused("each matching pair is written =left -> right", "pairs")
        left_raw, _, right_raw = answer.strip().partition("->")
        left = _with_format(left_raw.strip(), fmt)
        right = _restore(right_raw).strip()
        left_text = to_plain(left.text, left.format).strip()
        if left_text != left.text:
            notes.append(f"the matching item {left_text!r} is shown as plain text")
        if not right:
            raise Refused("a matching pair has no right-hand side", "pairs")
        if left_text:
            pairs.append({"left": left_text, "right": right})
        else:
            distractors.append(right)
    question: dict = {"type": "matching", "pairs": pairs}
    if distractors:
        question["distractors"] = distractors
    return question


def _true_false(answertext: str, fmt: str) -> dict:
    bits = answertext.split("#", 2)
    answer = _TRUE_FALSE[_with_format(bits[0].strip(), fmt).text]
    wrong = _feedback(_with_format(bits[1].strip(), fmt)) if len(bits) > 1 else None
    right = _feedback(_with_format(bits[2].strip(), fmt)) if len(bits) > 2 else None
    question: dict = {"type": "true_false", "answer": answer}
    by_answer = {answer: right, (not answer): wrong}
    if by_answer[True]:
        question["feedback_true"] = by_answer[True]
    if by_answer[False]:
        question["feedback_false"] = by_answer[False]
    return question


def _short_answer(answertext: str, fmt: str) -> dict:
    answers = _split_on(answertext, "=")
    if not answers:
        raise Refused("a short answer question needs an answer", "answers")
    accepted: list = []
    for answer in answers:
        found, answer = _weight(answer.strip())
        weight = found if found is not None else Fraction(1)
        text, feedback = _comment(answer, fmt)
        if weight == 1 and not _feedback(feedback):
            accepted.append(text.text)
            continue
        entry: dict = {"text": text.text, "weight": _as_percent(weight)}
        if _feedback(feedback):
            entry["feedback"] = _feedback(feedback)
        accepted.append(entry)
    return {"type": "short_answer", "answers": accepted}


def _gift_decimal(text: str) -> Decimal:
    text = text.strip()
    if not _GIFT_NUMBER.fullmatch(text):
        raise Refused(f"{text[:40]!r} is not a number, number:tolerance or min..max", "answer")
    return bounded_decimal(text)


def _numerical(answertext: str, fmt: str) -> dict:
    answertext = answertext[1:]
    wrong_feedback = None
    if "~" in answertext:
        answertext, _, catch_all = answertext.partition("~")
        wrong_feedback = _feedback(_comment(catch_all, fmt)[1])
    answers = _split_on(answertext, "=")
    if not answers:
        raise Refused("a numerical question needs an answer", "answer")
    parsed = []
    for answer in answers:
        found, answer = _weight(answer.strip())
        weight = found if found is not None else Fraction(1)
        text, feedback = _comment(answer, fmt)
        value = text.text
        if ".." in value[1:]:
            low, _, high = value.partition("..")
            first, last = _gift_decimal(low), _gift_decimal(high)
            if last < first:
                raise Refused("a range is written low..high", "answer")
            number, tolerance = (first + last) / 2, (last - first) / 2
        elif ":" in value[1:]:
            number_text, _, tolerance_text = value.partition(":")
            number, tolerance = _gift_decimal(number_text), _gift_decimal(tolerance_text)
            if tolerance < 0:
                raise Refused("a tolerance cannot be negative", "tolerance")
        else:
            number, tolerance = _gift_decimal(value), None
        parsed.append((number, tolerance, weight, _feedback(feedback)))
    full = [entry for entry in parsed if entry[2] == 1]
    if not full:
        raise Refused("no numerical answer is worth full marks", "answer")
    key = full[0]
    question: dict = {"type": "numeric", "answer": _number(key[0])}
    if key[1] is not None:
        question["tolerance"] = _number(key[1])
    if key[3]:
        question["feedback"] = key[3]
    others = []
    for entry in parsed:
        if entry is key:
            continue
        other: dict = {"answer": _number(entry[0]), "weight": _as_percent(entry[2])}
        if entry[1] is not None:
            other["tolerance"] = _number(entry[1])
        if entry[3]:
            other["feedback"] = entry[3]
        others.append(other)
    if others:
        question["other_answers"] = others
    if wrong_feedback:
        question["feedback_wrong"] = wrong_feedback
    return question


def _read_question(text: str, notes: list[str]) -> dict:
    """Our fields from one protected block without its title, as Moodle decides them."""
    start, finish = text.find("{"), text.find("}")
    description = start < 0 and finish < 0
    if description:
        questiontext, answertext = text, ""
    elif start < 0 or finish < 0 or finish < start:
        raise Refused("the answer block is not closed with } (or not opened with {)")
    else:
        answertext = text[start + 1 : finish].strip()
        if text.endswith("}"):
            questiontext = text[:start] + text[finish + 1 :]
        else:
            questiontext = text[:start] + BLANK + text[finish + 1 :]
    general = ""
    if "####" in answertext:
        answertext, _, general = answertext.rpartition("####")
        answertext = answertext.strip()
    stem = _with_format(questiontext, "moodle")
    general_text = _with_format(general, stem.format)
    if not stem.text:
        raise Refused("the question has no text", "stem")
    fmt = stem.format
    if description:
        question: dict = {"type": "description"}
    elif answertext == "":
        question = {"type": "essay"}
    elif answertext.startswith("#"):
        question = _numerical(answertext, fmt)
    elif "~" in answertext:
        question = _multichoice(answertext, fmt, notes)
    elif "=" in answertext and "->" in answertext:
        question = _match(answertext, fmt, notes)
    elif (
        answertext.split("#", 1)[0].strip() if answertext.find("#") > 0 else answertext
    ) in _TRUE_FALSE:
        question = _true_false(answertext, fmt)
    else:
        question = _short_answer(answertext, fmt)
    stem_md = to_markdown(stem.text, stem.format)
    explanation = to_markdown(general_text.text, general_text.format) if general_text.text else ""
    if question["type"] == "numeric":
        # numeric stems are templates in our format: a literal brace is written twice
        stem_md, explanation = escape_braces(stem_md), escape_braces(explanation)
    return {"stem": stem_md, **question, "explanation": explanation}


def _split_title(text: str) -> tuple[str | None, str]:
    """(title or None, the rest) of one protected block."""
    text = text.strip()
    if not text.startswith("::"):
        return None, text
    end = text.find("::", 2)
    if end < 0:
        # Moodle names such a question from its text; the text starts after the ::
        return None, text[2:].strip()
    return _restore(text[2:end]).strip(), text[end + 2 :].strip()


def _comment_fields(block: _Block) -> tuple[list[str], str | None, tuple[str, int] | None]:
    """Tags, id number and our own metadata comment from a block's comment lines."""
    joined = "\n".join(comment for _, comment in block.comments)
    tags = [m.group(1).replace("\\]", "]").strip() for m in _TAG.finditer(joined)]
    found = _IDNUMBER.search(joined)
    idnumber = found.group(1).replace("\\]", "]").strip() if found else None
    meta = None
    for number, comment in block.comments:
        body = comment[2:].strip()
        if body.startswith(META_PREFIX):
            meta = (body[len(META_PREFIX) :].strip(), number)
    return tags, idnumber, meta


def parse_gift(
    text: str,
    file: str = "upload.gift",
    defaults: Mapping | None = None,
    require_metadata: bool = False,
) -> ImportResult:
    """Read GIFT text into bank questions, with problems per question (file, line, question).

    `defaults` fills what GIFT cannot say: tags, difficulty (else medium), blueprint,
    references, status, and id_prefix (put before every id, so two uploads of
    `gift-1` do not overwrite each other). `require_metadata=True` also reports
    questions still missing an explanation, tags, blueprint or references.
    """
    check_defaults(defaults)
    collector = Collector(file, defaults, require_metadata, id_stem="gift")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    category = None
    for block in _blocks(_protect(text)):
        if not block.lines:
            continue
        body = "\n".join(block.lines).strip()
        line = block.line
        if body.startswith("$CATEGORY:"):
            first, _, rest = body.partition("\n")
            category = category_tag(_restore(first[len("$CATEGORY:") :]))
            if not rest.strip():
                continue
            # a question written straight under the category line, without a blank line
            body, line = rest.strip(), line + 1
        number = collector.next_number()
        if collector.stopped:
            break
        title, rest = _split_title(body)
        label = title or f"question {number}"
        tags, idnumber, meta_comment = _comment_fields(block)
        notes: list[str] = []
        try:
            fields = _read_question(rest, notes)
        except Refused as exc:
            collector.refuse(line, label, exc.message, exc.field)
            continue
        meta = None
        if meta_comment is not None:
            try:
                meta = json.loads(meta_comment[0])
            except ValueError:
                collector.refuse(meta_comment[1], label, "the rxtrainer comment is not valid JSON")
                continue
            if not isinstance(meta, dict):
                collector.refuse(
                    meta_comment[1], label, "the rxtrainer comment must hold a JSON object"
                )
                continue
        collector.add(
            {"id": None, "type": fields["type"], **fields},
            line=line,
            title=title,
            idnumber=idnumber,
            tags=[*([category] if category else []), *tags],
            meta=meta,
            notes=notes,
        )
    return collector.result


# ---- writing --------------------------------------------------------------------------

# What the GIFT text itself says for each type; every other field goes in the comment.
_IN_GIFT = {
    "single_choice": {"choices"},
    "multiple_response": {"choices"},
    "true_false": {"answer", "feedback_true", "feedback_false"},
    "short_answer": {"answers", "feedback_wrong"},
    "matching": {"pairs", "distractors"},
    "numeric": {"answer", "tolerance", "other_answers", "feedback", "feedback_wrong"},
    "essay": set(),
    "description": set(),
}
_ALWAYS_IN_GIFT = {"id", "type", "stem", "explanation"}


def _escape(text: str) -> str:
    text = re.sub(r"([\\~=#{}:])", r"\\\1", text)
    return text.replace("\n", "\\n")


def _plain_out(text: str) -> str:
    """A plain text as GIFT, marked [plain] when the question's markdown would change it."""
    fmt, _ = split_format_marker(text)
    if fmt or to_plain(text, "markdown") != text or to_choice(text, "markdown") != (text, False):
        return "[plain]" + _escape(text)
    return _escape(text)


def _choice_out(choice: dict) -> str:
    if choice.get("format") == "html":
        return "[html]" + _escape(choice["text"])
    return _plain_out(choice["text"])


def _feedback_out(text: str | None) -> str:
    return f"#{_plain_out(text)}" if text else ""


def _percent(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.5f}".rstrip("0").rstrip(".")


def _gift_number(value: object) -> str:
    number = to_decimal(value)
    assert number is not None
    return format(number.normalize(), "f")


def _single_choice_lines(question: dict) -> list[str]:
    lines = []
    for c in question["choices"]:
        if c.get("correct"):
            # Moodle reads no weight after =, so a text starting with % needs no guard
            marker = "="
        elif c.get("weight"):
            marker = f"~%{_percent(Fraction(str(c['weight'])))}%"
        elif c["text"].startswith("%"):
            marker = "~%0%"  # or the text's own %n% would be read as a weight
        else:
            marker = "~"
        lines.append(f"\t{marker}{_choice_out(c)}{_feedback_out(c.get('feedback'))}")
    return lines


def _numeric_answer(answer: object, tolerance: object) -> str:
    return _gift_number(answer) + (f":{_gift_number(tolerance)}" if tolerance is not None else "")


def _answers(question: dict) -> str:
    qtype = question["type"]
    if qtype == "single_choice":
        return "\n".join(_single_choice_lines(question))
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
                f"\t~%{_percent(weight)}%{_choice_out(c)}{_feedback_out(c.get('feedback'))}"
            )
        return "\n".join(lines)
    if qtype == "true_false":
        answer = question["answer"]
        right = question.get("feedback_true" if answer else "feedback_false") or ""
        wrong = question.get("feedback_false" if answer else "feedback_true") or ""
        feedback = f"#{_plain_out(wrong)}" if wrong else ("#" if right else "")
        feedback += f"#{_plain_out(right)}" if right else ""
        return ("TRUE" if answer else "FALSE") + feedback
    if qtype == "short_answer":
        lines = []
        for answer in accepted_answers(question["answers"]):
            weight = Fraction(str(answer["weight"]))
            prefix = (
                f"%{_percent(weight)}%" if weight != 100 or answer["text"].startswith("%") else ""
            )
            text = answer["text"]
            body = ("[plain]" if split_format_marker(text)[0] else "") + _escape(text)
            lines.append(f"\t={prefix}{body}{_feedback_out(answer.get('feedback'))}")
        if question.get("feedback_wrong"):
            lines.append(f"\t=%0%*{_feedback_out(question['feedback_wrong'])}")
        return "\n".join(lines)
    if qtype == "matching":
        lines = [f"\t={_plain_out(p['left'])} -> {_escape(p['right'])}" for p in question["pairs"]]
        lines += [f"\t= -> {_escape(d)}" for d in question.get("distractors") or []]
        return "\n".join(lines)
    if qtype == "essay":
        return ""
    tolerance = question.get("tolerance")
    if tolerance is None and question.get("tolerance_percent") is not None:
        tolerance = (
            abs(to_decimal(question["answer"])) * to_decimal(question["tolerance_percent"]) / 100
        )
    key = _numeric_answer(question["answer"], tolerance)
    if (
        not question.get("other_answers")
        and not question.get("feedback")
        and not question.get("feedback_wrong")
    ):
        return f"#{key}"
    lines = [f"#\n\t={key}{_feedback_out(question.get('feedback'))}"]
    for other in question.get("other_answers") or []:
        weight = _percent(Fraction(str(other.get("weight", 0))))
        lines.append(
            f"\t=%{weight}%{_numeric_answer(other['answer'], other.get('tolerance'))}"
            + _feedback_out(other.get("feedback"))
        )
    if question.get("feedback_wrong"):
        lines.append(f"\t~{_feedback_out(question['feedback_wrong'])}")
    return "\n".join(lines)


def _why_not(question: dict) -> str | None:
    qtype = question.get("type")
    if qtype not in _IN_GIFT:
        return f"{qtype} questions have no GIFT form"
    if qtype == "matching" and any(
        "->" in p["left"] or "->" in p["right"] for p in question["pairs"]
    ):
        return "a matching text contains '->', which GIFT cannot escape"
    if qtype == "short_answer" and any(
        "->" in a["text"] for a in accepted_answers(question["answers"])
    ):
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
        if question["type"] == "description" and question.get("explanation"):
            # a description has no answer block, so no place for general feedback
            meta["explanation"] = question["explanation"]
        if meta:
            out.append(f"// {META_PREFIX} " + json.dumps(meta, ensure_ascii=False, default=str))
        stem, explanation = question["stem"], question.get("explanation") or ""
        if question["type"] == "numeric":
            # numeric text is a template in our format; Moodle shows it filled
            answer = to_decimal(question["answer"])
            stem = fill_placeholders(stem, {})
            explanation = fill_placeholders(explanation, {"answer": answer}, format_number)
        general = f"####{_escape(explanation)}" if explanation else ""
        head = f"::{_escape(question['id'])}::[markdown]{_escape(stem)}"
        if question["type"] == "description":
            out += [head, ""]
            continue
        body = _answers(question)
        separator = "\n" if "\n" in body else ""
        out.append(f"{head}{{{separator}{body}{separator}{general}}}")
        out.append("")
    return "\n".join(out)
