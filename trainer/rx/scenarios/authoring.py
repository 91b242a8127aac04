"""A scenario as the fields of the authoring form, and back again: plain data both ways.

The browser form holds text, ticks and rows; a scenario file holds typed data. One table,
`SCHEMA`, says which field of the form holds which value of the file, so the two
directions cannot drift apart:

    data = form_data(spec)        # nested dicts, rows as lists, every value text or a tick
    spec = spec_of(data)          # what was typed, as scenario data for the loader to check
    name = form_field("prescriber.dea", data)   # "prescriber-dea": where a problem is shown

`canonical(spec)` is the data the form gives back for any scenario it can hold: empty
values and values the loader reads as its own defaults are left out, so a round trip
changes nothing the loader reads. `round_trips(spec)` says whether the form holds a
scenario whole (a scenario written as YAML may use a detail the form has no field for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from trainer.rx.scenarios.kinds import ERROR_KINDS, VALIDATION_KINDS
from trainer.rx.scenarios.loader import ITEM_FIELDS_DISPENSING, ITEM_FIELDS_VALIDATION

MISSING = None  # a value the form leaves out of the data
NONE = "_none"  # the tick beside a printed list: "printed without any"


@dataclass(frozen=True)
class Node:
    """One value of a scenario and the form field that holds it."""

    key: str  # the key in the scenario data
    how: str  # text | number | lines | printed | flag | choice | yesno | group | rows | keyed
    children: tuple[Node, ...] = ()
    default: object = None  # the value the loader assumes when the key is absent
    number: bool = False  # a choice whose values are whole numbers (relationship, DAW)

    @property
    def name(self) -> str:
        """The form field's name (a form field name cannot hold a dot)."""
        return self.key.replace(".", "_")


def _text(key):
    return Node(key, "text")


def _num(key):
    return Node(key, "number")


def _lines(key):
    return Node(key, "lines")


def _printed(key):
    """A list printed on a label, where an empty list means "printed without any" (a tick says so)."""
    return Node(key, "printed")


def _flag(key, default=False):
    return Node(key, "flag", default=default)


def _choice(key, default=None, number=False):
    return Node(key, "choice", default=default, number=number)


def _yesno(key):
    return Node(key, "yesno")


def _group(key, *children):
    return Node(key, "group", children)


def _rows(key, *children):
    return Node(key, "rows", children)


def _address():
    return _group("address", _text("street"), _text("city"), _text("state"), _text("zip"))


def _label(key):
    return _group(key, _text("patient_name"), _text("prescriber_name"), _text("drug"), _text("quantity"),
                  _text("directions"), _num("refills"), _printed("cautions"), _printed("auxiliary_labels"),
                  _text("rx_number"), _text("pharmacy_name"), _text("pharmacy_address"))


def _prescriber_fields():
    return (_text("id"), _text("first_name"), _text("last_name"), _text("credentials"), _text("dea"),
            _text("npi"), _text("phone"), _address())


SCHEMA = _group(
    "",
    _text("id"), _choice("kind", default="dispensing"), _text("title"), _text("summary"), _text("date"),
    _lines("areas"), _lines("tags"), _num("actuations"), _num("state_validity_months"),
    _group("patient", _text("id"), _text("first_name"), _text("last_name"), _text("birth_date"),
           _choice("sex", default="unknown"), _num("weight_kg"), _flag("pregnant"), _address(),
           _lines("allergies"), _lines("conditions"),
           _group("insurance", _text("bin"), _text("pcn"), _text("group"), _text("cardholder_id"),
                  _text("person_code"), _choice("relationship", default=1, number=True), _text("cardholder_name"),
                  _text("effective"), _text("terminated")),
           _rows("profile", _text("generic"), _text("fill_date"), _num("days_supply"), _num("quantity"),
                 _text("ndc"), _text("rx_number"))),
    _rows("lookalike_patients", _text("id"), _text("first_name"), _text("last_name"), _text("birth_date"),
          _choice("sex", default="unknown"), _address()),
    _group("prescriber", *_prescriber_fields()),
    _rows("lookalike_prescribers", *_prescriber_fields()),
    _group("prescription", _choice("presentation"), _text("drug"), _text("generic"), _text("strength"),
           _text("form"), _num("quantity"), _text("quantity_unit"), _text("quantity_written"), _text("sig"),
           _flag("handwritten_sig"), _num("refills"), _text("written"), _choice("daw", default=0, number=True),
           _flag("signed", default=True), _text("indication"), _text("earliest_fill"), _text("rx_number"),
           _num("fill_number"), _text("notes"),
           _group("transfer", _text("from_pharmacy"), _text("from_phone"), _text("from_pharmacist"),
                  _text("original_rx_number"), _text("original_written"), _text("first_filled"),
                  _text("last_filled"), _num("refills_remaining"), _num("previous_transfers")),
           _group("phone_call", _text("caller"), _text("received_by"), _text("callback"))),
    _rows("shelf", _text("ndc"), _choice("trap"), _text("note"), _text("lot"), _text("expires"), _num("on_hand")),
    _group("plan", _text("name"), _text("bin"), _text("pcn"), _text("group"),
           _rows("formulary", _text("generic"), _num("tier"), _flag("prior_auth"), _num("quantity_limit"),
                 _num("limit_days"), _num("brand_tier"), _num("min_age"), _choice("sex")),
           _lines("excluded"), _num("refill_threshold"), _num("max_days_supply"),
           _flag("primary", default=True), _flag("pays_refills", default=True),
           _flag("pharmacy_in_network", default=True), _flag("brand_penalty", default=True)),
    _rows("problems", _choice("kind"), _text("field"), _text("note"), _text("consequence"), _text("rule"),
          _group("resolution", _num("quantity"), _text("written"), _yesno("signed"), _num("refills"),
                 _text("sig"), _num("daw"), _text("prescriber.dea"), _text("prescriber.npi"), _text("strength"))),
    _group("expected", _choice("review", default="fill"), _flag("fillable", default=True), _text("directions"),
           _num("quantity"), _num("days_supply"), _num("refills"), _choice("daw", default=0, number=True),
           _text("ndc"), _lines("label_fixes"),
           _group("claim", _lines("rejects"), _lines("dur"), Node("actions", "keyed"),
                  _group("resubmit", _num("quantity"), _num("days_supply"), _num("daw"), _text("ndc"),
                         _text("prior_auth_number"), _text("submission_clarification"), _lines("dur_override")),
                  _flag("paid_after_resubmit", default=True)),
           _yesno("dispense")),
    _label("label_errors"),
    _group("dispensed", _text("ndc"), _num("quantity")),
    _label("label_changes"),
)

# The sections each kind must have (with the fields the loader requires in them).
_REQUIRED = {
    "dispensing": ("patient", "patient.insurance", "prescriber", "prescription", "plan", "expected"),
    "validation": ("patient", "prescriber", "prescription", "dispensed", "expected"),
}
# Keys that belong to one kind only (the loader refuses the others' keys).
_EXPECTED_VALIDATION = ("dispense",)

# ---- scenario data → form ----------------------------------------------------------------------------


def _to_form(node: Node, value):
    if node.how == "group":
        value = value if isinstance(value, dict) else {}
        out = {}
        for child in node.children:
            out[child.name] = _to_form(child, value.get(child.key))
            if child.how == "printed":
                out[child.name + NONE] = value.get(child.key) == []
        return out
    if node.how == "rows":
        rows = value if isinstance(value, list) else []
        return [_to_form(Node("", "group", node.children), row) for row in rows]
    if node.how == "keyed":
        pairs = value.items() if isinstance(value, dict) else ()
        return [{"code": str(code), "action": "" if action is None else str(action)} for code, action in pairs]
    if node.how == "flag":
        return node.default if value is None else bool(value)
    if node.how == "yesno":
        return "" if value is None else ("true" if value is True else "false" if value is False else str(value))
    if node.how in ("lines", "printed"):
        if value is None:
            return ""
        return "\n".join(_scalar(v) for v in value) if isinstance(value, list) else _scalar(value)
    if node.how == "choice" and value is None:
        return "" if node.default is None else str(node.default)
    return "" if value is None else _scalar(value)


def _scalar(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def form_data(spec: dict) -> dict:
    """The authoring form's data for a scenario (text, ticks and rows, nested as the form is)."""
    return _to_form(SCHEMA, spec if isinstance(spec, dict) else {})


# ---- form → scenario data ----------------------------------------------------------------------------

_WHOLE = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+)")


def _typed_number(text: str):
    """A number as YAML would read it (30 → int, 7.5 → float); anything else stays text for the loader to refuse."""
    if _WHOLE.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return float(text)
    return text


def _from_form(node: Node, data):
    if node.how == "group":
        data = data if isinstance(data, dict) else {}
        out = {}
        for child in node.children:
            value = _from_form(child, data.get(child.name))
            if child.how == "printed" and value is MISSING and data.get(child.name + NONE):
                value = []
            if value is not MISSING:
                out[child.key] = value
        return out or MISSING
    if node.how == "rows":
        rows = [_from_form(Node("", "group", node.children), row) for row in (data or ())]
        return [row for row in rows if row is not MISSING] or MISSING
    if node.how == "keyed":
        out = {}
        for row in data or ():
            code = str((row or {}).get("code") or "").strip()
            action = str((row or {}).get("action") or "").strip()
            if code:
                out[code] = action or MISSING
        return out or MISSING
    if node.how == "flag":
        value = bool(data)
        return MISSING if value == node.default else value
    if node.how == "yesno":
        return {"true": True, "false": False}.get(str(data or "").strip(), MISSING)
    text = "" if data is None else str(data).replace("\r\n", "\n").strip()
    if node.how in ("lines", "printed"):
        items = [line.strip() for line in text.splitlines() if line.strip()]
        return items or MISSING
    if not text:
        return MISSING
    if node.how == "number" or (node.how == "choice" and node.number):
        value = _typed_number(text)
    else:
        value = text
    if node.default is not None and value == node.default:
        return MISSING
    return value


def spec_of(data: dict) -> dict:
    """Scenario data from what the author typed (the loader checks it; nothing here judges it)."""
    spec = _from_form(SCHEMA, data) or {}
    kind = spec.get("kind", "dispensing")
    allowed = ITEM_FIELDS_VALIDATION if kind == "validation" else ITEM_FIELDS_DISPENSING
    # a form shows both kinds' sections: what belongs to the other kind is not this scenario's
    spec = {key: value for key, value in spec.items() if key in allowed}
    # a required section left blank stays, so the loader names each missing field in it
    for path in _REQUIRED[kind]:
        *parents, last = path.split(".")
        holder = spec
        for parent in parents:
            holder = holder.setdefault(parent, {})
        holder.setdefault(last, {})
    expected = spec.get("expected")
    if isinstance(expected, dict):
        if kind == "validation":
            expected = {k: v for k, v in expected.items() if k in _EXPECTED_VALIDATION}
        else:
            expected = {k: v for k, v in expected.items() if k not in _EXPECTED_VALIDATION}
        spec["expected"] = expected
    return spec


# ---- the canonical data, and whether the form holds a scenario whole -----------------------------------


def _defaults(node: Node, path: str, out: dict) -> dict:
    for child in node.children:
        where = f"{path}.{child.key}" if path else child.key
        if child.how in ("group", "rows"):
            _defaults(child, where + ("[]" if child.how == "rows" else ""), out)
        elif child.default is not None:
            out[where] = child.default
    return out


def _printed_paths(node: Node, path: str, out: set) -> set:
    for child in node.children:
        where = f"{path}.{child.key}" if path else child.key
        if child.how == "printed":
            out.add(where)
        elif child.how in ("group", "rows"):
            _printed_paths(child, where + ("[]" if child.how == "rows" else ""), out)
    return out


_DEFAULTS = _defaults(SCHEMA, "", {})
_KEEP_EMPTY = _printed_paths(SCHEMA, "", set())  # "printed without any" is not "not changed"


def _canonical(value, path: str):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            kept = _canonical(item, where)
            if kept is not MISSING:
                out[key] = kept
        return out or MISSING
    if isinstance(value, list | tuple):
        items = [_canonical(item, path + "[]") for item in value]
        kept = [item for item in items if item is not MISSING]
        return kept if kept or path in _KEEP_EMPTY else MISSING
    if isinstance(value, date):
        value = value.isoformat()
    if isinstance(value, str):
        value = value.strip()  # the loader reads text stripped, as the form sends it
    if value is None or value == "":
        return MISSING
    if path in _DEFAULTS and value == _DEFAULTS[path] and type(value) is type(_DEFAULTS[path]):
        return MISSING
    return value


def canonical(spec: dict) -> dict:
    """The scenario data without empty values and without values the loader reads as its defaults."""
    return _canonical(spec, "") or {}


def round_trips(spec: dict) -> bool:
    """Whether the authoring form holds this scenario whole (its data comes back unchanged)."""
    return spec_of(form_data(spec)) == canonical(spec)


# ---- where a problem is shown ---------------------------------------------------------------------------

# The rules core names some fields as a technician reads them ("quantity", "dur"); the form's field.
_ALIASES = {
    "quantity": "prescription.quantity", "written": "prescription.written", "signed": "prescription.signed",
    "refills": "prescription.refills", "sig": "prescription.sig", "generic": "prescription.generic",
    "strength": "prescription.strength", "form": "prescription.form", "drug": "prescription.drug",
    "daw": "prescription.daw", "indication": "prescription.indication", "fill_date": "date",
    "dur": "expected.claim.dur", "claim": "expected.claim", "days_supply": "expected.days_supply",
    "bin": "patient.insurance.bin", "pcn": "patient.insurance.pcn", "group": "patient.insurance.group",
    "cardholder_id": "patient.insurance.cardholder_id", "person_code": "patient.insurance.person_code",
    "product": "dispensed.ndc",
}
_LABEL_NAMES = {child.key for child in next(c for c in SCHEMA.children if c.key == "label_changes").children}
_PART = re.compile(r"([^.\[\]]+)(?:\[(\d+)\])?")


def _nonblank_index(node: Node, rows, wanted: int) -> int | None:
    """The form row holding the `wanted`-th row of the data (blank rows are left out of the data)."""
    seen = -1
    for index, row in enumerate(rows or ()):
        if _from_form(Node("", "group", node.children), row) is not MISSING:
            seen += 1
            if seen == wanted:
                return index
    return None


def form_field(path: str, data: dict) -> str:
    """The name of the form field (or section) a problem at `path` belongs to; "" when none does.

    `path` is the loader's dotted field ("prescriber.dea", "shelf[1].ndc",
    "expected.claim.actions.DD"); `data` is the form's data, so a row's place on the page
    is found even when blank rows were left between filled ones.
    """
    path = (path or "").strip()
    if not path:
        return ""
    kind = (data or {}).get("kind") or "dispensing"
    if kind == "validation" and path in _LABEL_NAMES:
        path = f"label_changes.{path}"
    path = _ALIASES.get(path, path)
    parts = [(m.group(1), m.group(2)) for m in _PART.finditer(path)]
    node, cursor, names = SCHEMA, data or {}, []
    index = 0
    while index < len(parts) and node.how in ("group", "rows", "keyed"):
        key, row = parts[index]
        if node.how == "keyed":
            codes = [str((r or {}).get("code") or "").strip() for r in cursor or ()]
            if key in codes:
                names += [str(codes.index(key)), "action"]
            break
        child, used = None, 1
        for candidate in node.children:
            if candidate.key == key:
                child = candidate
            elif index + 1 < len(parts) and candidate.key == f"{key}.{parts[index + 1][0]}":
                child, used = candidate, 2
        if child is None:
            break
        names.append(child.name)
        cursor = cursor.get(child.name) if isinstance(cursor, dict) else None
        index += used
        if child.how == "rows":
            if row is None:
                break
            place = _nonblank_index(child, cursor, int(row))
            if place is None:
                break
            names.append(str(place))
            cursor = cursor[place]
            node = Node("", "group", child.children)
            continue
        node = child
    return "-".join(names)


# ---- messages in the author's words ----------------------------------------------------------------------

_KIND_TITLES = {code: kind.title for code, kind in (VALIDATION_KINDS | ERROR_KINDS).items()}
_KIND_IN_MESSAGE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _KIND_TITLES), key=len, reverse=True)) + r")\b")
# Review and claim actions by what the technician does, for messages that quote them.
_ACTIONS = {
    "fill": "fill it", "contact_prescriber": "contact the prescriber", "route_to_pharmacist": "route it to the pharmacist",
    "correct_and_resubmit": "correct the claim and send it again", "request_prior_auth": "request prior authorization",
    "tell_patient_next_fill_date": "tell the patient the next fill date",
}
_QUOTED_ACTION = re.compile(r"'(" + "|".join(_ACTIONS) + r")'")
_FILES = (
    (" (question_bank/data)", ""),
    (" (use the training NDCs in question_bank/data)", " (use a training NDC of the drug reference)"),
    ("is not in question_bank/blueprints.yaml", "is not an area of the exam blueprints"),
)


def plain_message(message: str) -> str:
    """A loader message as an instructor reads it: kinds of problem by their titles, no file names."""
    for old, new in _FILES:
        message = message.replace(old, new)
    if message.startswith("must be one of:") and _KIND_IN_MESSAGE.search(message):
        return "is not a kind of problem a dispensing scenario plants: choose one marked “Dispensing”"
    if " is a dispensing kind; a pharmacist check plants one of:" in message:
        code = message.split(" ", 1)[0]
        return (f"“{_KIND_TITLES.get(code, code)}” is a dispensing problem: a pharmacist check plants "
                "one marked “Pharmacist check”")
    if "planted" in message or "finds" in message or "should be" in message:
        message = _KIND_IN_MESSAGE.sub(lambda m: f"“{_KIND_TITLES[m.group(1)]}”", message)
    message = _QUOTED_ACTION.sub(lambda m: f"“{_ACTIONS[m.group(1)]}”", message)
    return message


def kind_choices(kind: str | None = None) -> list[tuple[str, str]]:
    """The kinds of problem an author may plant, as (code, title) pairs (both kinds when not given)."""
    table = ERROR_KINDS if kind == "dispensing" else VALIDATION_KINDS if kind == "validation" else ERROR_KINDS | VALIDATION_KINDS
    return [(code, k.title) for code, k in table.items()]


__all__ = ["SCHEMA", "Node", "canonical", "form_data", "form_field", "kind_choices", "plain_message",
           "round_trips", "spec_of"]
