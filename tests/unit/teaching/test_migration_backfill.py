"""The 0009 migration records, for answers graded before it, the choices picked: with its own
copy of the rule (a migration must not change when the app does), which must agree with the app's."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from trainer.teaching.item_statistics import chosen_in_file_order

MIGRATION = Path(__file__).resolve().parents[3] / "trainer" / "migrations" / "versions" / "0009_teaching.py"


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0009", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BACKFILL = _migration()._chosen

letters = st.sampled_from(list("abcde"))
instances = st.builds(
    lambda qtype, order: {"type": qtype, "choices": [{"id": shown, "source": source, "text": shown}
                                                     for shown, source in zip("abcde", order, strict=False)]},
    st.sampled_from(["single_choice", "multiple_response", "true_false", "numeric"]),
    st.permutations(list("abcde")),
)
responses = st.one_of(st.none(), st.booleans(), letters, st.lists(letters, max_size=5),
                      st.sampled_from(["TRUE", "false", " b ", "zz", ""]), st.integers())


@given(instances, responses)
def test_the_migration_maps_answers_to_choices_as_the_app_does(instance, response):
    assert BACKFILL(instance, response) == chosen_in_file_order(instance, response)
