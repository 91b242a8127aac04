"""Whatever an author or a form sends, the loader answers with problems, never a crash."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.rx.scenarios import ScenarioError, default_drugs, from_dict, load_text

from .conftest import CLEAN

DRUGS = default_drugs()
BASE = yaml.safe_load(CLEAN)["scenarios"][0]


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))
    yield prefix


PATHS = [p for p in _paths(BASE) if p]
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.text(alphabet="0123456789-", max_size=14),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _replaced(data, path, value):
    import copy

    out = copy.deepcopy(data)
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out


@settings(max_examples=150, deadline=None)
@given(path=st.sampled_from(PATHS), value=junk)
def test_any_value_in_any_field_is_a_problem_or_fine_never_a_crash(path, value):
    try:
        from_dict(_replaced(BASE, path, value), DRUGS)
    except ScenarioError as refused:
        assert refused.problems and all(p.message for p in refused.problems)


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_is_a_problem_or_fine_never_a_crash(text):
    try:
        load_text(text, "junk.yaml", DRUGS)
    except ScenarioError as refused:
        assert all(p.file == "junk.yaml" for p in refused.problems)
