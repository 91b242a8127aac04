"""Forms for the question bank: the question editor, the bank search and the GIFT upload.

The editor has an input for each common field and one YAML box for the fields of the
question's type. `question_from_form` turns what was typed into bank-format data and
puts every problem the core reports beside the input it belongs to.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from trainer.content.source import ImportFailed, load_yaml
from trainer.models.questions import DIFFICULTIES, QUESTION_STATUSES
from trainer.questions import QUESTION_TYPES, validate_question
from trainer.questions.bank import dump_question, line_of, plain_data
from trainer.questions.question import BLUEPRINT_PATTERN, COMMON_FIELDS, TAG_PATTERN

ID_PREFIX_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-")
STATUS_CHOICES = [(s, s.capitalize()) for s in QUESTION_STATUSES]
DIFFICULTY_CHOICES = [(d, d.capitalize()) for d in DIFFICULTIES]

# What the YAML box starts with for a new question of each type (from question_bank/README.md).
# Optional fields are comments, so an instructor who leaves them alone saves nothing odd.
TYPE_TEMPLATES = {
    "single_choice": """\
choices:
  - text: The correct choice
    correct: true
    feedback: Why it is right (optional)
  - text: A wrong choice
    feedback: The misconception it catches (optional)
  - text: Another wrong choice
  - text: A third wrong choice
# shuffle: false    # keeps the file order, e.g. for "all of the above"
""",
    "multiple_response": """\
choices:
  - text: A correct choice
    correct: true
  - text: Another correct choice
    correct: true
  - text: A wrong choice
  - text: Another wrong choice
# A choice may set weight: (a percentage, -100 to 100) to override the partial credit.
""",
    "true_false": """\
answer: true
# feedback_true: shown to a learner who answered true
# feedback_false: shown to a learner who answered false
""",
    "numeric": """\
answer: 8
unit: mL
tolerance: 0.05
# tolerance_percent: 1          # instead of tolerance
# unit_required: true           # a bare number is then not accepted
# round_to: "0.1"               # the answer must be given to this step
# accept_equivalent_units: false
# safety: {cc: penalise, microgram_symbol: warn}   # .5, 5.0, U and IU always lose the mark
""",
    "calculated": """\
# The stem uses the names in braces, e.g. "The order is amoxicillin {dose} mg.
# The stock is {strength} mg/5 mL. How many mL is one dose?"
variables:
  dose: {min: 100, max: 500, step: 50}
  strength: {choices: [125, 250, 400]}
# derived:
#   dose_g: "dose / 1000"
answer:
  family: dose_volume
  params:
    dose: "{dose} mg"
    concentration: "{strength} mg/5 mL"
  # formula: "dose / strength * 5"   # instead of family and params
  round_to: "0.1"
unit: mL
tolerance: 0.05
sanity: {min: 0.5, max: 60}
""",
    "matching": """\
pairs:
  - {left: Lipitor, right: atorvastatin}
  - {left: Zocor, right: simvastatin}
  - {left: Crestor, right: rosuvastatin}
# distractors: [pravastatin]
""",
    "short_answer": """\
answers: [atorvastatin, atorvastatin calcium]
# case_sensitive: true
""",
    "ordering": """\
items:    # in the correct order
  - Receive the prescription and check it is complete
  - Enter the prescription
  - Fill and label
  - Pharmacist verification
""",
}

# Ids that are the addresses of bank pages (/teach/questions/new …), so no question may take them.
RESERVED_IDS = frozenset({"new", "export", "import", "preview", "exam-areas", "fields"})
# Fields with their own input; every other field belongs to the type and to the YAML box.
FORM_FIELDS = ("id", "stem", "explanation", "tags", "difficulty", "blueprint", "references", "status")
# Problems with these do not stop the preview from being drawn.
METADATA_FIELDS = frozenset({"id", "explanation", "tags", "difficulty", "blueprint", "references", "status"})


class _TextDumper(yaml.SafeDumper):
    """SafeDumper writing multi-line text as | blocks, the way authors write stems."""

    def ignore_aliases(self, data):
        """Write shared values out in full: the loader refuses anchors and aliases."""
        return True


def _represent_text(dumper: yaml.SafeDumper, text: str):
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _short(values, width: int = 70) -> bool:
    """Whether a list or mapping of plain values fits on one line, as authors write ranges and pairs."""
    scalars = all(not isinstance(v, (dict, list)) and "\n" not in str(v) for v in values)
    return scalars and sum(len(str(v)) + 2 for v in values) <= width


def _short_mapping(value: dict) -> bool:
    return len(value) <= 3 and _short([*value, *value.values()], width=50)


class _BlockMapping(dict):
    """A mapping written in block style, so a list's mappings all look alike."""


def _represent_list(dumper: yaml.SafeDumper, value: list):
    mappings = [v for v in value if isinstance(v, dict)]
    if mappings and not all(_short_mapping(v) for v in mappings):
        value = [_BlockMapping(v) if isinstance(v, dict) else v for v in value]
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=_short(value))


def _represent_mapping(dumper: yaml.SafeDumper, value: dict):
    flow = _short_mapping(value) and not isinstance(value, _BlockMapping)
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)


_TextDumper.add_representer(str, _represent_text)
_TextDumper.add_representer(list, _represent_list)
_TextDumper.add_representer(dict, _represent_mapping)
_TextDumper.add_representer(_BlockMapping, _represent_mapping)


def as_yaml(data) -> str:
    """Readable YAML for question data (block text, the bank's field order kept)."""
    if not data:
        return ""
    return yaml.dump(data, Dumper=_TextDumper, sort_keys=False, allow_unicode=True, width=100)


def question_yaml(data: dict) -> str:
    """A whole question as its bank file would write it."""
    return as_yaml(dump_question(data))


def spec_yaml(data: dict) -> str:
    """The YAML box's text for a saved question: its type's fields only."""
    return as_yaml({k: v for k, v in dump_question(data).items() if k not in COMMON_FIELDS})


def unix_newlines(text: str | None) -> str:
    """Browsers send CRLF from a textarea; the bank stores LF, so equal text hashes equal."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def split_words(text: str | None) -> list[str]:
    """Comma- or line-separated words (tags, blueprint codes) as a list, blanks dropped."""
    parts = unix_newlines(text).replace("\n", ",").split(",")
    return [part.strip() for part in parts if part.strip()]


def split_lines(text: str | None) -> list[str]:
    """One entry a line (references may hold commas), blanks dropped."""
    return [line.strip() for line in unix_newlines(text).split("\n") if line.strip()]


class QuestionForm(FlaskForm):
    """The question editor's inputs; `spec` holds the type's own fields as YAML."""

    id = StringField(
        "Question id", validators=[Length(max=80)],
        description="Lowercase letters, digits and hyphens, e.g. calc-dv-003. It cannot change later.",
    )
    stem = TextAreaField("Stem (markdown)", render_kw={"rows": 6},
                         description="What the learner reads. Calculated stems use {name} placeholders.")
    spec = TextAreaField("Type fields (YAML)", render_kw={"rows": 16, "spellcheck": "false", "class": "code-box"},
                         description="The fields of this question type, in YAML. A new question starts from an example "
                                     "with every field explained; the example is also linked below.")
    explanation = TextAreaField("Explanation (markdown)", render_kw={"rows": 6},
                                description="Shown after grading: why the key is right.")
    tags = StringField("Tags", description="Comma-separated, lowercase, e.g. dose-volume, liquids.")
    difficulty = SelectField("Difficulty", choices=DIFFICULTY_CHOICES, default="medium")
    blueprint = StringField("Blueprint areas", description="Comma-separated codes, e.g. ptce-2020:4.2, ptce-2026:4.")
    references = TextAreaField("References", render_kw={"rows": 3}, description="One source a line.")
    status = SelectField("Status", choices=STATUS_CHOICES, default="draft")
    note = StringField("Note for this version", validators=[Optional(), Length(max=200)],
                       description="Optional: what changed and why.")
    # The version the editor started from, to notice a save made meanwhile by someone else.
    base_version = HiddenField()

    def fill_from(self, data: dict) -> None:
        """Put a saved question's data into the inputs."""
        self.id.data = data.get("id", "")
        self.stem.data = data.get("stem", "")
        self.spec.data = spec_yaml(data)
        self.explanation.data = data.get("explanation", "")
        self.tags.data = ", ".join(data.get("tags") or [])
        self.difficulty.data = data.get("difficulty", "medium")
        self.blueprint.data = ", ".join(data.get("blueprint") or [])
        self.references.data = "\n".join(data.get("references") or [])
        self.status.data = data.get("status", "published")


@dataclass
class QuestionDraft:
    """What the editor's inputs say: the question data (if it could be built) and its problems."""

    data: dict | None
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def previewable(self) -> bool:
        """Whether a learner's view can be drawn: only metadata problems are left."""
        return self.data is not None and all(_root(f) in METADATA_FIELDS for f, _ in self.problems)


def _root(field_path: str) -> str:
    """The top-level field of a problem's path: blueprint[1] → blueprint, answer.family → answer."""
    for mark in "[.":
        field_path = field_path.split(mark, 1)[0]
    return field_path


def _add_error(form: FlaskForm, name: str, message: str) -> None:
    target = getattr(form, name)
    target.errors = [*target.errors, message]


def question_from_form(
    form: QuestionForm, qtype: str, *, uid: str | None, blueprint_codes: frozenset[str] | None
) -> QuestionDraft:
    """Build bank data from the editor and put each problem beside its input.

    `uid` is the saved question's id when editing (the id input is then ignored).
    """
    spec_text = unix_newlines(form.spec.data)
    try:
        node = load_yaml(spec_text, "type fields") if spec_text.strip() else {}
    except ImportFailed as failed:
        problem = failed.problems[0]
        where = f"line {problem.line}: " if problem.line else ""
        _add_error(form, "spec", where + problem.message)
        return QuestionDraft(None, [("spec", problem.message)])
    if node is None:
        node = {}
    if not isinstance(node, dict):
        message = "must be YAML fields such as `choices:`, not a single value or a list"
        _add_error(form, "spec", message)
        return QuestionDraft(None, [("spec", message)])
    spec = plain_data(node)
    clashes = [name for name in spec if name in COMMON_FIELDS]
    for name in clashes:
        _add_error(form, "spec", f"line {node.line_of(name)}: {name} has its own input above; remove it here")
    try:
        # dates and other YAML types have no place in a question and cannot be stored as JSON
        json.dumps(spec)
    except (TypeError, ValueError):
        message = "use only text, numbers, true/false, lists and mappings (quote dates and times)"
        _add_error(form, "spec", message)
        return QuestionDraft(None, [("spec", message)])
    data = {
        "id": uid if uid is not None else (form.id.data or "").strip(),
        "type": qtype,
        "status": form.status.data,
        "stem": unix_newlines(form.stem.data).strip("\n"),
        **{k: v for k, v in spec.items() if k not in COMMON_FIELDS},
        "explanation": unix_newlines(form.explanation.data).strip("\n"),
        "tags": split_words(form.tags.data),
        "difficulty": form.difficulty.data,
        "blueprint": split_words(form.blueprint.data),
        "references": split_lines(form.references.data),
    }
    data = dump_question(data)
    problems = validate_question(data, blueprint_codes=blueprint_codes)
    if uid is None and data["id"] in RESERVED_IDS:
        problems.append(("id", f"{data['id']} is the address of a bank page; choose another id"))
    for field_path, message in problems:
        root = _root(field_path)
        if root == "id" and uid is not None:
            _add_error(form, "spec", f"id: {message}")
        elif root in FORM_FIELDS:
            detail = field_path[len(root):].lstrip(".")
            _add_error(form, root, f"{detail}: {message}" if detail else message)
        else:
            line = line_of(node, field_path) if root in spec else None
            where = f"{field_path} (line {line})" if line else field_path
            _add_error(form, "spec", f"{where}: {message}")
    if clashes:
        problems = [*problems, *(("spec", f"{name} is set twice") for name in clashes)]
    return QuestionDraft(data, problems)


class BankSearchForm(FlaskForm):
    """The bank's search and filters (a GET form, so no CSRF)."""

    class Meta:
        csrf = False

    q = StringField("Search", validators=[Optional(), Length(max=200)])
    tag = StringField("Tag", validators=[Optional(), Length(max=60)])
    area = SelectField("Blueprint area", choices=[], validate_choice=False)
    type = SelectField("Type", choices=[("", "Any type")] + [(n, t.label) for n, t in QUESTION_TYPES.items()],
                       validate_choice=False)
    difficulty = SelectField("Difficulty", choices=[("", "Any difficulty"), *DIFFICULTY_CHOICES], validate_choice=False)
    status = SelectField("Status", choices=[("", "Any status"), *STATUS_CHOICES], validate_choice=False)


class GiftUploadForm(FlaskForm):
    """A GIFT file or pasted text, and what GIFT cannot say: tags, difficulty, blueprint, references."""

    file = FileField("GIFT file", description="A .gift or .txt file exported from Moodle, in UTF-8.")
    text = TextAreaField("Or paste GIFT text", render_kw={"rows": 12, "spellcheck": "false", "class": "code-box"})
    filename = HiddenField()
    tags = StringField("Tags for every question", description="Comma-separated. A $CATEGORY adds its own tag.")
    difficulty = SelectField("Difficulty", choices=DIFFICULTY_CHOICES, default="medium")
    blueprint = StringField("Blueprint areas", description="Comma-separated codes, e.g. ptce-2020:1.1.")
    references = TextAreaField("References", render_kw={"rows": 3}, description="One source a line.")
    status = SelectField("Status", choices=STATUS_CHOICES, default="draft",
                         description="Draft keeps them from learners until you publish each one.")
    id_prefix = StringField("Id prefix", validators=[Optional(), Length(max=30)],
                            description="Put before every id, e.g. moodle-iv-, so two uploads do not overwrite each other.")

    def defaults(self) -> dict:
        """The parse_gift defaults the uploader gave."""
        defaults = {
            "tags": split_words(self.tags.data),
            "difficulty": self.difficulty.data,
            "blueprint": split_words(self.blueprint.data),
            "references": split_lines(self.references.data),
            "status": self.status.data,
        }
        prefix = (self.id_prefix.data or "").strip()
        if prefix:
            defaults["id_prefix"] = prefix
        return defaults

    def check_defaults(self, blueprint_codes: frozenset[str] | None) -> bool:
        """Put problems with the defaults beside their inputs; True when there are none.

        Every saved question needs tags, a blueprint area and a reference, and GIFT has no
        place for them, so the uploader must give them here.
        """
        ok = True
        tags = split_words(self.tags.data)
        bad_tags = [t for t in tags if not TAG_PATTERN.fullmatch(t)]
        if not tags or bad_tags:
            _add_error(self, "tags", "give at least one tag, lowercase words and hyphens only"
                       + (f" (not: {', '.join(bad_tags)})" if bad_tags else ""))
            ok = False
        codes = split_words(self.blueprint.data)
        unknown = [c for c in codes if not BLUEPRINT_PATTERN.fullmatch(c)
                   or (blueprint_codes is not None and c not in blueprint_codes)]
        if not codes or unknown:
            _add_error(self, "blueprint", "give at least one exam area or domain code from the list of exam areas"
                       + (f" (not: {', '.join(unknown)})" if unknown else ""))
            ok = False
        if not split_lines(self.references.data):
            _add_error(self, "references", "give at least one source")
            ok = False
        prefix = (self.id_prefix.data or "").strip()
        if prefix and not ID_PREFIX_PATTERN.fullmatch(prefix):
            _add_error(self, "id_prefix", "lowercase letters, digits and hyphens, ending with a hyphen, e.g. moodle-")
            ok = False
        return ok
