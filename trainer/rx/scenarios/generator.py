"""Generated scenarios (placeholder until the generator lands: see docs/scenarios.md)."""

from __future__ import annotations


def generate(kinds, seed, drugs=None):
    """A new scenario planting `kinds`, reproducible from `seed`."""
    raise NotImplementedError


def generate_many(kinds, seed, count, drugs=None):
    """`count` scenarios from consecutive seeds."""
    raise NotImplementedError
