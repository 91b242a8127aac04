"""Moodle XML: reading a Moodle question export, and writing our questions as one.

The reader covers multichoice, truefalse, shortanswer, numerical (with units), matching,
essay, description, and calculated / calculatedsimple, which become this site's
calculated type: each wildcard a variable (its dataset items as the values to draw
from, or its minimum, maximum and decimals as a range), the answer formula, the
tolerance, and the rounding of the correct answer. What has no place here is reported
as a note on the question, or, when the question would mean something else without it,
as a problem that keeps the question out.

The XML is parsed with defusedxml with DTDs forbidden: no entities (so no "billion
laughs"), no external entities, no network. ElementTree keeps no line numbers, so the
parser's tree builder notes the line each element starts on (`line_of`), and every
problem with a question names its line and its element. Moodle ignores elements it does
not know, so the writer keeps our other fields in an `<rxtrainer>` element holding JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from xml.etree.ElementTree import (  # noqa: S405 - builds XML; parsing goes through defusedxml's parser
    Element,
    SubElement,
    TreeBuilder,
    tostring,
)

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import XMLParser as DefusedXMLParser

from trainer.calc import format_number
from trainer.questions.answers import to_decimal
from trainer.questions.calculated import _draws_to_check as draws_to_check
from trainer.questions.calculated import compute
from trainer.questions.formula import FormulaError, formula_names, parse_formula
from trainer.questions.interchange import (
    Collector,
    ImportResult,
    Refused,
    bounded_decimal,
    category_tag,
)
from trainer.questions.placeholders import escape_braces, fill_placeholders, plain_number
from trainer.questions.short_answer import accepted_answers
from trainer.questions.textformat import to_choice, to_markdown, to_plain

META_TAG = "rxtrainer"
_FORMAT_NAMES = {
    "html": "html",
    "moodle_auto_format": "moodle",
    "plain_text": "plain",
    "markdown": "markdown",
}
_WILDCARD = re.compile(r"\{([^{}<>\"'\s]+)\}")
_INLINE_FORMULA = re.compile(r"\{=([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
_VARIABLE = re.compile(r"[a-z][a-z0-9_]*")
MAX_DATASET_ITEMS = 1000
# How many calculated templates one file may hold: each is checked over hundreds of draws.
MAX_CALCULATED = 100


def _text(element: Element | None, path: str = "text") -> str:
    if element is None:
        return ""
    found = element.find(path) if path else element
    return (found.text or "") if found is not None else ""


def _formatted(element: Element | None, default: str = "html") -> tuple[str, str]:
    """(text, format) of an element such as <questiontext format="html"><text>…</text>."""
    if element is None:
        return "", default
    fmt = _FORMAT_NAMES.get(element.get("format", ""), default)
    return _text(element).strip(), fmt


def _flag(element: Element, name: str, default: bool) -> bool:
    value = (element.findtext(name) or "").strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    return default


def _fraction(answer: Element) -> Fraction:
    return Fraction(bounded_decimal(answer.get("fraction", "0") or "0", "the answer weight")) / 100


def _percent(value: Fraction) -> int | float:
    percent = value * 100
    return int(percent) if percent.denominator == 1 else float(round(percent, 5))


def _number(text: str, what: str) -> Decimal:
    return bounded_decimal(text, what)


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _feedback(answer: Element) -> str | None:
    text, fmt = _formatted(answer.find("feedback"))
    return to_plain(text, fmt).strip() or None


# ---- the types -----------------------------------------------------------------------


def _multichoice(q: Element, notes: list[str]) -> dict:
    answers = q.findall("answer")
    if len(answers) < 2:
        raise Refused("a multiple choice question needs at least two answers", "choices")
    parsed = []
    for answer in answers:
        raw, fmt = _formatted(answer)
        text, is_html = to_choice(raw, fmt)
        if not text.strip():
            raise Refused("an answer has no text", "choices")
        choice: dict = {"text": text}
        if is_html:
            choice["format"] = "html"
        if _feedback(answer):
            choice["feedback"] = _feedback(answer)
        parsed.append((choice, _fraction(answer)))
    single = _flag(q, "single", True)
    fields: dict
    if single:
        if not any(weight == 1 for _, weight in parsed):
            raise Refused("no answer is worth full marks (100%)", "choices")
        choices = []
        for choice, weight in parsed:
            if weight == 1:
                choice = {"text": choice.pop("text"), "correct": True, **choice}
            elif weight:
                choice["weight"] = _percent(weight)
            choices.append(choice)
        fields = {"type": "single_choice", "choices": choices}
    else:
        k = sum(1 for _, weight in parsed if weight > 0)
        if not k:
            raise Refused("no answer has a positive weight", "choices")
        choices = []
        for choice, weight in parsed:
            if weight > 0:
                choice = {"text": choice.pop("text"), "correct": True, **choice}
            if abs(weight - Fraction(1 if weight > 0 else -1, k)) >= Fraction(1, 10000):
                choice["weight"] = _percent(weight)
            choices.append(choice)
        fields = {"type": "multiple_response", "choices": choices}
    if not _flag(q, "shuffleanswers", True):
        fields["shuffle"] = False
    return fields


def _truefalse(q: Element, notes: list[str]) -> dict:
    by_word: dict[str, tuple[Fraction, str | None]] = {}
    for answer in q.findall("answer"):
        word = _text(answer).strip().lower()
        if word in ("true", "false"):
            by_word[word] = (_fraction(answer), _feedback(answer))
    if set(by_word) != {"true", "false"}:
        raise Refused("a true/false question needs a true and a false answer", "answer")
    fields: dict = {"type": "true_false", "answer": by_word["true"][0] == 1}
    for word in ("true", "false"):
        if by_word[word][1]:
            fields[f"feedback_{word}"] = by_word[word][1]
    return fields


def _shortanswer(q: Element, notes: list[str]) -> dict:
    accepted: list = []
    for answer in q.findall("answer"):
        text = _text(answer).strip()
        weight, feedback = _fraction(answer), _feedback(answer)
        if weight == 1 and not feedback:
            accepted.append(text)
        else:
            entry: dict = {"text": text, "weight": _percent(weight)}
            if feedback:
                entry["feedback"] = feedback
            accepted.append(entry)
    if not accepted:
        raise Refused("a short answer question needs an answer", "answers")
    fields: dict = {"type": "short_answer", "answers": accepted}
    if _flag(q, "usecase", False):
        fields["case_sensitive"] = True
    return fields


def _units(q: Element, notes: list[str]) -> str | None:
    units = q.findall("units/unit")
    base = None
    for unit in units:
        name = (unit.findtext("unit_name") or "").strip()
        try:
            multiplier = bounded_decimal(unit.findtext("multiplier") or "1", "a unit multiplier")
        except Refused:
            multiplier = None
        if multiplier == 1 and base is None and name:
            base = name
    if len(units) > 1:
        notes.append(
            "only the base unit is kept; other units are accepted where the site can convert them"
        )
    if base and (q.findtext("unitpenalty") or "0").strip() not in ("0", "0.0000000", ""):
        notes.append("Moodle's unit penalty is not kept: a wrong unit earns no mark here")
    return base


def _numerical(q: Element, notes: list[str]) -> dict:
    entries = []
    wrong_feedback = None
    for answer in q.findall("answer"):
        text = _text(answer).strip()
        if text in ("*", ""):
            wrong_feedback = _feedback(answer) or wrong_feedback
            continue
        value = _number(text, "the answer")
        tolerance_text = (answer.findtext("tolerance") or "0").strip() or "0"
        tolerance = abs(_number(tolerance_text, "the tolerance"))
        entries.append((value, tolerance, _fraction(answer), _feedback(answer)))
    full = [entry for entry in entries if entry[2] == 1]
    if not full:
        raise Refused("no numerical answer is worth full marks (100%)", "answer")
    key = full[0]
    fields: dict = {"type": "numeric", "answer": _plain_number(key[0])}
    if key[1]:
        fields["tolerance"] = _plain_number(key[1])
    if key[3]:
        fields["feedback"] = key[3]
    others = []
    for entry in entries:
        if entry is key:
            continue
        if not 0 <= entry[2] <= 1:
            raise Refused("an answer's weight must be from 0% to 100%", "other_answers")
        other: dict = {"answer": _plain_number(entry[0]), "weight": _percent(entry[2])}
        if entry[1]:
            other["tolerance"] = _plain_number(entry[1])
        if entry[3]:
            other["feedback"] = entry[3]
        others.append(other)
    if others:
        fields["other_answers"] = others
    if wrong_feedback:
        fields["feedback_wrong"] = wrong_feedback
    unit = _units(q, notes)
    if unit:
        fields["unit"] = unit
    return fields


def _matching(q: Element, notes: list[str]) -> dict:
    pairs, distractors = [], []
    for sub in q.findall("subquestion"):
        raw, fmt = _formatted(sub)
        left = to_plain(raw, fmt).strip()
        if left != raw.strip():
            notes.append(f"the matching item {left!r} is shown as plain text")
        right = _text(sub.find("answer")).strip()
        if not right:
            continue
        if left:
            pairs.append({"left": left, "right": right})
        elif right not in distractors:
            distractors.append(right)
    fields: dict = {"type": "matching", "pairs": pairs}
    if distractors:
        fields["distractors"] = distractors
    return fields


def _essay(q: Element, notes: list[str]) -> dict:
    fields: dict = {"type": "essay"}
    raw, fmt = _formatted(q.find("graderinfo"))
    if raw:
        fields["rubric"] = to_plain(raw, fmt).strip()
    template, _ = _formatted(q.find("responsetemplate"))
    if template:
        notes.append("the response template is not kept: learners start from an empty box")
    if _flag(q, "attachments", False) and (q.findtext("attachments") or "0").strip() not in (
        "0",
        "",
    ):
        notes.append("file attachments are not collected here: the answer is typed")
    return fields


def _description(q: Element, notes: list[str]) -> dict:
    return {"type": "description"}


# ---- calculated ----------------------------------------------------------------------


def _variable_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "x"
    if not base[0].isalpha():
        base = "v_" + base
    candidate, n = base, 2
    while candidate in used or candidate in (
        "answer",
        "round",
        "floor",
        "ceil",
        "min",
        "max",
        "sqrt",
        "abs",
    ):
        candidate = f"{base}_{n}"
        n += 1
    used.add(candidate)
    return candidate


def _moodle_formula(text: str, names: dict[str, str]) -> str:
    """A Moodle formula ({a} * pi()) in our formula language, or Refused."""

    def wildcard(match: re.Match) -> str:
        if match.group(1) not in names:
            raise Refused(
                f"the formula uses {{{match.group(1)}}}, which has no dataset", "answer.formula"
            )
        return names[match.group(1)]

    formula = _WILDCARD.sub(wildcard, text.strip())
    formula = formula.replace("pi()", "3.14159265358979323846")
    try:
        parse_formula(formula)
        formula_names(formula)
    except FormulaError as exc:
        raise Refused(
            f"the formula {text.strip()!r} cannot be used here: {exc.message}", "answer.formula"
        ) from None
    return formula


def _dataset_variable(definition: Element, notes: list[str], shown: str) -> dict:
    items = []
    for item in definition.findall("dataset_items/dataset_item")[: MAX_DATASET_ITEMS + 1]:
        value = bounded_decimal(item.findtext("value") or "", f"a dataset item of {{{shown}}}")
        items.append(_plain_number(value))
    if len(items) > MAX_DATASET_ITEMS:
        raise Refused(f"{{{shown}}} has more than {MAX_DATASET_ITEMS} dataset items", "variables")
    distribution = _text(definition.find("distribution")).strip() or "uniform"
    if items:
        unique = list(dict.fromkeys(items))
        return {"choices": unique}
    low = _number(_text(definition.find("minimum")) or "", f"the minimum of {{{shown}}}")
    high = _number(_text(definition.find("maximum")) or "", f"the maximum of {{{shown}}}")
    decimals_text = _text(definition.find("decimals")).strip() or "0"
    try:
        decimals = int(decimals_text)
    except ValueError:
        raise Refused(f"the decimals of {{{shown}}} are not a whole number", "variables") from None
    if not 0 <= decimals <= 10:
        raise Refused(f"the decimals of {{{shown}}} must be 0 to 10", "variables")
    if distribution == "loguniform":
        notes.append(
            f"{{{shown}}} was drawn log-uniformly in Moodle; here every value is equally likely"
        )
    step = Decimal(1).scaleb(-decimals)
    return {"min": _plain_number(low), "max": _plain_number(high), "step": _plain_number(step)}


def _sanity(spec: dict) -> dict:
    """The plausible range for a mapped template: exactly the answers its checked draws give.

    Validation then tries the same draws, so a template Moodle accepted is not refused
    here for an answer range nobody wrote down.
    """
    values = []
    for drawn in draws_to_check(spec):
        try:
            values.append(compute(spec, drawn).answer)
        except Exception as exc:  # noqa: BLE001 - reported as data below
            message = (
                getattr(exc, "message", None) or "the formula cannot be computed for every draw"
            )
            raise Refused(message, "answer.formula") from None
    low, high = min(values), max(values)
    margin = max(abs(high - low) / 10, abs(high) / 10, abs(low) / 10, Decimal("0.000001"))
    sanity_low = low / 2 if low > 0 else low - margin
    return {"min": _plain_number(sanity_low), "max": _plain_number(high + margin)}


def _calculated_tolerance(answer: Element | None, notes: list[str]) -> dict:
    """Moodle's tolerance (1 relative, 2 nominal, 3 geometric) as ours."""
    if answer is None:
        return {}
    tolerance = bounded_decimal(answer.findtext("tolerance") or "0", "the tolerance")
    tolerance_type = (answer.findtext("tolerancetype") or "1").strip()
    if not tolerance:
        return {}
    if tolerance_type == "2":
        return {"tolerance": _plain_number(abs(tolerance))}
    if tolerance_type == "3":
        notes.append("Moodle's geometric tolerance is read as a relative tolerance")
    percent = abs(tolerance) * 100
    if percent > 100:
        raise Refused("a relative tolerance above 100% cannot be used", "tolerance")
    return {"tolerance_percent": _plain_number(percent)}


def _calculated(q: Element, notes: list[str], meta: dict | None = None) -> dict:
    if meta and {"variables", "answer", "sanity"} <= set(meta):
        # our own export: the exact template is in the rxtrainer element
        fields = {
            "type": "calculated",
            **{k: meta[k] for k in ("variables", "derived", "answer", "sanity") if k in meta},
        }
        fields.update(_calculated_tolerance(q.find("answer"), notes))
        unit = _units(q, notes)
        if unit:
            fields["unit"] = unit
        return fields
    definitions = q.findall("dataset_definitions/dataset_definition")
    if not definitions:
        raise Refused(
            "a calculated question needs its dataset definitions (wildcards)", "variables"
        )
    names: dict[str, str] = {}
    used: set[str] = set()
    variables = {}
    for definition in definitions:
        shown = _text(definition.find("name")).strip()
        if not shown:
            raise Refused("a dataset definition has no name", "variables")
        names[shown] = _variable_name(shown, used)
        if names[shown] != shown:
            notes.append(f"the wildcard {{{shown}}} is called {names[shown]} here")
        variables[names[shown]] = _dataset_variable(definition, notes, shown)
    answers = [a for a in q.findall("answer") if _fraction(a) == 1]
    if not answers:
        raise Refused("no answer formula is worth full marks (100%)", "answer")
    if len(q.findall("answer")) > 1:
        notes.append("only the full-mark answer formula is kept; other formulas are dropped")
    answer = answers[0]
    formula = _moodle_formula(_text(answer), names)
    spec_answer: dict = {"formula": formula}
    length_text = (answer.findtext("correctanswerlength") or "").strip()
    answer_format = (answer.findtext("correctanswerformat") or "1").strip()
    if length_text.isdigit() and int(length_text) <= 10:
        if answer_format == "1":
            spec_answer["round_to"] = plain_number(Decimal(1).scaleb(-int(length_text)))
        else:
            notes.append(
                f"the answer is shown to {length_text} significant figures in Moodle; here it is not rounded"
            )
    fields: dict = {"type": "calculated", "variables": variables, "answer": spec_answer}
    fields.update(_calculated_tolerance(answer, notes))
    unit = _units(q, notes)
    if unit:
        fields["unit"] = unit
    if q.get("type") == "calculated" and (q.findtext("synchronize") or "0").strip() not in (
        "0",
        "",
    ):
        notes.append("shared (synchronised) datasets are read as this question's own")
    fields["sanity"] = _sanity({**fields, "stem": ""})
    return fields


def _calculated_stem(stem: str, fields: dict, names: dict[str, str]) -> tuple[str, dict]:
    """The stem with Moodle wildcards as our placeholders and {=formula} as derived values."""
    derived: dict[str, str] = {}
    mapping = names

    def inline(match: re.Match) -> str:
        name = f"shown_{len(derived) + 1}"
        derived[name] = _moodle_formula(match.group(1), mapping)
        return f"\ue010{name}\ue011"

    stem = _INLINE_FORMULA.sub(inline, stem)

    def wildcard(match: re.Match) -> str:
        if match.group(1) in mapping:
            return f"\ue010{mapping[match.group(1)]}\ue011"
        return match.group(0)

    stem = _WILDCARD.sub(wildcard, stem)
    stem = escape_braces(stem).replace("\ue010", "{").replace("\ue011", "}")
    return stem, derived


_READERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
    "match": _matching,
    "essay": _essay,
    "description": _description,
}
_UNSUPPORTED = {
    "calculatedmulti": "calculated multiple choice",
    "multianswer": "embedded answers (Cloze)",
    "ddwtos": "drag and drop into text",
    "ddimageortext": "drag and drop onto image",
    "ddmarker": "drag and drop markers",
    "gapselect": "select missing words",
    "randomsamatch": "random short-answer matching",
    "random": "random",
    "ordering": "ordering",
}


def _read_question(q: Element, meta: dict | None, notes: list[str]) -> dict:
    qtype = q.get("type", "")
    stem_raw, stem_format = _formatted(q.find("questiontext"))
    general_raw, general_format = _formatted(q.find("generalfeedback"))
    if qtype in ("calculated", "calculatedsimple"):
        fields = _calculated(q, notes, meta)
        if meta and {"variables", "answer", "sanity"} <= set(meta):
            stem = to_markdown(stem_raw, stem_format)
            explanation = to_markdown(general_raw, general_format) if general_raw else ""
        else:
            names = {}
            for definition in q.findall("dataset_definitions/dataset_definition"):
                shown = _text(definition.find("name")).strip()
                names[shown] = _variable_name(shown, set(names.values()))
            stem, derived = _calculated_stem(to_markdown(stem_raw, stem_format), fields, names)
            explanation, derived_too = _calculated_stem(
                to_markdown(general_raw, general_format) if general_raw else "", fields, names
            )
            for index, (name, formula) in enumerate(derived_too.items(), start=len(derived) + 1):
                renamed = f"shown_{index}"
                derived[renamed] = formula
                explanation = explanation.replace("{" + name + "}", "{" + renamed + "}")
            if derived:
                fields["derived"] = derived
        return {"stem": stem, **fields, "explanation": explanation}
    if qtype in _UNSUPPORTED:
        raise Refused(
            f"Moodle's {_UNSUPPORTED[qtype]} questions have no equivalent on this site", "type"
        )
    reader = _READERS.get(qtype)
    if reader is None:
        raise Refused(f"the question type {qtype!r} is not one this site can import", "type")
    fields = reader(q, notes)
    stem = to_markdown(stem_raw, stem_format)
    explanation = to_markdown(general_raw, general_format) if general_raw else ""
    if fields["type"] == "numeric":
        stem, explanation = escape_braces(stem), escape_braces(explanation)
    return {"stem": stem, **fields, "explanation": explanation}


class _LinedElement(Element):
    """An element that remembers the line its start tag is on (None when built, not parsed)."""

    sourceline: int | None = None


class _LineTreeBuilder(TreeBuilder):
    """ElementTree's tree builder, noting the line of each start tag from the expat parser."""

    def __init__(self):
        super().__init__(element_factory=_LinedElement)
        self.expat = None  # set once the parser exists: it needs this builder first

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        if self.expat is not None:
            element.sourceline = self.expat.CurrentLineNumber
        return element


def line_of(element: Element | None) -> int | None:
    """The line an element of a parsed document starts on, or None."""
    return getattr(element, "sourceline", None)


def parse_xml_document(data: bytes | str, what: str = "file") -> Element:
    """Parse untrusted XML with DTDs, entities and external references refused; raise Refused.

    defusedxml's own parser does the parsing (its handlers refuse a DTD, entities and
    external references before expat expands anything); only the tree builder is ours,
    so each element knows its line (`line_of`).
    """
    builder = _LineTreeBuilder()
    try:
        parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        builder.expat = parser.parser
        parser.feed(data)
        return parser.close()
    except DefusedXmlException:
        raise Refused(
            f"the {what} declares a DTD or entities, which are refused for safety; "
            "export it again without them"
        ) from None
    except ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        where = f" (line {line})" if line else ""
        raise Refused(f"the {what} is not well-formed XML{where}") from None
    except (ValueError, RecursionError):
        raise Refused(f"the {what} is not readable XML") from None


def _question_where(q: Element, number: int, title: str | None) -> str:
    """How a problem names its question: the line, the number, the name and the element."""
    line = line_of(q)
    named = f" “{title}”" if title else ""
    return f'{f"line {line}, " if line else ""}question {number}{named} <question type="{q.get("type", "")}">'


def parse_moodle_xml(
    data: bytes | str,
    file: str = "upload.xml",
    defaults: Mapping | None = None,
    require_metadata: bool = False,
) -> ImportResult:
    """Read a Moodle XML export into bank questions; each problem names its question's line and element."""
    collector = Collector(file, defaults, require_metadata, id_stem="moodle")
    try:
        root = parse_xml_document(data)
    except Refused as exc:
        collector.refuse(None, "file", exc.message)
        return collector.result
    if root.tag != "quiz":
        collector.refuse(None, "file", "a Moodle XML export starts with <quiz>; this file does not")
        return collector.result
    category = None
    calculated = sum(
        1 for q in root.findall("question") if q.get("type") in ("calculated", "calculatedsimple")
    )
    if calculated > MAX_CALCULATED:
        collector.stop(
            f"the file holds {calculated:,} calculated questions; at most {MAX_CALCULATED} "
            "can be checked in one file: split it into smaller files"
        )
        return collector.result
    for q in root.findall("question"):
        if q.get("type") == "category":
            category = category_tag(_text(q.find("category")).strip())
            continue
        number = collector.next_number()
        if collector.stopped:
            break
        title = _text(q.find("name")).strip() or None
        label = title or f"question {number}"
        where = _question_where(q, number, title)
        notes: list[str] = []
        meta = None
        meta_text = q.findtext(META_TAG)
        if meta_text:
            try:
                meta = json.loads(meta_text)
            except ValueError:
                meta = None
            if not isinstance(meta, dict):
                collector.refuse(
                    line_of(q), label, f"{where}: the rxtrainer element must hold a JSON object"
                )
                continue
        try:
            fields = _read_question(q, meta, notes)
        except Refused as exc:
            collector.refuse(line_of(q), label, f"{where}: {exc.message}", exc.field)
            continue
        tags = [_text(tag).strip() for tag in q.findall("tags/tag")]
        collector.add(
            {"id": None, "type": fields["type"], **fields},
            line=line_of(q),
            where=where,
            title=title,
            idnumber=(q.findtext("idnumber") or "").strip() or None,
            tags=[*([category] if category else []), *(t for t in tags if t)],
            meta=meta,
            notes=notes,
        )
    return collector.result


# ---- writing --------------------------------------------------------------------------

# What the Moodle XML itself says for each type; every other field goes in <rxtrainer>.
_IN_XML = {
    "single_choice": {"choices", "shuffle"},
    "multiple_response": {"choices", "shuffle"},
    "true_false": {"answer", "feedback_true", "feedback_false"},
    "short_answer": {"answers", "case_sensitive"},
    "numeric": {"answer", "tolerance", "other_answers", "feedback", "feedback_wrong", "unit"},
    "matching": {"pairs", "distractors"},
    "essay": {"rubric"},
    "description": set(),
    "calculated": {"unit", "tolerance", "tolerance_percent"},
}
# Tags are written as Moodle <tags> and kept in <rxtrainer> too, so our own export imports
# with exactly its tags (an upload's default tags are not added to them).
_ALWAYS_IN_XML = {"id", "type", "stem", "explanation"}


def _add_text(parent: Element, tag: str, text: str, fmt: str | None = "html") -> Element:
    element = SubElement(parent, tag)
    if fmt:
        element.set("format", fmt)
    SubElement(element, "text").text = text
    return element


def _xml_number(value: object) -> str:
    number = to_decimal(value)
    assert number is not None
    return format(number.normalize(), "f")


def _fraction_text(value: Fraction) -> str:
    return f"{float(value * 100):.7f}".rstrip("0").rstrip(".") or "0"


def _choice_format(choice: dict) -> str:
    return "html" if choice.get("format") == "html" else "plain_text"


def _answer(
    parent: Element, fraction: Fraction, text: str, fmt: str, feedback: str | None
) -> Element:
    answer = SubElement(parent, "answer", {"fraction": _fraction_text(fraction), "format": fmt})
    SubElement(answer, "text").text = text
    _add_text(answer, "feedback", feedback or "", "plain_text")
    return answer


def _moodle_formula_out(spec: dict) -> str | None:
    """Our formula (with derived values inlined) in Moodle's {wildcard} syntax; None if impossible."""
    answer = spec["answer"]
    if "formula" not in answer:
        return None
    derived = spec.get("derived") or {}

    def expand(formula: str, depth: int = 0) -> str:
        if depth > 10:
            raise ValueError("too deep")

        def name(match: re.Match) -> str:
            word = match.group(0)
            if word in derived:
                return "(" + expand(derived[word], depth + 1) + ")"
            if word in spec["variables"]:
                return "{" + word + "}"
            return word

        return re.sub(r"[A-Za-z_][A-Za-z0-9_]*", name, formula)

    try:
        text = expand(str(answer["formula"]))
    except ValueError:
        return None
    return None if "**" in text else text


def _calculated_out(q: Element, spec: dict) -> str | None:
    formula = _moodle_formula_out(spec)
    if formula is None:
        return "its answer comes from a calculation family, which Moodle has no formula for"
    answer = SubElement(q, "answer", {"fraction": "100"})
    SubElement(answer, "text").text = formula
    if spec.get("tolerance") is not None:
        tolerance, tolerance_type = _xml_number(spec["tolerance"]), "2"
    else:
        percent = to_decimal(spec.get("tolerance_percent", 0)) or Decimal(0)
        tolerance, tolerance_type = format((percent / 100).normalize(), "f"), "1"
    SubElement(answer, "tolerance").text = tolerance
    SubElement(answer, "tolerancetype").text = tolerance_type
    step = to_decimal(spec["answer"].get("round_to"))
    decimals = max(0, -step.normalize().as_tuple().exponent) if step is not None else 2
    SubElement(answer, "correctanswerformat").text = "1"
    SubElement(answer, "correctanswerlength").text = str(decimals)
    _add_text(answer, "feedback", "", "html")
    if spec.get("unit"):
        units = SubElement(q, "units")
        unit = SubElement(units, "unit")
        SubElement(unit, "multiplier").text = "1"
        SubElement(unit, "unit_name").text = spec["unit"]
    definitions = SubElement(q, "dataset_definitions")
    for name in sorted(spec["variables"]):
        variable = spec["variables"][name]
        definition = SubElement(definitions, "dataset_definition")
        _add_text(definition, "status", "private", None)
        _add_text(definition, "name", name, None)
        SubElement(definition, "type").text = "calculated"
        _add_text(definition, "distribution", "uniform", None)
        if "choices" in variable:
            values = [to_decimal(v) for v in variable["choices"]]
            if any(v is None for v in values):
                return f"the variable {name} takes text values, which Moodle cannot"
        else:
            low, high, step_v = (to_decimal(variable[k]) for k in ("min", "max", "step"))
            count = int((high - low) // step_v) + 1
            values = [low + step_v * i for i in range(min(count, 100))]
        places = max(0, max(-v.normalize().as_tuple().exponent for v in values))
        _add_text(definition, "minimum", _xml_number(min(values)), None)
        _add_text(definition, "maximum", _xml_number(max(values)), None)
        _add_text(definition, "decimals", str(places), None)
        SubElement(definition, "itemcount").text = str(len(values))
        items = SubElement(definition, "dataset_items")
        for index, value in enumerate(values, start=1):
            item = SubElement(items, "dataset_item")
            SubElement(item, "number").text = str(index)
            SubElement(item, "value").text = _xml_number(value)
        SubElement(definition, "number_of_items").text = str(len(values))
    return None


def _type_out(q: Element, question: dict) -> str | None:
    qtype = question["type"]
    if qtype in ("single_choice", "multiple_response"):
        choices = question["choices"]
        k = sum(1 for c in choices if c.get("correct"))
        SubElement(q, "single").text = "true" if qtype == "single_choice" else "false"
        SubElement(q, "shuffleanswers").text = (
            "false" if question.get("shuffle") is False else "true"
        )
        SubElement(q, "answernumbering").text = "abc"
        for c in choices:
            if "weight" in c:
                fraction = Fraction(str(c["weight"])) / 100
            elif qtype == "single_choice":
                fraction = Fraction(1 if c.get("correct") else 0)
            else:
                fraction = Fraction(1 if c.get("correct") else -1, k)
            _answer(q, fraction, c["text"], _choice_format(c), c.get("feedback"))
    elif qtype == "true_false":
        for word in ("true", "false"):
            right = question["answer"] is (word == "true")
            _answer(
                q,
                Fraction(int(right)),
                word,
                "moodle_auto_format",
                question.get(f"feedback_{word}"),
            )
    elif qtype == "short_answer":
        SubElement(q, "usecase").text = "1" if question.get("case_sensitive") else "0"
        for a in accepted_answers(question["answers"]):
            _answer(
                q,
                Fraction(str(a["weight"])) / 100,
                a["text"],
                "moodle_auto_format",
                a.get("feedback"),
            )
    elif qtype == "numeric":
        tolerance = question.get("tolerance")
        if tolerance is None and question.get("tolerance_percent") is not None:
            tolerance = (
                abs(to_decimal(question["answer"]))
                * to_decimal(question["tolerance_percent"])
                / 100
            )
        key = _answer(
            q,
            Fraction(1),
            _xml_number(question["answer"]),
            "moodle_auto_format",
            question.get("feedback"),
        )
        SubElement(key, "tolerance").text = _xml_number(tolerance or 0)
        for other in question.get("other_answers") or []:
            answer = _answer(
                q,
                Fraction(str(other.get("weight", 0))) / 100,
                _xml_number(other["answer"]),
                "moodle_auto_format",
                other.get("feedback"),
            )
            SubElement(answer, "tolerance").text = _xml_number(other.get("tolerance", 0))
        if question.get("feedback_wrong"):
            catch_all = _answer(
                q, Fraction(0), "*", "moodle_auto_format", question["feedback_wrong"]
            )
            SubElement(catch_all, "tolerance").text = "0"
        if question.get("unit"):
            units = SubElement(q, "units")
            unit = SubElement(units, "unit")
            SubElement(unit, "multiplier").text = "1"
            SubElement(unit, "unit_name").text = question["unit"]
            SubElement(q, "showunits").text = "3"
    elif qtype == "matching":
        SubElement(q, "shuffleanswers").text = "true"
        for pair in question["pairs"]:
            sub = _add_text(q, "subquestion", pair["left"], "plain_text")
            _add_text(sub, "answer", pair["right"], None)
        for distractor in question.get("distractors") or []:
            sub = _add_text(q, "subquestion", "", "plain_text")
            _add_text(sub, "answer", distractor, None)
    elif qtype == "essay":
        SubElement(q, "responseformat").text = "editor"
        SubElement(q, "responserequired").text = "1"
        SubElement(q, "responsefieldlines").text = "15"
        SubElement(q, "attachments").text = "0"
        _add_text(q, "graderinfo", question.get("rubric") or "", "plain_text")
        _add_text(q, "responsetemplate", "", "html")
    elif qtype == "calculated":
        return _calculated_out(q, question)
    elif qtype != "description":
        return f"{qtype} questions have no Moodle XML form"
    return None


_MOODLE_TYPES = {
    "single_choice": "multichoice",
    "multiple_response": "multichoice",
    "true_false": "truefalse",
    "short_answer": "shortanswer",
    "numeric": "numerical",
    "matching": "matching",
    "essay": "essay",
    "description": "description",
    "calculated": "calculated",
}


def write_moodle_xml(questions: list[dict]) -> str:
    """A Moodle XML export of bank questions; types Moodle cannot hold are listed in comments."""
    root = Element("quiz")
    skipped: list[str] = []
    category = None
    for question in questions:
        qtype = question.get("type")
        q = Element("question", {"type": _MOODLE_TYPES.get(qtype, "unknown")})
        tags = question.get("tags") or []
        stem, explanation = question["stem"], question.get("explanation") or ""
        if qtype == "numeric":
            stem = fill_placeholders(stem, {})
            explanation = fill_placeholders(
                explanation, {"answer": to_decimal(question["answer"])}, format_number
            )
        _add_text(q, "name", question["id"], None)
        _add_text(q, "questiontext", stem, "markdown")
        _add_text(q, "generalfeedback", explanation, "markdown")
        SubElement(q, "defaultgrade").text = "0" if qtype == "description" else "1"
        SubElement(q, "penalty").text = "0"
        SubElement(q, "hidden").text = "0"
        SubElement(q, "idnumber").text = question["id"]
        reason = (
            _type_out(q, question)
            if qtype in _IN_XML
            else f"{qtype} questions have no Moodle XML form"
        )
        if reason:
            skipped.append(f"skipped {question.get('id')}: {reason}")
            continue
        if tags:
            tags_element = SubElement(q, "tags")
            for tag in tags:
                _add_text(tags_element, "tag", tag, None)
        meta = {k: v for k, v in question.items() if k not in _ALWAYS_IN_XML | _IN_XML[qtype]}
        if qtype == "calculated" or meta:
            SubElement(q, META_TAG).text = json.dumps(
                meta, ensure_ascii=False, default=str, sort_keys=True
            )
        if tags and tags[0] != category:
            category = tags[0]
            cat = SubElement(root, "question", {"type": "category"})
            _add_text(cat, "category", f"$course$/top/rxtrainer/{category}", None)
        root.append(q)
    body = tostring(root, encoding="unicode")
    notes = "".join(f"<!-- {line.replace('--', '- -')} -->\n" for line in skipped)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + notes + body + "\n"
