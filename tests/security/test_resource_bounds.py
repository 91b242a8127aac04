"""Resource bounds: every editor, preview and import answers quickly for any input within its limits.

Size limits alone do not bound the work: 200 KB of `# a` lines, a 406-byte YAML alias
bomb or 300 derived values once tied up a worker for minutes. Here hypothesis builds
inputs from the shapes that make parsers slow (repeated block markers, nesting,
aliases, long chains) filled up to each field's size limit, and each request must be
answered (no 500) within budget.

Two budgets, because a busy machine must not fail the suite (the house rule against
wall-clock assertions): CPU_BUDGET is CPU time of the thread that serves the request
(the test client runs the app in the test's own thread), which other processes' load
does not inflate; WALL_LIMIT is a generous bound on elapsed time, for work handed to
another process (markdown renders in a worker with its own deadline) that the thread's
CPU clock cannot see: a worker left to run would take minutes (the probe's `# a` text
took 319 s), while a busy machine can make a fresh worker take many seconds to start.
The runs are deterministic (derandomize, fixed example counts, the probe's own inputs as
explicit examples) and skip shrinking, which on 200 KB inputs takes minutes; a failure
names the example as generated.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests.factories.bank import editor_form, question_data

CPU_BUDGET = 2.0
WALL_LIMIT = 60.0
MARKDOWN_LIMIT = 200_000

BOUNDED = settings(
    max_examples=3, derandomize=True, deadline=None, database=None,
    phases=[Phase.explicit, Phase.generate], report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces that make markdown, GIFT, CSV and YAML parsers work hard when repeated.
BLOCKS = [
    "# a\n", "a\n: b\n", "[", "]", "(", ")", "*", "_", "`", "<", ">", "&#", "\\", "- ", "1. ", "> ", "|",
    "[a]: b\n", "![", "](", "~~~\n", "```\n", "    ", "\n", "[[", "]]", "{", "}", ":", "=", "~", "#",
    "<div>", "</div>", "<!--", "*a*", "**", "[^1]", "*[a]: b\n", "-\n", "=\n", "<a href='", "&amp;",
    "\t", " ", "a", '"', ",", "::", "{=", "####", "$CATEGORY:", "A. ", "ANSWER: A\n",
]


@st.composite
def pathological_text(draw, limit: int):
    """A short pattern of slow-making pieces, repeated to fill the field (or a tenth of it)."""
    pieces = draw(st.lists(st.tuples(st.sampled_from(BLOCKS), st.integers(1, 30)), min_size=1, max_size=4))
    unit = "".join(block * times for block, times in pieces)
    size = draw(st.sampled_from([limit, limit // 10]))
    return (unit * (size // len(unit) + 1))[:size]


def yaml_alias_bomb(levels: int = 7) -> str:
    """The probe's 406-byte bomb: each level lists the previous one nine times."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels + 1):
        lines.append(f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]")
    return "choices:\n  - text: ok\n    correct: true\n  - text: no\n" + "\n".join(lines) + "\n"


@st.composite
def yaml_spec(draw):
    """Type fields in YAML: aliases, deep nesting, or long flat lists."""
    kind = draw(st.sampled_from(["aliases", "nesting", "wide"]))
    if kind == "aliases":
        return yaml_alias_bomb(draw(st.integers(3, 9)))
    if kind == "nesting":
        depth = draw(st.integers(50, 5000))
        return "choices: " + "[" * depth + "a" + "]" * depth + "\n"
    count = draw(st.integers(100, 5000))
    return "choices:\n" + "".join(f"  - text: c{n}\n" for n in range(count))


def derived_chain(count: int) -> str:
    """A calculated question whose derived values each use the one before (the probe sent 300)."""
    derived = "".join(f"    d{n}: d{n - 1} + x\n" for n in range(1, count))
    return ("variables:\n  x: {min: 1, max: 9, step: 1}\nderived:\n    d0: x\n" + derived
            + f"answer:\n  formula: d{count - 1}\n  round_to: '1'\nunit: mL\ntolerance: 0\n")


def _shape(data) -> str:
    """The longest field of a form, briefly: what a failure message needs to reproduce it."""
    if not data:
        return "no fields"
    name, value = max(((k, v) for k, v in data.items() if isinstance(v, str)), key=lambda kv: len(kv[1]))
    return f"{name}={value[:60]!r}… ({len(value)} characters)"


def served_within_budget(client, path: str, **kwargs):
    """POST and check the answer: not a server error, and within both budgets."""
    start, started = time.thread_time(), time.monotonic()
    response = client.post(path, **kwargs)
    used, elapsed = time.thread_time() - start, time.monotonic() - started
    assert response.status_code < 500, f"{path} answered {response.status_code}"
    what = f"{path} with {_shape(kwargs.get('data'))}"
    assert used < CPU_BUDGET, f"{what} used {used:.1f} s of CPU (budget {CPU_BUDGET} s)"
    assert elapsed < WALL_LIMIT, f"{what} took {elapsed:.1f} s (limit {WALL_LIMIT} s)"
    return response


@pytest.fixture(autouse=True)
def production_render_deadline(monkeypatch):
    """Markdown gets production's deadline here, not the suite's relaxed one (tests/conftest.py).

    These inputs are the ones that run into the deadline: with the suite's 20 s each probe held
    its request for 20 s; with production's 1.5 s it is the bound production enforces that is tried.
    """
    from trainer.content import bounded

    monkeypatch.setattr(bounded, "RENDER_SECONDS", 1.5)


@pytest.fixture
def instructor(client, auth):
    return auth.login("instructor")


@pytest.fixture
def module_path(app, instructor):
    from tests.factories.courses import make_course

    course = make_course("bounds-course", modules=1, post_test=False, status="draft")
    return f"/teach/courses/{course.slug}/modules/{course.modules[0].id}"


# -- course markdown ----------------------------------------------------------------------------

PROBE_MARKDOWN = ["# a\n" * 49_750, "a\n: b\n" * 33_000, "[" * MARKDOWN_LIMIT, "> " * 100_000, "*" * MARKDOWN_LIMIT]


@BOUNDED
@given(text=pathological_text(MARKDOWN_LIMIT))
@example(text=PROBE_MARKDOWN[0])
@example(text=PROBE_MARKDOWN[1])
@example(text=PROBE_MARKDOWN[2])
@example(text=PROBE_MARKDOWN[3])
@example(text=PROBE_MARKDOWN[4])
def test_the_markdown_preview(client, instructor, text):
    served_within_budget(client, "/teach/markdown-preview", data={"markdown": text})


@BOUNDED
@given(text=pathological_text(MARKDOWN_LIMIT))
@example(text=PROBE_MARKDOWN[0])
def test_a_module_save(client, module_path, text):
    form = {"title": "Module", "slug": "module-1", "objectives": "Read", "minutes": "10", "references": "USP",
            "markdown": text, "action": "save"}
    served_within_budget(client, module_path, data=form)
    served_within_budget(client, module_path, data={**form, "action": "preview"})


# -- questions -----------------------------------------------------------------------------------


def _editor_fields(stem: str = "Which?", spec: str | None = None, qtype: str = "single_choice") -> dict:
    fields = editor_form(question_data("bounds-q", qtype))
    fields["stem"] = stem
    if spec is not None:
        fields["spec"] = spec
    return fields


@BOUNDED
@given(stem=pathological_text(MARKDOWN_LIMIT))
@example(stem="[" * 1600)
@example(stem="[[check: x]]" * 10)
def test_the_question_editor_stem(client, instructor, stem):
    fields = _editor_fields(stem)
    served_within_budget(client, "/teach/questions/preview", data={**fields, "type": "single_choice"})
    served_within_budget(client, "/teach/questions/new/single_choice", data={**fields, "action": "save"})


@BOUNDED
@given(spec=yaml_spec())
@example(spec=yaml_alias_bomb(7))
def test_the_question_editor_type_fields(client, instructor, spec):
    fields = _editor_fields(spec=spec)
    served_within_budget(client, "/teach/questions/preview", data={**fields, "type": "single_choice"})
    served_within_budget(client, "/teach/questions/new/single_choice", data={**fields, "action": "save"})


@BOUNDED
@given(count=st.integers(2, 1000))
@example(count=300)
def test_a_calculated_question_with_a_long_chain_of_derived_values(client, instructor, count):
    fields = _editor_fields("Give {x} mL.", derived_chain(count), "calculated")
    served_within_budget(client, "/teach/questions/preview", data={**fields, "type": "calculated"})
    served_within_budget(client, "/teach/questions/new/calculated", data={**fields, "action": "save"})


IMPORT_DEFAULTS = {"tags": "bounds", "difficulty": "medium", "blueprint": "ptce-2020:1.1", "references": "tests",
                   "status": "draft", "id_prefix": ""}


@BOUNDED
@given(text=pathological_text(MARKDOWN_LIMIT))
@example(text="::q::" + "{" * 100_000)
@example(text="::q::[markdown]" + "# a\n" * 40_000 + "{=a ~b}")
@example(text="Q?\n" + "A. x\n" * 30_000 + "ANSWER: A\n")
def test_the_question_import_preview(client, instructor, text):
    served_within_budget(client, "/teach/questions/import", data={**IMPORT_DEFAULTS, "text": text})


# -- flashcards, class lists, CE transcripts -------------------------------------------------------


@BOUNDED
@given(text=pathological_text(MARKDOWN_LIMIT))
def test_a_flashcard_deck(client, instructor, text):
    served_within_budget(client, "/flashcards/decks/new",
                         data={"slug": "bounds-deck", "title": "Deck", "description": "", "blueprint": "",
                               "cards": text})


@BOUNDED
@given(text=pathological_text(MARKDOWN_LIMIT))
def test_a_class_list(client, instructor, text):
    from tests.factories.teaching import make_cohort
    from trainer.models import User

    teacher = User.query.filter_by(role="instructor").first()
    cohort = make_cohort(teacher, "Bounds class")
    served_within_budget(client, f"/teach/cohorts/{cohort.id}/class-list", data={"text": text})


@BOUNDED
@given(text=pathological_text(MARKDOWN_LIMIT))
@example(text="Activity Date,ACPE UAN,Title,Provider,Hours\r\n" + "2025-01-01,x,\"" * 20_000)
def test_a_ce_transcript_import(client, auth, text):
    auth.login("learner")
    served_within_budget(client, "/ce/import", data={"text": text})
