"""Canvas QTI 1.2: importing the .zip a Canvas quiz or course export produces.

The package is read in memory and never unpacked to disk. It is refused whole when a
member's name would escape the package (a "zip slip": an absolute path, `..`, a drive
letter), when it holds too many members, when a member or the total is too large once
inflated (a zip bomb), or when a member is encrypted. Each assessment file
(`<id>/<id>.xml`, whose root is `questestinterop`) is parsed with defusedxml, DTDs
refused. Canvas names its question types in the item metadata; multiple choice,
multiple answers, true/false, numerical, short answer ("fill in the blank"), matching,
essay and text-only items are imported, and any other type is reported by name. A
problem with an item names its file in the package and the line the item starts on there.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Mapping
from decimal import Decimal
from xml.etree.ElementTree import Element  # noqa: S405 - type only; parsing is defusedxml

from trainer.questions.interchange import Collector, ImportResult, Refused, bounded_decimal
from trainer.questions.moodle_xml import line_of, parse_xml_document
from trainer.questions.placeholders import escape_braces
from trainer.questions.textformat import to_choice, to_markdown, to_plain

MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 25 * 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_UNSUPPORTED = {
    "fill_in_multiple_blanks_question": "fill in multiple blanks",
    "multiple_dropdowns_question": "multiple dropdowns",
    "calculated_question": "formula (calculated)",
    "file_upload_question": "file upload",
}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _descendants(element: Element, name: str) -> list[Element]:
    return [node for node in element.iter() if _local(node.tag) == name]


def _first(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    found = _descendants(element, name)
    return found[0] if found else None


def _mattext(element: Element | None) -> tuple[str, str]:
    """(text, Moodle-style format) of the first mattext under an element."""
    mattext = _first(element, "mattext")
    if mattext is None:
        return "", "plain"
    fmt = "html" if "html" in (mattext.get("texttype") or "") else "plain"
    return (mattext.text or "").strip(), fmt


def safe_members(data: bytes) -> dict[str, bytes]:
    """The package's members by name, read within the limits; raise Refused for a hostile zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Refused("the file is not a readable .zip package") from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise Refused(f"the package holds more than {MAX_MEMBERS} files")
    members: dict[str, bytes] = {}
    total = 0
    for info in infos:
        name = info.filename
        normal = posixpath.normpath(name.replace("\\", "/"))
        if (
            name.startswith(("/", "\\"))
            or _DRIVE.match(name)
            or normal == ".."
            or normal.startswith("../")
            or "/../" in f"/{name.replace(chr(92), '/')}/"
            or "\x00" in name
        ):
            raise Refused(
                f"the package has a file whose name leaves the package ({name!r}); it is refused"
            )
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise Refused("the package has an encrypted file")
        if info.file_size > MAX_MEMBER_BYTES:
            raise Refused(f"{name} is larger than {MAX_MEMBER_BYTES // (1024 * 1024)} MB")
        if not name.lower().endswith((".xml", ".qti")):
            continue
        try:
            with archive.open(info) as handle:
                # the header's size can lie: read at most one byte past the limit
                content = handle.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
            raise Refused(f"{name} in the package cannot be read") from None
        if len(content) > MAX_MEMBER_BYTES:
            raise Refused(f"{name} is larger than {MAX_MEMBER_BYTES // (1024 * 1024)} MB")
        total += len(content)
        if total > MAX_TOTAL_BYTES:
            raise Refused(
                f"the package inflates to more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB"
            )
        members[normal] = content
    return members


def _metadata(item: Element) -> dict[str, str]:
    fields = {}
    for field in _descendants(item, "qtimetadatafield"):
        label, entry = _first(field, "fieldlabel"), _first(field, "fieldentry")
        if label is not None and entry is not None:
            fields[(label.text or "").strip()] = (entry.text or "").strip()
    return fields


def _feedbacks(item: Element) -> dict[str, str]:
    found = {}
    for feedback in _children(item, "itemfeedback"):
        text, fmt = _mattext(feedback)
        if text:
            found[feedback.get("ident", "")] = to_plain(text, fmt).strip()
    return found


def _conditions(item: Element) -> list[Element]:
    resprocessing = _first(item, "resprocessing")
    return _children(resprocessing, "respcondition") if resprocessing is not None else []


def _score(condition: Element) -> Decimal:
    for setvar in _children(condition, "setvar"):
        try:
            return bounded_decimal(setvar.text or "0", "a score")
        except Refused:
            return Decimal(0)
    return Decimal(0)


def _feedback_ref(condition: Element) -> str | None:
    for display in _children(condition, "displayfeedback"):
        return display.get("linkrefid")
    return None


def _labels(item: Element) -> list[tuple[str, str, str]]:
    """(ident, text, format) of each response_label of the item's first response_lid."""
    lid = _first(item, "response_lid")
    if lid is None:
        raise Refused("the item has no choices")
    return [
        (label.get("ident", ""), *_mattext(label)) for label in _descendants(lid, "response_label")
    ]


def _choice_item(item: Element, multiple: bool) -> dict:
    labels = _labels(item)
    feedback = _feedbacks(item)
    correct: set[str] = set()
    per_choice: dict[str, str] = {}
    for condition in _conditions(item):
        conditionvar = _first(condition, "conditionvar")
        if conditionvar is None:
            continue
        ref = _feedback_ref(condition)
        if multiple:
            if _score(condition) > 0:
                negated = {
                    id(node) for not_ in _descendants(conditionvar, "not") for node in not_.iter()
                }
                for varequal in _descendants(conditionvar, "varequal"):
                    if id(varequal) not in negated:
                        correct.add((varequal.text or "").strip())
            continue
        for varequal in _children(conditionvar, "varequal"):
            ident = (varequal.text or "").strip()
            if _score(condition) >= 100:
                correct.add(ident)
            if ref and ref in feedback:
                per_choice[ident] = feedback[ref]
    if len(labels) < 2:
        raise Refused("the item needs at least two choices", "choices")
    choices = []
    for ident, raw, fmt in labels:
        text, is_html = to_choice(raw, fmt)
        choice: dict = {"text": text}
        if ident in correct:
            choice = {"text": text, "correct": True}
        if is_html:
            choice["format"] = "html"
        if per_choice.get(ident):
            choice["feedback"] = per_choice[ident]
        choices.append(choice)
    if not correct & {ident for ident, _, _ in labels}:
        raise Refused("no choice is marked correct", "choices")
    return {"type": "multiple_response" if multiple else "single_choice", "choices": choices}


def _true_false_item(item: Element) -> dict:
    fields = _choice_item(item, multiple=False)
    words = [c["text"].strip().lower() for c in fields["choices"]]
    if sorted(words) != ["false", "true"]:
        return fields
    right = next(c for c in fields["choices"] if c.get("correct"))
    question: dict = {"type": "true_false", "answer": right["text"].strip().lower() == "true"}
    for choice in fields["choices"]:
        if choice.get("feedback"):
            question[f"feedback_{choice['text'].strip().lower()}"] = choice["feedback"]
    return question


def _short_answer_item(item: Element) -> dict:
    answers: list[str] = []
    for condition in _conditions(item):
        if _score(condition) < 100:
            continue
        for varequal in _descendants(condition, "varequal"):
            text = (varequal.text or "").strip()
            if text and text not in answers:
                answers.append(text)
    if not answers:
        raise Refused("the item has no accepted answer", "answers")
    return {"type": "short_answer", "answers": answers}


def _decimal(element: Element | None) -> Decimal | None:
    if element is None:
        return None
    return bounded_decimal(element.text or "", "the answer")


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _numerical_item(item: Element) -> dict:
    found: list[tuple[Decimal, Decimal]] = []
    for condition in _conditions(item):
        if _score(condition) < 100:
            continue
        conditionvar = _first(condition, "conditionvar")
        if conditionvar is None:
            continue
        exact = _decimal(_first(conditionvar, "varequal"))
        low = _decimal(_first(conditionvar, "vargte")) or _decimal(_first(conditionvar, "vargt"))
        high = _decimal(_first(conditionvar, "varlte")) or _decimal(_first(conditionvar, "varlt"))
        if exact is not None:
            margin = (
                max(exact - low, high - exact)
                if low is not None and high is not None
                else Decimal(0)
            )
            found.append((exact, margin))
        elif low is not None and high is not None and low <= high:
            found.append(((low + high) / 2, (high - low) / 2))
    if not found:
        raise Refused("the item has no numerical answer", "answer")
    answer, tolerance = found[0]
    fields: dict = {"type": "numeric", "answer": _plain(answer)}
    if tolerance:
        fields["tolerance"] = _plain(tolerance)
    others = [
        {"answer": _plain(a), "weight": 100, **({"tolerance": _plain(t)} if t else {})}
        for a, t in found[1:]
    ]
    if others:
        fields["other_answers"] = others
    return fields


def _matching_item(item: Element) -> dict:
    lids = _descendants(item, "response_lid")
    options: dict[str, str] = {}
    lefts: dict[str, str] = {}
    for lid in lids:
        left_text, left_format = _mattext(_first(lid, "material"))
        lefts[lid.get("ident", "")] = to_plain(left_text, left_format).strip()
        for label in _descendants(lid, "response_label"):
            options[label.get("ident", "")] = to_plain(*_mattext(label)).strip()
    chosen: dict[str, str] = {}
    for condition in _conditions(item):
        for varequal in _descendants(condition, "varequal"):
            respident = varequal.get("respident", "")
            if respident in lefts and _score(condition) > 0:
                chosen[respident] = (varequal.text or "").strip()
    pairs = []
    for ident, left in lefts.items():
        if ident in chosen and chosen[ident] in options:
            pairs.append({"left": left, "right": options[chosen[ident]]})
    used = {pair["right"] for pair in pairs}
    distractors = list(
        dict.fromkeys(text for text in options.values() if text and text not in used)
    )
    fields: dict = {"type": "matching", "pairs": pairs}
    if distractors:
        fields["distractors"] = distractors
    return fields


def _read_item(item: Element) -> dict:
    kind = _metadata(item).get("question_type", "")
    stem_raw, stem_format = _mattext(_first(item, "presentation"))
    feedback = _feedbacks(item)
    if kind in ("multiple_choice_question",):
        fields = _choice_item(item, multiple=False)
    elif kind == "true_false_question":
        fields = _true_false_item(item)
    elif kind == "multiple_answers_question":
        fields = _choice_item(item, multiple=True)
    elif kind == "short_answer_question":
        fields = _short_answer_item(item)
    elif kind == "numerical_question":
        fields = _numerical_item(item)
    elif kind == "matching_question":
        fields = _matching_item(item)
    elif kind == "essay_question":
        fields = {"type": "essay"}
    elif kind == "text_only_question":
        fields = {"type": "description"}
    elif kind in _UNSUPPORTED:
        raise Refused(
            f"Canvas {_UNSUPPORTED[kind]} questions have no equivalent on this site", "type"
        )
    else:
        raise Refused(
            f"the Canvas question type {kind or '(none)'!r} is not one this site imports", "type"
        )
    stem = to_markdown(stem_raw, stem_format)
    explanation = feedback.get("general_fb", "")
    if fields["type"] == "numeric":
        stem, explanation = escape_braces(stem), escape_braces(explanation)
    return {"stem": stem, **fields, "explanation": explanation}


def parse_qti_zip(
    data: bytes,
    file: str = "upload.zip",
    defaults: Mapping | None = None,
    require_metadata: bool = False,
) -> ImportResult:
    """Read a Canvas QTI 1.2 export package into bank questions; a hostile package imports nothing."""
    collector = Collector(file, defaults, require_metadata, id_stem="canvas")
    try:
        members = safe_members(data)
    except Refused as exc:
        collector.refuse(None, "file", exc.message)
        return collector.result
    assessments = []
    for name in sorted(members):
        if not name.lower().endswith(".xml") or posixpath.basename(name).lower() in (
            "imsmanifest.xml",
            "assessment_meta.xml",
        ):
            continue
        try:
            root = parse_xml_document(members[name], f"file {name}")
        except Refused as exc:
            collector.refuse(None, name, exc.message)
            return collector.result
        if _local(root.tag) == "questestinterop":
            assessments.append((name, root))
    if not assessments:
        collector.refuse(None, "file", "the package holds no QTI assessment (questestinterop) file")
        return collector.result
    for name, root in assessments:
        assessment = _first(root, "assessment")
        quiz_tag = (assessment.get("title") if assessment is not None else None) or None
        for item in _descendants(root, "item"):
            number = collector.next_number()
            if collector.stopped:
                break
            title = (item.get("title") or "").strip() or None
            label = title or f"question {number}"
            # the package's line numbers would mean nothing: the line is the item's in its own file
            line = line_of(item)
            where = f"{name}{f' line {line}' if line else ''}, item {item.get('ident') or number}"
            try:
                fields = _read_item(item)
            except Refused as exc:
                collector.refuse(None, label, f"{where}: {exc.message}", exc.field)
                continue
            collector.add(
                {"id": None, "type": fields["type"], **fields},
                line=None,
                where=where,
                title=title if title and title.lower() != "question" else None,
                tags=[quiz_tag] if quiz_tag else [],
            )
    return collector.result
